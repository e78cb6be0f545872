/**
 * External changes (someone runs `docker rm`, a container dies) reach the shells as
 * `app-changed` events, taken from the engine's event stream: nothing polls the engine.
 * App views read the containers' live state, so the next fetch shows what happened.
 *
 * The stream breaks when the engine stops or restarts: the watch says so once
 * (`engine-changed`, reachable false), subscribes again after 0.5 s, then 1 s, 2 s… up to
 * 30 s between tries, and once a stream is open again says so (reachable true; clients
 * refetch, as events were missed) and starts the back-off over.
 *
 * Where the instance keeps the engine's container list (deps.containers), the watch keeps
 * it current: read whole when a stream opens, a container read again on each of its events;
 * what is announced is announced once that is done, so the refetch it brings finds it.
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

export function watchEngine(deps: Pick<CoreDeps, 'engine' | 'emit' | 'sleep' | 'containers'>, log?: EngineWatchLog): () => void {
  const stopping = new AbortController();
  let unsubscribe: () => void = () => undefined;
  let delay: number = RESUBSCRIBE_MS.first;
  let broken = false;
  /** Breaks so far: an opening announced late is not announced once another break came. */
  let breaks = 0;

  const mirror = deps.containers;
  /** `announce` once the held list took in what `change` says (at once where no list is held). */
  const after = (change: Promise<void> | undefined, announce: () => void): void => {
    if (change) void change.then(() => !stopping.signal.aborted && announce());
    else announce();
  };

  const forward = (event: EngineEvent): void => {
    if (event.type !== 'container' || !CONTAINER_ACTIONS.has(event.action.split(':')[0])) return;
    const change = mirror?.changed(event.id);
    // An adopted Compose app's containers carry only Compose's labels (its app is named after the project).
    const app = event.labels[LABEL.app] ?? event.labels[COMPOSE_LABEL.project];
    if (app !== undefined) after(change, () => deps.emit({ type: 'app-changed', app }));
  };

  const opened = (): void => {
    if (stopping.signal.aborted) return;
    delay = RESUBSCRIBE_MS.first;
    const since = breaks;
    const filled = mirror?.opened();
    if (!broken) return;
    after(filled, () => {
      if (breaks !== since) return; // broken again meanwhile: said when the next one opens
      broken = false;
      log?.back();
      deps.emit({ type: 'engine-changed', reachable: true });
    });
  };

  const failed = (error: Error): void => {
    if (stopping.signal.aborted) return;
    breaks++;
    mirror?.lost();
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
    mirror?.lost();
  };
}
