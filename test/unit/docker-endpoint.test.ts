// The engine endpoint as the docker CLI picks it (main/engine/docker-host.ts, docker-context.ts):
// the order of --host, --context, DOCKER_HOST, DOCKER_CONTEXT, the current context and the
// default socket; context metadata and TLS files where the docker CLI keeps them (folders
// named by the sha256 of the context's name); TLS from the environment; the endpoint forms;
// the ssh command line (the docker CLI's, plus BatchMode). The same against real engines, TLS
// and sshd: test/integration/docker-endpoint.test.ts.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TagkeeperError } from '../../main/api/errors';
import { chooseEndpoint, parseHost } from '../../main/engine/docker-host';
import { sshArguments } from '../../main/engine/ssh-connection';

const home = mkdtempSync(join(tmpdir(), 'tk-endpoint-home-'));
after(() => rmSync(home, { recursive: true, force: true }));
const configDir = join(home, '.docker');

/** A context as `docker context create NAME --docker host=HOST[,skip-tls-verify=true]` writes it, with TLS files if given. */
function writeContext(dir: string, name: string, host: string, options: { skipTlsVerify?: boolean; tls?: ('ca' | 'cert' | 'key')[] } = {}): void {
  const key = createHash('sha256').update(name).digest('hex');
  mkdirSync(join(dir, 'contexts', 'meta', key), { recursive: true });
  const meta = { Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: options.skipTlsVerify ?? false } } };
  writeFileSync(join(dir, 'contexts', 'meta', key, 'meta.json'), JSON.stringify(meta));
  for (const role of options.tls ?? []) {
    mkdirSync(join(dir, 'contexts', 'tls', key, 'docker'), { recursive: true });
    writeFileSync(join(dir, 'contexts', 'tls', key, 'docker', `${role}.pem`), `${role}\n`);
  }
}

writeContext(configDir, 'lab', 'unix:///run/lab.sock');
writeContext(configDir, 'remote', 'tcp://box:2376', { tls: ['ca', 'cert', 'key'] });
writeContext(configDir, 'loose', 'tcp://box', { skipTlsVerify: true });
writeContext(configDir, 'far', 'ssh://me@box:2222');
writeContext(configDir, 'hostless', '');
const env = { HOME: home };

