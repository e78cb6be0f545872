/**
 * Device settings and registry credentials. Each setting saves on its own (`settings:set`
 * with the CLI's keys) and keeps its own error; a password is sent, never read back. The
 * settings form's unsaved changes live here, so leaving the screen does not lose them.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ErrorInfo } from '../../../main/api/errors';
import type { RegistryView, DeviceSettings, RegistriesStatus } from '../../../main/api/types/settings';
import type { SettingKey } from '../../../main/api/types/settings';
import type { RendererClient } from '../client/types';
import { toErrorInfo } from '../lib/errors';
import { settingChanges, type Draft } from '../lib/settings-draft';
import { statusCall, type CallStatus } from '../lib/status-call';
import type { StoreOptions } from './apps-store';

export type RegistryStatus = CallStatus;

export interface SettingsState {
  settings: DeviceSettings | null;
  registries: RegistryView[];
  /** The engine's mirrors and insecure registries, rate limits; null until loaded (or when it could not be). */
  registriesStatus: RegistriesStatus | null;
  loadError: ErrorInfo | null;
  saving: boolean;
  /** Errors of the last save, by setting key. */
  errors: Partial<Record<SettingKey, ErrorInfo>>;
  savedAt: number | null;
  /** The settings form as edited and not saved yet; null: it shows what is stored. */
  draft: Draft | null;
  /** Keyed by host; `''` for the add form. */
  registryStatus: Record<string, RegistryStatus>;
  load(): Promise<void>;
  /** Saves the given settings one by one; resolves to whether all were accepted. */
  save(changes: Partial<Record<SettingKey, string>>): Promise<boolean>;
  /** The form was edited: keep the draft (none once it matches what is stored again). */
  edit(draft: Draft): void;
  /** Drop the unsaved changes. */
  discard(): void;
  setRegistry(host: string, username: string, password: string): Promise<boolean>;
  removeRegistry(host: string): Promise<boolean>;
}

export type SettingsStore = StoreApi<SettingsState>;

export const NEW_REGISTRY = '';

export function createSettingsStore(client: RendererClient, options: StoreOptions = {}): SettingsStore {
  const onError = options.onError ?? (() => undefined);
  return createStore<SettingsState>()((set, get) => {
    const setStatus = (host: string, status: RegistryStatus) => set((s) => ({ registryStatus: { ...s.registryStatus, [host]: status } }));

    const registryCall = (key: string, call: () => Promise<unknown>): Promise<boolean> =>
      statusCall(get().registryStatus[key], (status) => setStatus(key, status), call, async () => set({ registries: await client.call('registries:list', {}) }), onError);

    return {
      settings: null,
      registries: [],
      registriesStatus: null,
      loadError: null,
      saving: false,
      errors: {},
      savedAt: null,
      draft: null,
      registryStatus: {},
      async load() {
        try {
          const [settings, registries] = await Promise.all([client.call('settings:get', {}), client.call('registries:list', {})]);
          set({ settings, registries, loadError: null });
        } catch (error) {
          set({ loadError: toErrorInfo(error) });
          onError(error);
        }
        try {
          set({ registriesStatus: await client.call('registries:status', {}) });
        } catch {
          // What the engine is configured with is shown when known; the settings work without it.
        }
      },
      async save(changes) {
        set({ saving: true, errors: {} });
        const errors: Partial<Record<SettingKey, ErrorInfo>> = {};
        for (const [key, value] of Object.entries(changes) as [SettingKey, string][]) {
          try {
            set({ settings: await client.call('settings:set', { key, value }) });
          } catch (error) {
            errors[key] = toErrorInfo(error);
            onError(error);
          }
        }
        const ok = Object.keys(errors).length === 0;
        // Saved: the form shows what is stored. Refused: the draft stays, to be corrected.
        set({ saving: false, errors, savedAt: ok ? Date.now() : get().savedAt, draft: ok ? null : get().draft });
        return ok;
      },
      edit(draft) {
        const saved = get().settings;
        set({ draft: saved && Object.keys(settingChanges(saved, draft)).length === 0 ? null : draft });
      },
      discard() {
        set({ draft: null, errors: {} });
      },
      setRegistry(host, username, password) {
        return registryCall(NEW_REGISTRY, () => client.call('registries:set', { host, username, password }));
      },
      removeRegistry(host) {
        return registryCall(host, () => client.call('registries:remove', { host }));
      },
    };
  });
}
