/** `registries:*`: credentials saved in Tagkeeper (shown masked, never the secret). */
import type { DomainHandlers } from '../../api/contract';
import { listRegistries, removeRegistry, saveRegistry } from '../device/registry-credentials';
import type { CoreDeps } from '../ports/deps';

export function registriesHandlers(deps: CoreDeps): DomainHandlers<'registries'> {
  return {
    'registries:list': () => listRegistries(deps),
    'registries:set': (r) => saveRegistry(deps, r),
    'registries:remove': (r) => removeRegistry(deps, r.host),
  };
}
