/**
 * An in-memory RegistryPort: image manifests by digest and tags that point at them (and can
 * be moved), each request counted. A pushed manifest names an image id as its config, so
 * content resolved here and pulled by the fake engine agree as on a real box.
 */
import { createHash } from 'node:crypto';
import { TagkeeperError } from '../../main/api/errors';
import { DOCKER_MANIFEST } from '../../main/core/model/manifest';
import { parseReference } from '../../main/core/model/reference';
import type { FetchedBlob, FetchedManifest, ManifestDescriptor, RegistryPort, RepositoryName } from '../../main/core/ports/registry-port';

export interface RegistryRequest {
  method: 'HEAD' | 'GET';
  /** `domain/path:tag` or `domain/path@digest`. */
  reference: string;
}

const sha256 = (bytes: Uint8Array | string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

export class FakeRegistry implements RegistryPort {
  readonly requests: RegistryRequest[] = [];
  /** false: every request fails as a registry out of reach. */
  reachable = true;
  private readonly manifests = new Map<string, Uint8Array>();
  private readonly tags = new Map<string, string>();

  /**
   * Pushes an image manifest whose config is `imageId` and points the reference's tag at it;
   * returns the manifest's digest.
   */
  push(reference: string, imageId: string): string {
    const ref = parseReference(reference);
    const layer = { mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 1024, digest: sha256(`layer of ${imageId}`) };
    const config = { mediaType: 'application/vnd.docker.container.image.v1+json', size: 512, digest: imageId };
    const bytes = new TextEncoder().encode(JSON.stringify({ schemaVersion: 2, mediaType: DOCKER_MANIFEST, config, layers: [layer] }));
    const digest = sha256(bytes);
    this.manifests.set(`${ref.repository}@${digest}`, bytes);
    if (ref.tag) this.tags.set(`${ref.repository}:${ref.tag}`, digest);
    return digest;
  }

  /** Points `reference`'s tag at a digest pushed before (or at nothing: null). */
  move(reference: string, digest: string | null): void {
    const ref = parseReference(reference);
    if (digest === null) this.tags.delete(`${ref.repository}:${ref.tag}`);
    else this.tags.set(`${ref.repository}:${ref.tag}`, digest);
  }

  async headManifest(repo: RepositoryName, reference: string): Promise<ManifestDescriptor> {
    const { digest, bytes } = this.lookup('HEAD', repo, reference);
    return { digest, mediaType: DOCKER_MANIFEST, size: bytes.length };
  }

  async getManifest(repo: RepositoryName, reference: string): Promise<FetchedManifest> {
    const { digest, bytes } = this.lookup('GET', repo, reference);
    return { digest, mediaType: DOCKER_MANIFEST, size: bytes.length, bytes: bytes.slice() };
  }

  async getBlob(repo: RepositoryName, digest: string): Promise<FetchedBlob> {
    throw new TagkeeperError('registry-error', `the fake registry serves no blobs (${repo.domain}/${repo.path}@${digest})`);
  }

  private lookup(method: RegistryRequest['method'], repo: RepositoryName, reference: string): { digest: string; bytes: Uint8Array } {
    const repository = `${repo.domain}/${repo.path}`;
    const written = reference.startsWith('sha256:') ? `${repository}@${reference}` : `${repository}:${reference}`;
    this.requests.push({ method, reference: written });
    if (!this.reachable) {
      throw new TagkeeperError('registry-unreachable', `registry ${repo.domain} not reachable (connect ECONNREFUSED)`, { hint: 'check the network' });
    }
    const digest = reference.startsWith('sha256:') ? reference : this.tags.get(written);
    const bytes = digest === undefined ? undefined : this.manifests.get(`${repository}@${digest}`);
    if (digest === undefined || bytes === undefined) {
      throw new TagkeeperError('manifest-unknown', `no manifest for ${written} (the registry answered 404)`, {
        hint: `check the tag or digest, and that the image was pushed to ${repo.domain}`,
      });
    }
    return { digest, bytes };
  }
}
