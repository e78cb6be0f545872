/**
 * What a bundle may change on this box, decided before anything reaches the engine. A bundle
 * image may carry only the tag of the drives it updates (its own reference's repository:tag);
 * loading moves no tag anyway, the drive's tag moves when its update is applied. An update that
 * would take a drive back to older content (a digest the drive ran before, or a bundle made
 * before the last one applied to it) is a downgrade: it is shown as one and needs an explicit
 * confirmation to be approved.
 */
import type { CoreDeps } from '../ports/deps';
import { badBundle, imageLabel, type BundleImage } from '../model/bundle';
import { parseReference } from '../model/reference';
import { shortDigest } from '../model/digest';
import { TagkeeperError } from '../../api/errors';
import type { AppRecord } from '../../api/types/apps';
import type { OperationPlan } from '../../api/types/operations';

export interface DriveName {
  app: string;
  service: string;
}

const FOREIGN_TAG_HINT = 'a bundle may only carry the tags of the drives it updates: do not use this bundle; export a new one with tagkeeper bundle export';

/** Why `image`, updating `drives` of this box (none: it updates nothing here), may not be used: a tag that is not theirs. Null when it is fine. */
export function foreignTag(image: Pick<BundleImage, 'reference' | 'repoTag' | 'manifestDigest'>, drives: readonly DriveName[]): string | null {
  if (image.repoTag === null) return null;
  const own = parseReference(image.reference);
  if (own.tag !== null && canonical(image.repoTag) === canonical(`${own.repository}:${own.tag}`)) return null;
  const whose = drives.length === 0 ? `its own reference ${own.familiar} (no drive here uses it)` : `the drive it updates (${drives.map(driveText).join(', ')}: ${own.familiar})`;
  return `${imageLabel(image)} carries the tag ${image.repoTag}, which is not the tag of ${whose}`;
}

/** The bad-bundle error for a foreign tag. */
export function foreignTagError(problem: string): TagkeeperError {
  return badBundle(problem, FOREIGN_TAG_HINT);
}

/**
 * Why moving `drive` (latched to `latched`) to `to` is a downgrade, or null: `to` is a digest the
 * drive was latched to before, or the bundle that brings it (`bundleCreatedAt`) was made before
 * the newest bundle already applied to the drive.
 */
export function downgradeOf(
  deps: Pick<CoreDeps, 'store'>,
  drive: DriveName,
  change: { latched: string | null; to: string; bundleCreatedAt: string | null },
): string | null {
  if (change.to === change.latched) return null;
  if (deps.store.latchedDigests(drive.app, drive.service).includes(change.to)) {
    return `it goes back to ${shortDigest(change.to)}, which ${driveText(drive)} ran before`;
  }
  const made = Date.parse(change.bundleCreatedAt ?? '');
  if (Number.isNaN(made)) return null;
  const applied = deps.store
    .appliedBundleTimes(drive.app, drive.service)
    .map((at) => ({ at, time: Date.parse(at) }))
    .filter((a) => !Number.isNaN(a.time))
    .sort((a, b) => b.time - a.time)[0];
  if (applied && made < applied.time) {
    return `the bundle was made ${change.bundleCreatedAt}, before the bundle last applied to ${driveText(drive)} (made ${applied.at})`;
  }
  return null;
}

/** The refusal of an approval that would downgrade `drive` without the confirmation. */
export function downgradeRefusal(drive: DriveName, reason: string): TagkeeperError {
  return new TagkeeperError('invalid-input', `approving the update of ${driveText(drive)} would be a downgrade: ${reason}`, {
    hint: 'if going back is what you want, confirm it: tagkeeper updates approve APP --allow-downgrade (bundle import --approve --allow-downgrade; in the UI: Allow going back)',
  });
}

/**
 * An approval applied content from a bundle: each changed drive's tag moves to its image now,
 * as a pull would have moved it (the load moved none). Containers run by image id, so a tag the
 * engine refuses to move changes nothing that runs.
 */
export async function tagAppliedBundleImages(deps: Pick<CoreDeps, 'engine'>, app: AppRecord, plan: OperationPlan): Promise<void> {
  for (const p of plan.services) {
    if (!p.changed || p.to.source !== 'bundle' || !p.to.imageId) continue;
    const service = app.services.find((s) => s.name === p.name);
    if (!service || service.pinnedDigest !== null) continue;
    const ref = parseReference(service.reference);
    if (ref.tag !== null) await deps.engine.tagImage(p.to.imageId, ref.repository, ref.tag).catch(() => undefined);
  }
}

export const driveText = (d: DriveName): string => `service ${d.service} of app ${d.app}`;

function canonical(reference: string): string | null {
  try {
    return parseReference(reference).canonical;
  } catch {
    return null;
  }
}
