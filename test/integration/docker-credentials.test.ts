/**
 * Registry credentials as the docker CLI finds them, against a real registry with htpasswd
 * auth and a real engine: only in a temporary DOCKER_CONFIG/config.json (`auths`), then only
 * through a credential helper script on the PATH (`docker-credential-tktest`), then with
 * that helper failing, hanging or missing (one warning line naming it and the registry; the
 * check or pull goes on anonymously, which an open registry allows); an identity token traded
 * by Tagkeeper and by the engine; Tagkeeper's saved credentials winning over Docker's. No
 * secret appears in any output, log, ledger, report or the store.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before } from '../helpers/hooks';
import { publishTo, type BuiltImage } from '../helpers/image-builder';
import { publish } from '../helpers/lifecycle';
import { registryForTest, useSite } from '../helpers/site';
import type { CliResult } from '../helpers/cli';

const PASSWORD = 'dockercfg-S3cret-7f3a';
const IDENTITY_TOKEN = 'idtoken-R3fresh-91c2';
const site = useSite({ registry: { auth: 'basic', username: 'tech', password: PASSWORD } });
let helperDir: string;
let v1: BuiltImage;
/** Everything Tagkeeper printed in this file, searched for secrets at the end. */
const printed: string[] = [];

before(async () => {
  helperDir = mkdtempSync(join(tmpdir(), 'tk-helpers-'));
  v1 = await publish(site, 'private', '1', 'docker-creds-v1');
});
after(() => rmSync(helperDir, { recursive: true, force: true }));

const host = () => site.registry.host;
const ref = (tag: string) => `${host()}/private:${tag}`;
const helperLog = () => join(helperDir, 'calls.log');
const withHelpers = () => ({ PATH: `${helperDir}:${process.env.PATH ?? '/usr/bin:/bin'}` });

async function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const result = await site.cli(args, { ...withHelpers(), ...env });
  printed.push(result.stdout, result.stderr);
  return result;
}

function dockerConfig(config: unknown): void {
  writeFileSync(join(site.dockerConfigDir, 'config.json'), JSON.stringify(config));
}

/** docker-credential-tktest on the PATH, doing `body` after logging how it was called. */
function helper(body: string): void {
  const path = join(helperDir, 'docker-credential-tktest');
  writeFileSync(path, `#!/bin/sh\nread server\necho "$1 $server" >> ${helperLog()}\n${body}\n`);
  chmodSync(path, 0o755);
}

const ANSWERING = (): string =>
  `[ "$server" = "${host()}" ] || { echo "credentials not found in native keychain"; exit 1; }\nprintf '{"ServerURL":"%s","Username":"tech","Secret":"${PASSWORD}"}' "$server"`;

const warningLines = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('tagkeeper: warning:'));
const b64 = (text: string) => Buffer.from(text).toString('base64');

test("without Docker's config the registry refuses: what follows is the config's doing", async () => {
  const result = await cli(['app', 'create', 'no-config', '--image', ref('1'), '--network', 'none']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /denied access to private without credentials/);
});

test('credentials only in DOCKER_CONFIG/config.json auths: the check and the pull use them', async () => {
  dockerConfig({ auths: { [host()]: { auth: b64(`tech:${PASSWORD}`) } } });
  const created = await cli(['app', 'create', 'cfg', '--image', ref('1'), '--network', 'none', '--json']);
  assert.equal(created.code, 0, created.stderr);
  assert.equal(created.json().services[0].latched.imageId, v1.configDigest, 'the engine pulled with the same credentials');

  const check = await cli(['check', 'cfg', '--json']);
  assert.equal(check.code, 0, check.stderr);
  const [service] = check.json().services;
  assert.equal(service.status, 'up-to-date');
  assert.deepEqual(service.source, { origin: site.registry.url, mirror: false });

  const listed = (await cli(['registries', '--json'])).json();
  assert.deepEqual(listed.credentials, [{ host: host(), username: 'tech', password: '••••••', source: 'docker config.json', inUse: true, problem: null }]);
  assert.equal(listed.status.dockerConfig, join(site.dockerConfigDir, 'config.json'));
  const shown = await cli(['settings', 'show']);
  assert.equal(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, new RegExp(`${host().replace(/\./g, '\\.')}\\s+tech\\s+••••••\\s+docker config\\.json\\s+yes`));
});

