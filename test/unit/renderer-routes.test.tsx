// A route per screen and app (the hash of the URL), the router that keeps it and the UI store
// in step both ways (Back, Forward, a typed URL, a reload) with a title per screen; the Apps
// view remembered; and the words of the wording pass: history one item per action, settings
// errors by their field's label, containers and operations in words, unknown image dates.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LedgerEntry } from '../../main/api/types/apps';
import { openOperationText } from '../../main/api/format';
import { containerText } from '../../renderer/src/lib/container-text';
import { formatCreated } from '../../renderer/src/lib/format';
import { historyItems, newestFirst } from '../../renderer/src/lib/ledger';
import { HOME, parseRoute, routeHash, routeTitle, type Route } from '../../renderer/src/lib/route';
import { fieldError } from '../../renderer/src/lib/settings-draft';
import { appUpdateSummary } from '../../renderer/src/lib/update-status';
import { startRouter, type RouterWindow } from '../../renderer/src/stores/router';
import { APPS_VIEW_KEY, createUiStore } from '../../renderer/src/stores/ui-store';
import { app, DIGEST_A, DIGEST_B, ledgerEntry, pendingUpdate, service } from '../../renderer/test-support/fixtures';

describe('routes', () => {
  const cases: [string, Route, string][] = [
    ['#/apps', HOME, 'Apps — Tagkeeper'],
    ['#/apps/web', { ...HOME, screen: 'app', app: 'web' }, 'web — Tagkeeper'],
    ['#/updates', { ...HOME, screen: 'updates' }, 'Updates — Tagkeeper'],
    ['#/bundles/import', { ...HOME, screen: 'bundles', bundlePart: 'import' }, 'Import a bundle — Tagkeeper'],
    ['#/bundles/export', { ...HOME, screen: 'bundles', bundlePart: 'export' }, 'Export a bundle — Tagkeeper'],
    ['#/create', { ...HOME, screen: 'create' }, 'Create app — Tagkeeper'],
    ['#/images', { ...HOME, screen: 'images' }, 'Images — Tagkeeper'],
    ['#/activity', { ...HOME, screen: 'activity' }, 'Activity — Tagkeeper'],
    ['#/settings', { ...HOME, screen: 'settings' }, 'Settings — Tagkeeper'],
  ];
  test('every screen and app has a hash and a title, and the hash reads back as the same route', () => {
    for (const [hash, route, title] of cases) {
      assert.deepEqual(parseRoute(hash), route, hash);
      assert.equal(routeHash(route), hash);
      assert.equal(routeTitle(route), title);
    }
  });
  test('an empty or unknown hash is Apps; Bundles alone is its import; app names are encoded', () => {
    for (const hash of ['', '#', '#/', '#/nowhere', '#token=abc', '#/app']) assert.deepEqual(parseRoute(hash), HOME, hash);
    assert.deepEqual(parseRoute('#/bundles'), { ...HOME, screen: 'bundles', bundlePart: 'import' });
    const odd: Route = { ...HOME, screen: 'app', app: 'a b/c' };
    assert.equal(routeHash(odd), '#/apps/a%20b%2Fc');
    assert.deepEqual(parseRoute(routeHash(odd)), odd);
    assert.deepEqual(parseRoute('#/apps/%E0%A4%A'), { ...HOME, screen: 'app', app: '%E0%A4%A' }, 'a broken escape is taken as typed');
  });
});

/** A window whose history the test reads, and whose Back it presses. */
function fakeWindow(hash = '') {
  const listeners = new Map<string, Set<() => void>>();
  const entries = [hash];
  let at = 0;
  const win = {
    location: { hash },
    document: { title: '' },
    history: {
      pushState: (_: unknown, __: string, url: string) => {
        entries.splice(at + 1, entries.length, url);
        at++;
        win.location.hash = url;
      },
      replaceState: (_: unknown, __: string, url: string) => {
        entries[at] = url;
        win.location.hash = url;
      },
    },
    addEventListener: (type: string, listener: () => void) => listeners.set(type, (listeners.get(type) ?? new Set()).add(listener)),
    removeEventListener: (type: string, listener: () => void) => listeners.get(type)?.delete(listener),
  };
  const fire = (type: string) => listeners.get(type)?.forEach((l) => l());
  return {
    win: win as unknown as RouterWindow & { location: { hash: string }; document: { title: string } },
    entries,
    back() {
      at--;
      win.location.hash = entries[at];
      fire('popstate');
    },
    type(url: string) {
      win.location.hash = url;
      fire('hashchange');
    },
    listeners: () => [...listeners.values()].reduce((n, set) => n + set.size, 0),
  };
}

