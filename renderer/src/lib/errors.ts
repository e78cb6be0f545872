/** Any failure as the ErrorInfo the screens show: code, message, and what to do. */
import type { ErrorInfo } from '../../../main/api/errors';
import { isConnectionError } from '../client/connection-error';

export function toErrorInfo(error: unknown): ErrorInfo {
  if (typeof error === 'object' && error !== null && 'code' in error && 'message' in error) {
    const e = error as { code: ErrorInfo['code']; message: string; hint?: string };
    return e.hint ? { code: e.code, message: e.message, hint: e.hint } : { code: e.code, message: e.message };
  }
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

/** Errors that mean the engine (or the instance) is gone, not that this one request was wrong. */
export function meansDisconnected(error: unknown): boolean {
  if (isConnectionError(error)) return error.problem !== 'http-error';
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'engine-unreachable';
}
