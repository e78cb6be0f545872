/**
 * The engine's progress streams (pull, load) answer HTTP 200 and then report, line by line,
 * progress or an error. One reader for both: it forwards each message, remembers the first
 * error line, honours cancellation, and maps broken connections to engine-unreachable.
 */
import { TagkeeperError } from '../api/errors';
import { connectionFailure, unreachable } from './engine-errors';
import { destroy, readJsonLines } from './json-lines';

export interface ProgressLine {
  error?: string | null;
  errorDetail?: { message?: string } | null;
}

export async function readProgressStream<T extends ProgressLine>(
  stream: NodeJS.ReadableStream,
  options: {
    endpoint: string;
    signal?: AbortSignal;
    onLine: (line: T) => void;
    cancelled: (cause?: unknown) => TagkeeperError;
    failed: (reason: string, cause?: unknown) => TagkeeperError;
  },
): Promise<void> {
  const { signal, endpoint } = options;
  let streamError: string | undefined;
  const onAbort = (): void => destroy(stream);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await readJsonLines(stream, (value) => {
      const line = value as T;
      if (line.error || line.errorDetail) {
        streamError ??= line.errorDetail?.message || line.error || 'the engine reported an error';
        return;
      }
      options.onLine(line);
    });
  } catch (error) {
    if (signal?.aborted) throw options.cancelled(error);
    if (error instanceof TagkeeperError) throw error;
    const failure = connectionFailure(error);
    if (failure) throw unreachable(endpoint, failure, error);
    throw options.failed(error instanceof Error ? error.message : String(error), error);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  if (streamError !== undefined) throw options.failed(streamError.trim());
}
