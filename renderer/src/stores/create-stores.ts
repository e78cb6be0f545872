/**
 * All the renderer's stores for one client, wired to its events: events carry ids, the
 * stores refetch what they name. Failures that mean the engine or the instance is gone send
 * the UI to the engine screen; when the engine is back, everything is fetched again.
 */
import type { RendererClient, ClientEvent } from '../client/types';
import { meansDisconnected } from '../lib/errors';
import { createAppsStore, type AppsStore } from './apps-store';
import { createExportStore, type ExportStore } from './bundle-export-store';
import { createComposeUpdateStore, type ComposeUpdateStore } from './compose-update-store';
import { createImportStore, type ImportStore } from './bundle-import-store';
import { createEngineStore, type EngineStore } from './engine-store';
import { createImagesStore, type ImagesStore } from './images-store';
import { createKeysStore, type KeysStore } from './keys-store';
import { createOperationsStore, type OperationsStore } from './operations-store';
import { createSettingsStore, type SettingsStore } from './settings-store';
import { createUiStore, type Preferences, type UiStore } from './ui-store';
import { createUpdatesStore, type UpdatesStore } from './updates-store';

export interface Stores {
  client: RendererClient;
  engine: EngineStore;
  apps: AppsStore;
  images: ImagesStore;
  operations: OperationsStore;
  settings: SettingsStore;
  updates: UpdatesStore;
  /** Offline bundles: the import and the export of this window, and the trusted signing keys. */
  bundleImport: ImportStore;
  bundleExport: ExportStore;
  keys: KeysStore;
  /** Per Compose app: the plan of a changed file, shown before the update is carried out. */
  composeUpdates: ComposeUpdateStore;
  ui: UiStore;
  /** Check the engine, load everything, listen to events; returns the function that stops. */
  start(): () => void;
  /** Fetch everything again (after the engine came back or events may have been missed). */
  reloadAll(): Promise<void>;
}

export interface StoresOptions {
  debounceMs?: number;
  /** While the engine is unreachable, check again this often; 0: only on Retry. */
  retryMs?: number;
  /** Where this browser's choices are remembered (the Apps view); none: for this session only. */
  preferences?: Preferences;
  /**
   * Resolves once what the store changes has been drawn (main.tsx: the next frame). At start,
   * what the Apps screen does not show waits for it after the apps came. Default: at once.
   */
  drawn?: () => Promise<void>;
}

export function createStores(client: RendererClient, options: StoresOptions = {}): Stores {
  const engine = createEngineStore(client);
  const onError = (error: unknown) => {
    if (meansDisconnected(error) && !engine.getState().checking) void engine.getState().check();
  };
  const storeOptions = { debounceMs: options.debounceMs, onError };
  const apps = createAppsStore(client, storeOptions);
  const images = createImagesStore(client, storeOptions);
  const operations = createOperationsStore(client, storeOptions);
  const settings = createSettingsStore(client, storeOptions);
  const updates = createUpdatesStore(client, { ...storeOptions, afterDecision: (app) => apps.getState().changed(app) });
  const bundleImport = createImportStore(client, {
    ...storeOptions,
    afterImport: (names) => {
      for (const name of names) apps.getState().changed(name);
      updates.getState().changed();
    },
  });
  const bundleExport = createExportStore(client, storeOptions);
  const keys = createKeysStore(client, storeOptions);
  const composeUpdates = createComposeUpdateStore(client, { ...storeOptions, afterUpdate: (app) => apps.getState().changed(app) });
  const ui = createUiStore('apps', options.preferences ?? null);

  async function reloadAll(): Promise<void> {
    const loads = [apps.getState().load(), operations.getState().load(), settings.getState().load()];
    if (images.getState().loaded) loads.push(images.getState().load());
    if (updates.getState().loaded) loads.push(updates.getState().load());
    if (keys.getState().loaded) loads.push(keys.getState().load());
    await Promise.all(loads);
  }

  function onEvent(event: ClientEvent): void {
    switch (event.type) {
      case 'app-changed':
        apps.getState().changed(event.app);
        images.getState().changed();
        updates.getState().changed();
        return;
      case 'operation-changed':
        operations.getState().changed();
        apps.getState().changed(event.app);
        return;
      case 'pull-progress':
        operations.getState().pullProgress(event.app, event.service, event.progress);
        return;
      case 'transfer-progress':
        bundleImport.getState().transferProgress(event.progress);
        bundleExport.getState().transferProgress(event.progress);
        return;
      case 'engine-changed':
        // The engine went away or came back: the engine screen shows or goes (and a return refetches everything).
        void engine.getState().check();
        return;
      case 'resync':
        void reloadAll();
        return;
    }
  }

  function start(): () => void {
    const unsubscribe = client.subscribe(onEvent);
    // The apps go out together with the engine check, not after it: the first screen waits for
    // one round trip, not two. What the Apps screen does not show (operations, settings, the
    // registries) is asked for once the apps are drawn: asked for with them, the server's work
    // for those calls and their answers came while the browser laid out the first rows.
    const first = apps.getState().load();
    const drawn = options.drawn ?? (() => Promise.resolve());
    void first.then(drawn).then(() => Promise.all([operations.getState().load(), settings.getState().load()]));
    // Back from unreachable: everything may have changed. On first contact the first loads
    // stand, unless they failed (the engine was not up yet).
    const unwatch = engine.subscribe((state, previous) => {
      if (state.status.kind !== 'reachable' || previous.status.kind === 'reachable') return;
      if (previous.status.kind === 'checking') void first.then(() => (apps.getState().loadError ? reloadAll() : undefined));
      else void reloadAll();
    });
    const retryMs = options.retryMs ?? 5000;
    const timer = retryMs > 0
      ? setInterval(() => {
          const { status, checking } = engine.getState();
          const retry = status.kind === 'unreachable' || (status.kind === 'disconnected' && status.error.code !== 'unauthorized');
          if (retry && !checking) void engine.getState().check();
        }, retryMs)
      : null;
    void engine.getState().check();
    return () => {
      unsubscribe();
      unwatch();
      if (timer) clearInterval(timer);
      for (const store of [apps, images, operations, updates]) store.batcher.dispose();
    };
  }

  return { client, engine, apps, images, operations, settings, updates, bundleImport, bundleExport, keys, composeUpdates, ui, start, reloadAll };
}
