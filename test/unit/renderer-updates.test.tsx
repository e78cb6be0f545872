/** @jsxRuntime automatic */
// Pending updates in the UI, rendered in happy-dom over a fake client: the Updates badge,
// the list's rows (from → to, source, found, size or why unknown, state), the approve
// dialog (from → to and size, the approver's name, confirm and cancel, progress, outcome:
// done, rolled back, refused) and the reject dialog.
import '../../renderer/test-support/dom';
import { describe, test, after, afterEach, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import type { ApproveAnswer, PendingUpdateView } from '../../main/api/types/updates';
import { TagkeeperError } from '../../main/api/errors';
import { closeDom } from '../../renderer/test-support/dom';
import { deferred } from '../../renderer/test-support/fake-client';
import { app, DIGEST_A, DIGEST_B, DIGEST_C, pendingUpdate, pendingView, result } from '../../renderer/test-support/fixtures';
import { button, byTestId, gone, mountApp as mount, text, WAITING, webWaiting } from '../../renderer/test-support/mount-app';

afterEach(() => cleanup());
after(() => closeDom());

describe('pending updates at a glance', () => {
  test('the Updates badge counts updates waiting for a decision, not those being applied', async () => {
    const { stop } = await mount({
      'apps:list': () => [
        app('web', { pendingUpdates: [pendingUpdate(), pendingUpdate({ id: 2, service: 'side' })] }),
        app('db', { pendingUpdates: [pendingUpdate({ id: 3, app: 'db', state: 'approved', decidedBy: 'ana' })] }),
        app('idle'),
      ],
    });
    await waitFor(() => assert.equal(text('nav-updates-badge'), '2'));
    assert.match(byTestId('nav-updates-badge').title, /2 updates waiting for approval/);
    stop();
  });

  test('no badge when nothing waits', async () => {
    const { stop } = await mount({ 'apps:list': () => [app('web')] });
    await waitFor(() => byTestId('app-row-web'));
    gone('nav-updates-badge');
    stop();
  });

  test('the list shows each update: from → to, source, found, size (or why unknown), state, and its buttons', async () => {
    const { client, stop } = await mount({
      'apps:list': () => [webWaiting()],
      'updates:list': () => [...WAITING, pendingView({ id: 3, app: 'db', state: 'approved', decidedBy: 'ana', foundAt: new Date().toISOString() })],
    });
    fireEvent.click(byTestId('nav-updates'));
    await waitFor(() => byTestId('pending-row-web-main'));
    await waitFor(() => assert.deepEqual(client.callsOf('updates:list'), [{ sizes: false }, {}]));
    await waitFor(() => assert.equal(text('pending-size-web-main'), '23.4 MB in 2 of 5 layers'));
    assert.equal(byTestId('pending-from-web-main').getAttribute('data-digest'), DIGEST_A);
    assert.equal(text('pending-from-web-main'), 'aaaaaaaaaaaa');
    assert.equal(byTestId('pending-to-web-main').getAttribute('data-digest'), DIGEST_B);
    assert.equal(text('pending-size-web-main'), '23.4 MB in 2 of 5 layers');
    assert.equal(text('pending-source-web-main'), 'registry');
    assert.equal(text('pending-state-web-main'), 'waiting for approval');
    assert.equal(text('pending-size-web-side'), 'size unknown: registry 127.0.0.1:5000 did not answer');
    assert.equal(text('pending-source-web-side'), 'imported bundle');
    assert.equal(text('pending-found-db-main'), 'just now');
    assert.equal(text('pending-state-db-main'), 'approved by ana, being applied');
    assert.equal(button('approve-db-main').disabled, true);
    assert.equal(button('approve-db-main').title, 'approved by ana, being applied');
    assert.equal(button('approve-all-db').disabled, true);
    assert.equal(button('approve-web-main').disabled, false);
    assert.equal(button('reject-all-web').disabled, false);
    assert.equal(text('updates-summary'), '2 waiting for approval, 1 being applied');
    stop();
  });

  test('the list comes at once, the download sizes after it (they cost the registries requests); approving need not wait', async () => {
    const sized = deferred<PendingUpdateView[]>();
    const { client, stop } = await mount({
      'apps:list': () => [webWaiting()],
      'updates:list': (request) =>
        request.sizes === false ? WAITING.map((u) => ({ ...u, downloadSize: null, newLayers: null, totalLayers: null, newBytes: null, totalBytes: null, sizeError: null })) : sized.promise,
    });
    fireEvent.click(byTestId('nav-updates'));
    await waitFor(() => byTestId('pending-row-web-main'));
    assert.equal(text('pending-size-web-main'), 'working out the size…');
    assert.equal(text('pending-size-web-side'), 'working out the size…');
    assert.equal(button('approve-web-main').disabled, false);
    await act(async () => sized.resolve(WAITING));
    await waitFor(() => assert.equal(text('pending-size-web-main'), '23.4 MB in 2 of 5 layers'));
    assert.equal(text('pending-size-web-side'), 'size unknown: registry 127.0.0.1:5000 did not answer');
    assert.deepEqual(client.callsOf('updates:list'), [{ sizes: false }, {}]);

    // Later loads (a reload, an app event) keep the sizes shown until the new ones come: one call.
    fireEvent.click(byTestId('updates-reload'));
    await waitFor(() => assert.equal(client.callsOf('updates:list').length, 3));
    assert.deepEqual(client.callsOf('updates:list')[2], {});
    assert.equal(text('pending-size-web-main'), '23.4 MB in 2 of 5 layers');
    stop();
  });

  test('an empty list says how to find updates', async () => {
    const { stop } = await mount();
    fireEvent.click(byTestId('nav-updates'));
    await waitFor(() => assert.match(text('updates-empty'), /Check an app/));
    stop();
  });
});

describe('approve dialog', () => {
  // This browser remembers the approver's name (the test below starts without one).
  beforeEach(() => localStorage.setItem('tagkeeper.approver', 'Ana'));
  afterEach(() => localStorage.clear());

  test('asks the approver\'s name (Approve waits for one), sends it with the approval, and this browser remembers it', async () => {
    localStorage.clear();
    const { client, stop } = await mount({
      'apps:list': () => [webWaiting()],
      'updates:list': () => WAITING,
      'updates:approve': () => ({ approved: [pendingUpdate({ state: 'approved', decidedBy: 'Ben (via serve as root)' })], result: result({ kind: 'apply' }) }),
    });
    fireEvent.click(byTestId('nav-updates'));
    await waitFor(() => byTestId('approve-web-main'));
    fireEvent.click(byTestId('approve-web-main'));
    await waitFor(() => byTestId('approver-name'));
    assert.equal((byTestId('approver-name') as HTMLInputElement).value, '');
    await waitFor(() => assert.equal(button('confirm-approve').title, 'give your name: the ledger records who approved'));
    assert.equal(button('confirm-approve').disabled, true);
    fireEvent.change(byTestId('approver-name'), { target: { value: '  Ben ' } });
    await waitFor(() => assert.equal(button('confirm-approve').disabled, false));
    fireEvent.click(byTestId('confirm-approve'));
    await waitFor(() => byTestId('approve-outcome'));
    assert.deepEqual(client.callsOf('updates:approve'), [{ app: 'web', service: 'main', approver: 'Ben' }]);
    assert.equal(text('approve-outcome'), 'done: web runs the approved digests of main, restarted (approved by Ben (via serve as root))');
    assert.equal(localStorage.getItem('tagkeeper.approver'), 'Ben');
    fireEvent.click(byTestId('approve-close'));
    fireEvent.click(byTestId('approve-web-side'));
    await waitFor(() => assert.equal((byTestId('approver-name') as HTMLInputElement).value, 'Ben', 'the next dialog has it'));
    stop();
  });

  test('shows, per service, from → to and the download size; Cancel approves nothing', async () => {
    const { client, stop } = await mount({ 'apps:list': () => [webWaiting()], 'updates:list': () => WAITING });
    fireEvent.click(byTestId('nav-updates'));
    await waitFor(() => byTestId('approve-all-web'));
    fireEvent.click(byTestId('approve-all-web'));
    await waitFor(() => byTestId('approve-dialog-row-side'));
    assert.match(text('approve-dialog'), /Approve the updates of web\?/);
    assert.equal(byTestId('approve-dialog-from-main').getAttribute('data-digest'), DIGEST_A);
    assert.equal(byTestId('approve-dialog-to-main').getAttribute('data-digest'), DIGEST_B);
    assert.equal(text('approve-dialog-size-main'), '23.4 MB in 2 of 5 layers');
    assert.equal(byTestId('approve-dialog-to-side').getAttribute('data-digest'), DIGEST_C);
    assert.match(text('approve-dialog-size-side'), /size unknown: registry 127\.0\.0\.1:5000 did not answer/);
    fireEvent.click(byTestId('cancel-approve'));
    gone('approve-dialog');
    assert.deepEqual(client.callsOf('updates:approve'), []);
    stop();
  });

  test('Confirm approves exactly that service, shows the pulls since then, then the outcome', async () => {
    const answer = deferred<ApproveAnswer>();
    let applied = false;
    const { client, stores, stop } = await mount({
      'apps:list': () => [webWaiting()],
      'apps:show': ({ name }) => (applied ? app(name) : webWaiting()),
      'updates:list': () => (applied ? WAITING.slice(1) : WAITING),
      'updates:approve': () => answer.promise,
    });
    // A pull from before the approval is not its progress.
    act(() => stores.operations.getState().pullProgress('web', 'main', { reference: 'old', layers: [], layersTotal: 1, layersDone: 1, bytesDone: 1, bytesTotal: 1, startedAt: 0, bytesPerSecond: 0 }));
    fireEvent.click(byTestId('nav-updates'));
    await waitFor(() => byTestId('approve-web-main'));
    fireEvent.click(byTestId('approve-web-main'));
    await waitFor(() => byTestId('approve-dialog-row-main'));
    assert.equal(screen.queryByTestId('approve-dialog-row-side'), null, 'only the service asked for');
    assert.match(text('approve-dialog'), /Approve the update of web\/main\?/);
    fireEvent.click(byTestId('confirm-approve'));
    await waitFor(() => byTestId('approve-progress'));
    assert.deepEqual(client.callsOf('updates:approve'), [{ app: 'web', service: 'main', approver: 'Ana' }]);
    gone('pull-progress-web-main');
    act(() => {
      client.emit({
        type: 'pull-progress', app: 'web', service: 'main',
        progress: { reference: 'redis:7', layers: [{ id: 'abc', status: 'downloading', current: 5, total: 10 }], layersTotal: 1, layersDone: 0, bytesDone: 5, bytesTotal: 10, startedAt: 0, bytesPerSecond: 5 },
      });
    });
    assert.match(text('pull-progress-web-main'), /0\/1 layers · 5 B \/ 10 B/);
    assert.equal(button('approve-close').textContent, 'Hide (it goes on)');
    applied = true;
    await act(async () =>
      answer.resolve({ approved: [pendingUpdate({ state: 'approved', decidedBy: 'ana' })], result: result({ kind: 'apply', changed: true, restarted: true }) }),
    );
    await waitFor(() => byTestId('approve-outcome'));
    assert.equal(text('approve-outcome'), 'done: web runs the approved digests of main, restarted (approved by ana)');
    assert.equal(byTestId('approve-outcome').getAttribute('data-tone'), 'done');
    assert.equal(byTestId('approve-dialog-to-main').getAttribute('data-digest'), DIGEST_B, 'what was approved stays on screen');
    await waitFor(() => gone('pending-row-web-main'));
    fireEvent.click(byTestId('approve-close'));
    gone('approve-dialog');
    stop();
  });

  test('a downgrade is marked, and Confirm waits for "Allow going back"; the approval then says so to the core', async () => {
    const reason = 'it goes back to sha256:aaaaaaaaaaaa, which service main of app web ran before';
    const downgrade = [pendingView({ source: 'bundle', downgrade: reason })];
    const { client, stop } = await mount({
      'apps:list': () => [webWaiting()],
      'updates:list': () => downgrade,
      'updates:approve': () => ({ approved: [pendingUpdate({ state: 'approved', decidedBy: 'ana' })], result: result({ kind: 'apply', changed: true, restarted: true }) }),
    });
    fireEvent.click(byTestId('nav-updates'));
    await waitFor(() => byTestId('approve-web-main'));
    fireEvent.click(byTestId('approve-web-main'));
    await waitFor(() => byTestId('approve-dialog-row-main'));
    assert.equal(byTestId('approve-dialog-row-main').getAttribute('data-downgrade'), 'yes');
    assert.match(text('approve-allow-downgrade-label'), /Allow going back to older content \(main: it goes back to/);
    await waitFor(() => assert.equal(button('confirm-approve').disabled, true));
    assert.match(button('confirm-approve').title, /Allow going back/);
    fireEvent.click(byTestId('approve-allow-downgrade'));
    await waitFor(() => assert.equal(button('confirm-approve').disabled, false));
    fireEvent.click(byTestId('confirm-approve'));
    await waitFor(() => byTestId('approve-outcome'));
    assert.deepEqual(client.callsOf('updates:approve'), [{ app: 'web', service: 'main', allowDowngrade: true, approver: 'Ana' }]);
    stop();
  });

  test('hidden while it runs, an approval holds back a rejection of the app; its outcome does not haunt the next dialog', async () => {
    const answer = deferred<ApproveAnswer>();
    const { client, stop } = await mount({ 'apps:list': () => [webWaiting()], 'updates:list': () => WAITING, 'updates:approve': () => answer.promise });
    fireEvent.click(byTestId('nav-updates'));
    await waitFor(() => byTestId('approve-web-main'));
    fireEvent.click(byTestId('approve-web-main'));
    await waitFor(() => assert.equal(button('confirm-approve').disabled, false));
    fireEvent.click(byTestId('confirm-approve'));
    await waitFor(() => byTestId('approve-progress'));
    fireEvent.click(byTestId('approve-close'));
    gone('approve-dialog');
    assert.equal(button('reject-web-side').disabled, true);
    assert.equal(button('reject-web-side').title, 'waiting for approve to finish');

    await act(async () => answer.resolve({ approved: [pendingUpdate({ state: 'approved', decidedBy: 'ana' })], result: result({ kind: 'apply' }) }));
    await waitFor(() => assert.equal(button('reject-web-side').disabled, false));
    fireEvent.click(byTestId('approve-web-side'));
    await waitFor(() => byTestId('confirm-approve'));
    assert.equal(screen.queryByTestId('approve-outcome'), null, 'the earlier approval\'s outcome is not this one\'s');
    fireEvent.click(byTestId('cancel-approve'));
    fireEvent.click(byTestId('reject-web-side'));
    assert.equal(screen.queryByTestId('reject-outcome'), null);
    assert.equal(button('confirm-reject').disabled, false);
    assert.equal(client.callsOf('updates:approve').length, 1);
    stop();
  });

  test('a rollback after the apply is shown with its reason', async () => {
    const { stop } = await mount({
      'apps:list': () => [webWaiting()],
      'updates:list': () => WAITING,
      'updates:approve': () => ({
        approved: [pendingUpdate({ state: 'approved', decidedBy: 'ana' })],
        result: result({ kind: 'apply', outcome: 'rolled-back', error: { code: 'internal', message: 'container main exited with code 1 within 5 s' } }),
      }),
    });
    fireEvent.click(byTestId('nav-updates'));
    await waitFor(() => byTestId('approve-web-main'));
    fireEvent.click(byTestId('approve-web-main'));
    await waitFor(() => assert.equal(button('confirm-approve').disabled, false));
    fireEvent.click(byTestId('confirm-approve'));
    await waitFor(() => byTestId('approve-outcome'));
    assert.equal(text('approve-outcome'), 'rolled back: container main exited with code 1 within 5 s; web runs its previous digests again');
    assert.equal(byTestId('approve-outcome').getAttribute('data-tone'), 'rolled-back');
    stop();
  });

  test('a refusal by the core is shown in words', async () => {
    const { stop } = await mount({
      'apps:list': () => [webWaiting()],
      'updates:list': () => WAITING,
      'updates:approve': () => {
        throw new TagkeeperError('busy', 'the pending updates of app web were decided by someone else meanwhile', { hint: 'see them again with: tagkeeper updates' });
      },
    });
    fireEvent.click(byTestId('nav-updates'));
    await waitFor(() => byTestId('approve-all-web'));
    fireEvent.click(byTestId('approve-all-web'));
    await waitFor(() => assert.equal(button('confirm-approve').disabled, false));
    fireEvent.click(byTestId('confirm-approve'));
    await waitFor(() => assert.match(text('approve-outcome'), /^not approved: the pending updates of app web were decided by someone else meanwhile — see them again/));
    stop();
  });
});

describe('reject dialog', () => {
  test('says the digest will not be proposed again; Confirm rejects and the row goes', async () => {
    let rejected = false;
    const { client, stop } = await mount({
      'apps:list': () => [webWaiting()],
      'updates:list': () => (rejected ? WAITING.slice(1) : WAITING),
      'updates:reject': () => {
        rejected = true;
        return { rejected: [pendingUpdate({ state: 'rejected', decidedBy: 'ana' })] };
      },
    });
    fireEvent.click(byTestId('nav-updates'));
    await waitFor(() => byTestId('reject-web-main'));
    fireEvent.click(byTestId('reject-web-main'));
    assert.match(text('reject-explanation'), /This digest will not be proposed again for this service; a different digest will be/);
    assert.equal(byTestId('reject-dialog-to-main').getAttribute('data-digest'), DIGEST_B);
    fireEvent.click(byTestId('cancel-reject'));
    gone('reject-dialog');
    assert.deepEqual(client.callsOf('updates:reject'), []);

    fireEvent.click(byTestId('reject-web-main'));
    fireEvent.click(byTestId('confirm-reject'));
    await waitFor(() => assert.match(text('reject-outcome'), /^rejected for web\/main: not proposed again until a different digest appears/));
    assert.deepEqual(client.callsOf('updates:reject'), [{ app: 'web', service: 'main' }]);
    await waitFor(() => gone('pending-row-web-main'));
    assert.ok(byTestId('pending-row-web-side'), 'the other service still waits');
    fireEvent.click(byTestId('reject-close'));
    gone('reject-dialog');
    stop();
  });
});
