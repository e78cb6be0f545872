/**
 * The box's clock for unit tests: time moves only when someone sleeps on it, and a sleep
 * moves it forward at once, so a 5 s grace period or a 2-minute dependency wait costs
 * nothing. The fake engine reads it too: scripted containers exit and turn healthy on it.
 */
import { TagkeeperError } from '../../main/api/errors';

/** When every fake clock starts: 2026-01-01T00:00:00Z. */
export const FAKE_EPOCH = Date.UTC(2026, 0, 1);

export class FakeClock {
  private ms = 0;

  /** Milliseconds since the clock was made (what tests compare). */
  get elapsed(): number {
    return this.ms;
  }

  now(): Date {
    return new Date(FAKE_EPOCH + this.ms);
  }

  /** deps.sleep: moves the clock forward by `ms` and returns (refused, like a timer, once `signal` is aborted). */
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new TagkeeperError('cancelled', 'the wait was cancelled');
    this.ms += Math.max(0, ms);
  }
}
