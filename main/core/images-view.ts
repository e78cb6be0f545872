/**
 * Every image on the box and who needs it: the app drives latched to it, kept as their
 * previous content, or offered by a check. Several references can share one image.
 */
import type { AppRecord } from './app-types';
import type { LocalImage } from './engine-port';

export interface ImageUse {
  app: string;
  service: string;
  reference: string;
  role: 'latched' | 'previous';
}

export interface ImageView {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  size: number;
  created: string;
  uses: ImageUse[];
  /** No app drive runs it or keeps it as its previous content. */
  unused: boolean;
}

export function imagesView(images: LocalImage[], apps: AppRecord[]): ImageView[] {
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
