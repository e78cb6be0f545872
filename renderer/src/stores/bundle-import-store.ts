/**
 * Importing an offline bundle: choose it (native dialog, or upload with progress), preview
 * what it would change (`bundles:inspect`), import it (`bundles:import`, optionally approving
 * at once, with the approver's name the person gave; accepting it unsigned and allowing
 * downgrades only when the person ticked them for this bundle) with the core's transfer progress, cancel (the upload, or the core's transfer
 * with `transfers:cancel` and the id this store chose), and the outcome or the core's refusal.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { BundlePreview, ImportAnswer, TransferProgress } from '../../../main/api/types/bundles';
import type { ErrorInfo } from '../../../main/api/errors';
import type { ChosenBundle, RendererClient } from '../client/types';
import { toErrorInfo } from '../lib/errors';
import type { StoreOptions } from './apps-store';

/**
 * idle → choosing (desktop dialog) or uploading (headless) → inspecting → preview →
 * importing → done | failed | cancelled. A failure before the preview is `failed` too.
 */
export type ImportStage = 'idle' | 'choosing' | 'uploading' | 'inspecting' | 'preview' | 'importing' | 'done' | 'failed' | 'cancelled';

export interface ImportState {
  stage: ImportStage;
  chosen: ChosenBundle | null;
  /** The page's upload, headless only. */
  upload: { bytes: number; total: number | null } | null;
  preview: BundlePreview | null;
  /** Whether the import was asked to approve too. */
  approve: boolean;
  /** Ticked for this bundle: accept it without a trusted signature although the device requires one. */
  allowUnsigned: boolean;
  /** Ticked for this bundle: Import and approve may take drives back to older content. */
  allowDowngrade: boolean;
  /** The id given to bundles:import, so Cancel can name it before any progress arrived. */
  transferId: string | null;
  progress: TransferProgress | null;
  answer: ImportAnswer | null;
  error: ErrorInfo | null;
  cancelling: boolean;
  /** The core's answer to a cancel that came too late (`no transfer … is running`). */
  cancelNote: string | null;
  /** Choose a bundle: `file` is the File of the page's input (headless), unused on the desktop. */
  choose(file?: File | null): Promise<void>;
  /** Import, or Import and approve: that waits for `approver`, the name the person gave (sent trimmed). */
  start(approve: boolean, approver?: string): Promise<void>;
  /** Tick or untick the explicit confirmations (cleared when another bundle is chosen). */
  confirm(choice: Partial<Pick<ImportState, 'allowUnsigned' | 'allowDowngrade'>>): void;
  cancel(): Promise<void>;
  /** Back to choosing a bundle. */
  reset(): void;
  /** A transfer-progress event: kept when it is this import's. */
  transferProgress(progress: TransferProgress): void;
}

export type ImportStore = StoreApi<ImportState>;

export interface ImportStoreOptions extends StoreOptions {
  /** A fresh transfer id (crypto.randomUUID by default). */
  newId?: () => string;
  /** The import recorded pending updates or applied them for these apps. */
  afterImport?: (apps: string[]) => void;
}

const IDLE = {
  stage: 'idle' as ImportStage,
  chosen: null,
  upload: null,
  preview: null,
  approve: false,
  allowUnsigned: false,
  allowDowngrade: false,
  transferId: null,
  progress: null,
  answer: null,
  error: null,
  cancelling: false,
  cancelNote: null,
};

const BUSY: ImportStage[] = ['choosing', 'uploading', 'inspecting', 'importing'];

export function createImportStore(client: RendererClient, options: ImportStoreOptions = {}): ImportStore {
  const onError = options.onError ?? (() => undefined);
  const newId = options.newId ?? (() => crypto.randomUUID());
  const afterImport = options.afterImport ?? (() => undefined);
  // Each choice and each reset starts a new round: answers of an older round are dropped.
  let round = 0;
  let uploadControl: AbortController | null = null;

  const fail = (error: unknown, mine: number, set: (s: Partial<ImportState>) => void) => {
    if (mine !== round) return;
    const info = toErrorInfo(error);
    set({ stage: info.code === 'cancelled' ? 'cancelled' : 'failed', error: info, cancelling: false });
    onError(error);
  };

  return createStore<ImportState>()((set, get) => ({
    ...IDLE,
    async choose(file) {
      if (BUSY.includes(get().stage)) return;
      const mine = ++round;
      const uploading = client.files.mode === 'upload';
      uploadControl = new AbortController();
      set({ ...IDLE, stage: uploading ? 'uploading' : 'choosing', upload: uploading && file ? { bytes: 0, total: file.size } : null });
      try {
        const chosen = await client.files.pickBundleForImport(file, {
          signal: uploadControl.signal,
          onProgress: (bytes, total) => {
            if (mine === round) set({ upload: { bytes, total } });
          },
        });
        if (mine !== round) return;
        if (!chosen) {
          set({ ...IDLE });
          return;
        }
        set({ stage: 'inspecting', chosen });
        const preview = await client.call('bundles:inspect', { file: chosen.file });
        if (mine === round) set({ stage: 'preview', preview });
      } catch (error) {
        fail(error, mine, set);
      } finally {
        if (mine === round) uploadControl = null;
      }
    },
    async start(approve, approver) {
      const { stage, chosen, allowUnsigned, allowDowngrade } = get();
      const named = approver?.trim() ?? '';
      if (stage !== 'preview' || !chosen || (approve && named === '')) return;
      const mine = round;
      const transferId = newId();
      set({ stage: 'importing', approve, transferId, progress: null, error: null, cancelNote: null });
      try {
        const request = {
          file: chosen.file,
          approve,
          ...(allowUnsigned ? { allowUnsigned: true } : {}),
          ...(approve && allowDowngrade ? { allowDowngrade: true } : {}),
          ...(approve ? { approver: named } : {}),
          transferId,
        };
        const answer = await client.call('bundles:import', request);
        if (mine !== round) return;
        set({ stage: 'done', answer, cancelling: false });
        const apps = [...new Set(answer.drives.map((d) => d.app))];
        if (apps.length > 0) afterImport(apps);
      } catch (error) {
        fail(error, mine, set);
      }
    },
    confirm(choice) {
      if (get().stage === 'preview') set(choice);
    },
    async cancel() {
      const { stage, transferId, cancelling } = get();
      if (cancelling) return;
      if (stage === 'uploading' || stage === 'choosing') {
        uploadControl?.abort();
        return;
      }
      if (stage !== 'importing' || !transferId) return;
      set({ cancelling: true, cancelNote: null });
      try {
        const answer = await client.call('transfers:cancel', { id: transferId });
        // Too late (it just ended): the import's own answer says how it ended.
        if (!answer.cancelled && get().transferId === transferId) set({ cancelling: false, cancelNote: answer.reason });
      } catch (error) {
        if (get().transferId === transferId) set({ cancelling: false, cancelNote: toErrorInfo(error).message });
        onError(error);
      }
    },
    reset() {
      if (get().stage === 'importing') return;
      round++;
      uploadControl?.abort();
      uploadControl = null;
      set({ ...IDLE });
    },
    transferProgress(progress) {
      if (progress.id === get().transferId && get().stage === 'importing') set({ progress });
    },
  }));
}
