/**
 * Long transfers that are not operations on an app (bundle export and import): an id the
 * client may choose (so it can cancel before the first progress event), progress events
 * with bytes, images and speed, and cancel through an AbortController.
 */
import type { TransferProgress, TransferKind } from '../../api/types/bundles';
import { randomUUID } from 'node:crypto';
import type { CoreDeps } from '../ports/deps';
import { TagkeeperError } from '../../api/errors';

export interface Transfer {
  id: string;
  signal: AbortSignal;
  report(update: Partial<Omit<TransferProgress, 'id' | 'kind' | 'bytesPerSecond'>>): void;
  end(phase: 'done' | 'failed' | 'cancelled'): void;
}

const REPORT_EVERY_MS = 200;

export function beginTransfer(deps: CoreDeps, kind: TransferKind, id: string = randomUUID()): Transfer {
  if (deps.transfers.has(id)) throw new TagkeeperError('invalid-input', `a transfer with id ${id} is already running`, { hint: 'use a new id for each transfer' });
  const controller = new AbortController();
  deps.transfers.set(id, controller);
  const clock = () => deps.now().getTime();
  const started = clock();
  let state: TransferProgress = { id, kind, phase: kind === 'export' ? 'fetching' : 'reading', bytes: 0, totalBytes: null, images: 0, totalImages: 0, bytesPerSecond: 0 };
  let lastEmit = 0;
  const emit = (force: boolean) => {
    const now = clock();
    if (!force && now - lastEmit < REPORT_EVERY_MS) return;
    lastEmit = now;
    const seconds = Math.max((now - started) / 1000, 0.001);
    state = { ...state, bytesPerSecond: Math.round(state.bytes / seconds) };
    deps.emit({ type: 'transfer-progress', progress: state });
  };
  return {
    id,
    signal: controller.signal,
    report(update) {
      const phaseChanged = update.phase !== undefined && update.phase !== state.phase;
      state = { ...state, ...update };
      emit(phaseChanged);
    },
    end(phase) {
      deps.transfers.delete(id);
      state = { ...state, phase };
      emit(true);
    },
  };
}

export function cancelTransfer(deps: CoreDeps, id: string): { cancelled: boolean; reason: string } {
  const controller = deps.transfers.get(id);
  if (!controller) return { cancelled: false, reason: `no transfer ${id} is running in this instance` };
  controller.abort();
  return { cancelled: true, reason: `transfer ${id} is being stopped; nothing it started is kept` };
}
