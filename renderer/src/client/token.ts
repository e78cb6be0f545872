/**
 * The headless mode's token arrives in the page URL's fragment (`#token=…`), which browsers
 * never send to a server. It is read once, kept in sessionStorage (this tab only) and
 * removed from the visible URL so it does not end up in screenshots or bookmarks.
 */
export const TOKEN_KEY = 'tagkeeper.token';

export interface TokenPlaces {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  history: Pick<History, 'replaceState'>;
}

/** The token in a URL fragment (`#token=…`), else null. */
export function tokenInHash(hash: string): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(hash);
  return match ? decodeURIComponent(match[1]) : null;
}

export function takeToken(places: TokenPlaces): string | null {
  const token = tokenInHash(places.location.hash);
  if (token !== null) {
    places.storage.setItem(TOKEN_KEY, token);
    places.history.replaceState(null, '', places.location.pathname + places.location.search);
    return token;
  }
  return places.storage.getItem(TOKEN_KEY);
}
