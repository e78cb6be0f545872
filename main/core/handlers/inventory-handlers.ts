/** `inventory:*`: what this site runs and which layers it has, for a delta bundle made elsewhere. */
import type { DomainHandlers } from '../../api/contract';
import { buildNeedsList } from '../bundles/needs-list';
import type { CoreDeps } from '../ports/deps';

export function inventoryHandlers(deps: CoreDeps): DomainHandlers<'inventory'> {
  return { 'inventory:export': () => buildNeedsList(deps) };
}
