// Pure helpers of the renderer: digests and sizes in words, which actions apply (and why
// not), outcome lines, the create form → request, where a core error belongs, pending
// updates and decisions in words, the ledger timeline, settings changes, the report file.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { actionAvailability } from '../../renderer/src/lib/app-actions';
import { createRequest, EMPTY_FORM, fieldOfError } from '../../renderer/src/lib/create-request';
import { formatBytes, formatTime, shortDigest, timeAgo } from '../../renderer/src/lib/format';
import { describeCheck, describeResult } from '../../renderer/src/lib/outcome';
import { operationName } from '../../renderer/src/lib/operation-name';
import { updateStatus, waitingUpdates } from '../../renderer/src/lib/update-status';
import { filterApps } from '../../renderer/src/components/apps/AppsScreen';
import { describeApproval, describeRejection } from '../../renderer/src/lib/decision-outcome';
import { actionWords, hasDigests, newestFirst } from '../../renderer/src/lib/ledger';
import { sizeText, sourceText, stateText } from '../../renderer/src/lib/pending-text';
import { reportFileName, saveJson } from '../../renderer/src/lib/report-export';
import { draftOf, settingChanges } from '../../renderer/src/lib/settings-draft';
import { rollbackLabel } from '../../renderer/src/lib/rollback-text';
import { app, DIGEST_A, DIGEST_B, ledgerEntry, pendingUpdate, pendingView, result, service, settings } from '../../renderer/test-support/fixtures';

describe('format', () => {
  test('short digests are 12 hex without the algorithm', () => {
    assert.equal(shortDigest(DIGEST_A), 'aaaaaaaaaaaa');
    assert.equal(shortDigest(null), '—');
  });
  test('sizes in decimal units as Docker prints them; times relative', () => {
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(12_345_678), '12.3 MB');
    const now = Date.parse('2024-05-01T12:00:00Z');
    assert.equal(timeAgo('2024-05-01T11:55:00Z', now), '5 min ago');
    assert.equal(timeAgo('2024-05-01T09:00:00Z', now), '3 h ago');
    assert.equal(timeAgo(null, now), 'never');
  });
});

describe('actions that apply', () => {
  const ctx = { pending: null, offline: false };
  test('start is disabled while running, stop while stopped, each with its reason', () => {
    const running = actionAvailability(app('web'), ctx);
    assert.deepEqual(running.start, { enabled: false, reason: 'the app is already running' });
    assert.equal(running.stop.enabled, true);
    const stopped = actionAvailability(app('web', { state: 'stopped' }), ctx);
    assert.deepEqual(stopped.stop, { enabled: false, reason: 'the app is already stopped' });
    assert.match(stopped.restart.reason ?? '', /use Start/);
    assert.equal(stopped.start.enabled, true);
  });
  test('offline mode disables check and refresh; pinned services leave nothing to check', () => {
    const offline = actionAvailability(app('web'), { pending: null, offline: true });
    assert.match(offline.check.reason ?? '', /offline mode is on/);
    assert.match(offline.refresh.reason ?? '', /offline mode is on/);
    const pinned = actionAvailability(app('web', { services: [service({ pinnedDigest: DIGEST_A })] }), ctx);
    assert.match(pinned.check.reason ?? '', /pinned/);
    assert.equal(pinned.refresh.enabled, true);
  });
  test('while an action waits, every action waits; an app being created can only be deleted', () => {
    const waiting = actionAvailability(app('web'), { pending: 'refresh', offline: false });
    assert.ok(Object.values(waiting).every((a) => !a.enabled && a.reason === 'waiting for refresh to finish'));
    const creating = actionAvailability(app('web', { state: 'creating' }), ctx);
    assert.equal(creating.delete.enabled, true);
    assert.equal(creating.check.enabled, false);
  });
});

