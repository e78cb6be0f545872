/**
 * The later screens from screens.js, beside app.js: a script element added on the first
 * `load()`; the script hands its screens to the page's `tagkeeperScreens`. Shared modules
 * (React, the stores' context) come from app.js (shared-modules.ts), so both scripts render
 * into one tree with one set of stores.
 */
import type { LaterScreens, LaterScreensSource, LaterState } from './later-context';

declare global {
  interface Window {
    /** Called by screens.js with its screens. */
    tagkeeperScreens?: (screens: LaterScreens) => void;
  }
}

type Page = Pick<Window, 'tagkeeperScreens'> & { document: Pick<Document, 'createElement' | 'head'> };

export function scriptSource(page: Page, src = 'screens.js'): LaterScreensSource {
  let state: LaterState = { screens: null, error: null };
  let loading = false;
  const listeners = new Set<() => void>();
  const settle = (next: LaterState) => {
    state = next;
    for (const listener of listeners) listener();
  };
  page.tagkeeperScreens = (screens) => settle({ screens, error: null });
  return {
    state: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    load() {
      if (loading || state.screens) return;
      loading = true;
      const script = page.document.createElement('script');
      script.src = src;
      script.onerror = () => {
        loading = false; // the next load() tries again
        settle({ screens: null, error: `the interface's ${src} did not load` });
      };
      page.document.head.appendChild(script);
    },
  };
}
