/**
 * Requests in, results out: record a request durably (merged as counters would be), then
 * work through the app's open operations in order until it is done. Only one process works
 * on an app at a time; a process that finds another live one at work waits for it, and one
 * that finds the work of a dead one (killed, rebooted) finishes it first.
 */
import type { ComposeDefinition } from '../../api/types/apps';
import type { Operation, OperationOwner, QueuedOperation, OperationKind, OperationResult, UpdateFlags } from '../../api/types/operations';
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
    {
      app: request.app, kind: request.kind, flags: request.flags ?? NO_FLAGS, trigger: request.trigger ?? 'user', actor: deps.actor, target: request.target,
      ...(options.wait ? { waiter: thisProcess(deps) } : {}),
    },
    isoNow(deps),
  );
  deps.checkpoint('request-recorded');
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
    const op = claimNext(deps, app);
    if (op) await runOperation(deps, op);
    else await deps.sleep(POLL_MS);
  }
}

/** Finish whatever operations are waiting or were left unfinished by a process that died. */
export async function resumeOperations(deps: CoreDeps, app?: string): Promise<OperationResult[]> {
  const results: OperationResult[] = [];
  const apps = [...new Set(deps.store.listOpenOperations(app).map((op) => op.app))];
  if (apps.length > 0) await deps.engine.ping();
  for (const name of apps) {
    for (let op = claimNext(deps, name); op; op = claimNext(deps, name)) results.push(await runOperation(deps, op));
  }
  return results;
}

/**
 * Before anything is said about `app` (or every app): finish, or roll back, the operation a
 * process that died left running on it, and the requests queued behind that one. The app
 * then runs its old or its new content, and its view says which.
 */
export async function finishInterrupted(deps: CoreDeps, app?: string): Promise<OperationResult[]> {
  const apps = [...new Set(deps.store.listOpenOperations(app).filter((op) => isInterrupted(deps, op)).map((op) => op.app))];
  const results: OperationResult[] = [];
  for (const name of apps) results.push(...(await resumeOperations(deps, name)));
  return results;
}

/**
 * Left running by a process that is gone (killed, or the box rebooted), or left waiting by the
 * process that asked for it and waited: only another process can finish it.
 */
export function isInterrupted(deps: CoreDeps, op: Operation): boolean {
  return (op.state === 'running' || op.state === 'pending') && op.ownerPid !== null && !ownedHere(deps, op) && !deps.isProcessAlive(op.ownerPid, op.ownerStarted);
}

/** This process as an operation's owner (or a request's waiter). */
export const thisProcess = (deps: Pick<CoreDeps, 'processId' | 'processStarted'>): OperationOwner => ({ pid: deps.processId, started: deps.processStarted });

/** Being worked on by another process that still runs (the same process that took it, not one given its PID since). */
function ownedElsewhere(deps: CoreDeps, op: Operation): boolean {
  return op.state === 'running' && op.ownerPid !== null && !ownedHere(deps, op) && deps.isProcessAlive(op.ownerPid, op.ownerStarted);
}

const ownedHere = (deps: CoreDeps, op: Operation) => op.ownerPid === deps.processId && op.ownerStarted === deps.processStarted;

/**
 * The next operation of `app` for this process to carry out, or null while a live process
 * works on the app: another one, or this one in another task (a serve worker and a request,
 * which would otherwise both take the same operation).
 */
function claimNext(deps: CoreDeps, app: string): Operation | null {
  if (deps.store.listOpenOperations(app).some((op) => deps.running.has(op.id))) return null;
  return deps.store.claimOperation(app, thisProcess(deps), deps.isProcessAlive, isoNow(deps));
}

/**
 * Before an app is deleted: refuse while another live process works on it, and end every
 * operation still waiting (each recorded as cancelled in the ledger).
 */
export function cancelOpenOperations(deps: CoreDeps, app: string): void {
  const open = deps.store.listOpenOperations(app);
  const busy = open.find((op) => ownedElsewhere(deps, op));
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
  if (ownedElsewhere(deps, op)) {
    throw new TagkeeperError('busy', `operation ${id} runs in process ${op.ownerPid}`, { hint: 'cancel it from the Tagkeeper instance that runs it' });
  }
  const error = { code: 'cancelled' as const, message: `operation ${id} on app ${op.app} was cancelled by ${deps.actor} before anything was switched` };
  finish(deps, op, failure(op, op.plan, error), { latch: [], containers: [], ledger: [] });
  deps.emit({ type: 'operation-changed', id, app: op.app });
  return { cancelled: true, reason: error.message };
}
