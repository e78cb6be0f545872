/**
 * The core's one entry point. Every shell (CLI, Electron IPC, HTTP) calls these methods
 * through the contract in main/api/; nothing here knows which shell is calling.
 */
import { type CheckAnswer, type ApproveAnswer, type PendingUpdateView, OPEN_UPDATE_STATES, type PendingUpdate } from '../api/types/updates';
import type { OperationAnswer, Operation, OperationResult } from '../api/types/operations';
import { createApp, type OperationOptions } from './apps/app-create';
import { checkApps, requireApp } from './updates/check-apps';
import { removeContainers } from './apps/app-containers';
import type { CreateAppRequest } from './apps/app-request';
import type { LedgerEntry } from '../api/types/apps';
import { appView } from './apps/app-view';
import type { AppView } from '../api/types/app-view';
import { type CoreDeps, isoNow } from './ports/deps';
import type { DeviceReport } from '../api/types/report';
import { applySetting } from './device/settings';
import type { DeviceSettings, RegistryView, TrustedKeyView } from '../api/types/settings';
import { cancelOpenOperations, cancelOperation, requestOperation, resumeOperations } from './operations/operation-driver';
import { imagesView } from './images/images-view';
import type { ImageView, PruneAnswer } from '../api/types/images';
import { pruneImages } from './images/images-prune';
import { requirePrevious } from './operations/rollback-plan';
import { listRegistries, removeRegistry, saveRegistry } from './device/registry-credentials';
import { asTagkeeperError, type ErrorInfo, TagkeeperError } from '../api/errors';
import type { Platform } from '../api/types/engine';
import { parseReference } from './model/reference';
import type { ImageReference } from '../api/types/reference';
import { approveUpdates, listPendingUpdates, rejectUpdates } from './updates/pending-updates';
import { followUpdates } from './updates/update-followup';
import type { AppOverrides } from './ports/store-port';
import { exportBundle } from './bundles/bundle-export';
import type { ExportAnswer, ExportRequest, ImportAnswer, ImportRequest, BundlePreview, NeedsList } from '../api/types/bundles';
import { importBundle } from './bundles/bundle-import';
import { previewBundle } from './bundles/bundle-inspect';
import { buildNeedsList, parseNeedsList } from './bundles/needs-list';
import { cancelTransfer } from './bundles/transfers';
import { listTrustedKeys, trustKey, untrustKey } from './bundles/trusted-keys';

export class Tagkeeper {
  constructor(readonly deps: CoreDeps) {}

  async createApp(request: CreateAppRequest, options: OperationOptions = {}): Promise<AppView> {
    const app = await createApp(this.deps, request, options);
    return this.showApp(app.name);
  }

  async listApps(): Promise<AppView[]> {
    await this.deps.engine.ping();
    const containers = await this.deps.engine.listContainers({});
    const settings = this.deps.store.getSettings();
    const open = this.deps.store.listOpenOperations();
    const pending = this.openUpdates();
    const rejected = this.deps.store.listPendingUpdates({ states: ['rejected'] });
    return this.deps.store.listApps().map((app) => appView(app, containers, settings, open, pending, rejected));
  }

  async showApp(name: string): Promise<AppView> {
    const app = requireApp(this.deps, name);
    await this.deps.engine.ping();
    const containers = await this.deps.engine.listContainers({ 'tagkeeper.app': name });
    const rejected = this.deps.store.listPendingUpdates({ app: name, states: ['rejected'] });
    return appView(app, containers, this.deps.store.getSettings(), this.deps.store.listOpenOperations(name), this.openUpdates(name), rejected);
  }

  async deleteApp(name: string, options: { volumes?: boolean } = {}): Promise<void> {
    const app = requireApp(this.deps, name);
    await this.deps.engine.ping();
    cancelOpenOperations(this.deps, name);
    await removeContainers(this.deps, app, { volumes: options.volumes ?? false });
    this.deps.store.deleteApp(name);
    this.deps.store.appendLedger([
      {
        app: name, service: null, action: 'delete', from: null, to: null, source: null, trigger: 'user',
        actor: this.deps.actor, outcome: 'ok', detail: options.volumes ? 'containers and volumes removed' : 'containers removed, volumes kept',
      },
    ]);
    this.deps.emit({ type: 'app-changed', app: name });
  }

