/**
 * Registry authentication: remembers each registry's challenge (so later requests go
 * straight to auth), answers Basic challenges with the configured credentials and Bearer
 * challenges with tokens from the registry's token server (cached, shared while in flight).
 * Credentials never appear in messages or logs.
 */
import type { RegistryCredentials } from '../core/ports/registry-port';
import { TagkeeperError } from '../api/errors';
import { redact, type Transport } from './transport';
import { TokenCache, tokenKey, type IssuedToken } from './token-cache';
import { findChallenge, parseWwwAuthenticate, type Challenge } from './www-authenticate';

/** A registry login, as the store keeps it (without its host). */
export type Credentials = Pick<RegistryCredentials, 'username' | 'password'>;

export type CredentialsLookup = (domain: string) => Credentials | undefined;

const DEFAULT_TOKEN_SECONDS = 60;
const TOKEN_BODY_BYTES = 1024 * 1024;

export class Authenticator {
  private readonly challenges = new Map<string, Challenge>();
  private readonly tokens: TokenCache;

  constructor(
    private readonly transport: Transport,
    private readonly lookup: CredentialsLookup | undefined,
    now?: () => number,
  ) {
    this.tokens = new TokenCache(now);
  }

  credentials(domain: string): Credentials | undefined {
    return this.lookup?.(domain);
  }

  /** The remembered challenge of `domain` (canonical), if it asked for auth before. */
  challenge(domain: string): Challenge | undefined {
    return this.challenges.get(domain);
  }

  /** Remember the challenge of a 401; Bearer is preferred over Basic. Undefined if none usable. */
  learn(domain: string, header: string | string[] | undefined): Challenge | undefined {
    const all = parseWwwAuthenticate(header);
    const chosen = findChallenge(all, 'bearer') ?? findChallenge(all, 'basic');
    if (chosen?.scheme === 'bearer' && !chosen.params.realm) return undefined;
    if (chosen) this.challenges.set(domain, chosen);
    return chosen;
  }

  /**
   * The Authorization header for a request to `domain` needing `scope` (`repository:x:pull`,
   * or '' for /v2/), or undefined when the registry never asked or no credentials fit.
   */
  async header(domain: string, scope: string, signal?: AbortSignal): Promise<string | undefined> {
    const challenge = this.challenges.get(domain);
    if (!challenge) return undefined;
    const creds = this.credentials(domain);
    if (challenge.scheme === 'basic') return creds ? basic(creds) : undefined;
    const key = tokenKey(domain, scope, creds);
    const token = await abortable(
      this.tokens.get(key, () => this.fetchToken(domain, challenge, scope, creds)),
      signal,
    );
    return `Bearer ${token}`;
  }

  /** Drop a token the registry rejected, so the next header() asks for a fresh one. */
  invalidate(domain: string, scope: string, header: string | undefined): void {
    if (!header?.startsWith('Bearer ')) return;
    this.tokens.invalidate(tokenKey(domain, scope, this.credentials(domain)), header.slice('Bearer '.length));
  }

  private async fetchToken(domain: string, challenge: Challenge, scope: string, creds: Credentials | undefined): Promise<IssuedToken> {
    let url: URL;
    try {
      url = new URL(challenge.params.realm);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http(s)');
    } catch {
      throw new TagkeeperError('registry-error', `registry ${domain} named an unusable token server "${challenge.params.realm}"`, {
        hint: 'the registry is misconfigured; ask its operator',
      });
    }
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    if (scope) url.searchParams.set('scope', scope);
    const res = await this.transport.send({
      method: 'GET',
      url: url.toString(),
      headers: creds ? { authorization: basic(creds) } : {},
      maxBodyBytes: TOKEN_BODY_BYTES,
      domain,
    });
    if (res.status === 401 || res.status === 403) {
      throw new TagkeeperError(
        'registry-auth-failed',
        creds
          ? `the token server of registry ${domain} rejected the configured credentials (${res.status} from ${redact(res.url)})`
          : `the token server of registry ${domain} requires credentials (${res.status} from ${redact(res.url)})`,
        { hint: `check the user name and password configured for ${domain}` },
      );
    }
    if (res.status < 200 || res.status >= 300) {
      throw new TagkeeperError('registry-error', `the token server of registry ${domain} answered ${res.status} (${redact(res.url)})`, {
        hint: 'try again later; if it persists, check the registry',
      });
    }
    return parseTokenResponse(res.body, domain);
  }
}

/** `{token | access_token, expires_in?}` → IssuedToken (expires_in defaults to 60 s). */
export function parseTokenResponse(body: Uint8Array, domain: string): IssuedToken {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const obj = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const token = typeof obj.token === 'string' && obj.token ? obj.token : typeof obj.access_token === 'string' ? obj.access_token : '';
  if (!token) {
    throw new TagkeeperError('registry-error', `the token server of registry ${domain} sent no token`, {
      hint: 'the registry is misconfigured; ask its operator',
    });
  }
  const expires = typeof obj.expires_in === 'number' && obj.expires_in > 0 ? obj.expires_in : DEFAULT_TOKEN_SECONDS;
  return { token, expiresInSeconds: expires };
}

function basic(creds: Credentials): string {
  return `Basic ${Buffer.from(`${creds.username}:${creds.password}`, 'utf8').toString('base64')}`;
}

/** Await `promise` unless `signal` aborts first (the shared work itself goes on). */
function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new TagkeeperError('cancelled', 'the registry request was cancelled'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new TagkeeperError('cancelled', 'the registry request was cancelled'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
