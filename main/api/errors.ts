/**
 * The one error type the core raises. Every error says what happened, to what, and what to
 * do (`hint`). `code` is stable and travels across every transport; the CLI maps it to an
 * exit code (bad input → 2, failed operation → 1).
 */
export const BAD_INPUT_CODES = [
  'invalid-input',
  'invalid-reference',
  'invalid-digest',
  'invalid-settings',
  'unknown-app',
  'already-exists',
  'bad-bundle',
  // The data directory belongs to another Docker Engine than the one reached (nothing was done).
  'engine-mismatch',
] as const;

export const FAILURE_CODES = [
  'engine-unreachable',
  'engine-error',
  'registry-unreachable',
  'registry-error',
  'registry-auth-failed',
  // The registry's pull rate limit (Docker Hub's) is used up for now: retrying soon cannot help.
  'registry-rate-limited',
  'manifest-unknown',
  'manifest-invalid',
  'manifest-too-large',
  'digest-mismatch',
  'platform-not-found',
  'pull-failed',
  'policy-forbids',
  'offline',
  'container-failed',
  'busy',
  'cancelled',
  // The store (main/store/): its database in the data directory. Each message names the data
  // directory and the way out: a database that is missing while the directory shows a previous
  // install (never silently started afresh), a damaged one, a full disk, an I/O error.
  'store-missing',
  'store-corrupt',
  'store-full',
  'store-io-error',
  // The transport to a Tagkeeper instance (main/api/http-client.ts): it did not answer, it
  // refused the token (not the user's input: the instance restarted with a new token, or the
  // URL lost it), or it answered with an HTTP status no client of this version expects.
  'instance-unreachable',
  'unauthorized',
  'instance-error',
  // The box's service manager (systemd) is not running, or systemctl failed (`tagkeeper service`).
  'service-error',
  'internal',
] as const;

export type BadInputCode = (typeof BAD_INPUT_CODES)[number];
export type FailureCode = (typeof FAILURE_CODES)[number];
export type ErrorCode = BadInputCode | FailureCode;

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  hint?: string;
  /** A create that failed after the app was recorded: the app's name (it exists, failed, holding the name). */
  createdApp?: string;
}

export class TagkeeperError extends Error implements ErrorInfo {
  override readonly name = 'TagkeeperError';
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly createdApp?: string;

  constructor(code: ErrorCode, message: string, options: { hint?: string; cause?: unknown; createdApp?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    if (options.createdApp !== undefined) this.createdApp = options.createdApp;
  }

  /** The message with its hint, as one line for a terminal or a log. */
  get sentence(): string {
    return this.hint ? `${this.message} (${this.hint})` : this.message;
  }

  toInfo(): ErrorInfo {
    const info: ErrorInfo = this.hint ? { code: this.code, message: this.message, hint: this.hint } : { code: this.code, message: this.message };
    return this.createdApp === undefined ? info : { ...info, createdApp: this.createdApp };
  }
}

export function isBadInput(code: ErrorCode): boolean {
  return (BAD_INPUT_CODES as readonly string[]).includes(code);
}

/** Any thrown value as a TagkeeperError (unknown errors become `internal`). */
export function asTagkeeperError(error: unknown): TagkeeperError {
  if (error instanceof TagkeeperError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new TagkeeperError('internal', message, { cause: error });
}