describe('outcome lines', () => {
  test('refresh, restart and failures', () => {
    assert.equal(describeResult(result()), 'refresh: done, changed, restarted');
    assert.equal(describeResult(result({ changed: false, restarted: false })), 'refresh: done, no change, no restart');
    assert.equal(describeResult(result({ kind: 'purge', changed: false, purged: true })), 'purge: done, restarted, state purged');
    assert.equal(describeResult(result({ kind: 'start', changed: false, restarted: true })), 'start: done');
    assert.equal(describeResult(result({ outcome: 'failed', error: { code: 'pull-failed', message: 'pull failed' } })), 'refresh: failed: pull failed');
  });
  test('check results', () => {
    const s = (status: 'up-to-date' | 'error', error = null as null | { code: 'registry-unreachable'; message: string }) =>
      ({ app: 'web', service: 'main', reference: 'r', latched: null, available: null, status, error, source: null });
    assert.equal(describeCheck({ checkedAt: '', references: 1, services: [s('up-to-date')], pending: [], rateLimits: [] }), 'check: up to date');
    assert.equal(
      describeCheck({ checkedAt: '', references: 1, services: [s('error', { code: 'registry-unreachable', message: 'registry down' })], pending: [], rateLimits: [] }),
      'check: failed for main: registry down',
    );
    const found = { checkedAt: '', references: 1, services: [{ ...s('up-to-date'), status: 'update-available' as const }], pending: [pendingUpdate()], rateLimits: [] };
    assert.equal(describeCheck(found), 'check: 1 update available, 1 waiting for approval');
    assert.equal(
      describeCheck({ ...found, followUp: { applied: [result({ kind: 'apply' })], prefetched: [], errors: [] } }),
      'check: 1 update available, 1 waiting for approval; auto-applied to web (apply: done, changed, restarted)',
    );
    assert.equal(
      describeCheck({ ...found, followUp: { applied: [], prefetched: [1], errors: [{ code: 'pull-failed', message: 'pull of x failed' }] } }),
      'check: 1 update available, 1 waiting for approval; 1 downloaded in advance (not applied); follow-up failed: pull of x failed',
    );
  });
  test('operation names show merged requests', () => {
    assert.equal(operationName({ kind: 'update', flags: { refresh: true, restart: true, purge: false } }), 'refresh + restart');
    assert.equal(operationName({ kind: 'stop', flags: { refresh: false, restart: false, purge: false } }), 'stop');
  });
});

describe('update state', () => {
  test('in words, and counted for the badge', () => {
    assert.equal(updateStatus(service()).text, 'not checked yet');
    assert.equal(updateStatus(service({ available: { indexDigest: 'i', manifestDigest: DIGEST_A, checkedAt: '' } })).text, 'up to date');
    assert.equal(updateStatus(service({ updateAvailable: true, available: { indexDigest: 'i', manifestDigest: DIGEST_B, checkedAt: '' } })).text, 'update available');
    assert.match(updateStatus(service({ indexChanged: true })).text, /^index changed/);
    assert.match(updateStatus(service({ pinnedDigest: DIGEST_A })).text, /not checked/);
    const open = pendingUpdate({ state: 'approved', decidedBy: 'ana' });
    assert.equal(updateStatus(service({ updateAvailable: true }), pendingUpdate()).text, 'update available, waiting for approval');
    assert.equal(updateStatus(service({ updateAvailable: true }), open).text, 'update approved, being applied');
    // The badge counts updates waiting for a decision, not those being applied.
    assert.equal(waitingUpdates([app('a', { pendingUpdates: [pendingUpdate(), pendingUpdate({ id: 2, service: 'b' }), open] }), app('c')]), 2);
  });
});

