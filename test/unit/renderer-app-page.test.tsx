/** @jsxRuntime automatic */
// An app's page in happy-dom over a fake client: rollback (disabled with its reason, or
// what it goes back to and its outcome), auto-apply (on, off, device default), the history
// timeline newest first, approving from the page; the device's update settings and the
// report export (the Blob behind the <a download>).
import '../../renderer/test-support/dom';
import { describe, test, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import type { DeviceReport } from '../../main/api/types/report';
import { TagkeeperError } from '../../main/api/errors';
import { closeDom } from '../../renderer/test-support/dom';
import { catchDownloads } from '../../renderer/test-support/downloads';
import { app, DIGEST_A, DIGEST_B, INDEX_A, ledgerEntry, pendingUpdate, pendingView, result, service, settings } from '../../renderer/test-support/fixtures';
import { formatTime } from '../../renderer/src/lib/format';

const IMAGE_B = `sha256:${'d'.repeat(64)}`;
import { button, byTestId, gone, mountApp as mount, text, WAITING, webWaiting } from '../../renderer/test-support/mount-app';

afterEach(() => cleanup());
after(() => closeDom());

describe('the app page', () => {
  const withPrevious = () =>
    app('web', {
      autoApply: true,
      autoApplySource: 'app',
      services: [service({ previous: { indexDigest: INDEX_A, manifestDigest: DIGEST_B, imageId: IMAGE_B, source: 'registry', at: '2024-04-30T08:00:00.000Z' } })],
    });

  test('Rollback is disabled, with the reason, when no service has a previous digest', async () => {
    const { client, stop } = await mount({ 'apps:list': () => [app('web')] });
    await waitFor(() => byTestId('open-app-web'));
    fireEvent.click(byTestId('open-app-web'));
    await waitFor(() => byTestId('app-page-web'));
    assert.equal(button('action-rollback-web').disabled, true);
    assert.match(button('action-rollback-web').title, /no service has a previous digest/);
    assert.match(text('rollback-reason-web'), /no service has a previous digest to go back to/);
    assert.deepEqual(client.callsOf('apps:rollback'), []);
    stop();
  });

  test('Rollback is labelled with where it goes, asks with from → to, rolls back, and shows the outcome', async () => {
    const { client, stop } = await mount({
      'apps:list': () => [withPrevious()],
      'apps:rollback': () => result({ kind: 'rollback', changed: true, restarted: true }),
    });
    await waitFor(() => byTestId('open-app-web'));
    fireEvent.click(byTestId('open-app-web'));
    await waitFor(() => byTestId('action-rollback-web'));
    assert.equal(byTestId('rollback-from-web-main').getAttribute('data-digest'), DIGEST_A);
    assert.equal(byTestId('rollback-to-web-main').getAttribute('data-digest'), DIGEST_B);
    gone('rollback-reason-web');
    assert.equal(text('action-rollback-web'), `Roll back to bbbbbbbbbbbb (${formatTime('2024-04-30T08:00:00.000Z')})…`);
    fireEvent.click(byTestId('action-rollback-web'));
    await waitFor(() => byTestId('rollback-dialog'));
    assert.equal(byTestId('rollback-dialog-from-main').getAttribute('data-digest'), DIGEST_A);
    assert.equal(byTestId('rollback-dialog-to-main').getAttribute('data-digest'), DIGEST_B);
    assert.deepEqual(client.callsOf('apps:rollback'), [], 'nothing happens before the confirmation');
    fireEvent.click(byTestId('cancel-rollback'));
    gone('rollback-dialog');
    assert.deepEqual(client.callsOf('apps:rollback'), []);
    fireEvent.click(byTestId('action-rollback-web'));
    await waitFor(() => byTestId('confirm-rollback'));
    assert.equal(text('confirm-rollback'), `Roll back to bbbbbbbbbbbb (${formatTime('2024-04-30T08:00:00.000Z')})`);
    fireEvent.click(byTestId('confirm-rollback'));
    gone('rollback-dialog');
    await waitFor(() => assert.equal(text('outcome-web'), 'rollback: done, changed, restarted'));
    assert.deepEqual(client.callsOf('apps:rollback'), [{ name: 'web' }]);
    fireEvent.click(byTestId('app-back'));
    await waitFor(() => byTestId('apps-filter'));
    stop();
  });

  test('after a rollback: "rolled back from X", no Roll back forward, and Re-apply proposes X again and opens the approve dialog', async () => {
    let proposed = false;
    const rolledBack = () => app('web', {
      services: [service({
        previous: { indexDigest: DIGEST_B, manifestDigest: DIGEST_B, imageId: IMAGE_B, source: 'registry', at: '2024-04-30T08:00:00.000Z' },
        rolledBackFrom: { indexDigest: DIGEST_B, manifestDigest: DIGEST_B },
        available: { indexDigest: DIGEST_B, manifestDigest: DIGEST_B, checkedAt: '2024-05-01T09:00:00.000Z' },
      })],
      pendingUpdates: proposed ? [pendingUpdate({ service: 'main', to: { indexDigest: DIGEST_B, manifestDigest: DIGEST_B } })] : [],
    });
    const { client, stop } = await mount({
      'apps:list': () => [rolledBack()],
      'apps:show': () => rolledBack(),
      'updates:repropose': () => {
        proposed = true;
        return { proposed: [pendingUpdate({ service: 'main', to: { indexDigest: DIGEST_B, manifestDigest: DIGEST_B } })] };
      },
      'updates:list': () => (proposed ? [pendingView({ service: 'main', to: { indexDigest: DIGEST_B, manifestDigest: DIGEST_B }, downloadSize: 'nothing to download (2 layers on this box)' })] : []),
    });
    await waitFor(() => byTestId('open-app-web'));
    assert.equal(text('update-web-main'), 'rolled back from bbbbbbbbbbbb', 'not "update available" with nothing in Updates');
    fireEvent.click(byTestId('open-app-web'));
    await waitFor(() => byTestId('rolled-back-web-main'));
    assert.equal(byTestId('rolled-back-from-web-main').getAttribute('data-digest'), DIGEST_B);
    assert.equal(byTestId('rolled-back-to-web-main').getAttribute('data-digest'), DIGEST_A);
    gone('action-rollback-web');
    assert.equal(text('action-reapply-web'), 'Re-apply bbbbbbbbbbbb…');
    fireEvent.click(byTestId('action-reapply-web'));
    await waitFor(() => byTestId('approve-dialog'));
    assert.deepEqual(client.callsOf('updates:repropose'), [{ app: 'web' }]);
    await waitFor(() => assert.equal(byTestId('approve-dialog-to-main').getAttribute('data-digest'), DIGEST_B));
    assert.equal(text('approve-dialog-size-main'), 'nothing to download (2 layers on this box)');
    assert.deepEqual(client.callsOf('updates:approve'), [], 'approving is the next, separate step');
    stop();
  });

  test('auto-apply: on, off or the device default, through apps:configure; a refusal shows beside it', async () => {
    let fail = false;
    const { client, stop } = await mount({
      'apps:list': () => [withPrevious()],
      'apps:configure': ({ name, autoApply }) => {
        if (fail) throw new TagkeeperError('busy', `app ${name} is busy`, { hint: 'try again when its operation ends' });
        return app(name, { autoApply: autoApply ?? false, autoApplySource: autoApply === null ? 'device' : 'app' });
      },
    });
    await waitFor(() => byTestId('open-app-web'));
    fireEvent.click(byTestId('open-app-web'));
    const select = (await waitFor(() => byTestId('auto-apply-web'))) as HTMLSelectElement;
    assert.equal(select.value, 'on');
    fireEvent.change(select, { target: { value: 'default' } });
    await waitFor(() => assert.equal((byTestId('auto-apply-web') as HTMLSelectElement).value, 'default'));
    assert.deepEqual(client.callsOf('apps:configure'), [{ name: 'web', autoApply: null }]);
    assert.match(text('app-row-web'), /auto-apply off \(device default\)/);
    fail = true;
    fireEvent.change(byTestId('auto-apply-web'), { target: { value: 'on' } });
    await waitFor(() => assert.match(text('auto-apply-web-error'), /app web is busy — try again when its operation ends/));
    assert.equal((byTestId('auto-apply-web') as HTMLSelectElement).value, 'default', 'the stored choice stays shown');
    stop();
  });

  test('the history is a timeline of the app\'s digests, newest first, with who, outcome and detail', async () => {
    const { client, stop } = await mount({
      'apps:list': () => [app('web')],
      'ledger:list': () => [
        ledgerEntry({ id: 1, action: 'create' }),
        ledgerEntry({ id: 4, action: 'approve', from: { indexDigest: null, manifestDigest: DIGEST_A }, to: { indexDigest: null, manifestDigest: DIGEST_B }, actor: 'ana', detail: 'download: 23.4 MB in 2 of 5 layers' }),
        ledgerEntry({ id: 5, action: 'apply', from: { indexDigest: null, manifestDigest: DIGEST_A }, to: { indexDigest: null, manifestDigest: DIGEST_B }, actor: 'ana', trigger: 'approve' }),
        ledgerEntry({ id: 7, action: 'rollback', from: { indexDigest: null, manifestDigest: DIGEST_B }, to: { indexDigest: null, manifestDigest: DIGEST_A }, outcome: 'ok', actor: 'bo' }),
      ],
    });
    await waitFor(() => byTestId('open-app-web'));
    fireEvent.click(byTestId('open-app-web'));
    await waitFor(() => byTestId('history-entry-7'));
    assert.deepEqual(client.callsOf('ledger:list')[0], { app: 'web' });
    const entries = [...document.querySelectorAll('[data-testid^="history-entry-"]')];
    assert.deepEqual(entries.map((e) => e.getAttribute('data-action')), ['rollback', 'apply', 'approve', 'create']);
    assert.equal(text('history-action-7'), 'rolled back');
    assert.equal(byTestId('history-from-7').getAttribute('data-digest'), DIGEST_B);
    assert.equal(byTestId('history-to-7').getAttribute('data-digest'), DIGEST_A);
    assert.equal(text('history-who-4'), 'by ana (user) · from registry');
    assert.equal(text('history-outcome-4'), 'ok');
    assert.equal(text('history-detail-4'), 'download: 23.4 MB in 2 of 5 layers');
    assert.equal(screen.queryByTestId('history-from-1')?.getAttribute('data-digest'), '', 'a create has no from');
    stop();
  });

  test('the app\'s pending updates can be approved from its page', async () => {
    const { stop } = await mount({ 'apps:list': () => [webWaiting()], 'updates:list': () => WAITING });
    await waitFor(() => byTestId('open-app-web'));
    fireEvent.click(byTestId('open-app-web'));
    await waitFor(() => byTestId('pending-row-web-main'));
    fireEvent.click(byTestId('approve-web-main'));
    await waitFor(() => assert.equal(text('approve-dialog-size-main'), '23.4 MB in 2 of 5 layers'));
    stop();
  });
});

describe('settings and the report', () => {
  test('auto-apply, prefetch, check interval and start grace are saved by their CLI keys; a refusal shows beside the field', async () => {
    let saved = settings({ checkIntervalSeconds: 21_600 });
    const { client, stop } = await mount({
      'settings:get': () => saved,
      'settings:set': ({ key, value }) => {
        if (key === 'check-interval') throw new TagkeeperError('invalid-settings', `check-interval cannot be "${value}"`, { hint: 'write a duration such as 30m, 6h or 1d (at least 5s), or off' });
        if (key === 'auto-apply') saved = { ...saved, autoApply: value === 'on' };
        if (key === 'start-grace') saved = { ...saved, startGraceSeconds: 120 };
        return saved;
      },
    });
    fireEvent.click(byTestId('nav-settings'));
    const interval = (await waitFor(() => byTestId('setting-check-interval'))) as HTMLInputElement;
    assert.equal(interval.value, '6h');
    assert.equal((byTestId('setting-start-grace') as HTMLInputElement).value, '5s');
    assert.equal((byTestId('setting-prefetch') as HTMLInputElement).checked, false);
    fireEvent.click(byTestId('setting-auto-apply'));
    fireEvent.change(interval, { target: { value: 'soon' } });
    fireEvent.change(byTestId('setting-start-grace'), { target: { value: '2m' } });
    fireEvent.click(byTestId('settings-save'));
    // Beside its field, the setting goes by the field's label, not the CLI's key.
    await waitFor(() => assert.match(text('setting-check-interval-error'), /^Scheduled checks cannot be "soon" — write a duration such as 30m/));
    assert.deepEqual(client.callsOf('settings:set'), [
      { key: 'auto-apply', value: 'on' },
      { key: 'check-interval', value: 'soon' },
      { key: 'start-grace', value: '2m' },
    ]);
    assert.equal((byTestId('setting-check-interval') as HTMLInputElement).value, 'soon', 'the refused value stays to be corrected');
    stop();
  });

  test('unsaved changes survive leaving Settings (the nav says so); Discard goes back to what is stored', async () => {
    const { client, stop } = await mount({ 'settings:get': () => settings({ checkIntervalSeconds: 21_600 }) });
    fireEvent.click(byTestId('nav-settings'));
    const interval = (await waitFor(() => byTestId('setting-check-interval'))) as HTMLInputElement;
    fireEvent.change(interval, { target: { value: '30m' } });
    fireEvent.click(byTestId('setting-prefetch'));
    await waitFor(() => byTestId('nav-settings-unsaved'));
    fireEvent.click(byTestId('nav-apps'));
    await waitFor(() => gone('setting-check-interval'));
    fireEvent.click(byTestId('nav-settings'));
    await waitFor(() => assert.equal((byTestId('setting-check-interval') as HTMLInputElement).value, '30m', 'the change is still there'));
    assert.equal((byTestId('setting-prefetch') as HTMLInputElement).checked, true);
    assert.equal(button('settings-save').disabled, false);
    assert.deepEqual(client.callsOf('settings:set'), [], 'nothing was saved by leaving');
    fireEvent.click(byTestId('settings-discard'));
    await waitFor(() => assert.equal((byTestId('setting-check-interval') as HTMLInputElement).value, '6h'));
    assert.equal((byTestId('setting-prefetch') as HTMLInputElement).checked, false);
    gone('nav-settings-unsaved');
    stop();
  });

  test('Export report saves device:report as tagkeeper-report-<date>.json (a Blob behind an <a download>)', async () => {
    const report: DeviceReport = {
      generatedAt: '2024-05-01T10:00:00.000Z',
      engine: { endpoint: 'unix:///var/run/docker.sock', platform: { os: 'linux', architecture: 'amd64' } },
      settings: settings(),
      apps: [webWaiting()],
      pendingUpdates: [pendingUpdate()],
      history: [ledgerEntry({ id: 1 }), ledgerEntry({ id: 2, action: 'approve' })],
    };
    const caught = catchDownloads();
    try {
      const { client, stop } = await mount({ 'device:report': () => report });
      fireEvent.click(byTestId('nav-settings'));
      fireEvent.click(await waitFor(() => byTestId('export-report')));
      await waitFor(() => byTestId('export-report-status'));
      assert.deepEqual(client.callsOf('device:report'), [{}]);
      const today = new Date();
      const name = `tagkeeper-report-${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}.json`;
      assert.deepEqual(caught.links, [{ href: 'blob:http://127.0.0.1:3000/download-1', download: name }]);
      assert.equal(caught.blobs.length, 1);
      assert.equal(caught.blobs[0].type, 'application/json');
      assert.deepEqual(JSON.parse(await caught.blobs[0].text()), report);
      assert.equal(text('export-report-status'), `Saved ${name}: 1 app, 1 pending update, 2 history entries`);
      assert.equal(document.querySelector('a[download]'), null, 'the temporary link is gone');
      stop();
    } finally {
      caught.restore();
    }
  });
});
