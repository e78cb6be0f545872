/**
 * The public keys this device trusts to sign offline bundles (`keys:list`, `keys:trust`,
 * `keys:remove`), each with its own pending flag and error; `''` is the add form.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ErrorInfo } from '../../../main/api/errors';
import type { TrustedKeyView } from '../../../main/api/types/settings';
import type { RendererClient } from '../client/types';
import { toErrorInfo } from '../lib/errors';
import { statusCall, type CallStatus } from '../lib/status-call';
import type { StoreOptions } from './apps-store';

export const NEW_KEY = '';

export type KeyStatus = CallStatus;

export interface KeysState {
  keys: TrustedKeyView[];
  loaded: boolean;
  loadError: ErrorInfo | null;
  /** By key id; NEW_KEY for the add form. */
  status: Record<string, KeyStatus>;
  /** What the last trust did: a new key, or a known one renamed. */
  lastTrusted: { keyId: string; name: string; added: boolean } | null;
  load(): Promise<void>;
  /** Resolves to whether the core took the key. */
  trust(publicKey: string, name: string): Promise<boolean>;
  remove(keyId: string): Promise<boolean>;
}

export type KeysStore = StoreApi<KeysState>;

export function createKeysStore(client: RendererClient, options: StoreOptions = {}): KeysStore {
  const onError = options.onError ?? (() => undefined);
  return createStore<KeysState>()((set, get) => {
    const setStatus = (key: string, status: KeyStatus) => set((s) => ({ status: { ...s.status, [key]: status } }));

    const change = (key: string, call: () => Promise<void>): Promise<boolean> =>
      statusCall(get().status[key], (status) => setStatus(key, status), call, () => get().load(), onError);

    return {
      keys: [],
      loaded: false,
      loadError: null,
      status: {},
      lastTrusted: null,
      async load() {
        try {
          set({ keys: await client.call('keys:list', {}), loaded: true, loadError: null });
        } catch (error) {
          set({ loadError: toErrorInfo(error) });
          onError(error);
        }
      },
      trust(publicKey, name) {
        set({ lastTrusted: null });
        return change(NEW_KEY, async () => {
          const request = name.trim() ? { publicKey, name: name.trim() } : { publicKey };
          const answer = await client.call('keys:trust', request);
          set({ lastTrusted: { keyId: answer.keyId, name: answer.name, added: answer.added } });
        });
      },
      remove(keyId) {
        return change(keyId, async () => {
          await client.call('keys:remove', { keyId });
        });
      },
    };
  });
}
