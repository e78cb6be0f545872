/**
 * The blobs of one bundle being verified: each is held in memory while a budget lasts
 * (read straight into a buffer of its own size: nothing to write, nothing to read back)
 * and goes to a scratch file (mode 0600) after that, written while its next piece is read.
 * The import then hands them to the engine from where they are. No buffer is allocated
 * per piece: the import moves the whole bundle twice, and per-piece garbage showed up as
 * garbage-collection time comparable to the verification itself.
 *
 * While an import streams to the engine, a blob it sends is released once sent (its memory
 * goes back to the budget, its scratch file is removed), and one it does not need is only
 * hashed ('drop'). A blob to send that fits the budget but not what is left of it waits for
 * blobs being sent to free theirs, so memory stays within the budget whatever the bundle's size.
 */
import { mkdir, open, readFile, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { TagkeeperError } from '../api/errors';

/** Memory blobs are read (and hashed, and reported) in pieces of this size. */
const PIECE_BYTES = 4 * 1024 * 1024;
/** Scratch-file blobs go through two buffers of this size (one read while the other is written). */
const FILE_BUFFER_BYTES = 1024 * 1024;

/** Fills `length` bytes of `into` from `offset` with the blob's next bytes. */
export type ReadInto = (into: Buffer, offset: number, length: number) => Promise<void>;

/**
 * What becomes of a blob: 'hold' keeps it until removeAll (manifests, configs), 'send' keeps it
 * until `release` (a layer on its way to the engine), 'drop' only hashes it (a layer not loaded).
 */
export type BlobMode = 'hold' | 'send' | 'drop';

export class VerifiedBlobs {
  private readonly held = new Map<string, Buffer>();
  private readonly files = new Map<string, string>();
  private readonly blobDir: string;
  private memoryLeft: number;
  /** Blobs received to send and not released yet: their release frees memory a waiting blob needs. */
  private sending = 0;
  private readonly toSend = new Set<string>();
  private wake: (() => void) | null = null;
  private abandoned = false;
  private buffers: [Buffer, Buffer] | undefined;
  private createdDir: string | undefined;
  private dirReady = false;

  constructor(
    private readonly dir: string,
    private readonly memoryBytes: number,
  ) {
    this.blobDir = join(dir, 'blobs', 'sha256');
    this.memoryLeft = memoryBytes;
  }

  /**
   * Takes a blob of `size` bytes from `read`, giving every piece to `check` (hash, progress)
   * as it arrives. Keeps it in memory if it fits what is left of the budget, else in a file;
   * `mode` says how long it is kept (see BlobMode).
   */
  async receive(digest: string, size: number, read: ReadInto, check: (piece: Buffer) => void, mode: BlobMode = 'hold'): Promise<void> {
    if (mode === 'drop') return this.receiveDropped(size, read, check);
    if (await this.reserve(size)) {
      this.memoryLeft -= size;
      const bytes = Buffer.allocUnsafe(size);
      this.held.set(digest, bytes); // given back by release or removeAll, also when the read fails
      // The next piece is read while this one is checked (they are different parts of `bytes`).
      let reading = size > 0 ? read(bytes, 0, Math.min(PIECE_BYTES, size)) : Promise.resolve();
      for (let done = 0; done < size; ) {
        await reading;
        const end = Math.min(size, done + PIECE_BYTES);
        if (end < size) reading = read(bytes, end, Math.min(PIECE_BYTES, size - end));
        reading.catch(() => undefined); // a failure surfaces at the next await
        check(bytes.subarray(done, end));
        done = end;
      }
      await reading;
    } else {
      await this.receiveFile(digest, size, read, check);
    }
    if (mode === 'send') {
      this.toSend.add(digest);
      this.sending += 1;
    }
  }

  /**
   * Whether `size` bytes may go to memory: at once if they fit what is left; if they fit the
   * budget but not what is left while blobs are being sent, once those have freed enough.
   */
  private async reserve(size: number): Promise<boolean> {
    while (size > this.memoryLeft && size <= this.memoryBytes && this.sending > 0 && !this.abandoned) {
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    return size <= this.memoryLeft;
  }

  /** A blob received to send was sent: its memory goes back to the budget, its scratch file is removed. */
  async release(digest: string): Promise<void> {
    if (!this.toSend.delete(digest)) return; // kept until removeAll (a config the checks read)
    const held = this.held.get(digest);
    const path = this.files.get(digest);
    this.held.delete(digest);
    this.files.delete(digest);
    if (held !== undefined) this.memoryLeft += held.length;
    this.sending -= 1;
    this.wake?.();
    this.wake = null;
    if (path !== undefined) await rm(path, { force: true });
  }

  /** Nothing will be sent any more (the load ended early): a blob waiting for memory stops waiting. */
  abandon(): void {
    this.abandoned = true;
    this.wake?.();
    this.wake = null;
  }

  /** Hashes a blob nobody needs, through one reused buffer. */
  private async receiveDropped(size: number, read: ReadInto, check: (piece: Buffer) => void): Promise<void> {
    const [buffer] = this.scratchBuffers();
    for (let done = 0; done < size; ) {
      const length = Math.min(buffer.length, size - done);
      await read(buffer, 0, length);
      check(buffer.subarray(0, length));
      done += length;
    }
  }

  /** In memory or in the scratch folder: which blobs went where (for tests and reports). */
  where(digest: string): 'memory' | 'file' | null {
    if (this.held.has(digest)) return 'memory';
    return this.files.has(digest) ? 'file' : null;
  }

  /** The path of a blob kept in a scratch file, else null. */
  filePath(digest: string): string | null {
    return this.files.get(digest) ?? null;
  }

  /** A whole blob (manifests, configs). */
  async bytes(digest: string): Promise<Buffer> {
    const held = this.held.get(digest);
    if (held) return held;
    return readFile(this.pathOf(digest));
  }

  /**
   * The bytes of a blob of `size` bytes, in order. A chunk may be overwritten once the next
   * one is asked for: use each before asking for more.
   */
  async *chunks(digest: string, size: number): AsyncGenerator<Buffer> {
    const held = this.held.get(digest);
    if (held) {
      for (let done = 0; done < held.length; done += PIECE_BYTES) yield held.subarray(done, Math.min(held.length, done + PIECE_BYTES));
      return;
    }
    // A buffer of its own: an import sends blobs (to several archives at once) while it receives the next.
    const buffer = Buffer.allocUnsafe(FILE_BUFFER_BYTES);
    const file = await open(this.pathOf(digest), 'r');
    try {
      let done = 0;
      for (;;) {
        const { bytesRead } = await file.read(buffer, 0, buffer.length, done);
        if (bytesRead === 0) break;
        done += bytesRead;
        if (done > size) break;
        yield buffer.subarray(0, bytesRead);
      }
      if (done !== size) {
        throw new TagkeeperError('internal', `the verified blob ${digest} changed in the scratch folder (${done} bytes or more, expected ${size})`, {
          hint: 'something else writes to the Tagkeeper data folder; import again',
        });
      }
    } finally {
      await file.close();
    }
  }

  /** Drops every blob and removes every file and folder this store created. */
  async removeAll(): Promise<void> {
    this.abandon();
    this.held.clear();
    for (const path of this.files.values()) await rm(path, { force: true });
    this.files.clear();
    if (this.createdDir !== undefined) await rm(this.createdDir, { recursive: true, force: true });
  }

  private async receiveFile(digest: string, size: number, read: ReadInto, check: (piece: Buffer) => void): Promise<void> {
    if (!this.dirReady) {
      await mkdir(this.dir, { recursive: true });
      this.createdDir = await mkdir(this.blobDir, { recursive: true, mode: 0o700 });
      this.dirReady = true;
    }
    const path = join(this.blobDir, digest.slice('sha256:'.length));
    const file = await open(path, 'wx', 0o600);
    this.files.set(digest, path);
    const buffers = this.scratchBuffers();
    const length = (done: number): number => Math.min(FILE_BUFFER_BYTES, size - done);
    // Three things at once: buffer i is checked and written while the other one is read.
    let reading = size > 0 ? read(buffers[0], 0, length(0)) : Promise.resolve();
    let writing: Promise<void> = Promise.resolve();
    try {
      for (let done = 0, i = 0; done < size; i ^= 1) {
        await reading;
        const piece = buffers[i].subarray(0, length(done));
        done += piece.length;
        await writing; // the other buffer's write: only then may it be read into again
        if (done < size) reading = read(buffers[i ^ 1], 0, length(done));
        reading.catch(() => undefined); // a failure surfaces at the next await
        check(piece);
        writing = writeAll(file, piece);
        writing.catch(() => undefined);
      }
      await reading;
      await writing;
    } finally {
      await reading.catch(() => undefined);
      await writing.catch(() => undefined);
      await file.close();
    }
  }

  private pathOf(digest: string): string {
    const path = this.files.get(digest);
    if (path === undefined) throw new TagkeeperError('internal', `blob ${digest} is not in the verified bundle`);
    return path;
  }

  private scratchBuffers(): [Buffer, Buffer] {
    this.buffers ??= [Buffer.allocUnsafe(FILE_BUFFER_BYTES), Buffer.allocUnsafe(FILE_BUFFER_BYTES)];
    return this.buffers;
  }
}

async function writeAll(file: FileHandle, bytes: Buffer): Promise<void> {
  for (let done = 0; done < bytes.length; ) {
    const { bytesWritten } = await file.write(bytes, done, bytes.length - done);
    done += bytesWritten;
  }
}
