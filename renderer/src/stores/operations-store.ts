/**
 * Running and recent operations (refetched when an `operation-changed` event arrives), the
 * live picture of every pull from `pull-progress` events, and per-operation cancel state.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ErrorInfo } from '../../../main/api/errors';
import type { Operation } from '../../../main/api/types/operations';
import type { PullProgress } from '../../../main/api/types/events';
import type { RendererClient } from '../client/types';
import { toErrorInfo } from '../lib/errors';
import { createBatcher, type Batcher } from './batcher';
import type { StoreOptions } from './apps-store';

export interface PullEntry {
  app: string;
  service: string;
  progress: PullProgress;
  /** When the last progress arrived (ms). */
  updatedAt: number;
}

export interface CancelStatus {
  pending: boolean;
  /** The core's answer: cancelled, or why not. */
  message: string | null;
  error: ErrorInfo | null;
}

export interface OperationsState {
  operations: Operation[];
  loaded: boolean;
  loadError: ErrorInfo | null;
  /** Keyed `app/service`; the newest pulls of this session. */
  pulls: Record<string, PullEntry>;
  cancels: Record<number, CancelStatus>;
  load(): Promise<void>;
  changed(): void;
  pullProgress(app: string, service: string, progress: PullProgress): void;
  cancel(id: number): Promise<void>;
}

export type OperationsStore = StoreApi<OperationsState> & { batcher: Batcher<'all'> };

export const OPERATIONS_SHOWN = 100;
/** Pulls kept on screen; the oldest go first. */
export const PULLS_KEPT = 30;

export const pullKey = (app: string, service: string) => `${app}/${service}`;

export function createOperationsStore(client: RendererClient, options: StoreOptions & { now?: () => number } = {}): OperationsStore {
  const onError = options.onError ?? (() => undefined);
  const now = options.now ?? Date.now;
  let store: StoreApi<OperationsState>;
  const batcher = createBatcher<'all'>(options.debounceMs ?? 100, () => store.getState().load());

  const setCancel = (id: number, status: CancelStatus) => store.setState((s) => ({ cancels: { ...s.cancels, [id]: status } }));

  store = createStore<OperationsState>()((set) => ({
    operations: [],
    loaded: false,
    loadError: null,
    pulls: {},
    cancels: {},
    async load() {
      try {
        const operations = await client.call('operations:list', { limit: OPERATIONS_SHOWN });
        set({ operations, loaded: true, loadError: null });
      } catch (error) {
        set({ loadError: toErrorInfo(error) });
        onError(error);
      }
    },
    changed() {
      batcher.add('all');
    },
    pullProgress(app, service, progress) {
      set((s) => {
        const pulls = { ...s.pulls, [pullKey(app, service)]: { app, service, progress, updatedAt: now() } };
        const keys = Object.keys(pulls);
        if (keys.length > PULLS_KEPT) {
          const oldest = keys.sort((a, b) => pulls[a].updatedAt - pulls[b].updatedAt).slice(0, keys.length - PULLS_KEPT);
          for (const key of oldest) delete pulls[key];
        }
        return { pulls };
      });
    },
    async cancel(id) {
      setCancel(id, { pending: true, message: null, error: null });
      try {
        const answer = await client.call('operations:cancel', { id });
        setCancel(id, { pending: false, message: answer.cancelled ? 'cancelled' : `not cancelled: ${answer.reason}`, error: null });
      } catch (error) {
        setCancel(id, { pending: false, message: null, error: toErrorInfo(error) });
        onError(error);
      }
      batcher.add('all');
    },
  }));
  return Object.assign(store, { batcher });
}
