/**
 * The client inside the Electron window: one preload function per operation, envelopes
 * unwrapped; bundle files through the preload's native dialogs.
 */
import type { OperationName, RequestOf, ResponseOf } from '../../../main/api/contract';
import { unwrap, type Envelope } from '../../../main/api/envelope';
import { TagkeeperError } from '../../../main/api/errors';
import type { CoreEvent } from '../../../main/api/types/events';
import type { TagkeeperBridge, TagkeeperEventsBridge, TagkeeperFilesBridge } from './bridge';
import { desktopFiles } from './desktop-files';
import type { ClientEvent, RendererClient } from './types';

export function ipcClient(bridge: TagkeeperBridge, events: TagkeeperEventsBridge | undefined, files?: TagkeeperFilesBridge): RendererClient {
  async function call<K extends OperationName>(operation: K, request: RequestOf<K>): Promise<ResponseOf<K>> {
    const fn = bridge[operation];
    if (typeof fn !== 'function') {
      throw new TagkeeperError('internal', `the desktop app offers no operation "${operation}"`, {
        hint: 'the preload and the renderer come from different builds: rebuild with npm run build',
      });
    }
    return unwrap((await fn(request)) as Envelope<ResponseOf<K>>);
  }
  return {
    target: 'desktop app',
    call,
    files: desktopFiles(files, { call }),
    subscribe(listener: (event: ClientEvent) => void): () => void {
      if (!events) return () => undefined;
      return events.subscribe((payload) => {
        if (isCoreEvent(payload)) listener(payload);
      });
    },
  };
}

/** Events cross a process boundary: take only the shapes the core sends. */
export function isCoreEvent(value: unknown): value is CoreEvent {
  if (typeof value !== 'object' || value === null) return false;
  const event = value as { type?: unknown; app?: unknown; progress?: unknown; reachable?: unknown };
  if (event.type === 'engine-changed') return typeof event.reachable === 'boolean';
  if (event.type === 'transfer-progress') {
    const progress = event.progress as { id?: unknown } | null | undefined;
    return typeof progress === 'object' && progress !== null && typeof progress.id === 'string';
  }
  if (typeof event.app !== 'string') return false;
  return event.type === 'app-changed' || event.type === 'operation-changed' || event.type === 'pull-progress';
}
