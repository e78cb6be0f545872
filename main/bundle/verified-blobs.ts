/**
 * The blobs of one bundle being verified: each is held in memory while a budget lasts
 * (read straight into a buffer of its own size: nothing to write, nothing to read back)
 * and goes to a scratch file (mode 0600) after that, written while its next piece is read.
 * The import then hands them to the engine from where they are. No buffer is allocated
 * per piece: the import moves the whole bundle twice, and per-piece garbage showed up as
 * garbage-collection time comparable to the verification itself.
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

export class VerifiedBlobs {
  private readonly held = new Map<string, Buffer>();
  private readonly files = new Map<string, string>();
  private readonly blobDir: string;
  private memoryLeft: number;
  private buffers: [Buffer, Buffer] | undefined;
  private createdDir: string | undefined;
  private dirReady = false;

  constructor(
    private readonly dir: string,
    memoryBytes: number,
  ) {
    this.blobDir = join(dir, 'blobs', 'sha256');
    this.memoryLeft = memoryBytes;
  }

  /**
   * Takes a blob of `size` bytes from `read`, giving every piece to `check` (hash, progress)
   * as it arrives. Keeps it in memory if it fits what is left of the budget, else in a file.
   */
  async receive(digest: string, size: number, read: ReadInto, check: (piece: Buffer) => void): Promise<void> {
    if (size <= this.memoryLeft) {
      this.memoryLeft -= size;
      const bytes = Buffer.allocUnsafe(size);
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
      this.held.set(digest, bytes);
      return;
    }
    await this.receiveFile(digest, size, read, check);
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
    const [buffer] = this.scratchBuffers();
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
