/**
 * One undici Agent per registry client: keep-alive connections, bounded per origin, no
 * pipelining. `send` performs a GET or HEAD (or a token POST) with a per-attempt timeout,
 * retries transient failures (429, 5xx, resets, refusals, timeouts) with back-off or the
 * server's Retry-After (not a 429 that says the pull rate limit is used up: that lasts hours),
 * follows redirects, reads the body with a cap (or hands a blob's body over unread) and counts
 * requests and connections.
 */
import type { Agent, Dispatcher } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { TagkeeperError } from '../api/errors';
import { BodyTooLargeError, discard, readCapped, readForError } from './http-body';
import { Limiter } from './limiter';
import { isRateLimitUsedUp } from './rate-limit';
import { backoffDelay, isRetryableNetworkError, isRetryableStatus, networkErrorCode, parseRetryAfter, sleep, type BackoffOptions } from './retry';

export interface RequestEvent {
  method: string;
  url: string;
  /** HTTP status, or 0 when the attempt failed without an answer. */
  status: number;
  /** 1 for the first try of a request, 2 for its first retry … */
  attempt: number;
}

export interface TransportOptions {
  timeoutMs: number;
  maxRetries: number;
  /** Connections per origin, and requests in flight at once. */
  connections: number;
  userAgent: string;
  backoff?: BackoffOptions;
  onRequest?: (event: RequestEvent) => void;
}

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST';
  url: string;
  headers?: Record<string, string>;
  /** The body of a POST (a token request's form). */
  body?: string;
  signal?: AbortSignal;
  /** Cap for a successful answer's body (BodyTooLargeError past it). Default 1 MiB. */
  maxBodyBytes?: number;
  /** The registry domain, for messages. */
  domain: string;
  /**
   * Hand a 2xx GET's body over unread, as HttpResponse.stream (blobs). The per-attempt
   * timeout then covers the wait for the headers only (undici's bodyTimeout still ends a
   * stalled body), and the request keeps its slot until that body has ended or is destroyed.
   */
  stream?: boolean;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The URL that answered (after redirects). */
  url: string;
  /** How many attempts it took. */
  attempts: number;
  /** The unread body of a 2xx answer to a `stream` request (`body` is then empty). */
  stream?: Readable;
}

export interface TransportStats {
  /** Requests sent on the wire, by method (every attempt counts). */
  requests: Record<string, number>;
  /** TCP/TLS connections opened so far. */
  connectionsOpened: number;
}

const MAX_REDIRECTS = 5;
const ERROR_BODY_BYTES = 64 * 1024;
export const UNREACHABLE_HINT = 'check the network or the registry; with pull policy always the app will not start without it';

export class Transport {
  private undiciAgent: Agent | undefined;
  private preparing = false;
  private closed = false;
  private readonly limiter: Limiter;
  private readonly counts: Record<string, number> = {};
  private opened = 0;

  constructor(private readonly options: TransportOptions) {
    this.limiter = new Limiter(options.connections);
  }

  /** The connection pool, made on the first request. */
  private get agent(): Agent {
    if (this.undiciAgent) return this.undiciAgent;
    const { Agent: UndiciAgent } = undiciParts();
    const agent = new UndiciAgent({
      connections: this.options.connections,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      connect: { timeout: this.options.timeoutMs },
      headersTimeout: this.options.timeoutMs,
      bodyTimeout: this.options.timeoutMs,
    });
    agent.on('connect', () => {
      this.opened++;
    });
    // Closed before its first request: refuse requests, as the Agent does once closed.
    if (this.closed) void agent.destroy();
    this.undiciAgent = agent;
    return agent;
  }

  /**
   * Loads the connection pool on the next turn of the event loop, unless it is there: a
   * caller about to wait for something else (the engine's answer) lets the loading happen
   * during that wait instead of after it.
   */
  prepare(): void {
    if (!this.undiciAgent && !this.preparing) {
      this.preparing = true;
      setImmediate(() => void this.agent);
    }
  }

  stats(): TransportStats {
    return { requests: { ...this.counts }, connectionsOpened: this.opened };
  }

  close(): Promise<void> {
    this.closed = true;
    return this.undiciAgent ? this.undiciAgent.close() : Promise.resolve();
  }

  /** Send with retries; answers (also 4xx/5xx after the last retry) are returned, failures thrown. */
  async send(request: HttpRequest): Promise<HttpResponse> {
    let url = request.url;
    let headers = { ...request.headers };
    let redirects = 0;
    for (let attempt = 1; ; attempt++) {
      let response: HttpResponse;
      try {
        response = await this.inSlot(() => this.once(request, url, headers, attempt), request.signal);
      } catch (error) {
        if (request.signal?.aborted) throw cancelled(request, url);
        if (error instanceof BodyTooLargeError || error instanceof TagkeeperError) throw error;
        if (!isRetryableNetworkError(error) || attempt > this.options.maxRetries) throw unreachable(request, url, error, attempt, this.options.timeoutMs);
        await this.pause(backoffDelay(attempt - 1, this.options.backoff), request, url);
        continue;
      }
      const location = response.headers.location;
      if (response.status >= 300 && response.status < 400 && typeof location === 'string' && redirects < MAX_REDIRECTS) {
        const next = new URL(location, url);
        if (next.origin !== new URL(url).origin) headers = withoutAuthorization(headers);
        url = next.toString();
        redirects++;
        attempt--; // a redirect is not a retry
        continue;
      }
      const usedUp = response.status === 429 && isRateLimitUsedUp(response.headers);
      if (isRetryableStatus(response.status) && !usedUp && attempt <= this.options.maxRetries) {
        const wait = parseRetryAfter(response.headers['retry-after']) ?? backoffDelay(attempt - 1, this.options.backoff);
        await this.pause(wait, request, url);
        continue;
      }
      return response;
    }
  }

