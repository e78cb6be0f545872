/**
 * The instance's work folder, as the core and the shells need it: bundles uploaded through
 * the headless UI (kept until imported), bundles exported for download, and the scratch
 * folders of imports. Names are made here, so a path from a client can be checked to be one
 * of ours. The implementation is main/bundle/work-folder.ts.
 */

/** A scratch folder of one import: empty when made (mode 0700), removed with all in it. */
export interface ScratchDir {
  readonly path: string;
  /** Removes the folder and everything in it; nothing when it is gone already. */
  remove(): void;
}

export interface WorkFilesPort {
  /** A fresh path for a new file of ours: `<prefix>-<uuid>.<ext>`. */
  newFilePath(prefix: string, ext: 'bundle' | 'json'): string;
  /** The path of a file of ours by its name, or null when the name is not one we make. */
  ownFile(name: string): string | null;
  /** Removes `path` when it is a file of ours (an upload consumed by its import); says whether it was. */
  removeOwnFile(path: string): boolean;
  newScratchDir(): ScratchDir;
  /** Removes scratch folders a killed import left (never one of a live import), and uploads and exports older than a day. */
  clean(now?: number): void;
}
