/** The pieces around bundles that need no engine: work files, transfers, needs lists, trusted keys. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { workFolder } from '../../main/bundle/work-folder';
import { bundleFormat } from '../../main/bundle/bundle-format';
import { beginTransfer, cancelTransfer } from '../../main/core/bundles/transfers';
import { NEEDS_FORMAT } from '../../main/api/types/bundles';
import { parseNeedsList } from '../../main/core/bundles/needs-list';
import { listTrustedKeys, trustKey, trustedKeys, untrustKey } from '../../main/core/bundles/trusted-keys';
import { keyIdOf } from '../../main/bundle/bundle-signature';
import { openMemoryStore } from '../../main/store/sqlite-store';
import type { CoreDeps } from '../../main/core/ports/deps';
import type { CoreEvent } from '../../main/api/types/events';

const workDir = () => mkdtempSync(join(tmpdir(), 'tk-work-'));
/** This process is `me`; `live` runs too; every other owner is gone. */
const owners = { self: 'me', isAlive: (owner: string) => owner === 'me' || owner === 'live' };

function depsWith(events: CoreEvent[] = []): CoreDeps {
  return {
    store: openMemoryStore(),
    actor: 'tester',
    now: () => new Date('2026-11-27T10:00:00Z'),
    emit: (e: CoreEvent) => events.push(e),
    transfers: new Map(),
    bundles: bundleFormat(),
  } as unknown as CoreDeps;
}

test('work files: generated names are ours, anything else is not', () => {
  const folder = workFolder(workDir(), owners);
  const file = folder.newFilePath('upload', 'bundle');
  assert.equal(folder.isOwnFile(file), true);
  assert.equal(folder.ownFile(basename(file)), file);
  for (const name of ['../tagkeeper.db', '/etc/passwd', 'x.partial', '.hidden.bundle', 'a/b.bundle', '']) assert.equal(folder.ownFile(name), null, name);
  assert.equal(folder.isOwnFile(join(folder.dir, 'elsewhere.bundle')), false, 'only the files folder');
  assert.equal(folder.isOwnFile(join(folder.dir, 'files', '..', 'x.bundle')), false);
  rmSync(folder.dir, { recursive: true });
});

test('work files: leftovers of a killed import and stale files are cleaned; live imports and fresh files kept', () => {
  const folder = workFolder(workDir(), owners);
  const mine = folder.newScratchDir();
  assert.match(basename(mine.path), /^import-me-[A-Za-z0-9]{6}$/, 'named after the process that made it');
  mkdirSync(join(folder.dir, 'import-live-AbC123', 'blobs'), { recursive: true });
  mkdirSync(join(folder.dir, 'import-1234.5678-AbC123', 'blobs'), { recursive: true });
  mkdirSync(join(folder.dir, 'import-abc', 'blobs'), { recursive: true });
  const fresh = folder.newFilePath('upload', 'bundle');
  const stale = folder.newFilePath('upload', 'bundle');
  writeFileSync(fresh, 'x');
  writeFileSync(stale, 'x');
  const dayAgo = (Date.now() - 25 * 3600 * 1000) / 1000;
  utimesSync(stale, dayAgo, dayAgo);
  folder.clean();
  assert.equal(existsSync(mine.path), true, "this process's import goes on");
  assert.equal(existsSync(join(folder.dir, 'import-live-AbC123')), true, "a live process's import goes on");
  assert.equal(existsSync(join(folder.dir, 'import-1234.5678-AbC123')), false, 'its process is gone');
  assert.equal(existsSync(join(folder.dir, 'import-abc')), false, 'no owner named (made before owners were): gone');
  assert.equal(existsSync(fresh), true);
  assert.equal(existsSync(stale), false);
  rmSync(folder.dir, { recursive: true });
});

test('transfers: progress events carry the id, cancel aborts, ids are unique while running', () => {
  const events: CoreEvent[] = [];
  const deps = depsWith(events);
  const t = beginTransfer(deps, 'import', 'abc-1');
  assert.throws(() => beginTransfer(deps, 'import', 'abc-1'), /already running/);
  t.report({ phase: 'loading', bytes: 10, totalBytes: 100 });
  assert.deepEqual(cancelTransfer(deps, 'nope').cancelled, false);
  assert.equal(cancelTransfer(deps, 'abc-1').cancelled, true);
  assert.equal(t.signal.aborted, true);
  t.end('cancelled');
  const progress = events.flatMap((e) => (e.type === 'transfer-progress' ? [e.progress] : []));
  assert.deepEqual(progress.map((p) => [p.id, p.phase]), [['abc-1', 'loading'], ['abc-1', 'cancelled']]);
  assert.equal(progress[0].bytes, 10);
  assert.equal(deps.transfers.size, 0);
});

test('needs lists: a valid one parses, a damaged one says what is wrong', () => {
  const needs = {
    format: NEEDS_FORMAT,
    createdAt: '2026-11-27T10:00:00Z',
    device: { host: 'site-7', user: 'tech' },
    platform: { os: 'linux', architecture: 'amd64' },
    apps: [{ app: 'a', service: 'main', reference: 'x:1', canonical: 'docker.io/library/x:1', pinnedDigest: null, latched: { indexDigest: `sha256:${'a'.repeat(64)}`, manifestDigest: `sha256:${'b'.repeat(64)}` } }],
    layers: [`sha256:${'c'.repeat(64)}`],
  };
  assert.deepEqual(parseNeedsList(needs), needs);
  assert.throws(() => parseNeedsList({ ...needs, layers: ['sha256:xyz'] }), (e: Error & { code?: string }) => e.code === 'invalid-input' && /layers\.0/.test(e.message));
  assert.throws(() => parseNeedsList({ ...needs, format: 'other' }), /needs list is not valid: format/);
});

test('trusted keys: trust, trust again (renames), list, remove; keys are named by their id', () => {
  const deps = depsWith();
  const { publicKey } = generateKeyPairSync('ed25519');
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const first = trustKey(deps, { publicKey: pem, name: 'central' });
  assert.equal(first.keyId, keyIdOf(publicKey));
  assert.equal(first.added, true);
  assert.equal(trustKey(deps, { publicKey: pem, name: 'central team' }).added, false);
  assert.deepEqual(listTrustedKeys(deps).map((k) => [k.keyId, k.name, k.addedBy]), [[first.keyId, 'central team', 'tester']]);
  assert.equal(trustedKeys(deps)[0].keyId, first.keyId);
  assert.throws(() => trustKey(deps, { publicKey: 'not a key' }), (e: Error & { code?: string }) => e.code === 'invalid-input');
  untrustKey(deps, first.keyId);
  assert.deepEqual(listTrustedKeys(deps), []);
  assert.throws(() => untrustKey(deps, first.keyId), /no trusted key/);
  assert.deepEqual(deps.store.listLedger().map((e) => e.action), ['configure', 'configure', 'configure']);
});
