/**
 * The client of the headless mode (`tagkeeper serve`): the shared HTTP client's `call`
 * (main/api/http-client.ts, `POST /api/op/<operation>`), worded for a page in a browser; plus
 * what only a browser needs: events from `GET /api/events` (text/event-stream, read with fetch
 * because EventSource cannot send the token header), re-opened with a resync when they drop;
 * and bundle files uploaded and downloaded through `/api/files` (headless-files.ts).
 */
import { httpClient as sharedHttpClient, type HttpConnection } from '../../../main/api/http-client';
import { EVENTS_PATH } from '../../../main/api/routes';
import { headlessFiles, type HeadlessFilesOptions } from './headless-files';
import { isCoreEvent } from './ipc-client';
import { createSseParser } from './sse-parser';
import type { ClientEvent, RendererClient } from './types';

export interface HttpClientOptions {
  /** Origin of the instance; '' for the page's own origin. */
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
  /** Wait before re-opening a dropped event stream: grows from min to max. */
  reconnectMs?: { min: number; max: number };
  /** How bundles are uploaded and downloads offered (tests pass fakes). */
  files?: Pick<HeadlessFilesOptions, 'newXhr' | 'save' | 'now'>;
}

export function httpClient(options: HttpClientOptions): RendererClient {
  const shared = sharedHttpClient(options.baseUrl, options.token, {
    fetch: options.fetch,
    tokenName: 'this page\'s token',
    unreachableHint: 'is `tagkeeper serve` still running, and the SSH tunnel to it still open?',
    unauthorizedHint: 'open the URL that `tagkeeper serve` printed, with its #token=… part (each start of serve makes a new token)',
    statusHint: 'the page and the instance may come from different versions: reload the page',
  });
  const { call, connection } = shared;
  const events = eventStream(connection, options.reconnectMs ?? { min: 1000, max: 15_000 });
  return {
    target: connection.base === '' ? 'this page\'s Tagkeeper instance' : connection.base,
    call,
    subscribe: events.subscribe,
    files: headlessFiles({ client: shared, ...options.files }),
  };
}

/** One shared event stream while anyone listens; re-opened with back-off when it drops. */
function eventStream({ base, headers, fetch: doFetch }: HttpConnection, delays: { min: number; max: number }) {
  const listeners = new Set<(event: ClientEvent) => void>();
  let controller: AbortController | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let delay = delays.min;
  let opened = 0;

  const emit = (event: ClientEvent) => {
    for (const listener of [...listeners]) listener(event);
  };

  async function open(): Promise<void> {
    const mine = new AbortController();
    controller = mine;
    try {
      const response = await doFetch(`${base}${EVENTS_PATH}`, { headers: { ...headers, accept: 'text/event-stream' }, signal: mine.signal });
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
      delay = delays.min;
      // Events may have been missed while the stream was down: every store fetches again.
      if (opened++ > 0) emit({ type: 'resync' });
      const parse = createSseParser((data) => {
        try {
          const event: unknown = JSON.parse(data);
          if (isCoreEvent(event)) emit(event);
        } catch {
          // A malformed event is dropped; the next one still counts.
        }
      });
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parse(decoder.decode(value, { stream: true }));
      }
    } catch {
      // Dropped or refused: tried again below.
    }
    if (controller !== mine || mine.signal.aborted) return;
    controller = null;
    timer = setTimeout(() => {
      timer = null;
      if (listeners.size > 0) void open();
    }, delay);
    delay = Math.min(delay * 2, delays.max);
  }

  function close(): void {
    controller?.abort();
    controller = null;
    if (timer) clearTimeout(timer);
    timer = null;
  }

  return {
    subscribe(listener: (event: ClientEvent) => void): () => void {
      listeners.add(listener);
      if (listeners.size === 1 && !controller && !timer) void open();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) close();
      };
    },
  };
}
