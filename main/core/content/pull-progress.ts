/**
 * Aggregates the engine's per-layer pull messages into one progress picture: layers,
 * bytes, speed. Pure: the clock is injected so tests can drive time.
 */
import type { PullProgress, LayerStatus, LayerProgress } from '../../api/types/events';
import { formatBytes } from '../../api/format';
import type { PullMessage } from '../ports/engine-port';

export interface PullTracker {
  update(message: PullMessage): void;
  snapshot(): PullProgress;
}

/** Engine status → layer status. Statuses not listed (`Retrying in 5 seconds`, …) keep the layer as it was. */
const STATUS_MAP: Readonly<Record<string, LayerStatus>> = {
  'Pulling fs layer': 'waiting',
  Waiting: 'waiting',
  Downloading: 'downloading',
  'Verifying Checksum': 'verifying',
  'Download complete': 'downloaded',
  Extracting: 'extracting',
  'Pull complete': 'complete',
  'Already exists': 'exists',
};

/** How far back the speed looks. */
const SPEED_WINDOW_MS = 5000;

interface Sample {
  time: number;
  bytes: number;
}

/** A tracker for one pull of `reference`; `clock` returns milliseconds (the core's deps.now). */
export function createPullTracker(reference: string, clock: () => number): PullTracker {
  const layers = new Map<string, LayerProgress>();
  const startedAt = clock();
  let samples: Sample[] = [{ time: startedAt, bytes: 0 }];

  function bytesDone(): number {
    let sum = 0;
    for (const layer of layers.values()) if (layer.status !== 'exists') sum += layer.current;
    return sum;
  }

  function update(message: PullMessage): void {
    const status = STATUS_MAP[message.status];
    if (message.id === undefined || status === undefined) return;
    let layer = layers.get(message.id);
    if (!layer) {
      layer = { id: message.id, status, current: 0, total: null };
      layers.set(message.id, layer);
    }
    applyStatus(layer, status, message);
    const now = clock();
    samples.push({ time: now, bytes: bytesDone() });
    prune(now);
  }

  /** Drops samples older than the newest one that is at least a window old (the baseline). */
  function prune(now: number): void {
    let baseIndex = 0;
    for (let i = 0; i < samples.length; i++) {
      if (samples[i].time <= now - SPEED_WINDOW_MS) baseIndex = i;
    }
    if (baseIndex > 0) samples = samples.slice(baseIndex);
  }

  function speed(now: number, done: number): number {
    prune(now);
    const base = samples[0];
    const seconds = (now - base.time) / 1000;
    return seconds > 0 ? Math.max(0, (done - base.bytes) / seconds) : 0;
  }

  function snapshot(): PullProgress {
    const list = [...layers.values()].map((layer) => ({ ...layer }));
    const done = bytesDone();
    let bytesTotal = 0;
    for (const layer of list) if (layer.status !== 'exists' && layer.total !== null) bytesTotal += layer.total;
    return {
      reference,
      layers: list,
      layersTotal: list.length,
      layersDone: list.filter((l) => l.status === 'complete' || l.status === 'exists').length,
      bytesDone: done,
      bytesTotal,
      startedAt,
      bytesPerSecond: speed(clock(), done),
    };
  }

  return { update, snapshot };
}

function applyStatus(layer: LayerProgress, status: LayerStatus, message: PullMessage): void {
  if (status === 'exists') {
    layer.status = 'exists';
    layer.current = 0;
    layer.total = 0;
    return;
  }
  // A layer never goes backwards (a late "Waiting" after "Downloading" is ignored).
  if (rank(status) < rank(layer.status)) return;
  layer.status = status;
  if (status === 'downloading') {
    if (message.total !== undefined && message.total > 0) layer.total = message.total;
    if (message.current !== undefined) layer.current = message.current;
    return;
  }
  if (status === 'waiting') return;
  // Verifying, downloaded, extracting, complete: the download is whole.
  if (layer.total === null) layer.total = layer.current;
  else layer.current = layer.total;
}

function rank(status: LayerStatus): number {
  return ['waiting', 'downloading', 'verifying', 'downloaded', 'extracting', 'complete', 'exists'].indexOf(status);
}

/** One terminal line: `3/5 layers, 12.3 MB / 40.1 MB, 4.2 MB/s` (`?` for an unknown total). */
export function formatProgress(progress: PullProgress): string {
  const unknownTotal = progress.layers.some((l) => l.status !== 'exists' && l.total === null);
  const total = unknownTotal ? '?' : formatBytes(progress.bytesTotal);
  return (
    `${progress.layersDone}/${progress.layersTotal} layers, ` +
    `${formatBytes(progress.bytesDone)} / ${total}, ${formatBytes(progress.bytesPerSecond)}/s`
  );
}
