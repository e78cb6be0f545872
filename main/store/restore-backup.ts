/**
 * Putting a database back: a backup restored in place of the current database, or a damaged
 * database set aside so that `tagkeeper recover` can start a new one. What is replaced is never
 * deleted: it is renamed `tagkeeper.db.<why>-<time>` (with its -wal and -shm, so it can still be
 * opened and read), mode 0600 as it was.
 */
import Database from 'better-sqlite3';
import { chmodSync, constants, copyFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { TagkeeperError } from '../api/errors';
import { BACKUPS_DIR, listBackups } from './backups';
import { loadMigrations } from './migrate';
import { DATABASE_FILE } from './store-errors';

export interface Restored {
  /** The backup file restored. */
  backup: string;
  /** Files the restored database replaced, as renamed (none when there was no database). */
  keptAside: string[];
}

/** Restores `file`, or the newest backup of the data directory, as its database. Checks the copy before anything is replaced. */
export function restoreBackup(dataDir: string, file: string | undefined, now: Date): Restored {
  const backup = file ?? listBackups(dataDir)[0]?.file;
  if (backup === undefined) {
    throw new TagkeeperError('invalid-input', `the data directory ${dataDir} has no backup in ${join(dataDir, BACKUPS_DIR)}`, {
      hint: 'give a backup file (tagkeeper recover --from-backup FILE), or rebuild the apps from the engine with tagkeeper recover',
    });
  }
  if (!existsSync(backup) || !statSync(backup).isFile()) {
    throw new TagkeeperError('invalid-input', `the backup ${backup} does not exist`, { hint: `the data directory's backups are in ${join(dataDir, BACKUPS_DIR)}` });
  }
  const staging = join(dataDir, `${DATABASE_FILE}.restoring`);
  rmSync(staging, { force: true });
  copyFileSync(backup, staging, constants.COPYFILE_EXCL);
  chmodSync(staging, 0o600);
  try {
    checkRestorable(staging, backup);
  } catch (error) {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${staging}${suffix}`, { force: true });
    throw error;
  }
  const keptAside = setDatabaseAside(dataDir, 'replaced', now);
  renameSync(staging, join(dataDir, DATABASE_FILE));
  return { backup, keptAside };
}

/** Renames the database and its -wal and -shm to `tagkeeper.db.<why>-<time>…`; returns the new names of those there were. */
export function setDatabaseAside(dataDir: string, why: string, now: Date): string[] {
  const file = join(dataDir, DATABASE_FILE);
  const aside = `${file}.${why}-${now.toISOString().replace(/:/g, '-')}`;
  const moved: string[] = [];
  for (const suffix of ['', '-wal', '-shm']) {
    if (!existsSync(`${file}${suffix}`)) continue;
    renameSync(`${file}${suffix}`, `${aside}${suffix}`);
    moved.push(`${aside}${suffix}`);
  }
  return moved;
}

/** A copy of a Tagkeeper database this version can open: intact, with a schema it knows. */
function checkRestorable(copy: string, backup: string): void {
  const unusable = (why: string) => new TagkeeperError('invalid-input', `${basename(backup)} is not a usable Tagkeeper backup: ${why}`, { hint: 'choose another backup with --from-backup FILE' });
  let db: Database.Database | undefined;
  try {
    db = new Database(copy, { fileMustExist: true });
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw unusable(`SQLite finds it damaged (${String(check)})`);
    const version = db.pragma('user_version', { simple: true }) as number;
    const newest = loadMigrations().at(-1)?.version ?? 0;
    if (version === 0 || !db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'apps'").get()) throw unusable('it holds no Tagkeeper database');
    if (version > newest) throw unusable(`its schema (version ${version}) is newer than this Tagkeeper's (${newest})`);
  } catch (error) {
    if (error instanceof TagkeeperError) throw error;
    throw unusable(`${(error as Error).message}`);
  } finally {
    db?.close();
  }
}
