/**
 * Automatic backups of the database in `<data>/backups/` (mode 0600), the newest few kept:
 * one before every migration, and one a day (made when the store opens and the newest is older
 * than a day, and by a long-lived instance each day). Each is a consistent copy taken while the
 * database is in use, written under a temporary name and renamed, so a half-written copy is
 * never taken for a backup. `tagkeeper recover --from-backup` restores one.
 */
import { closeSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';

export const BACKUPS_DIR = 'backups';
/** How many backups are kept (the oldest go first). */
export const KEEP_BACKUPS = 5;
export const BACKUP_EVERY_MS = 24 * 3600 * 1000;

export interface Backup {
  file: string;
  at: Date;
  /** `daily`, or `before-migration-010`. */
  reason: string;
}

/** `tagkeeper-2026-01-02T03-04-05.678Z-daily.db`: the name sorts by time. */
const NAME = /^tagkeeper-(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z)-([a-z0-9-]+)\.db$/;

/** The backups of a data directory, newest first. */
export function listBackups(dataDir: string): Backup[] {
  const dir = join(dataDir, BACKUPS_DIR);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .flatMap((name) => {
      const match = NAME.exec(name);
      if (!match) return [];
      const [date, time] = match[1].split('T');
      return [{ file: join(dir, name), at: new Date(`${date}T${time.replace(/-/g, ':')}`), reason: match[2] }];
    })
    .sort((a, b) => b.at.getTime() - a.at.getTime() || b.file.localeCompare(a.file));
}

/**
 * Before migrating from schema `from` to `to`: a copy of the database as it is (SQLite's
 * VACUUM INTO: one synchronous call, because opening the store is synchronous and the
 * migration must wait for the copy).
 */
export function backupBeforeMigration(db: Database.Database, dataDir: string, to: number, now: Date): string {
  const backup = startBackup(dataDir, now, `before-migration-${String(to).padStart(3, '0')}`);
  try {
    db.prepare('VACUUM INTO ?').run(backup.partial);
  } catch (error) {
    backup.abandon();
    throw error;
  }
  return backup.finish();
}

/** The day's backup, with SQLite's online backup (it copies in steps and lets the process go on); null when the newest is less than a day old. */
export async function backupIfDue(db: Database.Database, dataDir: string, now: Date): Promise<string | null> {
  const newest = listBackups(dataDir)[0];
  if (newest && now.getTime() - newest.at.getTime() < BACKUP_EVERY_MS) return null;
  const backup = startBackup(dataDir, now, 'daily');
  try {
    await db.backup(backup.partial);
  } catch (error) {
    backup.abandon();
    throw error;
  }
  return backup.finish();
}

/** A backup being written: into `partial` (made empty, mode 0600: SQLite keeps the mode), renamed into place by finish(). */
function startBackup(dataDir: string, now: Date, reason: string): { partial: string; finish(): string; abandon(): void } {
  const file = newBackupFile(dataDir, now, reason);
  const partial = `${file}.partial`;
  closeSync(openSync(partial, 'wx', 0o600));
  return {
    partial,
    finish() {
      renameSync(partial, file);
      keepNewest(dataDir);
      return file;
    },
    abandon: () => rmSync(partial, { force: true }),
  };
}

function newBackupFile(dataDir: string, now: Date, reason: string): string {
  const dir = join(dataDir, BACKUPS_DIR);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return join(dir, `tagkeeper-${now.toISOString().replace(/:/g, '-')}-${reason}.db`);
}

/** Removes all but the newest KEEP_BACKUPS backups, and temporary files of copies that died more than a day ago. */
function keepNewest(dataDir: string): void {
  for (const old of listBackups(dataDir).slice(KEEP_BACKUPS)) rmSync(old.file, { force: true });
  const dir = join(dataDir, BACKUPS_DIR);
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.partial'))) {
    try {
      if (Date.now() - statSync(join(dir, name)).mtimeMs > BACKUP_EVERY_MS) rmSync(join(dir, name), { force: true });
    } catch {
      // gone meanwhile
    }
  }
}
