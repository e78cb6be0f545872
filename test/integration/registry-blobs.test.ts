/**
 * RegistryPort.getBlob against a REAL registry (Debian's docker-registry): verified blob
 * streams, open / Basic / Bearer registries, missing blobs, retries, a redirect to another
 * origin, cancellation, and bodies altered on the way through the fault-injecting proxy.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import { TagkeeperError, type ErrorCode } from '../../main/api/errors';
import { guardOffline } from '../../main/core/content/offline-guard';
import { RegistryClient, type RegistryClientOptions } from '../../main/registry/registry-client';
import type { RequestEvent } from '../../main/registry/transport';
import { before } from '../helpers/hooks';
import { buildImage, publishTo, pushImage, type BuiltImage } from '../helpers/image-builder';
import { useFaultProxy } from '../helpers/registry-fault-proxy';
import { registryForTest, useRegistry } from '../helpers/site';

const T = { timeout: 60_000 };
const FAST: RegistryClientOptions = { backoff: { baseMs: 10, maxMs: 50 } };

function assertCode(error: unknown, code: ErrorCode, pattern?: RegExp): TagkeeperError {
  assert.ok(error instanceof TagkeeperError, `expected TagkeeperError, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  if (pattern) assert.match(error.message, pattern);
  assert.ok(!error.message.includes('\n'), 'one-line message');
  return error;
}

async function expectCode(promise: Promise<unknown>, code: ErrorCode, pattern?: RegExp): Promise<TagkeeperError> {
  try {
    await promise;
  } catch (error) {
    return assertCode(error, code, pattern);
  }
  assert.fail(`expected ${code}, but it succeeded`);
}

/** Everything the stream delivered, and how it ended. */
async function drain(stream: Readable): Promise<{ bytes: Buffer; error?: unknown }> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return { bytes: Buffer.concat(chunks) };
  } catch (error) {
    return { bytes: Buffer.concat(chunks), error };
  }
}

async function fetchBlob(client: RegistryClient, repo: { domain: string; path: string }, digest: string, size?: number): Promise<Buffer> {
  const blob = await client.getBlob(repo, digest, size === undefined ? {} : { size });
  const { bytes, error } = await drain(blob.stream);
  if (error) throw error;
  assert.equal(blob.size, bytes.length, 'the declared size is the size delivered');
  return bytes;
}

const reg = useRegistry();
let image: BuiltImage;
let big: BuiltImage;

before(async () => {
  image = await buildImage({ marker: 'blobs' });
  big = await buildImage({ marker: 'big-blob', filler: 8 * 1024 * 1024 });
  await pushImage(reg.url, 'app', 'v1', image);
  await pushImage(reg.url, 'big', 'v1', big);
});

const repo = (path: string, r: { host: string } = reg) => ({ domain: r.host, path });