test('then only through a credential helper on the PATH: asked with the server on stdin, used by the check and the pull', async () => {
  const v2 = await publish(site, 'private', '2', 'docker-creds-v2');
  dockerConfig({ auths: { [host()]: {} }, credHelpers: { [host()]: 'tktest' } });
  helper(ANSWERING());
  rmSync(helperLog(), { force: true });

  const created = await cli(['app', 'create', 'helped', '--image', ref('2'), '--network', 'none', '--json']);
  assert.equal(created.code, 0, created.stderr);
  assert.equal(created.json().services[0].latched.imageId, v2.configDigest);
  const check = await cli(['check', 'helped', '--json']);
  assert.equal(check.code, 0, check.stderr);
  assert.equal(check.json().services[0].status, 'up-to-date');
  assert.deepEqual([...new Set(readFileSync(helperLog(), 'utf8').trim().split('\n'))], [`get ${host()}`]);

  const listed = (await cli(['registries', '--json'])).json();
  assert.deepEqual(listed.credentials, [{ host: host(), username: 'tech', password: '••••••', source: 'helper: tktest', inUse: true, problem: null }]);
});

test("the download-size preview and bundle export use the helper's login too", async () => {
  await publish(site, 'private', '2', 'docker-creds-v3');
  const check = await cli(['check', 'helped', '--json']);
  assert.equal(check.code, 0, check.stderr);
  assert.equal(check.json().services[0].status, 'update-available');
  const updates = await cli(['updates', '--app', 'helped', '--json']);
  assert.equal(updates.code, 0, updates.stderr);
  const [pending] = updates.json();
  assert.equal(pending.sizeError, null);
  assert.ok(pending.newBytes > 0, 'the preview read the new manifest from the registry');
  const file = join(helperDir, 'helped.tkbundle');
  const exported = await cli(['bundle', 'export', file, '--app', 'helped', '--latest', '--json']);
  assert.equal(exported.code, 0, exported.stderr);
});

describe('a helper that does not answer', () => {
  before(() => dockerConfig({ credHelpers: { [host()]: 'tktest' } }));

  test('failing: one line naming the helper and the registry, then the check goes on anonymously (and is refused)', async () => {
    helper('echo "tktest: the keychain is locked" >&2; exit 1');
    const check = await cli(['check', 'helped', '--json']);
    assert.equal(check.code, 1);
    assert.deepEqual(warningLines(check.stderr), [
      `tagkeeper: warning: credential helper docker-credential-tktest failed (exit 1: tktest: the keychain is locked) for registry ${host()}; going on without credentials`,
    ]);
    const [service] = check.json().services;
    assert.equal(service.error.code, 'registry-auth-failed');
    assert.match(service.error.message, /denied access to private without credentials/);

    const pulled = await cli(['app', 'create', 'refused', '--image', ref('1'), '--network', 'none']);
    assert.equal(pulled.code, 1);
    assert.equal(warningLines(pulled.stderr).length, 1);
    assert.match(pulled.stderr, /without credentials/);
  });

  test('failing, for a registry that allows anonymous pulls: the warning, and the pull goes on', async (t) => {
    const open = await registryForTest(t);
    const image = await publishTo(open, 'open', '1', 'docker-creds-open');
    dockerConfig({ credHelpers: { [host()]: 'tktest', [open.host]: 'tktest' } });
    const created = await cli(['app', 'create', 'anonymous', '--image', `${open.host}/open:1`, '--network', 'none', '--json']);
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.json().services[0].latched.imageId, image.configDigest);
    assert.match(warningLines(created.stderr)[0] ?? '', new RegExp(`docker-credential-tktest failed \\(exit 1: .*\\) for registry ${open.host.replace(/\./g, '\\.')}; going on without credentials$`));
    await cli(['app', 'delete', 'anonymous']);
    dockerConfig({ credHelpers: { [host()]: 'tktest' } });
  });

  test('hanging: given up on after its timeout, with the same kind of line', async () => {
    helper('sleep 60');
    const check = await cli(['check', 'helped', '--json']);
    assert.equal(check.code, 1);
    assert.deepEqual(warningLines(check.stderr), [
      `tagkeeper: warning: credential helper docker-credential-tktest gave no answer within 5 s for registry ${host()}; going on without credentials`,
    ]);
    assert.equal(check.json().services[0].error.code, 'registry-auth-failed');
  });

  test('missing from the PATH', async () => {
    dockerConfig({ credHelpers: { [host()]: 'tknothere' } });
    const check = await cli(['check', 'helped', '--json']);
    assert.equal(check.code, 1);
    assert.deepEqual(warningLines(check.stderr), [
      `tagkeeper: warning: credential helper docker-credential-tknothere is not installed (no docker-credential-tknothere on the PATH) for registry ${host()}; going on without credentials`,
    ]);
    const listed = (await cli(['registries', '--json'])).json();
    assert.equal(listed.credentials[0].inUse, false);
    assert.match(listed.credentials[0].problem, /is not installed/);
  });
});

