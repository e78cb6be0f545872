/**
 * `images prune`: remove the images nothing refers to. An image is kept when an app drive is
 * latched to it or keeps it as its previous content, when a pending update has it staged,
 * when an unfinished operation plans to
 * run it, or when any container on the box (running or not, Tagkeeper's or not) was created
 * from it. The dry run only lists what would go and how much it takes.
 */
import { ledgerEntry } from '../ledger/ledger-entry';
import type { PrunedImage, PruneAnswer } from '../../api/types/images';
import type { CoreDeps } from '../ports/deps';
import { asTagkeeperError } from '../../api/errors';
import { imagesView } from './images-view';
import { OPEN_UPDATE_STATES } from '../../api/types/updates';
import type { LocalImage } from '../ports/engine-port';

/** The app name the ledger records device-wide actions (prunes) under. */
export const DEVICE_LEDGER_APP = '(device)';

/** The images nothing refers to, largest first. */
export async function pruneCandidates(deps: CoreDeps): Promise<{ image: LocalImage; view: PrunedImage }[]> {
  const images = await deps.engine.listImages();
  const pending = deps.store.listPendingUpdates({ states: OPEN_UPDATE_STATES });
  const unused = new Set(imagesView(images, deps.store.listApps(), pending).filter((v) => v.unused).map((v) => v.id));
  const inUse = new Set((await deps.engine.listContainers({})).map((c) => c.imageId));
  for (const op of deps.store.listOpenOperations()) {
    for (const p of op.plan?.services ?? []) {
      if (p.from.imageId) inUse.add(p.from.imageId);
      if (p.to.imageId) inUse.add(p.to.imageId);
    }
  }
  return images
    .filter((image) => unused.has(image.id) && !inUse.has(image.id))
    .sort((a, b) => b.size - a.size)
    .map((image) => ({ image, view: { id: image.id, repoTags: image.repoTags, size: image.size } }));
}

export async function pruneImages(deps: CoreDeps, options: { dryRun: boolean }): Promise<PruneAnswer> {
  const candidates = await pruneCandidates(deps);
  const total = (list: PrunedImage[]) => list.reduce((sum, i) => sum + i.size, 0);
  if (options.dryRun) {
    const images = candidates.map((c) => c.view);
    return { dryRun: true, images, bytes: total(images) };
  }
  const removed: PrunedImage[] = [];
  const failed: { id: string; message: string }[] = [];
  for (const { image, view } of candidates) {
    try {
      await removeImage(deps, image);
      removed.push(view);
    } catch (error) {
      failed.push({ id: image.id, message: asTagkeeperError(error).message });
    }
  }
  const bytes = total(removed);
  const detail = `${removed.length} image(s) removed, ${bytes} bytes${failed.length > 0 ? `; ${failed.length} refused by the engine` : ''}`;
  const outcome = failed.length > 0 && removed.length === 0 ? 'failed' : 'ok';
  deps.store.appendLedger([ledgerEntry(deps, { app: DEVICE_LEDGER_APP, action: 'prune', outcome, detail })]);
  return { dryRun: false, removed, bytes, failed };
}

/**
 * The engine refuses to remove by id an image named in several repositories, so its names
 * go first (removing the last one removes the image); then the id, in case none was left.
 */
async function removeImage(deps: CoreDeps, image: LocalImage): Promise<void> {
  const names = [...image.repoTags, ...image.repoDigests].filter((n) => !n.startsWith('<none>'));
  const repositories = new Set(names.map((n) => n.replace(/@.*$/, '').replace(/:[^:/]*$/, '')));
  if (repositories.size > 1) for (const n of names) await deps.engine.removeImage(n);
  await deps.engine.removeImage(image.id);
}
