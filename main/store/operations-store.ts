/** The operations table: durable requests, merging, claiming, progress and the atomic finish. */
import type { ComposeDefinition } from '../api/types/apps';
import type Database from 'better-sqlite3';
import { TagkeeperError } from '../api/errors';
import { canJoin, mergeFlags } from '../core/operations/operation-flags';
import type { Operation, OperationKind, OperationOwner, OperationPhase, OperationPlan, OperationResult, UpdateFlags } from '../api/types/operations';
import type { OperationCommit } from '../core/ports/store-port';

interface OperationRow {
  id: number;
  app: string;
  kind: OperationKind;
  refresh: number;
  restart: number;
  purge: number;
  rollback: number;
  approve: number;
  requests: number;
  state: Operation['state'];
  phase: OperationPhase;
  plan: string | null;
  result: string | null;
  target: string | null;
  only_services: string | null;
  include_rejected: string | null;
  owner_pid: number | null;
  owner_started: string | null;
  trigger: string;
  actor: string;
  created_at: string;
  updated_at: string;
}

const toOperation = (r: OperationRow): Operation => ({
  id: r.id,
  app: r.app,
  kind: r.kind,
  flags: {
    refresh: r.refresh === 1, restart: r.restart === 1, purge: r.purge === 1, rollback: r.rollback === 1, approve: r.approve === 1,
    ...(r.target !== null ? { redefine: true } : {}),
    ...(r.only_services !== null ? { only: JSON.parse(r.only_services) as string[] } : {}),
    ...(r.include_rejected !== null ? { includeRejected: JSON.parse(r.include_rejected) as string[] } : {}),
  },
  requests: r.requests,
  state: r.state,
  phase: r.phase,
  plan: r.plan ? JSON.parse(r.plan) : null,
  result: r.result ? JSON.parse(r.result) : null,
  ownerPid: r.owner_pid,
  ownerStarted: r.owner_started,
  trigger: r.trigger,
  actor: r.actor,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  target: r.target ? JSON.parse(r.target) : null,
});

/** A list of service names as its column holds it (NULL: absent). */
const list = (names: string[] | undefined): string | null => (names === undefined ? null : JSON.stringify(names));

export class OperationsTable {
  constructor(
    private readonly db: Database.Database,
    private readonly applyCommit: (op: Operation, result: OperationResult, commit: OperationCommit, at: string) => void,
  ) {}

  get(id: number): Operation | null {
    const row = this.db.prepare('SELECT * FROM operations WHERE id = ?').get(id) as OperationRow | undefined;
    return row ? toOperation(row) : null;
  }

  list(query: { app?: string; limit: number }): Operation[] {
    const rows = (
      query.app
        ? this.db.prepare('SELECT * FROM operations WHERE app = ? ORDER BY id DESC LIMIT ?').all(query.app, query.limit)
        : this.db.prepare('SELECT * FROM operations ORDER BY id DESC LIMIT ?').all(query.limit)
    ) as OperationRow[];
    return rows.map(toOperation);
  }

  listOpen(app?: string): Operation[] {
    const rows = (
      app
        ? this.db.prepare("SELECT * FROM operations WHERE state IN ('pending','running') AND app = ? ORDER BY id").all(app)
        : this.db.prepare("SELECT * FROM operations WHERE state IN ('pending','running') ORDER BY id").all()
    ) as OperationRow[];
    return rows.map(toOperation);
  }

  submit(request: { app: string; kind: OperationKind; flags: UpdateFlags; trigger: string; actor: string; target?: ComposeDefinition; waiter?: OperationOwner }, at: string): Operation {
    return this.db
      .transaction(() => {
        const open = this.listOpen(request.app);
        // Join the newest operation that may still take it (a pending one, or a refresh still downloading).
        const target = [...open].reverse().find((op) => canJoin(op, request.kind, request.flags));
        if (target) {
          const merged = mergeFlags(target.flags, request.flags);
          this.db
            .prepare('UPDATE operations SET refresh = ?, restart = ?, purge = ?, only_services = ?, include_rejected = ?, requests = requests + 1, updated_at = ? WHERE id = ?')
            .run(Number(merged.refresh), Number(merged.restart), Number(merged.purge), list(merged.only), list(merged.includeRejected), at, target.id);
          return this.get(target.id)!;
        }
        const { lastInsertRowid } = this.db
          .prepare(
            `INSERT INTO operations (app, kind, refresh, restart, purge, rollback, approve, state, phase, trigger, actor, created_at, updated_at, target, owner_pid, owner_started, only_services, include_rejected)
             VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            request.app, request.kind, Number(request.flags.refresh), Number(request.flags.restart), Number(request.flags.purge),
            Number(request.flags.rollback ?? false), Number(request.flags.approve ?? false), request.trigger, request.actor, at, at,
            request.target ? JSON.stringify(request.target) : null, request.waiter?.pid ?? null, request.waiter?.started ?? null,
            list(request.flags.only), list(request.flags.includeRejected),
          );
        return this.get(Number(lastInsertRowid))!;
      })
      .immediate();
  }

  claim(app: string, owner: OperationOwner, isAlive: (pid: number, started: string | null) => boolean, at: string): Operation | null {
    return this.db
      .transaction(() => {
        const open = this.listOpen(app);
        const mine = (op: Operation) => op.ownerPid === owner.pid && op.ownerStarted === owner.started;
        const busy = open.find((op) => op.state === 'running' && op.ownerPid !== null && !mine(op) && isAlive(op.ownerPid, op.ownerStarted));
        if (busy || open.length === 0) return null;
        const next = open[0];
        this.db
          .prepare("UPDATE operations SET state = 'running', owner_pid = ?, owner_started = ?, updated_at = ? WHERE id = ?")
          .run(owner.pid, owner.started, at, next.id);
        return this.get(next.id)!;
      })
      .immediate();
  }

  setProgress(id: number, phase: OperationPhase, plan: OperationPlan | null, at: string): void {
    this.db.prepare('UPDATE operations SET phase = ?, plan = ?, updated_at = ? WHERE id = ?').run(phase, plan ? JSON.stringify(plan) : null, at, id);
  }

  decide(id: number, at: string): Operation {
    return this.db
      .transaction(() => {
        const op = this.get(id);
        if (!op) throw new TagkeeperError('internal', `operation ${id} vanished`);
        if (op.phase === 'switching' || op.phase === 'finished') return op;
        const plan: OperationPlan = op.plan ?? { services: [] };
        const changed = plan.services.some((s) => s.changed || s.recreate) || (plan.removed?.length ?? 0) > 0;
        plan.decided = { ...op.flags, switch: changed || op.flags.restart || op.flags.purge };
        this.setProgress(id, 'switching', plan, at);
        return this.get(id)!;
      })
      .immediate();
  }

  finish(id: number, result: OperationResult, commit: OperationCommit, at: string): void {
    this.db
      .transaction(() => {
        const op = this.get(id);
        if (!op) throw new TagkeeperError('internal', `operation ${id} vanished`);
        if (op.state === 'done' || op.state === 'failed') return; // finished once, never twice
        this.applyCommit(op, result, commit, at);
        this.db
          .prepare("UPDATE operations SET state = ?, phase = 'finished', result = ?, updated_at = ? WHERE id = ?")
          .run(result.outcome === 'done' ? 'done' : 'failed', JSON.stringify(result), at, id);
      })
      .immediate();
  }
}
