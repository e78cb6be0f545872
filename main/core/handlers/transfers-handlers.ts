/** `transfers:*`: cancel a bundle export or import running in this process. */
import type { DomainHandlers } from '../../api/contract';
import { cancelTransfer } from '../bundles/transfers';
import type { CoreDeps } from '../ports/deps';

export function transfersHandlers(deps: CoreDeps): DomainHandlers<'transfers'> {
  return { 'transfers:cancel': (r) => cancelTransfer(deps, r.id) };
}
