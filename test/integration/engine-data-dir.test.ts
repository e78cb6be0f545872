/**
 * Data stays per engine (issue 15): a data directory belongs to the Docker Engine it first
 * reached (GET /info ID), and another engine is refused, naming both and the way out, before
 * anything is done there; the same engine reached another way (TCP instead of its socket) is
 * the same engine. `engine accept` takes the data directory over for a replacing engine, and
 * the ledger says so. A CLI command that names another engine than a running instance's is
 * refused instead of being handed to that instance.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { join } from 'node:path';
import type { EngineStatus } from '../../main/api/types/engine';
import { createApp, ledgerOf, publish, showApp } from '../helpers/lifecycle';
import { startServe, serveTargetOf, type ServedProcess } from '../helpers/serve';
import { before, stopBefore, useStarted } from '../helpers/hooks';
import { useEngine, useSite } from '../helpers/site';
import { rawGet } from '../helpers/engine-checks';
import { tempDir } from '../helpers/temp-dir';

const site = useSite();
const other = useEngine({ name: 'other' });
let served: ServedProcess | undefined;
stopBefore(site, () => served?.stop());

/** 127.0.0.1:PORT forwarded to the site engine's socket: the same engine at another endpoint. */
const forward = useStarted('the tcp forward', async () => {
  const server = net.createServer((client) => {
    const upstream = net.connect(site.engine.socketPath);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { host: `tcp://127.0.0.1:${(server.address() as net.AddressInfo).port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}, (f) => f.close());

/** How each engine is named in messages: its ID (before Docker 23 the host's, shared) and its data root. */
const ids: { site: string; other: string } = { site: '', other: '' };
before(async () => {
  const of = async (engine: typeof other) => {
    const info = await rawGet(engine, '/info');
    return `ID ${info.ID as string}, data root ${info.DockerRootDir as string}`;
  };
  ids.site = await of(site.engine);
  ids.other = await of(other);
  assert.notEqual(ids.site, ids.other, 'two engines, told apart');
});

const onOther = { DOCKER_HOST: '' };
before(() => {
  onOther.DOCKER_HOST = other.dockerHost;
});

test('the data directory keeps to the engine it first reached: another engine is refused, naming both, and nothing is done there', async () => {
  await publish(site, 'kept', '1', 'kept-v1');
  await createApp(site, 'kept', { main: `${site.registry.host}/kept:1` });

  for (const args of [['app', 'list'], ['app', 'show', 'kept'], ['app', 'restart', 'kept'], ['check'], ['images']]) {
    const out = await site.cli(args, onOther);
    assert.equal(out.code, 2, `${args.join(' ')}: ${out.stderr}`);
    const lines = out.stderr.trim().split('\n');
    assert.equal(lines.length, 1, out.stderr);
    assert.ok(lines[0].startsWith(`tagkeeper: the data directory ${site.dataDir} belongs to the Docker Engine `), lines[0]);
    assert.ok(lines[0].includes(`(${ids.site}), first reached at ${site.engine.dockerHost} on `), lines[0]);
    assert.ok(lines[0].includes(`the engine at ${other.dockerHost} (from DOCKER_HOST) is another one: `), lines[0]);
    assert.ok(lines[0].includes(`(${ids.other})`), lines[0]);
    assert.match(lines[0], /\(give each engine a data directory of its own \(--data-dir DIR or TAGKEEPER_DATA_DIR=DIR\), .* tagkeeper engine accept\)$/);
  }
  const containers = (await rawGet(other, '/containers/json?all=1')) as unknown as unknown[];
  assert.deepEqual(containers, [], 'nothing was created on the other engine');

  // settings show still shows the settings, and says why the engine cannot be used.
  const show = await site.cli(['settings', 'show'], onOther);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, new RegExp(`^engine-status +not usable: the data directory .* belongs to the Docker Engine`, 'm'));
  const status = (await site.cli(['engine', '--json'], onOther)).json<EngineStatus>();
  assert.deepEqual([status.reachable, status.error?.code], [false, 'engine-mismatch']);

  // Its own data directory (a new one, which the CLI makes) is fine for the other engine.
  const own = await site.cli(['--data-dir', join(tempDir('tk-data-other-'), 'data'), 'app', 'list', '--json'], onOther);
  assert.equal(own.code, 0, own.stderr);
  assert.deepEqual(own.json(), []);
  // And the site's engine still works on the site's data directory.
  assert.equal((await showApp(site, 'kept')).state, 'running');
});

test('the same engine through another endpoint is the same engine', async () => {
  const out = await site.cli(['--host', forward.host, 'app', 'show', 'kept', '--json']);
  assert.equal(out.code, 0, out.stderr);
  assert.equal(out.json<{ state: string }>().state, 'running');
  const status = (await site.cli(['-H', forward.host, 'engine', '--json'])).json<EngineStatus>();
  assert.deepEqual([status.reachable, status.endpoint, status.source], [true, forward.host, 'from --host']);
  assert.equal(`ID ${status.identity?.id}, data root ${status.identity?.root}`, ids.site);
});

test('a running instance is never handed a command meant for another engine', async () => {
  served = await startServe(serveTargetOf(site));
  try {
    const refused = await site.cli(['--host', other.dockerHost, 'app', 'list']);
    assert.equal(refused.code, 2, refused.stderr);
    assert.ok(refused.stderr.startsWith(`tagkeeper: the Tagkeeper instance running on the data directory ${site.dataDir} (pid ${served.child.pid}) works with the engine at ${site.engine.dockerHost} `), refused.stderr);
    assert.ok(refused.stderr.includes(`(${ids.site}), not with the one asked for at ${other.dockerHost} `), refused.stderr);
    assert.ok(refused.stderr.includes(`(${ids.other}) (leave out --host/--context to use the running instance`), refused.stderr);
    // The same engine another way: handed over as usual.
    const same = await site.cli(['--host', forward.host, 'app', 'list', '--json']);
    assert.equal(same.code, 0, same.stderr);
    assert.deepEqual(same.json<{ name: string }[]>().map((a) => a.name), ['kept']);
  } finally {
    await served.stop();
    served = undefined;
  }
});

test('engine accept takes the data directory over for the engine reached, once, with a ledger entry', async () => {
  const accepted = await site.cli(['engine', 'accept', '--json'], onOther);
  assert.equal(accepted.code, 0, accepted.stderr);
  type Recorded = { id: string; root: string; endpoint: string };
  const answer = accepted.json<{ engine: Recorded; previous: Recorded | null }>();
  const named = (e: Recorded | null | undefined) => `ID ${e?.id}, data root ${e?.root}`;
  assert.deepEqual([named(answer.engine), answer.engine.endpoint, named(answer.previous), answer.previous?.endpoint], [ids.other, other.dockerHost, ids.site, site.engine.dockerHost]);

  const list = await site.cli(['app', 'list', '--json'], onOther);
  assert.equal(list.code, 0, list.stderr);
  assert.deepEqual(list.json<{ name: string }[]>().map((a) => a.name), ['kept'], 'the same store, now on that engine');
  const back = await site.cli(['app', 'list']);
  assert.equal(back.code, 2, 'the first engine is now the other one');
  assert.ok(back.stderr.includes(`(${ids.other}), first reached at ${other.dockerHost} on `), back.stderr);
  assert.ok(back.stderr.includes(`the engine at ${site.engine.dockerHost} (from DOCKER_HOST) is another one`), back.stderr);

  const again = await site.cli(['engine', 'accept'], onOther);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /already belongs to the engine .*; nothing changed/);
  const entries = (await ledgerOf(site, '(device)')).filter((e) => e.action === 'configure' && e.trigger === 'engine-accept');
  assert.equal(entries.length, 1, 'one take-over, one entry');
  assert.ok(entries[0].detail?.includes(`(${ids.other}) at ${other.dockerHost}, instead of `), entries[0].detail ?? '');

  // Back to the site's engine, for whoever runs after.
  assert.equal((await site.cli(['engine', 'accept'])).code, 0);
});
