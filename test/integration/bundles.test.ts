/**
 * Offline bundles between two real engines: a "connected" site exports from its registry;
 * an "air-gapped" site (its registry stopped) verifies, loads and — after approval — runs the
 * new digests, reporting the registry's digests. Tampered, truncated, escaping and badly
 * signed bundles are refused with nothing loaded and nothing recorded. A delta bundle made
 * from the site's needs list is smaller and still verifies and applies.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before } from '../helpers/hooks';
import { useSite, type TestSite } from '../helpers/site';
import { createApp, ledgerOf, publish, serviceOf, showApp, withAction, type AppJson } from '../helpers/lifecycle';
import type { BuiltImage } from '../helpers/image-builder';
import { flipByte, tarEntries, withExtraEntries } from '../helpers/tar-surgery';
import type { ImportAnswer, BundlePreview } from '../../main/api/types/bundles';
import type { CoreEvent } from '../../main/api/types/events';

const APP = 'field';

describe('offline bundles between two engines', () => {
  const connected = useSite();
  const site = useSite();
  let work: string;
  let v1: BuiltImage;
  let v2: BuiltImage;
  let reference: string;
  let full: Buffer;
  let fullFile: string;
  let deltaFile: string;
  let signedFile: string;
  let otherSignedFile: string;
  let trustedPub: string;

  const imagesOn = async (s: TestSite) => (await s.docker.listImages()).map((i) => i.Id).sort();
  const stateOf = async (s: TestSite) => ({
    images: await imagesOn(s),
    updates: (await s.cli(['updates', '--json'])).stdout,
    ledger: (await ledgerOf(s, APP)).length,
  });

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'tk-bundles-'));
    // The site was commissioned while connected to the registry; later it is cut off.
    reference = `${connected.registry.host}/field/app:stable`;
    v1 = await publish(connected, 'field/app', 'stable', 'bundle-v1');
    await createApp(site, APP, { main: reference });
    await createApp(connected, APP, { main: reference });
    // The tag moves: the site must get v2 without a registry.
    v2 = await publish(connected, 'field/app', 'stable', 'bundle-v2', { filler: 2_000_000 });

    const needs = join(work, 'needs.json');
    const inventory = await site.cli(['inventory', 'export', needs]);
    assert.equal(inventory.code, 0, inventory.stderr);

    const keys = (name: string) => {
      const pair = generateKeyPairSync('ed25519');
      const priv = join(work, `${name}.pem`);
      const pub = join(work, `${name}.pub`);
      writeFileSync(priv, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
      writeFileSync(pub, pair.publicKey.export({ type: 'spki', format: 'pem' }));
      return { priv, pub };
    };
    const trusted = keys('trusted');
    const other = keys('other');
    trustedPub = trusted.pub;

    fullFile = join(work, 'full.bundle');
    deltaFile = join(work, 'delta.bundle');
    signedFile = join(work, 'signed.bundle');
    otherSignedFile = join(work, 'other.bundle');
    for (const [args, file] of [
      [['--app', APP, '--latest'], fullFile],
      [['--needs', needs], deltaFile],
      [['--app', APP, '--latest', '--sign', trusted.priv], signedFile],
      [['--app', APP, '--latest', '--sign', other.priv], otherSignedFile],
    ] as const) {
      const out = await connected.cli(['bundle', 'export', file, ...args, '--json']);
      assert.equal(out.code, 0, `export ${file}: ${out.stderr}`);
    }
    full = readFileSync(fullFile);
    // From here on the site has no registry at all.
    await connected.registry.pause();
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('the export carries the exact registry manifest, config and layers of the new digest', async () => {
    const entries = tarEntries(full).map((e) => e.name);
    assert.equal(entries[0], 'tagkeeper-bundle.json');
    assert.ok(entries.includes('manifest.json'), 'a docker-load manifest.json is inside');
    for (const digest of [v2.manifestDigest, v2.configDigest, ...v2.layers.map((l) => l.digest)]) {
      assert.ok(entries.includes(`blobs/sha256/${digest.slice(7)}`), `blob ${digest} is in the bundle`);
    }
    const manifestEntry = tarEntries(full).find((e) => e.name === `blobs/sha256/${v2.manifestDigest.slice(7)}`)!;
    assert.deepEqual(full.subarray(manifestEntry.offset, manifestEntry.offset + manifestEntry.size), v2.manifest, 'manifest bytes as pushed');
  });

  test('inspect shows the drive moving from the latched digest to the new one', async () => {
    const out = await site.cli(['bundle', 'inspect', fullFile, '--json']);
    assert.equal(out.code, 0, out.stderr);
    const preview = out.json<BundlePreview>();
    assert.deepEqual(
      preview.drives.map((d) => [d.app, d.service, d.from?.manifestDigest, d.to.manifestDigest, d.change]),
      [[APP, 'main', v1.manifestDigest, v2.manifestDigest, 'update']],
    );
    assert.equal(preview.signature, null);
  });

  const refused = async (file: string, expect: RegExp) => {
    const before = await stateOf(site);
    const out = await site.cli(['bundle', 'import', file]);
    assert.equal(out.code, 2, `refused with exit 2: ${out.stdout} ${out.stderr}`);
    assert.match(out.stderr, expect);
    assert.equal(out.stderr.trim().split('\n').length, 1, 'one line');
    assert.deepEqual(await stateOf(site), before, 'nothing loaded, nothing recorded');
    const scratch = join(site.dataDir, 'scratch');
    assert.deepEqual(existsSync(scratch) ? readdirSync(scratch) : [], [], 'no scratch files left');
  };
  const damaged = (name: string, bytes: Buffer) => {
    const file = join(work, name);
    writeFileSync(file, bytes);
    return file;
  };
  const blob = (digest: string) => `blobs/sha256/${digest.slice(7)}`;
  /** Where `marker` (then `next`, when given) ends inside entry `name`'s data (relative to the entry). */
  const offsetOf = (tar: Buffer, name: string, marker: string, next?: string) => {
    const entry = tarEntries(tar).find((e) => e.name === name)!;
    const data = tar.subarray(entry.offset, entry.offset + entry.size);
    let at = data.indexOf(marker);
    assert.ok(at >= 0, `${marker} in ${name}`);
    if (next) at = data.indexOf(next, at) - marker.length + 1;
    return at + marker.length;
  };

  test('one byte changed in a layer: refused, naming the image and the layer', async () => {
    const layer = v2.layers[v2.layers.length - 1].digest;
    await refused(damaged('layer.bundle', flipByte(full, blob(layer), 1000)), new RegExp(`field/app:stable.*layer ${layer.slice(0, 19)}.*does not hash`));
  });

  test('one byte changed in the manifest, the config, the index: each refused', async () => {
    await refused(damaged('manifest.bundle', flipByte(full, blob(v2.manifestDigest), 10)), /field\/app:stable.*manifest sha256:.*does not hash/);
    await refused(damaged('config.bundle', flipByte(full, blob(v2.configDigest), 10)), /field\/app:stable.*config sha256:.*does not hash/);
    await refused(damaged('index.bundle', flipByte(full, 'tagkeeper-bundle.json', 40)), /bundle index/);
    // A digest in the index changed: the blob it names is not the one the file holds.
    const index = tarEntries(full).find((e) => e.name === 'tagkeeper-bundle.json')!;
    const digestAt = full.subarray(index.offset, index.offset + index.size).indexOf(v2.configDigest.slice(7)) + 3;
    await refused(damaged('index-digest.bundle', flipByte(full, 'tagkeeper-bundle.json', digestAt)), /sha256/);
  });

  test('a truncated file is refused', async () => {
    const layer = tarEntries(full).find((e) => e.name === blob(v2.layers[v2.layers.length - 1].digest))!;
    await refused(damaged('cut.bundle', full.subarray(0, layer.offset + Math.floor(layer.size / 2))), /truncated|end/i);
  });

  test('an entry escaping with ../ is refused', async () => {
    const evil = await withExtraEntries(full, (pack) => pack.entry({ name: '../evil', size: 4 }, 'evil'));
    await refused(damaged('evil.bundle', evil), /\.\.\/evil|not allowed|unexpected|outside/i);
    assert.equal(existsSync(join(site.dataDir, 'evil')), false);
  });

  test('with signatures required: unsigned, untrusted, forged and altered bundles are refused', async (t) => {
    assert.equal((await site.cli(['keys', 'trust', trustedPub, '--name', 'central team'])).code, 0);
    assert.equal((await site.cli(['settings', 'set', 'require-signatures', 'on'])).code, 0);
    t.after(() => site.cli(['settings', 'set', 'require-signatures', 'off']));
    await refused(fullFile, /sign/i);
    await refused(otherSignedFile, /untrusted|not trusted/i);
    const signed = readFileSync(signedFile);
    // One character of the signature itself, and one of the signed index (still valid JSON).
    const forged = flipByte(signed, 'tagkeeper-bundle.json.sig', offsetOf(signed, 'tagkeeper-bundle.json.sig', '"signature":"') + 20);
    await refused(damaged('forged.bundle', forged), /signature does not match|signature/i);
    const altered = flipByte(signed, 'tagkeeper-bundle.json', offsetOf(signed, 'tagkeeper-bundle.json', '"createdAt"', '"20'));
    await refused(damaged('altered.bundle', altered), /signature/i);
    const keys = await site.cli(['keys', 'list', '--json']);
    assert.equal(keys.json<{ name: string }[]>()[0].name, 'central team');
  });

  test('a delta bundle is smaller than the full one', () => {
    assert.ok(statSync(deltaFile).size < statSync(fullFile).size, `${statSync(deltaFile).size} < ${statSync(fullFile).size}`);
    const names = tarEntries(readFileSync(deltaFile)).map((e) => e.name);
    const base = v2.layers[0].digest;
    assert.equal(v1.layers[0].digest, base, 'v1 and v2 share their base layer');
    assert.ok(!names.includes(blob(base)), 'the base layer the site has is left out');
  });

  test('the delta imports with no registry: pending with source bundle, applied only after approval', async () => {
    const before = serviceOf(await showApp(site, APP));
    const out = await site.cli(['bundle', 'import', deltaFile, '--json']);
    assert.equal(out.code, 0, out.stderr);
    const answer = out.json<ImportAnswer>();
    assert.deepEqual(answer.drives.map((d) => [d.app, d.service, d.status, d.to.manifestDigest]), [[APP, 'main', 'pending', v2.manifestDigest]]);
    assert.equal((await site.docker.getImage(v2.configDigest).inspect()).Id, v2.configDigest, 'image loaded, its id is the config digest');
    assert.equal(serviceOf(await showApp(site, APP)).latched?.manifestDigest, before.latched?.manifestDigest, 'still on the old digest');

    const pending = (await site.cli(['updates', '--json'])).json<{ app: string; source: string; to: { manifestDigest: string }; newBytes: number }[]>();
    assert.deepEqual(pending.map((u) => [u.app, u.source, u.to.manifestDigest, u.newBytes]), [[APP, 'bundle', v2.manifestDigest, 0]]);

    const approved = await site.cli(['updates', 'approve', APP, '--json']);
    assert.equal(approved.code, 0, approved.stderr);
    const app: AppJson = await showApp(site, APP);
    const s = serviceOf(app);
    assert.equal(s.latched?.manifestDigest, v2.manifestDigest, 'the registry manifest digest is latched, as the bundle carried it');
    assert.equal(s.latched?.imageId, v2.configDigest);
    assert.equal((s.latched as { source?: string } | null)?.source, 'bundle');
    const report = (await site.cli(['report', '--json'])).json<{ apps: AppJson[] }>();
    assert.equal(serviceOf(report.apps.find((a) => a.name === APP)!).latched?.manifestDigest, v2.manifestDigest);
    const running = await site.docker.getContainer(s.containerId!).inspect();
    assert.equal(running.Image, v2.configDigest, 'the container runs the bundle image');
    const ledger = await ledgerOf(site, APP);
    assert.equal(withAction(ledger, 'import').length, 1);
    assert.equal(withAction(ledger, 'approve').length, 1);
  });

  test('a bundle signed by a trusted key is accepted when signatures are required', async () => {
    const inspected = (await site.cli(['bundle', 'inspect', signedFile, '--json'])).json<BundlePreview>();
    assert.equal(inspected.signature?.trusted, true);
    assert.equal((await site.cli(['settings', 'set', 'require-signatures', 'on'])).code, 0);
    try {
      const out = await site.cli(['bundle', 'import', signedFile, '--json']);
      assert.equal(out.code, 0, out.stderr);
      const answer = out.json<ImportAnswer>();
      assert.equal(answer.signedBy, inspected.signature?.keyId);
      assert.deepEqual(answer.drives.map((d) => d.status), ['latched'], 'the drive runs these digests already');
    } finally {
      await site.cli(['settings', 'set', 'require-signatures', 'off']);
    }
  });

  test('export can be cancelled: no file is left', async () => {
    await connected.registry.resume();
    const instance = connected.open();
    const file = join(work, 'cancelled.bundle');
    try {
      instance.events.on('event', (event: CoreEvent) => {
        if (event.type === 'transfer-progress' && event.progress.id === 'cancel-me') void instance.client.call('transfers:cancel', { id: 'cancel-me' });
      });
      await assert.rejects(instance.client.call('bundles:export', { file, apps: [APP], latest: true, transferId: 'cancel-me' }), (e: Error & { code?: string }) => e.code === 'cancelled');
      assert.equal(existsSync(file), false);
      assert.equal(existsSync(`${file}.partial`), false);
    } finally {
      await instance.close();
    }
  });

  test('import can be cancelled: nothing is recorded and no scratch is left', async () => {
    const instance = site.open();
    try {
      const before = await stateOf(site);
      instance.events.on('event', (event: CoreEvent) => {
        if (event.type === 'transfer-progress' && event.progress.id === 'cancel-import') void instance.client.call('transfers:cancel', { id: 'cancel-import' });
      });
      await assert.rejects(instance.client.call('bundles:import', { file: fullFile, transferId: 'cancel-import' }), (e: Error & { code?: string }) => e.code === 'cancelled');
      assert.deepEqual(await stateOf(site), before);
      assert.deepEqual(readdirSync(join(site.dataDir, 'scratch')), []);
    } finally {
      await instance.close();
    }
  });

  test('import --approve applies what the bundle brought at once', async () => {
    await connected.registry.resume();
    const v3 = await publish(connected, 'field/app', 'stable', 'bundle-v3');
    const file = join(work, 'v3.bundle');
    const exported = await connected.cli(['bundle', 'export', file, '--app', APP, '--latest']);
    assert.equal(exported.code, 0, exported.stderr);
    await connected.registry.pause();
    const out = await site.cli(['bundle', 'import', file, '--approve', '--json']);
    assert.equal(out.code, 0, out.stderr);
    const answer = out.json<ImportAnswer>();
    assert.equal(answer.applied.length, 1);
    assert.equal((answer.applied[0].result as { outcome?: string }).outcome, 'done');
    const s = serviceOf(await showApp(site, APP));
    assert.equal(s.latched?.manifestDigest, v3.manifestDigest);
    assert.equal((await site.docker.getContainer(s.containerId!).inspect()).Image, v3.configDigest);
    const approvals = withAction(await ledgerOf(site, APP), 'approve');
    assert.equal(approvals.at(-1)?.trigger, 'bundle');
  });
});
