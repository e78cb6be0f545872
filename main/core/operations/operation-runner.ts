/**
 * Carrying out one operation, step by step, recording progress before and after each step
 * (EVE's doInstall → doPrepare → doActivate): resolve → download (old containers keep
 * running) → decide (flags frozen) → switch → finish (store and ledger in one transaction).
 * A killed process leaves the operation `running` at its last recorded phase; running it
 * again from there finishes it, never twice.
 */
import { planRedefine } from '../compose-apps/compose-redefine';
import { redefinedApp } from '../compose-apps/compose-redefine';
import { removeDroppedNetworks } from '../compose-apps/compose-redefine';
import { redefinedServices } from '../compose-apps/compose-redefine';
import type { ComposeDefinition } from '../../api/types/apps';
import { type LedgerFacts, ledgerEntry } from '../ledger/ledger-entry';
import type { AppRecord, Latched, NewLedgerEntry } from '../../api/types/apps';
import { ensureContent } from '../content/acquire-image';
import { type CoreDeps, isoNow } from '../ports/deps';
import { TagkeeperError, asTagkeeperError, type ErrorInfo } from '../../api/errors';
import { switchApp } from './app-switch';
import { effectivePolicy } from '../content/pull-policy';
import { parseReference } from '../model/reference';
import { resolveReference } from '../content/resolver';
import type { Operation, OperationPlan, OperationResult, PlannedService } from '../../api/types/operations';
import { EndNotRecorded, failure, finish, pair, result } from './operation-result';
import type { OperationCommit } from '../ports/store-port';
import { startOrStop } from '../apps/app-start-stop';
import { planRollback } from './rollback-plan';
import { planApproval } from '../updates/approval-plan';
import { restartsWith } from '../compose/start-order';
import type { UpdateResolution } from '../../api/types/updates';
import { tagAppliedBundleImages } from '../bundles/bundle-trust';
import { rejectedDigests } from '../updates/rejected-digests';

export async function runOperation(deps: CoreDeps, op: Operation): Promise<OperationResult> {
  const controller = new AbortController();
  deps.running.set(op.id, controller);
  deps.emit({ type: 'operation-changed', id: op.id, app: op.app });
  try {
    return await runClaimed(deps, op, controller.signal);
  } finally {
    deps.running.delete(op.id);
    deps.emit({ type: 'operation-changed', id: op.id, app: op.app });
  }
}

async function runClaimed(deps: CoreDeps, op: Operation, signal: AbortSignal): Promise<OperationResult> {
  const app = deps.store.getApp(op.app);
  if (!app) return finish(deps, op, failure(op, op.plan, unknownApp(op.app)), { latch: [], containers: [], ledger: [] });
  try {
    if (op.kind === 'stop' || (op.kind === 'start' && !checksOnStart(deps, app))) return await startOrStop(deps, app, op);
    return await update(deps, app, op, signal);
  } catch (error) {
    // Its end was reached but could not be recorded: recording a failure instead would contradict what runs.
    if (error instanceof EndNotRecorded) throw error;
    const e = asTagkeeperError(error);
    if (e.code === 'engine-unreachable' && deps.store.getOperation(op.id)?.phase === 'switching') throw switchInterrupted(op, e);
    return finish(deps, op, failure(op, op.plan, e.toInfo()), { latch: [], containers: [], ledger: [] });
  } finally {
    deps.emit({ type: 'app-changed', app: op.app });
  }
}

/**
 * The engine went away while the app's containers were being switched: neither the old nor
 * the new ones may run then, so the operation is not ended as failed but stays open, and the
 * next process that looks at the app (once this one is gone) finishes the switch when the
 * engine answers again.
 */
function switchInterrupted(op: Operation, e: TagkeeperError): TagkeeperError {
  return new TagkeeperError('engine-unreachable', `the engine went away while operation ${op.id} switched the containers of app ${op.app}: ${e.message}`, {
    hint: `start the engine again: the next tagkeeper command that looks at the app then finishes the switch, e.g. tagkeeper app show ${op.app}`,
    cause: e,
  });
}

