/** The pending_updates table: proposals, decisions and their end, each in one transaction. */
import type Database from 'better-sqlite3';
import type { DigestPair } from '../api/types/apps';
import type { PendingUpdate, PendingUpdateState, UpdateFindings, UpdateProposal, UpdateResolution } from '../api/types/updates';

interface PendingUpdateRow {
  id: number;
  app: string;
  service: string;
  from_index_digest: string | null;
  from_manifest_digest: string | null;
  to_index_digest: string | null;
  to_manifest_digest: string;
  source: PendingUpdate['source'];
  found_at: string;
  state: PendingUpdateState;
  image_id: string | null;
  decided_by: string | null;
  decided_at: string | null;
  reason: string | null;
  operation_id: number | null;
  bundle_created_at: string | null;
}

const pairOrNull = (index: string | null, manifest: string | null): DigestPair | null =>
  index === null && manifest === null ? null : { indexDigest: index, manifestDigest: manifest };

const toUpdate = (r: PendingUpdateRow): PendingUpdate => ({
  id: r.id,
  app: r.app,
  service: r.service,
  from: pairOrNull(r.from_index_digest, r.from_manifest_digest),
  to: { indexDigest: r.to_index_digest, manifestDigest: r.to_manifest_digest },
  source: r.source,
  foundAt: r.found_at,
  state: r.state,
  imageId: r.image_id,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
  reason: r.reason,
  operationId: r.operation_id,
  bundleCreatedAt: r.bundle_created_at,
});

export interface PendingUpdateQuery {
  app?: string;
  service?: string;
  states?: readonly PendingUpdateState[];
  operationId?: number;
  limit?: number;
}

export class PendingUpdatesTable {
  constructor(private readonly db: Database.Database) {}

  list(query: PendingUpdateQuery = {}): PendingUpdate[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (query.app !== undefined) (where.push('app = ?'), args.push(query.app));
    if (query.service !== undefined) (where.push('service = ?'), args.push(query.service));
    if (query.operationId !== undefined) (where.push('operation_id = ?'), args.push(query.operationId));
    if (query.states) (where.push(`state IN (${query.states.map(() => '?').join(', ')})`), args.push(...query.states));
    const sql = `SELECT * FROM pending_updates ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, query.limit ?? 1000) as PendingUpdateRow[]).map(toUpdate);
  }

  /**
   * Record what a check (or a bundle) found. A digest rejected for a drive is not proposed
   * again; the same digest proposed again keeps its row (and learns its staged image); a
   * different one supersedes a waiting proposal. An approved row (being applied) is left alone.
   * Call inside a transaction. Returns the rows created or refreshed.
   */
  record(findings: UpdateFindings, at: string): PendingUpdate[] {
    const touched: number[] = [];
    for (const w of findings.withdraw) {
      this.db
        .prepare("UPDATE pending_updates SET state = 'superseded', reason = 'the service is up to date again', decided_at = ? WHERE app = ? AND service = ? AND state = 'pending' AND source = 'registry'")
        .run(at, w.app, w.service);
    }
    for (const p of findings.propose) {
      const id = this.propose(p, at);
      if (id !== null) touched.push(id);
    }
    return touched.map((id) => this.get(id)!);
  }

  private propose(p: UpdateProposal, at: string): number | null {
    const rejected = this.db
      .prepare("SELECT 1 FROM pending_updates WHERE app = ? AND service = ? AND to_manifest_digest = ? AND state = 'rejected'")
      .get(p.app, p.service, p.to.manifestDigest);
    if (rejected) return null;
    const open = this.db
      .prepare("SELECT * FROM pending_updates WHERE app = ? AND service = ? AND state IN ('pending', 'approved')")
      .get(p.app, p.service) as PendingUpdateRow | undefined;
    if (open?.state === 'approved') return null;
    if (open && open.to_manifest_digest === p.to.manifestDigest) {
      this.db
        .prepare(
          'UPDATE pending_updates SET to_index_digest = ?, image_id = COALESCE(?, image_id), source = CASE WHEN ? IS NOT NULL THEN ? ELSE source END, bundle_created_at = COALESCE(?, bundle_created_at) WHERE id = ?',
        )
        .run(p.to.indexDigest, p.imageId ?? null, p.imageId ?? null, p.source, p.bundleCreatedAt ?? null, open.id);
      return open.id;
    }
    if (open) {
      this.db
        .prepare("UPDATE pending_updates SET state = 'superseded', reason = ?, decided_at = ? WHERE id = ?")
        .run(`superseded by ${p.to.manifestDigest}`, at, open.id);
    }
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO pending_updates (app, service, from_index_digest, from_manifest_digest, to_index_digest, to_manifest_digest, source, found_at, state, image_id, bundle_created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
      )
      .run(p.app, p.service, p.from?.indexDigest ?? null, p.from?.manifestDigest ?? null, p.to.indexDigest, p.to.manifestDigest, p.source, at, p.imageId ?? null, p.bundleCreatedAt ?? null);
    return Number(lastInsertRowid);
  }

  get(id: number): PendingUpdate | null {
    const row = this.db.prepare('SELECT * FROM pending_updates WHERE id = ?').get(id) as PendingUpdateRow | undefined;
    return row ? toUpdate(row) : null;
  }

  /** Approve or reject waiting rows; returns the rows that were still waiting (others are left). Call inside a transaction. */
  decide(ids: number[], decision: 'approved' | 'rejected', by: string, at: string, operationId: number | null): PendingUpdate[] {
    const decided: PendingUpdate[] = [];
    for (const id of ids) {
      const { changes } = this.db
        .prepare("UPDATE pending_updates SET state = ?, decided_by = ?, decided_at = ?, operation_id = ? WHERE id = ? AND state = 'pending'")
        .run(decision, by, at, operationId, id);
      if (changes > 0) decided.push(this.get(id)!);
    }
    return decided;
  }

  /** When the bundles applied to the drive were made, as their indexes said. */
  appliedBundleTimes(app: string, service: string): string[] {
    const rows = this.db
      .prepare("SELECT DISTINCT bundle_created_at AS at FROM pending_updates WHERE app = ? AND service = ? AND state = 'applied' AND source = 'bundle' AND bundle_created_at IS NOT NULL")
      .all(app, service) as { at: string }[];
    return rows.map((r) => r.at);
  }

  stage(id: number, imageId: string): void {
    this.db.prepare('UPDATE pending_updates SET image_id = ? WHERE id = ?').run(imageId, id);
  }

  /** An approve operation ended: its rows are applied, or failed with the reason. Call inside a transaction. */
  endOperation(operationId: number, outcome: 'done' | 'failed' | 'rolled-back', reason: string | null, at: string): void {
    const state = outcome === 'done' ? 'applied' : 'failed';
    this.db
      .prepare("UPDATE pending_updates SET state = ?, reason = ?, decided_at = COALESCE(decided_at, ?) WHERE operation_id = ? AND state = 'approved'")
      .run(state, state === 'failed' ? reason : null, at, operationId);
  }

  resolve(resolutions: UpdateResolution[], at: string): void {
    const update = this.db.prepare("UPDATE pending_updates SET state = ?, reason = ?, decided_at = ? WHERE id = ? AND state = 'pending'");
    for (const r of resolutions) update.run(r.state, r.reason, at, r.id);
  }
}
