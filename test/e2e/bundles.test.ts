/**
 * Offline bundles in real Chromium against `tagkeeper serve` on a private engine and
 * registry. App web runs busy:1; a new image is pushed under the tag and the CLI exports a
 * bundle of it (`bundle export FILE --app web --latest`), unsigned: signatures are required by
 * default, so each import here ticks "Accept it unsigned". In the browser (headless mode: the
 * file is uploaded): a copy with one byte flipped in a layer previews, then is refused on
 * import with the core's one-line message, and nothing is loaded or recorded; the good bundle
 * previews old → new, refuses to import unsigned until the box is ticked, imports, and becomes
 * a pending update from an imported bundle (badge 1, Updates screen) while the container keeps
 * running the old image and busy:1 still names it (the acceptance is in the history). An export in the browser
 * downloads a tar whose first entry is the bundle index. Signed from the browser with a key
 * file on the box ("Sign with"), the download is signed by that key (the summary and the
 * CLI's `bundle inspect --json` name it); a path that is not there, or a key that is not
 * Ed25519, shows the core's message and nothing is written. A key trusted in Settings is
 * listed by the core, and requiring signatures makes the preview of an unsigned bundle
 * foretell the refusal. Once its digest was rejected, the preview of the same bundle says so
 * before the import, and the import proposes nothing. Once web runs the second image, a bundle
 * of the first is a downgrade: marked in the preview; Import and approve without "Allow going
 * back" leaves it waiting, with it the first image runs again and busy:1 moves back. Import and
 * approve waits for the approver's name (remembered by the browser): the ledger's approval names
 * it beside the user serve runs as.
 * Screenshots: bundles-preview,
 * bundles-outcome, bundles-export, settings-keys.
 *
 * data-testids used here (see fixture.ts for the whole list): nav-bundles, bundle-file-input,
 * bundle-preview, bundle-drive-<app>-<service> (data-change), bundle-drive-from|to-<app>-<service>
 * (data-digest), bundle-signature, bundle-signature-warning, import-start, import-error,
 * import-outcome, import-summary, import-drive-<app>-<service> (data-status), import-go-updates,
 * import-allow-unsigned, import-allow-downgrade, import-approver-name, import-approve, bundle-drive-change-<app>-<service>,
 * bundle-drive-tag-<app>-<service>, import-approval-error-<app>, import-applied-<app>,
 * nav-updates-badge, pending-source|to-<app>-<service>, export-app-<app>, export-latest,
 * export-sign-key, export-start, export-summary, export-error, nav-settings, key-new-pem, key-new-name, key-new-add,
 * key-row-<12 hex>, key-new-status, setting-require-signatures.
 */
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TagkeeperClient } from '../../main/api/client';
import { httpClient } from '../../main/api/http-client';
import { byTestId, screenshot } from '../helpers/browser';
import { buildImage, pushImage, type BuiltImage } from '../helpers/image-builder';
import { flipByte, tarEntries } from '../helpers/tar-surgery';
import { attributeEquals, eventually, onlyContainerOf, startUiSite, textMatching, type UiSite } from './fixture';

const APP = 'web';
const ROW = `${APP}-main`;
/** serve runs as this test's user; the name given for Import and approve is recorded beside it. */
const ACTOR = userInfo().username;
const APPROVER = 'Ana Lima';

