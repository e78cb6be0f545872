/**
 * The live `tagkeeper serve`, seen from outside with plain HTTP: the API needs the token,
 * a foreign Host (DNS rebinding) or Origin (another site) is refused, no CORS header is
 * ever sent, the token file is the owner's only, and the server listens on loopback only.
 * And in Chromium: the page's policy lets its one inline script run, and no other.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { byTestId, openBrowser } from '../helpers/browser';
import { startServe, serveTargetOf, type ServedProcess } from '../helpers/serve';
import { startSite, type TestSite } from '../helpers/site';

let site: TestSite;
let served: ServedProcess;
/** Every answer seen, to check that none carries a CORS header. */
const seen: { what: string; headers: Headers | Record<string, unknown> }[] = [];

before(async () => {
  site = await startSite();
  served = await startServe(serveTargetOf(site));
});
after(async () => {
  await served?.stop();
  await site?.stop();
});

async function call(what: string, path: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(`${served.baseUrl}${path}`, init);
  seen.push({ what, headers: res.headers });
  return res;
}

/** fetch sets Host from the URL whatever the caller says, so a foreign Host needs node:http. */
function withHost(host: string, path: string, method: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: served.port, path, method, headers: { ...headers, host } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => {
        seen.push({ what: `${method} ${path} with Host ${host}`, headers: res.headers });
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const bearer = () => ({ authorization: `Bearer ${served.token}` });

test('the API answers only with the token', async () => {
  const none = await call('no token', '/api/op/apps:list', { method: 'POST', body: '{}' });
  assert.equal(none.status, 401);
  const wrong = await call('wrong token', '/api/op/apps:list', { method: 'POST', body: '{}', headers: { authorization: `Bearer ${served.token}x` } });
  assert.equal(wrong.status, 401);
  const events = await call('events without token', '/api/events');
  assert.equal(events.status, 401);
  const stream = new AbortController();
  const live = await call('events with token', '/api/events', { headers: bearer(), signal: stream.signal });
  assert.equal(live.status, 200);
  assert.match(live.headers.get('content-type') ?? '', /text\/event-stream/);
  stream.abort();
  const right = await call('right token', '/api/op/apps:list', { method: 'POST', body: '{}', headers: bearer() });
  assert.equal(right.status, 200);
  assert.deepEqual(await right.json(), { ok: true, value: [] });
});

test('a foreign Host header is refused (DNS rebinding), on the API and the page alike', async () => {
  const api = await withHost(`evil.example:${served.port}`, '/api/op/apps:list', 'POST', bearer());
  assert.equal(api.status, 403, api.body);
  const page = await withHost(`evil.example:${served.port}`, '/', 'GET');
  assert.equal(page.status, 403, page.body);
  const ok = await withHost(`localhost:${served.port}`, '/', 'GET');
  assert.equal(ok.status, 200, 'localhost is the same server');
});

test('a foreign Origin is refused, also for a preflight', async () => {
  const cross = await call('foreign Origin', '/api/op/apps:list', { method: 'POST', body: '{}', headers: { ...bearer(), origin: 'http://evil.example' } });
  assert.equal(cross.status, 403);
  const preflight = await call('foreign preflight', '/api/op/apps:list', {
    method: 'OPTIONS',
    headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
  });
  assert.equal(preflight.status, 403);
  const same = await call('own Origin', '/api/op/apps:list', { method: 'POST', body: '{}', headers: { ...bearer(), origin: served.baseUrl } });
  assert.equal(same.status, 200);
});

test('the page and its assets are served with a CSP and no CORS header anywhere', async () => {
  const page = await call('page', '/');
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /<div id="root">/);
  const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  assert.equal(inline.length, 1, 'one inline script');
  assert.match(inline[0], /tagkeeperEarly/, 'the early calls');
  assert.ok(html.indexOf('<script>') < html.indexOf('rel="stylesheet"'), 'before the stylesheet, which a script would wait for');
  const csp = page.headers.get('content-security-policy') ?? '';
  assert.match(csp, /script-src 'self' 'sha256-[A-Za-z0-9+/]{43}='(;|$)/, 'the page\'s own scripts and its one inline script, by its hash');
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
  const script = await call('script', '/app.js');
  assert.equal(script.status, 200);
  await script.arrayBuffer();
  const api = await call('API answer', '/api/op/apps:list', { method: 'POST', body: '{}', headers: bearer() });
  assert.match(api.headers.get('content-security-policy') ?? '', /script-src 'self'(;|$)/, 'an API answer allows no inline script');
  await api.arrayBuffer();
  const missing = await call('missing', '/nope.js');
  assert.equal(missing.status, 404);
  const traversal = await call('traversal', '/..%2f..%2fpackage.json');
  assert.equal(traversal.status, 404);
  assert.ok(seen.length >= 12, `answers looked at: ${seen.length}`);
  for (const { what, headers } of seen) {
    const acao = headers instanceof Headers ? headers.get('access-control-allow-origin') : headers['access-control-allow-origin'];
    assert.equal(acao ?? null, null, `${what}: no Access-Control-Allow-Origin`);
  }
});

test('in Chromium the page runs its one inline script, the early calls, and no other', async () => {
  const ui = await openBrowser();
  try {
    const asked: string[] = [];
    ui.page.on('request', (request) => asked.push(new URL(request.url()).pathname));
    await ui.page.goto(served.url);
    await byTestId(ui.page, 'apps-empty').waitFor({ timeout: 30_000 });
    // The early script leaves its answers on window; the page's client takes each once (and unsets it).
    const early = await ui.page.evaluate(() => {
      const answers = (window as unknown as { tagkeeperEarly?: Record<string, unknown> }).tagkeeperEarly;
      return answers === undefined ? null : Object.entries(answers).map(([operation, answer]) => `${operation} ${answer === undefined ? 'taken' : 'not taken'}`);
    });
    assert.deepEqual(early, ['engine:status taken', 'apps:list taken'], 'the early script ran, and the page took its answers');
    assert.equal(asked.filter((path) => path === '/api/op/apps:list').length, 1, 'the apps were asked for once, by the early script');
    assert.equal(asked.includes('/early.js'), false, 'the early calls come with the page');
    assert.deepEqual(ui.pageErrors, [], 'nothing was refused or thrown');

    const injected = await ui.page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.injectedRan = true';
      document.head.append(script);
      return (window as unknown as { injectedRan?: boolean }).injectedRan === true;
    });
    assert.equal(injected, false, 'an inline script the page does not carry is refused');
    assert.equal(ui.pageErrors.length, 1, ui.pageErrors.join('\n'));
    assert.match(ui.pageErrors[0], /Content Security Policy/);
  } finally {
    await ui.close();
  }
});

test('serve.json holds the URL and token, readable by its owner only', () => {
  const file = join(site.dataDir, 'serve.json');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const running = JSON.parse(readFileSync(file, 'utf8')) as { url: string; token: string; pid: number };
  assert.equal(running.url, served.baseUrl);
  assert.equal(running.token, served.token);
  assert.equal(running.pid, served.child.pid);
});

test('the server listens on 127.0.0.1 only', () => {
  const port = served.port.toString(16).toUpperCase().padStart(4, '0');
  const listening = ['/proc/net/tcp', '/proc/net/tcp6']
    .flatMap((file) => readFileSync(file, 'utf8').split('\n').slice(1))
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols.length > 3 && cols[1].endsWith(`:${port}`) && cols[3] === '0A')
    .map((cols) => cols[1]);
  assert.deepEqual(listening, [`0100007F:${port}`]);
});

test('SIGTERM stops serve cleanly and removes serve.json', async () => {
  assert.equal(await served.stop(), 0);
  assert.equal(existsSync(join(site.dataDir, 'serve.json')), false);
});