describe('create form', () => {
  test('lines become lists; empty network and policies stay unset', () => {
    const request = createRequest({ ...EMPTY_FORM, name: ' web ', image: 'redis:7', env: 'A=1\n\n B=2 \n', volumes: 'data:/data', pullPolicy: 'never', checkOnStart: 'on' });
    assert.deepEqual(request, {
      name: 'web',
      pullPolicy: 'never',
      checkOnStart: true,
      services: [{ name: 'main', image: 'redis:7', env: ['A=1', 'B=2'], volumes: ['data:/data'], ports: [] }],
    });
    const defaults = createRequest({ ...EMPTY_FORM, name: 'x', image: 'y', network: 'host' });
    assert.equal(defaults.pullPolicy, null);
    assert.equal(defaults.checkOnStart, null);
    assert.equal(defaults.services[0].network, 'host');
  });
  test('core errors land beside their field', () => {
    assert.equal(fieldOfError({ code: 'invalid-reference', message: '"x" is not a valid image reference' }), 'image');
    assert.equal(fieldOfError({ code: 'already-exists', message: 'an app named "web" already exists' }), 'name');
    assert.equal(fieldOfError({ code: 'invalid-input', message: '"Web" is not a valid app name' }), 'name');
    assert.equal(fieldOfError({ code: 'invalid-input', message: 'environment entry "x" is not KEY=VALUE' }), 'env');
    assert.equal(fieldOfError({ code: 'invalid-input', message: 'volume "x" is not VOLUME:/path[:ro]' }), 'volumes');
    assert.equal(fieldOfError({ code: 'pull-failed', message: 'pull failed' }), null);
  });
});

describe('apps filter', () => {
  test('every word must match name, state or a reference; updates only', () => {
    const apps = [app('web', { services: [service({ reference: 'nginx:1.27', updateAvailable: true })] }), app('db', { state: 'stopped' })];
    assert.deepEqual(filterApps(apps, 'nginx', false).map((a) => a.name), ['web']);
    assert.deepEqual(filterApps(apps, 'STOPPED', false).map((a) => a.name), ['db']);
    assert.deepEqual(filterApps(apps, 'web stopped', false), []);
    assert.deepEqual(filterApps(apps, '', true).map((a) => a.name), ['web']);
  });
});

