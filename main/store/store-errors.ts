/**
 * SQLite's failures as Tagkeeper's errors: a full disk, an I/O error or a damaged database
 * becomes one line that names the data directory and what to do, where SQLite alone says
 * "disk I/O error" or "database disk image is malformed".
 */
import { statfsSync } from 'node:fs';
import { join } from 'node:path';
import { TagkeeperError } from '../api/errors';

export const DATABASE_FILE = 'tagkeeper.db';

/** The way out of a database that is lost or damaged (also said by the refusal to start afresh). */
export const RECOVERY_WAYS = 'restore the newest backup with `tagkeeper recover --from-backup`, or rebuild the apps from the engine with `tagkeeper recover`';

/** A SQLite error (`SQLITE_FULL`, `SQLITE_IOERR_WRITE` …) or a file system one (`ENOSPC`, `EIO`) as a store error; anything else as it is. */
export function storeError(error: unknown, dataDir: string): unknown {
  if (error instanceof TagkeeperError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return error;
  const reason = `${code}: ${(error as Error).message}`;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || ((code.startsWith('SQLITE_IOERR') || code === 'EIO') && diskIsFull(dataDir))) {
    return new TagkeeperError('store-full', `the disk holding the data directory ${dataDir} is full: Tagkeeper could not use its database (${reason})`, {
      hint: `free some space there (df ${dataDir}), then run the command again; what this command did not write is not recorded`,
      cause: error,
    });
  }
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY') || code === 'EIO') {
    return new TagkeeperError('store-io-error', `the database in the data directory ${dataDir} could not be read or written (${reason})`, {
      hint: `check that disk and its file system (dmesg, mount, df ${dataDir}), then run the command again; if the database is damaged, ${RECOVERY_WAYS}`,
      cause: error,
    });
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return damaged(dataDir, reason, error);
  return error;
}

export function damaged(dataDir: string, reason: string, cause?: unknown): TagkeeperError {
  return new TagkeeperError('store-corrupt', `the database ${join(dataDir, DATABASE_FILE)} is damaged (${reason})`, {
    hint: `${RECOVERY_WAYS}; either keeps the damaged file aside`,
    cause,
  });
}

/** `target` whose every method throws (or rejects with) storeError() of what it threw. */
export function mappingStoreErrors<T extends object>(target: T, dataDir: string): T {
  return new Proxy(target, {
    get(object, key) {
      const member: unknown = Reflect.get(object, key, object);
      if (typeof member !== 'function') return member;
      return (...args: unknown[]) => {
        try {
          const result: unknown = member.apply(object, args);
          return result instanceof Promise ? result.catch((error: unknown) => Promise.reject(storeError(error, dataDir))) : result;
        } catch (error) {
          throw storeError(error, dataDir);
        }
      };
    },
  });
}

/** An I/O error on a disk with no room left is a full disk (SQLite says IOERR when it cannot grow its shared memory file). */
function diskIsFull(dataDir: string): boolean {
  try {
    const fs = statfsSync(dataDir);
    return fs.bavail * fs.bsize < 64 * 1024;
  } catch {
    return false;
  }
}
