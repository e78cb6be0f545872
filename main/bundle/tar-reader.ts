/**
 * Reads a tar from a ByteSource one entry at a time, into buffers the caller owns: headers
 * and small reads go through one 64 KiB look-ahead buffer, large reads go straight from the
 * source into the caller's memory. Enforces the byte limit and turns a broken archive, a
 * short file or a failing source into errors that say so.
 */
import { TagkeeperError } from '../api/errors';
import { badBundle } from '../core/model/bundle';
import type { ByteSource } from './byte-source';
import { BLOCK, HeaderError, decodeHeader, paddingOf, type EntryHeader } from './ustar';

const LOOKAHEAD = 64 * 1024;

export interface TarReaderOptions {
  maxTotalBytes: number;
  signal?: AbortSignal;
  /** The error to throw once `signal` has aborted. */
  cancelled: () => TagkeeperError;
  /** Names what was being read, for a truncation message. */
  where: () => string;
}

export class TarReader {
  /** Bytes taken from the source so far. */
  bytes = 0;
  private readonly look = Buffer.allocUnsafe(LOOKAHEAD);
  private start = 0;
  private end = 0;
  /** Data bytes of the current entry not read yet, and the padding after them. */
  private left = 0;
  private pad = 0;
  private ended = false;

  constructor(
    private readonly source: ByteSource,
    private readonly options: TarReaderOptions,
  ) {}

  /** The next entry's header (its unread data is discarded), or null at the end of the archive. */
  async next(): Promise<EntryHeader | null> {
    if (this.ended) return null;
    await this.discard(this.left + this.pad);
    this.left = 0;
    this.pad = 0;
    if (!(await this.fill(BLOCK))) {
      if (this.end === this.start) {
        this.ended = true; // the data ends at an entry boundary (no end-of-archive blocks)
        return null;
      }
      throw this.truncated();
    }
    let header: EntryHeader | null;
    try {
      header = decodeHeader(this.look.subarray(this.start, this.start + BLOCK));
    } catch (error) {
      if (!(error instanceof HeaderError)) throw error;
      const at = this.bytes - (this.end - this.start);
      throw badBundle(`the file is not a valid bundle (not a readable tar archive: ${error.message} at byte ${at})`);
    }
    this.start += BLOCK;
    if (header === null) {
      this.ended = true;
      return null;
    }
    this.left = header.size;
    this.pad = paddingOf(header.size);
    return header;
  }

  /** Reads exactly `length` more bytes of the current entry into `into` at `offset`. */
  async read(into: Buffer, offset: number, length: number): Promise<void> {
    if (length > this.left) throw new RangeError(`read of ${length} bytes past the end of the entry (${this.left} left)`);
    this.left -= length;
    const buffered = Math.min(length, this.end - this.start);
    this.look.copy(into, offset, this.start, this.start + buffered);
    this.start += buffered;
    let at = offset + buffered;
    let rest = length - buffered;
    if (rest >= LOOKAHEAD) {
      while (rest > 0) {
        const count = await this.pull(into, at, rest);
        if (count === 0) throw this.truncated();
        at += count;
        rest -= count;
      }
    } else if (rest > 0) {
      if (!(await this.fill(rest))) throw this.truncated();
      this.look.copy(into, at, this.start, this.start + rest);
      this.start += rest;
    }
  }

  /** Reads past `count` bytes nobody wants (an entry not read to its end, its padding). */
  private async discard(count: number): Promise<void> {
    let rest = count;
    while (rest > 0) {
      if (this.end === this.start && !(await this.fill(Math.min(rest, LOOKAHEAD)))) throw this.truncated();
      const taken = Math.min(rest, this.end - this.start);
      this.start += taken;
      rest -= taken;
    }
  }

  /** Makes `count` (≤ LOOKAHEAD) bytes available in the look-ahead; false if the data ends first. */
  private async fill(count: number): Promise<boolean> {
    if (this.end - this.start >= count) return true;
    if (this.start > 0) {
      this.look.copy(this.look, 0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
    }
    while (this.end < count) {
      const read = await this.pull(this.look, this.end, LOOKAHEAD - this.end);
      if (read === 0) return false;
      this.end += read;
    }
    return true;
  }

  private async pull(into: Buffer, offset: number, length: number): Promise<number> {
    const { signal } = this.options;
    if (signal?.aborted) throw this.options.cancelled();
    let count: number;
    try {
      count = await this.source.read(into, offset, length);
    } catch (error) {
      if (signal?.aborted) throw this.options.cancelled();
      const message = error instanceof Error ? error.message : String(error);
      throw new TagkeeperError('internal', `could not read the bundle file: ${message}`, { hint: 'check the file and the medium it is on, then try again', cause: error });
    }
    if (signal?.aborted) throw this.options.cancelled();
    this.bytes += count;
    if (this.bytes > this.options.maxTotalBytes) throw badBundle(`the bundle file is larger than the limit of ${this.options.maxTotalBytes} bytes`);
    return count;
  }

  private truncated(): TagkeeperError {
    return badBundle(`bundle is truncated: the file ends inside ${this.options.where()}`);
  }
}
