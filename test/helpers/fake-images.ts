/**
 * The fake engine's images: what is on the box (by id, with the `repo:tag` and `repo@digest`
 * names Docker keeps for it, in Docker's short form) and what a pull of `repository@digest`
 * downloads. Found by id, by name or by digest, as the engine resolves a reference.
 */
import { createHash } from 'node:crypto';
import { TagkeeperError } from '../../main/api/errors';
import { parseReference } from '../../main/core/model/reference';
import type { LocalImage, PullMessage } from '../../main/core/ports/engine-port';

type Offered = Pick<LocalImage, 'id' | 'labels'>;

export class FakeImages {
  private readonly images = new Map<string, LocalImage>();
  /** By the canonical `repository@digest` a pull asks for. */
  private readonly downloads = new Map<string, Offered>();

  constructor(private readonly now: () => Date) {}

  offer(repositoryAtDigest: string, image: Pick<LocalImage, 'id'> & Partial<Pick<LocalImage, 'labels'>>): void {
    this.downloads.set(parseReference(repositoryAtDigest).canonical, { id: image.id, labels: image.labels ?? {} });
  }

  has(id: string): boolean {
    return this.images.has(id);
  }

  all(): LocalImage[] {
    return [...this.images.values()];
  }

  /** By id (`sha256:…` or the bare hex), `repo:tag` or `repo@digest`. */
  find(reference: string): LocalImage | undefined {
    const id = /^[0-9a-f]{64}$/.test(reference) ? `sha256:${reference}` : reference;
    if (this.images.has(id)) return this.images.get(id);
    if (id.startsWith('sha256:')) return undefined;
    const key = (ref: { repository: string; tag: string | null; digest: string | null }, byDigest: boolean) =>
      byDigest ? `${ref.repository}@${ref.digest}` : `${ref.repository}:${ref.tag}`;
    const ref = parseReference(reference);
    const byDigest = ref.digest !== null;
    const wanted = key(ref, byDigest);
    return this.all().find((image) => (byDigest ? image.repoDigests : image.repoTags).some((name) => key(parseReference(name), byDigest) === wanted));
  }

  /**
   * Pulls `reference` (`repository@digest`): the progress messages of one layer, then the
   * image offered for it is on the box with that digest among its names.
   */
  pull(reference: string, onMessage: (message: PullMessage) => void): void {
    const ref = parseReference(reference);
    const byDigest = ref.digest ? parseReference(`${ref.repository}@${ref.digest}`) : null;
    const offered = byDigest ? this.downloads.get(byDigest.canonical) : undefined;
    if (!byDigest || !offered) throw new TagkeeperError('pull-failed', `pull of ${reference} failed: manifest unknown`);
    const layer = offered.id.slice('sha256:'.length, 'sha256:'.length + 12);
    onMessage({ status: `Pulling from ${ref.path}` });
    onMessage({ id: layer, status: 'Pulling fs layer' });
    onMessage({ id: layer, status: 'Downloading', current: 512, total: 1024 });
    onMessage({ id: layer, status: 'Download complete' });
    onMessage({ id: layer, status: 'Pull complete' });
    const image = this.images.get(offered.id) ?? this.add(offered);
    if (!image.repoDigests.includes(byDigest.familiar)) image.repoDigests.push(byDigest.familiar);
  }

  /** Moves `repository:tag` to the image (from any other); returns the name. */
  tag(image: LocalImage, repository: string, tag: string): string {
    const name = parseReference(`${repository}:${tag}`).familiar;
    for (const other of this.images.values()) other.repoTags = other.repoTags.filter((t) => t !== name);
    image.repoTags.push(name);
    return name;
  }

  delete(id: string): void {
    this.images.delete(id);
  }

  private add(offered: Offered): LocalImage {
    const image: LocalImage = {
      id: offered.id, repoTags: [], repoDigests: [], size: 1024, created: this.now().toISOString(),
      platform: { os: 'linux', architecture: 'amd64' }, labels: { ...offered.labels },
      rootfsLayers: [`sha256:${createHash('sha256').update(`layer of ${offered.id}`).digest('hex')}`],
    };
    this.images.set(image.id, image);
    return image;
  }
}
