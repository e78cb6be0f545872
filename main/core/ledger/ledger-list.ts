/** Reading the ledger: the whole device's, or one app's (a deleted app's history stays readable). */
import type { LedgerEntry } from '../../api/types/apps';
import type { CoreDeps } from '../ports/deps';
import { requireApp } from '../apps/app-lookup';

export function listLedger(deps: CoreDeps, app?: string): LedgerEntry[] {
  const entries = deps.store.listLedger({ app });
  // A name never seen is a mistake; a deleted app's history is not.
  if (app && entries.length === 0) requireApp(deps, app);
  return entries;
}
