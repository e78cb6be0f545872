/**
 * Nothing throws across a transport: handlers answer with an envelope, clients turn an
 * error envelope back into a TagkeeperError with the same code, message and hint.
 */
import { TagkeeperError, type ErrorInfo } from './errors';

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export function unwrap<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.value;
  const { code, message, hint, createdApp } = envelope.error;
  throw new TagkeeperError(code, message, { hint, ...(typeof createdApp === 'string' ? { createdApp } : {}) });
}
