/**
 * Helpers for the app lifecycle tests (issue 3): typed views of the CLI's JSON (operation
 * results, `app show`, the ledger), snapshots of an app's containers on the engine (ids and
 * start times prove restarts), and a file in an app volume (proves purges).
 */
import type { OperationResult } from '../../main/api/types/operations';
import assert from 'node:assert/strict';
import { publishTo, type BuildImageOptions, type BuiltImage } from './image-builder';
import type { TestSite } from './site';

export interface DigestPairJson {
  indexDigest: string | null;
  manifestDigest: string | null;
}

export interface ErrorJson {
  code: string;
  message: string;
  hint?: string;
}

/** What `app refresh|restart|purge|start|stop --json` prints (also on failure). */
export type { OperationResult };

export interface ServiceJson {
  name: string;
  latched: (DigestPairJson & { imageId: string }) | null;
  previous: (DigestPairJson & { imageId: string }) | null;
  rolledBackFrom: DigestPairJson | null;
  updateAvailable: boolean;
  containerId: string | null;
  containerStatus: string | null;
  /** Set when the container runs other content than the latched one. */
  drift: { runningImageId: string; latchedImageId: string } | null;
  checkError: ErrorJson | null;
  error: ErrorJson | null;
}

/** What `app show NAME --json` prints (the fields these tests read). */
export interface AppJson {
  name: string;
  state: 'running' | 'degraded' | 'stopped' | 'failed' | 'creating' | 'drifted' | 'interrupted' | 'switching';
  error: ErrorJson | null;
  openOperations: { id: number; kind: string; state: string; phase: string; interrupted: boolean }[];
  services: ServiceJson[];
}

export interface LedgerRow {
  id: number;
  at: string;
  app: string;
  service: string | null;
  action: string;
  from: DigestPairJson | null;
  to: DigestPairJson | null;
  source: string | null;
  trigger: string;
  actor: string;
  outcome: string;
  detail: string | null;
}

/** One service's container as the engine sees it. */
export interface ContainerSnapshot {
  id: string;
  startedAt: string;
  running: boolean;
  image: string;
}

/** Build an image with `marker` (and options) and push it as repo:tag to the site's registry; moving a tag = calling this again. */
export function publish(site: TestSite, repo: string, tag: string, marker: string, options: Omit<BuildImageOptions, 'marker'> = {}): Promise<BuiltImage> {
  return publishTo(site.registry, repo, tag, marker, options);
}

/** `app create NAME --service s=ref … --network none`; asserts success and returns the app. */
export async function createApp(site: TestSite, name: string, services: Record<string, string>, extra: string[] = []): Promise<AppJson> {
  const flags = Object.entries(services).flatMap(([service, ref]) => ['--service', `${service}=${ref}`]);
  const result = await site.cli(['app', 'create', name, ...flags, '--network', 'none', '--json', ...extra]);
  assert.equal(result.code, 0, `app create ${name}: ${result.stderr}`);
  const app = result.json<AppJson>();
  assert.equal(app.state, 'running', `app ${name} runs after create`);
  return app;
}

export async function showApp(site: TestSite, name: string): Promise<AppJson> {
  const result = await site.cli(['app', 'show', name, '--json']);
  assert.equal(result.code, 0, `app show ${name}: ${result.stderr}`);
  return result.json<AppJson>();
}

export function serviceOf(app: AppJson, name = 'main'): ServiceJson {
  const service = app.services.find((s) => s.name === name);
  assert.ok(service, `app ${app.name} has a service ${name}: ${JSON.stringify(app.services.map((s) => s.name))}`);
  return service;
}

export async function ledgerOf(site: TestSite, name: string): Promise<LedgerRow[]> {
  const result = await site.cli(['ledger', name, '--json']);
  assert.equal(result.code, 0, `ledger ${name}: ${result.stderr}`);
  return result.json<LedgerRow[]>();
}

export const withAction = (rows: LedgerRow[], action: string): LedgerRow[] => rows.filter((r) => r.action === action);

export interface OperationRun {
  code: number;
  stderr: string;
  result: OperationResult;
}

/** Runs `tagkeeper ...args --json` and parses the operation result it prints (also on exit 1). */
export async function operation(site: TestSite, args: string[], env: Record<string, string> = {}): Promise<OperationRun> {
  const out = await site.cli([...args, '--json'], env);
  return { code: out.code, stderr: out.stderr, result: out.json<OperationResult>() };
}

