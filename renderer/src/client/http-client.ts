/**
 * The client of the headless mode (`tagkeeper serve`): `POST /api/op/<operation>` with the
 * token as a bearer, answered by the JSON envelope; events from `GET /api/events`
 * (text/event-stream) read with fetch, because EventSource cannot send the token header;
 * bundle files uploaded and downloaded through `/api/files` (headless-files.ts).
 */
import type { OperationName, RequestOf, ResponseOf } from '../../../main/api/contract';
import { unwrap, type Envelope } from '../../../main/api/envelope';
import { ConnectionError, unauthorizedError } from './connection-error';
import { headlessFiles, type HeadlessFilesOptions } from './headless-files';
import { isCoreEvent } from './ipc-client';
import { createSseParser } from './sse-parser';
import type { ClientEvent, RendererClient } from './types';

export const OPERATION_PATH = '/api/op/';
export const EVENTS_PATH = '/api/events';

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
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const headers = { authorization: `Bearer ${options.token}` };
  const where = base === '' ? 'this Tagkeeper instance' : `the Tagkeeper instance at ${base}`;
  const events = eventStream(base, headers, doFetch, options.reconnectMs ?? { min: 1000, max: 15_000 });

  async function call<K extends OperationName>(operation: K, request: RequestOf<K>): Promise<ResponseOf<K>> {
    let response: Response;
    try {
      response = await doFetch(`${base}${OPERATION_PATH}${operation}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(request),
      });
    } catch (error) {
      throw new ConnectionError('unreachable', `${where} did not answer ${operation} (${(error as Error).message})`,
        'is `tagkeeper serve` still running, and the SSH tunnel to it still open?');
    }
    if (response.status === 401) throw unauthorizedError(where);
    if (!response.ok) {
      throw new ConnectionError('http-error', `${where} answered HTTP ${response.status} to ${operation}`,
        'the page and the instance may come from different versions: reload the page');
    }
    return unwrap((await response.json()) as Envelope<ResponseOf<K>>);
  }

  return {
    target: base === '' ? 'this page\'s Tagkeeper instance' : base,
    call,
    subscribe: events.subscribe,
    files: headlessFiles({ base, headers, where, client: { call }, fetch: doFetch, ...options.files }),
  };
}

/** One shared event stream while anyone listens; re-opened with back-off when it drops. */
function eventStream(base: string, headers: Record<string, string>, doFetch: typeof fetch, delays: { min: number; max: number }) {
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
