/**
 * Resolution: an image reference → the digests it stands for on this box's platform
 * (the seed's "ImageObjectID → SHA"). One HEAD for a tag; the index body is fetched only
 * when its digest has not been seen before (manifests are cached by digest, so the cache
 * is never stale). A pinned reference is fetched by its digest and the bytes are verified.
 */
import { type CoreDeps, isoNow } from '../ports/deps';
import type { Platform } from '../../api/types/engine';
import { isIndexMediaType, parseManifest, type ParsedManifest } from '../model/manifest';
import { selectPlatform } from '../model/platform';
import type { ImageReference } from '../../api/types/reference';
import { registryReference } from '../model/reference';
import type { RequestOptions } from '../ports/registry-port';

export interface Resolution {
  /** What the reference points at (index, or the manifest itself for single-platform images). */
  indexDigest: string;
  /** The manifest for this box's platform. */
  manifestDigest: string;
}

type ResolverDeps = Pick<CoreDeps, 'registry' | 'store' | 'now'>;

export async function resolveReference(
  deps: ResolverDeps,
  ref: ImageReference,
  platform: Platform,
  options: RequestOptions = {},
): Promise<Resolution> {
  const repo = { domain: ref.domain, path: ref.path };
  const top = ref.digest
    ? await fetchManifest(deps, ref, ref.digest, options)
    : await deps.registry.headManifest(repo, registryReference(ref), options);
  return platformOf(deps, ref, top, platform, options);
}

/** Given what a tag or digest points at, the manifest digest for `platform`. */
export async function platformOf(
  deps: ResolverDeps,
  ref: ImageReference,
  top: { digest: string; mediaType: string },
  platform: Platform,
  options: RequestOptions = {},
): Promise<Resolution> {
  if (!isIndexMediaType(top.mediaType)) return { indexDigest: top.digest, manifestDigest: top.digest };
  const index = await fetchManifest(deps, ref, top.digest, options);
  if (index.parsed.kind !== 'index') return { indexDigest: top.digest, manifestDigest: top.digest };
  const chosen = selectPlatform(index.parsed, platform);
  return { indexDigest: top.digest, manifestDigest: chosen.digest };
}

/** A manifest by digest, from the cache or the registry (verified there), parsed. */
export async function fetchManifest(
  deps: ResolverDeps,
  ref: ImageReference,
  digest: string,
  options: RequestOptions = {},
): Promise<{ digest: string; mediaType: string; parsed: ParsedManifest }> {
  const cached = deps.store.getManifest(digest);
  if (cached) return { digest, mediaType: cached.mediaType, parsed: parseManifest(cached.bytes, cached.mediaType) };
  const fetched = await deps.registry.getManifest({ domain: ref.domain, path: ref.path }, digest, options);
  const parsed = parseManifest(fetched.bytes, fetched.mediaType);
  deps.store.putManifest({ digest: fetched.digest, mediaType: fetched.mediaType, bytes: fetched.bytes }, isoNow(deps));
  return { digest, mediaType: fetched.mediaType, parsed };
}

/** From cache only: the platform manifest an index digest stands for, or null if unknown. */
export function knownPlatformManifest(deps: Pick<CoreDeps, 'store'>, digest: string, platform: Platform): string | null {
  const cached = deps.store.getManifest(digest);
  if (!cached) return null;
  const parsed = parseManifest(cached.bytes, cached.mediaType);
  return parsed.kind === 'index' ? selectPlatform(parsed, platform).digest : digest;
}
