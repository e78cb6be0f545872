/** `updates:*`: pending updates with their download size, approved (exact digests, who) or rejected. */
import type { DomainHandlers } from '../../api/contract';
import type { CoreDeps } from '../ports/deps';
import { approveUpdates, listPendingUpdates, rejectUpdates } from '../updates/pending-updates';
import { reproposeRolledBack } from '../updates/repropose';

export function updatesHandlers(deps: CoreDeps): DomainHandlers<'updates'> {
  return {
    'updates:list': (r) => listPendingUpdates(deps, r),
    'updates:approve': (r) => approveUpdates(deps, r.app, r),
    // Declined: recorded, and those digests are not proposed again for those drives.
    'updates:reject': (r) => rejectUpdates(deps, r.app, r),
    // After a rollback: the digests it went back from, pending again ("Re-apply" approves them).
    'updates:repropose': (r) => reproposeRolledBack(deps, r.app),
  };
}
