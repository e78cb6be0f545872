/**
 * A database is started afresh only in a data directory that was never used: a missing or
 * empty `tagkeeper.db` beside a marker file, a `scratch/` folder, backups or a write-ahead log
 * is a lost database, not a new install (pins, ledger, pending updates, trusted keys and
 * `require-signatures` would silently be gone, and a prune would then delete images). And a
 * database file shorter than its own header says was cut short: damaged, not empty.
 */
import { closeSync, existsSync, openSync, readdirSync, readSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TagkeeperError } from '../api/errors';
import { BACKUPS_DIR } from './backups';
import { DATABASE_FILE, RECOVERY_WAYS, damaged } from './store-errors';

/** Written beside the database when it is first made; its presence says the directory was in use. */
export const MARKER_FILE = 'tagkeeper.installed';

/** Whether the database has no content yet: no file, or an empty one (SQLite makes a new database of both). */
export function databaseIsEmpty(dataDir: string): boolean {
  try {
    return statSync(join(dataDir, DATABASE_FILE)).size === 0;
  } catch {
    return true;
  }
}

/** What in `dataDir` shows that a database lived there: each as a few words, none for a directory never used. */
export function signsOfPreviousInstall(dataDir: string): string[] {
  const signs: string[] = [];
  if (existsSync(join(dataDir, MARKER_FILE))) signs.push(`the marker file ${MARKER_FILE}`);
  if (existsSync(join(dataDir, 'scratch'))) signs.push('the scratch/ folder');
  const backups = listNames(join(dataDir, BACKUPS_DIR)).filter((name) => name.endsWith('.db')).length;
  if (backups > 0) signs.push(`${backups} backup(s) in ${BACKUPS_DIR}/`);
  for (const log of [`${DATABASE_FILE}-wal`, `${DATABASE_FILE}-journal`]) if (sizeOf(join(dataDir, log)) > 0) signs.push(`the database log ${log}`);
  return signs;
}

export function refuseFreshStart(dataDir: string, signs: string[]): TagkeeperError {
  return new TagkeeperError(
    'store-missing',
    `the database ${join(dataDir, DATABASE_FILE)} is missing or empty, but the data directory ${dataDir} was in use (${signs.join(', ')}): Tagkeeper does not start afresh and forget its pins, ledger and trusted keys`,
    { hint: `${RECOVERY_WAYS}; or move ${dataDir} away to start fresh` },
  );
}

export function writeMarker(dataDir: string, at: Date): void {
  const text = `Tagkeeper's data directory since ${at.toISOString()}. If ${DATABASE_FILE} beside this file is lost, Tagkeeper refuses to start afresh: see \`tagkeeper recover --help\`.\n`;
  writeFileSync(join(dataDir, MARKER_FILE), text, { mode: 0o600 });
}

export function hasMarker(dataDir: string): boolean {
  return existsSync(join(dataDir, MARKER_FILE));
}

/**
 * Throws store-corrupt when the database file is shorter than its header says (the file was
 * truncated). Only when no write-ahead log is beside it: pages a checkpoint had not finished
 * writing are still in the log, and SQLite completes them on open.
 */
export function checkNotCutShort(dataDir: string): void {
  const file = join(dataDir, DATABASE_FILE);
  const size = sizeOf(file);
  if (size === 0 || sizeOf(`${file}-wal`) > 0) return;
  const header = Buffer.alloc(100);
  const fd = openSync(file, 'r');
  let read: number;
  try {
    read = readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  // Not SQLite's header at all: SQLite itself says "file is not a database" (SQLITE_NOTADB).
  if (read < 16 || header.toString('latin1', 0, 16) !== 'SQLite format 3\0') return;
  if (read < 100) throw damaged(dataDir, `the file is ${size} bytes, shorter than the database header: it was cut short`);
  const raw = header.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  const pages = header.readUInt32BE(28);
  // The page count is valid only when the change counter matches the version-valid-for number.
  const countValid = pages > 0 && header.readUInt32BE(24) === header.readUInt32BE(92);
  if (countValid && size < pages * pageSize) {
    throw damaged(dataDir, `the file is ${size} bytes but holds ${pages} pages of ${pageSize} bytes: it was cut short`);
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function listNames(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
