/**
 * Offline bundles between two real engines: a "connected" site exports from its registry;
 * an "air-gapped" site (its registry stopped) verifies, loads and — after approval — runs the
 * new digests, reporting the registry's digests. Tampered, truncated, escaping and badly
 * signed bundles are refused with nothing loaded and nothing recorded. A delta bundle made
 * from the site's needs list is smaller and still verifies and applies.
 *
 * Bundles change nothing but what they say: signatures are required by default (an unsigned
 * bundle goes in only with --allow-unsigned, recorded in the ledger); inspect checks the
 * signature; a bundle carrying a tag other than its drive's is refused before the engine sees
 * it; loading moves no tag, approving does; a bundle that takes a drive back to older content
 * (a digest it ran, or a bundle older than the last one applied) needs --allow-downgrade.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { before } from '../helpers/hooks';
import { useSite, type TestSite } from '../helpers/site';
import { createApp, ledgerOf, publish, serviceOf, showApp, withAction, type AppJson } from '../helpers/lifecycle';
import type { BuiltImage } from '../helpers/image-builder';
import { changeBase64Letter, flipByte, tarEntries, withExtraEntries } from '../helpers/tar-surgery';
import { packEntries, tarEntries as readEntries } from '../helpers/bundle-fixtures';
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
  let v3: BuiltImage;
  let otherImage: BuiltImage;
  let otherReference: string;

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
    // Another app on the site, whose tag a bundle for APP must not be able to move.
    otherReference = `${connected.registry.host}/field/other:1`;
    otherImage = await publish(connected, 'field/other', '1', 'bundle-other');
    await createApp(site, 'other', { main: otherReference });
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

  /** Refused with exit 2 and one line, nothing loaded or recorded. `args`: by default the bundle is accepted unsigned, so that the check under test is what refuses it. */
  const refused = async (file: string, expect: RegExp, args: string[] = ['--allow-unsigned']) => {
    const before = await stateOf(site);
    const out = await site.cli(['bundle', 'import', file, ...args]);
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

  /** The signed bundle with one character of its signature changed: garbage under the trusted key's id. */
  const forgedFile = () => {
    const signed = readFileSync(signedFile);
    return damaged('forged.bundle', changeBase64Letter(signed, 'tagkeeper-bundle.json.sig', offsetOf(signed, 'tagkeeper-bundle.json.sig', '"signature":"') + 20));
  };

  test('signatures are required by default: unsigned, untrusted, forged and altered bundles are refused, saying how to trust the key or accept one unsigned', async () => {
    const settings = await site.cli(['settings', 'show', '--json']);
    assert.equal(settings.json<{ requireSignatures: boolean }>().requireSignatures, true, 'on by default');
    assert.equal((await site.cli(['keys', 'trust', trustedPub, '--name', 'central team'])).code, 0);
    await refused(fullFile, /^tagkeeper: the bundle is not signed, and this device accepts only bundles signed by a key it trusts \(trust the exporter's public key .*tagkeeper keys trust KEY\.pub.*or accept this bundle unsigned: tagkeeper bundle import --allow-unsigned FILE/, []);
    await refused(otherSignedFile, /signed by an untrusted key .*keys trust KEY\.pub.*--allow-unsigned/, []);
    // One character of the signature itself, and one of the signed index (still valid JSON): refused even when accepting unsigned.
    await refused(forgedFile(), /signature does not match the index/);
    const signed = readFileSync(signedFile);
    const altered = flipByte(signed, 'tagkeeper-bundle.json', offsetOf(signed, 'tagkeeper-bundle.json', '"createdAt"', '"20'));
    await refused(damaged('altered.bundle', altered), /signature does not match the index/);
    const keys = await site.cli(['keys', 'list', '--json']);
    assert.equal(keys.json<{ name: string }[]>()[0].name, 'central team');
  });

  test('inspect checks the signature (a garbage one is not trusted) and shows each image\'s tag', async () => {
    const status = async (file: string) => {
      const out = await site.cli(['bundle', 'inspect', file, '--json']);
      assert.equal(out.code, 0, out.stderr);
      return out.json<BundlePreview>();
    };
    assert.equal((await status(signedFile)).signature?.status, 'trusted');
    assert.equal((await status(otherSignedFile)).signature?.status, 'untrusted');
    const forged = await status(forgedFile());
    assert.equal(forged.signature?.status, 'invalid', 'garbage under a trusted key id is not called trusted');
    assert.deepEqual(forged.images.map((i) => [i.reference, i.repoTag, i.tagProblem]), [[reference, reference, null]]);
    const text = await site.cli(['bundle', 'inspect', forgedFile()]);
    assert.match(text.stdout, /does NOT match the index/);
    assert.doesNotMatch(text.stdout, /\(trusted\)/);
    assert.match(text.stdout, /import refused: the signature does not match the index/);
    assert.match((await site.cli(['bundle', 'inspect', otherSignedFile])).stdout, /a key this device does NOT trust.*\n.*import refused: it is signed by a key this device does not trust/);
  });

  test('a bundle for app field carrying busybox:latest or another app\'s tag is refused before the engine sees it; no tag moves', async () => {
    /** fullFile with its index's repoTag changed (unsigned: accepted only with --allow-unsigned, which is given). */
    const carrying = async (tag: string) => {
      const items = await readEntries(full);
      const index = JSON.parse(items[0].data.toString()) as { images: { repoTag: string | null }[] };
      index.images[0].repoTag = tag;
      items[0] = { ...items[0], data: Buffer.from(JSON.stringify(index)) };
      return damaged(`tag-${tag.replace(/[^a-z0-9]/g, '-')}.bundle`, await packEntries(items.map((i) => ({ header: { name: i.header.name }, data: i.data }))));
    };
    const tagged = async (name: string) => (await site.docker.getImage(name).inspect().catch(() => null))?.Id ?? null;
    const busyboxBefore = await tagged('busybox:latest');
    for (const tag of ['busybox:latest', otherReference]) {
      const file = await carrying(tag);
      const preview = (await site.cli(['bundle', 'inspect', file, '--json'])).json<BundlePreview>();
      assert.match(preview.images[0].tagProblem ?? '', new RegExp(`carries the tag ${tag}`), 'inspect foretells it');
      await refused(file, new RegExp(`carries the tag ${tag.replace(/[.]/g, '\\.')}, which is not the tag of the drive it updates \\(service main of app ${APP}: `));
    }
    assert.equal(await tagged('busybox:latest'), busyboxBefore, 'busybox:latest did not move');
    assert.equal(await tagged(otherReference), otherImage.configDigest, "the other app's tag did not move");
    assert.equal(await tagged(reference), v1.configDigest, "nor the drive's own");
  });

  test('a delta bundle is smaller than the full one', () => {
    assert.ok(statSync(deltaFile).size < statSync(fullFile).size, `${statSync(deltaFile).size} < ${statSync(fullFile).size}`);
    const names = tarEntries(readFileSync(deltaFile)).map((e) => e.name);
    const base = v2.layers[0].digest;
    assert.equal(v1.layers[0].digest, base, 'v1 and v2 share their base layer');
    assert.ok(!names.includes(blob(base)), 'the base layer the site has is left out');
  });

  test('the delta imports with no registry (accepted unsigned, as asked, in the ledger): pending with source bundle, no tag moved; approval applies it and moves the tag', async () => {
    const before = serviceOf(await showApp(site, APP));
    const out = await site.cli(['bundle', 'import', deltaFile, '--allow-unsigned', '--json']);
    assert.equal(out.code, 0, out.stderr);
    const answer = out.json<ImportAnswer>();
    assert.deepEqual(answer.drives.map((d) => [d.app, d.service, d.status, d.to.manifestDigest, d.downgrade]), [[APP, 'main', 'pending', v2.manifestDigest, null]]);
    assert.equal(answer.acceptedUnsigned, true);
    const loaded = await site.docker.getImage(v2.configDigest).inspect();
    assert.equal(loaded.Id, v2.configDigest, 'image loaded, its id is the config digest');
    assert.deepEqual(loaded.RepoTags ?? [], [], 'loaded without a tag');
    assert.equal((await site.docker.getImage(reference).inspect()).Id, v1.configDigest, 'the tag still names what runs');
    assert.equal(serviceOf(await showApp(site, APP)).latched?.manifestDigest, before.latched?.manifestDigest, 'still on the old digest');
    const accepted = (await site.cli(['ledger', '--json'])).json<{ app: string; action: string; detail: string | null }[]>().filter((e) => e.app === '(device)' && e.action === 'import');
    assert.equal(accepted.length, 1);
    assert.match(accepted[0].detail ?? '', /delta\.bundle: bundle made .*, unsigned, accepted without a trusted signature \(--allow-unsigned\) although require-signatures is on/);
    assert.match(withAction(await ledgerOf(site, APP), 'import')[0].detail ?? '', /unsigned, accepted without a trusted signature/);

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
    assert.equal((await site.docker.getImage(reference).inspect()).Id, v2.configDigest, 'approving moved the tag');
    const ledger = await ledgerOf(site, APP);
    assert.equal(withAction(ledger, 'import').length, 1);
    assert.equal(withAction(ledger, 'approve').length, 1);
  });

  test('a bundle signed by a trusted key is accepted when signatures are required', async () => {
    const inspected = (await site.cli(['bundle', 'inspect', signedFile, '--json'])).json<BundlePreview>();
    assert.equal(inspected.signature?.status, 'trusted');
    const out = await site.cli(['bundle', 'import', signedFile, '--json']);
    assert.equal(out.code, 0, out.stderr);
    const answer = out.json<ImportAnswer>();
    assert.equal(answer.signedBy, inspected.signature?.keyId);
    assert.equal(answer.acceptedUnsigned, false);
    assert.deepEqual(answer.drives.map((d) => d.status), ['latched'], 'the drive runs these digests already');
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
      await assert.rejects(instance.client.call('bundles:import', { file: fullFile, allowUnsigned: true, transferId: 'cancel-import' }), (e: Error & { code?: string }) => e.code === 'cancelled');
      assert.deepEqual(await stateOf(site), before);
      assert.deepEqual(readdirSync(join(site.dataDir, 'scratch')), []);
    } finally {
      await instance.close();
    }
  });

  test('import --approve applies what the bundle brought at once', async () => {
    await connected.registry.resume();
    v3 = await publish(connected, 'field/app', 'stable', 'bundle-v3');
    const file = join(work, 'v3.bundle');
    const exported = await connected.cli(['bundle', 'export', file, '--app', APP, '--latest']);
    assert.equal(exported.code, 0, exported.stderr);
    await connected.registry.pause();
    const out = await site.cli(['bundle', 'import', file, '--approve', '--allow-unsigned', '--json']);
    assert.equal(out.code, 0, out.stderr);
    const answer = out.json<ImportAnswer>();
    assert.equal(answer.applied.length, 1);
    assert.equal((answer.applied[0].result as { outcome?: string }).outcome, 'done');
    const s = serviceOf(await showApp(site, APP));
    assert.equal(s.latched?.manifestDigest, v3.manifestDigest);
    assert.equal((await site.docker.getContainer(s.containerId!).inspect()).Image, v3.configDigest);
    const approvals = withAction(await ledgerOf(site, APP), 'approve');
    assert.equal(approvals.at(-1)?.trigger, 'bundle');
    assert.equal(approvals.at(-1)?.actor, userInfo().username, 'the CLI records the local user as the approver (as updates approve does)');
    assert.equal((await site.docker.getImage(reference).inspect()).Id, v3.configDigest, 'the tag moved with the approval');
  });

  test('a bundle taking the drive back to a digest it ran before is a downgrade: marked, and applied only when confirmed', async () => {
    // The drive ran v2 (the delta bundle), then v3; fullFile carries v2.
    const inspected = (await site.cli(['bundle', 'inspect', fullFile, '--json'])).json<BundlePreview>();
    assert.match(inspected.drives[0].downgrade ?? '', new RegExp(`^it goes back to ${v2.manifestDigest.slice(0, 19)}, which service main of app ${APP} ran before$`));
    assert.match((await site.cli(['bundle', 'inspect', fullFile])).stdout, /DOWNGRADE[\s\S]*approving needs --allow-downgrade/);

    const out = await site.cli(['bundle', 'import', fullFile, '--allow-unsigned', '--approve', '--json']);
    assert.equal(out.code, 1, 'the approval asked for did not happen');
    const answer = out.json<ImportAnswer>();
    assert.deepEqual(answer.drives.map((d) => [d.status, d.downgrade !== null]), [['pending', true]]);
    assert.equal(answer.applied.length, 0);
    assert.match(answer.approvalErrors[0]?.error.message ?? '', /approving the update of service main of app field would be a downgrade: it goes back to/);
    assert.equal(serviceOf(await showApp(site, APP)).latched?.manifestDigest, v3.manifestDigest, 'still on v3');

    const listed = (await site.cli(['updates', '--json'])).json<{ app: string; downgrade: string | null }[]>().filter((u) => u.app === APP);
    assert.match(listed[0]?.downgrade ?? '', /ran before/);
    const plain = await site.cli(['updates', 'approve', APP]);
    assert.equal(plain.code, 2, plain.stderr);
    assert.match(plain.stderr, /would be a downgrade: .*\(if going back is what you want, confirm it: tagkeeper updates approve APP --allow-downgrade/);
    assert.equal(serviceOf(await showApp(site, APP)).latched?.manifestDigest, v3.manifestDigest, 'refused: nothing applied');

    const confirmed = await site.cli(['updates', 'approve', APP, '--allow-downgrade', '--json']);
    assert.equal(confirmed.code, 0, confirmed.stderr);
    const s = serviceOf(await showApp(site, APP));
    assert.equal(s.latched?.manifestDigest, v2.manifestDigest);
    assert.equal((await site.docker.getImage(reference).inspect()).Id, v2.configDigest, 'the tag went back with it');
    assert.match(withAction(await ledgerOf(site, APP), 'approve').at(-1)?.detail ?? '', /a downgrade, confirmed: it goes back to/);
  });

  test('a bundle made before the last one applied to the drive is a downgrade too', async () => {
    await connected.registry.resume();
    const exportTo = async (name: string) => {
      const file = join(work, name);
      const exported = await connected.cli(['bundle', 'export', file, '--app', APP, '--latest']);
      assert.equal(exported.code, 0, exported.stderr);
      return file;
    };
    const v4 = await publish(connected, 'field/app', 'stable', 'bundle-v4');
    const older = await exportTo('v4.bundle');
    const v5 = await publish(connected, 'field/app', 'stable', 'bundle-v5');
    const newer = await exportTo('v5.bundle');
    await connected.registry.pause();
    const applied = await site.cli(['bundle', 'import', newer, '--allow-unsigned', '--approve', '--json']);
    assert.equal(applied.code, 0, applied.stderr);
    assert.equal(serviceOf(await showApp(site, APP)).latched?.manifestDigest, v5.manifestDigest);

    const out = await site.cli(['bundle', 'import', older, '--allow-unsigned', '--json']);
    assert.equal(out.code, 0, out.stderr);
    const [drive] = out.json<ImportAnswer>().drives;
    assert.equal(drive.to.manifestDigest, v4.manifestDigest, 'content the drive never ran');
    assert.match(drive.downgrade ?? '', /^the bundle was made .*, before the bundle last applied to service main of app field \(made .*\)$/);
    assert.equal((await site.cli(['updates', 'approve', APP])).code, 2);
    assert.equal(serviceOf(await showApp(site, APP)).latched?.manifestDigest, v5.manifestDigest);
  });
});
