/** Pull progress on a terminal: one line per service, rewritten in place. */
import type { CoreEvent } from '../core/events';
import { formatProgress } from '../core/pull-progress';

export function progressPrinter(stream: NodeJS.WriteStream): { onEvent: (event: CoreEvent) => void; done: () => void } {
  let active = false;
  let last = 0;
  return {
    onEvent(event) {
      if (event.type !== 'pull-progress' || !stream.isTTY) return;
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      const line = `${event.app}/${event.service}: ${formatProgress(event.progress)}`;
      stream.write(`\r\x1b[2K${line.slice(0, (stream.columns ?? 120) - 1)}`);
      active = true;
    },
    done() {
      if (active) stream.write('\r\x1b[2K');
      active = false;
    },
  };
}
