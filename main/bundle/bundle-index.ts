/**
 * The offline bundle's index (`tagkeeper-bundle.json`): its type (the contents it describes
 * are core/model/bundle.ts), its strict schema, the names of the tar entries, and the
 * consistency rules between the images and the blob list.
 * Pure: no I/O. The writer and the reader share these rules, so the writer never produces a
 * bundle the reader refuses.
 */
import * as z from 'zod';
import { badBundle, imageLabel, type BundleContents, type BundleImage } from '../core/model/bundle';
import { DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, OCI_INDEX, OCI_MANIFEST, bareMediaType } from '../core/model/manifest';
import { parseReference } from '../core/model/reference';
import type { BundleLimits } from './bundle-limits';

export const BUNDLE_FORMAT = 'tagkeeper-bundle/1';

/** Tar entry names, in the order they appear. */
export const INDEX_ENTRY = 'tagkeeper-bundle.json';
export const SIGNATURE_ENTRY = 'tagkeeper-bundle.json.sig';
export const DOCKER_MANIFEST_ENTRY = 'manifest.json';
const BLOB_PREFIX = 'blobs/sha256/';

export const SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/;

/** The index as the file holds it: the contents, the format it is written in, and the blob list. */
export interface BundleIndex extends BundleContents {
  format: typeof BUNDLE_FORMAT;
  /** Every blob entry the tar contains, exactly, in tar order. */
  blobs: { digest: string; size: number }[];
}

/** The signature entry: an Ed25519 signature of the exact index bytes. */
export interface BundleSignature {
  algorithm: 'ed25519';
  /** `sha256:<hex>` of the public key's SPKI DER. */
  keyId: string;
  signature: string;
}

export type BlobKind = 'index' | 'manifest' | 'config' | 'layer';

/** A blob the bundle must carry, with the first image that needs it (for messages). */
export interface BlobUse {
  digest: string;
  size: number;
  kind: BlobKind;
  image: BundleImage;
}

export function blobEntryName(digest: string): string {
  return `${BLOB_PREFIX}${digest.slice('sha256:'.length)}`;
}

export type EntryKind =
  | { kind: 'index' }
  | { kind: 'signature' }
  | { kind: 'docker-manifest' }
  | { kind: 'blob'; digest: string }
  | { kind: 'invalid'; problem: string };

/** What a tar entry name is; anything but the four kinds of entry is invalid. */
export function classifyEntryName(name: string): EntryKind {
  const shown = JSON.stringify(name);
  if (name.includes('\0')) return { kind: 'invalid', problem: `entry name ${shown} contains a NUL character` };
  if (name.includes('\\')) return { kind: 'invalid', problem: `entry name ${shown} contains a backslash` };
  if (name.startsWith('/')) return { kind: 'invalid', problem: `entry ${shown} is an absolute path` };
  if (name.split('/').includes('..')) return { kind: 'invalid', problem: `entry ${shown} points outside the bundle (..)` };
  if (name === INDEX_ENTRY) return { kind: 'index' };
  if (name === SIGNATURE_ENTRY) return { kind: 'signature' };
  if (name === DOCKER_MANIFEST_ENTRY) return { kind: 'docker-manifest' };
  if (name.startsWith(BLOB_PREFIX) && /^[0-9a-f]{64}$/.test(name.slice(BLOB_PREFIX.length))) {
    return { kind: 'blob', digest: `sha256:${name.slice(BLOB_PREFIX.length)}` };
  }
  return {
    kind: 'invalid',
    problem: `entry ${shown} is not part of a bundle (expected ${INDEX_ENTRY}, ${SIGNATURE_ENTRY}, ${DOCKER_MANIFEST_ENTRY} or ${BLOB_PREFIX}<64 hex>)`,
  };
}

// ---- schema ----------------------------------------------------------------------------

const digest = z.string().regex(SHA256_DIGEST, 'must be sha256: followed by 64 lower-case hex characters');
const size = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const text = z.string().min(1).max(1024);
const word = z.string().min(1).max(64);

const layerSchema = z.object({ digest, size, mediaType: text, included: z.boolean() }).strict();

const imageSchema = z
  .object({
    reference: text,
    repoTag: text.nullable(),
    indexDigest: digest.nullable(),
    indexMediaType: text.nullable(),
    indexSize: size.nullable(),
    manifestDigest: digest,
    manifestMediaType: text,
    manifestSize: size,
    configDigest: digest,
    configSize: size,
    layers: z.array(layerSchema).max(1000),
    platform: z.object({ os: word, architecture: word, variant: word.optional() }).strict(),
    created: z.string().max(64).nullable(),
  })
  .strict();

