/**
 * What one `tagkeeper serve` takes from its clients before it says no: connections, event
 * streams, request sizes, and how long a connection may sit idle before it has shown its
 * token. A browser page needs one event stream and a handful of connections; the numbers
 * leave room for many pages and the CLI, and keep a local process that opens connections
 * and never sends a request (or sends one byte a minute) from holding the server.
 *
 * Tests set them lower through the environment (TAGKEEPER_SERVE_MAX_CONNECTIONS, …).
 */
import type { IncomingMessage } from 'node:http';
import { TagkeeperError } from '../api/errors';
import { DEFAULT_BUNDLE_LIMITS } from '../bundle/bundle-limits';

export interface HttpLimits {
  /** Connections open at once; one more is closed as it arrives. */
  maxConnections: number;
  /** Event streams (`GET /api/events`) open at once; one more is answered 503. */
  maxEventStreams: number;
  /** An API request's JSON body (bytes); a larger one is answered 413. */
  maxBodyBytes: number;
  /** A bundle upload (bytes); a larger one is answered 413. */
  maxUploadBytes: number;
  /** A connection must have sent a request's headers within this (ms), else it is answered 408 and closed. */
  headersTimeoutMs: number;
  /** A kept-alive connection with no request is closed after this (ms). */
  keepAliveTimeoutMs: number;
  /** A request body (an upload) that sends nothing for this long (ms) is dropped. */
  bodyIdleTimeoutMs: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  maxConnections: 64,
  maxEventStreams: 16,
  maxBodyBytes: 1024 * 1024,
  maxUploadBytes: DEFAULT_BUNDLE_LIMITS.maxTotalBytes,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  bodyIdleTimeoutMs: 60_000,
};

const FROM_ENV: Record<keyof HttpLimits, string> = {
  maxConnections: 'TAGKEEPER_SERVE_MAX_CONNECTIONS',
  maxEventStreams: 'TAGKEEPER_SERVE_MAX_EVENT_STREAMS',
  maxBodyBytes: 'TAGKEEPER_SERVE_MAX_BODY_BYTES',
  maxUploadBytes: 'TAGKEEPER_SERVE_MAX_UPLOAD_BYTES',
  headersTimeoutMs: 'TAGKEEPER_SERVE_HEADERS_TIMEOUT_MS',
  keepAliveTimeoutMs: 'TAGKEEPER_SERVE_KEEP_ALIVE_TIMEOUT_MS',
  bodyIdleTimeoutMs: 'TAGKEEPER_SERVE_BODY_IDLE_TIMEOUT_MS',
};

/** The defaults, with whatever the environment sets (a positive whole number each). */
export function httpLimitsFromEnv(env: NodeJS.ProcessEnv): HttpLimits {
  const limits = { ...DEFAULT_HTTP_LIMITS };
  for (const key of Object.keys(FROM_ENV) as (keyof HttpLimits)[]) {
    const value = env[FROM_ENV[key]];
    if (value === undefined || value === '') continue;
    if (!/^[1-9]\d*$/.test(value)) {
      throw new TagkeeperError('invalid-settings', `${FROM_ENV[key]}="${value}" is not a positive whole number`, { hint: `unset it for the default (${DEFAULT_HTTP_LIMITS[key]})` });
    }
    limits[key] = Number(value);
  }
  return limits;
}

/**
 * Times a request body by idleness: the connection is closed if nothing comes for `idleMs`
 * (node:http closes a socket whose timeout no one handles). `done()` once the body is read.
 */
export function whileReading(req: IncomingMessage, idleMs: number): { done: () => void } {
  req.socket.setTimeout(idleMs);
  return { done: () => req.socket.setTimeout(0) };
}
