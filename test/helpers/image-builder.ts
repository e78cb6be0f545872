/**
 * Builds small runnable images WITHOUT a container engine and pushes them through the
 * registry API (monolithic blob upload, HEAD to skip existing blobs, PUT manifest).
 *
 * An image has two gzip'd tar layers: a base layer with the static /bin/busybox and its
 * applet symlinks (built once per process, so every image shares that blob), and a top layer
 * with /etc/tagkeeper-marker (plus extra files and random filler). Tar headers are
 * deterministic (mtime 0, uid/gid 0), so equal options give equal digests, except `filler`,
 * which is random on purpose.
 *
 * Registries with auth: put the credentials in the URL (`http://user:pass@127.0.0.1:5000`);
 * Basic and Bearer (token server) challenges are answered with them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { findChallenge, parseWwwAuthenticate } from '../../main/registry/www-authenticate';

export interface BuiltLayer {
  digest: string;
  diffId: string;
  size: number;
  bytes: Buffer;
}

export interface BuiltImage {
  manifest: Buffer;
  manifestDigest: string;
  mediaType: string;
  config: Buffer;
  configDigest: string;
  layers: BuiltLayer[];
  platform: { os: string; architecture: string; variant?: string };
}

export interface BuildImageOptions {
  /** Written to /etc/tagkeeper-marker; different markers give different images. */
  marker: string;
  architecture?: string;
  os?: string;
  variant?: string;
  cmd?: string[];
  env?: string[];
  labels?: Record<string, string>;
  /** OCI media types instead of Docker v2 schema2. */
  oci?: boolean;
  /** Extra files of the top layer: absolute path → content. */
  files?: Record<string, string>;
  /** Extra random bytes in the top layer (`/tagkeeper-filler`), to make big images. */
  filler?: number;
  /** The image's health check (config.Healthcheck); durations in seconds. */
  healthcheck?: ImageHealthcheck;
  /** More keys of the image config's `config`, as the engine names them: User, WorkingDir, Entrypoint, ExposedPorts, StopSignal … */
  config?: Record<string, unknown>;
}

export interface ImageHealthcheck {
  /** `['CMD-SHELL', 'test -f /tmp/ok']` or `['CMD', ...]`. */
  test: string[];
  intervalSeconds?: number;
  timeoutSeconds?: number;
  retries?: number;
  startPeriodSeconds?: number;
}

const NANOS_PER_SECOND = 1_000_000_000;

/** The engine's config.Healthcheck (durations in nanoseconds). */
function healthcheckConfig(h: ImageHealthcheck): Record<string, unknown> {
  const out: Record<string, unknown> = { Test: h.test };
  if (h.intervalSeconds !== undefined) out.Interval = Math.round(h.intervalSeconds * NANOS_PER_SECOND);
  if (h.timeoutSeconds !== undefined) out.Timeout = Math.round(h.timeoutSeconds * NANOS_PER_SECOND);
  if (h.retries !== undefined) out.Retries = h.retries;
  if (h.startPeriodSeconds !== undefined) out.StartPeriod = Math.round(h.startPeriodSeconds * NANOS_PER_SECOND);
  return out;
}

export const DEFAULT_CMD = ['/bin/sh', '-c', "trap 'exit 0' TERM; while true; do sleep 1; done"];
const APPLETS = ['sh', 'sleep', 'cat', 'echo', 'ls', 'mkdir', 'touch', 'test', 'true', 'false', 'date', 'wget'];
const PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** Media types of Docker v2 schema2 and OCI images. */
export const MEDIA = {
  docker: {
    manifest: 'application/vnd.docker.distribution.manifest.v2+json',
    index: 'application/vnd.docker.distribution.manifest.list.v2+json',
    config: 'application/vnd.docker.container.image.v1+json',
    layer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  },
  oci: {
    manifest: 'application/vnd.oci.image.manifest.v1+json',
    index: 'application/vnd.oci.image.index.v1+json',
    config: 'application/vnd.oci.image.config.v1+json',
    layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  },
};

export function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

// ---- tar -------------------------------------------------------------------------------

type TarEntry =
  | { type: 'dir'; path: string }
  | { type: 'file'; path: string; data: Buffer; mode?: number }
  | { type: 'symlink'; path: string; target: string };

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function tarHeader(name: string, typeflag: string, size: number, mode: number, linkname = ''): Buffer {
  if (Buffer.byteLength(name) > 100 || Buffer.byteLength(linkname) > 100) throw new Error(`tar path too long: ${name}`);
  const h = Buffer.alloc(512, 0);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(mode, 8), 100, 8, 'ascii');
  h.write(octal(0, 8), 108, 8, 'ascii'); // uid
  h.write(octal(0, 8), 116, 8, 'ascii'); // gid
  h.write(octal(size, 12), 124, 12, 'ascii');
  h.write(octal(0, 12), 136, 12, 'ascii'); // mtime
  h.fill(' ', 148, 156); // checksum placeholder
  h.write(typeflag, 156, 1, 'ascii');
  h.write(linkname, 157, 100, 'utf8');
  h.write('ustar\0', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  h.write('root', 265, 32, 'ascii');
  h.write('root', 297, 32, 'ascii');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return h;
}

