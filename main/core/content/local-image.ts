/**
 * What this box already has for a reference, and which registry digests that content
 * carries. The engine's RepoDigests say which digests an image was pulled by; the manifest
 * cache and the drives Tagkeeper latched say which of those is the index and which the
 * platform manifest.
 */
import type { DigestPair } from '../../api/types/apps';
import type { CoreDeps } from '../ports/deps';
import type { LocalImage } from '../ports/engine-port';
import type { Platform } from '../../api/types/engine';
import { byDigest, parseReference } from '../model/reference';
import type { ImageReference } from '../../api/types/reference';
import { knownPlatformManifest } from './resolver';

export interface LocalContent extends DigestPair {
  imageId: string;
}

type LocalDeps = Pick<CoreDeps, 'engine' | 'store'>;

export async function findLocalContent(deps: LocalDeps, ref: ImageReference, platform: Platform): Promise<LocalContent | null> {
  if (ref.digest) return findPinned(deps, ref, ref.digest, platform);
  const image = await deps.engine.inspectImage(`${ref.repository}:${ref.tag ?? 'latest'}`);
  if (!image) return null;
  return { imageId: image.id, ...digestsOf(deps, ref, image, platform) };
}

/** The image that is exactly `digest` (an index or a platform manifest) of this repository. */
export async function findPinned(
  deps: LocalDeps,
  ref: ImageReference,
  digest: string,
  platform: Platform,
): Promise<LocalContent | null> {
  const direct = await deps.engine.inspectImage(byDigest(ref, digest));
  const manifestDigest = safeKnownPlatform(deps, digest, platform);
  if (direct) return { imageId: direct.id, indexDigest: digest, manifestDigest: manifestDigest ?? digest };
  if (manifestDigest && manifestDigest !== digest) {
    const viaPlatform = await deps.engine.inspectImage(byDigest(ref, manifestDigest));
    if (viaPlatform) return { imageId: viaPlatform.id, indexDigest: digest, manifestDigest };
  }
  return null;
}

/** The registry digests a local image carries (from its RepoDigests), the index and the platform manifest told apart where known. */
export function digestsOf(deps: LocalDeps, ref: ImageReference, image: LocalImage, platform: Platform): DigestPair {
  // A drive Tagkeeper latched to this very image knows both digests.
  for (const app of deps.store.listApps()) {
    for (const s of app.services) {
      if (s.canonical === ref.canonical && s.latched?.imageId === image.id && s.latched.indexDigest) {
        return { indexDigest: s.latched.indexDigest, manifestDigest: s.latched.manifestDigest };
      }
    }
  }
  const digests = image.repoDigests
    .map((entry) => safeParse(entry))
    .filter((r): r is ImageReference => r !== null && r.repository === ref.repository && r.digest !== null)
    .map((r) => r.digest as string);
  if (digests.length === 0) return { indexDigest: null, manifestDigest: null };
  const known = digests.find((d) => safeKnownPlatform(deps, d, platform) !== null) ?? digests[0];
  return { indexDigest: known, manifestDigest: safeKnownPlatform(deps, known, platform) };
}

function safeParse(text: string): ImageReference | null {
  try {
    return parseReference(text);
  } catch {
    return null;
  }
}

function safeKnownPlatform(deps: Pick<CoreDeps, 'store'>, digest: string, platform: Platform): string | null {
  try {
    return knownPlatformManifest(deps, digest, platform);
  } catch {
    return null;
  }
}
