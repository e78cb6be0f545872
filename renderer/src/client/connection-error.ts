/**
 * Failures of the transport itself (not of the core): the headless instance stopped
 * answering, or refused this page's token. The UI shows these apart from engine trouble.
 */
import { TagkeeperError } from '../../../main/api/errors';

export type ConnectionProblem = 'unreachable' | 'unauthorized' | 'http-error';

export class ConnectionError extends TagkeeperError {
  readonly problem: ConnectionProblem;

  constructor(problem: ConnectionProblem, message: string, hint: string) {
    super('internal', message, { hint });
    this.problem = problem;
  }
}

export function isConnectionError(error: unknown): error is ConnectionError {
  return error instanceof ConnectionError;
}

/** The instance refused the page's token (serve restarted, or the URL lost its #token=…). */
export function unauthorizedError(where: string): ConnectionError {
  return new ConnectionError('unauthorized', `${where} refused this page's token`,
    'open the URL that `tagkeeper serve` printed, with its #token=… part (each start of serve makes a new token)');
}