const checksOnStart = (deps: CoreDeps, app: AppRecord) => app.checkOnStart ?? deps.store.getSettings().checkOnStart;

async function update(deps: CoreDeps, app: AppRecord, op: Operation, signal: AbortSignal): Promise<OperationResult> {
  const onStart = op.kind === 'start';
  let plan = op.plan;
  if (!plan || op.phase === 'queued' || op.phase === 'resolving') {
    deps.store.setOperationProgress(op.id, 'resolving', null, isoNow(deps));
    plan = op.flags.rollback
      ? await planRollback(deps, app)
      : op.flags.approve
        ? await planApproval(deps, app, op)
        : op.flags.redefine
          ? await planRedefine(deps, app, op.target!, signal)
          : await planUpdate(deps, app, { refresh: op.flags.refresh || onStart, onStart, only: onStart ? undefined : op.flags.only, includeRejected: onStart ? [] : (op.flags.includeRejected ?? []) }, signal);
    deps.checkpoint('while-resolving');
    deps.store.setOperationProgress(op.id, 'downloading', plan, isoNow(deps));
  }
  if (op.phase !== 'switching') {
    deps.checkpoint('before-download');
    try {
      plan = await download(deps, app, plan, signal);
    } catch (error) {
      const e = asTagkeeperError(error);
      return finish(deps, op, failure(op, plan, e.toInfo()), { latch: [], containers: [], ledger: [] });
    }
    deps.store.setOperationProgress(op.id, 'downloading', plan, isoNow(deps));
    deps.checkpoint('after-download');
    // Past this point the switch always completes: cancelling is possible only before it.
    if (signal.aborted) throw new TagkeeperError('cancelled', `operation ${op.id} on app ${app.name} was cancelled before anything was switched`);
    op = deps.store.decideOperation(op.id, isoNow(deps));
    plan = op.plan!;
    deps.checkpoint('after-decide');
  }
  const decided = plan.decided!;
  const mustRun = onStart || decided.switch;
  if (!mustRun) return finish(deps, op, result(op, plan, 'done', false, false, plan.checkError ?? null), commitFor(deps, app, op, plan, [], 'done'));

  const only = replacedServices(app, op, plan, onStart);
  const target = op.flags.redefine ? redefinedApp(app, op.target!, plan) : app;
  const switched = await switchApp(deps, target, op.id, plan, decided.purge, only);
  // Tags move only when an update is applied: a bundle's image got none when it was loaded.
  if (switched.outcome === 'done' && op.flags.approve) await tagAppliedBundleImages(deps, target, plan);
  // The networks of the definition the app did not end on: the old one's it dropped, or the new one's after going back.
  if (op.flags.redefine) await (switched.outcome === 'done' ? removeDroppedNetworks(deps, app, target) : removeDroppedNetworks(deps, target, app));
  deps.checkpoint('after-switch');
  const outcome = switched.outcome;
  const res = result(op, plan, outcome, true, decided.purge, switched.error ?? plan.checkError ?? null);
  return finish(deps, op, res, commitFor(deps, app, op, plan, switched.containers, outcome));
}

/** What a refresh asks: whether to resolve at all, which drives, which rejected digests it may take; on start a failed check is tolerated. */
interface RefreshChoices {
  refresh: boolean;
  onStart: boolean;
  /** Only these drives move (undefined: all). */
  only: string[] | undefined;
  /** Drives whose rejected digests may be taken. */
  includeRejected: string[];
}

/**
 * What each drive will run: the tag's current content when refreshing, else what is latched.
 * A digest rejected for a drive is left out (the drive keeps what it runs, and the plan says
 * what it skipped) unless the request includes that drive's rejected digests.
 */
