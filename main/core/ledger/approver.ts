/**
 * Who approved, for the ledger: the name given with the request beside the local user this
 * process acts for ("Ana (via serve as root)"): a name typed in a browser is a claim, the
 * user that serves is a fact, and the ledger keeps both. The local user alone when no name,
 * or that same name, was given.
 */
import type { CoreDeps } from '../ports/deps';

export function approverOf(deps: Pick<CoreDeps, 'actor' | 'via'>, approver?: string): string {
  const given = approver?.trim();
  if (!given || given === deps.actor) return deps.actor;
  return `${given} (via ${deps.via ?? 'the CLI'} as ${deps.actor})`;
}
