/** @jsxRuntime automatic */
/**
 * The screens and dialogs other than the Apps screen, which come in a script of their own
 * (screens.js) so that the first screen waits for less code (see scripts/build-renderer.js).
 * App asks for them through `useLaterScreens`; where they come from is the provider's source:
 * the script in the page (script-source.ts), the modules themselves in tests
 * (later-screens.ts).
 */
import { createContext, useContext, useEffect, useSyncExternalStore, type ReactNode } from 'react';
import type { ActivityScreen } from '../components/activity/ActivityScreen';
import type { AppDialogs } from '../components/app/AppDialogs';
import type { AppPage } from '../components/app/AppPage';
import type { BundlesScreen } from '../components/bundles/BundlesScreen';
import type { ComposeUpdateDialog } from '../components/compose/ComposeUpdateDialog';
import type { CreateScreen } from '../components/create/CreateScreen';
import type { ImagesScreen } from '../components/images/ImagesScreen';
import type { SettingsScreen } from '../components/settings/SettingsScreen';
import type { ApproveDialog } from '../components/updates/ApproveDialog';
import type { RejectDialog } from '../components/updates/RejectDialog';
import type { UpdatesScreen } from '../components/updates/UpdatesScreen';

export interface LaterScreens {
  ActivityScreen: typeof ActivityScreen;
  AppDialogs: typeof AppDialogs;
  AppPage: typeof AppPage;
  BundlesScreen: typeof BundlesScreen;
  ComposeUpdateDialog: typeof ComposeUpdateDialog;
  CreateScreen: typeof CreateScreen;
  ImagesScreen: typeof ImagesScreen;
  SettingsScreen: typeof SettingsScreen;
  ApproveDialog: typeof ApproveDialog;
  RejectDialog: typeof RejectDialog;
  UpdatesScreen: typeof UpdatesScreen;
}

/** The screens once they are there, or why they could not come. */
export interface LaterState {
  screens: LaterScreens | null;
  error: string | null;
}

export interface LaterScreensSource {
  state(): LaterState;
  subscribe(listener: () => void): () => void;
  /** Starts bringing them (once); nothing when they are there or on their way. */
  load(): void;
}

const LaterContext = createContext<LaterScreensSource | null>(null);

export function LaterScreensProvider({ source, children }: { source: LaterScreensSource; children: ReactNode }) {
  return <LaterContext.Provider value={source}>{children}</LaterContext.Provider>;
}

/** The later screens' state; with `needed`, they are asked for now if they are not there. */
export function useLaterScreens(needed: boolean): LaterState {
  const source = useContext(LaterContext);
  if (!source) throw new Error('useLaterScreens outside LaterScreensProvider');
  const state = useSyncExternalStore(source.subscribe, source.state);
  useEffect(() => {
    if (needed) source.load();
  }, [needed, source]);
  return state;
}
