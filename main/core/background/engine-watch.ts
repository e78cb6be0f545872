/**
 * External changes (someone runs `docker rm`, a container dies) reach the shells as
 * `app-changed` events, taken from the engine's event stream: nothing polls the engine.
 * App views read the containers' live state, so the next fetch shows what happened.
 *
 * The stream breaks when the engine stops or restarts: the watch says so once
 * (`engine-changed`, reachable false), subscribes again after 0.5 s, then 1 s, 2 s… up to
 * 30 s between tries, and once a stream is open again says so (reachable true; clients
 * refetch, as events were missed) and starts the back-off over.
 */
import { asTagkeeperError } from '../../api/errors';
import { COMPOSE_LABEL, LABEL } from '../apps/app-topology';
import type { CoreDeps } from '../ports/deps';
import type { EngineEvent } from '../ports/engine-port';

const CONTAINER_ACTIONS = new Set(['create', 'start', 'die', 'stop', 'kill', 'destroy', 'pause', 'unpause', 'rename', 'oom', 'health_status']);

/** The waits between tries to subscribe again (ms): the first, doubled each time up to the last. */
export const RESUBSCRIBE_MS = { first: 500, max: 30_000 } as const;

export interface EngineWatchLog {
  /** The stream broke (said once until it is open again). */
  lost(message: string): void;
  /** A stream is open again after a break. */
  back(): void;
}

export function watchEngine(deps: Pick<CoreDeps, 'engine' | 'emit' | 'sleep'>, log?: EngineWatchLog): () => void {
  const stopping = new AbortController();
  let unsubscribe: () => void = () => undefined;
  let delay: number = RESUBSCRIBE_MS.first;
  let broken = false;

  const forward = (event: EngineEvent): void => {
    // An adopted Compose app's containers carry only Compose's labels (its app is named after the project).
    const app = event.labels[LABEL.app] ?? event.labels[COMPOSE_LABEL.project];
    if (event.type !== 'container' || app === undefined) return;
    const action = event.action.split(':')[0];
    if (CONTAINER_ACTIONS.has(action)) deps.emit({ type: 'app-changed', app });
  };

  const opened = (): void => {
    if (stopping.signal.aborted) return;
    delay = RESUBSCRIBE_MS.first;
    if (!broken) return;
    broken = false;
    log?.back();
    deps.emit({ type: 'engine-changed', reachable: true });
  };

  const failed = (error: Error): void => {
    if (stopping.signal.aborted) return;
    if (!broken) {
      broken = true;
      log?.lost(asTagkeeperError(error).message);
      deps.emit({ type: 'engine-changed', reachable: false });
    }
    const wait = delay;
    delay = Math.min(delay * 2, RESUBSCRIBE_MS.max);
    deps.sleep(wait, stopping.signal).then(subscribe, () => undefined);
  };

  function subscribe(): void {
    if (!stopping.signal.aborted) unsubscribe = deps.engine.subscribe(forward, failed, opened);
  }

  subscribe();
  return () => {
    stopping.abort();
    unsubscribe();
  };
}
