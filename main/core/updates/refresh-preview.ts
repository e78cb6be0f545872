/**
 * What a refresh of an app would do now, before anything is done (`apps:refresh-preview`,
 * behind the UI's "Update to latest…"): per drive, what it runs → what its tag points at, as
 * the refresh would judge it (another platform manifest = an update), whether that digest was
 * rejected for the drive (a refresh leaves it out unless asked), and what it costs to
 * download. One HEAD per drive (and a new index or manifest body at most); no layer is
 * downloaded and nothing is recorded.
 */
import type { RefreshPreview, RefreshPreviewService, RefreshPreviewStatus } from '../../api/types/updates';
import type { DigestPair, ServiceRecord } from '../../api/types/apps';
import { TagkeeperError, asTagkeeperError } from '../../api/errors';
import { requireApp } from '../apps/app-lookup';
import { downloadSizes, sizeView, type SizedUpdate } from '../content/download-preview';
import { offlineError } from '../content/offline-guard';
import { resolveReference } from '../content/resolver';
import { parseReference } from '../model/reference';
import { type CoreDeps, isoNow } from '../ports/deps';
import { openUpdates } from './pending-updates';
import { rejectedDigests } from './rejected-digests';

const NO_SIZE = sizeView(undefined);

export async function previewRefresh(deps: CoreDeps, name: string, options: { signal?: AbortSignal } = {}): Promise<RefreshPreview> {
  const app = requireApp(deps, name);
  const unresolved = app.services.find((s) => s.latched === null);
  if (unresolved) {
    throw new TagkeeperError('invalid-input', `app ${name} never started (service ${unresolved.name} was never resolved), so there is nothing to update`, {
      hint: `delete it and create it again: tagkeeper app delete ${name}`,
    });
  }
  await deps.engine.ping();
  if (deps.store.getSettings().offline) throw offlineError(`asking what app ${name} would update to`);
  const checkedAt = isoNow(deps);
  const platform = await deps.engine.platform();
  const rejected = rejectedDigests(deps, name);

  const judged = await Promise.all(app.services.map(async (s) => judge(deps, s, platform, rejected, options.signal)));
  const staged = new Map(openUpdates(deps, name).filter((u) => u.imageId).map((u) => [`${u.service}\n${u.to.manifestDigest}`, u.imageId]));
  const updates: SizedUpdate[] = judged.flatMap((j, id) =>
    j.status === 'update' && j.to?.manifestDigest
      ? [{ id, app: name, service: j.service, to: { indexDigest: j.to.indexDigest, manifestDigest: j.to.manifestDigest }, imageId: staged.get(`${j.service}\n${j.to.manifestDigest}`) ?? null }]
      : [],
  );
  const sizes = await downloadSizes(deps, updates, { signal: options.signal });
  return { app: name, checkedAt, services: judged.map((j, id) => ({ ...j, ...(j.status === 'update' ? sizeView(sizes.get(id)) : NO_SIZE) })) };
}

type Judged = Omit<RefreshPreviewService, keyof typeof NO_SIZE>;

async function judge(
  deps: CoreDeps,
  s: ServiceRecord,
  platform: Awaited<ReturnType<CoreDeps['engine']['platform']>>,
  rejected: ReturnType<typeof rejectedDigests>,
  signal: AbortSignal | undefined,
): Promise<Judged> {
  const from: DigestPair = { indexDigest: s.latched!.indexDigest, manifestDigest: s.latched!.manifestDigest };
  const base = { service: s.name, reference: s.reference, from, rejected: false, error: null };
  if (s.pinnedDigest !== null) return { ...base, to: null, status: 'pinned' };
  try {
    const to = await resolveReference(deps, parseReference(s.reference), platform, { signal });
    // As the refresh judges it: another platform manifest is an update; another index alone is not.
    const status: RefreshPreviewStatus = to.manifestDigest !== from.manifestDigest ? 'update' : to.indexDigest !== from.indexDigest ? 'index-changed' : 'up-to-date';
    return { ...base, to, status, rejected: status === 'update' && rejected(s.name, to.manifestDigest) };
  } catch (error) {
    return { ...base, to: null, status: 'error', error: asTagkeeperError(error).toInfo() };
  }
}