export const bundleIndexSchema: z.ZodType<BundleIndex> = z
  .object({
    format: z.literal(BUNDLE_FORMAT),
    createdAt: word,
    creator: z.object({ tool: z.string().max(256), host: z.string().max(256), user: z.string().max(256) }).strict(),
    apps: z.array(z.object({ app: text, service: text, reference: text, manifestDigest: digest }).strict()).max(10_000),
    images: z.array(imageSchema).max(10_000),
    blobs: z.array(z.object({ digest, size }).strict()).max(100_000),
  })
  .strict();

export const bundleSignatureSchema: z.ZodType<BundleSignature> = z
  .object({
    algorithm: z.literal('ed25519'),
    keyId: digest,
    signature: z.string().min(1).max(1024).regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64'),
  })
  .strict();

/** Parses JSON bytes (strict UTF-8); throws bad-bundle naming `what`. */
export function parseJsonEntry(bytes: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw badBundle(`${what} is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** Parses and checks the index bytes: JSON, known format, schema, consistency and limits. */
export function parseBundleIndex(bytes: Uint8Array, limits: BundleLimits): BundleIndex {
  const raw = parseJsonEntry(bytes, `bundle index ${INDEX_ENTRY}`);
  const format = typeof raw === 'object' && raw !== null ? (raw as { format?: unknown }).format : undefined;
  if (format !== BUNDLE_FORMAT) {
    throw badBundle(`bundle format ${JSON.stringify(format ?? null)} is not known (this Tagkeeper reads ${BUNDLE_FORMAT})`, 'export the bundle with a Tagkeeper version that writes this format, or update Tagkeeper here');
  }
  const parsed = bundleIndexSchema.safeParse(raw);
  if (!parsed.success) throw badBundle(`bundle index: ${schemaProblem(parsed.error, raw)}`);
  const problem = indexProblem(parsed.data, limits);
  if (problem !== null) throw badBundle(problem);
  return parsed.data;
}

function schemaProblem(error: z.ZodError, raw: unknown): string {
  const issue = error.issues[0];
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  let where = path === '' ? '' : `${path}: `;
  if (issue.path[0] === 'images' && typeof issue.path[1] === 'number') {
    const image = (raw as { images?: { reference?: unknown }[] }).images?.[issue.path[1]];
    if (typeof image?.reference === 'string') where = `bundle image ${image.reference}: ${where}`;
  }
  return `${where}${issue.message}`;
}

// ---- consistency -----------------------------------------------------------------------

/** Every blob the images need, once each, in tar order (first use wins); a size conflict is a problem. */
export function blobUses(images: BundleImage[]): { uses: BlobUse[]; problem: string | null } {
  const byDigest = new Map<string, BlobUse>();
  let problem: string | null = null;
  const add = (digest: string, size: number, kind: BlobKind, image: BundleImage): void => {
    const seen = byDigest.get(digest);
    if (seen === undefined) byDigest.set(digest, { digest, size, kind, image });
    else if (seen.size !== size && problem === null) {
      problem = `${imageLabel(image)}: ${kind} ${digest} has size ${size}, but ${imageLabel(seen.image)} gives it size ${seen.size}`;
    }
  };
  for (const image of images) {
    if (image.indexDigest !== null && image.indexSize !== null) add(image.indexDigest, image.indexSize, 'index', image);
    add(image.manifestDigest, image.manifestSize, 'manifest', image);
    add(image.configDigest, image.configSize, 'config', image);
    for (const layer of image.layers) if (layer.included) add(layer.digest, layer.size, 'layer', image);
  }
  return { uses: [...byDigest.values()], problem };
}

/** Why `index` is inconsistent or past a limit, or null when it is sound. */
export function indexProblem(index: BundleIndex, limits: BundleLimits): string | null {
  if (index.images.length === 0) return 'the bundle index lists no images';
  for (const image of index.images) {
    const problem = imageProblem(image, limits);
    if (problem !== null) return `${imageLabel(image)}: ${problem}`;
  }
  const manifests = new Set(index.images.map((i) => i.manifestDigest));
  for (const app of index.apps) {
    if (!manifests.has(app.manifestDigest)) return `app ${app.app} (service ${app.service}) names manifest ${app.manifestDigest}, which no bundle image has`;
  }
  const { uses, problem } = blobUses(index.images);
  if (problem !== null) return problem;
  if (index.blobs.length + 3 > limits.maxEntries) return `the bundle has ${index.blobs.length} blobs, more than the limit of ${limits.maxEntries - 3}`;
  const declared = new Map<string, number>();
  let total = 0;
  for (const blob of index.blobs) {
    if (declared.has(blob.digest)) return `the bundle index lists blob ${blob.digest} twice`;
    declared.set(blob.digest, blob.size);
    total += blob.size;
  }
  if (total > limits.maxTotalBytes) return `the bundle declares ${total} bytes of blobs, more than the limit of ${limits.maxTotalBytes}`;
  const needed = new Set<string>();
  for (const use of uses) {
    needed.add(use.digest);
    const size = declared.get(use.digest);
    if (size === undefined) return `${imageLabel(use.image)}: ${use.kind} ${use.digest} is missing from the index's blob list`;
    if (size !== use.size) return `${imageLabel(use.image)}: ${use.kind} ${use.digest} has size ${use.size}, but the blob list says ${size}`;
    const cap = use.kind === 'config' ? limits.maxConfigBytes : use.kind === 'layer' ? limits.maxBlobBytes : limits.maxManifestBytes;
    if (use.size > cap) return `${imageLabel(use.image)}: ${use.kind} ${use.digest} is ${use.size} bytes, more than the limit of ${cap}`;
  }
  for (const blob of index.blobs) if (!needed.has(blob.digest)) return `the bundle index lists blob ${blob.digest}, which no bundle image uses`;
  return null;
}