async function planUpdate(deps: CoreDeps, app: AppRecord, choices: RefreshChoices, signal: AbortSignal): Promise<OperationPlan> {
  const current = app.services.map((s) => {
    if (!s.latched) throw new TagkeeperError('internal', `service ${s.name} of app ${app.name} was never resolved`, { hint: 'delete and create the app again' });
    const from = { indexDigest: s.latched.indexDigest, manifestDigest: s.latched.manifestDigest, imageId: s.latched.imageId };
    return { name: s.name, from, to: { ...from }, changed: false } satisfies PlannedService;
  });
  if (!choices.refresh) return { services: current };
  const platform = await deps.engine.platform();
  const rejected = rejectedDigests(deps, app.name);
  try {
    const resolved = await Promise.all(
      app.services.map(async (s, i): Promise<PlannedService> => {
        if (s.pinnedDigest !== null || (choices.only !== undefined && !choices.only.includes(s.name))) return current[i];
        const to = await resolveReference(deps, parseReference(s.reference), platform, { signal });
        const changed = to.manifestDigest !== current[i].from.manifestDigest;
        if (changed && rejected(s.name, to.manifestDigest) && !choices.includeRejected.includes(s.name)) {
          return { ...current[i], skipped: { to: { indexDigest: to.indexDigest, manifestDigest: to.manifestDigest }, reason: 'rejected' } };
        }
        return { ...current[i], to: { ...to, imageId: changed ? null : current[i].from.imageId }, changed };
      }),
    );
    return { services: resolved };
  } catch (error) {
    if (!choices.onStart || signal.aborted) throw error;
    // Check on start: the registry is out of reach, so the app starts on its latched digests.
    const e = asTagkeeperError(error);
    return { services: current, checkError: { code: e.code, message: `check on start failed, started on the digests it ran before: ${e.message}`, hint: e.hint } };
  }
}

/** Pull every changed drive by digest (old containers keep running); all or nothing per app. */
async function download(deps: CoreDeps, app: AppRecord, plan: OperationPlan, signal: AbortSignal): Promise<OperationPlan> {
  const platform = await deps.engine.platform();
  const policy = effectivePolicy(app.pullPolicy, deps.store.getSettings().pullPolicy);
  let firstMessage = true;
  const services = await Promise.all(
    plan.services.map(async (p) => {
      if (!p.changed || p.to.imageId) return p;
      const service = app.services.find((s) => s.name === p.name)!;
      const ref = parseReference(service.reference);
      const { content } = await ensureContent(
        deps,
        {
          ref,
          policy,
          platform,
          signal,
          onProgress: (progress) => {
            if (firstMessage) {
              firstMessage = false;
              deps.checkpoint('during-download');
            }
            deps.emit({ type: 'pull-progress', app: app.name, service: p.name, progress });
          },
        },
        { indexDigest: p.to.indexDigest!, manifestDigest: p.to.manifestDigest! },
      );
      return { ...p, to: { ...p.to, imageId: content.imageId } };
    }),
  );
  return { ...plan, services };
}

/**
 * A refresh (or check on start) moved drives on by itself: the request was the approval.
 * Their waiting proposals are applied when they named the digest now latched, else stale.
 */
function staleUpdates(deps: CoreDeps, app: string, latch: OperationCommit['latch']): UpdateResolution[] {
  return latch.flatMap(({ service, latched }) =>
    deps.store.listPendingUpdates({ app, service, states: ['pending'] }).map((u): UpdateResolution =>
      u.to.manifestDigest === latched.manifestDigest
        ? { id: u.id, state: 'applied', reason: 'applied by a refresh' }
        : { id: u.id, state: 'superseded', reason: `a refresh moved the service to ${latched.manifestDigest}` },
    ),
  );
}

const unknownApp = (name: string): ErrorInfo => ({ code: 'unknown-app', message: `app ${name} was deleted before its operation ran` });

