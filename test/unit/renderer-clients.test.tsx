// The renderer's clients: the SSE parser, the token taken from the URL fragment, the IPC
// client over a preload-shaped bridge, and the HTTP client against the real HTTP shell.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHttpShell, type HttpShell } from '../../main/shells/http';
import type { Instance } from '../../main/shells/open-instance';
import type { CoreEvent } from '../../main/api/types/events';
import { TagkeeperError } from '../../main/api/errors';
import { createSseParser } from '../../renderer/src/client/sse-parser';
import { takeToken, TOKEN_KEY } from '../../renderer/src/client/token';
import { ipcClient } from '../../renderer/src/client/ipc-client';
import { httpClient } from '../../renderer/src/client/http-client';
import { httpClient as sharedHttpClient } from '../../main/api/http-client';
import type { ClientEvent } from '../../renderer/src/client/types';
import { eventually } from '../../renderer/test-support/fake-client';

describe('SSE parser', () => {
  test('events split across chunks at any point come out whole', () => {
    const text = ': connected\n\ndata: {"a":1}\n\ndata: line one\ndata: line two\n\n: keep-alive\n\ndata:{"b":2}\r\n\r\n';
    for (let size = 1; size <= text.length; size++) {
      const seen: string[] = [];
      const feed = createSseParser((d) => seen.push(d));
      for (let i = 0; i < text.length; i += size) feed(text.slice(i, i + size));
      assert.deepEqual(seen, ['{"a":1}', 'line one\nline two', '{"b":2}'], `chunk size ${size}`);
    }
  });

  test('a bare CR ends a line too, and other fields are ignored', () => {
    const seen: string[] = [];
    const feed = createSseParser((d) => seen.push(d));
    feed('event: x\rid: 3\rdata: one\r\r');
    assert.deepEqual(seen, ['one']);
  });
});

describe('token from the URL fragment', () => {
  function places(hash: string, stored: string | null = null) {
    const storage = new Map<string, string>(stored ? [[TOKEN_KEY, stored]] : []);
    const replaced: string[] = [];
    return {
      replaced,
      storage,
      places: {
        location: { hash, pathname: '/', search: '' },
        storage: { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v) },
        history: { replaceState: (_d: unknown, _t: string, url?: string | URL | null) => void replaced.push(String(url)) },
      },
    };
  }

  test('is read once, kept in session storage and removed from the address bar', () => {
    const p = places('#token=abc-DEF_1');
    assert.equal(takeToken(p.places), 'abc-DEF_1');
    assert.equal(p.storage.get(TOKEN_KEY), 'abc-DEF_1');
    assert.deepEqual(p.replaced, ['/']);
  });

  test('a reload without the fragment uses the stored token; none at all gives null', () => {
    assert.equal(takeToken(places('', 'kept').places), 'kept');
    assert.equal(takeToken(places('').places), null);
  });

  test('a new fragment replaces a stored token (serve restarted)', () => {
    const p = places('#token=new', 'old');
    assert.equal(takeToken(p.places), 'new');
    assert.equal(p.storage.get(TOKEN_KEY), 'new');
  });
});

describe('IPC client', () => {
  test('unwraps values and turns error envelopes back into TagkeeperErrors', async () => {
    const client = ipcClient(
      {
        'settings:get': async () => ({ ok: true, value: { pullPolicy: 'never', checkOnStart: false, insecureRegistries: [], offline: false } }),
        'apps:show': async () => ({ ok: false, error: { code: 'unknown-app', message: 'there is no app named "x"', hint: 'see the apps' } }),
      },
      undefined,
    );
    assert.equal((await client.call('settings:get', {})).pullPolicy, 'never');
    await assert.rejects(client.call('apps:show', { name: 'x' }), (e: unknown) => {
      assert.ok(e instanceof TagkeeperError);
      assert.equal(e.code, 'unknown-app');
      assert.equal(e.hint, 'see the apps');
      return true;
    });
    await assert.rejects(client.call('apps:list', {}), /offers no operation "apps:list"/);
  });

  test('passes on core events only, and unsubscribes', () => {
    let callback: ((event: unknown) => void) | null = null;
    const client = ipcClient({}, {
      subscribe(cb) {
        callback = cb;
        return () => {
          callback = null;
        };
      },
    });
    const seen: ClientEvent[] = [];
    const stop = client.subscribe((e) => seen.push(e));
    callback!({ type: 'app-changed', app: 'web' });
    callback!({ type: 'something-else', app: 'web' });
    callback!('not an event');
    assert.deepEqual(seen, [{ type: 'app-changed', app: 'web' }]);
    stop();
    assert.equal(callback, null);
  });
});

