/**
 * `tagkeeper recover`: the store brought in line with what the engine runs, so a lost database
 * costs the history, not the box. Each Tagkeeper container carries its app, its service, what
 * it runs (reference, index and platform digests, image id) and the app's definition
 * (definition-label.ts). An app the store does not know is rebuilt from them: its definition
 * from its newest container, each drive latched to what its container runs, running or stopped
 * as its containers are. A drive the store latches to other content than its container was made
 * from (a database restored from an older backup) is latched to what runs. Nothing on the
 * engine is changed.
 */
import { asTagkeeperError, TagkeeperError } from '../../api/errors';
import type { AppIntent, AppRecord, Latched } from '../../api/types/apps';
import { LABEL, appSelector, containerNameOf } from '../apps/app-topology';
import { appFromDefinitionLabel } from '../apps/definition-label';
import { ledgerEntry } from '../ledger/ledger-entry';
import { type CoreDeps, isoNow } from '../ports/deps';
import type { ContainerInfo } from '../ports/engine-port';
import { highestOperation, tagkeeperContainers } from './engine-check';

export interface RecoveredService {
  name: string;
  /** The container it was recovered from (null: the app has none for this service). */
  container: string | null;
  latched: Pick<Latched, 'indexDigest' | 'manifestDigest' | 'imageId'> | null;
  note: string | null;
}

export interface RecoveredApp {
  name: string;
  /** Rebuilt: the store did not know it. Re-latched: it knew it, on other content than runs. */
  change: 'rebuilt' | 're-latched';
  intent: AppIntent;
  services: RecoveredService[];
}

export interface RecoveryReport {
  apps: RecoveredApp[];
  /** Apps whose containers could not be recovered, and why (with what to do). */
  skipped: { app: string; reason: string }[];
  /** Apps the store knows that run what it says. */
  unchanged: string[];
  /** Apps the store knows of which the engine has no container. */
  withoutContainers: string[];
  /** New operations get ids above this (the highest the containers carry). */
  operationIdsAbove: number;
}

type Deps = Pick<CoreDeps, 'engine' | 'store' | 'actor' | 'now' | 'emit'>;

export async function recoverFromEngine(deps: Deps): Promise<RecoveryReport> {
  const all = await deps.engine.listContainers({});
  const ours = tagkeeperContainers(all);
  const report: RecoveryReport = { apps: [], skipped: [], unchanged: [], withoutContainers: [], operationIdsAbove: highestOperation(ours) };
  deps.store.reserveOperationIds(report.operationIdsAbove);
  const byApp = new Map<string, ContainerInfo[]>();
  for (const c of ours) byApp.set(c.labels[LABEL.app], [...(byApp.get(c.labels[LABEL.app]) ?? []), c]);
  for (const name of [...byApp.keys()].sort()) {
    try {
      const known = deps.store.getApp(name);
      const recovered = known ? relatch(deps, known, byApp.get(name)!) : rebuild(deps, name, byApp.get(name)!);
      if (recovered) {
        report.apps.push(recovered);
        deps.emit({ type: 'app-changed', app: name });
      } else report.unchanged.push(name);
    } catch (error) {
      report.skipped.push({ app: name, reason: asTagkeeperError(error).sentence });
    }
  }
  const runsSomewhere = (app: AppRecord) => all.some((c) => Object.entries(appSelector(app)).every(([key, value]) => c.labels[key] === value));
  report.withoutContainers = deps.store.listApps().filter((app) => !runsSomewhere(app)).map((app) => app.name);
  // Apps left unknown keep the check pending: Tagkeeper goes on refusing beside them.
  if (report.skipped.every((s) => deps.store.getApp(s.app) !== null)) deps.store.setEngineCheckPending(false);
  return report;
}

