/** Results of operations, and their atomic finish: result, store changes and one ledger entry. */
import { ledgerEntry } from '../ledger/ledger-entry';
import type { DigestPair } from '../../api/types/apps';
import { type CoreDeps, isoNow } from '../ports/deps';
import type { ErrorInfo } from '../../api/errors';
import { resultKind } from './operation-flags';
import type { Operation, OperationPlan, OperationResult } from '../../api/types/operations';
import type { OperationCommit } from '../ports/store-port';

export const pair = (p: DigestPair): DigestPair => ({ indexDigest: p.indexDigest, manifestDigest: p.manifestDigest });

export function result(op: Operation, plan: OperationPlan | null, outcome: OperationResult['outcome'], restarted: boolean, purged: boolean, error: ErrorInfo | null): OperationResult {
  const services = (plan?.services ?? []).map((s) => ({ name: s.name, changed: s.changed, from: pair(s.from), to: pair(s.to) }));
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

/** Store the result, apply the commit and write the operation's one ledger entry — atomically. */
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
  deps.store.finishOperation(op.id, res, commit, isoNow(deps));
  return res;
}

function describe(res: OperationResult): string {
  const changed = res.services.filter((s) => s.changed).length;
  const total = res.services.length;
  const parts = [`${changed} of ${total} service${total === 1 ? '' : 's'} changed`];
  if (res.purged) parts.push('state purged');
  if (res.restarted) parts.push('restarted');
  return parts.join('; ');
}

