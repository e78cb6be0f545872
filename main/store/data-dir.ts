/** Where Tagkeeper keeps its database and token: $TAGKEEPER_DATA_DIR, else the platform's user data directory. */
import { mkdirSync, statSync } from 'node:fs';
import { TagkeeperError } from '../api/errors';
import envPaths from 'env-paths';

export function resolveDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.TAGKEEPER_DATA_DIR?.trim();
  return fromEnv ? fromEnv : envPaths('tagkeeper', { suffix: '' }).data;
}

/**
 * Make the data directory (mode 0700) or check the one there: it must belong to this user
 * and be writable by no one else, or others could plant a database or a serve.json in it.
 */
export function ensureDataDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const info = statSync(dir);
  const uid = process.getuid?.();
  if (uid !== undefined && info.uid !== uid) {
    throw new TagkeeperError('invalid-settings', `the data directory ${dir} belongs to user ${info.uid}, not to this user (${uid})`, {
      hint: `run Tagkeeper as its owner, or give it a directory of its own with TAGKEEPER_DATA_DIR`,
    });
  }
  if ((info.mode & 0o022) !== 0) {
    throw new TagkeeperError('invalid-settings', `the data directory ${dir} is writable by other users (mode ${(info.mode & 0o777).toString(8)})`, {
      hint: `make it private: chmod 700 ${dir}`,
    });
  }
  return dir;
}
