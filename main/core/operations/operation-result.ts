/** Results of operations, and their atomic finish: result, store changes and one ledger entry. */
import { ledgerEntry } from '../ledger/ledger-entry';
import type { DigestPair } from '../../api/types/apps';
import { type CoreDeps, isoNow } from '../ports/deps';
import { TagkeeperError, asTagkeeperError, type ErrorInfo } from '../../api/errors';
import { resultKind } from './operation-flags';
import type { Operation, OperationPlan, OperationResult } from '../../api/types/operations';
import type { OperationCommit } from '../ports/store-port';

export const pair = (p: DigestPair): DigestPair => ({ indexDigest: p.indexDigest, manifestDigest: p.manifestDigest });

export function result(op: Operation, plan: OperationPlan | null, outcome: OperationResult['outcome'], restarted: boolean, purged: boolean, error: ErrorInfo | null): OperationResult {
  const services = (plan?.services ?? []).map((s) => ({ name: s.name, changed: s.changed, from: pair(s.from), to: pair(s.to), ...(s.skipped ? { skipped: s.skipped } : {}) }));
  return {
    operation: op.id,
    app: op.app,
    kind: resultKind(op.kind, op.flags),
    outcome,
    changed: outcome === 'done' && services.some((s) => s.changed),
    restarted,
    purged,
    services,
    error,
  };
}

export function failure(op: Operation, plan: OperationPlan | null, error: ErrorInfo): OperationResult {
  return result(op, plan, 'failed', false, false, error);
}

/**
 * The store could not record an operation's end (a full disk, an I/O error). What the
 * operation did (its containers switched, or not) stands: it is not recorded as failed
 * instead, but stays open, and whoever runs it next records its end. Says what the store said.
 */
export class EndNotRecorded extends TagkeeperError {
  constructor(cause: unknown) {
    const e = asTagkeeperError(cause);
    super(e.code, e.message, { hint: e.hint, cause });
  }
}

/** Store the result, apply the commit and write the operation's one ledger entry — atomically (EndNotRecorded when the store cannot). */
export function finish(deps: Pick<CoreDeps, 'actor' | 'store' | 'now'>, op: Operation, res: OperationResult, commit: OperationCommit): OperationResult {
  const summary = res.error ? res.error.message : describe(res);
  commit.ledger.push(ledgerEntry(deps, {
    app: op.app,
    action: res.kind,
    trigger: op.trigger,
    actor: op.actor,
    outcome: res.outcome === 'done' ? 'ok' : res.outcome,
    detail: [op.requests > 1 ? `${summary} (${op.requests} requests merged)` : summary, commit.note].filter(Boolean).join('; '),
  }));
  try {
    deps.store.finishOperation(op.id, res, commit, isoNow(deps));
  } catch (error) {
    throw new EndNotRecorded(error);
  }
  return res;
}

function describe(res: OperationResult): string {
  const changed = res.services.filter((s) => s.changed).length;
  const total = res.services.length;
  const parts = [`${changed} of ${total} service${total === 1 ? '' : 's'} changed`];
  const skipped = res.services.filter((s) => s.skipped).map((s) => s.name);
  if (skipped.length > 0) parts.push(`rejected digest left out for ${skipped.join(', ')}`);
  if (res.purged) parts.push('state purged');
  if (res.restarted) parts.push('restarted');
  return parts.join('; ');
}

