/**
 * Turns what an engine call throws (socket errors, HTTP errors with the engine's JSON) into
 * TagkeeperErrors that say what was being done, to which engine, and what to do.
 */
import { TagkeeperError } from '../api/errors';

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'EACCES',
  'EPERM',
  'ETIMEDOUT',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENOTSOCK',
]);

/** Node's codes for a TLS handshake that failed: the engine's certificate, or ours, was not accepted. */
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
]);

interface NodeSystemError {
  code?: unknown;
  syscall?: unknown;
  message?: unknown;
}

/** `connect ENOENT` (or `TLS: …`) for a socket error that means the engine cannot be reached; else null. */
export function connectionFailure(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, syscall, message } = error as NodeSystemError;
  if (typeof code === 'string' && (TLS_CODES.has(code) || code.startsWith('ERR_SSL_'))) {
    return `TLS: ${typeof message === 'string' ? message.split('\n')[0].replace(/^.*routines:/, '') : code}`;
  }
  if (typeof code !== 'string' || !CONNECTION_CODES.has(code)) return null;
  if (typeof syscall === 'string') return `${syscall} ${code}`;
  return code === 'ECONNRESET' || code === 'EPIPE' ? `connection lost: ${code}` : code;
}

/** The engine-unreachable error for `endpoint`; `detail` says why (`connect ENOENT`). */
export function unreachable(endpoint: string, detail: string, cause?: unknown): TagkeeperError {
  const permission = detail.includes('EACCES') || detail.includes('EPERM');
  return new TagkeeperError('engine-unreachable', `Docker Engine not reachable at ${endpoint} (${detail})`, {
    hint: detail.startsWith('TLS: ')
      ? "the engine's certificate must be signed by the CA in ca.pem, and cert.pem/key.pem be a client certificate the engine trusts (DOCKER_CERT_PATH, else ~/.docker; or the context's TLS files)"
      : permission
      ? 'this user may not use the engine socket: add it to the docker group, or choose an engine it may use (--host, DOCKER_HOST, DOCKER_CONTEXT)'
      : 'start the Docker daemon, or choose the engine to manage (--host, DOCKER_HOST, DOCKER_CONTEXT or docker context use)',
    cause,
  });
}

/** HTTP status of an engine answer carried by an error (engine-probe.ts, dockerode), else undefined. */
export function httpStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The engine's own words: the `message` of its JSON error body, without dockerode's prefix. */
export function engineMessage(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const json = (error as { json?: unknown }).json;
    if (typeof json === 'object' && json !== null) {
      const message = (json as { message?: unknown }).message;
      if (typeof message === 'string' && message) return message.trim();
    }
    if (typeof json === 'string' && json.trim()) return json.trim();
    if (Buffer.isBuffer(json) && json.length > 0) return json.toString('utf8').trim();
  }
  const raw = error instanceof Error ? error.message : String(error);
  // dockerode: "(HTTP code 404) no such container - No such container: x "
  return raw.replace(/^\(HTTP code \d+\) [^-]*- /, '').trim();
}

export function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (error as NodeSystemError).code === 'ABORT_ERR');
}

/**
 * Any error from an engine call as a TagkeeperError: unreachable engine, cancellation, or
 * `engine-error` "<doing> failed: <engine's message>".
 */
export function mapEngineError(error: unknown, endpoint: string, doing: string): TagkeeperError {
  if (error instanceof TagkeeperError) return error;
  const failure = connectionFailure(error);
  if (failure) return unreachable(endpoint, failure, error);
  if (isAbort(error)) return new TagkeeperError('cancelled', `${doing} cancelled`, { cause: error });
  return new TagkeeperError('engine-error', `${doing} failed: ${engineMessage(error)}`, { cause: error });
}

/** Runs an engine call, mapping its failure with mapEngineError. */
export async function engineCall<T>(endpoint: string, doing: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw mapEngineError(error, endpoint, doing);
  }
}

/** Runs an engine call; an engine answer with one of `statuses` counts as success. */
export async function engineCallAllowing(endpoint: string, statuses: number[], doing: string, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    const status = httpStatus(error);
    if (status !== undefined && statuses.includes(status)) return;
    throw mapEngineError(error, endpoint, doing);
  }
}

/** An inspect answer, or null when the engine does not have the object (404). */
export async function inspectOrNull<T>(endpoint: string, doing: string, inspect: () => Promise<T>): Promise<T | null> {
  try {
    return await inspect();
  } catch (error) {
    if (httpStatus(error) === 404) return null;
    throw mapEngineError(error, endpoint, doing);
  }
}
