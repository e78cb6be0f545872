/**
 * An import that loads while it verifies: the engine's load archive is sent while the bundle is
 * still being read, so the engine takes image n while image n+1 is hashed. What keeps "nothing
 * reaches the engine before its bytes are verified":
 *   - a blob goes out only after it was read whole and matched its digest in the index, whose
 *     signature (when required) checked out before any blob was read;
 *   - the archive's manifest.json, the only thing that makes blobs an image to the engine, goes
 *     last: after the whole bundle verified (every blob, every image's chain) and the import's
 *     own checks passed (platform, delta layers);
 *   - any failure ends the upload short of its Content-Length, and the engine, which unpacks
 *     the whole archive before it loads anything, loads nothing.
 */
import { TagkeeperError, asTagkeeperError } from '../api/errors';
import type { BundleImage } from '../core/model/bundle';
import type { ImageArchive } from '../core/ports/engine-port';
import type { LoadWhileVerifying, VerifiedBundle } from '../core/ports/bundle-port';
import type { ByteSource } from './byte-source';
import { readBundle, type ReadOptions, type VerifiedFile } from './bundle-reader';
import { END_OF_ARCHIVE, archivePlan, blobEntry, manifestEntry, type ArchivePlan } from './load-archive';
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
  const stopped = new AbortController(); // the load ended before the reading did
  const signal = options.signal ? AbortSignal.any([options.signal, stopped.signal]) : stopped.signal;
  let chosen: BundleImage[] = [];
  let archive: StreamedArchive | null = null;
  let loading: Promise<unknown> | null = null;
  let loadError: unknown = null;
  const routing = {
    async begin(index: VerifiedFile['index'], blobs: VerifiedBlobs): Promise<ReadonlySet<string>> {
      chosen = await load.choose(index);
      if (chosen.length === 0) return new Set<string>();
      const streamed = new StreamedArchive(blobs, archivePlan(index.blobs, chosen));
      archive = streamed;
      loading = load.load(streamed.archive).catch((error: unknown) => {
        loadError = error;
        blobs.abandon();
        stopped.abort();
        throw error;
      });
      loading.catch(() => undefined);
      return streamed.wanted;
    },
    verified: (digest: string) => archive?.verified(digest),
  };
  try {
    const verified = verifiedView(await readBundle(source, scratchDir, { ...options, signal, routing }));
    if (archive !== null) {
      const images = chosen.map((c) => verified.images.find((i) => i.manifestDigest === c.manifestDigest)!);
      await load.approve(verified, images);
      (archive as StreamedArchive).finish();
      await loading;
    }
    return verified;
  } catch (error) {
    (archive as StreamedArchive | null)?.fail(error);
    await (loading as Promise<unknown> | null)?.catch(() => undefined);
    if (loadError !== null && !options.signal?.aborted) throw loadError;
    throw error;
  }
}

/**
 * A load archive fed as blobs check out: each wanted blob is framed and sent in the order it
 * was verified and released once sent; manifest.json and the end marker follow `finish`.
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
  ) {
    this.sizes = new Map(plan.files.map((f) => [f.digest, f.size]));
    this.wanted = new Set(this.sizes.keys());
    this.archive = { bytes: plan.bytes, chunks: this.chunks() };
  }

  verified(digest: string): void {
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
    for (let sent = 0; ; ) {
      // A failure stops the upload at once, even between the blobs of a sound bundle.
      if (this.ended !== null && 'error' in this.ended) throw this.ended.error;
      if (sent < this.ready.length) {
        const digest = this.ready[sent++];
        yield* blobEntry(this.blobs, { digest, size: this.sizes.get(digest)! });
        await this.blobs.release(digest);
        continue;
      }
      if (this.ended !== null) break;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    yield manifestEntry(this.plan.manifest);
    yield END_OF_ARCHIVE;
  }
}
