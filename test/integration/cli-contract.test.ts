/**
 * The CLI's contract: exit codes, one-line errors, and that bad input changes nothing
 * (no row written, no container created, no pull started).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { before } from '../helpers/hooks';
import { publish } from '../helpers/lifecycle';
import { useSite } from '../helpers/site';
import { DEFAULT_SETTINGS } from '../../main/api/types/settings';

const site = useSite();
let ref: string;

before(async () => {
  await publish(site, 'busy', '1', 'cli-v1');
  ref = `${site.registry.host}/busy:1`;
});

async function assertNothingChanged(): Promise<void> {
  const list = await site.cli(['app', 'list', '--json']);
  assert.equal(list.code, 0, list.stderr);
  assert.deepEqual(list.json().map((a: { name: string }) => a.name), ['ok']);
  const containers = await site.docker.listContainers({ all: true });
  assert.equal(containers.length, 1, 'only the one good app has a container');
  const ledger = (await site.cli(['ledger', '--json'])).json();
  assert.equal(ledger.length, 3, 'no ledger entry for refused input');
}

test('a good create exits 0 and prints one JSON document', async () => {
  const result = await site.cli(['app', 'create', 'ok', '--image', ref, '--network', 'none', '--env', 'A=1', '--volume', 'data:/data', '--cmd', "sh -c 'trap \"exit 0\" TERM; while true; do sleep 1; done'", '--json']);
  assert.equal(result.code, 0, result.stderr);
  const app = result.json();
  assert.equal(app.name, 'ok');
  const container = await site.docker.getContainer(app.services[0].containerId).inspect();
  assert.ok(container.Config.Env.includes('A=1'));
  assert.deepEqual(container.Config.Cmd, ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done']);
  assert.equal(container.Mounts[0].Name, 'tagkeeper-ok-data');
  assert.equal(container.HostConfig.NetworkMode, 'none');
});

const badInputs: [string, string[], RegExp][] = [
  ['malformed reference', ['app', 'create', 'x1', '--image', 'Busy:1'], /lowercase/],
  ['malformed digest', ['app', 'create', 'x2', '--image', 'busy@sha256:1234'], /4 hex characters, expected 64/],
  ['bad app name', ['app', 'create', 'Bad Name', '--image', 'busy'], /not a valid app name/],
  ['duplicate name', ['app', 'create', 'ok', '--image', 'busy'], /already exists/],
  ['no image', ['app', 'create', 'x3'], /needs an image/],
  ['unknown flag', ['app', 'create', 'x4', '--image', 'busy', '--frobnicate'], /unknown option '--frobnicate'/],
  ['bad pull policy', ['app', 'create', 'x5', '--image', 'busy', '--pull-policy', 'sometimes'], /sometimes.*invalid|Allowed choices/],
  ['bad env', ['app', 'create', 'x6', '--image', 'busy', '--env', 'NOPE'], /KEY=VALUE/],
  ['unknown app (show)', ['app', 'show', 'ghost'], /no app named "ghost"/],
  ['unknown app (check)', ['check', 'ghost'], /no app named "ghost"/],
  ['unknown app (delete)', ['app', 'delete', 'ghost'], /no app named "ghost"/],
  ['bad setting value', ['settings', 'set', 'pull-policy', 'sometimes'], /cannot be "sometimes"/],
  ['unknown setting', ['settings', 'set', 'colour', 'blue'], /unknown setting "colour"/],
  ['unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
];

for (const [what, args, message] of badInputs) {
  test(`bad input (${what}) exits 2 with one clear line and changes nothing`, async () => {
    site.registry.clearRequests();
    const result = await site.cli(args);
    assert.equal(result.code, 2, `exit code for ${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
    assert.match(result.stderr.split('\n')[0], /^tagkeeper: /);
    assert.equal(result.stdout, '');
    assert.deepEqual(site.registry.requests(), [], 'no registry traffic');
    await assertNothingChanged();
  });
}

test('settings show and set round-trip', async () => {
  const set = await site.cli(['settings', 'set', 'check-on-start', 'on', '--json']);
  assert.equal(set.code, 0, set.stderr);
  assert.equal(set.json().checkOnStart, true);
  const show = await site.cli(['settings', 'show', '--json']);
  assert.deepEqual(show.json(), { ...DEFAULT_SETTINGS, checkOnStart: true });
  await site.cli(['settings', 'set', 'check-on-start', 'off']);
});

test('an unreachable engine: one line naming the socket and what to do, exit 1', async () => {
  for (const args of [['app', 'list'], ['check'], ['report'], ['app', 'create', 'z', '--image', ref]]) {
    const result = await site.cli(args, { DOCKER_HOST: 'unix:///tmp/tagkeeper-no-such.sock' });
    assert.equal(result.code, 1, `${args.join(' ')}: ${result.stderr}`);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0], /unix:\/\/\/tmp\/tagkeeper-no-such\.sock/);
    assert.match(lines[0], /DOCKER_HOST|start the Docker daemon/);
  }
  await assertNothingChanged();
});

test('app list and report in human form', async () => {
  const list = await site.cli(['app', 'list']);
  assert.equal(list.code, 0);
  assert.match(list.stdout, /ok\s+running\s+main/);
  const show = await site.cli(['app', 'show', 'ok']);
  assert.match(show.stdout, /latched:\s+index sha256:[0-9a-f]{64}/);
});

test('delete removes containers and keeps volumes unless asked', async () => {
  const result = await site.cli(['app', 'create', 'gone', '--image', ref, '--network', 'none', '--volume', 'state:/state']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal((await site.cli(['app', 'delete', 'gone'])).code, 0);
  assert.equal((await site.docker.listContainers({ all: true, filters: { label: ['tagkeeper.app=gone'] } })).length, 0);
  const volumes = await site.docker.listVolumes({ filters: { label: ['tagkeeper.app=gone'] } });
  assert.equal(volumes.Volumes.length, 1, 'state kept');
  const ledger = (await site.cli(['ledger', 'gone', '--json'])).json();
  assert.equal(ledger.at(-1).action, 'delete');
});
