/**
 * How much approving an update costs to download: the layers of the new platform manifest
 * that this box does not have, and their bytes ("23.4 MB in 2 of 5 layers"). Computed from
 * manifests only: one GET per new manifest digest (cached by digest, so asking again costs
 * nothing), never a layer. The box's layers are those of the manifests of images present in
 * the engine: drives' latched and previous content, staged updates, and images pulled by digest.
 */
import type { AppRecord } from '../../api/types/apps';
import type { CoreDeps } from '../ports/deps';
import { asTagkeeperError, type ErrorInfo } from '../../api/errors';
import type { LocalImage } from '../ports/engine-port';
import { parseManifest, type ParsedImageManifest } from '../model/manifest';
import { parseReference } from '../model/reference';
import { fetchManifest } from './resolver';
import type { DownloadSizeView, PendingUpdate } from '../../api/types/updates';
import { formatBytes } from '../../api/format';

export interface DownloadSize {
  newLayers: number;
  totalLayers: number;
  newBytes: number;
  totalBytes: number;
}

export type SizeAnswer = { size: DownloadSize; error: null } | { size: null; error: ErrorInfo };

/** Content a drive would move to: a pending update, or what a refresh would take (its `id` only keys the answer). */
export type SizedUpdate = Pick<PendingUpdate, 'id' | 'app' | 'service' | 'to' | 'imageId'>;

/** A size as the views show it: the figures, "23.4 MB in 2 of 5 layers", or why it is unknown. */
export function sizeView(answer: SizeAnswer | undefined): DownloadSizeView {
  const size = answer?.size ?? null;
  return {
    newLayers: size?.newLayers ?? null,
    totalLayers: size?.totalLayers ?? null,
    newBytes: size?.newBytes ?? null,
    totalBytes: size?.totalBytes ?? null,
    downloadSize: size ? describeSize(size) : null,
    sizeError: answer?.error ?? null,
  };
}

/** "23.4 MB in 2 of 5 layers", or "nothing to download (5 layers on this box)". */
export function describeSize(size: DownloadSize): string {
  if (size.newLayers === 0) return `nothing to download (${size.totalLayers} layers on this box)`;
  return `${formatBytes(size.newBytes)} in ${size.newLayers} of ${size.totalLayers} layers`;
}

export async function downloadSizes(deps: CoreDeps, updates: SizedUpdate[], options: { signal?: AbortSignal } = {}): Promise<Map<number, SizeAnswer>> {
  const answers = new Map<number, SizeAnswer>();
  if (updates.length === 0) return answers;
  const images = await deps.engine.listImages();
  const apps = new Map(deps.store.listApps().map((a) => [a.name, a]));
  const have = layersOnBox(deps, images, [...apps.values()], updates);
  const present = new Set(images.map((i) => i.id));
  const manifests = new Map<string, Promise<ParsedImageManifest>>();

  // Every manifest is asked for before the first answer is awaited (the registry transport
  // bounds how many requests go at once): 300 updates cost a few round trips, not 300. Of a
  // registry, the first goes alone: one that cannot be reached costs one request, not 300.
  const ask = askingOnceFirst(deps, options.signal);
  const fetching: { update: SizedUpdate; manifest: Promise<ParsedImageManifest> }[] = [];
  for (const update of updates) {
    if (update.imageId && present.has(update.imageId)) {
      const cached = cachedImageManifest(deps, update.to.manifestDigest);
      const total = cached?.layers.length ?? 0;
      answers.set(update.id, { size: { newLayers: 0, totalLayers: total, newBytes: 0, totalBytes: sum(cached?.layers ?? []) }, error: null });
      continue;
    }
    const service = apps.get(update.app)?.services.find((s) => s.name === update.service);
    if (!service) continue;
    let manifest = manifests.get(update.to.manifestDigest);
    if (!manifest) {
      manifest = ask(service.canonical, update.to.manifestDigest);
      manifest.catch(() => undefined);
      manifests.set(update.to.manifestDigest, manifest);
    }
    fetching.push({ update, manifest });
  }
  for (const { update, manifest } of fetching) {
    try {
      const parsed = await manifest;
      const fresh = uniqueLayers(parsed).filter((l) => !have.has(l.digest));
      answers.set(update.id, {
        size: { newLayers: fresh.length, totalLayers: parsed.layers.length, newBytes: sum(fresh), totalBytes: sum(parsed.layers) },
        error: null,
      });
    } catch (error) {
      answers.set(update.id, { size: null, error: asTagkeeperError(error).toInfo() });
    }
  }
  return answers;
}

