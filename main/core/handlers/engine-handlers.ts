/** `engine:*`: whether the Docker Engine answers, and where it was looked for. */
import type { DomainHandlers } from '../../api/contract';
import { engineStatus } from '../device/engine-status';
import type { CoreDeps } from '../ports/deps';

export function engineHandlers(deps: CoreDeps): DomainHandlers<'engine'> {
  return { 'engine:status': () => engineStatus(deps) };
}
