/**
 * Deciding pending updates: list them with their download size, approve (apply exactly the
 * approved digests through the lifecycle, recording who approved) or reject (recorded; the
 * digest is not proposed again for that drive until a different one appears).
 */
import { approverOf } from '../ledger/approver';
import { ledgerEntry } from '../ledger/ledger-entry';
import { type PendingUpdateView, type ApproveAnswer, OPEN_UPDATE_STATES, type PendingUpdate } from '../../api/types/updates';
import { requireApp } from '../apps/app-lookup';
import { type CoreDeps, isoNow } from '../ports/deps';
import { describeSize, downloadSizes, sizeView } from '../content/download-preview';
import { TagkeeperError } from '../../api/errors';
import { queued, thisProcess, waitFor } from '../operations/operation-driver';
import { findPinned } from '../content/local-image';
import { offlineError } from '../content/offline-guard';
import { parseReference } from '../model/reference';
import { shortDigest } from '../model/digest';
import { downgradeOf, downgradeRefusal } from '../bundles/bundle-trust';
import type { AppRecord } from '../../api/types/apps';

/** Pending (and being applied) updates, oldest first, with their download size (waiting ones) unless `sizes` is false. */
export async function listPendingUpdates(deps: CoreDeps, options: { app?: string; sizes?: boolean; all?: boolean; signal?: AbortSignal } = {}): Promise<PendingUpdateView[]> {
  if (options.app) requireApp(deps, options.app);
  // `all`: decided ones too (applied, rejected, failed with the reason, superseded).
  const updates = deps.store.listPendingUpdates({ app: options.app, states: options.all ? undefined : OPEN_UPDATE_STATES }).reverse();
  const sizes = options.sizes === false ? new Map() : await downloadSizes(deps, updates.filter((u) => u.state === 'pending'), { signal: options.signal });
  const apps = new Map(deps.store.listApps().map((a) => [a.name, a]));
  return updates.map((u) => ({
    ...u,
    reference: apps.get(u.app)?.services.find((s) => s.name === u.service)?.reference ?? '',
    ...sizeView(sizes.get(u.id)),
    downgrade: u.state === 'pending' ? downgradeOfUpdate(deps, apps.get(u.app), u) : null,
  }));
}

/** Why applying `u` would take its drive back to older content (see bundle-trust), or null. Only bundles are judged. */
function downgradeOfUpdate(deps: CoreDeps, app: AppRecord | undefined, u: PendingUpdate): string | null {
  if (u.source !== 'bundle') return null;
  const latched = app?.services.find((s) => s.name === u.service)?.latched?.manifestDigest ?? null;
  return downgradeOf(deps, { app: u.app, service: u.service }, { latched, to: u.to.manifestDigest, bundleCreatedAt: u.bundleCreatedAt });
}

/** The waiting updates of an app (of one service when given); throws when there is none. */
function waiting(deps: CoreDeps, app: string, service: string | undefined, verb: string): PendingUpdate[] {
  const record = requireApp(deps, app);
  if (service !== undefined && !record.services.some((s) => s.name === service)) {
    throw new TagkeeperError('invalid-input', `app ${app} has no service named "${service}"`, {
      hint: `its services are: ${record.services.map((s) => s.name).join(', ')}`,
    });
  }
  const rows = deps.store.listPendingUpdates({ app, service, states: ['pending'] });
  if (rows.length === 0) {
    const what = service ? `service ${service} of app ${app}` : `app ${app}`;
    throw new TagkeeperError('invalid-input', `there is no pending update to ${verb} for ${what}`, {
      hint: 'see the pending updates with: tagkeeper updates (a check finds new ones: tagkeeper check)',
    });
  }
  return rows;
}

