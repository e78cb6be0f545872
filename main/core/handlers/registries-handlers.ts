/** `registries:*`: credentials (Tagkeeper's and Docker's, shown masked, never the secret), the engine's registry configuration, rate limits. */
import type { DomainHandlers } from '../../api/contract';
import { listRegistries, removeRegistry, saveRegistry } from '../device/registry-credentials';
import { registriesStatus } from '../device/registries-status';
import type { CoreDeps } from '../ports/deps';

export function registriesHandlers(deps: CoreDeps): DomainHandlers<'registries'> {
  return {
    'registries:list': () => listRegistries(deps),
    'registries:set': (r) => saveRegistry(deps, r),
    'registries:remove': (r) => removeRegistry(deps, r.host),
    'registries:status': () => registriesStatus(deps),
  };
}
