/**
 * `tagkeeper serve` keeps the engine's container list from the engine's events, so `apps:list`
 * asks the engine nothing (no list, no ping: seen through a proxy in front of the engine's
 * socket). What happens behind its back (a container stopped, started, removed with the
 * docker API) shows in the next `apps:list` once the page heard of it; what serve does itself
 * shows at once; and each time the event stream opens again (after it was cut off while the
 * engine ran on, after a restart of the engine) the list is read again, as events were lost.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppView } from '../../main/api/types/app-view';
import { httpClient } from '../../main/api/http-client';
import { startEngineProxy, type EngineProxy } from '../helpers/engine-proxy';
import { before, stopBefore } from '../helpers/hooks';
import { publish } from '../helpers/lifecycle';
import { openEventStream, startServe, type EventStream, type ServedProcess } from '../helpers/serve';
import { useSite } from '../helpers/site';

const site = useSite();
let proxy: EngineProxy;
let served: ServedProcess;
let page: EventStream;

before(async () => {
  await publish(site, 'busy', '1', 'mirror');
  proxy = await startEngineProxy(site.engine.socketPath);
  served = await startServe({ dockerHost: proxy.dockerHost, dataDir: site.dataDir, dockerConfigDir: site.dockerConfigDir });
  page = await openEventStream(served);
});
stopBefore(site, async () => {
  page?.close();
  await served?.stop();
  await proxy?.stop();
});

const api = () => httpClient(served.baseUrl, served.token);
/** The engine's list and its ping: what apps:list asked before. */
const listOrPing = (requests: string[]) => requests.filter((r) => r.startsWith('GET /containers/json') || r.startsWith('GET /_ping') || r.startsWith('HEAD /_ping'));

/** apps:list, and whether it asked the engine for its list or a ping while it was answered. */
async function listApps(): Promise<{ apps: AppView[]; askedEngine: string[] }> {
  const from = proxy.requests.length;
  const apps = await api().call('apps:list', {});
  return { apps, askedEngine: listOrPing(proxy.requests.slice(from)) };
}

const statusOf = (apps: AppView[], app: string) => apps.find((a) => a.name === app)?.services[0].containerStatus;

/**
 * Runs `change`, then does what the page does on each app-changed of `app`: lists the apps
 * again, until the list shows `status` (every list asking the engine nothing).
 */
async function behindItsBack(app: string, change: () => Promise<unknown>, status: string): Promise<void> {
  const heard = () => page.events.filter((e) => e.type === 'app-changed' && e.app === app).length;
  let seen = heard();
  await change();
  for (;;) {
    if (heard() === seen) await page.next(`app-changed for ${app} showing it ${status}`, (e) => e.type === 'app-changed' && e.app === app);
    seen = heard();
    const listed = await listApps();
    assert.deepEqual(listed.askedEngine, []);
    if (statusOf(listed.apps, app) === status) return;
  }
}

test('containers stopped, started and removed behind serve\'s back show in the next apps:list, which asks the engine nothing; an engine restart too', async () => {
  // No restart policy: the engine's restart leaves the container stopped.
  const created = await api().call('apps:create', { name: 'kept', services: [{ name: 'main', image: `${site.registry.host}/busy:1`, network: 'none', restartPolicy: 'no' }] });
  const container = site.docker.getContainer(created.services[0].containerId!);
  // The list is read once the event stream is open, shortly after serve started.
  for (let tries = 0; (await listApps()).askedEngine.length > 0; tries++) {
    assert.ok(tries < 100, 'apps:list still asks the engine for its container list');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  let listed = await listApps();
  assert.equal(statusOf(listed.apps, 'kept'), 'running');
  assert.deepEqual(listed.askedEngine, []);

  await behindItsBack('kept', () => container.stop({ t: 1 }), 'exited');
  await behindItsBack('kept', () => container.start(), 'running');

  // What serve does itself shows at once, whenever the engine's events come.
  await api().call('apps:stop', { name: 'kept', wait: true });
  listed = await listApps();
  assert.equal(statusOf(listed.apps, 'kept'), 'exited');
  assert.deepEqual(listed.askedEngine, []);
  await api().call('apps:start', { name: 'kept', wait: true });
  assert.equal(statusOf((await listApps()).apps, 'kept'), 'running');

  // Serve's event stream cut off while the engine runs on: a stop meanwhile reaches it by no event.
  const lost = page.next('engine-changed unreachable', (e) => e.type === 'engine-changed' && !e.reachable);
  proxy.cut();
  await lost;
  await container.stop({ t: 1 });
  const again = page.next('engine-changed reachable', (e) => e.type === 'engine-changed' && e.reachable);
  proxy.mend();
  await again;
  listed = await listApps();
  assert.equal(statusOf(listed.apps, 'kept'), 'exited', 'the list was read again once the stream opened');
  assert.deepEqual(listed.askedEngine, []);
  await api().call('apps:start', { name: 'kept', wait: true });
  assert.equal(statusOf((await listApps()).apps, 'kept'), 'running');

  // The engine's restart stops the container.
  const back = page.next('engine-changed reachable', (e) => e.type === 'engine-changed' && e.reachable);
  await site.engine.restart();
  await back;
  listed = await listApps();
  assert.equal(statusOf(listed.apps, 'kept'), 'exited', 'the list was read again after the restart');
  assert.deepEqual(listed.askedEngine, []);

  const current = (await api().call('apps:show', { name: 'kept' })).services[0].containerId!;
  await behindItsBack('kept', () => site.docker.getContainer(current).remove({ force: true }), 'missing'); // events after the restart keep it current
});
