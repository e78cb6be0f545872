/** `app create`: validate, resolve every drive under its pull policy, latch, run. */
import { definitionDetail } from '../compose-apps/compose-definition';
import type { NewApp } from '../ports/store-port';
import { ledgerEntry } from '../ledger/ledger-entry';
import type { AppRecord, NewLedgerEntry } from '../../api/types/apps';
import { completeAcquire, prepareAcquire, type Acquired, type AcquireRequest, type PreparedAcquire } from '../content/acquire-image';
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

/**
 * Create an app from a validated definition (flags: validateCreateRequest; Compose:
 * newComposeApp). Every reference is checked first (the image on disk, or what the registry
 * names for it, as the pull policy says): one that cannot be had refuses the create with
 * nothing recorded, so the name stays free. What fails after that (a download, a container
 * that does not start) leaves the app recorded as failed, and the error says so.
 */
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
  const requests: AcquireRequest[] = newApp.services.map((service) => ({
    ref: parseReference(service.reference),
    policy: policyOf(service.name),
    platform,
    signal: options.signal,
    onProgress: (progress) => deps.emit({ type: 'pull-progress', app: newApp.name, service: service.name, progress }),
  }));

  const checked = await Promise.allSettled(requests.map((request) => prepareAcquire(deps, request)));
  const refused = failuresOf(checked, newApp.services);
  if (refused.length > 0) throw describeFailures(`app ${newApp.name} was not created`, refused);
  const prepared = checked.map((r) => (r as PromiseFulfilledResult<PreparedAcquire>).value);

  const app = deps.store.insertApp(newApp, isoNow(deps));
  deps.emit({ type: 'app-changed', app: app.name });
  const trigger = options.trigger ?? 'user';

  const results = await Promise.allSettled(requests.map((request, i) => completeAcquire(deps, request, prepared[i])));
  const failures = failuresOf(results, app.services);
  if (failures.length > 0) {
    for (const f of failures) deps.store.setServiceError(app.name, f.service, f.error.toInfo());
    const error = createdButFailed(app.name, describeFailures('', failures));
    fail(deps, app.name, error, trigger, failures.map((f) => ({ service: f.service, detail: f.error.message })));
    throw error;
  }

  const acquired = results.map((r) => (r as PromiseFulfilledResult<Acquired>).value);
  app.services.forEach((service, i) => deps.store.latchService(app.name, service.name, acquired[i].latched));
  deps.store.appendLedger(app.services.flatMap((service, i) => latchEntries(deps, app.name, service.name, acquired[i], trigger)));

  try {
    await runContainers(deps, deps.store.getApp(app.name)!);
  } catch (error) {
    // runContainers says "app X could not be started: why"; the app was created: say that, and why.
    const failed = asTagkeeperError(error);
    const why = failed.cause instanceof TagkeeperError ? new TagkeeperError(failed.code, failed.cause.message, { hint: failed.hint, cause: failed }) : failed;
    const e = createdButFailed(app.name, why);
    fail(deps, app.name, e, trigger, []);
    throw e;
  }
  deps.store.setAppIntent(app.name, 'running', null, isoNow(deps));
  deps.store.appendLedger([ledgerEntry(deps, { app: app.name, action: 'create', trigger, detail: app.compose ? definitionDetail(null, app.compose) : null })]);
  deps.emit({ type: 'app-changed', app: app.name });
  return deps.store.getApp(app.name)!;
}

interface ServiceFailure {
  service: string;
  error: TagkeeperError;
}

function failuresOf<T>(results: PromiseSettledResult<T>[], services: { name: string }[]): ServiceFailure[] {
  return results.flatMap((r, i) => (r.status === 'rejected' ? [{ service: services[i].name, error: asTagkeeperError(r.reason) }] : []));
}

/** `LEAD: service S: what went wrong (and N more service(s) failed)`, with the first failure's code and hint. */
function describeFailures(lead: string, failures: ServiceFailure[]): TagkeeperError {
  const [first] = failures;
  const more = failures.length > 1 ? ` (and ${failures.length - 1} more service(s) failed)` : '';
  const message = `${lead ? `${lead}: ` : ''}service ${first.service}: ${first.error.message}${more}`;
  return new TagkeeperError(first.error.code, message, { hint: first.error.hint, cause: first.error });
}

/** The app exists (recorded as failed, holding its name): the error says so, where to see it, and how to free the name. */
function createdButFailed(app: string, cause: TagkeeperError): TagkeeperError {
  const where = `it is recorded as failed: see it with tagkeeper app show ${app}; tagkeeper app delete ${app} frees the name`;
  return new TagkeeperError(cause.code, `app ${app} was created, but it failed to start: ${cause.message}`, {
    hint: cause.hint ? `${cause.hint}; ${where}` : where,
    cause,
    createdApp: app,
  });
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