describe('which endpoint, in the docker CLI\'s order', () => {
  test('nothing set: the default socket', () => {
    assert.deepEqual(chooseEndpoint({}, env), { host: 'unix:///var/run/docker.sock', source: 'default socket', address: { kind: 'unix', socketPath: '/var/run/docker.sock' } });
  });

  test('--host, then --context, then DOCKER_HOST, then DOCKER_CONTEXT, then the current context', () => {
    writeFileSync(join(configDir, 'config.json'), JSON.stringify({ currentContext: 'lab', auths: {} }));
    try {
      const all = { ...env, DOCKER_HOST: 'tcp://from-env:2375', DOCKER_CONTEXT: 'far' };
      assert.deepEqual([chooseEndpoint({ host: 'unix:///given.sock' }, all).host, chooseEndpoint({ host: 'unix:///given.sock' }, all).source], ['unix:///given.sock', 'from --host']);
      assert.deepEqual([chooseEndpoint({ context: 'remote' }, all).host, chooseEndpoint({ context: 'remote' }, all).source.split(';')[0]], ['tcp://box:2376', 'from --context remote']);
      assert.equal(chooseEndpoint({}, all).host, 'tcp://from-env:2375');
      assert.equal(chooseEndpoint({}, all).source, 'from DOCKER_HOST (DOCKER_CONTEXT=far is ignored when DOCKER_HOST is set, as by the docker CLI)');
      assert.deepEqual([chooseEndpoint({}, { ...env, DOCKER_CONTEXT: 'far' }).host, chooseEndpoint({}, { ...env, DOCKER_CONTEXT: 'far' }).source], ['ssh://me@box:2222', 'from DOCKER_CONTEXT=far']);
      assert.deepEqual([chooseEndpoint({}, env).host, chooseEndpoint({}, env).source], ['unix:///run/lab.sock', 'from the current context "lab" in ~/.docker/config.json']);
      // The context named "default" is the default socket, whatever the current context.
      assert.equal(chooseEndpoint({}, { ...env, DOCKER_CONTEXT: 'default' }).source, 'default socket (from DOCKER_CONTEXT=default)');
    } finally {
      rmSync(join(configDir, 'config.json'));
    }
  });

  test('DOCKER_CONFIG moves the config folder, contexts with it', () => {
    const other = join(home, 'elsewhere');
    writeContext(other, 'lab', 'unix:///run/elsewhere.sock');
    writeFileSync(join(other, 'config.json'), JSON.stringify({ currentContext: 'lab' }));
    assert.equal(chooseEndpoint({}, { ...env, DOCKER_CONFIG: other }).host, 'unix:///run/elsewhere.sock');
    assert.equal(chooseEndpoint({}, { ...env, DOCKER_CONFIG: other }).source, 'from the current context "lab" in ~/elsewhere/config.json');
  });

  test('a config.json that is not JSON is passed over, as the docker CLI does, and said', () => {
    writeFileSync(join(configDir, 'config.json'), '{ not json');
    try {
      const chosen = chooseEndpoint({}, env);
      assert.equal(chosen.host, 'unix:///var/run/docker.sock');
      assert.match(chosen.source, /^default socket \(.*\/\.docker\/config\.json is not valid JSON \(.*\), so its current context was not read\)$/);
    } finally {
      rmSync(join(configDir, 'config.json'));
    }
  });

  test('a context names its TLS material; SkipTLSVerify turns verification off; no host means the default socket', () => {
    const remote = chooseEndpoint({ context: 'remote' }, env);
    const tlsDir = join(configDir, 'contexts', 'tls', createHash('sha256').update('remote').digest('hex'), 'docker');
    assert.deepEqual(remote.address, { kind: 'tcp', host: 'box', port: 2376, tls: { verify: true, files: { ca: join(tlsDir, 'ca.pem'), cert: join(tlsDir, 'cert.pem'), key: join(tlsDir, 'key.pem') } } });
    assert.equal(remote.source, "from --context remote; TLS with the context's certificates (the engine's certificate is verified)");
    const loose = chooseEndpoint({ context: 'loose' }, env);
    assert.deepEqual(loose.address, { kind: 'tcp', host: 'box', port: 2376, tls: { verify: false, files: {} } }, 'TLS, so the TLS port by default');
    assert.match(loose.source, /NOT verified: SkipTLSVerify/);
    // The environment's TLS settings are not a context's.
    assert.deepEqual(chooseEndpoint({ context: 'lab' }, { ...env, DOCKER_TLS_VERIFY: '1' }).address, { kind: 'unix', socketPath: '/run/lab.sock' });
    assert.deepEqual(chooseEndpoint({ context: 'hostless' }, env).address, { kind: 'unix', socketPath: '/var/run/docker.sock' });
  });

  test('a context that is not there or cannot be read: invalid-settings naming it, how it was chosen, and what to do', () => {
    assert.throws(() => chooseEndpoint({}, { ...env, DOCKER_CONTEXT: 'nowhere' }), (error: unknown) => {
      assert.ok(error instanceof TagkeeperError);
      assert.equal(error.code, 'invalid-settings');
      assert.match(error.message, /^Docker context "nowhere" \(from DOCKER_CONTEXT=nowhere\) not found: there is no .*\/contexts\/meta\/[0-9a-f]{64}\/meta\.json$/);
      assert.match(error.hint ?? '', /docker context ls/);
      return true;
    });
    const key = createHash('sha256').update('broken').digest('hex');
    mkdirSync(join(configDir, 'contexts', 'meta', key), { recursive: true });
    writeFileSync(join(configDir, 'contexts', 'meta', key, 'meta.json'), 'nope');
    assert.throws(() => chooseEndpoint({ context: 'broken' }, env), /Docker context "broken" \(from --context broken\) cannot be read: .* is not valid JSON/);
    assert.throws(() => chooseEndpoint({ host: 'unix:///a', context: 'lab' }, env), (error: unknown) => error instanceof TagkeeperError && error.code === 'invalid-input' && /name two engines/.test(error.message));
  });
});