  /** Runs one attempt in a limiter slot; a streamed body keeps the slot until it closes. */
  private inSlot(attempt: () => Promise<HttpResponse>, signal?: AbortSignal): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      this.limiter
        .run(async () => {
          const response = await attempt();
          resolve(response);
          if (response.stream) await finished(response.stream).catch(() => undefined);
        }, signal)
        .catch(reject);
    });
  }

  private async pause(ms: number, request: HttpRequest, url: string): Promise<void> {
    try {
      await sleep(ms, request.signal);
    } catch {
      throw cancelled(request, url);
    }
  }

  private async once(request: HttpRequest, url: string, headers: Record<string, string>, attempt: number): Promise<HttpResponse> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.options.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, deadline.signal]) : deadline.signal;
    this.counts[request.method] = (this.counts[request.method] ?? 0) + 1;
    let status = 0;
    try {
      const parsed = new URL(url);
      const res = await undiciParts().request.call(this.agent, {
        origin: parsed.origin,
        path: `${parsed.pathname}${parsed.search}`,
        method: request.method,
        headers: { 'user-agent': this.options.userAgent, ...headers },
        ...(request.body === undefined ? {} : { body: request.body }),
        signal,
        // undici closes the connection after every HEAD unless told not to; registries send
        // no body on HEAD, so keep the connection for the next request.
        reset: false,
      });
      status = res.statusCode;
      if (request.stream && request.method === 'GET' && status >= 200 && status < 300) {
        clearTimeout(timer); // the caller's signal still aborts the body
        return { status, headers: res.headers, body: Buffer.alloc(0), stream: res.body, url, attempts: attempt };
      }
      let body: Buffer = Buffer.alloc(0);
      if (request.method === 'HEAD' || (status >= 300 && status < 400)) {
        await res.body.dump();
      } else if (status >= 200 && status < 300) {
        const cap = request.maxBodyBytes ?? 1024 * 1024;
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > cap) {
          discard(res.body);
          throw new BodyTooLargeError(cap);
        }
        body = await readCapped(res.body, cap);
      } else {
        body = Buffer.from(await readForError(res.body, ERROR_BODY_BYTES));
      }
      return { status, headers: res.headers, body, url, attempts: attempt };
    } catch (error) {
      if (deadline.signal.aborted && !request.signal?.aborted) throw timedOut(error, this.options.timeoutMs);
      throw error;
    } finally {
      clearTimeout(timer);
      this.options.onRequest?.({ method: request.method, url, status, attempt });
    }
  }
}

/**
 * undici's Agent class and its `request`, loaded when a registry is first asked rather than
 * on every CLI start, and only those modules: undici's index also loads fetch, WebSocket, the
 * cache and the mocks, which took 100 ms of a 500 ms `tagkeeper check` where these take 40.
 * They are what the index exports (the index puts `request` on every dispatcher);
 * test/unit/undici-parts.test.ts checks that, so an undici upgrade that moves them fails there.
 */
export function loadUndiciParts(): { Agent: typeof Agent; request: RequestFunction } {
  return { Agent: require('undici/lib/dispatcher/agent') as typeof Agent, request: require('undici/lib/api/api-request') as RequestFunction };
}

type RequestFunction = (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;

let loadedParts: ReturnType<typeof loadUndiciParts> | undefined;

const undiciParts = (): ReturnType<typeof loadUndiciParts> => (loadedParts ??= loadUndiciParts());

function withoutAuthorization(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() !== 'authorization') out[k] = v;
  return out;
}

/** A per-attempt timeout, shaped as a retryable network error. */
function timedOut(cause: unknown, timeoutMs: number): Error {
  return Object.assign(new Error(`no answer within ${timeoutMs} ms`, { cause }), { code: 'ETIMEDOUT' });
}

function describe(error: unknown, timeoutMs: number): string {
  switch (networkErrorCode(error)) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
      return 'host name not found';
    case 'EAI_AGAIN':
      return 'host name lookup failed';
    case 'ECONNRESET':
      return 'connection reset';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return `no answer within ${timeoutMs} ms`;
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return 'network unreachable';
    default:
      return (error instanceof Error ? error.message : String(error)).split('\n')[0];
  }
}

function unreachable(request: HttpRequest, url: string, error: unknown, attempts: number, timeoutMs: number): TagkeeperError {
  const tries = attempts === 1 ? '' : ` after ${attempts} attempts`;
  return new TagkeeperError(
    'registry-unreachable',
    `registry ${request.domain} unreachable: ${request.method} ${redact(url)} failed${tries} (${describe(error, timeoutMs)})`,
    { hint: UNREACHABLE_HINT, cause: error },
  );
}

function cancelled(request: HttpRequest, url: string): TagkeeperError {
  return new TagkeeperError('cancelled', `${request.method} ${redact(url)} was cancelled`);
}

/** A URL for messages: no user info, no query (token URLs can carry account names). */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
