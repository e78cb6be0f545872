/**
 * Every way a bundle can be damaged or altered is refused with 'bad-bundle', a message that
 * names the image and the check, and nothing left in the scratch folder.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shortDigest } from '../../main/core/model/digest';
import { TagkeeperError } from '../../main/api/errors';
import { blobEntryName } from '../../main/bundle/bundle-index';
import type { BundleImage } from '../../main/core/model/bundle';
import { readBundle, type ReadOptions } from '../../main/bundle/bundle-reader';
import { keyIdOf, signIndex } from '../../main/bundle/bundle-signature';
import { writeBundle } from '../../main/bundle/bundle-writer';
import {
  BASE_LAYER,
  blobSource,
  bundleBuffer,
  collector,
  entryData,
  filesUnder,
  fixtureDraft,
  fixtureImage,
  flipByte,
  inputOf,
  packEntries,
  tarEntries,
  type FixtureImage,
  type TarItem,
} from '../helpers/bundle-fixtures';

const REF = '127.0.0.1:5000/app:latest';
const image = fixtureImage({ reference: REF, marker: 'tamper', filler: 400_000 });
const other = fixtureImage({ reference: '127.0.0.1:5000/other:1', marker: 'other' });
const TOP = image.image.layers[1];
/** `bundle image 127.0.0.1:5000/app:latest (sha256:…)` as a pattern. */
const LABEL = `bundle image ${REF.replace(/\./g, '\\.')} \\(${shortDigest(image.image.manifestDigest)}\\)`;
const UNSIGNED: ReadOptions = { trustedKeys: [], requireSignature: false };

let root: string;
let counter = 0;
let valid: Buffer;
let entries: TarItem[];
let signer: { privateKey: KeyObject; publicKey: KeyObject };

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'tagkeeper-bundle-tamper-'));
  valid = await bundleBuffer([image, other]);
  entries = await tarEntries(valid);
  signer = generateKeyPairSync('ed25519');
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Reads `bytes` into a fresh scratch folder and expects a refusal matching `pattern`, leaving no file. */
async function refused(bytes: Buffer, pattern: RegExp, options: ReadOptions = UNSIGNED): Promise<TagkeeperError> {
  const dir = join(root, `scratch-${++counter}`);
  await mkdir(dir);
  let caught: unknown;
  try {
    await readBundle(inputOf(bytes, 32 * 1024), dir, options);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof TagkeeperError, `expected a refusal, got ${String(caught)}`);
  assert.equal(caught.code, 'bad-bundle', caught.message);
  assert.match(caught.message, pattern);
  assert.match(caught.hint ?? '', /./);
  assert.deepEqual(await filesUnder(dir), [], 'nothing is left in the scratch folder');
  return caught;
}

/** The valid bundle's entries with `edit` applied, packed again. */
async function repacked(edit: (items: TarItem[]) => TarItem[]): Promise<Buffer> {
  return packEntries(edit(entries.map((e) => ({ header: { ...e.header }, data: e.data }))));
}

/** Inserts `item` after manifest.json (so the index and signature gate have passed). */
function withEntry(item: { header: TarItem['header']; data?: Buffer }): (items: TarItem[]) => TarItem[] {
  return (items) => [...items.slice(0, 2), { data: Buffer.alloc(0), ...item }, ...items.slice(2)];
}

function header(name: string, extra: Partial<TarItem['header']> = {}): TarItem['header'] {
  return { name, size: 0, mode: 0o644, mtime: new Date(0), type: 'file', linkname: '', uid: 0, gid: 0, uname: '', gname: '', devmajor: 0, devminor: 0, ...extra };
}

