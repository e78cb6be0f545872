/**
 * The one way a ledger entry is built: what happened (app, service, action, from → to,
 * source, outcome, detail), with the actor and trigger filled in from the process unless
 * the caller says otherwise. Every writer of the ledger goes through here.
 */
import type { DigestPair, ImageSource, LedgerAction, LedgerOutcome, NewLedgerEntry } from '../../api/types/apps';
import type { CoreDeps } from '../ports/deps';

export interface LedgerFacts {
  app: string;
  action: LedgerAction;
  service?: string | null;
  from?: DigestPair | null;
  to?: DigestPair | null;
  source?: ImageSource | null;
  /** Why it happened: 'user' (default), 'schedule', 'check-on-start', 'auto-apply', … */
  trigger?: string;
  /** Who did it; default: the local user this process acts for. */
  actor?: string;
  outcome?: LedgerOutcome;
  detail?: string | null;
  at?: string;
}

export function ledgerEntry(deps: Pick<CoreDeps, 'actor'>, facts: LedgerFacts): NewLedgerEntry {
  const entry: NewLedgerEntry = {
    app: facts.app,
    service: facts.service ?? null,
    action: facts.action,
    from: facts.from ?? null,
    to: facts.to ?? null,
    source: facts.source ?? null,
    trigger: facts.trigger ?? 'user',
    actor: facts.actor ?? deps.actor,
    outcome: facts.outcome ?? 'ok',
    detail: facts.detail ?? null,
  };
  return facts.at === undefined ? entry : { ...entry, at: facts.at };
}
