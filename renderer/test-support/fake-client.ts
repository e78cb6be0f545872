/**
 * A RendererClient for tests: answers from per-operation handlers (a handler may throw a
 * TagkeeperError, as the core does), records every call, and emits events on demand. Its
 * `files` act like headless mode's without a network (an upload answers a path at once, an
 * export is "downloaded" under the name of the core's file); tests replace them as needed.
 */
import type { OperationName, RequestOf, ResponseOf } from '../../main/api/contract';
import { TagkeeperError } from '../../main/api/errors';
import type { BundleFiles, ClientEvent, RendererClient } from '../src/client/types';

/** BundleFiles whose mode and functions a test may change. */
export interface FakeFiles {
  mode: BundleFiles['mode'];
  pickBundleForImport: BundleFiles['pickBundleForImport'];
  saveExport: BundleFiles['saveExport'];
}

export type Handlers = { [K in OperationName]?: (request: RequestOf<K>) => ResponseOf<K> | Promise<ResponseOf<K>> };

export interface FakeClient extends RendererClient {
  calls: { operation: OperationName; request: unknown }[];
  handlers: Handlers;
  emit(event: ClientEvent): void;
  callsOf(operation: OperationName): unknown[];
  files: FakeFiles;
}

export function fakeClient(handlers: Handlers = {}): FakeClient {
  const listeners = new Set<(event: ClientEvent) => void>();
  const client: FakeClient = {
    target: 'fake',
    calls: [],
    handlers,
    async call<K extends OperationName>(operation: K, request: RequestOf<K>): Promise<ResponseOf<K>> {
      client.calls.push({ operation, request });
      const handler = client.handlers[operation] as ((r: RequestOf<K>) => ResponseOf<K> | Promise<ResponseOf<K>>) | undefined;
      if (!handler) throw new TagkeeperError('internal', `fake client: no handler for ${operation}`);
      return handler(request);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(event) {
      for (const listener of [...listeners]) listener(event);
    },
    callsOf(operation) {
      return client.calls.filter((c) => c.operation === operation).map((c) => c.request);
    },
    files: {
      mode: 'upload',
      async pickBundleForImport(file) {
        return file ? { file: `/data/work/files/upload-${file.name}`, name: file.name, bytes: file.size } : null;
      },
      async saveExport(request) {
        const answer = await client.call('bundles:export', request);
        return { answer, savedAs: answer.file.slice(answer.file.lastIndexOf('/') + 1) };
      },
    },
  };
  return client;
}

/** A promise resolved from outside: to hold an answer back while a test looks at "pending". */
export function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Waits until `check` passes (it throws until then), for at most `attempts` turns of the event loop. */
export async function eventually(check: () => void, attempts = 200): Promise<void> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      check();
      return;
    } catch (error) {
      last = error;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  throw last;
}
