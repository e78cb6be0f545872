/**
 * The HTTP shell serves exactly the contract the IPC shell serves, only to callers with the
 * token, only on loopback with the right Host and Origin; and the CLI hands its requests to
 * a running instance instead of acting beside it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { OPERATIONS } from '../../main/api/contract';
import { httpClient } from '../../main/api/http-client';
import { registerIpc } from '../../main/shells/ipc';
import { SERVE_FILE } from '../../main/shells/running-instance';
import { serve, type Served } from '../../main/shells/serve';
import { before, stopBefore } from '../helpers/hooks';
import { publish } from '../helpers/lifecycle';
import { useSite } from '../helpers/site';

const site = useSite();
let served: Served;
let base: string;
let token: string;

before(async () => {
  await publish(site, 'busy', '1', 'http');
  served = await serve({ dataDir: site.dataDir, dockerHost: site.engine.dockerHost, actor: 'tester' });
  base = `http://127.0.0.1:${served.shell.port}`;
  token = new URL(served.shell.url).hash.replace('#token=', '');
});
stopBefore(site, () => served?.stop());

/** A raw request, so Host and Origin can be set to anything. */
function raw(path: string, headers: Record<string, string>, method = 'POST', body = '{}'): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: served.shell.port, path, method, headers }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(method === 'POST' ? body : undefined);
  });
}

test('IPC and HTTP offer exactly the same operations', async () => {
  const channels: string[] = [];
  registerIpc({ handle: (channel: string) => channels.push(channel), removeHandler: () => undefined } as never, served.instance.handlers);
  assert.deepEqual([...channels].sort(), [...OPERATIONS].sort());
  for (const operation of OPERATIONS) {
    // An unknown field makes every operation refuse the request: proof it is routed and validated, not 404.
    const res = await raw(`/api/op/${operation}`, { host: `127.0.0.1:${served.shell.port}`, authorization: `Bearer ${token}`, 'content-type': 'application/json' }, 'POST', '{"unexpected":1}');
    assert.equal(res.status, 200, operation);
    const envelope = JSON.parse(res.body);
    assert.equal(envelope.ok, false, operation);
    assert.equal(envelope.error.code, 'invalid-input', `${operation}: ${res.body}`);
  }
  const unknown = await raw('/api/op/apps:explode', { host: `127.0.0.1:${served.shell.port}`, authorization: `Bearer ${token}` });
  assert.match(JSON.parse(unknown.body).error.message, /unknown operation/);
});

test('the token, the Host and the Origin are checked; no CORS headers', async () => {
  const host = `127.0.0.1:${served.shell.port}`;
  const noToken = await raw('/api/op/apps:list', { host });
  assert.equal(noToken.status, 401);
  const wrongToken = await raw('/api/op/apps:list', { host, authorization: `Bearer ${token.slice(1)}x` });
  assert.equal(wrongToken.status, 401);
  const rebinding = await raw('/api/op/apps:list', { host: `evil.example:${served.shell.port}`, authorization: `Bearer ${token}` });
  assert.equal(rebinding.status, 403, 'a foreign Host (DNS rebinding) is refused');
  const crossSite = await raw('/api/op/apps:list', { host, origin: 'http://evil.example', authorization: `Bearer ${token}` });
  assert.equal(crossSite.status, 403, 'a foreign Origin is refused');
  const ok = await raw('/api/op/apps:list', { host, origin: `http://${host}`, authorization: `Bearer ${token}` });
  assert.equal(ok.status, 200);
  assert.deepEqual(JSON.parse(ok.body), { ok: true, value: [] });
  for (const res of [noToken, rebinding, crossSite, ok]) assert.equal(res.headers['access-control-allow-origin'], undefined);
  const mode = statSync(join(site.dataDir, SERVE_FILE)).mode & 0o777;
  assert.equal(mode, 0o600, 'the token file is readable by its owner only');
  assert.equal(served.shell.url.startsWith('http://127.0.0.1:'), true);
});

test('the interface\'s files are revalidated, not re-sent (the browser keeps them and their compiled code); the API is never stored', async () => {
  const host = `127.0.0.1:${served.shell.port}`;
  for (const path of ['/', '/icon.svg']) {
    const first = await raw(path, { host }, 'GET');
    assert.equal(first.status, 200, path);
    assert.equal(first.headers['cache-control'], 'no-cache', path);
    const etag = String(first.headers.etag);
    assert.match(etag, /^"[A-Za-z0-9_-]+"$/, path);
    const again = await raw(path, { host, 'if-none-match': etag }, 'GET');
    assert.equal(again.status, 304, path);
    assert.equal(again.body, '');
    assert.equal(again.headers['content-security-policy'], first.headers['content-security-policy']);
  }
  const api = await raw('/api/op/apps:list', { host, authorization: `Bearer ${token}` });
  assert.equal(api.headers['cache-control'], 'no-store');
});

test('events are pushed to clients that hold the token', async () => {
  const controller = new AbortController();
  const response = await fetch(`${base}/api/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/);
  const reader = response.body!.getReader();
  await httpClient(base, token).call('settings:set', { key: 'check-on-start', value: 'off' });
  const created = httpClient(base, token).call('apps:create', { name: 'pushed', services: [{ name: 'main', image: `${site.registry.host}/busy:1`, network: 'none' }] });
  let text = '';
  while (!text.includes('"app-changed"')) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  controller.abort();
  assert.match(text, /data: \{"type":"app-changed","app":"pushed"\}/);
  await created;
});

test('the CLI hands its requests to the running instance', async () => {
  // With a bogus engine of its own, the CLI could only succeed through the instance.
  const result = await site.cli(['app', 'show', 'pushed', '--json'], { DOCKER_HOST: 'unix:///tmp/tagkeeper-no-such.sock' });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.json().name, 'pushed');
  assert.equal(result.json().state, 'running');
  const bad = await site.cli(['app', 'show', 'nope'], { DOCKER_HOST: 'unix:///tmp/tagkeeper-no-such.sock' });
  assert.equal(bad.code, 2, 'errors keep their code across the transport');
  assert.match(bad.stderr, /no app named "nope"/);
});
