/** @jsxRuntime automatic */
// The Bundles screen and the trusted keys panel, rendered in happy-dom over a fake client:
// the preview (who made it, signature and trust, old → new digests and sizes, images no app
// uses, a refusal foretold), the import's progress from transfer events, Cancel with the same
// transfer id, the outcome with the way to Updates, a refused bundle's message; Import and
// approve asks the approver's name (as the approve dialog does) and sends it; the export
// (apps, latest, the signing key's path, progress, outcome); the keys list, adding and
// removing keys, require-signatures.
import '../../renderer/test-support/dom';
import { describe, test, after, afterEach, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import type { ExportAnswer, ImportAnswer } from '../../main/api/types/bundles';
import { TagkeeperError } from '../../main/api/errors';
import { closeDom } from '../../renderer/test-support/dom';
import { deferred } from '../../renderer/test-support/fake-client';
import { app, DIGEST_A, DIGEST_B, DIGEST_C, pendingUpdate, result, settings } from '../../renderer/test-support/fixtures';
import { bundleFile, exportAnswer, importAnswer, KEY_ID, preview, transfer, trustedKey } from '../../renderer/test-support/bundle-fixtures';
import { button, byTestId, gone, mountApp as mount, text } from '../../renderer/test-support/mount-app';

// This browser remembers the approver's name (the test of asking for it starts without one).
beforeEach(() => localStorage.setItem('tagkeeper.approver', 'Ana'));
afterEach(() => {
  cleanup();
  localStorage.clear();
});
after(() => closeDom());

/** Bundles screen, a bundle chosen in the file input, its preview up. */
async function choose(overrides: Parameters<typeof mount>[0] = {}) {
  const mounted = await mount({ 'apps:list': () => [app('web')], 'bundles:inspect': () => preview(), ...overrides });
  fireEvent.click(byTestId('nav-bundles'));
  await waitFor(() => byTestId('bundle-file-input'));
  fireEvent.change(byTestId('bundle-file-input'), { target: { files: [bundleFile('update.bundle', 2048)] } });
  await waitFor(() => byTestId('bundle-preview'));
  return mounted;
}

describe('bundle preview', () => {
  test('shows who made it, that it is unsigned, each drive old → new with the size, and the images no app uses', async () => {
    const { client, stop } = await choose();
    assert.deepEqual(client.callsOf('bundles:inspect'), [{ file: '/data/work/files/upload-update.bundle' }]);
    assert.equal(text('bundle-preview-file'), 'update.bundle (2.0 kB)');
    assert.match(text('bundle-preview-made'), /by ana@office \(tagkeeper\/0\.1\)$/);
    assert.equal(text('bundle-signature'), 'unsigned');
    gone('bundle-signature-warning');
    gone('bundle-rejected-warning');
    assert.equal(byTestId('bundle-drive-web-main').getAttribute('data-change'), 'update');
    assert.equal(text('bundle-drive-change-web-main'), 'update: waits for approval');
    assert.equal(byTestId('bundle-drive-from-web-main').getAttribute('data-digest'), DIGEST_A);
    assert.equal(byTestId('bundle-drive-to-web-main').getAttribute('data-digest'), DIGEST_B);
    assert.equal(text('bundle-drive-size-web-main'), '23.4 MB · 2 of 5 layers (delta)');
    assert.match(text('bundle-image-eeeeeeeeeeee'), /docker\.io\/library\/nginx:1.*linux\/amd64 · 1\.5 MB · 3 layers/);
    assert.equal(screen.queryByTestId('bundle-image-bbbbbbbbbbbb'), null, 'an image a drive uses is not listed apart');
    assert.equal(button('import-start').disabled, false);
    stop();
  });

  test('a digest rejected here before is named before the import, not called an update; plain Import is the primary button', async () => {
    const rejected = preview().drives.map((d) => ({ ...d, change: 'rejected' as const }));
    const { stop } = await choose({ 'bundles:inspect': () => preview({ drives: rejected }) });
    assert.equal(byTestId('bundle-drive-web-main').getAttribute('data-change'), 'rejected');
    assert.equal(text('bundle-drive-change-web-main'), 'rejected before: not proposed again');
    assert.match(text('bundle-rejected-warning'), /^web\/main: its digest in this bundle was rejected on this box before\. Importing will not propose it again; it keeps running what it runs\.$/);
    assert.match(byTestId('import-start').className, /\bprimary\b/);
    assert.doesNotMatch(byTestId('import-approve').className, /\bprimary\b/);
    stop();
  });

  test('a key this device does not trust, or no signature where one is required, foretells the refusal', async () => {
    const { stop } = await choose({ 'bundles:inspect': () => preview({ signature: { keyId: KEY_ID, status: 'untrusted' }, signatureRequired: true }) });
    assert.match(text('bundle-signature'), /^signed by an untrusted key 777777777777.*\(not checked: counts as unsigned\)$/);
    assert.equal(byTestId('bundle-signature').getAttribute('data-trust'), 'untrusted');
    assert.match(text('bundle-signature-warning'), /signed by a key this device does not trust, so the import will be refused/);
    stop();
    cleanup();
    const second = await choose({ 'bundles:inspect': () => preview({ signatureRequired: true, drives: [] }) });
    assert.match(text('bundle-signature-warning'), /unsigned and this device accepts only signed bundles/);
    assert.match(text('bundle-no-drives'), /changes nothing/);
    second.stop();
  });
});

describe('what a bundle may change, checked before the import', () => {
  test('a verified signature, and a garbage one (never called trusted): the core\'s verdict, and no way to accept an altered bundle', async () => {
    const first = await choose({ 'bundles:inspect': () => preview({ signature: { keyId: KEY_ID, status: 'trusted' }, signatureRequired: true }) });
    assert.match(text('bundle-signature'), /^verified with the trusted key 777777777777/);
    gone('bundle-signature-warning');
    gone('import-allow-unsigned');
    first.stop();
    cleanup();
    const second = await choose({ 'bundles:inspect': () => preview({ signature: { keyId: KEY_ID, status: 'invalid' }, signatureRequired: false }) });
    assert.equal(byTestId('bundle-signature').getAttribute('data-trust'), 'invalid');
    assert.match(text('bundle-signature'), /does NOT match the index: the bundle was altered$/);
    assert.match(text('bundle-signature-warning'), /its signature does not match its index/);
    gone('import-allow-unsigned');
    second.stop();
  });

  test('unsigned where signatures are required: the import goes ahead only with "Accept it unsigned" ticked, and says so', async () => {
    const { client, stop } = await choose({
      'bundles:inspect': () => preview({ signatureRequired: true }),
      'bundles:import': () => importAnswer({ acceptedUnsigned: true }),
    });
    assert.match(text('bundle-signature-warning'), /unsigned and this device accepts only signed bundles/);
    fireEvent.click(byTestId('import-allow-unsigned'));
    await waitFor(() => gone('bundle-signature-warning'));
    fireEvent.click(byTestId('import-start'));
    await waitFor(() => byTestId('import-outcome'));
    const request = client.callsOf('bundles:import')[0] as Record<string, unknown>;
    assert.equal(request.allowUnsigned, true);
    assert.equal('allowDowngrade' in request, false);
    assert.match(text('import-summary'), /^Imported update\.bundle \(unsigned, accepted as asked\)/);
    stop();
  });

  test('each image\'s tag is shown; a tag that is not the drive\'s foretells the refusal', async () => {
    const problem = 'bundle image docker.io/library/redis:7 (bbbbbbbbbbbb) carries the tag busybox:latest, which is not the tag of the drive it updates (service main of app web: redis:7)';
    const base = preview();
    const { stop } = await choose({
      'bundles:inspect': () => preview({ images: [{ ...base.images[0], repoTag: 'busybox:latest', tagProblem: problem }, base.images[1]] }),
    });
    assert.equal(text('bundle-drive-tag-web-main'), 'tag busybox:latest: moves when the update is approved');
    assert.match(text('bundle-image-tag-eeeeeeeeeeee'), /tag docker\.io\/library\/nginx:1/);
    assert.equal(text('bundle-tag-problem-bbbbbbbbbbbb'), `This bundle will not import: ${problem}.`);
    stop();
  });

  test('a downgrade is marked; Import and approve allows it only with "Allow going back" ticked', async () => {
    const reason = 'it goes back to sha256:aaaaaaaaaaaa, which service main of app web ran before';
    const base = preview();
    const { client, stop } = await choose({
      'bundles:inspect': () => preview({ drives: [{ ...base.drives[0], downgrade: reason }] }),
      'bundles:import': () => importAnswer({ drives: [{ ...importAnswer().drives[0], downgrade: reason }] }),
    });
    assert.equal(byTestId('bundle-drive-web-main').getAttribute('data-downgrade'), 'yes');
    assert.equal(text('bundle-drive-change-web-main'), 'downgrade');
    assert.equal(text('bundle-drive-downgrade-web-main'), reason);
    fireEvent.click(byTestId('import-allow-downgrade'));
    fireEvent.click(byTestId('import-approve'));
    await waitFor(() => byTestId('import-outcome'));
    assert.equal((client.callsOf('bundles:import')[0] as { allowDowngrade?: boolean }).allowDowngrade, true);
    assert.match(text('import-drive-downgrade-web-main'), /a downgrade: it goes back/);
    stop();
  });
});

describe('bundle import', () => {
  test('progress from transfer events (phase, bytes, images, speed), Cancel with the same id, then the cancellation', async () => {
    const answer = deferred<ImportAnswer>();
    const { client, stop } = await choose({
      'bundles:import': () => answer.promise,
      'transfers:cancel': ({ id }) => ({ cancelled: true, reason: `transfer ${id} is being stopped` }),
    });
    fireEvent.click(byTestId('import-start'));
    await waitFor(() => byTestId('import-progress'));
    const request = client.callsOf('bundles:import')[0] as { file: string; approve: boolean; transferId: string };
    assert.equal(request.file, '/data/work/files/upload-update.bundle');
    assert.equal(request.approve, false);
    assert.match(request.transferId, /^[A-Za-z0-9-]{1,64}$/);
    assert.equal(text('import-progress-text'), 'starting the import…');
    act(() => client.emit({ type: 'transfer-progress', progress: transfer({ id: 'not-mine', bytes: 1 }) }));
    assert.equal(text('import-progress-text'), 'starting the import…');
    act(() => client.emit({ type: 'transfer-progress', progress: transfer({ id: request.transferId }) }));
    assert.equal(text('import-progress-text'), 'verifying the bundle · 5.0 MB / 25.0 MB · 2.5 MB/s');
    assert.equal(byTestId('import-progress').querySelector('progress')?.getAttribute('value'), '20');
    act(() => client.emit({ type: 'transfer-progress', progress: transfer({ id: request.transferId, phase: 'loading', bytes: 12_500_000, images: 1, totalImages: 2 }) }));
    assert.equal(text('import-progress-text'), 'loading images into the engine · 12.5 MB / 25.0 MB · 1 of 2 images · 2.5 MB/s');
    assert.equal(byTestId('import-progress').getAttribute('data-phase'), 'loading');

    fireEvent.click(byTestId('import-cancel'));
    await waitFor(() => assert.deepEqual(client.callsOf('transfers:cancel'), [{ id: request.transferId }]));
    assert.equal(button('import-cancel').textContent, 'Cancelling…');
    await act(async () => answer.reject(new TagkeeperError('cancelled', 'import of /data/work/files/upload-update.bundle was cancelled; nothing was recorded')));
    await waitFor(() => assert.match(text('import-cancelled'), /was cancelled; nothing was recorded/));
    gone('import-progress');
    stop();
  });

  test('the outcome lists each drive, the images not loaded, and leads to the Updates screen', async () => {
    const { client, stores, stop } = await choose({ 'bundles:import': () => importAnswer() });
    fireEvent.click(byTestId('import-start'));
    await waitFor(() => byTestId('import-outcome'));
    assert.equal(text('import-summary'), 'Imported update.bundle (unsigned): 2 images verified, 1 loaded into the engine; 1 pending update');
    assert.equal(byTestId('import-drive-web-main').getAttribute('data-status'), 'pending');
    assert.match(text('import-drive-web-main'), /pending update, waiting for approval/);
    assert.match(text('import-unmatched'), /docker\.io\/library\/nginx:1/);
    await waitFor(() => assert.ok(client.callsOf('apps:show').some((r) => (r as { name: string }).name === 'web'), 'the app is fetched again'));
    fireEvent.click(byTestId('import-go-updates'));
    assert.equal(stores.ui.getState().screen, 'updates');
    await waitFor(() => byTestId('updates-empty'));
    stop();
  });

  test('Import and approve shows what was applied', async () => {
    const { client, stop } = await choose({
      'bundles:import': () =>
        importAnswer({
          applied: [{ approved: [pendingUpdate({ source: 'bundle', state: 'approved', decidedBy: 'ana' })], result: result({ operation: 4, kind: 'apply' }) }],
        }),
    });
    assert.equal((byTestId('import-approver-name') as HTMLInputElement).value, 'Ana', 'the name this browser remembers');
    fireEvent.click(byTestId('import-approve'));
    await waitFor(() => byTestId('import-applied-web'));
    const request = client.callsOf('bundles:import')[0] as { approve: boolean; approver?: string };
    assert.equal(request.approve, true);
    assert.equal(request.approver, 'Ana');
    assert.equal(text('import-applied-web'), 'done: web runs the approved digests of main, restarted (approved by ana)');
    assert.equal(byTestId('import-applied-web').getAttribute('data-tone'), 'done');
    gone('import-go-updates');
    stop();
  });

  test('Import and approve asks the approver\'s name (held back without one) and sends it; this browser remembers it; plain Import needs none', async () => {
    localStorage.clear();
    const { client, stop } = await choose({ 'bundles:import': () => importAnswer() });
    assert.equal((byTestId('import-approver-name') as HTMLInputElement).value, '');
    assert.equal(button('import-approve').disabled, true);
    assert.equal(button('import-approve').title, 'give your name: the ledger records who approved');
    fireEvent.click(byTestId('import-approve'));
    assert.deepEqual(client.callsOf('bundles:import'), [], 'nothing imported without a name');
    assert.equal(button('import-start').disabled, false, 'plain Import approves nothing: no name needed');
    fireEvent.change(byTestId('import-approver-name'), { target: { value: '  Ben ' } });
    await waitFor(() => assert.equal(button('import-approve').disabled, false));
    fireEvent.click(byTestId('import-approve'));
    await waitFor(() => byTestId('import-outcome'));
    const request = client.callsOf('bundles:import')[0] as { approve: boolean; approver?: string };
    assert.deepEqual([request.approve, request.approver], [true, 'Ben']);
    assert.equal(localStorage.getItem('tagkeeper.approver'), 'Ben');
    stop();
  });

  test('plain Import sends no approver', async () => {
    const { client, stop } = await choose({ 'bundles:import': () => importAnswer() });
    fireEvent.click(byTestId('import-start'));
    await waitFor(() => byTestId('import-outcome'));
    assert.equal('approver' in (client.callsOf('bundles:import')[0] as object), false);
    stop();
  });

  test('Import and approve whose approval cannot go ahead: the import stands, the reason is shown, the updates wait', async () => {
    const { stop } = await choose({
      'bundles:import': () => importAnswer({ approvalErrors: [{ app: 'web', error: { code: 'busy', message: 'app web is being worked on by process 7', hint: 'wait for it' } }] }),
    });
    fireEvent.click(byTestId('import-approve'));
    await waitFor(() => byTestId('import-approval-error-web'));
    assert.equal(text('import-approval-error-web'), 'web: not approved — app web is being worked on by process 7 (wait for it). Its updates wait on the Updates screen.');
    byTestId('import-go-updates');
    stop();
  });

  test('a refused bundle shows the core\'s one-line message, and the bundle can be chosen again', async () => {
    const message = `bundle image docker.io/library/redis:7 (${DIGEST_C}): layer sha256:abc does not hash to its digest`;
    const { stop } = await choose({
      'bundles:import': () => {
        throw new TagkeeperError('bad-bundle', message);
      },
    });
    fireEvent.click(byTestId('import-start'));
    await waitFor(() => assert.equal(text('import-error'), message));
    gone('import-outcome');
    assert.equal((byTestId('bundle-file-input') as HTMLInputElement).disabled, false);
    stop();
  });
});

describe('bundle export', () => {
  test('the chosen apps and latest are exported with progress, then the saved file is named', async () => {
    const answer = deferred<ExportAnswer>();
    const { client, stop } = await mount({ 'apps:list': () => [app('web'), app('db')], 'bundles:export': () => answer.promise });
    fireEvent.click(byTestId('nav-bundles'));
    fireEvent.click(byTestId('bundles-export'));
    await waitFor(() => byTestId('export-app-web'));
    assert.equal(button('export-start').disabled, true);
    assert.equal(button('export-start').title, 'choose apps or a needs list');
    fireEvent.click(byTestId('export-app-web'));
    fireEvent.click(byTestId('export-latest'));
    fireEvent.click(byTestId('export-start'));
    await waitFor(() => byTestId('export-progress'));
    const request = client.callsOf('bundles:export')[0] as { apps: string[]; latest: boolean; transferId: string };
    assert.deepEqual([request.apps, request.latest], [['web'], true]);
    act(() => client.emit({ type: 'transfer-progress', progress: transfer({ id: request.transferId, kind: 'export', phase: 'writing', totalBytes: null, images: 1, totalImages: 1 }) }));
    assert.equal(text('export-progress-text'), 'writing the bundle · 5.0 MB / ? · 1 of 1 image · 2.5 MB/s');
    assert.equal(byTestId('export-progress').querySelector('progress')?.hasAttribute('value'), false, 'no total: the bar moves without a value');
    await act(async () => answer.resolve(exportAnswer({ delta: true })));
    await waitFor(() => assert.equal(text('export-summary'), 'Saved tagkeeper-2024-05-02-1234.bundle: 1 image, 12.3 MB, delta, unsigned'));
    stop();
  });

  test('Sign with: the path goes to the core trimmed, the field is locked while exporting, and the summary names the key', async () => {
    const answer = deferred<ExportAnswer>();
    const { client, stop } = await mount({ 'apps:list': () => [app('web')], 'bundles:export': () => answer.promise });
    fireEvent.click(byTestId('nav-bundles'));
    fireEvent.click(byTestId('bundles-export'));
    await waitFor(() => byTestId('export-sign-key'));
    const field = byTestId('export-sign-key') as HTMLInputElement;
    assert.equal(field.value, '', 'unsigned unless a key is given');
    assert.match(text('export-sign-key-hint'), /on the machine running Tagkeeper.*Devices that trust the matching public key accept the bundle/);
    fireEvent.click(byTestId('export-app-web'));
    fireEvent.change(field, { target: { value: '  /etc/tagkeeper/site-key.pem \t' } });
    fireEvent.click(byTestId('export-start'));
    await waitFor(() => byTestId('export-progress'));
    const request = client.callsOf('bundles:export')[0] as { apps: string[]; latest: boolean; signKeyFile?: string };
    assert.deepEqual([request.apps, request.latest, request.signKeyFile], [['web'], false, '/etc/tagkeeper/site-key.pem']);
    assert.equal((byTestId('export-sign-key') as HTMLInputElement).disabled, true, 'locked like the other fields while exporting');
    await act(async () => answer.resolve(exportAnswer({ signedBy: KEY_ID })));
    await waitFor(() => assert.equal(text('export-summary'), `Saved tagkeeper-2024-05-02-1234.bundle: 1 image, 12.3 MB, signed by ${KEY_ID}`));
    assert.equal((byTestId('export-sign-key') as HTMLInputElement).disabled, false);
    assert.equal((byTestId('export-sign-key') as HTMLInputElement).value, '  /etc/tagkeeper/site-key.pem \t', 'kept for the next export');
    stop();
  });

  test('Sign with left blank (or only spaces) sends no signKeyFile; a key the core cannot use shows its message', async () => {
    let refuse = false;
    const { client, stop } = await mount({
      'apps:list': () => [app('web')],
      'bundles:export': (request) => {
        if (refuse) {
          throw new TagkeeperError('invalid-input', `cannot read the signing key ${request.signKeyFile}: ENOENT: no such file or directory`, {
            hint: 'give the path of a PKCS#8 PEM Ed25519 private key',
          });
        }
        return exportAnswer();
      },
    });
    fireEvent.click(byTestId('nav-bundles'));
    fireEvent.click(byTestId('bundles-export'));
    await waitFor(() => byTestId('export-app-web'));
    fireEvent.click(byTestId('export-app-web'));
    fireEvent.click(byTestId('export-start'));
    await waitFor(() => assert.match(text('export-summary'), /, unsigned$/));
    fireEvent.change(byTestId('export-sign-key'), { target: { value: '   ' } });
    fireEvent.click(byTestId('export-start'));
    await waitFor(() => assert.equal(client.callsOf('bundles:export').length, 2));
    for (const request of client.callsOf('bundles:export')) assert.equal(Object.hasOwn(request as object, 'signKeyFile'), false, JSON.stringify(request));

    refuse = true;
    fireEvent.change(byTestId('export-sign-key'), { target: { value: '/nope/key.pem' } });
    fireEvent.click(byTestId('export-start'));
    await waitFor(() =>
      assert.equal(text('export-error'), 'cannot read the signing key /nope/key.pem: ENOENT: no such file or directory — give the path of a PKCS#8 PEM Ed25519 private key'),
    );
    gone('export-outcome');
    stop();
  });

  test('an export the core refuses shows why', async () => {
    const { stop } = await mount({
      'apps:list': () => [app('web')],
      'bundles:export': () => {
        throw new TagkeeperError('invalid-input', 'service main of app web has no registry digest to export', { hint: 'export with --latest' });
      },
    });
    fireEvent.click(byTestId('nav-bundles'));
    fireEvent.click(byTestId('bundles-export'));
    await waitFor(() => byTestId('export-app-web'));
    fireEvent.click(byTestId('export-app-web'));
    fireEvent.click(byTestId('export-start'));
    await waitFor(() => assert.equal(text('export-error'), 'service main of app web has no registry digest to export — export with --latest'));
    stop();
  });
});

describe('trusted keys panel', () => {
  test('lists keys (id short and copyable), adds a pasted key, shows a refused removal', async () => {
    let keys = [trustedKey()];
    const { client, stop } = await mount({
      'keys:list': () => keys,
      'keys:trust': ({ publicKey, name }) => {
        if (!publicKey.includes('BEGIN PUBLIC KEY')) throw new TagkeeperError('invalid-input', 'the public key is not an Ed25519 SPKI PEM', { hint: 'paste the .pub file' });
        const key = trustedKey({ keyId: `sha256:${'6'.repeat(64)}`, name: name ?? '' });
        keys = [...keys, key];
        return { ...key, added: true };
      },
      'keys:remove': ({ keyId }) => {
        throw new TagkeeperError('invalid-input', `no trusted key has the id ${keyId}`);
      },
    });
    fireEvent.click(byTestId('nav-settings'));
    await waitFor(() => byTestId('key-row-777777777777'));
    assert.equal(byTestId('key-id-777777777777').getAttribute('data-digest'), KEY_ID);
    assert.equal(text('key-name-777777777777'), 'central team');
    assert.ok(byTestId('copy-key-id-777777777777'));
    assert.equal(button('key-new-add').disabled, true);

    fireEvent.change(byTestId('key-new-pem'), { target: { value: 'not a key' } });
    fireEvent.click(byTestId('key-new-add'));
    await waitFor(() => assert.equal(text('key-new-error'), 'the public key is not an Ed25519 SPKI PEM — paste the .pub file'));
    fireEvent.change(byTestId('key-new-pem'), { target: { value: '-----BEGIN PUBLIC KEY-----\nMCow…\n-----END PUBLIC KEY-----' } });
    fireEvent.change(byTestId('key-new-name'), { target: { value: 'site key' } });
    fireEvent.click(byTestId('key-new-add'));
    await waitFor(() => byTestId('key-row-666666666666'));
    assert.equal(text('key-new-status'), 'Trusted site key (666666666666)');
    await waitFor(() => assert.equal((byTestId('key-new-pem') as HTMLTextAreaElement).value, '', 'the form is emptied'));
    gone('key-new-error');

    fireEvent.click(byTestId('key-remove-777777777777'));
    await waitFor(() => assert.match(text('key-remove-error-777777777777'), /no trusted key has the id/));
    assert.deepEqual(client.callsOf('keys:remove'), [{ keyId: KEY_ID }]);
    stop();
  });

  test('require signatures saves at once; the core\'s refusal shows beside it; no key trusted is pointed out', async () => {
    let refuse = true;
    const { client, stop } = await mount({
      // A device that turned the requirement off (it is on by default).
      'settings:get': () => settings({ requireSignatures: false }),
      'keys:list': () => [],
      'settings:set': ({ key }) => {
        if (refuse) throw new TagkeeperError('invalid-settings', `${key}: the store is read-only`, { hint: 'try again' });
        return settings({ requireSignatures: true });
      },
    });
    fireEvent.click(byTestId('nav-settings'));
    await waitFor(() => byTestId('keys-empty'));
    fireEvent.click(byTestId('setting-require-signatures'));
    await waitFor(() => assert.equal(text('setting-require-signatures-error'), 'Require signatures: the store is read-only — try again'));
    assert.deepEqual(client.callsOf('settings:set'), [{ key: 'require-signatures', value: 'on' }]);
    await waitFor(() => assert.equal((byTestId('setting-require-signatures') as HTMLInputElement).checked, false, 'back to the stored value'));
    refuse = false;
    fireEvent.click(byTestId('setting-require-signatures'));
    await waitFor(() => assert.equal((byTestId('setting-require-signatures') as HTMLInputElement).checked, true));
    gone('setting-require-signatures-error');
    assert.match(text('require-signatures-no-keys'), /every bundle will be refused/);
    stop();
  });
});
