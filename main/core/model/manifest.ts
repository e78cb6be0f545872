/**
 * Manifest media types and a strict parser for the four manifest kinds Tagkeeper accepts:
 * Docker v2 schema2 manifests and manifest lists, OCI image manifests and OCI indexes.
 * Pure: no I/O. Everything wrong with a manifest raises TagkeeperError('manifest-invalid').
 */
import { TagkeeperError } from '../../api/errors';

export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

/** The four manifest media types, most specific first. */
export const MANIFEST_MEDIA_TYPES: readonly string[] = [DOCKER_MANIFEST_LIST, DOCKER_MANIFEST, OCI_INDEX, OCI_MANIFEST];

/** Value for the Accept header of manifest requests. */
export const MANIFEST_ACCEPT = MANIFEST_MEDIA_TYPES.join(', ');

const SCHEMA1_TYPES = [
  'application/vnd.docker.distribution.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
];

export interface Descriptor {
  digest: string;
  mediaType: string;
  size: number;
}

export interface IndexPlatform {
  os: string;
  architecture: string;
  variant?: string;
  osVersion?: string;
}

export interface IndexEntry extends Descriptor {
  platform?: IndexPlatform;
  annotations?: Record<string, string>;
}

export interface ParsedIndex {
  kind: 'index';
  mediaType: string;
  manifests: IndexEntry[];
}

export interface ParsedImageManifest {
  kind: 'image';
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[];
}

export type ParsedManifest = ParsedIndex | ParsedImageManifest;

/** True for a manifest list or OCI index. */
export function isIndexMediaType(mediaType: string): boolean {
  const mt = bareMediaType(mediaType);
  return mt === DOCKER_MANIFEST_LIST || mt === OCI_INDEX;
}

/** True for one of the four accepted manifest media types (parameters ignored). */
export function isManifestMediaType(mediaType: string | undefined): boolean {
  return mediaType !== undefined && MANIFEST_MEDIA_TYPES.includes(bareMediaType(mediaType));
}

/** True for a Docker schema1 media type (unsupported). */
export function isSchema1MediaType(mediaType: string | undefined): boolean {
  return mediaType !== undefined && SCHEMA1_TYPES.includes(bareMediaType(mediaType));
}

/** `application/json; charset=utf-8` → `application/json`. */
export function bareMediaType(mediaType: string): string {
  return mediaType.split(';')[0].trim().toLowerCase();
}

/**
 * The media type of a manifest: the header's when it is one of the four, else the body's own
 * `mediaType` field, else inferred from its shape (OCI allows omitting the field).
 */
export function detectManifestMediaType(bytes: Uint8Array, headerMediaType?: string): string {
  return parseManifest(bytes, headerMediaType ?? '').mediaType;
}

/** Parse and validate manifest bytes served with `mediaType` (may be generic or empty). */
export function parseManifest(bytes: Uint8Array, mediaType: string): ParsedManifest {
  if (isSchema1MediaType(mediaType)) throw invalid(`schema1 manifests (${bareMediaType(mediaType)}) are not supported`);
  const body = parseJson(bytes);
  if (body.schemaVersion === 1 || body.fsLayers !== undefined) throw invalid('schema1 manifests are not supported');
  const resolved = resolveMediaType(body, mediaType);
  if (body.schemaVersion !== 2) throw invalid(`schemaVersion is ${JSON.stringify(body.schemaVersion)}, expected 2`);
  if (isIndexMediaType(resolved)) {
    const list = body.manifests;
    if (!Array.isArray(list)) throw invalid('an index needs a "manifests" array');
    return { kind: 'index', mediaType: resolved, manifests: list.map((entry, i) => indexEntry(entry, `manifests[${i}]`)) };
  }
  if (!Array.isArray(body.layers)) throw invalid('an image manifest needs a "layers" array');
  return {
    kind: 'image',
    mediaType: resolved,
    config: descriptor(body.config, 'config'),
    layers: body.layers.map((layer, i) => descriptor(layer, `layers[${i}]`)),
  };
}

type Json = Record<string, unknown>;

function parseJson(bytes: Uint8Array): Json {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw invalid(`it is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isObject(value)) throw invalid('it is not a JSON object');
  return value;
}

function resolveMediaType(body: Json, header: string): string {
  const fromHeader = header ? bareMediaType(header) : '';
  const fromBody = typeof body.mediaType === 'string' ? bareMediaType(body.mediaType) : undefined;
  if (fromBody !== undefined && isSchema1MediaType(fromBody)) throw invalid('schema1 manifests are not supported');
  if (fromBody !== undefined && !MANIFEST_MEDIA_TYPES.includes(fromBody)) {
    throw invalid(`its mediaType field "${fromBody}" is not a manifest media type`);
  }
  if (MANIFEST_MEDIA_TYPES.includes(fromHeader)) {
    if (fromBody !== undefined && fromBody !== fromHeader) {
      throw invalid(`it was served as ${fromHeader} but says it is ${fromBody}`);
    }
    return fromHeader;
  }
  if (fromBody !== undefined) return fromBody;
  // OCI lets mediaType be omitted: infer from the shape.
  if (Array.isArray(body.manifests)) return OCI_INDEX;
  if (isObject(body.config) && Array.isArray(body.layers)) return OCI_MANIFEST;
  throw invalid(`no manifest media type (served as "${fromHeader || 'nothing'}", no mediaType field)`);
}

function descriptor(value: unknown, where: string): Descriptor {
  if (!isObject(value)) throw invalid(`${where} is missing or not an object`);
  const { digest, mediaType, size } = value;
  if (typeof digest !== 'string' || !/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(digest)) {
    throw invalid(`${where}.digest is missing or malformed`);
  }
  if (typeof mediaType !== 'string' || mediaType === '') throw invalid(`${where}.mediaType is missing`);
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw invalid(`${where}.size is missing or not a non-negative integer`);
  }
  return { digest, mediaType, size };
}

function indexEntry(value: unknown, where: string): IndexEntry {
  const entry: IndexEntry = descriptor(value, where);
  const raw = value as Json;
  if (raw.platform !== undefined) entry.platform = platformOf(raw.platform, `${where}.platform`);
  if (raw.annotations !== undefined) {
    if (!isObject(raw.annotations)) throw invalid(`${where}.annotations is not an object`);
    const annotations: Record<string, string> = {};
    for (const [key, v] of Object.entries(raw.annotations)) if (typeof v === 'string') annotations[key] = v;
    entry.annotations = annotations;
  }
  return entry;
}

function platformOf(value: unknown, where: string): IndexPlatform {
  if (!isObject(value)) throw invalid(`${where} is not an object`);
  const { os, architecture, variant } = value;
  if (typeof os !== 'string' || os === '') throw invalid(`${where}.os is missing`);
  if (typeof architecture !== 'string' || architecture === '') throw invalid(`${where}.architecture is missing`);
  const platform: IndexPlatform = { os, architecture };
  if (typeof variant === 'string' && variant !== '') platform.variant = variant;
  const osVersion = value['os.version'];
  if (typeof osVersion === 'string' && osVersion !== '') platform.osVersion = osVersion;
  return platform;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(what: string): TagkeeperError {
  return new TagkeeperError('manifest-invalid', `the registry sent an unusable manifest: ${what}`, {
    hint: 'check that the reference names a Docker v2 or OCI image and that the registry is not corrupting it',
  });
}
