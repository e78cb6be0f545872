/**
 * The OCI distribution client behind RegistryPort: manifest HEAD and GET and blob GET (as a
 * verified stream) with token or Basic auth, verified digests, capped bodies and retries.
 * docker.io is asked through the engine's registry mirrors first and Docker Hub last, as
 * dockerd pulls (endpoint-plan.ts). One undici Agent (keep-alive, bounded connections per
 * origin) per client; `stats()` shows how many connections were opened.
 */
import { digestOf, isDigest, parseDigest, verifyDigest } from '../core/model/digest';
import { TagkeeperError } from '../api/errors';
import { MANIFEST_ACCEPT, bareMediaType, detectManifestMediaType, isManifestMediaType, isSchema1MediaType } from '../core/model/manifest';
import type { EngineRegistryConfig } from '../core/ports/engine-port';
import type { BlobOptions, FetchedBlob, FetchedManifest, ManifestDescriptor, ManifestSource, RegistryPort, RepositoryName, RequestOptions } from '../core/ports/registry-port';
import { Authenticator, type Credentials, type CredentialsLookup } from './auth';
import { blobSize, verifyBlobStream, type BlobExpectation } from './blob-stream';
import { canonicalDomain, type RegistryEndpoint } from './endpoint';
import { EndpointPlan } from './endpoint-plan';
import { BodyTooLargeError, discard, registryErrorSummary } from './http-body';
import { parseRateLimit, type RateLimit } from './rate-limit';
import { accessDenied, credentialsRejected, display, rateLimited, schema1, unexpected } from './registry-errors';
import type { BackoffOptions } from './retry';
import { Transport, redact, type HttpResponse, type RequestEvent, type TransportStats } from './transport';

/** A rate limit a registry stated, and which registry (`docker.io`, or a mirror's origin). */
export interface RateLimitSeen extends RateLimit {
  registry: string;
}

export interface RegistryClientOptions {
  /** Credentials for a registry domain (`docker.io`, `127.0.0.1:5000`), or undefined; asked at each request. */
  credentials?: CredentialsLookup;
  /**
   * Domains (`host` or `host:port`) spoken to in plain HTTP (loopback always is); a function
   * is asked on every request, so a settings change applies while an instance runs.
   */
  insecureRegistries?: readonly string[] | (() => readonly string[]);
  /** The engine's registry configuration: its mirrors for docker.io, its insecure registries. */
  engineRegistry?: () => Promise<EngineRegistryConfig>;
  /** Called with the rate limit a manifest answer states (Docker Hub's `ratelimit-*` headers). */
  onRateLimit?: (seen: RateLimitSeen) => void;
  /** Per-attempt timeout. Default 15000 ms. */
  timeoutMs?: number;
  /** Retries after the first attempt for 429, 5xx and network failures. Default 3. */
  maxRetries?: number;
  /** Largest manifest accepted. Default 4 MiB. */
  maxManifestBytes?: number;
  /** Connections per registry origin, and requests in flight at once. Default 16. */
  concurrency?: number;
  userAgent?: string;
  /** Back-off tuning (tests use small delays). */
  backoff?: BackoffOptions;
  /** Called after every attempt on the wire (also token requests). */
  onRequest?: (event: RequestEvent) => void;
}

export interface RegistryClientStats extends TransportStats {
  /** Total requests sent on the wire. */
  total: number;
}

