/**
 * Pending updates, approval and rollback in real Chromium against `tagkeeper serve` on a
 * private engine and registry. An app runs busy:1; a new image is pushed under the tag; Check
 * makes it a pending update (the Updates badge shows 1; the list shows from → to and a
 * download size equal to the new top layer's bytes, the busybox base layer being on the box
 * already); Approve asks, shows the same and the approver's name, and applies: the container
 * runs the new image and the ledger names the approver beside the user serve runs as. Rollback on the app's page brings the old image back and the
 * timeline shows it. A rejected digest leaves the list and a new Check does not bring it back;
 * a newer digest is proposed again. Screenshots: updates, approve-dialog, app-history.
 *
 * data-testids used here (see fixture.ts for the whole list): nav-updates, nav-updates-badge,
 * action-check-<app>, pending-row|from|to|size|source|state-<app>-<service>, approve-<app>-<service>,
 * reject-<app>-<service>, approve-dialog, approve-dialog-from|to|size-<service>, approver-name, confirm-approve,
 * approve-outcome, approve-close, reject-dialog, reject-explanation, confirm-reject, reject-outcome,
 * reject-close, updates-empty, open-app-<app>, app-page-<app>, action-rollback-<app>, outcome-<app>,
 * history-<app>, history-entry-<id> (data-action), export-report, export-report-status.
 */
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { httpClient } from '../../main/api/http-client';
import type { TagkeeperClient } from '../../main/api/client';
import { formatBytes } from '../../main/api/format';
import type { DeviceReport } from '../../main/api/types/report';
import { byTestId, screenshot } from '../helpers/browser';
import { buildImage, pushImage, type BuiltImage } from '../helpers/image-builder';
import { appAction, attributeEquals, eventually, onlyContainerOf, startUiSite, textMatching, type UiSite } from './fixture';

const APP = 'web';
const ROW = `${APP}-main`;
/** serve runs as this test's user; no SUDO_USER reaches it. */
const ACTOR = userInfo().username;
/** The name given in the approve dialog, recorded beside the user that serves. */
const APPROVER = 'Ana Lima';
/** A digest as the page shows it: 12 hex. */
const short = (digest: string) => digest.slice('sha256:'.length, 'sha256:'.length + 12);