describe('HTTP client against the HTTP shell', () => {
  const token = 'test-token-0123456789';
  const events = new EventEmitter<{ event: [CoreEvent] }>();
  let shell: HttpShell;
  let base: string;
  let staticDir: string;

  before(async () => {
    staticDir = mkdtempSync(join(tmpdir(), 'tagkeeper-renderer-'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html>');
    const handlers = {
      'settings:get': () => ({ pullPolicy: 'if-not-present', checkOnStart: true, insecureRegistries: [], offline: false }),
      'apps:show': () => {
        throw new TagkeeperError('unknown-app', 'there is no app named "nope"', { hint: 'see the apps with: tagkeeper app list' });
      },
    };
    const instance = { handlers, events } as unknown as Instance;
    shell = await startHttpShell({ instance, port: 0, token, staticDir });
    base = `http://127.0.0.1:${shell.port}`;
  });

  after(async () => {
    await shell.close();
    rmSync(staticDir, { recursive: true, force: true });
  });

  test('calls operations with the token and unwraps the envelope', async () => {
    const client = httpClient({ baseUrl: base, token });
    const settings = await client.call('settings:get', {});
    assert.equal(settings.pullPolicy, 'if-not-present');
    await assert.rejects(client.call('apps:show', { name: 'nope' }), (e: unknown) => {
      assert.ok(e instanceof TagkeeperError);
      assert.equal(e.code, 'unknown-app');
      assert.match(e.hint ?? '', /app list/);
      return true;
    });
  });

  test('a wrong token is a connection problem the UI can name', async () => {
    const client = httpClient({ baseUrl: base, token: 'wrong' });
    await assert.rejects(client.call('settings:get', {}), (e: unknown) => {
      assert.ok(e instanceof TagkeeperError);
      assert.equal(e.code, 'unauthorized');
      assert.match(e.message, /refused this page's token/);
      assert.match(e.hint ?? '', /#token=… part \(each start of serve makes a new token\)/);
      return true;
    });
  });

  test('an instance that does not answer is "instance-unreachable", not an engine problem', async () => {
    const client = httpClient({ baseUrl: 'http://127.0.0.1:1', token });
    await assert.rejects(client.call('settings:get', {}), (e: unknown) => {
      assert.ok(e instanceof TagkeeperError);
      assert.equal(e.code, 'instance-unreachable');
      assert.match(e.message, /^the Tagkeeper instance at http:\/\/127\.0\.0\.1:1 did not answer settings:get \(/);
      assert.match(e.hint ?? '', /SSH tunnel/);
      return true;
    });
  });

  test('an HTTP status no client expects is "instance-error": reload the page', async () => {
    const client = httpClient({ baseUrl: '', token, fetch: async () => new Response('{"error":"no such API path"}', { status: 404 }) });
    assert.equal(client.target, 'this page\'s Tagkeeper instance');
    await assert.rejects(client.call('settings:get', {}), (e: unknown) => {
      assert.ok(e instanceof TagkeeperError);
      assert.equal(e.code, 'instance-error');
      assert.equal(e.message, 'this Tagkeeper instance answered HTTP 404 to settings:get');
      assert.match(e.hint ?? '', /reload the page/);
      return true;
    });
  });

  test('the same call, worded for the CLI: serve still running, the token refused, the HTTP status', async () => {
    const refused = sharedHttpClient(base, 'wrong');
    await assert.rejects(refused.call('settings:get', {}), (e: unknown) => {
      assert.ok(e instanceof TagkeeperError);
      assert.equal(e.code, 'unauthorized');
      assert.equal(e.sentence, `the Tagkeeper instance at ${base} refused the token (open the URL that \`tagkeeper serve\` printed, with its #token)`);
      return true;
    });
    await assert.rejects(sharedHttpClient('http://127.0.0.1:1', token).call('settings:get', {}), (e: unknown) => {
      assert.ok(e instanceof TagkeeperError);
      assert.equal(e.code, 'instance-unreachable');
      assert.equal(e.hint, 'is `tagkeeper serve` still running?');
      return true;
    });
    const gone = sharedHttpClient(base, token, { fetch: async () => new Response('', { status: 502 }) });
    await assert.rejects(gone.call('settings:get', {}), (e: unknown) => {
      assert.ok(e instanceof TagkeeperError);
      assert.equal(e.code, 'instance-error');
      assert.equal(e.sentence, `the Tagkeeper instance at ${base} answered HTTP 502 to settings:get`);
      return true;
    });
    assert.equal((await sharedHttpClient(`${base}/`, token).call('settings:get', {})).pullPolicy, 'if-not-present');
  });

  test('receives core events from the event stream until unsubscribed', async () => {
    const client = httpClient({ baseUrl: base, token });
    const seen: ClientEvent[] = [];
    const stop = client.subscribe((e) => seen.push(e));
    await eventually(() => assert.equal(events.listenerCount('event'), 1));
    events.emit('event', { type: 'app-changed', app: 'web' });
    events.emit('event', { type: 'operation-changed', id: 4, app: 'web' });
    await eventually(() => assert.equal(seen.length, 2));
    assert.deepEqual(seen, [
      { type: 'app-changed', app: 'web' },
      { type: 'operation-changed', id: 4, app: 'web' },
    ]);
    stop();
    await eventually(() => assert.equal(events.listenerCount('event'), 0));
  });

  test('re-opens a dropped stream and asks the stores to resync', async () => {
    let opens = 0;
    const fetchImpl: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/api/events')) {
        opens++;
        // The first stream ends at once (the instance restarted); the second stays open.
        if (opens === 1) return new Response('data: {"type":"app-changed","app":"a"}\n\n', { status: 200 });
        return new Response(new ReadableStream({ start() {} }), { status: 200 });
      }
      return fetch(input, init);
    };
    const client = httpClient({ baseUrl: base, token, fetch: fetchImpl, reconnectMs: { min: 1, max: 2 } });
    const seen: ClientEvent[] = [];
    const stop = client.subscribe((e) => seen.push(e));
    await eventually(() => assert.deepEqual(seen, [{ type: 'app-changed', app: 'a' }, { type: 'resync' }]));
    stop();
  });
});
