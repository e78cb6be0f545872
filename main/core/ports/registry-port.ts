/**
 * What the core needs from an OCI distribution registry. The implementation lives in
 * main/registry/ (HTTP, auth, retries); the core only sees these types.
 */
import type { Readable } from 'node:stream';
import type { RegistrySource } from '../../api/types/updates';

/** A repository on a registry: `docker.io` + `library/ubuntu`. */
export interface RepositoryName {
  /** Registry host as written in references (`docker.io`, `127.0.0.1:5000`, `[::1]:5000`). */
  domain: string;
  /** Repository path on that registry (`library/ubuntu`). */
  path: string;
}

/** Who answered a manifest request: the registry itself, or one of the engine's mirrors for docker.io. */
export type ManifestSource = RegistrySource;

export interface ManifestDescriptor {
  /** `sha256:<hex>` of the manifest bytes. */
  digest: string;
  /** Content-Type as served (one of the four manifest media types). */
  mediaType: string;
  /** Size of the manifest in bytes. */
  size: number;
  /** Who answered (the registry client says; fakes may not). */
  source?: ManifestSource;
}

export interface FetchedManifest extends ManifestDescriptor {
  /** The exact bytes served; already verified to hash to `digest`. */
  bytes: Uint8Array;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface BlobOptions extends RequestOptions {
  /** The size the manifest gives: a body of another size fails (more: digest-mismatch, less: registry-error). */
  size?: number;
}

export interface FetchedBlob {
  /**
   * The blob's bytes as they arrive. The stream errors (at its end at the latest) with
   * TagkeeperError 'digest-mismatch' when they are not the blob asked for, 'registry-error'
   * when the body stops short, 'cancelled' when the signal aborts; only a stream that ends
   * cleanly delivered the blob. Destroy it to abandon the download.
   */
  stream: Readable;
  /** Content-Length as declared, else the size asked with, else -1. */
  size: number;
}

export interface RegistryPort {
  /**
   * Many requests are coming: what sending them needs (the HTTP client's code) is loaded on
   * the next turn of the event loop, while the caller waits for something else first.
   */
  prepare?(): void;
  /**
   * HEAD the manifest for a tag or digest. Falls back to GET (and hashes the body) when the
   * registry sends no Docker-Content-Digest header. When `reference` is a digest, the
   * returned digest is verified to equal it.
   */
  headManifest(repo: RepositoryName, reference: string, options?: RequestOptions): Promise<ManifestDescriptor>;
  /** GET the manifest; the body is verified against the requested digest or the digest header. */
  getManifest(repo: RepositoryName, reference: string, options?: RequestOptions): Promise<FetchedManifest>;
  /**
   * GET a blob (config or layer) by digest as a verified stream. Same auth, retries (of the
   * request, not mid-body), endpoint rules and offline guard as manifests; follows redirects
   * (registries may send blobs from other storage). A blob the registry lacks is registry-error.
   */
  getBlob(repo: RepositoryName, digest: string, options?: BlobOptions): Promise<FetchedBlob>;
}

/** A registry login saved on this device (Settings, `registries set`); the password never leaves the core. */
export interface RegistryCredentials {
  host: string;
  username: string;
  password: string;
}