describe('router', () => {
  test('a reload on #/apps/web shows that app\'s page, titled with its name', () => {
    const ui = createUiStore();
    const w = fakeWindow('#/apps/web');
    startRouter(ui, w.win);
    assert.equal(ui.getState().screen, 'app');
    assert.equal(ui.getState().appName, 'web');
    assert.equal(w.win.document.title, 'web — Tagkeeper');
    assert.deepEqual(w.entries, ['#/apps/web'], 'no history entry added by arriving');
  });

  test('going somewhere adds a history entry and names the window; Back returns to the place before', () => {
    const ui = createUiStore();
    const w = fakeWindow('');
    const stop = startRouter(ui, w.win);
    assert.deepEqual(w.entries, ['#/apps'], 'the address shows where the page is');
    ui.getState().openApp('web');
    ui.getState().show('updates');
    ui.getState().showBundles('export');
    assert.deepEqual(w.entries, ['#/apps', '#/apps/web', '#/updates', '#/bundles/export']);
    assert.equal(w.win.document.title, 'Export a bundle — Tagkeeper');
    ui.getState().setFilter('x');
    assert.equal(w.entries.length, 4, 'what is not a place adds no entry');
    w.back();
    assert.equal(ui.getState().screen, 'updates');
    assert.equal(w.win.document.title, 'Updates — Tagkeeper');
    w.back();
    assert.equal(ui.getState().screen, 'app');
    assert.equal(ui.getState().appName, 'web');
    assert.deepEqual(w.entries, ['#/apps', '#/apps/web', '#/updates', '#/bundles/export'], 'Back adds nothing');
    w.type('#/settings');
    assert.equal(ui.getState().screen, 'settings');
    stop();
    assert.equal(w.listeners(), 0, 'stopping removes its listeners');
  });
});

describe('ui store', () => {
  test('the Apps view is remembered where the page keeps preferences; a refusing storage keeps it for the session', () => {
    const kept = new Map<string, string>();
    const storage = { getItem: (key: string) => kept.get(key) ?? null, setItem: (key: string, value: string) => void kept.set(key, value) };
    assert.equal(createUiStore('apps', storage).getState().appsView, 'cards');
    createUiStore('apps', storage).getState().setAppsView('table');
    assert.equal(kept.get(APPS_VIEW_KEY), 'table');
    assert.equal(createUiStore('apps', storage).getState().appsView, 'table', 'a new window starts as the last one was left');
    const refusing = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } };
    const ui = createUiStore('apps', refusing);
    ui.getState().setAppsView('table');
    assert.equal(ui.getState().appsView, 'table');
  });
});

describe('history: one item per action', () => {
  const digests = (from: string, to: string) => ({ from: { indexDigest: null, manifestDigest: from }, to: { indexDigest: null, manifestDigest: to } });
  const entry = (id: number, overrides: Partial<LedgerEntry>) => ledgerEntry({ id, at: `2024-05-01T10:00:${String(id).padStart(2, '0')}.000Z`, ...overrides });

  test('an operation\'s entry takes the per-service entries it wrote with it; the approval before it stays its own', () => {
    const ledger = [
      entry(1, { action: 'resolve', service: 'main' }),
      entry(2, { action: 'download', service: 'main' }),
      entry(3, { action: 'create', service: null }),
      entry(4, { action: 'approve', service: 'main', trigger: 'user', ...digests(DIGEST_A, DIGEST_B) }),
      entry(5, { action: 'apply', service: 'main', trigger: 'approve', ...digests(DIGEST_A, DIGEST_B) }),
      entry(6, { action: 'apply', service: null, trigger: 'approve', from: null, to: null, detail: '1 of 1 service changed; restarted' }),
      entry(7, { action: 'rollback', service: 'main', ...digests(DIGEST_B, DIGEST_A) }),
      entry(8, { action: 'rollback', service: null, from: null, to: null }),
      entry(9, { action: 'stop', service: null, from: null, to: null }),
    ];
    const items = historyItems(newestFirst(ledger));
    assert.deepEqual(items.map((i) => [i.entry.id, i.services.map((s) => s.id)]), [[9, []], [8, [7]], [6, [5]], [4, []], [3, [2, 1]]]);
  });

  test('one check of several services is one item; entries of different requests are not joined', () => {
    const ledger = [
      entry(1, { action: 'check', service: 'front', at: '2024-05-01T10:00:00.000Z' }),
      entry(2, { action: 'check', service: 'api', at: '2024-05-01T10:00:00.000Z' }),
      entry(3, { action: 'check', service: 'front', at: '2024-05-01T11:00:00.000Z' }),
      entry(4, { action: 'refresh', service: null, trigger: 'schedule' }),
      entry(5, { action: 'apply', service: 'api', trigger: 'user' }),
      entry(6, { action: 'refresh', service: null, trigger: 'user' }),
    ];
    const items = historyItems(newestFirst(ledger));
    assert.deepEqual(items.map((i) => [i.entry.id, i.services.map((s) => s.id)]), [[6, [5]], [4, []], [3, []], [2, [1]]]);
  });
});

