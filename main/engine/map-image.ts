/**
 * Engine image JSON (GET /images/{name}/json) → LocalImage.
 */
import type { LocalImage } from '../core/ports/engine-port';
import { imagePlatform } from './map-platform';

/** The fields of an image inspect this adapter reads (engine JSON may carry nulls). */
export interface RawImageInspect {
  Id: string;
  RepoTags?: string[] | null;
  RepoDigests?: string[] | null;
  Size?: number | null;
  Created?: string | null;
  Os?: string | null;
  Architecture?: string | null;
  Variant?: string | null;
  Config?: { Labels?: Record<string, string> | null } | null;
  RootFS?: { Type?: string | null; Layers?: string[] | null } | null;
}

export function mapImage(raw: RawImageInspect): LocalImage {
  return {
    id: raw.Id,
    repoTags: (raw.RepoTags ?? []).filter((tag) => tag !== '<none>:<none>'),
    repoDigests: (raw.RepoDigests ?? []).filter((digest) => digest !== '<none>@<none>'),
    size: raw.Size ?? 0,
    created: raw.Created ?? '',
    platform: imagePlatform(raw.Os ?? undefined, raw.Architecture ?? undefined, raw.Variant ?? undefined),
    labels: { ...(raw.Config?.Labels ?? {}) },
    ...(raw.RootFS ? { rootfsLayers: [...(raw.RootFS.Layers ?? [])] } : {}),
  };
}
