/**
 * Docker's config.json and credential helpers as the docker CLI reads them: the file's
 * `auths` (base64 user:password, identity tokens), `credsStore` and `credHelpers` (which
 * wins), Docker Hub's key, and real helper scripts that answer, hold nothing, fail, hang or
 * are missing (each failure one warning line naming the helper and the registry; no secret).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerConfigPath, hostOfKey, keyFor, parseDockerConfig } from '../../main/registry/docker-config';
import { DockerCredentials } from '../../main/registry/docker-credentials';
import { helperGet } from '../../main/registry/credential-helper';

const b64 = (text: string) => Buffer.from(text).toString('base64');
const SECRET = 'sécret:with:colons';

describe("Docker's config file", () => {
  test('auths: base64 user:password split at the first colon; identitytoken; entries without credentials', () => {
    const config = parseDockerConfig(
      JSON.stringify({
        auths: {
          'https://index.docker.io/v1/': { auth: b64(`hubuser:${SECRET}`) },
          'ghcr.io': { auth: '', identitytoken: 'refresh-123' },
          'quay.io': {},
        },
        credsStore: 'desktop',
        credHelpers: { '127.0.0.1:5000': 'tktest', 'bad.example': '' },
      }),
      '/x/config.json',
    );
    assert.deepEqual(config.auths['https://index.docker.io/v1/'], { username: 'hubuser', password: SECRET });
    assert.deepEqual(config.auths['ghcr.io'], { username: '<token>', password: '', identityToken: 'refresh-123' });
    assert.equal(config.auths['quay.io'], null);
    assert.equal(config.credsStore, 'desktop');
    assert.deepEqual(config.credHelpers, { '127.0.0.1:5000': 'tktest' });
    assert.equal(config.problem, null);
  });

  test('a file that is not JSON: its logins are not used, and the line says which file', () => {
    const config = parseDockerConfig('{ "auths": ', '/home/u/.docker/config.json');
    assert.deepEqual(config.auths, {});
    assert.match(config.problem ?? '', /^Docker's config \/home\/u\/\.docker\/config\.json is not valid JSON .*; its registry logins are not used$/);
  });

  test("keys: Docker Hub's v1 URL, plain hosts, and older keys written as URLs", () => {
    assert.equal(hostOfKey('https://index.docker.io/v1/'), 'docker.io');
    assert.equal(hostOfKey('index.docker.io'), 'docker.io');
    assert.equal(hostOfKey('http://127.0.0.1:5000/v2/'), '127.0.0.1:5000');
    assert.equal(keyFor(['docker.io', 'https://index.docker.io/v1/'], 'docker.io'), 'https://index.docker.io/v1/');
    assert.equal(keyFor(['https://127.0.0.1:5000'], '127.0.0.1:5000'), 'https://127.0.0.1:5000');
    assert.equal(keyFor(['127.0.0.1:5001'], '127.0.0.1:5000'), undefined);
  });

  test('where the file is: $DOCKER_CONFIG/config.json, else ~/.docker/config.json', () => {
    assert.equal(dockerConfigPath({ DOCKER_CONFIG: '/etc/tk-docker' }), '/etc/tk-docker/config.json');
    assert.match(dockerConfigPath({}), /\/\.docker\/config\.json$/);
  });
});

describe('credential helpers (real scripts on the PATH)', () => {
  let dir: string;
  let savedPath: string | undefined;
  const warnings: string[] = [];
  const configPath = () => join(dir, 'config.json');
  const writeConfig = (config: unknown) => writeFileSync(configPath(), JSON.stringify(config));
  const helper = (name: string, body: string) => {
    const path = join(dir, 'bin', `docker-credential-${name}`);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
  };
  const credentials = (helperTimeoutMs = 2000) => new DockerCredentials({ configPath, helperTimeoutMs, warn: (line) => warnings.push(line) });

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tk-docker-creds-'));
    mkdirSync(join(dir, 'bin'));
    savedPath = process.env.PATH;
    process.env.PATH = `${join(dir, 'bin')}:${process.env.PATH ?? ''}`;
    // Answers for 127.0.0.1:5000 only, after checking that the server address came on stdin.
    helper('tktest', `read server\n[ "$1" = get ] || exit 3\nif [ "$server" = "127.0.0.1:5000" ]; then echo '{"ServerURL":"127.0.0.1:5000","Username":"helperuser","Secret":"${SECRET}"}'; exit 0; fi\necho "credentials not found in native keychain"; exit 1`);
    helper('tktoken', `read server\necho '{"ServerURL":"'"$server"'","Username":"<token>","Secret":"refresh-xyz"}'`);
    helper('tkfail', 'echo "tkfail: the store is locked" >&2; exit 4');
    helper('tkhang', 'sleep 30');
    helper('tkgarbage', `echo "not json ${SECRET}"`);
    helper('tklist', `[ "$1" = list ] && echo '{"https://index.docker.io/v1/":"hubber","127.0.0.1:6000":"other"}' && exit 0\nread server\necho '{"ServerURL":"x","Username":"hubber","Secret":"${SECRET}"}'`);
  });
  after(() => {
    process.env.PATH = savedPath;
    rmSync(dir, { recursive: true, force: true });
  });

  test('the helper protocol: the server address on stdin, {Username, Secret} back; <token> is an identity token', async () => {
    assert.deepEqual(await helperGet('tktest', '127.0.0.1:5000'), { kind: 'found', username: 'helperuser', secret: SECRET, identityToken: false });
    assert.deepEqual(await helperGet('tktest', 'ghcr.io'), { kind: 'none' }, '"credentials not found" is no credentials, not a failure');
    assert.deepEqual(await helperGet('tktoken', 'ghcr.io'), { kind: 'found', username: '<token>', secret: 'refresh-xyz', identityToken: true });
  });

  test('credHelpers wins over credsStore, credsStore over auths; the auths entry is used when no helper is set', async () => {
    warnings.length = 0;
    writeConfig({ auths: { '127.0.0.1:5000': { auth: b64('fileuser:filepass') }, 'reg.lan': { auth: b64('lanuser:lanpass') } }, credHelpers: { '127.0.0.1:5000': 'tktest' } });
    const creds = credentials();
    assert.deepEqual(await creds.find('127.0.0.1:5000'), { username: 'helperuser', password: SECRET, source: 'helper: tktest' });
    assert.deepEqual(await creds.find('reg.lan'), { username: 'lanuser', password: 'lanpass', source: 'docker config.json' });
    assert.equal(await creds.find('ghcr.io'), null);
    writeConfig({ auths: { 'reg.lan': { auth: b64('lanuser:lanpass') } }, credsStore: 'tktoken' });
    assert.deepEqual(await creds.find('reg.lan'), { username: '<token>', password: '', identityToken: 'refresh-xyz', source: 'helper: tktoken' }, 'the config was read again');
    assert.deepEqual(warnings, []);
  });

  test('a helper that fails, hangs, is missing or answers garbage gives no credentials and one line naming it and the registry', async () => {
    warnings.length = 0;
    writeConfig({ credHelpers: { 'fail.lan': 'tkfail', 'hang.lan': 'tkhang', 'gone.lan': 'tknothere', 'junk.lan': 'tkgarbage' } });
    const creds = credentials(300);
    const started = Date.now();
    assert.equal(await creds.find('fail.lan'), null);
    assert.equal(await creds.find('hang.lan'), null);
    assert.ok(Date.now() - started < 10_000, 'the hanging helper was given up on');
    assert.equal(await creds.find('gone.lan'), null);
    assert.equal(await creds.find('junk.lan'), null);
    assert.equal(await creds.find('fail.lan'), null, 'asked again: the answer is kept, no second warning');
    assert.deepEqual(warnings, [
      'credential helper docker-credential-tkfail failed (exit 4: tkfail: the store is locked) for registry fail.lan; going on without credentials',
      'credential helper docker-credential-tkhang gave no answer within 300 ms for registry hang.lan; going on without credentials',
      'credential helper docker-credential-tknothere is not installed (no docker-credential-tknothere on the PATH) for registry gone.lan; going on without credentials',
      "credential helper docker-credential-tkgarbage answered with something other than the helper protocol's JSON for registry junk.lan; going on without credentials",
    ]);
    assert.ok(warnings.every((line) => !line.includes(SECRET)), 'what a helper printed on stdout is never repeated');
  });

  test('the listing: every registry with its user and source, never a secret; a failing helper says why', async () => {
    warnings.length = 0;
    writeConfig({ credsStore: 'tklist', credHelpers: { '127.0.0.1:5000': 'tktest', 'fail.lan': 'tkfail' } });
    const listed = await credentials().list();
    assert.deepEqual(listed, [
      { host: '127.0.0.1:5000', username: 'helperuser', source: 'helper: tktest', problem: null },
      { host: '127.0.0.1:6000', username: 'other', source: 'helper: tklist', problem: null },
      { host: 'docker.io', username: 'hubber', source: 'helper: tklist', problem: null },
      { host: 'fail.lan', username: null, source: 'helper: tkfail', problem: 'credential helper docker-credential-tkfail failed (exit 4: tkfail: the store is locked) for registry fail.lan' },
    ]);
    assert.ok(!JSON.stringify(listed).includes(SECRET));
  });

  test('no config file at all: no credentials, nothing to warn about', async () => {
    rmSync(configPath(), { force: true });
    warnings.length = 0;
    const creds = credentials();
    assert.equal(await creds.find('docker.io'), null);
    assert.deepEqual(await creds.list(), []);
    assert.deepEqual(warnings, []);
  });
});
