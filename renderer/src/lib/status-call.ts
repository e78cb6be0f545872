/**
 * A change one form or row asks for, with its own pending flag and error (a registry's
 * credentials, a trusted key): mark pending, call, then refresh what it changed. Resolves to
 * whether the core took it; a second ask while one is pending is refused.
 */
import type { ErrorInfo } from '../../../main/api/errors';
import { toErrorInfo } from './errors';

export interface CallStatus {
  pending: boolean;
  error: ErrorInfo | null;
}

export async function statusCall(
  current: CallStatus | undefined,
  setStatus: (status: CallStatus) => void,
  call: () => Promise<unknown>,
  refresh: () => Promise<unknown>,
  onError: (error: unknown) => void,
): Promise<boolean> {
  if (current?.pending) return false;
  setStatus({ pending: true, error: null });
  try {
    await call();
    setStatus({ pending: false, error: null });
    await refresh();
    return true;
  } catch (error) {
    setStatus({ pending: false, error: toErrorInfo(error) });
    onError(error);
    return false;
  }
}
