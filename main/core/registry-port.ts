/**
 * What the core needs from an OCI distribution registry. The implementation lives in
 * main/registry/ (HTTP, auth, retries); the core only sees these types.
 */

/** A repository on a registry: `docker.io` + `library/ubuntu`. */
export interface RepositoryName {
  /** Registry host as written in references (`docker.io`, `127.0.0.1:5000`, `[::1]:5000`). */
  domain: string;
  /** Repository path on that registry (`library/ubuntu`). */
  path: string;
}

export interface ManifestDescriptor {
  /** `sha256:<hex>` of the manifest bytes. */
  digest: string;
  /** Content-Type as served (one of the four manifest media types). */
  mediaType: string;
  /** Size of the manifest in bytes. */
  size: number;
}

export interface FetchedManifest extends ManifestDescriptor {
  /** The exact bytes served; already verified to hash to `digest`. */
  bytes: Uint8Array;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface RegistryPort {
  /**
   * HEAD the manifest for a tag or digest. Falls back to GET (and hashes the body) when the
   * registry sends no Docker-Content-Digest header. When `reference` is a digest, the
   * returned digest is verified to equal it.
   */
  headManifest(repo: RepositoryName, reference: string, options?: RequestOptions): Promise<ManifestDescriptor>;
  /** GET the manifest; the body is verified against the requested digest or the digest header. */
  getManifest(repo: RepositoryName, reference: string, options?: RequestOptions): Promise<FetchedManifest>;
}
