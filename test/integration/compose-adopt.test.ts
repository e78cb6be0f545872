/**
 * Adopting a project that Debian's docker-compose (1.29.2) started on a private engine: it
 * becomes a Tagkeeper app without any container restarting, each service latched to what it
 * runs; then a refresh moves only the service whose tag moved.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before } from '../helpers/hooks';
import { operation, publish, showApp } from '../helpers/lifecycle';
import { useSite } from '../helpers/site';
import type { BuiltImage } from '../helpers/image-builder';
import { tempDir } from '../helpers/temp-dir';

const site = useSite();
let web: BuiltImage;
let worker: BuiltImage;
let file: string;

function dockerCompose(...args: string[]) {
  const run = spawnSync('docker-compose', ['-f', file, '-p', 'legacy', ...args], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', DOCKER_HOST: site.engine.dockerHost, REG: site.registry.host },
    encoding: 'utf8',
    timeout: 180_000,
  });
  assert.equal(run.status, 0, `docker-compose ${args.join(' ')}: ${run.stderr}`);
  return run;
}

const started = async () =>
  Object.fromEntries(
    await Promise.all(
      (await site.docker.listContainers({ all: true, filters: { label: ['com.docker.compose.project=legacy'] } })).map(async (c) => [
        c.Labels['com.docker.compose.service'],
        { id: c.Id, startedAt: (await site.docker.getContainer(c.Id).inspect()).State.StartedAt },
      ]),
    ),
  );

before(async () => {
  web = await publish(site, 'legacy-web', '1', 'legacy-web-v1');
  worker = await publish(site, 'legacy-worker', '1', 'legacy-worker-v1');
  file = join(tempDir('tk-legacy-'), 'docker-compose.yml');
  writeFileSync(file, 'services:\n  web:\n    image: ${REG}/legacy-web:1\n    volumes: [data:/data]\n  worker:\n    image: ${REG}/legacy-worker:1\n    depends_on: [web]\nvolumes:\n  data: {}\n');
  dockerCompose('up', '-d');
});

test('adopt: the running project becomes an app, nothing restarts, each service latched to what it runs', async () => {
  const before = await started();
  assert.deepEqual(Object.keys(before).sort(), ['web', 'worker']);
  const adopted = await site.cli(['app', 'adopt', 'legacy', '--json'], { REG: site.registry.host });
  assert.equal(adopted.code, 0, adopted.stderr);
  const app = await showApp(site, 'legacy');
  assert.equal(app.state, 'running');
  assert.equal(app.services.find((s) => s.name === 'web')?.latched?.manifestDigest, web.manifestDigest);
  assert.equal(app.services.find((s) => s.name === 'worker')?.latched?.manifestDigest, worker.manifestDigest);
  assert.deepEqual(await started(), before, 'the same containers, not restarted');
  const ledger = (await site.cli(['ledger', 'legacy', '--json'])).json<{ action: string; detail: string }[]>();
  assert.ok(ledger.some((e) => e.action === 'create' && /adopted the running docker compose project legacy \(no container restarted\)/.test(e.detail)));
});

test('adopting twice, or a project that does not run, is refused plainly', async () => {
  const again = await site.cli(['app', 'adopt', 'legacy'], { REG: site.registry.host });
  assert.equal(again.code, 2);
  assert.match(again.stderr, /an app named "legacy" already exists/);
  const none = await site.cli(['app', 'adopt', 'nothere'], { REG: site.registry.host });
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no container of a docker compose project "nothere"/);
});

test('after adoption a refresh moves only the service whose tag moved', async () => {
  const before = await started();
  const web2 = await publish(site, 'legacy-web', '1', 'legacy-web-v2');
  const { code, stderr, result } = await operation(site, ['app', 'refresh', 'legacy']);
  assert.equal(code, 0, stderr);
  assert.equal(result.outcome, 'done');
  assert.deepEqual(result.services.filter((s) => s.changed).map((s) => s.name), ['web']);
  const after = await started();
  assert.notEqual(after.web.id, before.web.id, 'web runs a new container');
  assert.deepEqual(after.worker, before.worker, 'worker untouched');
  const app = await showApp(site, 'legacy');
  assert.equal(app.services.find((s) => s.name === 'web')?.latched?.manifestDigest, web2.manifestDigest);
  const volume = await site.docker.getContainer(after.web.id).inspect();
  assert.equal(volume.Mounts.find((m) => m.Destination === '/data')?.Name, 'legacy_data', 'the project volume is kept');
});
