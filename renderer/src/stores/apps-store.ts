/**
 * The apps and, per app, what this window asked of it: the action waiting for an answer,
 * its outcome or error. Events name apps; the store refetches those (debounced), one app
 * at a time for a few, the whole list for many.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RequestOf } from '../../../main/api/contract';
import type { AppView } from '../../../main/api/types/app-view';
import type { ErrorInfo } from '../../../main/api/errors';
import type { OperationAnswer } from '../../../main/api/types/operations';
import type { RendererClient } from '../client/types';
import type { AppAction } from '../lib/app-actions';
import { toErrorInfo } from '../lib/errors';
import { describeAnswer, describeCheck } from '../lib/outcome';
import { createBatcher, type Batcher } from './batcher';
import { compareText } from '../lib/compare-text';

export interface AppItemStatus {
  pending: AppAction | 'configure' | null;
  /** One line saying how the last action ended (`refresh: done, changed, restarted`). */
  outcome: string | null;
  error: ErrorInfo | null;
}

export interface ActionOptions {
  /** refresh: also restart / also purge. */
  restart?: boolean;
  purge?: boolean;
  /** refresh: only these services move; and whether their rejected digests may be taken. */
  services?: string[];
  includeRejected?: boolean;
  /** delete: also remove the app's volumes. */
  volumes?: boolean;
}

export interface AppsState {
  apps: AppView[];
  loaded: boolean;
  loadError: ErrorInfo | null;
  items: Record<string, AppItemStatus>;
  load(): Promise<void>;
  /** An event said the app changed: refetch it soon. */
  changed(app: string): void;
  run(app: string, action: AppAction, options?: ActionOptions): Promise<void>;
  /** Change the app's own settings (`apps:configure`); resolves to whether the core accepted them. */
  configure(app: string, changes: AppSettingsChange): Promise<boolean>;
  /** The create screen made an app: show it at once, with its outcome. */
  created(view: AppView): void;
}

/** The app's own settings; null: back to the device default. */
export type AppSettingsChange = Omit<RequestOf<'apps:configure'>, 'name'>;

export type AppsStore = StoreApi<AppsState> & { batcher: Batcher<string> };

export interface StoreOptions {
  debounceMs?: number;
  /** Called with failures that mean the engine or the instance is gone. */
  onError?: (error: unknown) => void;
}

/** Above this many changed apps in one batch, fetch the whole list instead of each. */
const SHOW_ONE_BY_ONE = 8;

const byName = (a: AppView, b: AppView) => compareText(a.name, b.name);
const idle: AppItemStatus = { pending: null, outcome: null, error: null };

export function createAppsStore(client: RendererClient, options: StoreOptions = {}): AppsStore {
  const onError = options.onError ?? (() => undefined);
  let store: StoreApi<AppsState>;

  const setItem = (app: string, item: Partial<AppItemStatus>) =>
    store.setState((s) => ({ items: { ...s.items, [app]: { ...(s.items[app] ?? idle), ...item } } }));

  const upsert = (view: AppView) =>
    store.setState((s) => {
      const i = s.apps.findIndex((a) => a.name === view.name);
      const apps = i === -1 ? [...s.apps, view].sort(byName) : s.apps.map((a, j) => (j === i ? view : a));
      return { apps };
    });

  const drop = (name: string) => store.setState((s) => ({ apps: s.apps.filter((a) => a.name !== name) }));

  async function refetch(names: Set<string>): Promise<void> {
    if (names.size > SHOW_ONE_BY_ONE || !store.getState().loaded) return store.getState().load();
    for (const name of names) {
      try {
        upsert(await client.call('apps:show', { name }));
      } catch (error) {
        if (toErrorInfo(error).code === 'unknown-app') drop(name);
        else onError(error);
      }
    }
  }

  const batcher = createBatcher<string>(options.debounceMs ?? 100, refetch);

  interface Ended {
    outcome: string;
    error: ErrorInfo | null;
  }

  const ended = (kind: string, answer: OperationAnswer): Ended => ({
    outcome: describeAnswer(kind, answer),
    error: 'outcome' in answer && answer.outcome !== 'done' ? answer.error : null,
  });

  async function perform(app: string, action: AppAction, o: ActionOptions): Promise<Ended> {
    switch (action) {
      case 'check':
        return { outcome: describeCheck(await client.call('images:check', { apps: [app] })), error: null };
      case 'refresh':
        return ended('refresh', await client.call('apps:refresh', {
          name: app, restart: o.restart ?? false, purge: o.purge ?? false,
          ...(o.services ? { services: o.services } : {}), ...(o.includeRejected ? { includeRejected: true } : {}),
        }));
      case 'restart':
        return ended('restart', await client.call('apps:restart', { name: app }));
      case 'purge':
        return ended('purge', await client.call('apps:purge', { name: app }));
      case 'rollback':
        return ended('rollback', await client.call('apps:rollback', { name: app }));
      case 'start':
        return ended('start', await client.call('apps:start', { name: app }));
      case 'stop':
        return ended('stop', await client.call('apps:stop', { name: app }));
      case 'delete':
        await client.call('apps:delete', { name: app, volumes: o.volumes ?? false });
        return { outcome: `delete: done${o.volumes ? ', volumes removed' : ''}`, error: null };
    }
  }

  store = createStore<AppsState>()((set, get) => ({
    apps: [],
    loaded: false,
    loadError: null,
    items: {},
    async load() {
      try {
        const apps = await client.call('apps:list', {});
        set({ apps: [...apps].sort(byName), loaded: true, loadError: null });
      } catch (error) {
        set({ loadError: toErrorInfo(error) });
        onError(error);
      }
    },
    changed(app: string) {
      batcher.add(app);
    },
    async run(app, action, o = {}) {
      if (get().items[app]?.pending) return;
      setItem(app, { pending: action, outcome: null, error: null });
      try {
        const { outcome, error } = await perform(app, action, o);
        setItem(app, { pending: null, outcome, error });
        if (action === 'delete') {
          drop(app);
          set((s) => {
            const { [app]: _gone, ...items } = s.items;
            return { items };
          });
          return;
        }
      } catch (error) {
        const info = toErrorInfo(error);
        setItem(app, { pending: null, outcome: `${action}: ${info.message}`, error: info });
        onError(error);
      }
      batcher.add(app);
    },
    async configure(app, changes) {
      if (get().items[app]?.pending) return false;
      setItem(app, { pending: 'configure', outcome: null, error: null });
      try {
        upsert(await client.call('apps:configure', { name: app, ...changes }));
        setItem(app, { pending: null, outcome: 'settings saved', error: null });
        return true;
      } catch (error) {
        const info = toErrorInfo(error);
        setItem(app, { pending: null, outcome: `settings: ${info.message}`, error: info });
        onError(error);
        return false;
      }
    },
    created(view) {
      upsert(view);
      setItem(view.name, { pending: null, outcome: `create: done, ${view.state}`, error: null });
    },
  }));
  return Object.assign(store, { batcher });
}
