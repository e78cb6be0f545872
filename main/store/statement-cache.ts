/**
 * A connection that prepares each SQL text once: the store prepares its statements where it
 * uses them, and preparing costs more than running a small query (a check of 3,000
 * references read the settings and the logins thousands of times). Safe because no statement
 * of the store is iterated (the only way one is busy while used again) or reconfigured
 * (pluck, raw, expand).
 */
import type Database from 'better-sqlite3';

export function cacheStatements(db: Database.Database): Database.Database {
  const prepared = new Map<string, Database.Statement>();
  const prepare = db.prepare.bind(db);
  db.prepare = ((source: string) => {
    let statement = prepared.get(source);
    if (statement === undefined) {
      statement = prepare(source);
      prepared.set(source, statement);
    }
    return statement;
  }) as Database.Database['prepare'];
  return db;
}