describe('changed bytes', () => {
  test('one byte changed in a layer', async () => {
    const { offset, size } = entryData(valid, blobEntryName(TOP.digest));
    await refused(flipByte(valid, offset + Math.floor(size / 2)), new RegExp(`^${LABEL}: layer ${TOP.digest} does not hash to its digest$`));
  });

  test('one byte changed in a manifest', async () => {
    const { offset } = entryData(valid, blobEntryName(image.image.manifestDigest));
    await refused(flipByte(valid, offset + 20), new RegExp(`^${LABEL}: manifest ${image.image.manifestDigest} does not hash to its digest$`));
  });

  test('one byte changed in a config', async () => {
    const { offset } = entryData(valid, blobEntryName(image.image.configDigest));
    await refused(flipByte(valid, offset + 30), new RegExp(`^${LABEL}: config ${image.image.configDigest} does not hash to its digest$`));
  });

  test('one byte changed in the index: a digest in the blob list', async () => {
    const { offset, size } = entryData(valid, 'tagkeeper-bundle.json');
    const text = valid.subarray(offset, offset + size).toString();
    const at = text.lastIndexOf(TOP.digest.slice(7)); // the blob list comes last
    const bytes = Buffer.from(valid);
    bytes[offset + at] = bytes[offset + at] === 0x30 ? 0x31 : 0x30; // another lower-case hex digit
    await refused(bytes, new RegExp(`^${LABEL}: layer ${TOP.digest} is missing from the index's blob list$`));
  });

  test('one byte changed in the index: a digest no longer lower-case hex (schema)', async () => {
    const { offset, size } = entryData(valid, 'tagkeeper-bundle.json');
    const at = valid.subarray(offset, offset + size).toString().indexOf(image.image.configDigest.slice(7));
    const bytes = Buffer.from(valid);
    bytes[offset + at] = 0x47; // 'G'
    await refused(bytes, new RegExp(`^bundle index: bundle image ${REF.replace(/\./g, '\\.')}: images\\[0\\]\\.configDigest: must be sha256:`));
  });

  test('one byte changed in the index: not JSON any more', async () => {
    const { offset } = entryData(valid, 'tagkeeper-bundle.json');
    const bytes = Buffer.from(valid);
    bytes[offset] = 0x5b; // '{' → '['
    await refused(bytes, /^bundle index tagkeeper-bundle\.json is not valid JSON/);
  });

  test('one byte changed in a signed index: the signature no longer matches', async () => {
    const signed = await bundleBuffer([image], { signingKey: signer.privateKey });
    const { offset, size } = entryData(signed, 'tagkeeper-bundle.json');
    const at = signed.subarray(offset, offset + size).toString().indexOf('"tester"');
    const bytes = Buffer.from(signed);
    bytes[offset + at + 1] = 0x54; // tester → Tester: still a valid index
    await refused(bytes, /^bundle signature check failed: signature does not match the index/, {
      trustedKeys: [{ keyId: keyIdOf(signer.publicKey), publicKey: signer.publicKey }],
      requireSignature: false,
    });
  });
});

