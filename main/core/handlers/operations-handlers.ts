/** `operations:*`: finish interrupted work, list and cancel requests. */
import type { DomainHandlers } from '../../api/contract';
import { requireApp } from '../apps/app-lookup';
import { cancelOperation, resumeOperations } from '../operations/operation-driver';
import type { CoreDeps } from '../ports/deps';

export function operationsHandlers(deps: CoreDeps): DomainHandlers<'operations'> {
  return {
    // Operations left waiting or interrupted (a killed process, a reboot).
    'operations:resume': async (r) => ({ resumed: await resumeOperations(deps, r.app) }),
    // Recent operations, newest first, with those still open.
    'operations:list': (r) => {
      if (r.app) requireApp(deps, r.app);
      return deps.store.listOperations({ app: r.app, limit: r.limit ?? 100 });
    },
    'operations:cancel': (r) => cancelOperation(deps, r.id),
  };
}