describe('blobs from an open registry', () => {
  test('layers and the config stream back byte for byte, with their sizes', T, async () => {
    const client = new RegistryClient();
    reg.clearRequests();
    for (const layer of image.layers) {
      assert.deepEqual(await fetchBlob(client, repo('app'), layer.digest), layer.bytes);
      assert.deepEqual(await fetchBlob(client, repo('app'), layer.digest, layer.size), layer.bytes);
    }
    assert.deepEqual(await fetchBlob(client, repo('app'), image.configDigest, image.config.length), image.config);
    const big1 = big.layers[1];
    assert.deepEqual(await fetchBlob(client, repo('big'), big1.digest, big1.size), big1.bytes);
    const seen = await reg.settledRequests();
    assert.equal(seen.length, 6);
    assert.ok(seen.every((r) => r.method === 'GET' && r.path.includes('/blobs/sha256:') && r.status === 200));
    assert.equal(client.stats().requests.GET, 6);
    await client.close();
  });

  test('a digest the registry does not have → registry-error naming the blob; a malformed one → invalid-digest', T, async () => {
    const client = new RegistryClient();
    const absent = `sha256:${'1'.repeat(64)}`;
    const e = await expectCode(client.getBlob(repo('app'), absent), 'registry-error', new RegExp(`has no blob ${absent} of ${reg.host}/app \\(it answered 404 BLOB_UNKNOWN`));
    assert.match(e.hint ?? '', /digest is wrong/);
    await expectCode(client.getBlob(repo('app'), 'sha256:abc'), 'invalid-digest');
    await client.close();
  });

  test('offline mode refuses a blob download before any request', T, async () => {
    const client = new RegistryClient();
    reg.clearRequests();
    const guarded = guardOffline(client, () => true);
    await expectCode(guarded.getBlob(repo('app'), image.layers[0].digest), 'offline', /downloading sha256:/);
    assert.deepEqual(reg.requests(), []);
    assert.deepEqual(
      await drain((await guardOffline(client, () => false).getBlob(repo('app'), image.configDigest)).stream),
      { bytes: image.config },
    );
    await client.close();
  });

  test('cancelling mid-body ends the stream with cancelled; destroying a stream frees its slot', T, async () => {
    const client = new RegistryClient({ concurrency: 1 });
    const controller = new AbortController();
    const layer = big.layers[1];
    const blob = await client.getBlob(repo('big'), layer.digest, { size: layer.size, signal: controller.signal });
    let received = 0;
    let failure: unknown;
    try {
      for await (const chunk of blob.stream) {
        received += (chunk as Buffer).length;
        controller.abort();
      }
    } catch (error) {
      failure = error;
    }
    assertCode(failure, 'cancelled', /download of blob sha256:.* was cancelled/);
    assert.ok(received < layer.size);

    // One connection slot: the abandoned streams must give it back, or these would wait forever.
    const abandoned = await client.getBlob(repo('big'), layer.digest);
    abandoned.stream.destroy();
    assert.deepEqual(await fetchBlob(client, repo('app'), image.configDigest), image.config);
    assert.equal((await client.headManifest(repo('app'), 'v1')).digest, image.manifestDigest);
    await client.close();
  });
});

describe('auth', () => {
  test('Basic: blobs with good credentials; without them, registry-auth-failed', T, async (t) => {
    const basic = await registryForTest(t, { auth: 'basic', username: 'alice', password: 'secret' });
    const img = await publishTo(basic, 'private', 'v1', 'blob-basic');
    const client = new RegistryClient({ credentials: (d) => (d === basic.host ? { username: 'alice', password: 'secret' } : undefined) });
    basic.clearRequests();
    for (const layer of img.layers) assert.deepEqual(await fetchBlob(client, repo('private', basic), layer.digest, layer.size), layer.bytes);
    assert.deepEqual((await basic.settledRequests()).map((r) => r.status), [401, 200, 200], 'one challenge, then straight to auth');
    await client.close();
    const none = new RegistryClient();
    await expectCode(none.getBlob(repo('private', basic), img.layers[0].digest), 'registry-auth-failed', /without credentials/);
    await none.close();
  });

  test('Bearer: one pull token serves manifest and blob requests; wrong credentials are refused', T, async (t) => {
    const tokenReg = await registryForTest(t, { auth: 'token', username: 'bob', password: 's3cret' });
    const img = await publishTo(tokenReg, 'secure/app', 'v1', 'blob-token');
    tokenReg.clearTokenRequests();
    const client = new RegistryClient({ credentials: () => ({ username: 'bob', password: 's3cret' }) });
    const manifest = await client.getManifest(repo('secure/app', tokenReg), 'v1');
    assert.equal(manifest.digest, img.manifestDigest);
    assert.deepEqual(await fetchBlob(client, repo('secure/app', tokenReg), img.configDigest), img.config);
    for (const layer of img.layers) assert.deepEqual(await fetchBlob(client, repo('secure/app', tokenReg), layer.digest, layer.size), layer.bytes);
    assert.deepEqual(tokenReg.tokenRequests(), [
      { scope: 'repository:secure/app:pull', service: 'tagkeeper-test-registry', account: 'bob', status: 200 },
    ]);
    await client.close();
    const wrong = new RegistryClient({ credentials: () => ({ username: 'bob', password: 'wrong' }) });
    await expectCode(wrong.getBlob(repo('secure/app', tokenReg), img.layers[0].digest), 'registry-auth-failed', /rejected the configured credentials/);
    await wrong.close();
  });
});