export async function approveUpdates(
  deps: CoreDeps,
  app: string,
  options: {
    service?: string;
    wait?: boolean;
    trigger?: string;
    /** Only these pending updates (an import approves what it brought). */
    ids?: number[];
    /** Approve also updates that take a drive back to older content. */
    allowDowngrade?: boolean;
    /** The name the person gave (the UI asks): recorded beside the local user (approver.ts). */
    approver?: string;
  } = {},
): Promise<ApproveAnswer> {
  const all = waiting(deps, app, options.service, 'approve');
  const rows = options.ids ? all.filter((u) => options.ids!.includes(u.id)) : all;
  if (rows.length === 0) throw new TagkeeperError('invalid-input', `none of the given updates of app ${app} is waiting for approval`, { hint: 'see them with: tagkeeper updates' });
  const record = requireApp(deps, app);
  const downgrades = new Map(rows.map((u) => [u.id, downgradeOfUpdate(deps, record, u)]));
  for (const u of rows) {
    const reason = downgrades.get(u.id);
    if (reason && !options.allowDowngrade) throw downgradeRefusal({ app, service: u.service }, reason);
  }
  await deps.engine.ping();
  if (deps.store.getSettings().offline) await refuseDownloadsOffline(deps, app, rows);
  // The size goes into the ledger with the approval; a registry out of reach must not block it.
  const sizes = await downloadSizes(deps, rows).catch(() => new Map());
  const trigger = options.trigger ?? 'user';
  const actor = approverOf(deps, options.approver);
  const { operation, approved } = deps.store.approveUpdates(
    rows.map((r) => r.id),
    { app, trigger, actor, ...(options.wait === false ? {} : { waiter: thisProcess(deps) }) },
    (list) => list.map((u) => {
      const size = sizes.get(u.id)?.size;
      const downgrade = downgrades.get(u.id);
      const notes = [size ? `download: ${describeSize(size)}` : null, downgrade ? `a downgrade, confirmed: ${downgrade}` : null].filter((n) => n !== null);
      const detail = notes.length > 0 ? notes.join('; ') : null;
      return ledgerEntry(deps, { app, service: u.service, action: 'approve', from: u.from, to: u.to, source: u.source, trigger, actor, detail });
    }),
    isoNow(deps),
  );
  if (!operation) throw new TagkeeperError('busy', `the pending updates of app ${app} were decided by someone else meanwhile`, { hint: 'see them again with: tagkeeper updates' });
  deps.checkpoint('request-recorded');
  deps.emit({ type: 'app-changed', app });
  if (options.wait === false) return { approved, result: queued(deps, operation) };
  return { approved, result: await waitFor(deps, app, operation.id) };
}

/**
 * Offline, an approval can only apply content already on this box (prefetched, from a
 * bundle, or pulled by digest for another drive): say so before anything is recorded,
 * rather than approve and fail the update at its download.
 */
async function refuseDownloadsOffline(deps: CoreDeps, app: string, rows: PendingUpdate[]): Promise<void> {
  const record = requireApp(deps, app);
  const platform = await deps.engine.platform();
  for (const u of rows) {
    if (u.imageId && (await deps.engine.inspectImage(u.imageId))) continue;
    const service = record.services.find((s) => s.name === u.service);
    if (service && (await findPinned(deps, parseReference(service.canonical), u.to.manifestDigest, platform))) continue;
    throw offlineError(`downloading ${shortDigest(u.to.manifestDigest)} for service ${u.service} of app ${app}`);
  }
}

export function rejectUpdates(deps: CoreDeps, app: string, options: { service?: string } = {}): { rejected: PendingUpdate[] } {
  const rows = waiting(deps, app, options.service, 'reject');
  const rejected = deps.store.rejectUpdates(
    rows.map((r) => r.id),
    deps.actor,
    (list) => list.map((u) => ledgerEntry(deps, {
      app, service: u.service, action: 'reject', from: u.from, to: u.to, source: u.source,
      detail: 'not proposed again for this service until a different digest appears',
    })),
    isoNow(deps),
  );
  deps.emit({ type: 'app-changed', app });
  return { rejected };
}

/** Updates waiting for a decision or being applied, oldest first (of one app when given). */
export function openUpdates(deps: Pick<CoreDeps, 'store'>, app?: string): PendingUpdate[] {
  return deps.store.listPendingUpdates({ app, states: OPEN_UPDATE_STATES }).reverse();
}
