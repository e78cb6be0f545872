/**
 * Failures of the transport itself (not of the core): the headless instance stopped
 * answering, or refused this page's token. The UI shows these apart from engine trouble.
 */
import { TagkeeperError } from '../../../main/core/errors';

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
