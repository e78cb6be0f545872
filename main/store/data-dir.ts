/** Where Tagkeeper keeps its database and token: $TAGKEEPER_DATA_DIR, else the platform's user data directory. */
import { mkdirSync } from 'node:fs';
import envPaths from 'env-paths';

export function resolveDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.TAGKEEPER_DATA_DIR?.trim();
  return fromEnv ? fromEnv : envPaths('tagkeeper', { suffix: '' }).data;
}

export function ensureDataDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}
