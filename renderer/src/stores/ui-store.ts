/**
 * Which screen is shown (its route: which app's page, which half of Bundles), the Apps
 * filter and view (cards or a compact table, remembered), and the dialogs waiting for
 * confirmation: delete, approve, reject, the update of a Compose app from a changed file, and
 * update to latest, purge, restart and roll back. The router (router.ts) keeps the route and
 * the URL in step.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { HOME, type BundlePart, type Route, type Screen } from '../lib/route';
import type { AppDialogKind } from '../lib/app-actions';

export { SCREENS, type Screen } from '../lib/route';

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

/** How Apps lists the apps: a card per app, or one line per app for many. */
export type AppsView = 'cards' | 'table';

export interface UiState {
  screen: Screen;
  /** The app whose page is shown on the `app` screen. */
  appName: string | null;
  /** Import or export, on the `bundles` screen. */
  bundlePart: BundlePart;
  filter: string;
  updatesOnly: boolean;
  appsView: AppsView;
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
  showBundles(part: BundlePart): void;
  /** Go to a route as a whole (the router, when the URL changed). */
  go(route: Route): void;
  setFilter(filter: string): void;
  setUpdatesOnly(on: boolean): void;
  setAppsView(view: AppsView): void;
  askDelete(app: string | null): void;
  askDecision(decision: Decision | null): void;
  askComposeUpdate(app: string | null): void;
  askAppDialog(dialog: AppDialog | null): void;
}

export type UiStore = StoreApi<UiState>;

/** Where choices of this browser are remembered (localStorage in the page). */
export type Preferences = Pick<Storage, 'getItem' | 'setItem'>;

export const APPS_VIEW_KEY = 'tagkeeper.appsView';

/** The route the state shows. */
export const routeOf = (s: Pick<UiState, 'screen' | 'appName' | 'bundlePart'>): Route => ({ screen: s.screen, app: s.appName, bundlePart: s.bundlePart });

export function createUiStore(initial: Screen = 'apps', preferences: Preferences | null = null): UiStore {
  const remembered = read(preferences, APPS_VIEW_KEY);
  return createStore<UiState>()((set) => ({
    screen: initial,
    appName: null,
    bundlePart: HOME.bundlePart,
    filter: '',
    updatesOnly: false,
    appsView: remembered === 'table' ? 'table' : 'cards',
    deleting: null,
    decision: null,
    composeUpdate: null,
    appDialog: null,
    show: (screen) => set({ screen }),
    openApp: (appName) => set({ screen: 'app', appName }),
    showBundles: (bundlePart) => set({ screen: 'bundles', bundlePart }),
    go: (route) => set({ screen: route.screen, appName: route.app, bundlePart: route.bundlePart }),
    setFilter: (filter) => set({ filter }),
    setUpdatesOnly: (updatesOnly) => set({ updatesOnly }),
    setAppsView: (appsView) => {
      write(preferences, APPS_VIEW_KEY, appsView);
      set({ appsView });
    },
    askDelete: (deleting) => set({ deleting }),
    askDecision: (decision) => set({ decision }),
    askComposeUpdate: (composeUpdate) => set({ composeUpdate }),
    askAppDialog: (appDialog) => set({ appDialog }),
  }));
}

// A browser that refuses storage (private mode, quota) still works: the choice lasts the session.
function read(preferences: Preferences | null, key: string): string | null {
  try {
    return preferences?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function write(preferences: Preferences | null, key: string, value: string): void {
  try {
    preferences?.setItem(key, value);
  } catch {
    // Remembered for this session only.
  }
}
