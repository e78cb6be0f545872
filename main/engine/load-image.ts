/**
 * Load a `docker save`-format tar into the engine (POST /images/load). The engine answers
 * 200 and then streams JSON lines; a failure can arrive as an HTTP error or as an
 * `error`/`errorDetail` line inside that 200 stream, and both become `engine-error`.
 */
import type Docker from 'dockerode';
import type { LoadImageOptions } from '../core/engine-port';
import { TagkeeperError } from '../core/errors';
import { connectionFailure, engineMessage, isAbort, unreachable } from './engine-errors';
import { destroy } from './json-lines';
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

/**
 * Streams `archive` to the engine and reads its answer. On any failure the archive is
 * destroyed too, so whatever produces it (files, a generator) does not wait forever.
 */
export async function loadImage(
  docker: Docker,
  endpoint: string,
  archive: NodeJS.ReadableStream,
  options: LoadImageOptions = {},
): Promise<{ loaded: string[] }> {
  try {
    return await sendArchive(docker, endpoint, archive, options);
  } catch (error) {
    destroy(archive);
    throw error;
  }
}

async function sendArchive(
  docker: Docker,
  endpoint: string,
  archive: NodeJS.ReadableStream,
  { signal, onMessage }: LoadImageOptions,
): Promise<{ loaded: string[] }> {
  const cancelled = (cause?: unknown): TagkeeperError => new TagkeeperError('cancelled', 'image load cancelled', { cause });
  const failed = (reason: string, cause?: unknown): TagkeeperError =>
    new TagkeeperError('engine-error', `image load into the Docker Engine at ${endpoint} failed: ${reason}`, {
      hint: 'the archive is damaged or does not match its manifest.json: make it again (images listed before the failing one may already be loaded)',
      cause,
    });
  if (signal?.aborted) throw cancelled();

  // Progress lines cost the engine time; ask for them only when someone listens.
  const query: { quiet: boolean; abortSignal?: AbortSignal } = { quiet: onMessage === undefined };
  if (signal) query.abortSignal = signal;
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.loadImage(archive, query);
  } catch (error) {
    if (signal?.aborted || isAbort(error)) throw cancelled(error);
    const failure = connectionFailure(error);
    if (failure) throw unreachable(endpoint, failure, error);
    throw failed(engineMessage(error), error);
  }

  const loaded: string[] = [];
  await readProgressStream<RawLoadMessage>(stream, {
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
}
