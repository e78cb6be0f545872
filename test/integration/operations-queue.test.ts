/** Requests recorded without waiting are carried out in the background; waiting ones can be cancelled. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BuiltImage } from '../helpers/image-builder';
import { httpClient } from '../../main/api/http-client';
import { serveTargetOf, startServe } from '../helpers/serve';
import { before } from '../helpers/hooks';
import { publish } from '../helpers/lifecycle';
import { useSite } from '../helpers/site';

const site = useSite();
let v2: BuiltImage;

before(async () => {
  await publish(site, 'busy', '1', 'queue-v1');
  for (const name of ['later', 'cancelled']) {
    const created = await site.cli(['app', 'create', name, '--image', `${site.registry.host}/busy:1`, '--network', 'none']);
    assert.equal(created.code, 0, created.stderr);
  }
  v2 = await publish(site, 'busy', '1', 'queue-v2');
});

test('refresh --no-wait records the request and a background process carries it out', async () => {
  const queued = await site.cli(['app', 'refresh', 'later', '--no-wait', '--json']);
  assert.equal(queued.code, 0, queued.stderr);
  const answer = queued.json();
  assert.equal(answer.app, 'later');
  assert.ok(['pending', 'running'].includes(answer.state));
  assert.equal(answer.worker, false, 'no instance runs: the CLI starts a background resume');
  const deadline = Date.now() + 60_000;
  let show = (await site.cli(['app', 'show', 'later', '--json'])).json();
  while ((show.openOperations.length > 0 || show.services[0].latched.manifestDigest !== v2.manifestDigest) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    show = (await site.cli(['app', 'show', 'later', '--json'])).json();
  }
  assert.equal(show.services[0].latched.manifestDigest, v2.manifestDigest);
  assert.deepEqual(show.openOperations, []);
  const refreshes = (await site.cli(['ledger', 'later', '--json'])).json().filter((e: { action: string }) => e.action === 'refresh');
  assert.deepEqual(refreshes.map((e: { outcome: string }) => e.outcome), ['ok']);
});

test('a waiting operation can be cancelled: nothing changes and the ledger says so', async () => {
  const instance = site.open();
  try {
    const before = await instance.client.call('apps:show', { name: 'cancelled' });
    const queued = await instance.client.call('apps:refresh', { name: 'cancelled', wait: false });
    assert.ok('state' in queued && !('outcome' in queued));
    const result = await instance.client.call('operations:cancel', { id: queued.operation });
    assert.equal(result.cancelled, true);
    assert.equal((await instance.client.call('operations:cancel', { id: queued.operation })).cancelled, false, 'a finished operation cannot be cancelled again');
    const after = await instance.client.call('apps:show', { name: 'cancelled' });
    assert.deepEqual(after.openOperations, []);
    assert.equal(after.services[0].latched?.manifestDigest, before.services[0].latched?.manifestDigest);
    assert.equal(after.services[0].containerId, before.services[0].containerId);
    const entry = (await instance.client.call('ledger:list', { app: 'cancelled' })).filter((e) => e.action === 'refresh').at(-1);
    assert.equal(entry?.outcome, 'failed');
    assert.match(entry?.detail ?? '', /cancelled by tester/);
    assert.equal((await instance.client.call('operations:list', { app: 'cancelled' }))[0].result?.error?.code, 'cancelled');
  } finally {
    await instance.close();
  }
});

test('two processes asking at once never work on the app together', async () => {
  const [a, b] = await Promise.all([site.cli(['app', 'restart', 'later', '--json']), site.cli(['app', 'restart', 'later', '--json'])]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  // Either merged into one operation (counters) or two that ran one after the other: both done.
  assert.equal(a.json().outcome, 'done');
  assert.equal(b.json().outcome, 'done');
  const containers = await site.docker.listContainers({ all: true, filters: { label: ['tagkeeper.app=later'] } });
  assert.equal(containers.length, 1, 'one container, no leftovers from overlapping switches');
  assert.equal(containers[0].State, 'running');
});

test('with serve running, --no-wait hands the request to its worker, which carries it out in the serve process', async () => {
  const served = await startServe(serveTargetOf(site));
  try {
    const v3 = await publish(site, 'busy', '1', 'queue-v3');
    const queued = await site.cli(['app', 'refresh', 'later', '--no-wait', '--json']);
    assert.equal(queued.code, 0, queued.stderr);
    const answer = queued.json();
    assert.equal(answer.worker, true, 'the running instance says its worker takes it');
    const deadline = Date.now() + 60_000;
    const client = httpClient(served.baseUrl, served.token);
    const done = async () => (await client.call('operations:list', { app: 'later' })).find((o) => o.id === answer.operation);
    let record = await done();
    while (record?.state !== 'done' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      record = await done();
    }
    assert.equal(record?.state, 'done');
    assert.equal(record?.ownerPid, served.child.pid, 'the serve process ran it, not a spawned CLI');
    const show = (await site.cli(['app', 'show', 'later', '--json'])).json();
    assert.equal(show.services[0].latched.manifestDigest, v3.manifestDigest);
  } finally {
    await served.stop();
  }
});