const IMAGE_MANIFEST_TYPES = [DOCKER_MANIFEST, OCI_MANIFEST];
const INDEX_TYPES = [DOCKER_MANIFEST_LIST, OCI_INDEX];

function imageProblem(image: BundleImage, limits: BundleLimits): string | null {
  const ref = referenceProblem(image.reference);
  if (ref !== null) return `its reference is not valid: ${ref}`;
  if (image.repoTag !== null) {
    const tag = referenceProblem(image.repoTag, true);
    if (tag !== null) return `its repoTag is not valid: ${tag}`;
  }
  const indexFields = [image.indexDigest, image.indexMediaType, image.indexSize].filter((v) => v !== null).length;
  if (indexFields !== 0 && indexFields !== 3) return 'indexDigest, indexMediaType and indexSize must be all set or all null';
  if (image.indexMediaType !== null && !INDEX_TYPES.includes(bareMediaType(image.indexMediaType))) {
    return `index media type ${image.indexMediaType} is not a manifest list or OCI index`;
  }
  if (!IMAGE_MANIFEST_TYPES.includes(bareMediaType(image.manifestMediaType))) {
    return `manifest media type ${image.manifestMediaType} is not a Docker v2 or OCI image manifest`;
  }
  if (image.layers.length > limits.maxEntries) return `it has ${image.layers.length} layers, more than the limit of ${limits.maxEntries}`;
  return null;
}

function referenceProblem(value: string, needsTag = false): string | null {
  try {
    const ref = parseReference(value);
    if (needsTag && (ref.digest !== null || !/:[\w][\w.-]*$/.test(value))) return `"${value}" must be repository:tag without a digest`;
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

// ---- docker load manifest ----------------------------------------------------------------

/** One image of Docker's `docker load` manifest.json. */
export interface DockerLoadEntry {
  Config: string;
  RepoTags: string[];
  Layers: string[];
}

/**
 * Docker's load manifest for `images`: one entry per config (images with equal configs are one
 * engine image; their tags are merged, unless `tags` is false: no RepoTags at all), layer paths
 * in order, omitted layers included.
 */
export function dockerLoadManifest(images: readonly BundleImage[], options: { tags: boolean } = { tags: true }): DockerLoadEntry[] {
  const byConfig = new Map<string, DockerLoadEntry>();
  for (const image of images) {
    let entry = byConfig.get(image.configDigest);
    if (entry === undefined) {
      entry = { Config: blobEntryName(image.configDigest), RepoTags: [], Layers: image.layers.map((l) => blobEntryName(l.digest)) };
      byConfig.set(image.configDigest, entry);
    }
    if (options.tags && image.repoTag !== null && !entry.RepoTags.includes(image.repoTag)) entry.RepoTags.push(image.repoTag);
  }
  return [...byConfig.values()];
}
