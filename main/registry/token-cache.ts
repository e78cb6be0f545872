/**
 * Bearer tokens by (domain, scope, credential identity), kept until shortly before they
 * expire. Concurrent callers asking for the same key share one in-flight token request.
 */
import type { RegistryCredentials } from '../core/ports/registry-port';
import { createHash } from 'node:crypto';

export interface IssuedToken {
  token: string;
  /** Lifetime in seconds as granted by the token server. */
  expiresInSeconds: number;
}

interface Entry {
  token: string;
  expiresAt: number;
}

/** Tokens are dropped this long before their expiry, to avoid racing it. */
const EXPIRY_MARGIN_MS = 5_000;

export class TokenCache {
  private readonly tokens = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The cached token for `key`, or the result of `fetch` (shared with concurrent callers). */
  async get(key: string, fetch: () => Promise<IssuedToken>): Promise<string> {
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt > this.now()) return cached.token;
    if (cached) this.tokens.delete(key);
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const request = fetch()
      .then((issued) => {
        const lifetimeMs = Math.max(0, issued.expiresInSeconds * 1000 - EXPIRY_MARGIN_MS);
        if (lifetimeMs > 0) this.tokens.set(key, { token: issued.token, expiresAt: this.now() + lifetimeMs });
        return issued.token;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, request);
    return request;
  }

  /** Forget `token` under `key` (the registry rejected it). */
  invalidate(key: string, token?: string): void {
    const cached = this.tokens.get(key);
    if (cached && (token === undefined || cached.token === token)) this.tokens.delete(key);
  }

  clear(): void {
    this.tokens.clear();
  }

  get size(): number {
    return this.tokens.size;
  }
}

/** Cache key; the credential identity is the user name plus a hash, never the password. */
export function tokenKey(domain: string, scope: string, credentials?: Pick<RegistryCredentials, 'username' | 'password'>): string {
  const identity = credentials
    ? `${credentials.username}#${createHash('sha256').update(`${credentials.username}\0${credentials.password}`).digest('hex').slice(0, 16)}`
    : 'anonymous';
  return `${domain}|${scope}|${identity}`;
}
