/** Facts about the store itself (the store_meta table, the operations' id sequence) and SQLite's check of the file. */
import type Database from 'better-sqlite3';

export class StoreMetaTable {
  constructor(private readonly db: Database.Database) {}

  engineCheckPending(): boolean {
    return this.db.prepare("SELECT 1 FROM store_meta WHERE key = 'engine-check' AND value = 'pending'").get() !== undefined;
  }

  setEngineCheckPending(pending: boolean): void {
    if (pending) this.db.prepare("INSERT INTO store_meta (key, value) VALUES ('engine-check', 'pending') ON CONFLICT(key) DO UPDATE SET value = excluded.value").run();
    else this.db.prepare("DELETE FROM store_meta WHERE key = 'engine-check'").run();
  }

  reserveOperationIds(id: number): void {
    this.db.transaction(() => {
      this.db.prepare("INSERT INTO sqlite_sequence (name, seq) SELECT 'operations', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'operations')").run();
      this.db.prepare("UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = 'operations'").run(id);
    })();
  }

  /** What SQLite's quick check finds wrong with the database (it reads every page), or null when nothing. */
  integrityProblem(): string | null {
    try {
      const rows = this.db.pragma('quick_check') as { quick_check: string }[];
      const problems = rows.map((r) => r.quick_check).filter((line) => line !== 'ok');
      return problems.length === 0 ? null : problems.slice(0, 3).join('; ');
    } catch (error) {
      const code = String((error as { code?: unknown }).code);
      if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return (error as Error).message;
      throw error;
    }
  }
}