export function changeOf(result: OperationResult, service = 'main'): OperationResult['services'][number] {
  const change = result.services.find((s) => s.name === service);
  assert.ok(change, `result names service ${service}: ${JSON.stringify(result)}`);
  return change;
}

/** Every container labelled as the app's (running or not). */
export async function appContainers(site: TestSite, app: string) {
  return site.docker.listContainers({ all: true, filters: { label: [`tagkeeper.app=${app}`] } });
}

/** Service name → its one container. */
export type AppSnapshot = Record<string, ContainerSnapshot>;

/** Service name → its one container (asserts there is exactly one per service). */
export async function snapshot(site: TestSite, app: string): Promise<AppSnapshot> {
  const out: AppSnapshot = {};
  for (const c of await appContainers(site, app)) {
    const service = c.Labels['tagkeeper.service'];
    assert.equal(out[service], undefined, `app ${app} has more than one container for service ${service}`);
    const info = await site.docker.getContainer(c.Id).inspect();
    out[service] = { id: info.Id, startedAt: info.State.StartedAt, running: info.State.Running, image: info.Image };
  }
  return out;
}

/** True when `after` is the same container, never restarted since `before`. */
export const untouched = (before: ContainerSnapshot, after: ContainerSnapshot): boolean => before.id === after.id && before.startedAt === after.startedAt;

/** Run `sh -c script` in a running container; returns its exit code. */
export async function execIn(site: TestSite, containerId: string, script: string): Promise<number> {
  const container = site.docker.getContainer(containerId);
  const exec = await container.exec({ Cmd: ['sh', '-c', script], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  await new Promise<void>((resolve, reject) => {
    stream.on('end', () => resolve());
    stream.on('close', () => resolve());
    stream.on('error', reject);
    stream.resume();
  });
  for (let i = 0; i < 50; i++) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null) return info.ExitCode;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`exec "${script}" in ${containerId} did not finish`);
}

/** Write /data/<file> through the app's running `service` container (its volume mounted at /data). */
export async function writeDataFile(site: TestSite, app: string, file = 'f', service = 'main'): Promise<void> {
  const containerId = serviceOf(await showApp(site, app), service).containerId;
  assert.ok(containerId, `app ${app} has a container`);
  assert.equal(await execIn(site, containerId, `echo kept > /data/${file}`), 0, `writing /data/${file} in ${app}`);
  assert.equal(await hasDataFile(site, app, file, service), true);
}

/** Whether /data/<file> exists, seen from inside the app's running `service` container. */
export async function hasDataFile(site: TestSite, app: string, file = 'f', service = 'main'): Promise<boolean> {
  const containerId = serviceOf(await showApp(site, app), service).containerId;
  assert.ok(containerId, `app ${app} has a container`);
  return (await execIn(site, containerId, `test -f /data/${file}`)) === 0;
}

/** Whether the engine has a volume of this name. */
export async function volumeExists(site: TestSite, name: string): Promise<boolean> {
  return site.docker.getVolume(name).inspect().then(
    () => true,
    () => false,
  );
}

/** Assert the app runs exactly `images` (service → image) from the latched digests, one running container each. */
export async function assertRunning(site: TestSite, app: string, images: Record<string, BuiltImage>): Promise<AppJson> {
  const view = await showApp(site, app);
  assert.equal(view.state, 'running', `app ${app}: ${JSON.stringify(view.error)}`);
  const containers = await snapshot(site, app);
  assert.deepEqual(Object.keys(containers).sort(), Object.keys(images).sort(), `one container per service of ${app}`);
  for (const [service, image] of Object.entries(images)) {
    const s = serviceOf(view, service);
    assert.equal(s.latched?.manifestDigest, image.manifestDigest, `${app}/${service} latched digest`);
    assert.equal(s.latched?.imageId, image.configDigest, `${app}/${service} latched image id`);
    assert.equal(s.containerStatus, 'running', `${app}/${service} container status`);
    assert.equal(s.containerId, containers[service].id, `${app}/${service} container id as the engine has it`);
    assert.equal(containers[service].running, true, `${app}/${service} runs`);
    assert.equal(containers[service].image, image.configDigest, `${app}/${service} runs ${image.configDigest}`);
    const labels = (await site.docker.getContainer(containers[service].id).inspect()).Config.Labels;
    assert.equal(labels['tagkeeper.manifest-digest'], image.manifestDigest, `${app}/${service} label`);
  }
  return view;
}
