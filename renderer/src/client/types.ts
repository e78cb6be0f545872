/**
 * The renderer's client: the contract's one `call` (TagkeeperClient) plus a subscription to
 * the core's events, and `files`: how bundle files get to and from the box. Two
 * implementations: IPC (Electron preload, native dialogs) and HTTP (`serve`, upload and
 * download).
 */
import type { RequestOf } from '../../../main/api/contract';
import type { TagkeeperClient } from '../../../main/api/client';
import type { ExportAnswer } from '../../../main/api/types/bundles';
import type { CoreEvent } from '../../../main/api/types/events';

/**
 * What a subscriber hears: the core's events, plus `resync` when the client may have
 * missed some (the event stream was re-opened), so every store fetches everything again.
 */
export type ClientEvent = CoreEvent | { type: 'resync' };

export interface RendererClient extends TagkeeperClient {
  /** Listen to events; returns the function that stops listening. */
  subscribe(listener: (event: ClientEvent) => void): () => void;
  /** Where requests go, for messages: `desktop app` or the instance's base URL. */
  readonly target: string;
  /** Bundle files: picked and saved with native dialogs (desktop), or uploaded and downloaded (headless). */
  readonly files: BundleFiles;
}

/** A bundle the core can read, chosen by the person. */
export interface ChosenBundle {
  /** Its path on the box Tagkeeper runs on: what bundles:inspect and bundles:import take. */
  file: string;
  /** Its name as the person chose it, for the screen. */
  name: string;
  /** Its size when known (an upload), else null. */
  bytes: number | null;
}

/** Progress and cancel of the page's own part of a transfer: the upload or the download. */
export interface FileTransferHooks {
  /** Bytes moved so far; `total` null while unknown. */
  onProgress?(bytes: number, total: number | null): void;
  /** Stops the upload or download (the core's part is cancelled with transfers:cancel). */
  signal?: AbortSignal;
}

/** An export request without `file`: where the bundle goes is decided by `saveExport`. */
export type ExportOptions = Omit<RequestOf<'bundles:export'>, 'file'>;

export interface SavedExport {
  answer: ExportAnswer;
  /** Where the bundle went: the chosen path (desktop) or the downloaded file's name (headless). */
  savedAs: string;
}

export interface BundleFiles {
  /**
   * `dialog`: native open and save dialogs give paths on the box (desktop app).
   * `upload`: the page's `<input type=file>` gives a File that is uploaded, and exports are
   * downloaded (headless mode, where the browser may run on another machine).
   */
  readonly mode: 'dialog' | 'upload';
  /**
   * A bundle to inspect and import, or null when the person cancelled. Desktop: opens the
   * native dialog (`file` is not used). Headless: uploads `file`, the File the page's input
   * gave (required), reporting bytes sent; the import consumes the upload.
   */
  pickBundleForImport(file?: File | null, hooks?: FileTransferHooks): Promise<ChosenBundle | null>;
  /**
   * Exports a bundle (`bundles:export`) and puts it where the person wants it, or null when
   * they cancelled the save dialog. Desktop: the save dialog, then the core writes straight
   * to that path. Headless: the core writes into its work folder, then the page downloads
   * the file (reporting bytes received) and offers it as a download.
   */
  saveExport(request: ExportOptions, hooks?: FileTransferHooks): Promise<SavedExport | null>;
}