/**
 * `imageManifest`, except that per registry the first manifest not cached is asked for alone:
 * the others wait for its answer, and when it was that the registry cannot be reached, they
 * get that answer without asking.
 */
function askingOnceFirst(deps: CoreDeps, signal: AbortSignal | undefined): (canonical: string, digest: string) => Promise<ParsedImageManifest> {
  const firstOf = new Map<string, Promise<unknown>>();
  return (canonical, digest) => {
    const get = () => imageManifest(deps, canonical, digest, signal);
    if (deps.store.getManifest(digest)) return get();
    const domain = parseReference(canonical).domain;
    const first = firstOf.get(domain);
    if (!first) {
      const asked = get();
      firstOf.set(domain, asked);
      return asked;
    }
    return first.then(get, (error: unknown) => {
      if (asTagkeeperError(error).code === 'registry-unreachable') throw error;
      return get();
    });
  };
}

async function imageManifest(deps: CoreDeps, canonical: string, digest: string, signal?: AbortSignal): Promise<ParsedImageManifest> {
  const fetched = await fetchManifest(deps, parseReference(canonical), digest, { signal });
  if (fetched.parsed.kind !== 'image') throw new Error(`${digest} is not an image manifest`);
  return fetched.parsed;
}

/** Layer digests of every manifest whose image is on this box. */
export function layersOnBox(deps: CoreDeps, images: LocalImage[], apps: AppRecord[], updates: Pick<SizedUpdate, 'to' | 'imageId'>[]): Set<string> {
  const present = new Set(images.map((i) => i.id));
  const candidates: { manifestDigest: string | null; imageId: string | null | undefined }[] = [];
  for (const app of apps) {
    for (const s of app.services) {
      if (s.latched) candidates.push(s.latched);
      if (s.previous) candidates.push(s.previous);
    }
  }
  for (const u of updates) candidates.push({ manifestDigest: u.to.manifestDigest, imageId: u.imageId });
  for (const image of images) {
    for (const repoDigest of image.repoDigests) candidates.push({ manifestDigest: repoDigest.slice(repoDigest.indexOf('@') + 1), imageId: image.id });
  }
  const layers = new Set<string>();
  for (const c of candidates) {
    if (!c.manifestDigest || !c.imageId || !present.has(c.imageId)) continue;
    const manifest = cachedImageManifest(deps, c.manifestDigest);
    // The cached manifest must be the one of this image (a repo digest may name an index).
    if (!manifest || manifest.config.digest !== c.imageId) continue;
    for (const l of manifest.layers) layers.add(l.digest);
  }
  return layers;
}

function cachedImageManifest(deps: CoreDeps, digest: string): ParsedImageManifest | null {
  const cached = deps.store.getManifest(digest);
  if (!cached) return null;
  try {
    const parsed = parseManifest(cached.bytes, cached.mediaType);
    return parsed.kind === 'image' ? parsed : null;
  } catch {
    return null;
  }
}

function uniqueLayers(manifest: ParsedImageManifest) {
  const seen = new Set<string>();
  return manifest.layers.filter((l) => (seen.has(l.digest) ? false : (seen.add(l.digest), true)));
}

const sum = (layers: { size: number }[]): number => layers.reduce((total, l) => total + l.size, 0);