describe('words', () => {
  test('a refused setting beside its field goes by the field\'s label, not the CLI\'s key', () => {
    const error = { code: 'invalid-settings' as const, message: 'check-interval cannot be "soon"', hint: 'write a duration' };
    assert.deepEqual(fieldError(error, 'check-interval', 'Scheduled checks'), { ...error, message: 'Scheduled checks cannot be "soon"' });
    assert.equal(fieldError({ ...error, message: 'insecure-registries: "x y" is not a registry host' }, 'insecure-registries', 'Insecure registries')?.message, 'Insecure registries: "x y" is not a registry host');
    assert.equal(fieldError({ ...error, message: 'the store is read-only' }, 'offline', 'Offline mode')?.message, 'the store is read-only');
    assert.equal(fieldError(undefined, 'offline', 'Offline mode'), undefined);
  });

  test('unfinished operations in words, as the CLI says them', () => {
    assert.equal(openOperationText({ kind: 'stop', state: 'pending', phase: 'queued' }), 'Stopping: waiting for its turn');
    assert.equal(openOperationText({ kind: 'stop', state: 'running', phase: 'queued' }), 'Stopping: under way');
    assert.equal(openOperationText({ kind: 'refresh', state: 'running', phase: 'downloading' }), 'Refreshing: downloading');
    assert.equal(openOperationText({ kind: 'apply', state: 'running', phase: 'switching' }), 'Applying the approved updates: switching the containers');
  });

  test('a container is an alarm only when it is not what the app should be doing', () => {
    assert.deepEqual(containerText({ containerStatus: 'exited' }, 'stopped'), { text: 'stopped', tone: 'quiet' });
    assert.deepEqual(containerText({ containerStatus: 'exited' }, 'running'), { text: 'exited', tone: 'bad' });
    assert.deepEqual(containerText({ containerStatus: 'running' }, 'running'), { text: 'running', tone: 'ok' });
    assert.deepEqual(containerText({ containerStatus: null }, 'stopped'), { text: 'no container', tone: 'quiet' });
    assert.deepEqual(containerText({ containerStatus: 'restarting' }, 'degraded'), { text: 'restarting', tone: 'bad' });
  });

  test('an image that does not say when it was built (Created 0) is "unknown", not 1970', () => {
    assert.equal(formatCreated('1970-01-01T00:00:00Z'), 'unknown');
    assert.equal(formatCreated(''), 'unknown');
    assert.equal(formatCreated('not a date'), 'unknown');
    assert.match(formatCreated('2024-05-01T10:00:00Z'), /^2024-05-01 \d\d:00:00$/);
  });

  test('an app\'s updates in a few words for its line in the table', () => {
    assert.deepEqual(appUpdateSummary(app('web')), { text: 'not checked yet', tone: 'unknown' });
    assert.deepEqual(appUpdateSummary(app('web', { pendingUpdates: [pendingUpdate()] })), { text: '1 waiting for approval', tone: 'update' });
    const checked = { indexDigest: null, manifestDigest: DIGEST_A, checkedAt: '2024-05-01T10:00:00Z' };
    assert.deepEqual(appUpdateSummary(app('web', { services: [service({ available: checked })] })), { text: 'up to date', tone: 'ok' });
    assert.deepEqual(appUpdateSummary(app('web', { services: [service({ pinnedDigest: DIGEST_A })] })), { text: 'pinned', tone: 'unknown' });
  });
});
