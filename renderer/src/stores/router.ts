/**
 * Keeps the route in the UI store and the URL's hash in step, both ways: a new screen or app
 * adds a history entry (so Back returns to the place before), Back, Forward, a typed or
 * bookmarked `#/apps/web` and a reload show that place; the window title names the screen.
 */
import { parseRoute, routeHash, routeTitle } from '../lib/route';
import { routeOf, type UiStore } from './ui-store';

/** The parts of a window the router uses. */
export interface RouterWindow {
  location: Pick<Location, 'hash'>;
  history: Pick<History, 'pushState' | 'replaceState'>;
  document: { title: string };
  addEventListener(type: 'popstate' | 'hashchange', listener: () => void): void;
  removeEventListener(type: 'popstate' | 'hashchange', listener: () => void): void;
}

/** Starts following the URL (the current one first); returns the function that stops. */
export function startRouter(ui: UiStore, win: RouterWindow): () => void {
  const fromUrl = () => {
    const route = parseRoute(win.location.hash);
    if (routeHash(routeOf(ui.getState())) !== routeHash(route)) ui.getState().go(route);
    win.document.title = routeTitle(route);
  };

  fromUrl();
  // The address bar always shows where the page is (an empty or unknown hash becomes #/apps).
  const first = routeHash(routeOf(ui.getState()));
  if (win.location.hash !== first) win.history.replaceState(null, '', first);

  const unsubscribe = ui.subscribe((state, previous) => {
    const hash = routeHash(routeOf(state));
    if (hash === routeHash(routeOf(previous))) return;
    win.document.title = routeTitle(routeOf(state));
    if (win.location.hash !== hash) win.history.pushState(null, '', hash);
  });
  win.addEventListener('popstate', fromUrl);
  win.addEventListener('hashchange', fromUrl);
  return () => {
    unsubscribe();
    win.removeEventListener('popstate', fromUrl);
    win.removeEventListener('hashchange', fromUrl);
  };
}
