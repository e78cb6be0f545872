/**
 * The worker of a long-lived instance (serve, the desktop app): it carries out, in this
 * process, the requests recorded without waiting (`--no-wait`, a CLI command handed over to
 * the instance) and the work a dead process left. Woken when a request is recorded here,
 * and every `sweepMs` for requests recorded by other processes.
 */
import { asTagkeeperError } from '../../api/errors';
import type { CoreDeps } from '../ports/deps';
import { resumeOperations } from '../operations/operation-driver';

export interface OperationWorker {
  wake(): void;
  /** Stops taking work (an operation under way finishes, as after any stop it would be resumed). */
  stop(): void;
}

export function startOperationWorker(deps: CoreDeps, options: { sweepMs: number; onError: (message: string) => void }): OperationWorker {
  const stopping = new AbortController();
  let woken = false;
  let wakeUp: (() => void) | null = null;
  let lastError: string | null = null;

  void (async () => {
    while (!stopping.signal.aborted) {
      woken = false;
      try {
        await resumeOperations(deps);
        lastError = null;
      } catch (error) {
        // Said once while it lasts (an engine that is down would say it every sweep).
        const message = asTagkeeperError(error).sentence;
        if (!stopping.signal.aborted && message !== lastError) options.onError(message);
        lastError = message;
      }
      if (woken || stopping.signal.aborted) continue;
      await new Promise<void>((resolve) => {
        wakeUp = resolve;
        deps.sleep(options.sweepMs, stopping.signal).then(resolve, resolve);
      });
      wakeUp = null;
    }
  })();

  return {
    wake() {
      woken = true;
      wakeUp?.();
    },
    stop() {
      stopping.abort();
      wakeUp?.();
    },
  };
}
