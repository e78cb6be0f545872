// The early script (inline in index.html): the first screen's calls go out as the page is
// parsed, and the HTTP client takes their answers for its first calls instead of asking again.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseClient } from '../../renderer/src/client/choose-client';
import { FIRST_SCREEN_CALLS, startEarlyCalls, withEarlyAnswers } from '../../renderer/src/client/early-calls';
import { TOKEN_KEY } from '../../renderer/src/client/token';

interface Sent {
  url: string;
  init: RequestInit | undefined;
}

/** Just enough of a browser window: a location, session storage, history and a recording fetch answering `{"ok":true,"value":…}`. */
function fakeWindow(hash: string, extra: Partial<Window> = {}): Window & { sent: Sent[] } {
  const storage = new Map<string, string>();
  const sent: Sent[] = [];
  const win = {
    location: { hash, pathname: '/', search: '' },
    sessionStorage: { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v) },
    history: { replaceState: () => undefined },
    fetch: async (url: string, init?: RequestInit) => {
      sent.push({ url, init });
      return new Response(JSON.stringify({ ok: true, value: { answer: sent.length } }), { status: 200, headers: { 'content-type': 'application/json' } });
    },
    sent,
    ...extra,
  };
  return win as unknown as Window & { sent: Sent[] };
}

describe('early calls', () => {
  test('with a token in the URL, the engine status and the apps are asked for at once, the token left for the app to take', () => {
    const win = fakeWindow('#token=s3cret');
    startEarlyCalls(win);
    assert.deepEqual(win.sent.map((s) => s.url), FIRST_SCREEN_CALLS.map((op) => `/api/op/${op}`));
    for (const { init } of win.sent) {
      assert.equal(init?.method, 'POST');
      assert.equal((init?.headers as Record<string, string>).authorization, 'Bearer s3cret');
      assert.equal(init?.body, '{}');
    }
    assert.equal(win.location.hash, '#token=s3cret');
  });

  test('a token kept from before (reload) works too; no token or the desktop window (IPC): nothing is sent', () => {
    const reloaded = fakeWindow('');
    reloaded.sessionStorage.setItem(TOKEN_KEY, 'kept');
    startEarlyCalls(reloaded);
    assert.equal(reloaded.sent.length, FIRST_SCREEN_CALLS.length);
    const none = fakeWindow('');
    startEarlyCalls(none);
    const desktop = fakeWindow('#token=x', { tagkeeper: {} });
    startEarlyCalls(desktop);
    assert.equal(none.sent.length + desktop.sent.length, 0);
  });

  test('the first empty request of an early operation takes its answer, once; any other goes out', async () => {
    const win = fakeWindow('#token=t');
    startEarlyCalls(win);
    const doFetch = withEarlyAnswers(win, (input, init) => win.fetch(input, init));
    const first = await doFetch('/api/op/apps:list', { method: 'POST', body: '{}' });
    assert.equal(win.sent.length, 2, 'answered by the early call');
    assert.deepEqual(await first.json(), { ok: true, value: { answer: 2 } });
    await doFetch('/api/op/apps:list', { method: 'POST', body: '{}' });
    await doFetch('/api/op/engine:status', { method: 'POST', body: '{"x":1}' });
    await doFetch('/api/op/settings:get', { method: 'POST', body: '{}' });
    assert.deepEqual(win.sent.slice(2).map((s) => s.url), ['/api/op/apps:list', '/api/op/engine:status', '/api/op/settings:get']);
  });

  test('the page\'s client takes the early answers: the first screen asks the server once per call', async () => {
    const win = fakeWindow('#token=t');
    startEarlyCalls(win);
    const choice = chooseClient(win);
    assert.ok(choice.client);
    const [status, apps] = await Promise.all([choice.client.call('engine:status', {}), choice.client.call('apps:list', {})]);
    assert.deepEqual([status, apps], [{ answer: 1 }, { answer: 2 }]);
    assert.equal(win.sent.length, FIRST_SCREEN_CALLS.length);
  });
});
