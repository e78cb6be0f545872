/**
 * Pull through the engine (POST /images/create?fromImage=…, over node:http): the engine talks
 * to the registry; this streams its progress and turns its failures into `pull-failed`.
 */
import type { EngineConnection } from './engine-connection';
import { engineStream, withQuery } from './engine-probe';
import type { PullMessage, RegistryAuth } from '../core/ports/engine-port';
import { TagkeeperError } from '../api/errors';
import { connectionFailure, engineMessage, isAbort, unreachable } from './engine-errors';
import { readProgressStream } from './progress-stream';


interface RawPullMessage {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number } | null;
  error?: string;
  errorDetail?: { message?: string } | null;
}

/**
 * `repo[:tag][@digest]` → the engine's `fromImage` and `tag` (a digest goes in `tag`).
 * A reference without tag or digest means `latest`: an empty tag would pull every tag.
 */
export function splitReference(reference: string): { fromImage: string; tag: string } {
  const at = reference.indexOf('@');
  if (at >= 0) {
    const name = reference.slice(0, at);
    return { fromImage: stripTag(name), tag: reference.slice(at + 1) };
  }
  const colon = reference.lastIndexOf(':');
  if (colon > reference.lastIndexOf('/')) return { fromImage: reference.slice(0, colon), tag: reference.slice(colon + 1) };
  return { fromImage: reference, tag: 'latest' };
}

function stripTag(name: string): string {
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(0, colon) : name;
}

export function mapPullMessage(raw: RawPullMessage): PullMessage {
  const message: PullMessage = { status: raw.status ?? '' };
  if (raw.id) message.id = raw.id;
  if (typeof raw.progressDetail?.current === 'number') message.current = raw.progressDetail.current;
  if (typeof raw.progressDetail?.total === 'number') message.total = raw.progressDetail.total;
  return message;
}

export async function pullImage(
  connection: EngineConnection,
  endpoint: string,
  reference: string,
  onMessage: (message: PullMessage) => void,
  signal?: AbortSignal,
  auth?: RegistryAuth,
): Promise<void> {
  const cancelled = (cause?: unknown): TagkeeperError =>
    new TagkeeperError('cancelled', `pull of ${reference} cancelled`, { cause });
  const failed = (reason: string, cause?: unknown): TagkeeperError =>
    new TagkeeperError('pull-failed', `pull of ${reference} failed: ${reason}`, { cause });
  if (signal?.aborted) throw cancelled();

  const { fromImage, tag } = splitReference(reference);
  // As docker-modem sends credentials: the JSON in URL-safe base64, padding kept (the engine's decoder wants it).
  const headers: Record<string, string> = auth ? { 'X-Registry-Auth': Buffer.from(JSON.stringify(auth)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_') } : {};
  let stream: NodeJS.ReadableStream;
  try {
    stream = await engineStream(connection, 'POST', withQuery('/images/create', { fromImage, tag }), { headers, signal });
  } catch (error) {
    if (error instanceof TagkeeperError) throw error; // the connection's own (ssh's reason)
    const failure = connectionFailure(error);
    if (failure) throw unreachable(endpoint, failure, error);
    if (signal?.aborted || isAbort(error)) throw cancelled(error);
    throw failed(engineMessage(error), error);
  }

  await readProgressStream<RawPullMessage>(stream, { endpoint, signal, cancelled, failed, onLine: (raw) => onMessage(mapPullMessage(raw)) });
}
