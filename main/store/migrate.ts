/**
 * Numbered SQL migrations (`migrations/NNN_name.sql`), applied in order inside one
 * transaction each; the schema version lives in SQLite's `user_version`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';

export const MIGRATIONS_DIR = join(__dirname, 'migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{3}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => ({ version: Number(file.slice(0, 3)), name: file, sql: readFileSync(join(dir, file), 'utf8') }));
}

/**
 * Applies the migrations newer than the database; returns the names applied. `before` runs
 * once before the first of them (the store backs the database up there).
 */
export function migrate(db: Database.Database, migrations = loadMigrations(), before?: (from: number, to: number) => void): string[] {
  const current = db.pragma('user_version', { simple: true }) as number;
  const newest = migrations.at(-1)?.version ?? 0;
  if (current > newest) {
    throw new Error(
      `the data directory's database is at schema version ${current}, newer than this Tagkeeper (${newest}); ` +
        'run a newer Tagkeeper or point TAGKEEPER_DATA_DIR elsewhere',
    );
  }
  const applied: string[] = [];
  if (current < newest) before?.(current, newest);
  for (const migration of migrations.filter((m) => m.version > current)) {
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
    applied.push(migration.name);
  }
  return applied;
}
