/**
 * The engine's event stream (GET /events), filtered to containers, images and volumes.
 */
import type Docker from 'dockerode';
import type { EngineEvent } from '../core/ports/engine-port';
import { mapEngineError } from './engine-errors';
import { readJsonLines } from './json-lines';
import { mapEvent, type RawEngineEvent } from './map-event';

/**
 * Streams events to `onEvent` until the returned function is called; `onOpen` once the
 * engine answered with the stream. A failure (engine gone, stream ended) is reported once to
 * `onError`; the caller decides whether to resubscribe.
 */
export function subscribeEvents(
  docker: Docker,
  endpoint: string,
  onEvent: (event: EngineEvent) => void,
  onError?: (error: Error) => void,
  onOpen?: () => void,
): () => void {
  const controller = new AbortController();
  const report = (error: unknown): void => {
    if (controller.signal.aborted) return;
    controller.abort();
    onError?.(mapEngineError(error, endpoint, `following events of the Docker Engine at ${endpoint}`));
  };

  docker
    .getEvents({ filters: { type: ['container', 'image', 'volume'] }, abortSignal: controller.signal } as Docker.GetEventsOptions)
    .then(async (stream) => {
      if (controller.signal.aborted) {
        (stream as NodeJS.ReadableStream & { destroy(): void }).destroy();
        return;
      }
      controller.signal.addEventListener('abort', () => (stream as NodeJS.ReadableStream & { destroy(): void }).destroy(), {
        once: true,
      });
      onOpen?.();
      await readJsonLines(stream, (value) => {
        if (controller.signal.aborted) return;
        const event = mapEvent(value as RawEngineEvent);
        if (event) onEvent(event);
      });
      report(new Error('the engine ended the event stream'));
    })
    .catch(report);

  return () => controller.abort();
}