/** A deterministic ustar archive. */
export function tarArchive(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    if (e.type === 'dir') parts.push(tarHeader(e.path.endsWith('/') ? e.path : `${e.path}/`, '5', 0, 0o755));
    else if (e.type === 'symlink') parts.push(tarHeader(e.path, '2', 0, 0o777, e.target));
    else {
      parts.push(tarHeader(e.path, '0', e.data.length, e.mode ?? 0o644), e.data);
      const pad = (512 - (e.data.length % 512)) % 512;
      if (pad) parts.push(Buffer.alloc(pad, 0));
    }
  }
  parts.push(Buffer.alloc(1024, 0));
  return Buffer.concat(parts);
}

function layerOf(tar: Buffer): BuiltLayer {
  const bytes = gzipSync(tar);
  return { digest: sha256(bytes), diffId: sha256(tar), size: bytes.length, bytes };
}

let baseLayer: BuiltLayer | undefined;

/** The busybox layer, built once per process (same bytes, same digest, every time). */
export function busyboxLayer(): BuiltLayer {
  if (!baseLayer) {
    const entries: TarEntry[] = [
      { type: 'dir', path: 'bin' },
      { type: 'file', path: 'bin/busybox', data: readFileSync('/bin/busybox'), mode: 0o755 },
      ...APPLETS.map((name): TarEntry => ({ type: 'symlink', path: `bin/${name}`, target: 'busybox' })),
      { type: 'dir', path: 'tmp' },
    ];
    baseLayer = layerOf(tarArchive(entries));
  }
  return baseLayer;
}

function topLayer(options: BuildImageOptions): BuiltLayer {
  const entries: TarEntry[] = [
    { type: 'dir', path: 'etc' },
    { type: 'file', path: 'etc/tagkeeper-marker', data: Buffer.from(options.marker) },
  ];
  const dirs = new Set<string>(['etc']);
  for (const [path, content] of Object.entries(options.files ?? {})) {
    const rel = path.replace(/^\/+/, '');
    const segments = rel.split('/');
    for (let i = 1; i < segments.length; i++) {
      const dir = segments.slice(0, i).join('/');
      if (!dirs.has(dir)) entries.push({ type: 'dir', path: dir });
      dirs.add(dir);
    }
    entries.push({ type: 'file', path: rel, data: Buffer.from(content) });
  }
  if (options.filler && options.filler > 0) entries.push({ type: 'file', path: 'tagkeeper-filler', data: randomBytes(options.filler) });
  return layerOf(tarArchive(entries));
}

// ---- image -----------------------------------------------------------------------------

/** Build an image in memory (no engine, no registry). */
export async function buildImage(options: BuildImageOptions): Promise<BuiltImage> {
  const media = options.oci ? MEDIA.oci : MEDIA.docker;
  const platform = { os: options.os ?? 'linux', architecture: options.architecture ?? 'amd64', ...(options.variant ? { variant: options.variant } : {}) };
  const layers = [busyboxLayer(), topLayer(options)];
  const config = Buffer.from(
    JSON.stringify({
      architecture: platform.architecture,
      os: platform.os,
      ...(platform.variant ? { variant: platform.variant } : {}),
      created: '1970-01-01T00:00:00Z',
      config: {
        Env: options.env ? [PATH_ENV, ...options.env] : [PATH_ENV],
        Cmd: options.cmd ?? DEFAULT_CMD,
        ...(options.labels ? { Labels: options.labels } : {}),
        ...(options.healthcheck ? { Healthcheck: healthcheckConfig(options.healthcheck) } : {}),
        ...options.config,
      },
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
      history: [
        { created: '1970-01-01T00:00:00Z', created_by: 'tagkeeper test image: busybox' },
        { created: '1970-01-01T00:00:00Z', created_by: `tagkeeper test image: marker ${options.marker}` },
      ],
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: media.manifest,
      config: { mediaType: media.config, size: config.length, digest: sha256(config) },
      layers: layers.map((l) => ({ mediaType: media.layer, size: l.size, digest: l.digest })),
    }),
  );
  return { manifest, manifestDigest: sha256(manifest), mediaType: media.manifest, config, configDigest: sha256(config), layers, platform };
}

/** The bytes of a manifest list / OCI index over `images`. */
export function indexOf(images: BuiltImage[], options: { oci?: boolean } = {}): { bytes: Buffer; digest: string; mediaType: string } {
  const mediaType = options.oci ? MEDIA.oci.index : MEDIA.docker.index;
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType,
      manifests: images.map((img) => ({ mediaType: img.mediaType, size: img.manifest.length, digest: img.manifestDigest, platform: img.platform })),
    }),
  );
  return { bytes, digest: sha256(bytes), mediaType };
}

