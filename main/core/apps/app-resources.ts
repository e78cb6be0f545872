/**
 * Bringing up what an app's containers need, and waiting for what a service depends on:
 * the app's networks and named volumes are made (idempotently) before its containers;
 * external networks must exist; a service whose `depends_on` says `service_healthy` or
 * `service_completed_successfully` starts only once its dependency is healthy, or has
 * exited 0 — and a dependency that fails says so, naming both services.
 */
import { TagkeeperError } from '../../api/errors';
import type { AppRecord } from '../../api/types/apps';
import type { CoreDeps } from '../ports/deps';
import type { AppTopology, TopologyService } from './app-topology';

/** How long a service waits for a dependency to turn healthy or to finish. */
export const DEPENDENCY_WAIT_MS = 120_000;
const POLL_MS = 250;

export async function ensureResources(deps: Pick<CoreDeps, 'engine'>, app: Pick<AppRecord, 'name'>, topology: AppTopology): Promise<void> {
  for (const name of topology.externalNetworks) {
    if (!(await deps.engine.inspectNetwork(name))) {
      throw new TagkeeperError('container-failed', `app ${app.name} needs the external network ${name}, which does not exist`, {
        hint: `create it first (docker network create ${name}), or drop external: true from the Compose file`,
      });
    }
  }
  for (const network of topology.networks) await deps.engine.createNetwork(network);
  for (const volume of topology.volumes) await deps.engine.createVolume(volume.name, volume.labels, { driver: volume.driver, driverOpts: volume.driverOpts });
}

/** The one-shot services: those another service waits for with `service_completed_successfully` (they end, with 0, when done). */
export function finishingServices(topology: Pick<AppTopology, 'services'>): Set<string> {
  return new Set(topology.services.flatMap((s) => Object.entries(s.dependsOn).filter(([, d]) => d.condition === 'service_completed_successfully').map(([name]) => name)));
}

/** Remove the networks the app made (its containers are gone by then). */
export async function removeNetworks(deps: Pick<CoreDeps, 'engine'>, topology: AppTopology): Promise<void> {
  for (const network of topology.networks) await deps.engine.removeNetwork(network.name);
}

/** Wait until every dependency of `service` is as its condition asks; `containers` maps started services to container ids. */
export async function waitForDependencies(
  deps: Pick<CoreDeps, 'engine' | 'now' | 'sleep'>,
  app: Pick<AppRecord, 'name'>,
  service: TopologyService,
  containers: ReadonlyMap<string, string>,
): Promise<void> {
  for (const [name, dependency] of Object.entries(service.dependsOn)) {
    const id = containers.get(name);
    if (id === undefined) {
      if (!dependency.required) continue;
      throw new TagkeeperError('container-failed', `service ${service.name} of app ${app.name} depends on ${name}, which did not start`, { hint: 'see the error of that service' });
    }
    if (dependency.condition === 'service_started') continue;
    const started = deps.now().getTime();
    for (;;) {
      const info = await deps.engine.inspectContainer(id);
      const why = failure(dependency.condition, info);
      if (why === null) break;
      if (why !== 'waiting') throw dependencyFailed(app.name, service.name, name, why);
      if (deps.now().getTime() - started >= DEPENDENCY_WAIT_MS) {
        throw dependencyFailed(app.name, service.name, name, `did not ${dependency.condition === 'service_healthy' ? 'turn healthy' : 'finish'} within ${DEPENDENCY_WAIT_MS / 1000} s`);
      }
      await deps.sleep(POLL_MS);
    }
  }
}

/** null: the condition holds; 'waiting': not yet; else what went wrong. */
function failure(condition: 'service_healthy' | 'service_completed_successfully', info: Awaited<ReturnType<CoreDeps['engine']['inspectContainer']>>): string | 'waiting' | null {
  if (!info) return 'disappeared';
  if (condition === 'service_completed_successfully') {
    if (info.status === 'exited' || info.status === 'dead') return info.exitCode === 0 ? null : `exited with code ${info.exitCode ?? '?'}`;
    return 'waiting';
  }
  if (info.status !== 'running' && info.status !== 'restarting') return `exited with code ${info.exitCode ?? '?'}`;
  if (info.health === 'healthy') return null;
  if (info.health === 'unhealthy') return 'turned unhealthy';
  if (info.health === null) return 'has no health check, so it can never be healthy';
  return 'waiting';
}

function dependencyFailed(app: string, service: string, dependency: string, why: string): TagkeeperError {
  return new TagkeeperError('container-failed', `service ${service} of app ${app} was not started: its dependency ${dependency} ${why}`, {
    hint: `check ${dependency}'s health check and logs (docker logs), or relax the depends_on condition of ${service}`,
  });
}
