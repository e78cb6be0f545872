/**
 * The plan of a definition change, computed against what runs (pure): services added,
 * removed, changed (a setting of its container differs, or its image reference, or its
 * container is missing or runs other content than latched, or it must restart with a service
 * that gets a new container) and unchanged; networks and volumes added and dropped. Only
 * changed and added services get new containers.
 */
import type { AppRecord, ComposeDefinition } from '../../api/types/apps';
import type { ComposeChanges, ComposeServiceChange } from '../../api/types/compose';
import { appSelector, composeServiceConfig, serviceOf } from '../apps/app-topology';
import { canonicalJson } from '../compose/definition-hash';
import { restartsWith } from '../compose/start-order';
import type { ContainerConfig, ContainerInfo } from '../ports/engine-port';

export function composeChanges(app: AppRecord, target: ComposeDefinition, observed: readonly ContainerInfo[]): ComposeChanges {
  const current = app.compose!;
  const selector = Object.entries(appSelector(app));
  const running = observed.filter((c) => selector.every(([key, value]) => c.labels[key] === value));
  const names = [...new Set([...current.project.services.map((s) => s.name), ...target.project.services.map((s) => s.name)])].sort();
  const compared = names.map((name): ComposeServiceChange => {
    const before = current.project.services.find((s) => s.name === name);
    const after = target.project.services.find((s) => s.name === name);
    if (!before) return { name, change: 'added', reasons: [] };
    if (!after) return { name, change: 'removed', reasons: [] };
    const reasons: string[] = [];
    if (before.image !== after.image) reasons.push('image');
    if (canonicalJson(before.labels) !== canonicalJson(after.labels)) reasons.push('labels');
    const was = composeServiceConfig(current, before);
    const will = composeServiceConfig(target, after);
    for (const key of Object.keys(will) as (keyof ContainerConfig)[]) {
      if (canonicalJson(was[key]) !== canonicalJson(will[key])) reasons.push(key);
    }
    const container = running.find((c) => serviceOf(app, c) === name);
    const latched = app.services.find((s) => s.name === name)?.latched;
    if (!container) reasons.push('container missing');
    else if (latched && container.imageId !== latched.imageId) reasons.push('runs other content than its recorded digest');
    return { name, change: reasons.length > 0 ? 'changed' : 'unchanged', reasons };
  });
  // A service that must restart when its dependency gets a new container is made anew too.
  const restarting = restartsWith(target.project, compared.filter((s) => s.change === 'changed' || s.change === 'added').map((s) => s.name));
  const services = compared.map((s): ComposeServiceChange => {
    const dependency = restarting.get(s.name);
    return dependency === undefined ? s : { name: s.name, change: 'changed', reasons: [`restarts with ${dependency}`] };
  });
  const diff = (a: string[], b: string[]) => ({ added: b.filter((x) => !a.includes(x)), removed: a.filter((x) => !b.includes(x)) });
  const names2 = (d: ComposeDefinition, kind: 'networks' | 'volumes') => Object.values(d.project[kind]).map((n) => n.name).sort();
  return {
    app: app.name,
    from: current.hash,
    to: target.hash,
    services,
    networks: diff(names2(current, 'networks'), names2(target, 'networks')),
    volumes: diff(names2(current, 'volumes'), names2(target, 'volumes')),
  };
}
