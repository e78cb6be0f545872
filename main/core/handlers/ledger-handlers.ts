/** `ledger:*`: the append-only history, of the device or of one app. */
import type { DomainHandlers } from '../../api/contract';
import { listLedger } from '../ledger/ledger-list';
import type { CoreDeps } from '../ports/deps';

export function ledgerHandlers(deps: CoreDeps): DomainHandlers<'ledger'> {
  return { 'ledger:list': (r) => listLedger(deps, r.app) };
}