describe('truncated files', () => {
  test('cut in the middle of a layer', async () => {
    const { offset, size } = entryData(valid, blobEntryName(TOP.digest));
    await refused(valid.subarray(0, offset + Math.floor(size / 2)), new RegExp(`^bundle is truncated: the file ends inside layer ${TOP.digest} of ${LABEL}$`));
  });

  test('cut right after the index', async () => {
    const { offset, size } = entryData(valid, 'tagkeeper-bundle.json');
    const end = offset + Math.ceil(size / 512) * 512;
    await refused(valid.subarray(0, end), new RegExp(`^bundle is truncated: the file ends before manifest ${image.image.manifestDigest} of ${LABEL} \\(0 of 7 blobs read\\)$`));
  });

  test('cut inside the padding after the index', async () => {
    const { offset, size } = entryData(valid, 'tagkeeper-bundle.json');
    await refused(valid.subarray(0, offset + size + 1), /^bundle is truncated: the file ends inside the tar data after the bundle index$/);
  });

  test('not a tar at all', async () => {
    await refused(randomBytes(4096), /^the file is not a valid bundle \(not a readable tar archive/);
  });
});

describe('entries that are not plain bundle files', () => {
  test('an entry named ../evil', async () => {
    await refused(await repacked(withEntry({ header: header('../evil', { size: 4 }), data: Buffer.from('evil') })), /^entry "\.\.\/evil" points outside the bundle \(\.\.\)$/);
  });

  test('an entry with .. inside its path', async () => {
    await refused(await repacked(withEntry({ header: header('blobs/../../evil') })), /points outside the bundle/);
  });

  test('an absolute path', async () => {
    await refused(await repacked(withEntry({ header: header('/etc/cron.d/evil', { size: 4 }), data: Buffer.from('evil') })), /^entry "\/etc\/cron\.d\/evil" is an absolute path$/);
  });

  test('a backslash in a name', async () => {
    await refused(await repacked(withEntry({ header: header('blobs\\sha256\\x') })), /contains a backslash/);
  });

  test('a symlink entry', async () => {
    await refused(await repacked(withEntry({ header: header(blobEntryName(TOP.digest), { type: 'symlink', linkname: '/etc/passwd' }) })), /is a symbolic link \(to "\/etc\/passwd"\); a bundle holds only regular files$/);
  });

  test('a hard link', async () => {
    await refused(await repacked(withEntry({ header: header('manifest.json', { type: 'link', linkname: 'tagkeeper-bundle.json' }) })), /is a hard link \(to "tagkeeper-bundle\.json"\)/);
  });

  test('a device file', async () => {
    await refused(await repacked(withEntry({ header: header('blobs/sha256/dev', { type: 'character-device', devmajor: 1, devminor: 3 }) })), /is a character device/);
  });

  test('a directory and a FIFO', async () => {
    await refused(await repacked(withEntry({ header: header('blobs/', { type: 'directory', mode: 0o755 }) })), /is a directory/);
    await refused(await repacked(withEntry({ header: header('blobs/sha256/fifo', { type: 'fifo' }) })), /is a FIFO/);
  });

  test('an undeclared blob entry', async () => {
    const data = Buffer.from('surprise');
    const name = blobEntryName(`sha256:${'ab'.repeat(32)}`);
    await refused(await repacked(withEntry({ header: header(name, { size: data.length }), data })), new RegExp(`^entry "${name}" is not declared in the bundle index$`));
  });

  test('an entry that is not a bundle file at all', async () => {
    await refused(await repacked(withEntry({ header: header('README.txt', { size: 2 }), data: Buffer.from('hi') })), /^entry "README\.txt" is not part of a bundle/);
  });

  test('a duplicate entry', async () => {
    await refused(
      await repacked((items) => [...items, items.find((i) => i.header.name === blobEntryName(BASE_LAYER.digest)) as TarItem]),
      new RegExp(`^entry "${blobEntryName(BASE_LAYER.digest)}" appears twice in the bundle$`),
    );
  });

  test('a blob bigger than declared', async () => {
    const name = blobEntryName(TOP.digest);
    const bytes = await repacked((items) => items.map((i) => (i.header.name === name ? { header: { ...i.header }, data: Buffer.concat([i.data, Buffer.from('x')]) } : i)));
    await refused(bytes, new RegExp(`^${LABEL}: layer ${TOP.digest} is ${TOP.size + 1} bytes in the file, but the index declares ${TOP.size}$`));
  });

  test('an index that is not the first entry', async () => {
    await refused(await repacked((items) => [items[1], items[0], ...items.slice(2)]), /^the file is not a bundle: its first entry is "manifest\.json", not tagkeeper-bundle\.json$/);
  });
});

describe('signatures', () => {
  const trusted = (key: KeyObject): ReadOptions => ({ trustedKeys: [{ keyId: keyIdOf(key), publicKey: key }], requireSignature: true });

  test('a missing signature when signatures are required', async () => {
    const error = await refused(valid, /^the bundle is not signed, and this device accepts only bundles signed by a key it trusts$/, trusted(signer.publicKey));
    assert.match(error.hint ?? '', /tagkeeper keys trust KEY\.pub.*or accept this bundle unsigned: tagkeeper bundle import --allow-unsigned FILE/);
  });

  test('a bad signature: made by another key but claiming the trusted key', async () => {
    const signed = await bundleBuffer([image], { signingKey: signer.privateKey });
    const items = await tarEntries(signed);
    const forged = signIndex(items[0].data, generateKeyPairSync('ed25519').privateKey);
    items[1].data = Buffer.from(JSON.stringify({ ...forged, keyId: keyIdOf(signer.publicKey) }));
    await refused(await packEntries(items), /^bundle signature check failed: signature does not match the index/, trusted(signer.publicKey));
  });

  test('an untrusted key', async () => {
    const stranger = generateKeyPairSync('ed25519');
    const signed = await bundleBuffer([image], { signingKey: stranger.privateKey });
    await refused(signed, new RegExp(`^bundle signature check failed: signed by an untrusted key ${keyIdOf(stranger.publicKey)}$`), trusted(signer.publicKey));
    // Where none is required (or the import accepts the bundle unsigned), a key this device does
    // not trust cannot be checked: the bundle counts as unsigned, and says whose key it named.
    const dir = join(root, `scratch-${++counter}`);
    await mkdir(dir);
    const read = await readBundle(inputOf(signed), dir, { ...trusted(signer.publicKey), requireSignature: false });
    assert.equal(read.signedBy, null);
    assert.equal(read.unverifiedKey, keyIdOf(stranger.publicKey));
  });


  test('a signature entry that is not where it belongs or not well formed', async () => {
    const signed = await tarEntries(await bundleBuffer([image], { signingKey: signer.privateKey }));
    // Where signatures are required, a bundle whose signature does not come second is unsigned;
    // where they are not, the late signature is still refused, not ignored.
    const late = await packEntries([signed[0], signed[2], signed[1], ...signed.slice(3)]);
    await refused(late, /^the bundle is not signed/, trusted(signer.publicKey));
    await refused(late, /^tagkeeper-bundle\.json\.sig must directly follow tagkeeper-bundle\.json$/, { ...trusted(signer.publicKey), requireSignature: false });
    signed[1].data = Buffer.from(JSON.stringify({ algorithm: 'rsa', keyId: keyIdOf(signer.publicKey), signature: 'AAAA' }));
    await refused(await packEntries(signed), /^the bundle signature is not valid: algorithm:/, trusted(signer.publicKey));
  });
});

describe('an index that lies about its images (sound blobs, wrong chain)', () => {
  /** A bundle of `images` written by the real writer from the fixtures' blobs. */
  async function written(images: BundleImage[], blobs: FixtureImage[]): Promise<Buffer> {
    const out = collector();
    await writeBundle(out, { ...fixtureDraft(blobs), apps: [], images }, blobSource(blobs));
    return out.bytes();
  }

  test('the manifest names another config', async () => {
    const lying = { ...image.image, configDigest: other.image.configDigest, configSize: other.image.configSize };
    await refused(await written([lying], [image, other]), new RegExp(`^${LABEL}: the manifest names config ${image.image.configDigest}, but the bundle index says ${other.image.configDigest}$`));
  });

  test('the layers are listed in another order', async () => {
    const lying = { ...image.image, layers: [...image.image.layers].reverse() };
    await refused(await written([lying], [image]), new RegExp(`^${LABEL}: layer 1 is ${BASE_LAYER.digest} \\(\\d+ bytes\\) in the manifest, but ${TOP.digest}`));
  });

  test('the platform does not match the config', async () => {
    const lying = { ...image.image, platform: { os: 'linux', architecture: 'arm64' } };
    await refused(await written([lying], [image]), new RegExp(`^${LABEL}: config sha256:[0-9a-f]{12} is for linux/amd64, but the bundle index says linux/arm64$`));
  });
});
