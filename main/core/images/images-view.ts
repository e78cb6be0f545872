/**
 * Every image on the box and who needs it: the app drives latched to it, kept as their
 * previous content, or staged for a pending update (prefetched, or loaded from a bundle). Several references can share one image.
 */
import type { ImageView, ImageUse } from '../../api/types/images';
import type { AppRecord } from '../../api/types/apps';
import type { LocalImage } from '../ports/engine-port';
import type { PendingUpdate } from '../../api/types/updates';

export function imagesView(images: LocalImage[], apps: AppRecord[], pending: PendingUpdate[] = []): ImageView[] {
  const uses = new Map<string, ImageUse[]>();
  const add = (imageId: string | undefined, use: ImageUse) => {
    if (imageId) uses.set(imageId, [...(uses.get(imageId) ?? []), use]);
  };
  for (const app of apps) {
    for (const s of app.services) {
      add(s.latched?.imageId, { app: app.name, service: s.name, reference: s.reference, role: 'latched' });
      add(s.previous?.imageId, { app: app.name, service: s.name, reference: s.reference, role: 'previous' });
    }
  }
  for (const u of pending) {
    const reference = apps.find((a) => a.name === u.app)?.services.find((s) => s.name === u.service)?.reference ?? '';
    add(u.imageId ?? undefined, { app: u.app, service: u.service, reference, role: 'pending' });
  }
  return images
    .map((image) => ({
      id: image.id,
      repoTags: image.repoTags,
      repoDigests: image.repoDigests,
      size: image.size,
      created: image.created,
      uses: uses.get(image.id) ?? [],
      unused: !uses.has(image.id),
    }))
    .sort((a, b) => Number(a.unused) - Number(b.unused) || b.size - a.size);
}
