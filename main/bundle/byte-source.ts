/**
 * Where a bundle's bytes come from, read into buffers the caller owns. The import reads a
 * bundle through a few buffers it allocates once (and straight into the blobs' own memory),
 * instead of a stream that hands out a fresh buffer per read: ~100 MB of short-lived buffers
 * per 100 MB of bundle made V8 run a full collection every few tens of megabytes, which
 * doubled the import time in a busy process.
 */
import { open } from 'node:fs/promises';

export interface ByteSource {
  /** Reads up to `length` bytes into `into` at `offset`; resolves 0 at the end of the data. */
  read(into: Buffer, offset: number, length: number): Promise<number>;
  /** Releases the source; a read still pending ends (with an error for a stream). Idempotent. */
  close(): Promise<void>;
}

/** A file, read from its start. */
export async function fileSource(path: string): Promise<ByteSource> {
  const handle = await open(path, 'r');
  let position = 0;
  let closing: Promise<void> | undefined;
  return {
    async read(into, offset, length) {
      const { bytesRead } = await handle.read(into, offset, length, position);
      position += bytesRead;
      return bytesRead;
    },
    close() {
      closing ??= handle.close();
      return closing;
    },
  };
}
