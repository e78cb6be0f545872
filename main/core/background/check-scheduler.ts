/**
 * Scheduled checks (off by default): every `checkIntervalSeconds`, ±10 % jitter so that a
 * fleet of boxes does not hit a registry in step. HEAD-only like every check; what follows
 * (auto-apply, prefetch) is the apps' and the device's choice. Settings are read on every
 * tick, so a change applies without a restart; offline mode skips checks altogether.
 */
import type { DeviceSettings } from '../../api/types/settings';

export interface CheckScheduler {
  stop(): void;
  /** When the next check is due (ms since the epoch), or null while scheduled checks are off. */
  nextDue(): number | null;
}

export interface SchedulerOptions {
  /** Run one check; errors are reported to onError and the schedule goes on. */
  check: () => Promise<unknown>;
  settings: () => Pick<DeviceSettings, 'checkIntervalSeconds' | 'offline'>;
  onError?: (error: unknown) => void;
  /** How often settings are looked at (ms). */
  tickMs?: number;
  /** The clock (ms since the epoch) and a wait on it, from the core's deps. */
  now: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
}

export const JITTER = 0.1;

/** The delay before the next check: the interval ±10 %. */
export function jitteredDelayMs(intervalSeconds: number, random: () => number): number {
  return Math.round(intervalSeconds * 1000 * (1 - JITTER + 2 * JITTER * random()));
}

export function startCheckScheduler(options: SchedulerOptions): CheckScheduler {
  const now = options.now;
  const random = options.random ?? Math.random;
  let interval = 0;
  let due: number | null = null;

  const tick = async (): Promise<void> => {
    let settings: Pick<DeviceSettings, 'checkIntervalSeconds' | 'offline'>;
    try {
      settings = options.settings();
    } catch (error) {
      options.onError?.(error);
      return;
    }
    if (settings.checkIntervalSeconds <= 0 || settings.offline) {
      interval = 0;
      due = null;
      return;
    }
    if (settings.checkIntervalSeconds !== interval || due === null) {
      interval = settings.checkIntervalSeconds;
      due = now() + jitteredDelayMs(interval, random);
      return;
    }
    if (now() < due) return;
    try {
      await options.check();
    } catch (error) {
      options.onError?.(error);
    } finally {
      due = now() + jitteredDelayMs(interval, random);
    }
  };

  const stopping = new AbortController();
  void (async () => {
    while (!stopping.signal.aborted) {
      await tick();
      await options.sleep(options.tickMs ?? 1000, stopping.signal).catch(() => undefined);
    }
  })();
  return {
    stop: () => stopping.abort(),
    nextDue: () => due,
  };
}
