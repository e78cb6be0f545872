/**
 * Tar plumbing for writing bundles, on tar-stream: adding a file entry to a pack with
 * backpressure. (Reading is tar-reader.ts.) Nothing here knows the bundle's layout.
 */
import * as tarStream from 'tar-stream';

/**
 * Adds one regular-file entry to `pack` from `chunks` (exactly header.size bytes), with
 * backpressure; resolves once the entry is complete in the tar.
 */
export async function packFile(
  pack: tarStream.Pack,
  header: { name: string; size: number; mtime?: Date },
  chunks: Iterable<Buffer> | AsyncIterable<Buffer>,
): Promise<void> {
  let settle: { resolve: () => void; reject: (error: unknown) => void } = { resolve: () => undefined, reject: () => undefined };
  const done = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const entry = pack.entry({ type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: new Date(0), ...header }, (error) =>
    error ? settle.reject(error) : settle.resolve(),
  );
  entry.on('error', () => undefined); // reported through `done` and the pack
  try {
    for await (const chunk of chunks) {
      if (!entry.write(chunk)) await drained(entry);
    }
  } catch (error) {
    done.catch(() => undefined);
    entry.destroy(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
  entry.end(undefined);
  await done;
}

/** What `drained` needs of a stream: Node's and streamx's writables both fit. */
export interface DrainableStream {
  readonly destroyed: boolean;
  on(event: 'drain' | 'close' | 'error', listener: (error?: unknown) => void): unknown;
  off(event: 'drain' | 'close' | 'error', listener: (error?: unknown) => void): unknown;
}

/** Resolves on 'drain'; rejects when the stream closes or fails first. */
export function drained(stream: DrainableStream): Promise<void> {
  if (stream.destroyed) return Promise.reject(new Error('the stream was closed'));
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      stream.off('drain', onDrain);
      stream.off('close', onClose);
      stream.off('error', onError);
    };
    const onDrain = (): void => {
      cleanup();
      resolve();
    };
    const onClose = (): void => {
      cleanup();
      reject(new Error('the stream was closed'));
    };
    const onError = (error?: unknown): void => {
      cleanup();
      reject(error);
    };
    stream.on('drain', onDrain);
    stream.on('close', onClose);
    stream.on('error', onError);
  });
}
