/**
 * What a long-lived instance (serve, the desktop app) does on its own: follow the engine's
 * events (external changes show at once), carry out queued and interrupted requests in this
 * process, and run the scheduled checks (off unless check-interval is set).
 */
import { asTagkeeperError } from '../../api/errors';
import type { CoreDeps } from '../ports/deps';
import { checkAndFollow } from '../updates/check-and-follow';
import { startCheckScheduler } from './check-scheduler';
import { watchEngine } from './engine-watch';
import { startOperationWorker } from './operation-worker';

/** How often the worker looks for requests recorded by other processes. */
const SWEEP_MS = 30_000;

export function startBackgroundWork(deps: CoreDeps, log: (line: string) => void): () => void {
  const unwatch = watchEngine(deps, {
    lost: (message) => log(`cannot follow the engine's events (${message}); trying again with back-off`),
    back: () => log("following the engine's events again"),
  });
  const worker = startOperationWorker(deps, { sweepMs: SWEEP_MS, onError: (message) => log(`could not finish queued work: ${message}`) });
  deps.worker = worker;
  const scheduler = startCheckScheduler({
    check: () => checkAndFollow(deps, [], { trigger: 'schedule' }),
    settings: () => deps.store.getSettings(),
    onError: (error) => log(`scheduled check failed: ${asTagkeeperError(error).message}`),
    now: () => deps.now().getTime(),
    sleep: deps.sleep,
  });
  return () => {
    scheduler.stop();
    deps.worker = null;
    worker.stop();
    unwatch();
  };
}
