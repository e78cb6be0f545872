/**
 * The instance's work folder (WorkFilesPort): bundles uploaded through the headless UI (kept
 * until imported) and bundles exported for download live in `<dir>/files`; each import
 * unpacks into its own `<dir>/import-<owner>-…` scratch folder, named after the process that
 * makes it, so that whoever cleans up removes the folders of killed imports and never one a
 * live import still uses. Names are generated here, so a path from a client can be checked to
 * be one of ours.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { ScratchDir, WorkFilesPort } from '../core/ports/work-files-port';

export const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,120}\.(bundle|json)$/;
const SCRATCH_PREFIX = 'import-';
/** `import-<owner>-XXXXXX` (mkdtemp's six characters); a folder without an owner is from before owners were named. */
const SCRATCH_NAME = /^import-(.+)-[A-Za-z0-9]{6}$/;

/** The processes that make scratch folders: this one (a name part without `-`), and whether the one a name part stands for still runs. */
export interface ScratchOwners {
  self: string;
  isAlive(owner: string): boolean;
}
/** Uploads and exports older than this are removed when an instance starts. */
const KEEP_MS = 24 * 3600 * 1000;

/** The work folder at `dir` (made when first needed, mode 0700). */
export function workFolder(dir: string, owners: ScratchOwners): WorkFolder {
  return new WorkFolder(dir, owners);
}

export class WorkFolder implements WorkFilesPort {
  constructor(
    readonly dir: string,
    private readonly owners: ScratchOwners,
  ) {}

  /** The folder of uploads and exports (made if missing). */
  private filesDir(): string {
    const files = join(this.dir, 'files');
    mkdirSync(files, { recursive: true, mode: 0o700 });
    return files;
  }

  newFilePath(prefix: string, ext: 'bundle' | 'json'): string {
    return join(this.filesDir(), `${prefix}-${randomUUID()}.${ext}`);
  }

  ownFile(name: string): string | null {
    if (!FILE_NAME.test(name)) return null;
    return join(this.filesDir(), name);
  }

  /** Whether `path` names a file of ours: directly in the files folder, with a name we make. */
  isOwnFile(path: string): boolean {
    const full = resolve(path);
    return dirname(full) === resolve(join(this.dir, 'files')) && FILE_NAME.test(basename(full));
  }

  removeOwnFile(path: string): boolean {
    if (!this.isOwnFile(path)) return false;
    rmSync(path, { force: true });
    return true;
  }

  newScratchDir(): ScratchDir {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const path = mkdtempSync(join(this.dir, `${SCRATCH_PREFIX}${this.owners.self}-`));
    return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
  }

  /** Removes the scratch folders whose owner process is gone, and uploads and exports older than a day. */
  clean(now = Date.now()): void {
    const list = (dir: string) => {
      try {
        return readdirSync(dir);
      } catch {
        return [];
      }
    };
    for (const name of list(this.dir).filter((n) => n.startsWith(SCRATCH_PREFIX))) {
      const owner = SCRATCH_NAME.exec(name)?.[1];
      if (owner === undefined || !this.owners.isAlive(owner)) rmSync(join(this.dir, name), { recursive: true, force: true });
    }
    const files = join(this.dir, 'files');
    for (const name of list(files)) {
      const path = join(files, name);
      try {
        if (now - statSync(path).mtimeMs > KEEP_MS) rmSync(path, { force: true });
      } catch {
        // gone meanwhile
      }
    }
  }
}
