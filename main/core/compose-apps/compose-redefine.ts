/**
 * The steps of a definition change that differ from a refresh (the operation runner does the
 * rest: record, download, decide, switch, finish). Resolving: every service keeps its latched
 * content unless its image reference changed or it is new — then it is a new drive, resolved
 * and latched like a create (pins verified, pull policy honoured). Switching: the app as the
 * new definition describes it, with the plan's content. Afterwards: the networks of the
 * definition the app did not end on are removed — those the new one dropped, or after going
 * back, those only the new one named (volumes are kept: they hold data).
 */
import type { AppRecord, ComposeDefinition, ServiceRecord } from '../../api/types/apps';
import type { OperationPlan, PlannedService } from '../../api/types/operations';
import { appSelector, appTopology } from '../apps/app-topology';
import { acquireImage } from '../content/acquire-image';
import { effectivePolicy } from '../content/pull-policy';
import { parseReference } from '../model/reference';
import type { CoreDeps } from '../ports/deps';
import type { NewApp } from '../ports/store-port';
import { composeChanges } from './compose-changes';
import { newComposeApp } from './compose-create';

export async function planRedefine(deps: CoreDeps, app: AppRecord, target: ComposeDefinition, signal: AbortSignal): Promise<OperationPlan> {
  const changes = composeChanges(app, target, await deps.engine.listContainers(appSelector(app)));
  const platform = await deps.engine.platform();
  const appPolicy = effectivePolicy(app.pullPolicy, deps.store.getSettings().pullPolicy);
  const services = await Promise.all(
    target.project.services.map(async (s): Promise<PlannedService> => {
      const record = app.services.find((r) => r.name === s.name);
      const change = changes.services.find((c) => c.name === s.name);
      const from = { indexDigest: record?.latched?.indexDigest ?? null, manifestDigest: record?.latched?.manifestDigest ?? null, imageId: record?.latched?.imageId ?? null };
      const ref = parseReference(s.image);
      if (record?.latched && record.canonical === ref.canonical) return { name: s.name, from, to: { ...from }, changed: false, recreate: change?.change === 'changed' };
      const acquired = await acquireImage(deps, {
        ref,
        policy: s.pullPolicy ?? appPolicy,
        platform,
        signal,
        onProgress: (progress) => deps.emit({ type: 'pull-progress', app: app.name, service: s.name, progress }),
      });
      const { indexDigest, manifestDigest, imageId, source } = acquired.latched;
      return { name: s.name, from, to: { indexDigest, manifestDigest, imageId, source }, changed: manifestDigest !== from.manifestDigest, recreate: true, added: !record };
    }),
  );
  return { services, removed: changes.services.filter((c) => c.change === 'removed').map((c) => c.name) };
}

/** The services' records of the new definition (what the store keeps when the change is done). */
export function redefinedServices(app: AppRecord, target: ComposeDefinition): NewApp['services'] {
  return newComposeApp(app.name, target).services;
}

/** The app as the new definition describes it, each service on the plan's content: what the switch brings up. */
export function redefinedApp(app: AppRecord, target: ComposeDefinition, plan: OperationPlan): AppRecord {
  const services = redefinedServices(app, target).map((s, position): ServiceRecord => {
    const kept = app.services.find((r) => r.name === s.name);
    const to = plan.services.find((p) => p.name === s.name)?.to;
    const latched = to?.imageId ? { indexDigest: to.indexDigest, manifestDigest: to.manifestDigest, imageId: to.imageId, source: to.source ?? 'registry', at: '' } : null;
    return {
      app: app.name, ...s, position, latched, previous: kept?.previous ?? null, available: kept?.available ?? null,
      checkError: null, containerId: kept?.containerId ?? null, error: null,
    };
  });
  return { ...app, compose: target, services };
}

/** Networks `before` made and `after` does not name (best effort: one still in use by others stays). */
export async function removeDroppedNetworks(deps: Pick<CoreDeps, 'engine'>, before: AppRecord, after: AppRecord): Promise<void> {
  const keep = new Set(appTopology(after).networks.map((n) => n.name));
  for (const network of appTopology(before).networks) {
    if (!keep.has(network.name)) await deps.engine.removeNetwork(network.name).catch(() => undefined);
  }
}
