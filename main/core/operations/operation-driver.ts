/**
 * Requests in, results out: record a request durably (merged as counters would be), then
 * work through the app's open operations in order until it is done. Only one process works
 * on an app at a time; a process that finds another live one at work waits for it, and one
 * that finds the work of a dead one (killed, rebooted) finishes it first.
 */
import type { ComposeDefinition } from '../../api/types/apps';
import type { Operation, QueuedOperation, OperationKind, OperationResult, UpdateFlags } from '../../api/types/operations';
import { requireApp } from '../apps/app-lookup';
import { type CoreDeps, isoNow } from '../ports/deps';
import { runOperation } from './operation-runner';
import { TagkeeperError } from '../../api/errors';
import { failure, finish } from './operation-result';
import { NO_FLAGS } from './operation-flags';

export interface OperationRequest {
  app: string;
  kind: OperationKind;
  flags?: UpdateFlags;
  trigger?: string;
  /** Redefine: the Compose definition to move the app to. */
  target?: ComposeDefinition;
}

const POLL_MS = 200;

export async function requestOperation(deps: CoreDeps, request: OperationRequest, options: { wait: boolean }): Promise<OperationResult | QueuedOperation> {
  requireApp(deps, request.app);
  await deps.engine.ping();
  const op = deps.store.submitOperation(
    { app: request.app, kind: request.kind, flags: request.flags ?? NO_FLAGS, trigger: request.trigger ?? 'user', actor: deps.actor, target: request.target },
    isoNow(deps),
  );
  deps.emit({ type: 'app-changed', app: request.app });
  return options.wait ? waitFor(deps, request.app, op.id) : queued(deps, op);
}

/** A request recorded and not waited for: this instance's worker (if it runs one) takes it. */
export function queued(deps: Pick<CoreDeps, 'worker'>, op: Pick<Operation, 'id' | 'app' | 'state'>): QueuedOperation {
  deps.worker?.wake();
  return { operation: op.id, app: op.app, state: op.state === 'running' ? 'running' : 'pending', worker: deps.worker !== null };
}

/** Work on (or wait for) the app's operations until operation `id` has finished. */
export async function waitFor(deps: CoreDeps, app: string, id: number): Promise<OperationResult> {
  for (;;) {
    const target = deps.store.getOperation(id);
    if (target && (target.state === 'done' || target.state === 'failed') && target.result) return target.result;
    const op = deps.store.claimOperation(app, deps.processId, deps.isProcessAlive, isoNow(deps));
    // The claim hands back an operation this process is carrying out already (it owns it): wait for that run.
    if (op && !deps.running.has(op.id)) await runOperation(deps, op);
    else await deps.sleep(POLL_MS);
  }
}

/** Finish whatever operations are waiting or were left unfinished by a process that died. */
export async function resumeOperations(deps: CoreDeps, app?: string): Promise<OperationResult[]> {
  const results: OperationResult[] = [];
  const apps = [...new Set(deps.store.listOpenOperations(app).map((op) => op.app))];
  if (apps.length > 0) await deps.engine.ping();
  for (const name of apps) {
    for (let op = deps.store.claimOperation(name, deps.processId, deps.isProcessAlive, isoNow(deps)); op; op = deps.store.claimOperation(name, deps.processId, deps.isProcessAlive, isoNow(deps))) {
      // Being carried out in this process already (a request waiting for it, in serve or the desktop):
      // running it a second time side by side would switch the app twice. Its own run finishes it.
      if (deps.running.has(op.id)) break;
      results.push(await runOperation(deps, op));
    }
  }
  return results;
}

/**
 * Before an app is deleted: refuse while another live process works on it, and end every
 * operation still waiting (each recorded as cancelled in the ledger).
 */
export function cancelOpenOperations(deps: CoreDeps, app: string): void {
  const open = deps.store.listOpenOperations(app);
  const busy = open.find((op) => op.state === 'running' && op.ownerPid !== null && op.ownerPid !== deps.processId && deps.isProcessAlive(op.ownerPid));
  if (busy) {
    throw new TagkeeperError('busy', `app ${app} is being worked on by process ${busy.ownerPid} (operation ${busy.id})`, {
      hint: 'wait for it to finish, then delete the app',
    });
  }
  for (const op of open) {
    const error = { code: 'cancelled' as const, message: `operation ${op.id} cancelled: app ${app} was deleted` };
    finish(deps, op, failure(op, op.plan, error), { latch: [], containers: [], ledger: [] });
  }
}

/**
 * Cancel an operation before it switches anything: a waiting one ends at once; one this
 * process is downloading for is aborted (its downloads stop, the app keeps what it ran).
 */
export function cancelOperation(deps: CoreDeps, id: number): { cancelled: boolean; reason: string } {
  const op = deps.store.getOperation(id);
  if (!op) throw new TagkeeperError('invalid-input', `there is no operation ${id}`, { hint: 'see the operations with operations:list' });
  if (op.state === 'done' || op.state === 'failed') return { cancelled: false, reason: `operation ${id} has already finished` };
  if (op.phase === 'switching') return { cancelled: false, reason: `operation ${id} is switching containers; it finishes to keep the app consistent` };
  const controller = deps.running.get(id);
  if (controller) {
    controller.abort();
    return { cancelled: true, reason: `operation ${id} is being stopped; the app keeps what it ran` };
  }
  const owner = op.ownerPid;
  if (op.state === 'running' && owner !== null && owner !== deps.processId && deps.isProcessAlive(owner)) {
    throw new TagkeeperError('busy', `operation ${id} runs in process ${owner}`, { hint: 'cancel it from the Tagkeeper instance that runs it' });
  }
  const error = { code: 'cancelled' as const, message: `operation ${id} on app ${op.app} was cancelled by ${deps.actor} before anything was switched` };
  finish(deps, op, failure(op, op.plan, error), { latch: [], containers: [], ledger: [] });
  deps.emit({ type: 'operation-changed', id, app: op.app });
  return { cancelled: true, reason: error.message };
}
