/** `engine:*`: whether the Docker Engine answers, where it was looked for and why; taking a data directory over for a replacing engine. */
import type { DomainHandlers } from '../../api/contract';
import { acceptEngine } from '../device/engine-identity';
import { engineStatus } from '../device/engine-status';
import type { CoreDeps } from '../ports/deps';

export function engineHandlers(deps: CoreDeps): DomainHandlers<'engine'> {
  return {
    'engine:status': () => engineStatus(deps),
    'engine:accept': () => acceptEngine(deps),
  };
}
