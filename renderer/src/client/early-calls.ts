/**
 * The first screen's calls, sent before the interface's script is even compiled: the early
 * script (src/early.ts, a few hundred bytes inline in index.html, run as the page is parsed)
 * asks `tagkeeper serve` for the engine's status and the apps, and the HTTP client takes those
 * answers for its first two calls instead of asking again. The first screen then waits for the
 * slower of the two (script, answers), not for one after the other. Nothing happens in the
 * desktop window (IPC) or without a token.
 */
import { OPERATION_PATH } from '../../../main/api/routes';
import { TOKEN_KEY, tokenInHash } from './token';

/** What the first screen asks for, with an empty request. */
export const FIRST_SCREEN_CALLS = ['engine:status', 'apps:list'] as const;

declare global {
  interface Window {
    /** The early script's answers not taken yet, by operation. */
    tagkeeperEarly?: Record<string, Promise<Response> | undefined>;
  }
}

export function startEarlyCalls(win: Window): void {
  if (win.tagkeeper) return;
  const token = tokenInHash(win.location.hash) ?? win.sessionStorage.getItem(TOKEN_KEY);
  if (!token) return;
  const early: Record<string, Promise<Response>> = {};
  for (const operation of FIRST_SCREEN_CALLS) {
    const answer = win.fetch(`${OPERATION_PATH}${operation}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    answer.catch(() => undefined); // a failure is the first call's to report
    early[operation] = answer;
  }
  win.tagkeeperEarly = early;
}

/** `doFetch`, except that the first empty request of an operation the early script sent takes its answer (once). */
export function withEarlyAnswers(win: Window, doFetch: typeof fetch): typeof fetch {
  return (input, init) => {
    const path = typeof input === 'string' && input.startsWith(OPERATION_PATH) ? input.slice(OPERATION_PATH.length) : null;
    const answer = path !== null && init?.body === '{}' ? win.tagkeeperEarly?.[path] : undefined;
    if (answer === undefined) return doFetch(input, init);
    win.tagkeeperEarly![path!] = undefined;
    return answer;
  };
}
