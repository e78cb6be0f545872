/** @jsxRuntime automatic */
/**
 * The screens and dialogs other than the Apps screen, which come in a script of their own
 * (screens.js) so that the first screen waits for less code (see scripts/build-renderer.js).
 * App asks for them through `useLaterScreens`; where they come from is the provider's source:
 * the script in the page (script-source.ts), the modules themselves in tests
 * (later-screens.ts).
 */
import { createContext, useContext, useEffect, useSyncExternalStore, type ReactNode } from 'react';
import type { LATER_SCREENS } from './later-screens';

/** Every screen and dialog App shows besides the Apps screen (the list is later-screens.ts). */
export type LaterScreens = typeof LATER_SCREENS;

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
