/**
 * `app rollback`: the plan that returns every drive to its previous latched content. The
 * previous images are kept on disk (images-view marks them used), so nothing is downloaded;
 * drives without previous content keep what they run.
 */
import type { AppRecord } from '../../api/types/apps';
import type { CoreDeps } from '../ports/deps';
import { TagkeeperError } from '../../api/errors';
import type { OperationPlan, PlannedService } from '../../api/types/operations';

/** Throws invalid-input when no drive of the app has previous content to go back to. */
export function requirePrevious(app: AppRecord): void {
  const any = app.services.some((s) => s.latched && s.previous && s.previous.imageId !== s.latched.imageId);
  if (!any) {
    throw new TagkeeperError('invalid-input', `app ${app.name} has no previous digests to roll back to`, {
      hint: 'an app gets previous digests once a refresh (or check on start) has applied new ones',
    });
  }
}

export async function planRollback(deps: CoreDeps, app: AppRecord): Promise<OperationPlan> {
  requirePrevious(app);
  const services = app.services.map((s): PlannedService => {
    if (!s.latched) throw new TagkeeperError('internal', `service ${s.name} of app ${app.name} was never resolved`, { hint: 'delete and create the app again' });
    const from = { indexDigest: s.latched.indexDigest, manifestDigest: s.latched.manifestDigest, imageId: s.latched.imageId };
    const prev = s.previous;
    if (!prev || prev.imageId === s.latched.imageId) return { name: s.name, from, to: { ...from }, changed: false };
    const to = { indexDigest: prev.indexDigest, manifestDigest: prev.manifestDigest, imageId: prev.imageId, source: prev.source };
    return { name: s.name, from, to, changed: true };
  });
  for (const p of services.filter((s) => s.changed)) {
    if (await deps.engine.inspectImage(p.to.imageId!)) continue;
    throw new TagkeeperError('engine-error', `the previous image ${p.to.imageId} of service ${p.name} of app ${app.name} is no longer on this box`, {
      hint: `it was removed outside Tagkeeper; pull it again by digest (${p.to.manifestDigest}) and retry, or refresh the app instead`,
    });
  }
  return { services };
}
