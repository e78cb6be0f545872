/**
 * RegistryClient against a REAL registry (Debian's docker-registry, started by the test
 * helper): HEAD/GET of Docker and OCI manifests and indexes, digest checks, errors, Basic and
 * Bearer auth (real signed tokens), connection reuse, and retries through a loopback proxy
 * that injects faults in front of the real registry.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TagkeeperError, type ErrorCode } from '../../main/api/errors';
import { DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, OCI_INDEX, OCI_MANIFEST, parseManifest } from '../../main/core/model/manifest';
import { selectPlatform } from '../../main/core/model/platform';
import { RegistryClient, type RegistryClientOptions } from '../../main/registry/registry-client';
import type { RequestEvent } from '../../main/registry/transport';
import { before } from '../helpers/hooks';
import { buildImage, publishTo, pushImage, pushIndex, sha256, type BuiltImage } from '../helpers/image-builder';
import { startFaultProxy, useFaultProxy } from '../helpers/registry-fault-proxy';
import { registryForTest, useRegistry } from '../helpers/site';

const T = { timeout: 60_000 };
const FAST: RegistryClientOptions = { backoff: { baseMs: 10, maxMs: 50 } };

async function expectCode(promise: Promise<unknown>, code: ErrorCode, pattern?: RegExp): Promise<TagkeeperError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof TagkeeperError, `expected TagkeeperError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (pattern) assert.match(error.message, pattern);
    assert.ok(!error.message.includes('\n'), 'one-line message');
    return error;
  }
  assert.fail(`expected ${code}, but it succeeded`);
}

// ---- fixtures ----------------------------------------------------------------------------

const reg = useRegistry();
let schema2: BuiltImage;
let oci: BuiltImage;
let amd64: BuiltImage;
let arm64: BuiltImage;
let armv7: BuiltImage;
let listDigest: string;
let ociIndexDigest: string;

before(async () => {
  schema2 = await buildImage({ marker: 'schema2' });
  oci = await buildImage({ marker: 'oci', oci: true });
  amd64 = await buildImage({ marker: 'multi' });
  arm64 = await buildImage({ marker: 'multi', architecture: 'arm64' });
  armv7 = await buildImage({ marker: 'multi', architecture: 'arm', variant: 'v7' });
  await pushImage(reg.url, 'app', 'dev', schema2);
  await pushImage(reg.url, 'team/oci-app', 'v1', oci);
  listDigest = await pushIndex(reg.url, 'multi', 'latest', [amd64, arm64, armv7]);
  const ociAmd = await buildImage({ marker: 'ociidx', oci: true });
  const ociS390 = await buildImage({ marker: 'ociidx', oci: true, architecture: 's390x' });
  ociIndexDigest = await pushIndex(reg.url, 'ociidx', 'latest', [ociAmd, ociS390], { oci: true });
});

const repo = (path: string, r: { host: string } = reg) => ({ domain: r.host, path });

describe('manifests from an open registry', () => {
  test('HEAD by tag of a Docker v2 image: digest, type and size from headers, HEAD only', T, async () => {
    const client = new RegistryClient();
    reg.clearRequests();
    const d = await client.headManifest(repo('app'), 'dev');
    assert.deepEqual(d, { digest: schema2.manifestDigest, mediaType: DOCKER_MANIFEST, size: schema2.manifest.length, source: { origin: reg.url, mirror: false } });
    assert.deepEqual(reg.requests(), [{ method: 'HEAD', path: '/v2/app/manifests/dev', status: 200, bytes: schema2.manifest.length }]);
    await client.close();
  });

  test('HEAD by tag of an OCI image in a nested repository', T, async () => {
    const client = new RegistryClient();
    const d = await client.headManifest(repo('team/oci-app'), 'v1');
    assert.deepEqual(d, { digest: oci.manifestDigest, mediaType: OCI_MANIFEST, size: oci.manifest.length, source: { origin: reg.url, mirror: false } });
    await client.close();
  });

  test('HEAD and GET of a manifest list; platform selection; HEAD of the chosen manifest', T, async () => {
    const client = new RegistryClient();
    reg.clearRequests();
    const head = await client.headManifest(repo('multi'), 'latest');
    assert.equal(head.digest, listDigest);
    assert.equal(head.mediaType, DOCKER_MANIFEST_LIST);
    const list = await client.getManifest(repo('multi'), head.digest);
    assert.equal(sha256(list.bytes), listDigest);
    const parsed = parseManifest(list.bytes, list.mediaType);
    assert.ok(parsed.kind === 'index');
    assert.equal(selectPlatform(parsed, { os: 'linux', architecture: 'arm64' }).digest, arm64.manifestDigest);
    assert.equal(selectPlatform(parsed, { os: 'linux', architecture: 'arm', variant: 'v7' }).digest, armv7.manifestDigest);
    const chosen = await client.headManifest(repo('multi'), arm64.manifestDigest);
    assert.equal(chosen.digest, arm64.manifestDigest);
    assert.deepEqual(
      reg.requests().map((r) => r.method),
      ['HEAD', 'GET', 'HEAD'],
      'manifests only: no blob requests',
    );
    assert.ok(reg.requests().every((r) => r.path.startsWith('/v2/multi/manifests/')));
    await client.close();
  });

  test('HEAD and GET of an OCI index', T, async () => {
    const client = new RegistryClient();
    const head = await client.headManifest(repo('ociidx'), 'latest');
    assert.deepEqual([head.digest, head.mediaType], [ociIndexDigest, OCI_INDEX]);
    const got = await client.getManifest(repo('ociidx'), 'latest');
    assert.equal(got.digest, ociIndexDigest);
    assert.equal(got.size, got.bytes.byteLength);
    assert.equal(got.mediaType, OCI_INDEX);
    await client.close();
  });

  test('GET by digest returns the verified bytes', T, async () => {
    const client = new RegistryClient();
    const got = await client.getManifest(repo('app'), schema2.manifestDigest);
    assert.deepEqual(Buffer.from(got.bytes), schema2.manifest);
    assert.equal(got.digest, schema2.manifestDigest);
    assert.equal(got.mediaType, DOCKER_MANIFEST);
    await client.close();
  });

  test('unknown tag, unknown digest and unknown repository → manifest-unknown', T, async () => {
    const client = new RegistryClient();
    const e = await expectCode(client.headManifest(repo('app'), 'nope'), 'manifest-unknown', new RegExp(`^no manifest for ${reg.host}/app:nope`));
    assert.match(e.hint ?? '', /pushed/);
    await expectCode(client.getManifest(repo('app'), 'nope'), 'manifest-unknown', /MANIFEST_UNKNOWN/);
    await expectCode(client.headManifest(repo('app'), `sha256:${'1'.repeat(64)}`), 'manifest-unknown', /app@sha256:1111/);
    await expectCode(client.headManifest(repo('does/not/exist'), 'latest'), 'manifest-unknown');
    await client.close();
  });

  test('a manifest larger than maxManifestBytes → manifest-too-large (declared or streamed)', T, async () => {
    const client = new RegistryClient({ maxManifestBytes: 100 });
    await expectCode(client.getManifest(repo('app'), 'dev'), 'manifest-too-large', /larger than 100 bytes/);
    const proxy = await startFaultProxy(reg);
    proxy.faults = ['chunked'];
    await expectCode(client.getManifest(repo('app', proxy), 'dev'), 'manifest-too-large');
    await proxy.close();
    await client.close();
  });
});

describe('digest verification (through a tampering proxy)', () => {
  const proxy = useFaultProxy(() => reg);

  test('GET by digest whose bytes were changed → digest-mismatch', T, async () => {
    const client = new RegistryClient();
    proxy.faults = ['tamper-body'];
    await expectCode(client.getManifest(repo('app', proxy), schema2.manifestDigest), 'digest-mismatch', new RegExp(`expected ${schema2.manifestDigest}`));
    await client.close();
  });

  test('GET by tag whose bytes disagree with Docker-Content-Digest → digest-mismatch', T, async () => {
    const client = new RegistryClient();
    proxy.faults = ['tamper-body'];
    await expectCode(client.getManifest(repo('app', proxy), 'dev'), 'digest-mismatch', /Docker-Content-Digest/);
    await client.close();
  });

  test('HEAD by digest with a different Docker-Content-Digest → digest-mismatch', T, async () => {
    const client = new RegistryClient();
    proxy.faults = ['wrong-digest'];
    await expectCode(client.headManifest(repo('app', proxy), schema2.manifestDigest), 'digest-mismatch');
    await client.close();
  });

  test('HEAD without Docker-Content-Digest falls back to GET and hashes the body', T, async () => {
    const client = new RegistryClient();
    proxy.hits.length = 0;
    proxy.faults = ['strip-digest', 'strip-digest'];
    const d = await client.headManifest(repo('app', proxy), 'dev');
    assert.equal(d.digest, schema2.manifestDigest);
    assert.deepEqual(proxy.hits.map((h) => h.method), ['HEAD', 'GET']);
    await client.close();
  });
});

describe('auth', () => {
  test('Basic: good credentials work, the challenge is remembered', T, async (t) => {
    const basic = await registryForTest(t, { auth: 'basic', username: 'alice', password: 'pa:ss,word"1' });
    const img = await publishTo(basic, 'private', 'v1', 'basic');
    basic.clearRequests();
    const client = new RegistryClient({ credentials: (d) => (d === basic.host ? { username: 'alice', password: 'pa:ss,word"1' } : undefined) });
    for (let i = 0; i < 3; i++) assert.equal((await client.headManifest(repo('private', basic), 'v1')).digest, img.manifestDigest);
    assert.deepEqual(
      basic.requests().map((r) => r.status),
      [401, 200, 200, 200],
      'one 401, then straight to auth',
    );
    await client.close();

    const wrong = new RegistryClient({ credentials: () => ({ username: 'alice', password: 'not-the-password' }) });
    const e = await expectCode(wrong.headManifest(repo('private', basic), 'v1'), 'registry-auth-failed', /configured credentials/);
    assert.ok(!e.message.includes('not-the-password') && !(e.hint ?? '').includes('not-the-password'));
    await wrong.close();

    const none = new RegistryClient();
    await expectCode(none.headManifest(repo('private', basic), 'v1'), 'registry-auth-failed', /without credentials/);
    await none.ping(basic.host); // reachable, nothing to verify
    await none.close();
    const pinger = new RegistryClient({ credentials: () => ({ username: 'alice', password: 'nope' }) });
    await expectCode(pinger.ping(basic.host), 'registry-auth-failed', /rejected the configured credentials/);
    await pinger.close();
  });

  test('Bearer: a real signed token is fetched once, cached and shared across HEADs', T, async (t) => {
    const tokenReg = await registryForTest(t, { auth: 'token', username: 'bob', password: 's3cret' });
    const img = await publishTo(tokenReg, 'secure/app', 'v1', 'token');
    tokenReg.clearRequests();
    tokenReg.clearTokenRequests();
    const client = new RegistryClient({ credentials: () => ({ username: 'bob', password: 's3cret' }) });
    for (let i = 0; i < 3; i++) assert.equal((await client.headManifest(repo('secure/app', tokenReg), 'v1')).digest, img.manifestDigest);
    const concurrent = await Promise.all(Array.from({ length: 20 }, () => client.headManifest(repo('secure/app', tokenReg), 'v1')));
    assert.ok(concurrent.every((d) => d.digest === img.manifestDigest));
    assert.deepEqual(tokenReg.tokenRequests(), [
      { scope: 'repository:secure/app:pull', service: 'tagkeeper-test-registry', account: 'bob', status: 200 },
    ]);
    const statuses = tokenReg.requests().map((r) => r.status);
    assert.deepEqual(statuses, [401, ...Array<number>(23).fill(200)]);
    assert.ok(tokenReg.requests().every((r) => r.method === 'HEAD'));
    await client.ping(tokenReg.host);
    await client.close();

    // Concurrent first requests of a fresh client: each meets the challenge, one token request.
    tokenReg.clearTokenRequests();
    const fresh = new RegistryClient({ credentials: () => ({ username: 'bob', password: 's3cret' }) });
    await Promise.all(Array.from({ length: 10 }, () => fresh.getManifest(repo('secure/app', tokenReg), 'v1')));
    assert.equal(tokenReg.tokenRequests().length, 1);
    await fresh.close();

    const wrong = new RegistryClient({ credentials: () => ({ username: 'bob', password: 'wrong' }) });
    const e = await expectCode(wrong.headManifest(repo('secure/app', tokenReg), 'v1'), 'registry-auth-failed', /rejected the configured credentials/);
    assert.ok(!e.message.includes('wrong'));
    await wrong.close();

    const anonymous = new RegistryClient();
    await expectCode(anonymous.headManifest(repo('secure/app', tokenReg), 'v1'), 'registry-auth-failed', /denied access to secure\/app without credentials/);
    await anonymous.close();
  });

  test('Bearer: anonymous pull from an open token server', T, async (t) => {
    const open = await registryForTest(t, { auth: 'token' });
    const img = await publishTo(open, 'pub', 'v1', 'anon');
    open.clearTokenRequests();
    const client = new RegistryClient();
    assert.equal((await client.getManifest(repo('pub', open), 'v1')).digest, img.manifestDigest);
    assert.equal((await client.headManifest(repo('pub', open), 'v1')).digest, img.manifestDigest);
    assert.deepEqual(open.tokenRequests().map((t) => [t.scope, t.account]), [['repository:pub:pull', null]]);
    await client.close();
  });
});

describe('connections and failures', () => {
  test('200 concurrent HEADs reuse a bounded set of keep-alive connections', T, async () => {
    const client = new RegistryClient({ concurrency: 8 });
    reg.clearRequests();
    const results = await Promise.all(Array.from({ length: 200 }, () => client.headManifest(repo('app'), 'dev')));
    assert.ok(results.every((d) => d.digest === schema2.manifestDigest));
    const stats = client.stats();
    assert.equal(stats.requests.HEAD, 200);
    assert.ok(stats.connectionsOpened >= 1 && stats.connectionsOpened <= 8, `opened ${stats.connectionsOpened} connections`);
    const seen = reg.requests();
    assert.equal(seen.length, 200);
    assert.ok(seen.every((r) => r.method === 'HEAD' && r.path === '/v2/app/manifests/dev'), 'HEAD only, no blob GET');
    await client.close();
  });

  test('registry stopped → registry-unreachable naming the URL, with the hint; back after resume', T, async (t) => {
    const outage = await registryForTest(t);
    const img = await publishTo(outage, 'app', 'v1', 'outage');
    const client = new RegistryClient({ ...FAST, timeoutMs: 1000, maxRetries: 2 });
    await outage.pause();
    const e = await expectCode(
      client.headManifest(repo('app', outage), 'v1'),
      'registry-unreachable',
      new RegExp(`HEAD http://${outage.host}/v2/app/manifests/v1 failed after 3 attempts \\(connection refused\\)`),
    );
    assert.equal(e.hint, 'check the network or the registry; with pull policy always the app will not start without it');
    await outage.resume();
    assert.equal((await client.headManifest(repo('app', outage), 'v1')).digest, img.manifestDigest);
    await outage.restart();
    assert.equal((await client.headManifest(repo('app', outage), 'v1')).digest, img.manifestDigest, 'storage kept across restart');
    await client.close();
  });

  test('unresolvable host → registry-unreachable at once', T, async () => {
    const client = new RegistryClient({ ...FAST, timeoutMs: 5000 });
    await expectCode(client.headManifest({ domain: 'registry.invalid', path: 'x' }, 'latest'), 'registry-unreachable', /registry\.invalid/);
    await client.close();
  });
});

describe('retries through a fault-injecting proxy', () => {
  const proxy = useFaultProxy(() => reg);
  let events: RequestEvent[];
  const client = (extra: RegistryClientOptions = {}): RegistryClient =>
    new RegistryClient({ ...FAST, timeoutMs: 2000, onRequest: (e) => events.push(e), ...extra });

  const reset = (): void => {
    proxy.hits.length = 0;
    events = [];
    reg.clearRequests();
  };

  test('429 with Retry-After (seconds) is honoured, then the request succeeds', T, async () => {
    reset();
    // Back-off so long that the test could only finish by honouring Retry-After.
    const c = client({ backoff: { baseMs: 600_000, maxMs: 600_000 } });
    proxy.faults = [{ status: 429, headers: { 'retry-after': '1' } }, { status: 503, headers: { 'retry-after': new Date(Date.now() + 1000).toUTCString() } }];
    assert.equal((await c.headManifest(repo('app', proxy), 'dev')).digest, schema2.manifestDigest);
    assert.deepEqual(events.map((e) => [e.status, e.attempt]), [
      [429, 1],
      [503, 2],
      [200, 3],
    ]);
    assert.equal(reg.requests().length, 1, 'only the last attempt reached the registry');
    await c.close();
  });

  test('5xx without Retry-After: exponential back-off, then registry-error after maxRetries', T, async () => {
    reset();
    const c = client({ maxRetries: 2 });
    proxy.faults = [{ status: 500 }, { status: 502 }];
    assert.equal((await c.getManifest(repo('app', proxy), 'dev')).digest, schema2.manifestDigest);
    assert.deepEqual(events.map((e) => e.status), [500, 502, 200]);
    reset();
    proxy.faults = [{ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }];
    await expectCode(c.headManifest(repo('app', proxy), 'dev'), 'registry-error', /answered 500 .* after 3 attempts/);
    assert.equal(proxy.hits.length, 3);
    proxy.faults = [];
    await c.close();
  });

  test('connection reset and a hung request are retried', T, async () => {
    reset();
    const c = client({ timeoutMs: 500 });
    proxy.faults = ['reset', 'hang'];
    assert.equal((await c.headManifest(repo('app', proxy), 'dev')).digest, schema2.manifestDigest);
    assert.deepEqual(events.map((e) => e.status), [0, 0, 200]);
    await c.close();
  });

  test('timeouts on every attempt → registry-unreachable', T, async () => {
    reset();
    const c = client({ timeoutMs: 300, maxRetries: 1 });
    proxy.faults = ['hang', 'hang'];
    await expectCode(c.headManifest(repo('app', proxy), 'dev'), 'registry-unreachable', /after 2 attempts \(no answer within 300 ms\)/);
    await c.close();
  });

  test('caller abort → cancelled, without retry', T, async () => {
    reset();
    const c = client({ timeoutMs: 30_000 });
    proxy.faults = ['hang'];
    const controller = new AbortController();
    const pending = c.headManifest(repo('app', proxy), 'dev', { signal: controller.signal });
    while (proxy.hits.length === 0) await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    await expectCode(pending, 'cancelled');
    assert.equal(proxy.hits.length, 1);
    await c.close();
  });

  test('4xx other than 401/404 is not retried', T, async () => {
    reset();
    const c = client();
    proxy.faults = [{ status: 400 }];
    await expectCode(c.headManifest(repo('app', proxy), 'dev'), 'registry-error', /answered 400/);
    assert.equal(proxy.hits.length, 1);
    proxy.faults = [{ status: 403 }];
    await expectCode(c.getManifest(repo('app', proxy), 'dev'), 'registry-auth-failed', /denied access/);
    await c.close();
  });
});
