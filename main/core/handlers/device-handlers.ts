/** `device:*`: the device's report for a central team. */
import type { DomainHandlers } from '../../api/contract';
import { deviceReport } from '../device/device-report';
import type { CoreDeps } from '../ports/deps';

export function deviceHandlers(deps: CoreDeps): DomainHandlers<'device'> {
  return { 'device:report': () => deviceReport(deps) };
}
