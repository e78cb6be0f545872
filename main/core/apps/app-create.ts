/** `app create`: validate, resolve every drive under its pull policy, latch, run. */
import { definitionDetail } from '../compose-apps/compose-definition';
import type { NewApp } from '../ports/store-port';
import { ledgerEntry } from '../ledger/ledger-entry';
import type { AppRecord, NewLedgerEntry } from '../../api/types/apps';
import { acquireImage, type Acquired } from '../content/acquire-image';
import { runContainers } from './app-containers';
import type { CoreDeps } from '../ports/deps';
import { isoNow } from '../ports/deps';
import { TagkeeperError, asTagkeeperError } from '../../api/errors';
import { effectivePolicy } from '../content/pull-policy';
import { parseReference } from '../model/reference';

export interface OperationOptions {
  signal?: AbortSignal;
  /** Why this happens, for the ledger: 'user', 'check-on-start', … */
  trigger?: string;
}

/** Create an app from a validated definition (flags: validateCreateRequest; Compose: newComposeApp). */
export async function createApp(deps: CoreDeps, newApp: NewApp, options: OperationOptions = {}): Promise<AppRecord> {
  if (deps.store.getApp(newApp.name)) {
    throw new TagkeeperError('already-exists', `an app named "${newApp.name}" already exists`, {
      hint: 'choose another name, or delete the existing app first',
    });
  }
  await deps.engine.ping();
  const platform = await deps.engine.platform();
  const devicePolicy = effectivePolicy(newApp.pullPolicy, deps.store.getSettings().pullPolicy);
  // A Compose service's own pull_policy wins over the app's and the device's.
  const policyOf = (service: string) => newApp.compose?.project.services.find((s) => s.name === service)?.pullPolicy ?? devicePolicy;
  const app = deps.store.insertApp(newApp, isoNow(deps));
  deps.emit({ type: 'app-changed', app: app.name });
  const trigger = options.trigger ?? 'user';

  const results = await Promise.allSettled(
    app.services.map((service) =>
      acquireImage(deps, {
        ref: parseReference(service.reference),
        policy: policyOf(service.name),
        platform,
        signal: options.signal,
        onProgress: (progress) => deps.emit({ type: 'pull-progress', app: app.name, service: service.name, progress }),
      }),
    ),
  );

  const failures = results.flatMap((r, i) => (r.status === 'rejected' ? [{ service: app.services[i], error: asTagkeeperError(r.reason) }] : []));
  if (failures.length > 0) {
    for (const f of failures) deps.store.setServiceError(app.name, f.service.name, f.error.toInfo());
    const first = failures[0].error;
    const error = new TagkeeperError(
      first.code,
      `app ${app.name} failed to start: service ${failures[0].service.name}: ${first.message}` +
        (failures.length > 1 ? ` (and ${failures.length - 1} more service(s) failed)` : ''),
      { hint: first.hint, cause: first },
    );
    fail(deps, app.name, error, trigger, failures.map((f) => ({ service: f.service.name, detail: f.error.message })));
    throw error;
  }

  const acquired = results.map((r) => (r as PromiseFulfilledResult<Acquired>).value);
  app.services.forEach((service, i) => deps.store.latchService(app.name, service.name, acquired[i].latched));
  deps.store.appendLedger(app.services.flatMap((service, i) => latchEntries(deps, app.name, service.name, acquired[i], trigger)));

  try {
    await runContainers(deps, deps.store.getApp(app.name)!);
  } catch (error) {
    const e = asTagkeeperError(error);
    fail(deps, app.name, e, trigger, []);
    throw e;
  }
  deps.store.setAppIntent(app.name, 'running', null, isoNow(deps));
  deps.store.appendLedger([ledgerEntry(deps, { app: app.name, action: 'create', trigger, detail: app.compose ? definitionDetail(null, app.compose) : null })]);
  deps.emit({ type: 'app-changed', app: app.name });
  return deps.store.getApp(app.name)!;
}

function latchEntries(deps: CoreDeps, app: string, service: string, acquired: Acquired, trigger: string): NewLedgerEntry[] {
  const to = { indexDigest: acquired.latched.indexDigest, manifestDigest: acquired.latched.manifestDigest };
  const base = { app, service, to, source: acquired.latched.source, trigger };
  const entries = [ledgerEntry(deps, { ...base, action: 'resolve', detail: acquired.resolved ? 'resolved at the registry' : 'used the image on disk' })];
  if (acquired.pulled) entries.push(ledgerEntry(deps, { ...base, action: 'download', detail: `image ${acquired.latched.imageId}` }));
  return entries;
}

function fail(deps: CoreDeps, app: string, error: TagkeeperError, trigger: string, services: { service: string; detail: string }[]): void {
  deps.store.setAppIntent(app, 'failed', error.toInfo(), isoNow(deps));
  deps.store.appendLedger([
    ...services.map((s) => ledgerEntry(deps, { app, action: 'resolve', service: s.service, trigger, outcome: 'failed', detail: s.detail })),
    ledgerEntry(deps, { app, action: 'create', trigger, outcome: 'failed', detail: error.message }),
  ]);
  deps.emit({ type: 'app-changed', app });
}
