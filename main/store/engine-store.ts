/** The `engine` table: the one Docker Engine this data directory belongs to (migration 014). */
import type Database from 'better-sqlite3';
import type { RecordedEngine } from '../api/types/engine';

interface EngineRow {
  engine_id: string;
  root_dir: string;
  name: string;
  endpoint: string;
  recorded_at: string;
}

export class EngineTable {
  constructor(private readonly db: Database.Database) {}

  get(): RecordedEngine | null {
    const row = this.db.prepare('SELECT engine_id, root_dir, name, endpoint, recorded_at FROM engine WHERE singleton = 1').get() as EngineRow | undefined;
    return row ? { id: row.engine_id, root: row.root_dir, name: row.name, endpoint: row.endpoint, recordedAt: row.recorded_at } : null;
  }

  /** Inserts unless a row is there (another process may have been first); returns the row. */
  record(engine: RecordedEngine): RecordedEngine {
    return this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO engine (singleton, engine_id, root_dir, name, endpoint, recorded_at) VALUES (1, ?, ?, ?, ?, ?) ON CONFLICT(singleton) DO NOTHING')
        .run(engine.id, engine.root, engine.name, engine.endpoint, engine.recordedAt);
      return this.get() as RecordedEngine;
    })();
  }

  /** Inside the caller's transaction. */
  replace(engine: RecordedEngine): void {
    this.db
      .prepare(
        'INSERT INTO engine (singleton, engine_id, root_dir, name, endpoint, recorded_at) VALUES (1, ?, ?, ?, ?, ?) ' +
          'ON CONFLICT(singleton) DO UPDATE SET engine_id = excluded.engine_id, root_dir = excluded.root_dir, name = excluded.name, ' +
          'endpoint = excluded.endpoint, recorded_at = excluded.recorded_at',
      )
      .run(engine.id, engine.root, engine.name, engine.endpoint, engine.recordedAt);
  }
}
