/**
 * An import that loads while it verifies: the engine's load archives are sent while the bundle
 * is still being read, so the engine takes image n while image n+1 is hashed. The chosen images
 * go in up to four archives (lanes, see loadLanes) that the engine loads side by side once the
 * bundle checked out. What keeps "nothing reaches the engine before its bytes are verified":
 *   - a blob goes out only after it was read whole and matched its digest in the index, whose
 *     signature (when required) checked out before any blob was read;
 *   - each archive's manifest.json, the only thing that makes blobs an image to the engine, goes
 *     last: after the whole bundle verified (every blob, every image's chain) and the import's
 *     own checks passed (platform, delta layers);
 *   - any failure ends every upload short of its Content-Length, and the engine, which unpacks
 *     a whole archive before it loads anything, loads nothing.
 */
import { TagkeeperError, asTagkeeperError } from '../api/errors';
import type { BundleImage } from '../core/model/bundle';
import type { ImageArchive } from '../core/ports/engine-port';
import type { LoadWhileVerifying, VerifiedBundle } from '../core/ports/bundle-port';
import type { ByteSource } from './byte-source';
import { readBundle, type ReadOptions, type VerifiedFile } from './bundle-reader';
import { END_OF_ARCHIVE, blobEntry, loadLanes, manifestEntry, type ArchivePlan } from './load-archive';
import type { VerifiedBlobs } from './verified-blobs';

/** What the core sees of a verified file. */
export function verifiedView(file: VerifiedFile): VerifiedBundle {
  const { index, signedBy, unverifiedKey, images, bytes } = file;
  return { index, signedBy, unverifiedKey, images, bytes };
}

/**
 * Reads and verifies `source` (see readBundle) while `load.load` sends the images `load.choose`
 * picked to the engine; resolves once the engine has loaded them. On any failure (the bundle's,
 * the checks', the engine's) the engine has loaded nothing.
 */
export async function readWhileLoading(source: ByteSource, scratchDir: string, options: ReadOptions, load: LoadWhileVerifying): Promise<VerifiedBundle> {
  const stopped = new AbortController(); // a load ended before the reading did
  const signal = options.signal ? AbortSignal.any([options.signal, stopped.signal]) : stopped.signal;
  let chosen: BundleImage[] = [];
  let lanes: StreamedArchive[] = [];
  let loading: Promise<void> | null = null;
  let loadError: unknown = null;
  const failAll = (error: unknown): void => lanes.forEach((lane) => lane.fail(error));
  const routing = {
    async begin(index: VerifiedFile['index'], blobs: VerifiedBlobs): Promise<ReadonlySet<string>> {
      chosen = await load.choose(index);
      if (chosen.length === 0) return new Set<string>();
      const plans = loadLanes(index.blobs, chosen);
      // A blob several archives hold is released once the last of them has sent it.
      const holders = new Map<string, number>();
      for (const plan of plans) for (const file of plan.files) holders.set(file.digest, (holders.get(file.digest) ?? 0) + 1);
      const sent = async (digest: string): Promise<void> => {
        const left = holders.get(digest)! - 1;
        holders.set(digest, left);
        if (left === 0) await blobs.release(digest);
      };
      lanes = plans.map((plan) => new StreamedArchive(blobs, plan, sent));
      const loads = load.load(lanes.map((lane) => lane.archive)).map((one) =>
        one.catch((error: unknown) => {
          // The first failure stops the reading and cuts every other upload short.
          loadError ??= error;
          blobs.abandon();
          stopped.abort();
          failAll(error);
          throw error;
        }),
      );
      loading = Promise.allSettled(loads).then((results) => {
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
      });
      loading.catch(() => undefined);
      return new Set(holders.keys());
    },
    verified: (digest: string) => lanes.forEach((lane) => lane.verified(digest)),
  };
  try {
    const verified = verifiedView(await readBundle(source, scratchDir, { ...options, signal, routing }));
    if (lanes.length > 0) {
      const images = chosen.map((c) => verified.images.find((i) => i.manifestDigest === c.manifestDigest)!);
      await load.approve(verified, images);
      lanes.forEach((lane) => lane.finish());
      await loading;
    }
    return verified;
  } catch (error) {
    failAll(error);
    await (loading as Promise<void> | null)?.catch(() => undefined);
    if (loadError !== null && !options.signal?.aborted) throw loadError;
    throw error;
  }
}

/**
 * A load archive fed as blobs check out: each of its blobs is framed and sent in the order it
 * was verified, then handed to `sent` (which releases it once no other archive needs it);
 * manifest.json and the end marker follow `finish`.
 */
class StreamedArchive {
  readonly wanted: ReadonlySet<string>;
  readonly archive: ImageArchive;
  private readonly sizes: Map<string, number>;
  private readonly ready: string[] = [];
  private ended: { ok: true } | { error: TagkeeperError } | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly blobs: VerifiedBlobs,
    private readonly plan: ArchivePlan,
    private readonly sent: (digest: string) => Promise<void>,
  ) {
    this.sizes = new Map(plan.files.map((f) => [f.digest, f.size]));
    this.wanted = new Set(this.sizes.keys());
    this.archive = { bytes: plan.bytes, chunks: this.chunks() };
  }

  /** A blob checked out: this archive sends it if it holds it. */
  verified(digest: string): void {
    if (!this.wanted.has(digest)) return;
    this.ready.push(digest);
    this.poke();
  }

  /** Everything checked out: the manifest and the end of the archive may go. */
  finish(): void {
    if (this.ready.length !== this.wanted.size) {
      this.fail(new TagkeeperError('internal', `the load archive got ${this.ready.length} of its ${this.wanted.size} blobs`));
      return;
    }
    this.ended ??= { ok: true };
    this.poke();
  }

  /** The upload is cut short: the engine loads nothing. */
  fail(error: unknown): void {
    this.ended ??= { error: asTagkeeperError(error) };
    this.poke();
  }

  private poke(): void {
    this.wake?.();
    this.wake = null;
  }

  private async *chunks(): AsyncGenerator<Buffer> {
    for (let next = 0; ; ) {
      // A failure stops the upload at once, even between the blobs of a sound bundle.
      if (this.ended !== null && 'error' in this.ended) throw this.ended.error;
      if (next < this.ready.length) {
        const digest = this.ready[next++];
        yield* blobEntry(this.blobs, { digest, size: this.sizes.get(digest)! });
        await this.sent(digest);
        continue;
      }
      if (this.ended !== null) break;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    yield manifestEntry(this.plan.manifest);
    yield END_OF_ARCHIVE;
  }
}
