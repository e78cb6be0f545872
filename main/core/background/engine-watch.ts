/**
 * External changes (someone runs `docker rm`, a container dies) reach the shells as
 * `app-changed` events, taken from the engine's event stream: nothing polls the engine.
 * App views read the containers' live state, so the next fetch shows what happened.
 */
import { COMPOSE_LABEL, LABEL } from '../apps/app-topology';
import type { CoreDeps } from '../ports/deps';

const CONTAINER_ACTIONS = new Set(['create', 'start', 'die', 'stop', 'kill', 'destroy', 'pause', 'unpause', 'rename', 'oom', 'health_status']);

export function watchEngine(deps: Pick<CoreDeps, 'engine' | 'emit'>, onError?: (error: Error) => void): () => void {
  return deps.engine.subscribe((event) => {
    // An adopted Compose app's containers carry only Compose's labels (its app is named after the project).
    const app = event.labels[LABEL.app] ?? event.labels[COMPOSE_LABEL.project];
    if (event.type !== 'container' || app === undefined) return;
    const action = event.action.split(':')[0];
    if (CONTAINER_ACTIONS.has(action)) deps.emit({ type: 'app-changed', app });
  }, onError);
}