test('an identity token in auths: Tagkeeper trades it for a token (OAuth2 POST) and so does the engine for its pull', async (t) => {
  const tokenRegistry = await registryForTest(t, { auth: 'token', username: 'tech', password: PASSWORD, identityToken: IDENTITY_TOKEN });
  const image = await publishTo(tokenRegistry, 'secure/app', '1', 'docker-creds-token');
  dockerConfig({ auths: { [tokenRegistry.host]: { auth: '', identitytoken: IDENTITY_TOKEN } } });
  tokenRegistry.clearTokenRequests();
  const created = await cli(['app', 'create', 'oauth', '--image', `${tokenRegistry.host}/secure/app:1`, '--network', 'none', '--json']);
  assert.equal(created.code, 0, created.stderr);
  assert.equal(created.json().services[0].latched.imageId, image.configDigest);
  const accounts = new Set(tokenRegistry.tokenRequests().filter((r) => r.status === 200).map((r) => r.account));
  assert.ok(accounts.has('oauth:tagkeeper'), `Tagkeeper traded the identity token: ${[...accounts].join(', ')}`);
  assert.ok([...accounts].some((a) => a !== 'oauth:tagkeeper' && a?.startsWith('oauth:')), `the engine traded it too: ${[...accounts].join(', ')}`);
  const listed = (await cli(['registries', '--json'])).json();
  assert.deepEqual(listed.credentials, [{ host: tokenRegistry.host, username: '<token>', password: '••••••', source: 'docker config.json', inUse: true, problem: null }]);
  await cli(['app', 'delete', 'oauth']);
});

test('no secret in any output, log, ledger, report or the store', async () => {
  const report = await cli(['report', '--json']);
  const ledger = await cli(['ledger', '--json']);
  assert.equal(report.code, 0, report.stderr);
  assert.equal(ledger.code, 0, ledger.stderr);
  const stored = readdirSync(site.dataDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(join(e.parentPath, e.name)).toString('latin1'));
  const places = { output: printed.join('\n'), engineLog: readFileSync(site.engine.logPath, 'utf8'), store: stored.join('\n') };
  for (const secret of [PASSWORD, IDENTITY_TOKEN, b64(`tech:${PASSWORD}`)]) {
    for (const [where, text] of Object.entries(places)) assert.ok(!text.includes(secret), `${secret} appears in the ${where}`);
  }
  assert.ok(places.output.includes('••••••'), 'the outputs did list the credentials, masked');
});

test("Tagkeeper's saved credentials win over Docker's", async () => {
  dockerConfig({ auths: { [host()]: { auth: b64('tech:not-the-password') } } });
  const refused = await cli(['check', 'cfg', '--json']);
  assert.equal(refused.code, 1);
  assert.match(refused.json().services[0].error.message, /with the configured credentials/, "Docker's (wrong) ones are used when Tagkeeper has none");

  const instance = site.open();
  try {
    await instance.client.call('registries:set', { host: host(), username: 'tech', password: PASSWORD });
  } finally {
    await instance.close();
  }
  const check = await cli(['check', 'cfg', '--json']);
  assert.equal(check.code, 0, check.stderr);
  assert.equal(check.json().services[0].status, 'up-to-date');
  const listed = (await cli(['registries', '--json'])).json();
  assert.deepEqual(
    listed.credentials.map((r: { source: string; inUse: boolean }) => [r.source, r.inUse]),
    [['Tagkeeper', true], ['docker config.json', false]],
  );
});