describe('TLS from the environment, for a host given directly', () => {
  const certs = join(home, 'certs');
  mkdirSync(certs, { recursive: true });
  writeFileSync(join(certs, 'ca.pem'), 'ca');
  writeFileSync(join(certs, 'cert.pem'), 'cert');

  test('DOCKER_TLS_VERIFY: TLS, verified, with the files of DOCKER_CERT_PATH that exist; the port defaults to 2376', () => {
    const chosen = chooseEndpoint({}, { ...env, DOCKER_HOST: 'tcp://box', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs });
    assert.deepEqual(chosen.address, { kind: 'tcp', host: 'box', port: 2376, tls: { verify: true, files: { ca: join(certs, 'ca.pem'), cert: join(certs, 'cert.pem') } } });
    assert.equal(chosen.source, "from DOCKER_HOST; TLS with the certificates in ~/certs (the engine's certificate is verified)");
  });

  test('DOCKER_TLS alone: TLS without verification; the certificates default to the config folder', () => {
    const chosen = chooseEndpoint({ host: 'tcp://box:1234' }, { ...env, DOCKER_TLS: '1' });
    assert.deepEqual(chosen.address, { kind: 'tcp', host: 'box', port: 1234, tls: { verify: false, files: {} } });
    assert.equal(chosen.source, "from --host; TLS with the certificates in ~/.docker (the engine's certificate is NOT verified: DOCKER_TLS without DOCKER_TLS_VERIFY)");
  });

  test('no TLS variable: plain HTTP on 2375', () => {
    assert.deepEqual(chooseEndpoint({ host: 'tcp://box' }, env).address, { kind: 'tcp', host: 'box', port: 2375, tls: null });
  });
});

describe('endpoint forms', () => {
  test('unix, tcp (also http:// and a bare host:port, IPv6 in brackets), ssh with user, port and socket path', () => {
    assert.deepEqual(parseHost('unix://', null, 'x'), { kind: 'unix', socketPath: '/var/run/docker.sock' });
    assert.deepEqual(parseHost('tcp://[::1]:2380', null, 'x'), { kind: 'tcp', host: '::1', port: 2380, tls: null });
    assert.deepEqual(parseHost('http://10.0.0.2:2375', null, 'x'), { kind: 'tcp', host: '10.0.0.2', port: 2375, tls: null });
    assert.deepEqual(parseHost('box:2375', null, 'x'), { kind: 'tcp', host: 'box', port: 2375, tls: null });
    assert.deepEqual(parseHost('ssh://box', null, 'x'), { kind: 'ssh', user: null, host: 'box', port: null, socketPath: null });
    assert.deepEqual(parseHost('ssh://me@box:2222/run/user/1000/docker.sock', null, 'x'), { kind: 'ssh', user: 'me', host: 'box', port: 2222, socketPath: '/run/user/1000/docker.sock' });
  });

  test('what cannot be used is refused with the reason and the forms that can', () => {
    const refused: [string, RegExp][] = [
      ['unix://relative.sock', /a unix socket path must be absolute/],
      ['npipe:////./pipe/docker_engine', /the scheme npipe:\/\/ is not one of unix, tcp, ssh/],
      ['ssh://me:secret@box', /a password in the address is not supported/],
      ['tcp://box:2375/path', /a tcp endpoint has no path/],
      ['tcp://box:2375?x=1', /it has a query or fragment/],
    ];
    for (const [host, reason] of refused) {
      assert.throws(() => parseHost(host, null, 'from DOCKER_HOST'), (error: unknown) => {
        assert.ok(error instanceof TagkeeperError, host);
        assert.equal(error.code, 'invalid-settings');
        assert.ok(error.message.startsWith(`Docker Engine endpoint "${host}" (from DOCKER_HOST) is not supported: `), error.message);
        assert.match(error.message, reason);
        assert.match(error.hint ?? '', /unix:\/\/\/path\/to\/docker\.sock, tcp:\/\/host:port .* or ssh:\/\/user@host\[:port\]/);
        return true;
      });
    }
  });

  test('ssh runs what the docker CLI runs (the remote socket through docker --host), never prompting', () => {
    assert.deepEqual(sshArguments({ kind: 'ssh', user: null, host: 'box', port: null, socketPath: null }), [
      '-o', 'ConnectTimeout=30', '-o', 'BatchMode=yes', '-T', '--', 'box', 'docker', 'system', 'dial-stdio',
    ]);
    assert.deepEqual(sshArguments({ kind: 'ssh', user: 'me', host: 'box', port: 2222, socketPath: '/run/d.sock' }), [
      '-o', 'ConnectTimeout=30', '-o', 'BatchMode=yes', '-T', '-l', 'me', '-p', '2222', '--', 'box', 'docker', '--host', 'unix:///run/d.sock', 'system', 'dial-stdio',
    ]);
  });
});