/** The store changes of a finished update: latches (also index-only moves), containers, ledger. */
function commitFor(deps: CoreDeps, app: AppRecord, op: Operation, plan: OperationPlan, containers: { service: string; containerId: string }[], outcome: 'done' | 'rolled-back'): OperationCommit {
  const at = isoNow(deps);
  const latch: OperationCommit['latch'] = [];
  const ledger: NewLedgerEntry[] = [];
  const base = { app: app.name, trigger: op.trigger, actor: op.actor };
  const entry = (facts: Omit<LedgerFacts, keyof typeof base>) => ledgerEntry(deps, { ...base, ...facts });
  if (outcome === 'done') {
    for (const p of plan.services) {
      const moved = p.to.indexDigest !== p.from.indexDigest || p.changed;
      if (!moved || !p.to.imageId) continue;
      const source = p.to.source ?? 'registry';
      const latched: Latched = { indexDigest: p.to.indexDigest, manifestDigest: p.to.manifestDigest, imageId: p.to.imageId, source, at };
      // The app then says where it came back from, and offers to re-apply it, instead of "update available".
      if (op.flags.rollback && p.changed) latched.rolledBackFrom = pair(p.from);
      latch.push({ service: p.name, latched });
      const action = op.flags.rollback ? 'rollback' : p.changed ? 'apply' : 'resolve';
      const detail = op.flags.rollback
        ? 'back to the previous digests'
        : !p.changed
          ? 'index changed for other platforms only'
          : op.flags.redefine
            ? `the update to Compose definition ${op.target!.hash} was the approval`
            : op.flags.approve
            ? `approved by ${op.actor}`
            : `the ${op.kind === 'start' ? 'start (check on start)' : 'refresh'} request was the approval`;
      ledger.push(entry({ service: p.name, action, from: pair(p.from), to: pair(p.to), source, detail }));
    }
  } else {
    for (const p of plan.services.filter((s) => s.changed)) {
      ledger.push(entry({ service: p.name, action: 'rollback', from: pair(p.to), to: pair(p.from), source: p.to.source ?? 'registry', detail: 'automatic: the new containers did not stay up' }));
    }
  }
  return {
    ...(op.flags.redefine && outcome === 'done' ? { redefine: { compose: op.target!, services: redefinedServices(app, op.target!) } } : {}),
    note: op.flags.redefine ? definitionNote(app, op.target!, outcome) : undefined,
    latch,
    updates: op.flags.rollback || op.flags.approve ? [] : staleUpdates(deps, app.name, latch),
    containers: containers.map((c) => ({ service: c.service, containerId: c.containerId })),
    intent: 'running',
    appError: plan.checkError ?? null,
    ledger,
  };
}

/**
 * Which services a switch replaces (undefined: all). An approval replaces only the services
 * it changes, and so does a Compose app's refresh or rollback — each together with the
 * services that must restart with a changed one (`depends_on: {x: {restart: true}}`,
 * `network_mode: service:x`), as `docker compose up` does. A definition change replaces what
 * its plan marks (composeChanges names those services too). An explicit restart, a purge or
 * a start replaces every service (and so does a refresh or rollback of an app made with
 * flags, whose services are one unit).
 */
function replacedServices(app: AppRecord, op: Operation, plan: OperationPlan, onStart: boolean): string[] | undefined {
  const changed = plan.services.filter((s) => s.changed).map((s) => s.name);
  const withRestarting = (names: string[]) => (app.compose ? [...names, ...restartsWith(app.compose.project, names).keys()] : names);
  if (op.flags.approve) return withRestarting(changed);
  if (op.flags.redefine) return [...plan.services.filter((s) => s.changed || s.recreate || s.added).map((s) => s.name), ...(plan.removed ?? [])];
  const refreshOnly = op.kind === 'update' && op.flags.refresh && !op.flags.restart && !op.flags.purge && !op.flags.rollback && !onStart;
  const rollbackOnly = op.kind === 'update' && op.flags.rollback && !op.flags.restart && !op.flags.purge;
  if (!app.compose || !(refreshOnly || rollbackOnly)) return undefined;
  return withRestarting(changed);
}

/** The operation's ledger line names the definitions: before → after, or why it stayed. */
function definitionNote(app: AppRecord, target: ComposeDefinition, outcome: 'done' | 'rolled-back'): string {
  const before = app.compose?.hash ?? 'none';
  return outcome === 'done' ? `compose definition ${before} → ${target.hash}` : `compose definition stays ${before} (${target.hash} did not stay up)`;
}