describe('through the fault-injecting proxy', () => {
  const proxy = useFaultProxy(() => reg);
  let events: RequestEvent[];
  const top = (): BuiltImage['layers'][number] => image.layers[1];

  before(() => {
    proxy.filter = (_method, path) => path.includes('/blobs/');
  });

  const client = (extra: RegistryClientOptions = {}): RegistryClient =>
    new RegistryClient({ ...FAST, timeoutMs: 2000, onRequest: (e) => events.push(e), ...extra });
  const reset = (): void => {
    proxy.hits.length = 0;
    proxy.faults = [];
    events = [];
  };

  test('a tampered body: the stream ends in digest-mismatch; with the size known, getBlob refuses at once', T, async () => {
    reset();
    const c = client();
    proxy.faults = ['tamper-body'];
    const blob = await c.getBlob(repo('app', proxy), top().digest);
    // The proxy re-encodes the body as UTF-8: gzip bytes do not survive that unchanged.
    assert.notEqual(Buffer.from(top().bytes.toString('utf8')).length, top().bytes.length);
    const { error } = await drain(blob.stream);
    assertCode(error, 'digest-mismatch', new RegExp(`blob ${top().digest} of ${proxy.host}/app from registry ${proxy.host} hashes to sha256:[0-9a-f]{64}, expected ${top().digest}`));

    proxy.faults = ['tamper-body'];
    await expectCode(c.getBlob(repo('app', proxy), top().digest, { size: top().size }), 'digest-mismatch', new RegExp(`serves \\d+ bytes for blob .*, expected ${top().size}`));

    // Without Content-Length the size check happens while streaming.
    proxy.faults = ['chunked'];
    const tooLong = await c.getBlob(repo('app', proxy), top().digest, { size: top().size - 10 });
    assertCode((await drain(tooLong.stream)).error, 'digest-mismatch', new RegExp(`sent more than the ${top().size - 10} bytes`));
    await c.close();
  });

  test('a body shorter than the blob → registry-error; the same fetch without faults succeeds', T, async () => {
    reset();
    const c = client();
    proxy.faults = ['chunked']; // no Content-Length: the size given is the only check
    const blob = await c.getBlob(repo('app', proxy), top().digest, { size: top().size + 10 });
    assert.equal(blob.size, top().size + 10);
    // Bytes already passed on are not taken back; a stream that errors delivered no blob.
    const { bytes, error } = await drain(blob.stream);
    assert.deepEqual(bytes, top().bytes.subarray(0, bytes.length));
    assertCode(error, 'registry-error', new RegExp(`stopped sending blob ${top().digest} .* after ${top().size} of ${top().size + 10} bytes`));
    assert.deepEqual(await fetchBlob(c, repo('app', proxy), top().digest, top().size), top().bytes);
    await c.close();
  });

  test('503, 429 and a reset before the answer are retried', T, async () => {
    reset();
    const c = client();
    proxy.faults = [{ status: 503 }, { status: 429, headers: { 'retry-after': '0' } }, 'reset'];
    assert.deepEqual(await fetchBlob(c, repo('app', proxy), top().digest, top().size), top().bytes);
    assert.deepEqual(events.map((e) => [e.status, e.attempt]), [
      [503, 1],
      [429, 2],
      [0, 3],
      [200, 4],
    ]);
    await c.close();
  });

  test('a redirect to another origin (blob storage) is followed', T, async () => {
    reset();
    const c = client();
    const path = `/v2/app/blobs/${top().digest}`;
    proxy.faults = [{ status: 307, headers: { location: `${reg.url}${path}` } }];
    reg.clearRequests();
    assert.deepEqual(await fetchBlob(c, repo('app', proxy), top().digest, top().size), top().bytes);
    assert.deepEqual(events.map((e) => [e.status, new URL(e.url).host]), [
      [307, proxy.host],
      [200, reg.host],
    ]);
    assert.deepEqual((await reg.settledRequests()).map((r) => [r.method, r.path]), [['GET', path]]);
    await c.close();
  });
});
