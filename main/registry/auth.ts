/**
 * Registry authentication: remembers each endpoint's challenge (so later requests go straight
 * to auth), answers Basic challenges with the credentials found for the registry and Bearer
 * challenges with tokens from the registry's token server (cached, shared while in flight);
 * an identity token (OAuth refresh token, as `docker login` may keep one) is traded for an
 * access token with the OAuth2 POST. Credentials never appear in messages or logs.
 */
import type { Login } from '../core/ports/credentials-port';
import { TagkeeperError } from '../api/errors';
import { redact, type Transport } from './transport';
import { TokenCache, tokenKey, type IssuedToken } from './token-cache';
import { findChallenge, parseWwwAuthenticate, type Challenge } from './www-authenticate';

/** A registry login: user and password, or an identity token. */
export type Credentials = Login;

/** The credentials for a registry domain (`docker.io`, `127.0.0.1:5000`), looked up at each request. */
export type CredentialsLookup = (domain: string) => Credentials | null | undefined | Promise<Credentials | null | undefined>;

const DEFAULT_TOKEN_SECONDS = 60;
const TOKEN_BODY_BYTES = 1024 * 1024;
/** The client id Tagkeeper gives token servers in the OAuth2 refresh-token flow. */
const OAUTH_CLIENT_ID = 'tagkeeper';

export class Authenticator {
  /** By endpoint: the registry's domain, or a mirror's origin. */
  private readonly challenges = new Map<string, Challenge>();
  private readonly tokens: TokenCache;

  constructor(
    private readonly transport: Transport,
    private readonly lookup: CredentialsLookup | undefined,
    now?: () => number,
  ) {
    this.tokens = new TokenCache(now);
  }

  /** The credentials for `domain` (canonical) as they are now, or undefined. */
  async credentials(domain: string): Promise<Credentials | undefined> {
    return (await this.lookup?.(domain)) ?? undefined;
  }

  /** The remembered challenge of endpoint `key`, if it asked for auth before. */
  challenge(key: string): Challenge | undefined {
    return this.challenges.get(key);
  }

  /** Remember the challenge of a 401; Bearer is preferred over Basic. Undefined if none usable. */
  learn(key: string, header: string | string[] | undefined): Challenge | undefined {
    const all = parseWwwAuthenticate(header);
    const chosen = findChallenge(all, 'bearer') ?? findChallenge(all, 'basic');
    if (chosen?.scheme === 'bearer' && !chosen.params.realm) return undefined;
    if (chosen) this.challenges.set(key, chosen);
    return chosen;
  }

  /**
   * The Authorization header for a request to endpoint `key` needing `scope`
   * (`repository:x:pull`, or '' for /v2/), or undefined when it never asked or no credentials fit.
   */
  async header(key: string, scope: string, creds: Credentials | undefined, signal?: AbortSignal): Promise<string | undefined> {
    const challenge = this.challenges.get(key);
    if (!challenge) return undefined;
    if (challenge.scheme === 'basic') return creds && !creds.identityToken ? basic(creds) : undefined;
    const token = await abortable(
      this.tokens.get(cacheKey(key, scope, creds), () => this.fetchToken(key, challenge, scope, creds)),
      signal,
    );
    return `Bearer ${token}`;
  }

  /** Drop a token the registry rejected, so the next header() asks for a fresh one. */
  invalidate(key: string, scope: string, creds: Credentials | undefined, header: string | undefined): void {
    if (!header?.startsWith('Bearer ')) return;
    this.tokens.invalidate(cacheKey(key, scope, creds), header.slice('Bearer '.length));
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
    const res = creds?.identityToken ? await this.oauthToken(url, domain, challenge, scope, creds.identityToken) : await this.basicToken(url, domain, challenge, scope, creds);
    if (res.status === 401 || res.status === 403) {
      throw new TagkeeperError(
        'registry-auth-failed',
        creds
          ? `the token server of registry ${domain} rejected the configured credentials (${res.status} from ${redact(res.url)})`
          : `the token server of registry ${domain} requires credentials (${res.status} from ${redact(res.url)})`,
        { hint: `check the credentials for ${domain} in Settings → Registries, or with docker login` },
      );
    }
    if (res.status < 200 || res.status >= 300) {
      throw new TagkeeperError('registry-error', `the token server of registry ${domain} answered ${res.status} (${redact(res.url)})`, {
        hint: 'try again later; if it persists, check the registry',
      });
    }
    return parseTokenResponse(res.body, domain);
  }

  /** GET realm?service&scope, with Basic credentials when there are some. */
  private basicToken(url: URL, domain: string, challenge: Challenge, scope: string, creds: Credentials | undefined) {
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    if (scope) url.searchParams.set('scope', scope);
    return this.transport.send({
      method: 'GET',
      url: url.toString(),
      headers: creds ? { authorization: basic(creds) } : {},
      maxBodyBytes: TOKEN_BODY_BYTES,
      domain,
    });
  }

  /** The OAuth2 refresh-token grant (POST to the realm), as the docker CLI does with an identity token. */
  private oauthToken(url: URL, domain: string, challenge: Challenge, scope: string, refreshToken: string) {
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: OAUTH_CLIENT_ID });
    if (challenge.params.service) form.set('service', challenge.params.service);
    if (scope) form.set('scope', scope);
    return this.transport.send({
      method: 'POST',
      url: url.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      maxBodyBytes: TOKEN_BODY_BYTES,
      domain,
    });
  }
}

/** Token cache key: the identity is the user plus a hash of the secret (password or identity token), never the secret. */
function cacheKey(key: string, scope: string, creds: Credentials | undefined): string {
  return tokenKey(key, scope, creds && { username: creds.username, password: creds.identityToken ?? creds.password });
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
