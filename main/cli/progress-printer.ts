/** Pull progress on a terminal: one line per service, rewritten in place. */
import type { CoreEvent } from '../api/types/events';
import { formatBytes } from '../api/format';
import { formatProgress } from '../core/content/pull-progress';
import type { TransferProgress } from '../api/types/bundles';

export function progressPrinter(stream: NodeJS.WriteStream): { onEvent: (event: CoreEvent) => void; done: () => void } {
  let active = false;
  let last = 0;
  return {
    onEvent(event) {
      if ((event.type !== 'pull-progress' && event.type !== 'transfer-progress') || !stream.isTTY) return;
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      const line = event.type === 'pull-progress' ? `${event.app}/${event.service}: ${formatProgress(event.progress)}` : formatTransfer(event.progress);
      stream.write(`\r\x1b[2K${line.slice(0, (stream.columns ?? 120) - 1)}`);
      active = true;
    },
    done() {
      if (active) stream.write('\r\x1b[2K');
      active = false;
    },
  };
}

/** "import (loading): 42.0 MB / 100.0 MB, 1/2 images, 35.2 MB/s". */
export function formatTransfer(p: TransferProgress): string {
  const total = p.totalBytes === null ? '' : ` / ${formatBytes(p.totalBytes)}`;
  const images = p.totalImages > 0 ? `, ${p.images}/${p.totalImages} images` : '';
  return `${p.kind} (${p.phase}): ${formatBytes(p.bytes)}${total}${images}, ${formatBytes(p.bytesPerSecond)}/s`;
}
