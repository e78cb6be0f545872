/** The StorePort on SQLite (better-sqlite3): WAL, foreign keys, one transaction per call. */
import type { ComposeDefinition } from '../api/types/apps';
import Database from 'better-sqlite3';
import { cacheStatements } from './statement-cache';
import { chmodSync, closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { TagkeeperError, type ErrorInfo } from '../api/errors';
import { withDefaults } from '../core/device/settings';
import type { DeviceSettings, RateLimitView } from '../api/types/settings';
import type { RecordedEngine } from '../api/types/engine';
import type { AppIntent, AppRecord, Available, Latched, LedgerEntry, NewLedgerEntry } from '../api/types/apps';
import type { CachedManifest, LedgerQuery, NewApp, OperationCommit, StorePort, AppOverrides, TrustedKeyRecord } from '../core/ports/store-port';
import type { RegistryCredentials } from '../core/ports/registry-port';
import type { Operation, OperationKind, OperationOwner, OperationPhase, OperationPlan, OperationResult, UpdateFlags } from '../api/types/operations';
import { EngineTable } from './engine-store';
import { OperationsTable } from './operations-store';
import { PendingUpdatesTable, type PendingUpdateQuery } from './pending-updates-store';
import type { PendingUpdate, UpdateFindings } from '../api/types/updates';
import { migrate } from './migrate';
import { appFromRows, ledgerFromRow, type AppRow, type LedgerRow, type ServiceRow } from './rows';
import { backupBeforeMigration, backupIfDue } from './backups';
import { checkNotCutShort, databaseIsEmpty, hasMarker, refuseFreshStart, signsOfPreviousInstall, writeMarker } from './previous-install';
import { DATABASE_FILE, mappingStoreErrors, storeError } from './store-errors';
import { StoreMetaTable } from './store-meta';

export { DATABASE_FILE } from './store-errors';

export interface OpenStoreOptions {
  /**
   * Start a new database although the directory shows a previous install: only for
   * `tagkeeper recover`, which rebuilds what the lost one held.
   */
  afterLoss?: boolean;
  now?: () => Date;
}

/**
 * The store of a data directory: the database (and SQLite's -wal and -shm beside it) readable
 * by this user only. Never silently afresh: a missing or empty database in a directory that
 * was in use is refused (previous-install.ts), and a new one is compared with the engine before
 * it is trusted (engineCheckPending). Backed up before every migration. SQLite's failures come
 * out as store errors naming the data directory (store-errors.ts).
 */
export function openStore(dataDir: string, options: OpenStoreOptions = {}): SqliteStore {
  const now = options.now ?? (() => new Date());
  if (databaseIsEmpty(dataDir)) {
    const signs = signsOfPreviousInstall(dataDir);
    if (signs.length > 0 && !options.afterLoss) throw refuseFreshStart(dataDir, signs);
  } else {
    checkNotCutShort(dataDir);
  }
  let db: Database.Database | undefined;
  try {
    const file = join(dataDir, DATABASE_FILE);
    closeSync(openSync(file, 'a', 0o600));
    chmodSync(file, 0o600);
    const opened = new Database(file);
    db = opened;
    const store = new SqliteStore(opened, {
      dataDir,
      now,
      beforeMigrating: (from, to) => {
        if (from > 0) backupBeforeMigration(opened, dataDir, to, now());
      },
    });
    if (!hasMarker(dataDir)) writeMarker(dataDir, now());
    return mappingStoreErrors(store, dataDir);
  } catch (error) {
    db?.close();
    throw storeError(error, dataDir);
  }
}

/** For tests and one-off tools: a store that lives in memory. */
export function openMemoryStore(): SqliteStore {
  return new SqliteStore(new Database(':memory:'));
}

interface StoreContext {
  /** Where the database file lives (for its backups); none for a store in memory. */
  dataDir: string;
  now: () => Date;
  beforeMigrating: (from: number, to: number) => void;
}

const json = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

export class SqliteStore implements StorePort {
  private readonly operations: OperationsTable;
  private readonly updates: PendingUpdatesTable;
  private readonly meta: StoreMetaTable;
  private readonly engine: EngineTable;

  constructor(
    private readonly db: Database.Database,
    private readonly context?: StoreContext,
  ) {
    cacheStatements(db);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    // FULL: an operation's end (latches + ledger) must survive a power cut, not only a crash.
    db.pragma('synchronous = FULL');
    // A removed registry password is overwritten, not left in free pages of the file.
    db.pragma('secure_delete = ON');
    const fresh = db.pragma('user_version', { simple: true }) === 0;
    migrate(db, undefined, context?.beforeMigrating);
    this.meta = new StoreMetaTable(db);
    // A database made now has not been compared with the engine yet (see engineCheckPending).
    if (fresh) this.meta.setEngineCheckPending(true);
    this.operations = new OperationsTable(db, (op, result, commit, at) => this.applyCommit(op, result, commit, at));
    this.updates = new PendingUpdatesTable(db);
    this.engine = new EngineTable(db);
  }

  submitOperation(request: { app: string; kind: OperationKind; flags: UpdateFlags; trigger: string; actor: string; target?: ComposeDefinition; waiter?: OperationOwner }, at: string): Operation {
    return this.operations.submit(request, at);
  }

  getOperation(id: number): Operation | null {
    return this.operations.get(id);
  }

  listOpenOperations(app?: string): Operation[] {
    return this.operations.listOpen(app);
  }

  claimOperation(app: string, owner: OperationOwner, isAlive: (pid: number, started: string | null) => boolean, at: string): Operation | null {
    return this.operations.claim(app, owner, isAlive, at);
  }

  setOperationProgress(id: number, phase: OperationPhase, plan: OperationPlan | null, at: string): void {
    this.operations.setProgress(id, phase, plan, at);
  }

  decideOperation(id: number, at: string): Operation {
    return this.operations.decide(id, at);
  }

  finishOperation(id: number, result: OperationResult, commit: OperationCommit, at: string): void {
    this.operations.finish(id, result, commit, at);
  }

  /** Called inside finishOperation's transaction. */
  private applyCommit(op: Operation, result: OperationResult, commit: OperationCommit, at: string): void {
    const app = op.app;
    if (commit.redefine) this.redefineApp(app, commit.redefine, at);
    for (const { service, latched } of commit.latch) this.latchService(app, service, latched);
    for (const { service, containerId } of commit.containers) this.setServiceContainer(app, service, containerId);
    if (commit.intent) this.setAppIntent(app, commit.intent, commit.appError ?? null, at);
    if (op.flags.approve) this.updates.endOperation(op.id, result.outcome, result.error?.message ?? null, at);
    this.updates.resolve(commit.updates ?? [], at);
    this.appendLedger(commit.ledger);
  }

  listPendingUpdates(query: PendingUpdateQuery = {}): PendingUpdate[] {
    return this.updates.list(query);
  }

  recordUpdates(findings: UpdateFindings, ledger: NewLedgerEntry[], at: string, manifests: CachedManifest[] = []): PendingUpdate[] {
    return this.db.transaction(() => {
      for (const manifest of manifests) this.putManifest(manifest, at);
      const touched = this.updates.record(findings, at);
      this.appendLedger(ledger);
      return touched;
    })();
  }

  approveUpdates(
    ids: number[],
    request: { app: string; trigger: string; actor: string; waiter?: OperationOwner },
    ledger: (approved: PendingUpdate[]) => NewLedgerEntry[],
    at: string,
  ): { operation: Operation | null; approved: PendingUpdate[] } {
    return this.db.transaction(() => {
      const waiting = ids.filter((id) => this.updates.get(id)?.state === 'pending');
      if (waiting.length === 0) return { operation: null, approved: [] };
      const operation = this.operations.submit(
        { app: request.app, kind: 'update', flags: { refresh: false, restart: false, purge: false, approve: true }, trigger: request.trigger, actor: request.actor, waiter: request.waiter },
        at,
      );
      const approved = this.updates.decide(waiting, 'approved', request.actor, at, operation.id);
      this.appendLedger(ledger(approved));
      return { operation, approved };
    })();
  }

  rejectUpdates(ids: number[], by: string, ledger: (rejected: PendingUpdate[]) => NewLedgerEntry[], at: string): PendingUpdate[] {
    return this.db.transaction(() => {
      const rejected = this.updates.decide(ids, 'rejected', by, at, null);
      this.appendLedger(ledger(rejected));
      return rejected;
    })();
  }

  stageUpdate(id: number, imageId: string): void {
    this.updates.stage(id, imageId);
  }

  appliedBundleTimes(app: string, service: string): string[] {
    return this.updates.appliedBundleTimes(app, service);
  }

  setAppOverrides(name: string, overrides: AppOverrides, at: string): void {
    const sets: string[] = [];
    const args: unknown[] = [];
    const flag = (v: boolean | null) => (v === null ? null : Number(v));
    if (overrides.pullPolicy !== undefined) (sets.push('pull_policy = ?'), args.push(overrides.pullPolicy));
    if (overrides.checkOnStart !== undefined) (sets.push('check_on_start = ?'), args.push(flag(overrides.checkOnStart)));
    if (overrides.autoApply !== undefined) (sets.push('auto_apply = ?'), args.push(flag(overrides.autoApply)));
    if (sets.length === 0) return;
    this.db.prepare(`UPDATE apps SET ${sets.join(', ')}, updated_at = ? WHERE name = ?`).run(...args, at, name);
  }

  listTrustedKeys(): TrustedKeyRecord[] {
    return this.db
      .prepare('SELECT key_id AS keyId, name, public_key AS publicKey, added_at AS addedAt, added_by AS addedBy FROM trusted_keys ORDER BY added_at, key_id')
      .all() as TrustedKeyRecord[];
  }

  saveTrustedKey(key: TrustedKeyRecord): boolean {
    return this.db.transaction(() => {
      const known = this.db.prepare('SELECT 1 FROM trusted_keys WHERE key_id = ?').get(key.keyId);
      if (known) {
        this.db.prepare('UPDATE trusted_keys SET name = ? WHERE key_id = ?').run(key.name, key.keyId);
        return false;
      }
      this.db
        .prepare('INSERT INTO trusted_keys (key_id, name, public_key, added_at, added_by) VALUES (?, ?, ?, ?, ?)')
        .run(key.keyId, key.name, key.publicKey, key.addedAt, key.addedBy);
      return true;
    })();
  }

  removeTrustedKey(keyId: string): boolean {
    return this.db.prepare('DELETE FROM trusted_keys WHERE key_id = ?').run(keyId).changes > 0;
  }

  listRegistries(): RegistryCredentials[] {
    return this.db.prepare('SELECT host, username, password FROM registries ORDER BY host').all() as RegistryCredentials[];
  }

  getRegistry(host: string): RegistryCredentials | null {
    return (this.db.prepare('SELECT host, username, password FROM registries WHERE host = ?').get(host) as RegistryCredentials | undefined) ?? null;
  }

  saveRegistry(credentials: RegistryCredentials, at: string): void {
    this.db
      .prepare(
        `INSERT INTO registries (host, username, password, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(host) DO UPDATE SET username = excluded.username, password = excluded.password, updated_at = excluded.updated_at`,
      )
      .run(credentials.host, credentials.username, credentials.password, at);
  }

  removeRegistry(host: string): boolean {
    return this.db.prepare('DELETE FROM registries WHERE host = ?').run(host).changes > 0;
  }

  saveRateLimit(limit: RateLimitView): void {
    this.db
      .prepare(
        `INSERT INTO registry_rate_limits (registry, rate_limit, remaining, window_seconds, seen_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(registry) DO UPDATE SET rate_limit = excluded.rate_limit, remaining = excluded.remaining,
           window_seconds = excluded.window_seconds, seen_at = excluded.seen_at`,
      )
      .run(limit.registry, limit.limit, limit.remaining, limit.windowSeconds, limit.seenAt);
  }

  listRateLimits(): RateLimitView[] {
    return this.db
      .prepare('SELECT registry, rate_limit AS "limit", remaining, window_seconds AS windowSeconds, seen_at AS seenAt FROM registry_rate_limits ORDER BY registry')
      .all() as RateLimitView[];
  }

  listOperations(query: { app?: string; limit: number }): Operation[] {
    return this.operations.list(query);
  }

  getEngineRecord(): RecordedEngine | null {
    return this.engine.get();
  }

  recordEngine(engine: RecordedEngine): RecordedEngine {
    return this.engine.record(engine);
  }

  replaceEngine(engine: RecordedEngine, ledger: NewLedgerEntry[]): void {
    this.db.transaction(() => {
      this.engine.replace(engine);
      this.appendLedger(ledger);
    })();
  }

  getSettings(): DeviceSettings {
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
    return withDefaults(Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value)])));
  }

  saveSettings(settings: DeviceSettings): void {
    const put = this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(settings)) put.run(key, JSON.stringify(value));
    })();
  }

  insertApp(app: NewApp, at: string): AppRecord {
    const insert = this.db.transaction(() => {
      const exists = this.db.prepare('SELECT 1 FROM apps WHERE name = ?').get(app.name);
      if (exists) {
        throw new TagkeeperError('already-exists', `an app named "${app.name}" already exists`, {
          hint: 'choose another name, or delete the existing app first',
        });
      }
      this.db
        .prepare(`INSERT INTO apps (name, pull_policy, check_on_start, intent, created_at, updated_at) VALUES (?, ?, ?, 'creating', ?, ?)`)
        .run(app.name, app.pullPolicy, app.checkOnStart === null ? null : Number(app.checkOnStart), at, at);
      if (app.autoApply !== undefined && app.autoApply !== null) this.db.prepare('UPDATE apps SET auto_apply = ? WHERE name = ?').run(Number(app.autoApply), app.name);
      if (app.compose) this.db.prepare('UPDATE apps SET compose = ? WHERE name = ?').run(JSON.stringify(app.compose), app.name);
      const addService = this.db.prepare(
        'INSERT INTO services (app, name, position, reference, canonical, pinned_digest, settings) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      app.services.forEach((s, position) =>
        addService.run(app.name, s.name, position, s.reference, s.canonical, s.pinnedDigest, JSON.stringify(s.settings)),
      );
    });
    insert();
    return this.getApp(app.name)!;
  }

  /** A Compose app's new definition: its services follow it (kept ones keep their latches and history; positions in definition order). */
  private redefineApp(app: string, redefine: NonNullable<OperationCommit['redefine']>, at: string): void {
    const names = redefine.services.map((s) => s.name);
    const existing = new Set((this.db.prepare('SELECT name FROM services WHERE app = ?').all(app) as { name: string }[]).map((r) => r.name));
    for (const name of existing) if (!names.includes(name)) this.db.prepare('DELETE FROM services WHERE app = ? AND name = ?').run(app, name);
    redefine.services.forEach((s, position) => {
      if (existing.has(s.name)) {
        this.db
          .prepare('UPDATE services SET position = ?, reference = ?, canonical = ?, pinned_digest = ?, settings = ? WHERE app = ? AND name = ?')
          .run(position, s.reference, s.canonical, s.pinnedDigest, JSON.stringify(s.settings), app, s.name);
      } else {
        this.db
          .prepare('INSERT INTO services (app, name, position, reference, canonical, pinned_digest, settings) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(app, s.name, position, s.reference, s.canonical, s.pinnedDigest, JSON.stringify(s.settings));
      }
    });
    this.db.prepare('UPDATE apps SET compose = ?, updated_at = ? WHERE name = ?').run(JSON.stringify(redefine.compose), at, app);
  }

  getApp(name: string): AppRecord | null {
    const app = this.db.prepare('SELECT * FROM apps WHERE name = ?').get(name) as AppRow | undefined;
    if (!app) return null;
    const services = this.db.prepare('SELECT * FROM services WHERE app = ? ORDER BY position').all(name) as ServiceRow[];
    return appFromRows(app, services);
  }

  listApps(): AppRecord[] {
    const apps = this.db.prepare('SELECT * FROM apps ORDER BY name').all() as AppRow[];
    const services = this.db.prepare('SELECT * FROM services ORDER BY app, position').all() as ServiceRow[];
    const byApp = new Map<string, ServiceRow[]>();
    for (const s of services) byApp.set(s.app, [...(byApp.get(s.app) ?? []), s]);
    return apps.map((a) => appFromRows(a, byApp.get(a.name) ?? []));
  }

  deleteApp(name: string): void {
    this.db.prepare('DELETE FROM apps WHERE name = ?').run(name);
  }

  setAppIntent(name: string, intent: AppIntent, error: ErrorInfo | null, at: string): void {
    this.db.prepare('UPDATE apps SET intent = ?, error = ?, updated_at = ? WHERE name = ?').run(intent, json(error), at, name);
  }

  latchService(app: string, service: string, latched: Latched): void {
    this.db
      .prepare(
        `UPDATE services SET
           previous = CASE WHEN latched IS NOT NULL AND json_extract(latched, '$.imageId') <> ? THEN latched ELSE previous END,
           latched = ?, error = NULL
         WHERE app = ? AND name = ?`,
      )
      .run(latched.imageId, JSON.stringify(latched), app, service);
  }

  setServiceContainer(app: string, service: string, containerId: string | null): void {
    this.db.prepare('UPDATE services SET container_id = ? WHERE app = ? AND name = ?').run(containerId, app, service);
  }

  setServiceError(app: string, service: string, error: ErrorInfo | null): void {
    this.db.prepare('UPDATE services SET error = ? WHERE app = ? AND name = ?').run(json(error), app, service);
  }

  setServiceAvailable(app: string, service: string, available: Available | null, error: ErrorInfo | null): void {
    // A failed check keeps the last known available digest; it only records why it failed.
    this.db
      .prepare('UPDATE services SET available = COALESCE(?, available), check_error = ? WHERE app = ? AND name = ?')
      .run(json(available), json(error), app, service);
  }

  recordCheck(
    findings: { app: string; service: string; available: Available | null; error: ErrorInfo | null }[],
    ledger: NewLedgerEntry[],
    updates: UpdateFindings = { propose: [], withdraw: [] },
    at = new Date().toISOString(),
  ): PendingUpdate[] {
    return this.db.transaction(() => {
      for (const f of findings) this.setServiceAvailable(f.app, f.service, f.available, f.error);
      const touched = this.updates.record(updates, at);
      this.appendLedger(ledger);
      return touched;
    })();
  }

  getManifest(digest: string): CachedManifest | null {
    const row = this.db.prepare('SELECT digest, media_type, body FROM manifests WHERE digest = ?').get(digest) as
      | { digest: string; media_type: string; body: Buffer }
      | undefined;
    return row ? { digest: row.digest, mediaType: row.media_type, bytes: new Uint8Array(row.body) } : null;
  }

  putManifest(manifest: CachedManifest, at: string): void {
    this.db
      .prepare('INSERT OR IGNORE INTO manifests (digest, media_type, body, fetched_at) VALUES (?, ?, ?, ?)')
      .run(manifest.digest, manifest.mediaType, Buffer.from(manifest.bytes), at);
  }

  appendLedger(entries: NewLedgerEntry[]): void {
    const insert = this.db.prepare(
      `INSERT INTO ledger (at, app, service, action, from_index_digest, from_manifest_digest, to_index_digest,
         to_manifest_digest, source, trigger, actor, outcome, detail)
       VALUES (@at, @app, @service, @action, @fromIndex, @fromManifest, @toIndex, @toManifest, @source, @trigger, @actor, @outcome, @detail)`,
    );
    this.db.transaction(() => {
      for (const e of entries) {
        insert.run({
          at: e.at ?? new Date().toISOString(),
          app: e.app,
          service: e.service,
          action: e.action,
          fromIndex: e.from?.indexDigest ?? null,
          fromManifest: e.from?.manifestDigest ?? null,
          toIndex: e.to?.indexDigest ?? null,
          toManifest: e.to?.manifestDigest ?? null,
          source: e.source,
          trigger: e.trigger,
          actor: e.actor,
          outcome: e.outcome,
          detail: e.detail,
        });
      }
    })();
  }

  listLedger(query: LedgerQuery = {}): LedgerEntry[] {
    const limit = query.limit ?? 1000;
    const rows = (
      query.app
        ? this.db.prepare('SELECT * FROM ledger WHERE app = ? ORDER BY id DESC LIMIT ?').all(query.app, limit)
        : this.db.prepare('SELECT * FROM ledger ORDER BY id DESC LIMIT ?').all(limit)
    ) as LedgerRow[];
    return rows.reverse().map(ledgerFromRow);
  }

  latchedDigests(app: string, service: string): string[] {
    // What ran under this name before the app was last deleted is another app's history.
    const rows = this.db
      .prepare(
        `SELECT DISTINCT to_manifest_digest AS digest FROM ledger
         WHERE app = ? AND service = ? AND action IN ('resolve', 'apply', 'rollback', 'recover') AND outcome = 'ok' AND to_manifest_digest IS NOT NULL
           AND id > (SELECT COALESCE(MAX(id), 0) FROM ledger WHERE app = ? AND action = 'delete')`,
      )
      .all(app, service, app) as { digest: string }[];
    return rows.map((r) => r.digest);
  }

  engineCheckPending(): boolean {
    return this.meta.engineCheckPending();
  }

  setEngineCheckPending(pending: boolean): void {
    this.meta.setEngineCheckPending(pending);
  }

  reserveOperationIds(id: number): void {
    this.meta.reserveOperationIds(id);
  }

  /** What SQLite's quick check finds wrong with the database (it reads every page), or null when nothing. */
  integrityProblem(): string | null {
    return this.meta.integrityProblem();
  }

  /** The day's backup when the newest is older than a day (in steps, while the process goes on); the file, or null when none was due. */
  async backupIfDue(): Promise<string | null> {
    if (!this.context) return null;
    return backupIfDue(this.db, this.context.dataDir, this.context.now());
  }

  close(): void {
    this.db.close();
  }
}

