/**
 * Files of this instance in its work folder: bundles uploaded through the headless UI (kept
 * until imported), bundles exported for download, and scratch folders of imports. Names are
 * generated here, so a path from a client can be checked to be one of ours.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { CoreDeps } from '../ports/deps';

export const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,120}\.(bundle|json)$/;
/** Uploads and exports older than this are removed when an instance starts. */
const KEEP_MS = 24 * 3600 * 1000;

export function filesDir(deps: Pick<CoreDeps, 'workDir'>): string {
  const dir = join(deps.workDir, 'files');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** A fresh path in the files folder: `<prefix>-<uuid>.<ext>`. */
export function newFilePath(deps: Pick<CoreDeps, 'workDir'>, prefix: string, ext: 'bundle' | 'json'): string {
  return join(filesDir(deps), `${prefix}-${randomUUID()}.${ext}`);
}

/** The path of a file of ours by its name, or null when the name is not one we make. */
export function ownFile(deps: Pick<CoreDeps, 'workDir'>, name: string): string | null {
  if (!FILE_NAME.test(name)) return null;
  return join(filesDir(deps), name);
}

export function isOwnFile(deps: Pick<CoreDeps, 'workDir'>, path: string): boolean {
  const full = resolve(path);
  return dirname(full) === resolve(join(deps.workDir, 'files')) && FILE_NAME.test(basename(full));
}

/** Remove scratch folders a killed import left, and stale uploads and exports. */
export function cleanWorkDir(deps: Pick<CoreDeps, 'workDir'>, now = Date.now()): void {
  const list = (dir: string) => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  };
  for (const name of list(deps.workDir).filter((n) => n.startsWith('import-'))) rmSync(join(deps.workDir, name), { recursive: true, force: true });
  const files = join(deps.workDir, 'files');
  for (const name of list(files)) {
    const path = join(files, name);
    try {
      if (now - statSync(path).mtimeMs > KEEP_MS) rmSync(path, { force: true });
    } catch {
      // gone meanwhile
    }
  }
}
