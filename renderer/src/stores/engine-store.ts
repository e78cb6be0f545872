/**
 * Can Tagkeeper reach its Docker Engine (and can this page reach Tagkeeper)? While not,
 * the whole UI shows the engine screen instead of empty lists or stack traces.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ErrorInfo } from '../../../main/api/errors';
import type { Platform } from '../../../main/api/types/engine';
import type { RendererClient } from '../client/types';
import { isConnectionFailure, toErrorInfo } from '../lib/errors';

export type EngineStatus =
  | { kind: 'checking' }
  /** `source`: why this endpoint, as the docker CLI would choose it (`from DOCKER_CONTEXT=ctx`, `default socket`). */
  | { kind: 'reachable'; endpoint: string; source: string; platform: Platform | null }
  | { kind: 'unreachable'; endpoint: string; source: string; error: ErrorInfo | null }
  /** The page cannot talk to Tagkeeper (headless mode): `error.code` says why (instance-unreachable, unauthorized, instance-error). */
  | { kind: 'disconnected'; error: ErrorInfo };

export interface EngineState {
  status: EngineStatus;
  /** A check is running (the Retry button shows it). */
  checking: boolean;
  /** Ask engine:status; resolves to whether the engine answered. */
  check(): Promise<boolean>;
}

export type EngineStore = StoreApi<EngineState>;

export function createEngineStore(client: RendererClient): EngineStore {
  return createStore<EngineState>()((set) => ({
    status: { kind: 'checking' },
    checking: false,
    async check() {
      set({ checking: true });
      try {
        const answer = await client.call('engine:status', {});
        const status: EngineStatus = answer.reachable
          ? { kind: 'reachable', endpoint: answer.endpoint, source: answer.source, platform: answer.platform }
          : { kind: 'unreachable', endpoint: answer.endpoint, source: answer.source, error: answer.error };
        set({ status, checking: false });
        return answer.reachable;
      } catch (error) {
        const info = toErrorInfo(error);
        const status: EngineStatus = isConnectionFailure(info.code)
          ? { kind: 'disconnected', error: info }
          : { kind: 'unreachable', endpoint: 'unknown', source: '', error: info };
        set({ status, checking: false });
        return false;
      }
    },
  }));
}