  /** Check (HEAD only); updates found become pending, then auto-apply or prefetch as configured. */
  async check(names: string[] = [], options: OperationOptions & { trigger?: string } = {}): Promise<CheckAnswer> {
    for (const name of names) requireApp(this.deps, name);
    await this.deps.engine.ping();
    const result = await checkApps(this.deps, names, options);
    return { ...result, followUp: await followUpdates(this.deps, result.pending, { signal: options.signal }) };
  }

  /** Updates waiting for a decision (or being applied), with what each costs to download. */
  listUpdates(options: { app?: string; sizes?: boolean; all?: boolean } = {}): Promise<PendingUpdateView[]> {
    return listPendingUpdates(this.deps, options);
  }

  /** Apply the app's pending updates (of one service when given), recording who approved them. */
  approveUpdates(app: string, options: { service?: string; wait?: boolean } = {}): Promise<ApproveAnswer> {
    return approveUpdates(this.deps, app, options);
  }

  /** Decline them: recorded, and those digests are not proposed again for those drives. */
  rejectUpdates(app: string, options: { service?: string } = {}): { rejected: PendingUpdate[] } {
    return rejectUpdates(this.deps, app, options);
  }

  /** Change an app's overrides of device settings (null: back to the device default). */
  async configureApp(name: string, overrides: AppOverrides): Promise<AppView> {
    requireApp(this.deps, name);
    if (Object.values(overrides).every((v) => v === undefined)) {
      throw new TagkeeperError('invalid-input', `nothing to change for app ${name}`, { hint: 'give --auto-apply, --pull-policy or --check-on-start' });
    }
    this.deps.store.setAppOverrides(name, overrides, isoNow(this.deps));
    const said = Object.entries(overrides).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v === null ? 'device default' : v}`).join(', ');
    this.deps.store.appendLedger([{ app: name, service: null, action: 'configure', from: null, to: null, source: null, trigger: 'user', actor: this.deps.actor, outcome: 'ok', detail: said }]);
    this.deps.emit({ type: 'app-changed', app: name });
    return this.showApp(name);
  }

  /** What this box runs and which layers it has, for a delta bundle made elsewhere. */
  inventory(): Promise<NeedsList> {
    return buildNeedsList(this.deps);
  }

  /** Write a bundle of the apps' images (or of a site's needs list) to `file`. */
  exportBundle(request: Omit<ExportRequest, 'needs'> & { needs?: unknown }): Promise<ExportAnswer> {
    const needs = request.needs === undefined ? undefined : parseNeedsList(request.needs);
    return exportBundle(this.deps, { ...request, needs });
  }

  /** What a bundle offers this box, from its index (nothing verified yet). */
  inspectBundle(file: string): Promise<BundlePreview> {
    return previewBundle(this.deps, file);
  }

  /** Verify, load and record a bundle's updates as pending (applied at once with `approve`). */
  importBundle(request: ImportRequest): Promise<ImportAnswer> {
    return importBundle(this.deps, request);
  }

  cancelTransfer(id: string): { cancelled: boolean; reason: string } {
    return cancelTransfer(this.deps, id);
  }

  listKeys(): TrustedKeyView[] {
    return listTrustedKeys(this.deps);
  }

  trustKey(input: { publicKey: string; name?: string }): TrustedKeyView & { added: boolean } {
    return trustKey(this.deps, input);
  }

  removeKey(keyId: string): { removed: string } {
    return untrustKey(this.deps, keyId);
  }

  private openUpdates(app?: string): PendingUpdate[] {
    return this.deps.store.listPendingUpdates({ app, states: OPEN_UPDATE_STATES }).reverse();
  }

  /** The seed's refreshImage: check every drive, download what changed, restart only if something did. */
  refresh(name: string, options: { restart?: boolean; purge?: boolean; wait?: boolean } = {}): Promise<OperationAnswer> {
    const flags = { refresh: true, restart: options.restart ?? false, purge: options.purge ?? false };
    return requestOperation(this.deps, { app: name, kind: 'update', flags }, { wait: options.wait ?? true });
  }

  restart(name: string, options: { wait?: boolean } = {}): Promise<OperationAnswer> {
    return requestOperation(this.deps, { app: name, kind: 'update', flags: { refresh: false, restart: true, purge: false } }, { wait: options.wait ?? true });
  }

  purge(name: string, options: { wait?: boolean } = {}): Promise<OperationAnswer> {
    return requestOperation(this.deps, { app: name, kind: 'update', flags: { refresh: false, restart: false, purge: true } }, { wait: options.wait ?? true });
  }

  /** Back to every drive's previous latched digests (on disk already: nothing is downloaded). */
  async rollback(name: string, options: { wait?: boolean } = {}): Promise<OperationAnswer> {
    requirePrevious(requireApp(this.deps, name));
    const flags = { refresh: false, restart: false, purge: false, rollback: true };
    return requestOperation(this.deps, { app: name, kind: 'update', flags }, { wait: options.wait ?? true });
  }

  start(name: string, options: { wait?: boolean } = {}): Promise<OperationAnswer> {
    return requestOperation(this.deps, { app: name, kind: 'start' }, { wait: options.wait ?? true });
  }

  stop(name: string, options: { wait?: boolean } = {}): Promise<OperationAnswer> {
    return requestOperation(this.deps, { app: name, kind: 'stop' }, { wait: options.wait ?? true });
  }

  /** Finish operations left waiting or interrupted (a killed process, a reboot). */
  async resume(app?: string): Promise<{ resumed: OperationResult[] }> {
    return { resumed: await resumeOperations(this.deps, app) };
  }

  cancelOperation(id: number): { cancelled: boolean; reason: string } {
    return cancelOperation(this.deps, id);
  }

  /** Recent operations (newest first) with those still open. */
  listOperations(app?: string, limit = 100): Operation[] {
    if (app) requireApp(this.deps, app);
    return this.deps.store.listOperations({ app, limit });
  }

  /** Whether the engine answers, where it was looked for, and what to do when it does not. */
  async engineStatus(): Promise<{ reachable: boolean; endpoint: string; platform: Platform | null; error: ErrorInfo | null }> {
    try {
      await this.deps.engine.ping();
      return { reachable: true, endpoint: this.deps.engine.endpoint, platform: await this.deps.engine.platform(), error: null };
    } catch (error) {
      return { reachable: false, endpoint: this.deps.engine.endpoint, platform: null, error: asTagkeeperError(error).toInfo() };
    }
  }

  /** A reference as Tagkeeper understands it (for validating as the user types). */
  parseReference(reference: string): Omit<ImageReference, 'input'> {
    const { input: _input, ...parsed } = parseReference(reference);
    return parsed;
  }

  async listImages(): Promise<ImageView[]> {
    await this.deps.engine.ping();
    return imagesView(await this.deps.engine.listImages(), this.deps.store.listApps(), this.openUpdates());
  }

  /** Remove the images nothing refers to (with dryRun: only say which, and how much they take). */
  async pruneImages(options: { dryRun?: boolean } = {}): Promise<PruneAnswer> {
    await this.deps.engine.ping();
    return pruneImages(this.deps, { dryRun: options.dryRun ?? false });
  }

  listRegistries(): RegistryView[] {
    return listRegistries(this.deps);
  }

  saveRegistry(input: { host: string; username: string; password: string }): RegistryView {
    return saveRegistry(this.deps, input);
  }

  removeRegistry(host: string): { removed: string } {
    return removeRegistry(this.deps, host);
  }

  async report(): Promise<DeviceReport> {
    const apps = await this.listApps();
    return {
      generatedAt: isoNow(this.deps),
      engine: { endpoint: this.deps.engine.endpoint, platform: await this.deps.engine.platform() },
      settings: this.getSettings(),
      apps,
      pendingUpdates: this.openUpdates(),
      history: this.deps.store.listLedger({ limit: 100_000 }),
    };
  }

  ledger(app?: string): LedgerEntry[] {
    const entries = this.deps.store.listLedger({ app });
    // A deleted app's history stays readable; a name never seen is a mistake.
    if (app && entries.length === 0) requireApp(this.deps, app);
    return entries;
  }

  getSettings(): DeviceSettings {
    return this.deps.store.getSettings();
  }

  setSetting(key: string, value: string): DeviceSettings {
    const next = applySetting(this.deps.store.getSettings(), key, value);
    this.deps.store.saveSettings(next);
    return next;
  }
}
