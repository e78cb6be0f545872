/** `bundles:*`: offline bundles for air-gapped sites — export, inspect, import. */
import type { DomainHandlers } from '../../api/contract';
import { exportBundle } from '../bundles/bundle-export';
import { importBundle } from '../bundles/bundle-import';
import { previewBundle } from '../bundles/bundle-inspect';
import { parseNeedsList } from '../bundles/needs-list';
import type { CoreDeps } from '../ports/deps';

export function bundlesHandlers(deps: CoreDeps): DomainHandlers<'bundles'> {
  return {
    'bundles:export': ({ needs, ...request }) => exportBundle(deps, { ...request, needs: needs === undefined ? undefined : parseNeedsList(needs) }),
    // From the index only: nothing is verified until import.
    'bundles:inspect': (r) => previewBundle(deps, r.file),
    // Verify everything, load, and record the updates as pending (applied at once with `approve`).
    'bundles:import': (r) => importBundle(deps, r),
  };
}