const DEFAULT_MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export class RegistryClient implements RegistryPort {
  private readonly transport: Transport;
  private readonly auth: Authenticator;
  private readonly plan: EndpointPlan;
  private readonly maxManifestBytes: number;
  private readonly onRateLimit: ((seen: RateLimitSeen) => void) | undefined;

  constructor(options: RegistryClientOptions = {}) {
    const connections = options.concurrency ?? 16;
    this.transport = new Transport({
      timeoutMs: options.timeoutMs ?? 15_000,
      maxRetries: options.maxRetries ?? 3,
      connections,
      userAgent: options.userAgent ?? 'tagkeeper',
      backoff: options.backoff,
      onRequest: options.onRequest,
    });
    this.auth = new Authenticator(this.transport, options.credentials);
    const insecure = options.insecureRegistries ?? [];
    this.plan = new EndpointPlan({ insecure: typeof insecure === 'function' ? insecure : () => insecure, engine: options.engineRegistry });
    this.onRateLimit = options.onRateLimit;
    this.maxManifestBytes = options.maxManifestBytes ?? DEFAULT_MAX_MANIFEST_BYTES;
  }

  prepare(): void {
    this.transport.prepare();
  }

  async headManifest(repo: RepositoryName, reference: string, options: RequestOptions = {}): Promise<ManifestDescriptor> {
    const answer = await this.call(repo, 'HEAD', manifestPath(repo, reference), { signal: options.signal });
    const { res } = answer;
    this.expectOk(answer, repo, reference, 'HEAD');
    const digest = header(res, 'docker-content-digest');
    const contentType = header(res, 'content-type');
    const size = Number(header(res, 'content-length'));
    if (isSchema1MediaType(contentType)) throw schema1(repo, reference);
    if (!digest || !isDigest(digest) || !isManifestMediaType(contentType) || !Number.isSafeInteger(size)) {
      // Not enough in the headers: fetch the manifest and hash it.
      const fetched = await this.getManifest(repo, reference, options);
      return { digest: fetched.digest, mediaType: fetched.mediaType, size: fetched.size, ...(fetched.source ? { source: fetched.source } : {}) };
    }
    if (isDigest(reference) && digest !== reference) {
      throw new TagkeeperError('digest-mismatch', `registry ${repo.domain} says ${display(repo, reference)} has digest ${digest}`, {
        hint: 'the registry is not serving the pinned content; do not use it, and check the registry',
      });
    }
    return { digest, mediaType: bareMediaType(contentType as string), size, source: sourceOf(answer.endpoint) };
  }

  async getManifest(repo: RepositoryName, reference: string, options: RequestOptions = {}): Promise<FetchedManifest> {
    let answer: Answer;
    try {
      answer = await this.call(repo, 'GET', manifestPath(repo, reference), { signal: options.signal, maxBodyBytes: this.maxManifestBytes });
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      throw new TagkeeperError('manifest-too-large', `the manifest of ${display(repo, reference)} is larger than ${error.limit} bytes`, {
        hint: 'a real image manifest is a few kilobytes; check the reference and the registry',
        cause: error,
      });
    }
    const { res } = answer;
    this.expectOk(answer, repo, reference, 'GET');
    const bytes = new Uint8Array(res.body);
    const contentType = header(res, 'content-type');
    if (isSchema1MediaType(contentType)) throw schema1(repo, reference);
    const mediaType = isManifestMediaType(contentType) ? bareMediaType(contentType as string) : detectManifestMediaType(bytes, contentType);
    const what = `manifest of ${display(repo, reference)}`;
    if (isDigest(reference)) verifyDigest(bytes, reference, what);
    const served = header(res, 'docker-content-digest');
    if (served && isDigest(served)) verifyDigest(bytes, served, `${what} (Docker-Content-Digest)`);
    const digest = isDigest(reference) ? reference : served && isDigest(served) ? served : digestOf(bytes);
    return { digest, mediaType, size: bytes.byteLength, bytes, source: sourceOf(answer.endpoint) };
  }

  /**
   * GET a blob as a stream that is verified while it flows (see blob-stream.ts): it errors
   * with digest-mismatch or registry-error at the point the bytes prove wrong. Redirects to
   * storage are followed; retries cover the request, not a body that breaks off midway.
   */
  async getBlob(repo: RepositoryName, digest: string, options: BlobOptions = {}): Promise<FetchedBlob> {
    parseDigest(digest);
    const what = `blob ${digest} of ${repo.domain}/${repo.path}`;
    const answer = await this.call(repo, 'GET', `/v2/${repo.path}/blobs/${digest}`, { signal: options.signal, stream: true, accept: '*/*' });
    const { res } = answer;
    if (!res.stream) throw this.blobFailure(answer, repo, what);
    const expect: BlobExpectation = { digest, what, domain: repo.domain, ...(options.size === undefined ? {} : { size: options.size }) };
    let size: number;
    try {
      size = blobSize(res.headers, expect);
    } catch (error) {
      discard(res.stream);
      throw error;
    }
    return { stream: verifyBlobStream(res.stream, expect, options.signal), size };
  }

  /**
   * Check that the registry answers (GET /v2/) and, when credentials are configured for it,
   * that they are accepted. Throws registry-unreachable, registry-auth-failed or registry-error.
   */
  async ping(domain: string, options: RequestOptions = {}): Promise<void> {
    const canonical = canonicalDomain(domain);
    const endpoint = (await this.plan.endpoints(domain)).at(-1) as RegistryEndpoint;
    const url = `${endpoint.origin}/v2/`;
    const creds = await this.auth.credentials(canonical);
    let authorization = await this.auth.header(canonical, '', creds, options.signal);
    for (let tries = 0; ; tries++) {
      const res = await this.transport.send({ method: 'GET', url, headers: authHeaders(authorization), signal: options.signal, domain });
      if (res.status >= 200 && res.status < 300) return;
      if (res.status !== 401) throw unexpected(res, domain, `GET ${redact(url)}`, 'it may not be an OCI registry');
      if (tries > 0) throw credentialsRejected(domain, !!creds);
      const challenge = this.auth.learn(canonical, res.headers['www-authenticate']);
      if (!challenge || !creds) return; // reachable; nothing to verify
      this.auth.invalidate(canonical, '', creds, authorization);
      authorization = await this.auth.header(canonical, '', creds, options.signal);
    }
  }

  stats(): RegistryClientStats {
    const s = this.transport.stats();
    return { ...s, total: Object.values(s.requests).reduce((a, b) => a + b, 0) };
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  /**
   * One request to the first endpoint that answers it: for docker.io each mirror in turn (any
   * failure of a mirror moves on, as dockerd does), then Docker Hub; for others the registry.
   */
  private async call(repo: RepositoryName, method: 'GET' | 'HEAD', path: string, options: CallOptions): Promise<Answer> {
    const endpoints = await this.plan.endpoints(repo.domain);
    const creds = await this.auth.credentials(canonicalDomain(repo.domain));
    for (let i = 0; ; i++) {
      const endpoint = endpoints[i];
      const last = i === endpoints.length - 1;
      try {
        const res = await this.callAt(endpoint, repo, method, path, creds, options);
        if (last || (res.status >= 200 && res.status < 300)) return { res, endpoint, hadCredentials: creds !== undefined };
      } catch (error) {
        if (last || options.signal?.aborted || (error instanceof TagkeeperError && error.code === 'cancelled')) throw error;
      }
    }
  }

  /** One request to one endpoint with auth: straight to auth when it asked before; one re-auth on 401. */
  private async callAt(
    endpoint: RegistryEndpoint,
    repo: RepositoryName,
    method: 'GET' | 'HEAD',
    path: string,
    creds: Credentials | undefined,
    options: CallOptions,
  ): Promise<HttpResponse> {
    const { signal } = options;
    // Challenges and tokens are the endpoint's: a mirror's are not Docker Hub's.
    const key = endpoint.mirror ? endpoint.origin : canonicalDomain(repo.domain);
    const url = `${endpoint.origin}${path}`;
    const scope = `repository:${repo.path}:pull`;
    let authorization = await this.auth.header(key, scope, creds, signal);
    for (let reauthenticated = false; ; reauthenticated = true) {
      const res = await this.transport.send({
        method,
        url,
        headers: { accept: options.accept ?? MANIFEST_ACCEPT, ...authHeaders(authorization) },
        signal,
        maxBodyBytes: options.maxBodyBytes,
        stream: options.stream,
        domain: repo.domain,
      });
      if (path.includes('/manifests/')) this.noteRateLimit(endpoint, res);
      if (res.status !== 401) return res;
      if (reauthenticated) throw accessDenied(repo, !!creds, res);
      const challenge = this.auth.learn(key, res.headers['www-authenticate']);
      if (!challenge) throw accessDenied(repo, !!creds, res);
      this.auth.invalidate(key, scope, creds, authorization);
      authorization = await this.auth.header(key, scope, creds, signal);
      if (!authorization) throw accessDenied(repo, false, res);
    }
  }

  private noteRateLimit(endpoint: RegistryEndpoint, res: HttpResponse): void {
    const limit = this.onRateLimit && parseRateLimit(res.headers);
    if (limit) this.onRateLimit?.({ registry: endpoint.mirror ? endpoint.origin : canonicalDomain(endpoint.domain), ...limit });
  }

  /** The error for a blob GET that was not answered 2xx. */
  private blobFailure({ res, hadCredentials }: Answer, repo: RepositoryName, what: string): TagkeeperError {
    const summary = registryErrorSummary(res.body.toString('utf8'));
    if (res.status === 404) {
      return new TagkeeperError('registry-error', `registry ${repo.domain} has no ${what} (it answered 404${summary ? ` ${summary}` : ''})`, {
        hint: 'the digest is wrong, or the blob was deleted from the registry: check the image was pushed completely',
      });
    }
    if (res.status === 403) return accessDenied(repo, hadCredentials, res);
    if (res.status === 429) return rateLimited(res, repo.domain, `GET ${what}`);
    return unexpected(res, repo.domain, `GET ${what}`, 'try again later; if it persists, check the registry');
  }

  private expectOk({ res, hadCredentials }: Answer, repo: RepositoryName, reference: string, method: string): void {
    if (res.status >= 200 && res.status < 300) return;
    const summary = registryErrorSummary(res.body.toString('utf8'));
    if (res.status === 404) {
      throw new TagkeeperError(
        'manifest-unknown',
        `no manifest for ${display(repo, reference)} (the registry answered 404${summary ? ` ${summary}` : ''})`,
        { hint: `check the tag or digest, and that the image was pushed to ${repo.domain}` },
      );
    }
    if (res.status === 403) throw accessDenied(repo, hadCredentials, res);
    if (res.status === 429) throw rateLimited(res, repo.domain, `${method} ${display(repo, reference)}`);
    throw unexpected(res, repo.domain, `${method} ${display(repo, reference)}`, 'try again later; if it persists, check the registry');
  }
}

/** An answer, the endpoint that gave it, and whether credentials were sent. */
interface Answer {
  res: HttpResponse;
  endpoint: RegistryEndpoint;
  hadCredentials: boolean;
}

interface CallOptions {
  signal?: AbortSignal;
  /** Accept header; default: every manifest media type. */
  accept?: string;
  maxBodyBytes?: number;
  /** Hand a 2xx body over unread (HttpResponse.stream). */
  stream?: boolean;
}

function manifestPath(repo: RepositoryName, reference: string): string {
  return `/v2/${repo.path}/manifests/${encodeURIComponent(reference).replace(/%3A/gi, ':')}`;
}

function header(res: HttpResponse, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function authHeaders(authorization: string | undefined): Record<string, string> {
  return authorization ? { authorization } : {};
}

function sourceOf(endpoint: RegistryEndpoint): ManifestSource {
  return { origin: endpoint.origin, mirror: endpoint.mirror };
}