describe('pending updates in the browser', () => {
  let s: UiSite;
  let api: TagkeeperClient;
  let first: BuiltImage;
  let second: BuiltImage;

  before(async () => {
    first = await buildImage({ marker: 'e2e-updates-one' });
    second = await buildImage({ marker: 'e2e-updates-two' });
    s = await startUiSite(async (site) => {
      await pushImage(site.registry.url, 'busy', '1', first);
    });
    api = httpClient(s.served.baseUrl, s.served.token);
    await api.call('apps:create', { name: APP, services: [{ name: 'main', image: `${s.site.registry.host}/busy:1`, network: 'none' }] });
    await textMatching(s.page, `app-state-${APP}`, /^running$/);
  });
  after(async () => {
    await s?.stop();
  });

  test('a new digest under the tag: Check makes it a pending update, with the badge, from → to and the download size', async () => {
    const { page } = s;
    assert.equal(await byTestId(page, 'nav-updates-badge').count(), 0, 'no badge before the check');
    await pushImage(s.site.registry.url, 'busy', '1', second);
    await appAction(page, APP, 'check');
    await textMatching(page, 'nav-updates-badge', /^1$/);
    await textMatching(page, `update-${ROW}`, /update available, waiting for approval/);
    assert.equal((await onlyContainerOf(s.site.docker, APP)).image, first.configDigest, 'Check alone applies nothing');

    await byTestId(page, 'nav-updates').click();
    await attributeEquals(page, `pending-from-${ROW}`, 'data-digest', first.manifestDigest);
    await attributeEquals(page, `pending-to-${ROW}`, 'data-digest', second.manifestDigest);
    // The base layer is shared with what runs: only the top layer is new to this box.
    assert.notEqual(second.layers[1].digest, first.layers[1].digest);
    assert.equal(second.layers[0].digest, first.layers[0].digest);
    const size = `${formatBytes(second.layers[1].size)} in 1 of 2 layers`;
    // The list comes first, its sizes after it ("working out the size…" until then).
    assert.equal(await textMatching(page, `pending-size-${ROW}`, /layers/), size);
    assert.equal(await byTestId(page, `pending-source-${ROW}`).textContent(), 'registry');
    assert.equal(await byTestId(page, `pending-state-${ROW}`).textContent(), 'waiting for approval');
    await screenshot(page, 'updates');
  });

  test('Approve asks with from → to, the size and a name, then applies: the container runs the new image, the ledger names the approver beside the user that serves', async () => {
    const { page } = s;
    const before = await onlyContainerOf(s.site.docker, APP);
    await byTestId(page, `approve-${ROW}`).click();
    await byTestId(page, 'approve-dialog').waitFor();
    await attributeEquals(page, 'approve-dialog-from-main', 'data-digest', first.manifestDigest);
    await attributeEquals(page, 'approve-dialog-to-main', 'data-digest', second.manifestDigest);
    assert.equal(await byTestId(page, 'approve-dialog-size-main').textContent(), `${formatBytes(second.layers[1].size)} in 1 of 2 layers`);
    await attributeEquals(page, 'confirm-approve', 'title', 'give your name: the ledger records who approved');
    assert.equal(await byTestId(page, 'confirm-approve').isDisabled(), true, 'Approve waits for a name');
    await byTestId(page, 'approver-name').fill(APPROVER);
    await screenshot(page, 'approve-dialog');

    await byTestId(page, 'confirm-approve').click();
    const outcome = await textMatching(page, 'approve-outcome', /^(done|rolled back|failed|queued|not approved)/);
    assert.equal(outcome, `done: ${APP} runs the approved digests of main, restarted (approved by ${APPROVER} (via serve as ${ACTOR}))`);
    assert.equal(await page.evaluate(() => localStorage.getItem('tagkeeper.approver')), APPROVER, 'this browser remembers the name');
    await byTestId(page, 'approve-close').click();
    await byTestId(page, 'approve-dialog').waitFor({ state: 'detached' });
    await byTestId(page, 'updates-empty').waitFor();
    await byTestId(page, 'nav-updates-badge').waitFor({ state: 'detached' });

    const after = await onlyContainerOf(s.site.docker, APP);
    assert.equal(after.running, true);
    assert.equal(after.image, second.configDigest, 'the container runs the approved image');
    assert.ok(after.id !== before.id || after.startedAt !== before.startedAt, 'it was restarted');

    const ledger = await api.call('ledger:list', { app: APP });
    const approve = ledger.filter((e) => e.action === 'approve');
    assert.equal(approve.length, 1, JSON.stringify(ledger));
    assert.equal(approve[0].actor, `${APPROVER} (via serve as ${ACTOR})`);
    assert.ok(ledger.some((e) => e.action === 'apply' && e.detail === `approved by ${APPROVER} (via serve as ${ACTOR})`), 'the apply says who approved it');
    assert.equal(approve[0].service, 'main');
    assert.equal(approve[0].from?.manifestDigest, first.manifestDigest);
    assert.equal(approve[0].to?.manifestDigest, second.manifestDigest);
    assert.ok(ledger.some((e) => e.action === 'apply' && e.to?.manifestDigest === second.manifestDigest && e.outcome === 'ok'), 'the apply is recorded');
  });

  test('Rollback on the app page returns to the old image, and the timeline shows apply and rollback, newest first', async () => {
    const { page } = s;
    await byTestId(page, 'nav-apps').click();
    await byTestId(page, `open-app-${APP}`).click();
    await byTestId(page, `app-page-${APP}`).waitFor();
    await attributeEquals(page, `rollback-to-${ROW}`, 'data-digest', first.manifestDigest);
    // Labelled with where it goes: the previous digest and when it was latched; it asks first.
    assert.match((await byTestId(page, `action-rollback-${APP}`).textContent()) ?? '', new RegExp(`^Roll back to ${short(first.manifestDigest)} \\(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\)…$`));
    await byTestId(page, `action-rollback-${APP}`).click();
    await attributeEquals(page, 'rollback-dialog-from-main', 'data-digest', second.manifestDigest);
    await attributeEquals(page, 'rollback-dialog-to-main', 'data-digest', first.manifestDigest);
    assert.equal((await onlyContainerOf(s.site.docker, APP)).image, second.configDigest, 'nothing happens before the confirmation');
    await byTestId(page, 'confirm-rollback').click();
    const outcome = await textMatching(page, `outcome-${APP}`, /^rollback: (done|failed|rolled)/);
    assert.match(outcome, /^rollback: done, changed, restarted/);
    await attributeEquals(page, `digest-${ROW}`, 'data-digest', first.manifestDigest);

    // Not "update available" with nothing in Updates: where it came back from, and Re-apply.
    await attributeEquals(page, `rolled-back-from-${ROW}`, 'data-digest', second.manifestDigest);
    assert.equal(await textMatching(page, `update-${ROW}`, /rolled back/), `rolled back from ${short(second.manifestDigest)}`);
    assert.equal(await byTestId(page, `action-reapply-${APP}`).textContent(), `Re-apply ${short(second.manifestDigest)}…`);
    assert.equal(await byTestId(page, `action-rollback-${APP}`).count(), 0, 'no "Roll back" that would point forward');
    assert.equal(await byTestId(page, 'nav-updates-badge').count(), 0, 'nothing waits in Updates');

    const now = await onlyContainerOf(s.site.docker, APP);
    assert.equal(now.running, true);
    assert.equal(now.image, first.configDigest, 'the container runs the old image again');

    const actions = await eventually(
      'the timeline to show the rollback',
      () => page.locator(`[data-testid="history-${APP}"] [data-testid^="history-entry-"]`).evaluateAll((els) => els.map((e) => e.getAttribute('data-action') ?? '')),
      (list) => list[0] === 'rollback',
    );
    const rollback = actions.indexOf('rollback');
    const apply = actions.indexOf('apply');
    const approve = actions.indexOf('approve');
    assert.ok(rollback === 0 && apply > rollback && approve > apply, `newest first: ${actions.join(', ')}`);
    // One item per action: the rollback's own entry shows the service it moved (the ledger has both).
    const ledger = await api.call('ledger:list', { app: APP });
    const ids = ledger.map((e) => e.id).sort((a, b) => b - a);
    const shown = await page.locator(`[data-testid="history-${APP}"] [data-testid^="history-entry-"]`).evaluateAll((els) => els.map((e) => e.getAttribute('data-entries') ?? ''));
    assert.deepEqual(shown.flatMap((entries) => entries.split(' ').map(Number)), ids, 'every ledger entry of the app, once, newest first');
    assert.ok(shown.length < ids.length, `fewer items than entries: ${JSON.stringify(shown)}`);
    const rollbacks = ledger.filter((e) => e.action === 'rollback');
    assert.equal(rollbacks.length, 2, 'the ledger records the service and the operation');
    assert.equal(actions.filter((a) => a === 'rollback').length, 1, 'History shows the rollback once');
    const moved = rollbacks.find((e) => e.service === 'main')!;
    await attributeEquals(page, `history-to-${moved.id}`, 'data-digest', first.manifestDigest);
    await byTestId(page, `rollback-${APP}`).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'app-history');
  });

  test('Reject: the update leaves the list, a new Check does not bring it back, a newer digest is proposed', async () => {
    const { page } = s;
    const third = await buildImage({ marker: 'e2e-updates-three' });
    await pushImage(s.site.registry.url, 'busy', '1', third);
    await appAction(page, APP, 'check');
    await textMatching(page, 'nav-updates-badge', /^1$/);
    await byTestId(page, 'nav-updates').click();
    await attributeEquals(page, `pending-to-${ROW}`, 'data-digest', third.manifestDigest);
    await attributeEquals(page, `pending-from-${ROW}`, 'data-digest', first.manifestDigest);

    await byTestId(page, `reject-${ROW}`).click();
    await byTestId(page, 'reject-dialog').waitFor();
    assert.match((await byTestId(page, 'reject-explanation').textContent()) ?? '', /will not be proposed again/);
    await byTestId(page, 'confirm-reject').click();
    assert.match(await textMatching(page, 'reject-outcome', /\S/), /^rejected for web\/main: not proposed again/);
    await byTestId(page, 'reject-close').click();
    await byTestId(page, `pending-row-${ROW}`).waitFor({ state: 'detached' });
    await byTestId(page, 'updates-empty').waitFor();

    await byTestId(page, 'nav-apps').click();
    await appAction(page, APP, 'check');
    await textMatching(page, `outcome-${APP}`, /^check: /);
    assert.deepEqual(await api.call('updates:list', { app: APP }), [], 'the rejected digest is not proposed again');
    await byTestId(page, 'nav-updates').click();
    await byTestId(page, 'updates-empty').waitFor();
    assert.equal(await byTestId(page, 'nav-updates-badge').count(), 0);
    assert.equal((await onlyContainerOf(s.site.docker, APP)).image, first.configDigest, 'nothing was applied');
    const reject = (await api.call('ledger:list', { app: APP })).filter((e) => e.action === 'reject');
    assert.equal(reject.length, 1);
    assert.equal(reject[0].actor, ACTOR);
    assert.equal(reject[0].to?.manifestDigest, third.manifestDigest);

    const fourth = await buildImage({ marker: 'e2e-updates-four' });
    await pushImage(s.site.registry.url, 'busy', '1', fourth);
    await byTestId(page, 'nav-apps').click();
    await appAction(page, APP, 'check');
    await textMatching(page, 'nav-updates-badge', /^1$/);
    await byTestId(page, 'nav-updates').click();
    await attributeEquals(page, `pending-to-${ROW}`, 'data-digest', fourth.manifestDigest);
  });

  test('Export report downloads the device report with the pending update and the history', async () => {
    const { page } = s;
    await byTestId(page, 'nav-settings').click();
    const [download] = await Promise.all([page.waitForEvent('download'), byTestId(page, 'export-report').click()]);
    assert.match(download.suggestedFilename(), /^tagkeeper-report-\d{4}-\d{2}-\d{2}\.json$/);
    const report = JSON.parse(readFileSync(await download.path(), 'utf8')) as DeviceReport;
    assert.deepEqual(report.apps.map((a) => a.name), [APP]);
    assert.equal(report.pendingUpdates.length, 1);
    assert.equal(report.pendingUpdates[0].state, 'pending');
    assert.ok(report.history.some((e) => e.action === 'approve' && e.actor === `${APPROVER} (via serve as ${ACTOR})`));
    assert.ok(report.history.some((e) => e.action === 'rollback'));
    await textMatching(page, 'export-report-status', /^Saved tagkeeper-report-.*: 1 app, 1 pending update, \d+ history entries$/);
  });

  test('Re-apply proposes what the app was rolled back from and approves it in the approve dialog: nothing downloaded, the approver recorded', async () => {
    const { page } = s;
    await byTestId(page, 'nav-apps').click();
    await byTestId(page, `open-app-${APP}`).click();
    await byTestId(page, `action-reapply-${APP}`).click();
    await byTestId(page, 'approve-dialog').waitFor();
    await attributeEquals(page, 'approve-dialog-from-main', 'data-digest', first.manifestDigest);
    await attributeEquals(page, 'approve-dialog-to-main', 'data-digest', second.manifestDigest);
    assert.match(await textMatching(page, 'approve-dialog-size-main', /\S/), /^nothing to download/);
    assert.equal(await byTestId(page, 'approver-name').inputValue(), APPROVER, 'the name given before is remembered');
    await byTestId(page, 'confirm-approve').click();
    const outcome = await textMatching(page, 'approve-outcome', /^(done|rolled back|failed|queued|not approved)/);
    assert.equal(outcome, `done: ${APP} runs the approved digests of main, restarted (approved by ${APPROVER} (via serve as ${ACTOR}))`);
    await byTestId(page, 'approve-close').click();
    assert.equal((await onlyContainerOf(s.site.docker, APP)).image, second.configDigest, 'it runs what it was rolled back from again');
    await byTestId(page, `action-rollback-${APP}`).waitFor();
    const approvals = (await api.call('ledger:list', { app: APP })).filter((e) => e.action === 'approve');
    assert.deepEqual(approvals.map((e) => [e.to?.manifestDigest, e.actor]).at(-1), [second.manifestDigest, `${APPROVER} (via serve as ${ACTOR})`]);
    assert.deepEqual(s.ui.pageErrors, [], 'the page threw nothing and every request it made succeeded');
  });
});