// ---- push ------------------------------------------------------------------------------

/** Push blobs (skipping those present) and the manifest; tag null pushes by digest only. */
export async function pushImage(registryUrl: string, repository: string, tag: string | null, image: BuiltImage): Promise<string> {
  const session = new PushSession(registryUrl, repository);
  await session.pushBlob(image.config);
  for (const layer of image.layers) await session.pushBlob(layer.bytes, layer.digest);
  return session.putManifest(tag ?? image.manifestDigest, image.manifest, image.mediaType, image.manifestDigest);
}

/**
 * Build an image with `marker` (and options) and push it as repo:tag to `registry`, with the
 * registry's credentials when it has some; moving a tag = calling this again.
 */
export async function publishTo(registry: { pushUrl: string }, repository: string, tag: string, marker: string, options: Omit<BuildImageOptions, 'marker'> = {}): Promise<BuiltImage> {
  const image = await buildImage({ marker, ...options });
  await pushImage(registry.pushUrl, repository, tag, image);
  return image;
}

/** Push each image by digest, then an index over them under `tag`. */
export async function pushIndex(registryUrl: string, repository: string, tag: string, images: BuiltImage[], options: { oci?: boolean } = {}): Promise<string> {
  for (const image of images) await pushImage(registryUrl, repository, null, image);
  const index = indexOf(images, options);
  return new PushSession(registryUrl, repository).putManifest(tag, index.bytes, index.mediaType, index.digest);
}

/** Minimal authenticated client for pushing (test-only; the product never pushes). */
class PushSession {
  private readonly origin: string;
  private readonly basic?: string;
  private authorization?: string;

  constructor(registryUrl: string, private readonly repository: string) {
    const url = new URL(registryUrl);
    this.origin = url.origin;
    if (url.username) {
      const creds = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
      this.basic = `Basic ${Buffer.from(creds).toString('base64')}`;
    }
  }

  async pushBlob(bytes: Buffer, digest = sha256(bytes)): Promise<void> {
    const head = await this.fetch('HEAD', `/v2/${this.repository}/blobs/${digest}`);
    if (head.status === 200) return;
    const start = await this.fetch('POST', `/v2/${this.repository}/blobs/uploads/`);
    if (start.status !== 202) throw new Error(`blob upload start for ${this.repository} answered ${start.status}: ${await start.text()}`);
    const location = new URL(start.headers.get('location') ?? '', this.origin);
    location.searchParams.set('digest', digest);
    const put = await this.fetch('PUT', `${location.pathname}${location.search}`, bytes, { 'content-type': 'application/octet-stream' });
    if (put.status !== 201) throw new Error(`blob upload of ${digest} to ${this.repository} answered ${put.status}: ${await put.text()}`);
  }

  async putManifest(reference: string, bytes: Buffer, mediaType: string, expected: string): Promise<string> {
    const res = await this.fetch('PUT', `/v2/${this.repository}/manifests/${reference}`, bytes, { 'content-type': mediaType });
    if (res.status !== 201) throw new Error(`manifest PUT ${this.repository}:${reference} answered ${res.status}: ${await res.text()}`);
    const digest = res.headers.get('docker-content-digest');
    if (digest && digest !== expected) throw new Error(`registry says the manifest is ${digest}, expected ${expected}`);
    return expected;
  }

  private async fetch(method: string, path: string, body?: Buffer, headers: Record<string, string> = {}): Promise<Response> {
    for (let tries = 0; ; tries++) {
      const res = await fetch(`${this.origin}${path}`, {
        method,
        body: body ? new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength) : undefined,
        headers: { ...headers, ...(this.authorization ? { authorization: this.authorization } : {}) },
      });
      if (res.status !== 401 || tries > 0) return res;
      await res.arrayBuffer();
      this.authorization = await this.authenticate(res.headers.get('www-authenticate'));
    }
  }

  private async authenticate(header: string | null): Promise<string | undefined> {
    const challenges = parseWwwAuthenticate(header ?? undefined);
    const bearer = findChallenge(challenges, 'bearer');
    if (!bearer) return this.basic;
    const url = new URL(bearer.params.realm);
    if (bearer.params.service) url.searchParams.set('service', bearer.params.service);
    url.searchParams.set('scope', `repository:${this.repository}:pull,push`);
    const res = await fetch(url, { headers: this.basic ? { authorization: this.basic } : {} });
    if (res.status !== 200) throw new Error(`token server answered ${res.status} for a push to ${this.repository}`);
    const body = (await res.json()) as { token?: string; access_token?: string };
    return `Bearer ${body.token ?? body.access_token}`;
  }
}
