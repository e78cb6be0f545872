/**
 * Load a `docker save`-format tar into the engine (POST /images/load) over node:http: the
 * archive goes out chunk by chunk under a Content-Length, each chunk taken by the kernel
 * before the next is asked for (its producer may reuse the memory). The engine answers 200
 * and then streams JSON lines; a failure can arrive as an HTTP error (also one sent before
 * the whole archive was taken) or as an `error`/`errorDetail` line inside that 200 stream,
 * and each becomes `engine-error` with the engine's words.
 */
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { ImageArchive, LoadImageOptions } from '../core/ports/engine-port';
import { TagkeeperError } from '../api/errors';
import { connectionFailure, engineMessage, isAbort, unreachable } from './engine-errors';
import type { EngineConnection } from './engine-connection';
import { readProgressStream } from './progress-stream';
import { mapPullMessage } from './pull-image';

interface RawLoadMessage {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number } | null;
  /** `Loaded image: repo:tag\n` or `Loaded image ID: sha256:…\n`. */
  stream?: string;
  error?: string;
  errorDetail?: { message?: string } | null;
}

const LOADED = /^Loaded image(?: ID)?: (\S+)\s*$/;

/** What a `stream` line says was loaded (a `repo:tag` or an image id), else null. */
export function loadedName(line: string): string | null {
  return LOADED.exec(line.trim())?.[1] ?? null;
}

export async function loadImage(
  connection: EngineConnection,
  endpoint: string,
  archive: ImageArchive,
  { signal, onMessage }: LoadImageOptions = {},
): Promise<{ loaded: string[] }> {
  const cancelled = (cause?: unknown): TagkeeperError => new TagkeeperError('cancelled', 'image load cancelled', { cause });
  const failed = (reason: string, cause?: unknown): TagkeeperError =>
    new TagkeeperError('engine-error', `image load into the Docker Engine at ${endpoint} failed: ${reason}`, {
      hint: 'the archive is damaged or does not match its manifest.json: make it again (images listed before the failing one may already be loaded)',
      cause,
    });
  if (signal?.aborted) throw cancelled();

  const req = connection.request({
    method: 'POST',
    // Progress lines cost the engine time; ask for them only when someone listens.
    path: `/images/load?quiet=${onMessage === undefined ? 1 : 0}`,
    headers: { host: 'docker', 'content-type': 'application/x-tar', 'content-length': archive.bytes },
    fresh: true,
    signal,
  });
  let answer: IncomingMessage | null = null;
  const answered = new Promise<IncomingMessage>((resolve, reject) => {
    req.once('response', (res: IncomingMessage) => {
      answer = res;
      resolve(res);
    });
    req.once('error', reject);
  });
  answered.catch(() => undefined);

  let res: IncomingMessage;
  try {
    await send(req, archive, () => answer !== null);
  } catch (error) {
    if (error instanceof TagkeeperError) {
      req.destroy(); // the archive could not be produced: the engine must not load a part of it
      throw error;
    }
    // A write failed: the engine may have answered (and closed) before taking everything.
  }
  try {
    res = await answered;
  } catch (error) {
    if (signal?.aborted || isAbort(error)) throw cancelled(error);
    if (error instanceof TagkeeperError) throw error; // the connection's own (ssh's reason)
    const failure = connectionFailure(error);
    if (failure) throw unreachable(endpoint, failure, error);
    throw failed(error instanceof Error ? error.message : String(error), error);
  }

  try {
    if (res.statusCode !== 200) throw failed(engineMessage({ json: await jsonBody(res) }));
    const loaded: string[] = [];
    await readProgressStream<RawLoadMessage>(res, {
      endpoint,
      signal,
      cancelled,
      failed,
      onLine: (raw) => {
        const name = typeof raw.stream === 'string' ? loadedName(raw.stream) : null;
        if (name) loaded.push(name);
        else if (raw.status !== undefined) onMessage?.(mapPullMessage(raw));
      },
    });
    return { loaded };
  } finally {
    req.destroy();
  }
}

/**
 * Writes the archive; stops early (without ending the request) once the engine has answered.
 * Waiting for the next chunk or for a write ends as soon as the connection closes or fails.
 */
async function send(req: ClientRequest, archive: ImageArchive, answered: () => boolean): Promise<void> {
  let onClose: () => void = () => undefined;
  const closed = new Promise<never>((_, reject) => {
    onClose = () => reject(new Error('the engine closed the connection'));
    req.once('close', onClose);
    req.once('error', reject);
  });
  closed.catch(() => undefined);
  const chunks = archive.chunks[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await Promise.race([chunks.next(), closed]);
      if (next.done) break;
      if (answered()) return;
      await Promise.race([new Promise<void>((resolve, reject) => req.write(next.value, (error) => (error ? reject(error) : resolve()))), closed]);
    }
    req.end();
  } finally {
    req.off('close', onClose);
    void chunks.return?.(undefined)?.catch(() => undefined); // the producer closes its files
  }
}

/** The JSON of an error answer (`{"message": …}`), or its text. */
async function jsonBody(res: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text || `HTTP ${res.statusCode}`;
  }
}
