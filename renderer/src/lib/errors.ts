/** Any failure as the ErrorInfo the screens show: code, message, and what to do. */
import type { ErrorCode, ErrorInfo } from '../../../main/api/errors';

export function toErrorInfo(error: unknown): ErrorInfo {
  if (typeof error === 'object' && error !== null && 'code' in error && 'message' in error) {
    const e = error as { code: ErrorInfo['code']; message: string; hint?: string; createdApp?: unknown };
    const info: ErrorInfo = e.hint ? { code: e.code, message: e.message, hint: e.hint } : { code: e.code, message: e.message };
    return typeof e.createdApp === 'string' ? { ...info, createdApp: e.createdApp } : info;
  }
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

/** Failures of the page's connection to Tagkeeper itself (headless mode), not of the core: the UI shows them apart from engine trouble. */
const CONNECTION_CODES: readonly ErrorCode[] = ['instance-unreachable', 'unauthorized', 'instance-error'];
/** `engine-mismatch`: the engine reached is not the data directory's, so nothing can be done until that is sorted out. */
const DISCONNECTED_CODES: readonly ErrorCode[] = ['engine-unreachable', 'engine-mismatch', 'instance-unreachable', 'unauthorized'];

export function isConnectionFailure(code: ErrorCode): boolean {
  return CONNECTION_CODES.includes(code);
}

/** Errors that mean the engine (or the instance) is gone, not that this one request was wrong. */
export function meansDisconnected(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return DISCONNECTED_CODES.includes(code as ErrorCode);
}