function rebuild(deps: Deps, name: string, containers: ContainerInfo[]): RecoveredApp {
  const defining = newestFirst(containers).find((c) => c.labels[LABEL.definition]);
  if (!defining) {
    throw new TagkeeperError('invalid-input', `the containers of app ${name} carry no definition label (they were made by an older Tagkeeper)`, {
      hint: `remove them (docker rm -f $(docker ps -aq --filter label=tagkeeper.app=${name})) and create the app again`,
    });
  }
  const at = isoNow(deps);
  deps.store.insertApp(appFromDefinitionLabel(name, defining.labels[LABEL.definition]), at);
  const app = deps.store.getApp(name)!;
  const services = app.services.map((s): RecoveredService => {
    const container = containerOf(app, s.name, containers);
    if (!container) return { name: s.name, container: null, latched: null, note: 'no container on the engine: `tagkeeper app refresh` resolves and starts it' };
    const { latched, note } = latchOf(container, at);
    deps.store.latchService(name, s.name, latched);
    deps.store.setServiceContainer(name, s.name, container.id);
    return { name: s.name, container: bare(container.name), latched, note };
  });
  const intent = intentOf(app, containers);
  deps.store.setAppIntent(name, intent, null, at);
  deps.store.appendLedger([
    ...services.flatMap((s) =>
      s.latched
        ? [ledgerEntry(deps, { app: name, service: s.name, action: 'recover', to: s.latched, source: s.latched.indexDigest ? 'registry' : 'local', trigger: 'recover', detail: `latched to what container ${s.container} runs${s.note ? `: ${s.note}` : ''}` })]
        : [],
    ),
    ledgerEntry(deps, {
      app: name,
      action: 'recover',
      trigger: 'recover',
      detail: `rebuilt from its containers on the engine (definition from ${bare(defining.name)}; the history before is in no database here)`,
    }),
  ]);
  return { name, change: 'rebuilt', intent, services };
}

/** A known app: each drive whose container runs other content than latched is latched to it. null: nothing to change. */
function relatch(deps: Deps, app: AppRecord, containers: ContainerInfo[]): RecoveredApp | null {
  const open = deps.store.listOpenOperations(app.name);
  if (open.length > 0) {
    throw new TagkeeperError('busy', `app ${app.name} has unfinished operation ${open[0].id}, so what it runs may be changing`, {
      hint: 'finish it first (tagkeeper resume), then run tagkeeper recover again',
    });
  }
  const at = isoNow(deps);
  const services: RecoveredService[] = [];
  for (const s of app.services) {
    const container = containerOf(app, s.name, containers);
    if (!container || (s.latched?.imageId === container.imageId && s.containerId === container.id)) continue;
    if (s.latched?.imageId !== container.imageId) {
      const { latched, note } = latchOf(container, at);
      deps.store.latchService(app.name, s.name, latched);
      deps.store.appendLedger([
        ledgerEntry(deps, {
          app: app.name, service: s.name, action: 'recover', from: s.latched, to: latched, source: latched.indexDigest ? 'registry' : 'local', trigger: 'recover',
          detail: `latched to what container ${bare(container.name)} runs; the database said ${s.latched?.imageId ?? 'nothing'}${note ? `: ${note}` : ''}`,
        }),
      ]);
      services.push({ name: s.name, container: bare(container.name), latched, note });
    }
    deps.store.setServiceContainer(app.name, s.name, container.id);
  }
  if (app.intent === 'creating') deps.store.setAppIntent(app.name, intentOf(app, containers), null, at);
  return services.length === 0 ? null : { name: app.name, change: 're-latched', intent: deps.store.getApp(app.name)!.intent, services };
}

/** What a container runs, as a latch: its labelled digests when it runs the image they name; else its image alone. */
function latchOf(container: ContainerInfo, at: string): { latched: Latched; note: string | null } {
  const labelled = container.labels[LABEL.imageId];
  if (labelled !== container.imageId) {
    return {
      latched: { indexDigest: null, manifestDigest: null, imageId: container.imageId, source: 'local', at },
      note: `it runs image ${container.imageId}, not ${labelled ?? 'the one'} its labels name; a refresh resolves the tag again`,
    };
  }
  const indexDigest = container.labels[LABEL.indexDigest] || null;
  const manifestDigest = container.labels[LABEL.manifestDigest] || null;
  return { latched: { indexDigest, manifestDigest, imageId: container.imageId, source: indexDigest || manifestDigest ? 'registry' : 'local', at }, note: null };
}

/** The service's container: the one under its own name, else (one set aside by an interrupted switch) the newest. */
function containerOf(app: Pick<AppRecord, 'name' | 'compose'>, service: string, containers: ContainerInfo[]): ContainerInfo | null {
  const mine = newestFirst(containers.filter((c) => c.labels[LABEL.service] === service));
  return mine.find((c) => bare(c.name) === containerNameOf(app, service)) ?? mine[0] ?? null;
}

function intentOf(app: AppRecord, containers: ContainerInfo[]): AppIntent {
  const running = app.services.some((s) => containerOf(app, s.name, containers)?.status === 'running');
  return running ? 'running' : 'stopped';
}

/** By the operation that made them, newest first (app create's carry none). */
function newestFirst(containers: ContainerInfo[]): ContainerInfo[] {
  const op = (c: ContainerInfo) => Number(c.labels[LABEL.operation] ?? 0) || 0;
  return [...containers].sort((a, b) => op(b) - op(a));
}

const bare = (name: string) => name.replace(/^\//, '');
