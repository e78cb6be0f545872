/** `keys:*`: the signing keys this device trusts for bundles. */
import type { DomainHandlers } from '../../api/contract';
import { listTrustedKeys, trustKey, untrustKey } from '../bundles/trusted-keys';
import type { CoreDeps } from '../ports/deps';

export function keysHandlers(deps: CoreDeps): DomainHandlers<'keys'> {
  return {
    'keys:list': () => listTrustedKeys(deps),
    'keys:trust': (r) => trustKey(deps, r),
    'keys:remove': (r) => untrustKey(deps, r.keyId),
  };
}