describe('pending updates, decisions, history and the report in words', () => {
  test('rollback needs a previous digest on some service, and no registry', () => {
    const ctx = { pending: null, offline: true };
    assert.match(actionAvailability(app('web'), ctx).rollback.reason ?? '', /no service has a previous digest/);
    const back = app('web', { services: [service(), service({ name: 'b', previous: { indexDigest: null, manifestDigest: DIGEST_B, imageId: 'sha256:x', source: 'registry', at: '2024-04-30T08:00:00.000Z' } })] });
    assert.deepEqual(actionAvailability(back, ctx).rollback, { enabled: true, reason: null });
    // The button says where it goes: the previous digest and when it was latched.
    assert.equal(rollbackLabel(back), `Roll back to bbbbbbbbbbbb (${formatTime('2024-04-30T08:00:00.000Z')})`);
    const two = app('web', { services: ['a', 'b'].map((name, i) => service({ name, previous: { indexDigest: null, manifestDigest: DIGEST_B, imageId: `sha256:${i}`, source: 'registry', at: `2024-04-2${i}T08:00:00.000Z` } })) });
    assert.equal(rollbackLabel(two), `Roll back 2 services to their digests of ${formatTime('2024-04-21T08:00:00.000Z')}`);
    assert.equal(rollbackLabel(app('web')), 'Roll back');
    assert.match(actionAvailability(app('web', { services: [service({ latched: null })] }), ctx).rollback.reason ?? '', /never started/);
  });

  test('a pending update\'s state, size and source', () => {
    assert.equal(stateText(pendingUpdate()), 'waiting for approval');
    assert.equal(stateText(pendingUpdate({ state: 'approved', decidedBy: 'ana' })), 'approved by ana, being applied');
    assert.equal(sizeText(pendingView()), '23.4 MB in 2 of 5 layers');
    assert.equal(sizeText(pendingView({ downloadSize: null, sizeError: { code: 'registry-unreachable', message: 'down' } })), 'size unknown: down');
    assert.equal(sizeText(pendingView({ state: 'approved', downloadSize: null })), 'being downloaded');
    assert.equal(sourceText('bundle'), 'imported bundle');
  });

  test('how an approval ended: done, rolled back, failed, queued; a rejection', () => {
    const approved = [pendingUpdate({ state: 'approved', decidedBy: 'ana' }), pendingUpdate({ id: 2, service: 'side', state: 'approved', decidedBy: 'ana' })];
    assert.deepEqual(describeApproval('web', { approved, result: result({ kind: 'apply', restarted: false }) }), {
      tone: 'done', text: 'done: web runs the approved digests of main, side (approved by ana)',
    });
    assert.equal(describeApproval('web', { approved, result: result({ kind: 'apply', outcome: 'failed', error: { code: 'pull-failed', message: 'pull failed' } }) }).text,
      'failed: pull failed; web runs what it ran before');
    assert.deepEqual(describeApproval('web', { approved, result: { operation: 9, app: 'web', state: 'pending', worker: true } }), {
      tone: 'queued', text: 'queued: web switches when the work under way on it ends (approved by ana)',
    });
    assert.equal(describeRejection('web', [pendingUpdate()]).text, 'rejected for web/main: not proposed again until a different digest appears');
  });

  test('the ledger newest first, actions in words', () => {
    const entries = [ledgerEntry({ id: 2 }), ledgerEntry({ id: 9 }), ledgerEntry({ id: 5 })];
    assert.deepEqual(newestFirst(entries).map((e) => e.id), [9, 5, 2]);
    assert.deepEqual(entries.map((e) => e.id), [2, 9, 5], 'the input is left as it was');
    assert.equal(actionWords('rollback'), 'rolled back');
    assert.equal(actionWords('something-new'), 'something-new');
    assert.equal(hasDigests({ from: null, to: null }), false);
  });

  test('settings: only changed keys, with the CLI\'s words and durations', () => {
    const saved = settings({ checkIntervalSeconds: 0, startGraceSeconds: 90 });
    const draft = draftOf(saved);
    assert.equal(draft.checkInterval, 'off');
    assert.equal(draft.startGrace, '90s');
    assert.deepEqual(settingChanges(saved, draft), {});
    assert.deepEqual(settingChanges(saved, { ...draft, prefetch: true, checkInterval: ' 6h ', startGrace: '90s' }), { prefetch: 'on', 'check-interval': '6h' });
    assert.equal(draftOf(settings({ checkIntervalSeconds: 21_600 })).checkInterval, '6h');
  });

  test('the report is saved as tagkeeper-report-<local date>.json from a Blob, and its URL revoked', async () => {
    assert.equal(reportFileName(new Date(2024, 4, 1, 23, 59)), 'tagkeeper-report-2024-05-01.json');
    const clicked: string[] = [];
    const revoked: string[] = [];
    const fakeLink = { href: '', download: '', rel: '', className: '', click() { clicked.push(`${this.href} ${this.download}`); }, remove() { clicked.push('removed'); } };
    const target = {
      document: { createElement: () => fakeLink, body: { appendChild: () => undefined } } as unknown as Document,
      createObjectURL: () => 'blob:x/1',
      revokeObjectURL: (url: string) => void revoked.push(url),
      revokeAfterMs: 0,
    };
    const blob = saveJson({ a: 1 }, 'r.json', target);
    assert.equal(await blob.text(), '{\n  "a": 1\n}\n');
    assert.deepEqual(clicked, ['blob:x/1 r.json', 'removed']);
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.deepEqual(revoked, ['blob:x/1']);
  });
});

test('a rejected digest on offer reads as rejected, not as an update', async () => {
  const { updateStatus } = await import('../../renderer/src/lib/update-status');
  const { service } = await import('../../renderer/test-support/fixtures');
  const rejected = { ...service(), updateAvailable: true, updateRejected: true };
  assert.deepEqual(updateStatus(rejected), { text: 'newer digest rejected; runs the approved one', tone: 'ok' });
  assert.equal(updateStatus({ ...rejected, updateRejected: false }).text, 'update available');
});