describe('offline bundles in the browser', () => {
  let s: UiSite;
  let api: TagkeeperClient;
  let first: BuiltImage;
  let second: BuiltImage;
  let work: string;
  let good: string;

  const blob = (digest: string) => `blobs/sha256/${digest.slice(7)}`;
  /** What an import may change: pending updates, the app's history, the engine's images. */
  const stateOf = async () => ({
    updates: await api.call('updates:list', { sizes: false }),
    ledger: (await api.call('ledger:list', { app: APP })).length,
    images: (await s.site.docker.listImages()).map((i) => i.Id).sort(),
  });
  const chooseBundle = async (file: string) => {
    const { page } = s;
    await byTestId(page, 'nav-bundles').click();
    await byTestId(page, 'bundle-file-input').setInputFiles(file);
    await byTestId(page, 'bundle-preview').waitFor();
  };

  before(async () => {
    first = await buildImage({ marker: 'e2e-bundles-one' });
    second = await buildImage({ marker: 'e2e-bundles-two' });
    work = mkdtempSync(join(tmpdir(), 'tk-e2e-bundles-'));
    s = await startUiSite(async (site) => {
      await pushImage(site.registry.url, 'busy', '1', first);
    });
    api = httpClient(s.served.baseUrl, s.served.token);
    await api.call('apps:create', { name: APP, services: [{ name: 'main', image: `${s.site.registry.host}/busy:1`, network: 'none' }] });
    await textMatching(s.page, `app-state-${APP}`, /^running$/);
    // The tag moves on the connected side; the CLI carries the new digest in a bundle.
    await pushImage(s.site.registry.url, 'busy', '1', second);
    good = join(work, 'update.bundle');
    const out = await s.site.cli(['bundle', 'export', good, '--app', APP, '--latest']);
    assert.equal(out.code, 0, `bundle export: ${out.stdout} ${out.stderr}`);
  });
  after(async () => {
    await s?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('a bundle with one byte flipped in a layer previews, then is refused with the core\'s message; nothing is loaded or recorded', async () => {
    const { page } = s;
    const bytes = readFileSync(good);
    assert.ok(tarEntries(bytes).some((e) => e.name === blob(second.layers[1].digest)), 'the new top layer is in the bundle');
    const tampered = join(work, 'tampered.bundle');
    writeFileSync(tampered, flipByte(bytes, blob(second.layers[1].digest), 10));
    const before = await stateOf();

    await chooseBundle(tampered);
    await attributeEquals(page, `bundle-drive-to-${ROW}`, 'data-digest', second.manifestDigest);
    await byTestId(page, 'import-allow-unsigned').check();
    await byTestId(page, 'import-start').click();
    const message = await textMatching(page, 'import-error', /\S/);
    assert.match(message, new RegExp(`layer ${second.layers[1].digest.slice(0, 19)}.*does not hash`));
    assert.doesNotMatch(message, /\n/, 'one line');
    assert.equal(await byTestId(page, 'import-outcome').count(), 0);
    assert.deepEqual(await stateOf(), before, 'nothing loaded, nothing recorded');
    assert.equal(await byTestId(page, 'nav-updates-badge').count(), 0);
  });

  test('the good bundle: the preview shows old → new and the tag; unsigned, it imports only once accepted; Import makes a pending update from the bundle, nothing is applied, no tag moves', async () => {
    const { page } = s;
    const tag = `${s.site.registry.host}/busy:1`;
    await chooseBundle(good);
    await attributeEquals(page, `bundle-drive-from-${ROW}`, 'data-digest', first.manifestDigest);
    await attributeEquals(page, `bundle-drive-to-${ROW}`, 'data-digest', second.manifestDigest);
    assert.equal(await byTestId(page, `bundle-drive-${ROW}`).getAttribute('data-change'), 'update');
    assert.equal(await byTestId(page, `bundle-drive-tag-${ROW}`).textContent(), `tag ${tag}: moves when the update is approved`);
    assert.equal(await byTestId(page, 'bundle-signature').textContent(), 'unsigned');
    await textMatching(page, 'bundle-signature-warning', /unsigned and this device accepts only signed bundles.*accept it unsigned below/);

    const before = await stateOf();
    await byTestId(page, 'import-start').click();
    await textMatching(page, 'import-error', /^the bundle is not signed, and this device accepts only bundles signed by a key it trusts — .*--allow-unsigned/);
    assert.deepEqual(await stateOf(), before, 'refused unsigned: nothing loaded, nothing recorded');

    await chooseBundle(good);
    await byTestId(page, 'import-allow-unsigned').check();
    assert.equal(await byTestId(page, 'bundle-signature-warning').count(), 0, 'accepted: no refusal foretold');
    await screenshot(page, 'bundles-preview');
    await byTestId(page, 'import-start').click();
    await byTestId(page, 'import-outcome').waitFor({ timeout: 60_000 });
    assert.match((await byTestId(page, 'import-summary').textContent()) ?? '', /^Imported update\.bundle \(unsigned, accepted as asked\): 1 image verified, 1 loaded into the engine; 1 pending update$/);
    assert.equal((await s.site.docker.getImage(tag).inspect()).Id, first.configDigest, 'loading moved no tag');
    const accepted = (await api.call('ledger:list', {})).filter((e) => e.app === '(device)' && e.action === 'import');
    assert.match(accepted.at(-1)?.detail ?? '', /accepted without a trusted signature \(--allow-unsigned\) although require-signatures is on/);
    assert.equal(await byTestId(page, `import-drive-${ROW}`).getAttribute('data-status'), 'pending');
    await textMatching(page, 'nav-updates-badge', /^1$/);
    await screenshot(page, 'bundles-outcome');

    await byTestId(page, 'import-go-updates').click();
    await attributeEquals(page, `pending-to-${ROW}`, 'data-digest', second.manifestDigest);
    assert.equal(await byTestId(page, `pending-source-${ROW}`).textContent(), 'imported bundle');
    const container = await onlyContainerOf(s.site.docker, APP);
    assert.equal(container.image, first.configDigest, 'importing applies nothing');
    assert.ok((await s.site.docker.listImages()).some((i) => i.Id === second.configDigest), 'the new image is loaded, ready to apply');
  });

  test('after its digest was rejected, the preview says so before the import (not "update"); plain Import is the primary button', async () => {
    const { page } = s;
    await byTestId(page, `reject-${ROW}`).click();
    await byTestId(page, 'confirm-reject').click();
    await textMatching(page, 'reject-outcome', /^rejected for web\/main/);
    await byTestId(page, 'reject-close').click();

    await chooseBundle(good);
    await attributeEquals(page, `bundle-drive-${ROW}`, 'data-change', 'rejected');
    assert.equal(await byTestId(page, `bundle-drive-change-${ROW}`).textContent(), 'rejected before: not proposed again');
    assert.match(await textMatching(page, 'bundle-rejected-warning', /\S/), /^web\/main: its digest in this bundle was rejected on this box before\. Importing will not propose it again/);
    assert.match((await byTestId(page, 'import-start').getAttribute('class')) ?? '', /\bprimary\b/, 'plain Import is the primary button');
    assert.doesNotMatch((await byTestId(page, 'import-approve').getAttribute('class')) ?? '', /\bprimary\b/, 'Import and approve is not');
    const cli = await s.site.cli(['bundle', 'inspect', good]);
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout, /rejected before/, 'the CLI says the same');

    await byTestId(page, 'import-allow-unsigned').check();
    await byTestId(page, 'import-start').click();
    await attributeEquals(page, `import-drive-${ROW}`, 'data-status', 'rejected');
    assert.deepEqual(await api.call('updates:list', { sizes: false }), [], 'not proposed again');
  });

  test('Export in the browser downloads a bundle: a tar whose first entry is the index', async () => {
    const { page } = s;
    await byTestId(page, 'nav-bundles').click();
    await byTestId(page, 'bundles-export').click();
    await byTestId(page, `export-app-${APP}`).check();
    await byTestId(page, 'export-latest').check();
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), byTestId(page, 'export-start').click()]);
    assert.match(download.suggestedFilename(), /^tagkeeper-\d{4}-\d{2}-\d{2}\.bundle$/);
    const tar = readFileSync(await download.path());
    const entries = tarEntries(tar).map((e) => e.name);
    assert.equal(entries[0], 'tagkeeper-bundle.json');
    assert.ok(entries.includes(blob(second.manifestDigest)), 'the new manifest is inside');
    await textMatching(page, 'export-summary', /^Saved tagkeeper-\d{4}-\d{2}-\d{2}\.bundle: 1 image, .*, unsigned$/);
    await screenshot(page, 'bundles-export');
  });

  test('Sign with a key file on the box: the download is signed by it; a missing or non-Ed25519 key shows the core\'s message and writes nothing', async () => {
    const { page } = s;
    const keys = join(work, 'keys');
    mkdirSync(keys, { mode: 0o700 });
    const writeKey = (name: string, key: KeyObject) => {
      const file = join(keys, name);
      writeFileSync(file, key.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
      return file;
    };
    const pair = generateKeyPairSync('ed25519');
    const keyFile = writeKey('signing.pem', pair.privateKey);
    const ecFile = writeKey('ec.pem', generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey);
    const keyId = `sha256:${createHash('sha256').update(pair.publicKey.export({ type: 'spki', format: 'der' })).digest('hex')}`;
    // Where the instance writes exports for download (open-instance: <data>/scratch/files).
    const exportsDir = join(s.site.dataDir, 'scratch', 'files');
    const written = () => (existsSync(exportsDir) ? readdirSync(exportsDir).sort() : []);
    let downloads = 0;
    const counted = () => void downloads++;
    page.on('download', counted);

    await byTestId(page, 'nav-bundles').click();
    await byTestId(page, 'bundles-export').click();
    await byTestId(page, `export-app-${APP}`).check();
    await byTestId(page, 'export-latest').check();
    const before = written();
    const missing = join(keys, 'no-such-key.pem');
    await byTestId(page, 'export-sign-key').fill(missing);
    await byTestId(page, 'export-start').click();
    const message = await textMatching(page, 'export-error', /\S/);
    assert.ok(message.startsWith(`cannot read the signing key ${missing}: ENOENT`), message);
    assert.match(message, / — give the path of a PKCS#8 PEM Ed25519 private key/);
    assert.equal(await byTestId(page, 'export-summary').count(), 0);

    await byTestId(page, 'export-sign-key').fill(`  ${ecFile}  `);
    await byTestId(page, 'export-start').click();
    await textMatching(page, 'export-error', /^the signing key is an ec key; bundles are signed with Ed25519 keys/);
    page.off('download', counted);
    assert.equal(downloads, 0, 'nothing offered to download');
    assert.deepEqual(written(), before, 'no bundle (nor a .partial) written on the box');

    await byTestId(page, 'export-sign-key').fill(` ${keyFile} `);
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), byTestId(page, 'export-start').click()]);
    const summary = await textMatching(page, 'export-summary', /^Saved tagkeeper-\d{4}-\d{2}-\d{2}\.bundle: 1 image, .*, signed by sha256:[0-9a-f]{64}$/);
    assert.ok(summary.endsWith(`, signed by ${keyId}`), summary);
    assert.equal(await byTestId(page, 'export-error').count(), 0);
    const signed = join(work, 'signed.bundle');
    await download.saveAs(signed);
    const out = await s.site.cli(['bundle', 'inspect', signed, '--json']);
    assert.equal(out.code, 0, `bundle inspect: ${out.stdout} ${out.stderr}`);
    const preview = JSON.parse(out.stdout) as { signature: { keyId: string; status: string } | null };
    assert.deepEqual(preview.signature, { keyId, status: 'untrusted' });
    await byTestId(page, 'export-sign-key').fill('');
  });

  test('a key trusted in Settings is the core\'s; requiring signatures makes an unsigned bundle\'s preview foretell the refusal', async () => {
    const { page } = s;
    const pair = generateKeyPairSync('ed25519');
    const pem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    await byTestId(page, 'nav-settings').click();
    await byTestId(page, 'key-new-pem').fill(pem);
    await byTestId(page, 'key-new-name').fill('central team');
    await byTestId(page, 'key-new-add').click();
    await textMatching(page, 'key-new-status', /^Trusted central team/);
    const keys = await api.call('keys:list', {});
    assert.deepEqual(keys.map((k) => k.name), ['central team']);
    await byTestId(page, `key-row-${keys[0].keyId.slice(7, 19)}`).waitFor();

    assert.equal((await api.call('settings:get', {})).requireSignatures, true, 'on by default');
    await byTestId(page, 'setting-require-signatures').check();
    await eventually('require-signatures to be on', () => api.call('settings:get', {}), (settings) => settings.requireSignatures);
    await byTestId(page, 'key-new-pem').evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await screenshot(page, 'settings-keys');

    await chooseBundle(good);
    await textMatching(page, 'bundle-signature-warning', /unsigned and this device accepts only signed bundles/);
    assert.deepEqual(s.ui.pageErrors, [], 'the page threw nothing and every request it made succeeded');
  });

  test('a bundle taking web back to the first image is a downgrade: marked; approved only with "Allow going back"', async () => {
    const { page } = s;
    const tag = `${s.site.registry.host}/busy:1`;
    // web runs the second image (its bundle update was rejected above: a refresh from the
    // registry, which holds it, taking the rejected digest explicitly); the connected side goes back to the first.
    const refreshed = await s.site.cli(['app', 'refresh', APP, '--include-rejected']);
    assert.equal(refreshed.code, 0, refreshed.stderr);
    assert.equal((await onlyContainerOf(s.site.docker, APP)).image, second.configDigest);
    await pushImage(s.site.registry.url, 'busy', '1', first);
    const older = join(work, 'older.bundle');
    const out = await s.site.cli(['bundle', 'export', older, '--app', APP, '--latest']);
    assert.equal(out.code, 0, `bundle export: ${out.stdout} ${out.stderr}`);

    await chooseBundle(older);
    assert.equal(await byTestId(page, `bundle-drive-${ROW}`).getAttribute('data-downgrade'), 'yes');
    assert.equal(await byTestId(page, `bundle-drive-change-${ROW}`).textContent(), 'downgrade');
    await byTestId(page, 'import-allow-unsigned').check();
    assert.equal(await byTestId(page, 'import-approve').isDisabled(), true, 'Import and approve waits for a name');
    await byTestId(page, 'import-approver-name').fill(APPROVER);
    await byTestId(page, 'import-approve').click();
    await textMatching(page, `import-approval-error-${APP}`, /would be a downgrade: it goes back to .*, which service main of app web ran before/);
    assert.equal((await onlyContainerOf(s.site.docker, APP)).image, second.configDigest, 'not applied without the confirmation');

    await chooseBundle(older);
    assert.equal(await byTestId(page, 'import-approver-name').inputValue(), APPROVER, 'this browser remembers the name');
    await byTestId(page, 'import-allow-unsigned').check();
    await byTestId(page, 'import-allow-downgrade').check();
    await byTestId(page, 'import-approve').click();
    await attributeEquals(page, `import-applied-${APP}`, 'data-tone', 'done');
    assert.equal((await onlyContainerOf(s.site.docker, APP)).image, first.configDigest, 'back on the first image');
    assert.equal((await s.site.docker.getImage(tag).inspect()).Id, first.configDigest, 'and busy:1 with it');
    const ledger = await api.call('ledger:list', { app: APP });
    const approval = ledger.filter((e) => e.action === 'approve').at(-1);
    assert.deepEqual([approval?.actor, approval?.trigger, approval?.to?.manifestDigest], [`${APPROVER} (via serve as ${ACTOR})`, 'bundle', first.manifestDigest]);
    assert.ok(ledger.some((e) => e.action === 'apply' && e.to?.manifestDigest === first.manifestDigest && e.detail === `approved by ${APPROVER} (via serve as ${ACTOR})`), 'the apply says who approved it');
    assert.deepEqual(s.ui.pageErrors, [], 'the page threw nothing and every request it made succeeded');
  });
});
