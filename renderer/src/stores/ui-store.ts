/**
 * Which screen is shown (and which app's page), the Apps filter (kept when switching
 * screens), and the dialogs waiting for confirmation: delete, approve, reject, the update of
 * a Compose app from a changed file, and update to latest, purge, restart and roll back.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppDialogKind } from '../lib/app-actions';

export const SCREENS = ['apps', 'updates', 'bundles', 'create', 'images', 'activity', 'settings', 'app'] as const;
export type Screen = (typeof SCREENS)[number];

/** A dialog that asks before an action on one app: update to latest, purge, restart, roll back. */
export interface AppDialog {
  kind: AppDialogKind;
  app: string;
}

/** An approval or rejection asked for: the app's pending updates, or one service's. */
export interface Decision {
  kind: 'approve' | 'reject';
  app: string;
  /** null: every waiting update of the app. */
  service: string | null;
}

export interface UiState {
  screen: Screen;
  /** The app whose page is shown on the `app` screen. */
  appName: string | null;
  filter: string;
  updatesOnly: boolean;
  /** The app whose deletion waits for confirmation. */
  deleting: string | null;
  /** The approve or reject dialog, open while not null. */
  decision: Decision | null;
  /** The app whose "Update from a Compose file" dialog is open. */
  composeUpdate: string | null;
  /** The dialog asking before an action on an app, open while not null. */
  appDialog: AppDialog | null;
  show(screen: Screen): void;
  openApp(name: string): void;
  setFilter(filter: string): void;
  setUpdatesOnly(on: boolean): void;
  askDelete(app: string | null): void;
  askDecision(decision: Decision | null): void;
  askComposeUpdate(app: string | null): void;
  askAppDialog(dialog: AppDialog | null): void;
}

export type UiStore = StoreApi<UiState>;

export function createUiStore(initial: Screen = 'apps'): UiStore {
  return createStore<UiState>()((set) => ({
    screen: initial,
    appName: null,
    filter: '',
    updatesOnly: false,
    deleting: null,
    decision: null,
    composeUpdate: null,
    appDialog: null,
    show: (screen) => set({ screen }),
    openApp: (appName) => set({ screen: 'app', appName }),
    setFilter: (filter) => set({ filter }),
    setUpdatesOnly: (updatesOnly) => set({ updatesOnly }),
    askDelete: (deleting) => set({ deleting }),
    askDecision: (decision) => set({ decision }),
    askComposeUpdate: (composeUpdate) => set({ composeUpdate }),
    askAppDialog: (appDialog) => set({ appDialog }),
  }));
}
