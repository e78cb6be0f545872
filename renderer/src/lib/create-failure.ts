/**
 * A refused create in words for the form: "Not created:" when nothing was recorded, or
 * "Created, but it failed to start:" with the app to open when the app exists (failed,
 * holding its name). The core's message names the app already; the lead says it. Pure.
 */
import type { ErrorInfo } from '../../../main/api/errors';

export interface CreateFailure {
  lead: string;
  detail: string;
  /** The app that exists after the failure, to open; null when nothing was created. */
  app: string | null;
}

export function createFailure(error: ErrorInfo): CreateFailure {
  if (error.createdApp) {
    return { lead: 'Created, but it failed to start:', detail: error.message.replace(/^app \S+ was created, but it failed to start: /, ''), app: error.createdApp };
  }
  return { lead: 'Not created:', detail: error.message.replace(/^app \S+ was not created: /, ''), app: null };
}
