/**
 * Exporting an offline bundle on a connected machine: chosen apps (latched or latest digests)
 * or a site's needs list read from a file, written by the core (transfer progress, Cancel
 * with `transfers:cancel`), signed when a key file is given, and saved where the person
 * wants it (native dialog, or a download with its own progress). Also the site's side:
 * saving this box's needs list.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ErrorInfo } from '../../../main/api/errors';
import type { TransferProgress } from '../../../main/api/types/bundles';
import type { ExportOptions, RendererClient, SavedExport } from '../client/types';
import { toErrorInfo } from '../lib/errors';
import { needsFileName } from '../lib/file-names';
import { readNeedsFile, type NeedsFile } from '../lib/needs-file';
import { saveJson, type SaveTarget } from '../lib/report-export';
import type { StoreOptions } from './apps-store';

export type ExportStage = 'idle' | 'exporting' | 'done' | 'failed' | 'cancelled';

export interface ExportChoice {
  apps: string[];
  /** The tags' current digests instead of the latched ones. */
  latest: boolean;
  /**
   * Path of a PEM Ed25519 private key on the box Tagkeeper runs on, to sign with; sent
   * trimmed as `signKeyFile`, left out when blank (an unsigned bundle).
   */
  signKeyFile?: string;
}

export interface ExportState {
  stage: ExportStage;
  transferId: string | null;
  progress: TransferProgress | null;
  /** The page's download of the written bundle, headless only. */
  download: { bytes: number; total: number | null } | null;
  saved: SavedExport | null;
  error: ErrorInfo | null;
  cancelling: boolean;
  cancelNote: string | null;
  /** A site's needs list: the export then carries what that site lacks (a delta). */
  needs: NeedsFile | null;
  needsError: ErrorInfo | null;
  /** Saving this box's own needs list (`inventory:export`). */
  needsExport: { busy: boolean; saved: string | null; error: ErrorInfo | null };
  run(choice: ExportChoice): Promise<void>;
  cancel(): Promise<void>;
  reset(): void;
  transferProgress(progress: TransferProgress): void;
  loadNeeds(file: File): Promise<void>;
  clearNeeds(): void;
  exportNeeds(): Promise<void>;
}

export type ExportStore = StoreApi<ExportState>;

export interface ExportStoreOptions extends StoreOptions {
  newId?: () => string;
  now?: () => Date;
  /** Where a needs list is saved (the page's download by default). */
  saveTarget?: SaveTarget;
}

const RESULT = { stage: 'idle' as ExportStage, transferId: null, progress: null, download: null, saved: null, error: null, cancelling: false, cancelNote: null };

export function createExportStore(client: RendererClient, options: ExportStoreOptions = {}): ExportStore {
  const onError = options.onError ?? (() => undefined);
  const newId = options.newId ?? (() => crypto.randomUUID());
  const now = options.now ?? (() => new Date());
  let control: AbortController | null = null;

  return createStore<ExportState>()((set, get) => ({
    ...RESULT,
    needs: null,
    needsError: null,
    needsExport: { busy: false, saved: null, error: null },
    async run(choice) {
      if (get().stage === 'exporting') return;
      const needs = get().needs;
      const transferId = newId();
      const mine = new AbortController();
      control = mine;
      set({ ...RESULT, stage: 'exporting', transferId });
      const signKeyFile = choice.signKeyFile?.trim() ?? '';
      const request: ExportOptions = needs ? { needs: needs.list, transferId } : { apps: choice.apps, latest: choice.latest, transferId };
      if (signKeyFile !== '') request.signKeyFile = signKeyFile;
      try {
        const saved = await client.files.saveExport(request, {
          signal: mine.signal,
          onProgress: (bytes, total) => set({ download: { bytes, total } }),
        });
        set(saved ? { stage: 'done', saved, cancelling: false } : { ...RESULT });
      } catch (error) {
        const info = toErrorInfo(error);
        set({ stage: info.code === 'cancelled' ? 'cancelled' : 'failed', error: info, cancelling: false });
        onError(error);
      } finally {
        if (control === mine) control = null;
      }
    },
    async cancel() {
      const { stage, transferId, download, cancelling } = get();
      if (stage !== 'exporting' || cancelling) return;
      set({ cancelling: true, cancelNote: null });
      control?.abort();
      // The core's part ended once the download started; before that, the core stops it.
      if (download || !transferId) return;
      try {
        const answer = await client.call('transfers:cancel', { id: transferId });
        if (!answer.cancelled && get().transferId === transferId) set({ cancelNote: answer.reason });
      } catch (error) {
        if (get().transferId === transferId) set({ cancelNote: toErrorInfo(error).message });
        onError(error);
      }
    },
    reset() {
      if (get().stage !== 'exporting') set({ ...RESULT });
    },
    transferProgress(progress) {
      if (progress.id === get().transferId && get().stage === 'exporting') set({ progress });
    },
    async loadNeeds(file) {
      try {
        set({ needs: readNeedsFile(file.name, await file.text()), needsError: null });
      } catch (error) {
        set({ needs: null, needsError: toErrorInfo(error) });
      }
    },
    clearNeeds() {
      set({ needs: null, needsError: null });
    },
    async exportNeeds() {
      if (get().needsExport.busy) return;
      set({ needsExport: { busy: true, saved: null, error: null } });
      try {
        const list = await client.call('inventory:export', {});
        const name = needsFileName(now());
        saveJson(list, name, options.saveTarget);
        const n = (count: number, one: string) => `${count} ${one}${count === 1 ? '' : 's'}`;
        set({ needsExport: { busy: false, saved: `${name}: ${n(list.apps.length, 'service')}, ${n(list.layers.length, 'layer')} on this box`, error: null } });
      } catch (error) {
        set({ needsExport: { busy: false, saved: null, error: toErrorInfo(error) } });
        onError(error);
      }
    },
  }));
}
