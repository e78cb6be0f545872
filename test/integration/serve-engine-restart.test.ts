/**
 * `tagkeeper serve` outlives a restart of its Docker Engine: the event stream to the page
 * stays open, says the engine went away and came back (engine-changed), engine:status goes
 * unreachable → reachable, and a container event after the restart reaches the page as
 * app-changed — without restarting serve.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import type { ResponseOf } from '../../main/api/contract';
import { httpClient } from '../../main/api/http-client';
import { importBusyboxImage } from '../helpers/engine';
import { before, stopBefore } from '../helpers/hooks';
import { openEventStream, startServe, type ServedProcess } from '../helpers/serve';
import { useEngine } from '../helpers/site';

const engine = useEngine({ name: 'restarted' });
const IMAGE = 'tk-restart:1';
let dataDir: string;
let served: ServedProcess;

before(async () => {
  await importBusyboxImage(engine, IMAGE, 'restart');
  dataDir = mkdtempSync(join(tmpdir(), 'tk-data-'));
  served = await startServe({ dockerHost: engine.dockerHost, dataDir });
});
stopBefore(engine, async () => {
  await served?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** A container of app `app` as Tagkeeper labels them: its create event is what the watch announces. */
async function createLabelled(app: string): Promise<void> {
  const docker = new Docker({ socketPath: engine.socketPath });
  await docker.createContainer({ Image: IMAGE, name: app, Labels: { 'tagkeeper.app': app }, HostConfig: { NetworkMode: 'none' } });
}

test('after the engine restarts, serve follows its events again: the page hears the engine go and come back, and later container events', async () => {
  const api = httpClient(served.baseUrl, served.token);
  // Asked first, before any container exists: a fresh data directory is checked against the engine on its first call.
  assert.equal((await api.call('engine:status', {})).reachable, true);
  const page = await openEventStream(served);
  try {
    const first = page.next('app-changed for "before"', (e) => e.type === 'app-changed' && e.app === 'before');
    await createLabelled('before');
    await first;

    const gone = page.next('engine-changed unreachable', (e) => e.type === 'engine-changed' && !e.reachable);
    const back = page.next('engine-changed reachable', (e) => e.type === 'engine-changed' && e.reachable);
    let whileDown: ResponseOf<'engine:status'> | undefined;
    await engine.restart(async () => {
      await gone;
      whileDown = await api.call('engine:status', {});
    });
    assert.equal(whileDown?.reachable, false, 'engine:status says unreachable while the engine is down');
    await back;
    assert.equal((await api.call('engine:status', {})).reachable, true);

    const after = page.next('app-changed for "after"', (e) => e.type === 'app-changed' && e.app === 'after');
    await createLabelled('after');
    await after;
    assert.deepEqual(
      page.events.filter((e) => e.type === 'engine-changed'),
      [{ type: 'engine-changed', reachable: false }, { type: 'engine-changed', reachable: true }],
      'the outage is said once, however many tries it took',
    );
    assert.match(served.stderr(), /cannot follow the engine's events .*; trying again with back-off/);
    assert.match(served.stderr(), /following the engine's events again/);
  } finally {
    page.close();
  }
});
