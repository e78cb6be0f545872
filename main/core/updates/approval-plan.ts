/**
 * Applying approved updates: the plan moves each approved drive to exactly the approved
 * digests (not to whatever the tag points at by now). Staged content (prefetched, or loaded
 * from a bundle) is used as it is; the rest is downloaded by digest in the download step.
 */
import type { AppRecord } from '../../api/types/apps';
import type { CoreDeps } from '../ports/deps';
import { TagkeeperError } from '../../api/errors';
import type { Operation, OperationPlan, PlannedService } from '../../api/types/operations';

export async function planApproval(deps: CoreDeps, app: AppRecord, op: Operation): Promise<OperationPlan> {
  const approved = deps.store.listPendingUpdates({ app: app.name, operationId: op.id, states: ['approved'] });
  if (approved.length === 0) {
    throw new TagkeeperError('invalid-input', `operation ${op.id} has no approved update of app ${app.name} left to apply`, {
      hint: 'see the pending updates with: tagkeeper updates',
    });
  }
  const services: PlannedService[] = [];
  for (const s of app.services) {
    if (!s.latched) throw new TagkeeperError('internal', `service ${s.name} of app ${app.name} was never resolved`, { hint: 'delete and create the app again' });
    const from = { indexDigest: s.latched.indexDigest, manifestDigest: s.latched.manifestDigest, imageId: s.latched.imageId };
    const update = approved.find((u) => u.service === s.name);
    if (!update) {
      services.push({ name: s.name, from, to: { ...from }, changed: false });
      continue;
    }
    const staged = update.imageId && (await deps.engine.inspectImage(update.imageId)) ? update.imageId : null;
    if (update.source === 'bundle' && !staged) {
      throw new TagkeeperError('engine-error', `the image of the approved update of service ${s.name} (${update.to.manifestDigest}) is no longer on this box`, {
        hint: 'it came from a bundle and was removed since; import the bundle again, then approve',
      });
    }
    const changed = update.to.manifestDigest !== s.latched.manifestDigest;
    const to = { indexDigest: update.to.indexDigest, manifestDigest: update.to.manifestDigest, imageId: changed ? staged : from.imageId, source: update.source };
    services.push({ name: s.name, from, to, changed });
  }
  return { services };
}
