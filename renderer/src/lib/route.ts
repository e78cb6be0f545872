/**
 * A route per screen and app, as the part of the URL after `#`: `#/apps`, `#/apps/web`,
 * `#/updates`, `#/bundles/import`, `#/bundles/export`, `#/create`, `#/images`, `#/activity`,
 * `#/settings`; and the window title of each ("web — Tagkeeper"). Pure.
 */

export const SCREENS = ['apps', 'updates', 'bundles', 'create', 'images', 'activity', 'settings', 'app'] as const;
export type Screen = (typeof SCREENS)[number];

export const BUNDLE_PARTS = ['import', 'export'] as const;
export type BundlePart = (typeof BUNDLE_PARTS)[number];

export interface Route {
  screen: Screen;
  /** The app whose page is shown (screen `app`). */
  app: string | null;
  /** Which half of Bundles is shown (screen `bundles`). */
  bundlePart: BundlePart;
}

export const HOME: Route = { screen: 'apps', app: null, bundlePart: 'import' };

const TITLES: Record<Exclude<Screen, 'app' | 'bundles'>, string> = {
  apps: 'Apps',
  updates: 'Updates',
  create: 'Create app',
  images: 'Images',
  activity: 'Activity',
  settings: 'Settings',
};

/** `#/apps/web` → the page of app web; anything unknown (or empty) → Apps. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  const [first = '', ...rest] = path.split('/');
  const second = rest.join('/');
  if (first === 'apps' && second) return { ...HOME, screen: 'app', app: safeDecode(second) };
  if (first === 'bundles') return { ...HOME, screen: 'bundles', bundlePart: second === 'export' ? 'export' : 'import' };
  if ((SCREENS as readonly string[]).includes(first) && first !== 'app' && first !== 'bundles') return { ...HOME, screen: first as Screen };
  return HOME;
}

/** The route as the hash of the URL. */
export function routeHash(route: Route): string {
  if (route.screen === 'app') return route.app === null ? '#/apps' : `#/apps/${encodeURIComponent(route.app)}`;
  if (route.screen === 'bundles') return `#/bundles/${route.bundlePart}`;
  return `#/${route.screen}`;
}

/** What the window (and a bookmark) is called on this route. */
export function routeTitle(route: Route): string {
  return `${screenTitle(route)} — Tagkeeper`;
}

function screenTitle(route: Route): string {
  if (route.screen === 'app') return route.app ?? 'App';
  if (route.screen === 'bundles') return route.bundlePart === 'export' ? 'Export a bundle' : 'Import a bundle';
  return TITLES[route.screen];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
