/**
 * The order to start a project's services in: every service after the services it depends
 * on (`depends_on`, and `network_mode: service:NAME`), and otherwise by name, so the order
 * is the same every time. Stopping goes the other way round. A dependency cycle is an
 * error that names the cycle.
 */
import type { ComposeProject, ComposeService } from '../../api/types/compose';
import { TagkeeperError } from '../../api/errors';

export const CYCLE_HINT = 'remove one of these dependencies (depends_on, or network_mode: service:NAME)';

/** The services in start order. Throws TagkeeperError('invalid-input') on a cycle or a dependency on a service the project does not have. */
export function startOrder(project: Pick<ComposeProject, 'services'>): ComposeService[] {
  const byName = new Map(project.services.map((service) => [service.name, service]));
  for (const service of project.services) {
    for (const dependency of Object.keys(service.dependsOn)) {
      if (!byName.has(dependency)) {
        throw new TagkeeperError('invalid-input', `service ${service.name} depends on ${dependency}, which the project does not have`, {
          hint: `add service ${dependency}, or remove it from depends_on`,
        });
      }
    }
  }
  const cycle = findCycle(project.services);
  if (cycle !== null) {
    throw new TagkeeperError('invalid-input', `services depend on each other in a cycle: ${cycle.join(' → ')}`, { hint: CYCLE_HINT });
  }
  const names = [...byName.keys()].sort();
  const placed = new Set<string>();
  const order: ComposeService[] = [];
  while (order.length < names.length) {
    const next = names.find((name) => !placed.has(name) && Object.keys(byName.get(name)!.dependsOn).every((dependency) => placed.has(dependency)));
    if (next === undefined) break; // unreachable: there is no cycle
    placed.add(next);
    order.push(byName.get(next)!);
  }
  return order;
}

/**
 * A dependency cycle as the list of service names that form it, the first repeated at the
 * end (`['a', 'b', 'a']`), or null. Dependencies on services not in the list are ignored.
 */
export function findCycle(services: readonly Pick<ComposeService, 'name' | 'dependsOn'>[]): string[] | null {
  const dependsOn = new Map(services.map((service) => [service.name, Object.keys(service.dependsOn).sort()]));
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (name: string): string[] | null => {
    if (state.get(name) === 'done' || !dependsOn.has(name)) return null;
    if (state.get(name) === 'visiting') return [...path.slice(path.indexOf(name)), name];
    state.set(name, 'visiting');
    path.push(name);
    for (const dependency of dependsOn.get(name) ?? []) {
      const cycle = visit(dependency);
      if (cycle !== null) return cycle;
    }
    path.pop();
    state.set(name, 'done');
    return null;
  };
  for (const name of [...dependsOn.keys()].sort()) {
    const cycle = visit(name);
    if (cycle !== null) return cycle;
  }
  return null;
}

/**
 * The services that must be made anew along with `replaced`, as `docker compose up` restarts
 * them: each whose dependency on a replaced service says `restart: true` (which `network_mode:
 * service:NAME` implies: it shares that container's network, gone with the container), and
 * so on. By service name, the dependency it restarts with.
 */
export function restartsWith(project: Pick<ComposeProject, 'services'>, replaced: Iterable<string>): Map<string, string> {
  const taken = new Set(replaced);
  const found = new Map<string, string>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const service of project.services) {
      if (taken.has(service.name)) continue;
      const dependency = Object.entries(service.dependsOn).find(([name, d]) => d.restart && taken.has(name))?.[0];
      if (dependency === undefined) continue;
      taken.add(service.name);
      found.set(service.name, dependency);
      grew = true;
    }
  }
  return found;
}
