// The bundle stores with a fake client: import (upload progress, preview, transfer progress of
// its own id only, Cancel naming that id, cancelled and refused imports), export (apps or a
// needs list read from a file, the signing key's path, Cancel of the core's part or of the download), the needs list
// saved for the site, and the trusted keys.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ImportAnswer, ExportAnswer, NeedsList } from '../../main/api/types/bundles';
import { TagkeeperError } from '../../main/api/errors';
import { createImportStore } from '../../renderer/src/stores/bundle-import-store';
import { createExportStore } from '../../renderer/src/stores/bundle-export-store';
import { createKeysStore, NEW_KEY } from '../../renderer/src/stores/keys-store';
import { deferred, eventually, fakeClient } from '../../renderer/test-support/fake-client';
import { bundleFile, exportAnswer, importAnswer, KEY_ID, preview, transfer, trustedKey } from '../../renderer/test-support/bundle-fixtures';

const NEEDS: NeedsList = {
  format: 'tagkeeper-needs/1',
  createdAt: '2024-05-01T10:00:00.000Z',
  device: { host: 'site-1', user: 'ana' },
  platform: { os: 'linux', architecture: 'amd64' },
  apps: [{ app: 'web', service: 'main', reference: 'redis:7', canonical: 'docker.io/library/redis:7', pinnedDigest: null, latched: null }],
  layers: [`sha256:${'4'.repeat(64)}`, `sha256:${'5'.repeat(64)}`],
};

describe('bundle import store', () => {
  test('an upload reports its bytes, then the preview comes from bundles:inspect with the uploaded path', async () => {
    const client = fakeClient({ 'bundles:inspect': () => preview() });
    const sent = deferred<void>();
    client.files.pickBundleForImport = async (file, hooks) => {
      hooks?.onProgress?.(1024, 2048);
      await sent.promise;
      return { file: '/data/work/files/upload-1.bundle', name: file!.name, bytes: file!.size };
    };
    const store = createImportStore(client);
    const choosing = store.getState().choose(bundleFile());
    assert.equal(store.getState().stage, 'uploading');
    assert.deepEqual(store.getState().upload, { bytes: 1024, total: 2048 });
    sent.resolve();
    await choosing;
    assert.equal(store.getState().stage, 'preview');
    assert.deepEqual(client.callsOf('bundles:inspect'), [{ file: '/data/work/files/upload-1.bundle' }]);
    assert.equal(store.getState().preview?.drives[0].change, 'update');
  });

  test('Cancel during the upload aborts it; the cancelled upload is shown as such', async () => {
    const client = fakeClient();
    client.files.pickBundleForImport = (_file, hooks) =>
      new Promise((_resolve, reject) => hooks?.signal?.addEventListener('abort', () => reject(new TagkeeperError('cancelled', 'the upload of update.bundle was cancelled'))));
    const store = createImportStore(client);
    const choosing = store.getState().choose(bundleFile());
    await store.getState().cancel();
    await choosing;
    assert.equal(store.getState().stage, 'cancelled');
    assert.equal(store.getState().error?.message, 'the upload of update.bundle was cancelled');
    assert.deepEqual(client.callsOf('transfers:cancel'), [], 'nothing of the core to cancel yet');
  });

  test('a desktop dialog closed without a file changes nothing', async () => {
    const client = fakeClient();
    client.files.mode = 'dialog';
    client.files.pickBundleForImport = async () => null;
    const store = createImportStore(client);
    await store.getState().choose();
    assert.equal(store.getState().stage, 'idle');
    assert.deepEqual(client.calls, []);
  });

  test('import: its own id goes to bundles:import; only its progress is kept; Cancel names the same id', async () => {
    const answer = deferred<ImportAnswer>();
    const client = fakeClient({
      'bundles:inspect': () => preview(),
      'bundles:import': () => answer.promise,
      'transfers:cancel': ({ id }) => ({ cancelled: true, reason: `transfer ${id} is being stopped` }),
    });
    const store = createImportStore(client, { newId: () => 'import-1' });
    await store.getState().choose(bundleFile());
    const importing = store.getState().start(true, 'Ana');
    assert.deepEqual(client.callsOf('bundles:import'), [{ file: '/data/work/files/upload-update.bundle', approve: true, approver: 'Ana', transferId: 'import-1' }]);
    store.getState().transferProgress(transfer({ id: 'someone-else', bytes: 1 }));
    assert.equal(store.getState().progress, null);
    store.getState().transferProgress(transfer({ bytes: 7 }));
    assert.equal(store.getState().progress?.bytes, 7);
    await store.getState().cancel();
    assert.deepEqual(client.callsOf('transfers:cancel'), [{ id: 'import-1' }]);
    assert.equal(store.getState().cancelling, true);
    answer.reject(new TagkeeperError('cancelled', 'import of /data/work/files/upload-update.bundle was cancelled; nothing was recorded'));
    await importing;
    assert.equal(store.getState().stage, 'cancelled');
    assert.match(store.getState().error?.message ?? '', /was cancelled; nothing was recorded/);
    assert.equal(store.getState().cancelling, false);
  });

  test('Import and approve waits for the approver\'s name: without one (or only spaces) nothing starts; it goes trimmed', async () => {
    const client = fakeClient({ 'bundles:inspect': () => preview(), 'bundles:import': () => importAnswer() });
    const store = createImportStore(client, { newId: () => 'import-2' });
    await store.getState().choose(bundleFile());
    await store.getState().start(true);
    await store.getState().start(true, '   ');
    assert.deepEqual([store.getState().stage, client.callsOf('bundles:import')], ['preview', []]);
    await store.getState().start(true, ' Ben ');
    assert.deepEqual(client.callsOf('bundles:import'), [{ file: '/data/work/files/upload-update.bundle', approve: true, approver: 'Ben', transferId: 'import-2' }]);
    assert.equal(store.getState().stage, 'done');
  });

  test('a cancel that comes too late says why; the import\'s answer decides how it ended', async () => {
    const answer = deferred<ImportAnswer>();
    const seen: string[][] = [];
    const client = fakeClient({
      'bundles:inspect': () => preview(),
      'bundles:import': () => answer.promise,
      'transfers:cancel': ({ id }) => ({ cancelled: false, reason: `no transfer ${id} is running in this instance` }),
    });
    const store = createImportStore(client, { newId: () => 'late-1', afterImport: (apps) => seen.push(apps) });
    await store.getState().choose(bundleFile());
    const importing = store.getState().start(false);
    await store.getState().cancel();
    assert.equal(store.getState().cancelNote, 'no transfer late-1 is running in this instance');
    answer.resolve(importAnswer());
    await importing;
    assert.equal(store.getState().stage, 'done');
    assert.deepEqual(seen, [['web']], 'the apps it touched are refetched');
  });

  test('a refused bundle keeps the core\'s one-line message; reset goes back to choosing', async () => {
    const client = fakeClient({
      'bundles:inspect': () => preview(),
      'bundles:import': () => {
        throw new TagkeeperError('bad-bundle', 'bundle image docker.io/library/redis:7: layer sha256:abc does not hash to its digest', { hint: 'the file is damaged' });
      },
    });
    const store = createImportStore(client);
    await store.getState().choose(bundleFile());
    await store.getState().start(false);
    assert.equal(store.getState().stage, 'failed');
    assert.deepEqual(store.getState().error, { code: 'bad-bundle', message: 'bundle image docker.io/library/redis:7: layer sha256:abc does not hash to its digest', hint: 'the file is damaged' });
    store.getState().reset();
    assert.equal(store.getState().stage, 'idle');
    assert.equal(store.getState().preview, null);
  });
});

describe('bundle export store', () => {
  test('apps and latest go to saveExport with the store\'s id; progress is kept; Cancel names that id', async () => {
    const answer = deferred<ExportAnswer>();
    const client = fakeClient({ 'bundles:export': () => answer.promise, 'transfers:cancel': () => ({ cancelled: true, reason: 'stopping' }) });
    const store = createExportStore(client, { newId: () => 'export-1' });
    const running = store.getState().run({ apps: ['web'], latest: true });
    assert.deepEqual(client.callsOf('bundles:export'), [{ apps: ['web'], latest: true, transferId: 'export-1' }]);
    store.getState().transferProgress(transfer({ id: 'export-1', kind: 'export', phase: 'writing', bytes: 9 }));
    assert.equal(store.getState().progress?.phase, 'writing');
    await store.getState().cancel();
    assert.deepEqual(client.callsOf('transfers:cancel'), [{ id: 'export-1' }]);
    answer.reject(new TagkeeperError('cancelled', 'export of x was cancelled; no file was written'));
    await running;
    assert.equal(store.getState().stage, 'cancelled');
  });

  test('Cancel during the download stops the download, not the core (its part is done)', async () => {
    const client = fakeClient({ 'bundles:export': () => exportAnswer() });
    client.files.saveExport = async (request, hooks) => {
      const answer = await client.call('bundles:export', request);
      hooks?.onProgress?.(100, 1000);
      await new Promise<void>((resolve) => hooks?.signal?.addEventListener('abort', () => resolve()));
      throw new TagkeeperError('cancelled', `the download of ${answer.file} was cancelled`);
    };
    const store = createExportStore(client, { newId: () => 'export-2' });
    const running = store.getState().run({ apps: ['web'], latest: false });
    await eventually(() => assert.deepEqual(store.getState().download, { bytes: 100, total: 1000 }));
    await store.getState().cancel();
    await running;
    assert.equal(store.getState().stage, 'cancelled');
    assert.deepEqual(client.callsOf('transfers:cancel'), []);
  });

  test('a needs list read from its file replaces the apps; a file that is not one says so', async () => {
    const client = fakeClient({ 'bundles:export': () => exportAnswer({ delta: true }) });
    const store = createExportStore(client, { newId: () => 'export-3' });
    await store.getState().loadNeeds(new File(['{not json'], 'needs.json'));
    assert.match(store.getState().needsError?.message ?? '', /^needs\.json is not JSON/);
    await store.getState().loadNeeds(new File([JSON.stringify({ format: 'other' })], 'x.json'));
    assert.equal(store.getState().needsError?.message, 'x.json is not a Tagkeeper needs list (its format is not tagkeeper-needs/1)');
    await store.getState().loadNeeds(new File([JSON.stringify(NEEDS)], 'needs.json'));
    assert.equal(store.getState().needsError, null);
    assert.equal(store.getState().needs?.summary, '1 service of site-1 (linux/amd64), 2 layers on the box, made 2024-05-01T10:00:00.000Z');
    await store.getState().run({ apps: ['ignored'], latest: true });
    assert.deepEqual(client.callsOf('bundles:export'), [{ needs: NEEDS, transferId: 'export-3' }]);
    assert.equal(store.getState().stage, 'done');
    assert.equal(store.getState().saved?.savedAs, 'tagkeeper-2024-05-02-1234.bundle');
  });

  test('a signing key path goes as signKeyFile, trimmed, with apps or a needs list; blank sends none', async () => {
    const client = fakeClient({ 'bundles:export': (request) => exportAnswer({ signedBy: request.signKeyFile ? KEY_ID : null }) });
    let id = 0;
    const store = createExportStore(client, { newId: () => `export-s${++id}` });
    await store.getState().run({ apps: ['web'], latest: false, signKeyFile: ' /keys/site.pem\n' });
    assert.equal(store.getState().saved?.answer.signedBy, KEY_ID);
    await store.getState().run({ apps: ['web'], latest: false, signKeyFile: '  ' });
    await store.getState().run({ apps: ['web'], latest: true });
    await store.getState().loadNeeds(new File([JSON.stringify(NEEDS)], 'needs.json'));
    await store.getState().run({ apps: [], latest: false, signKeyFile: '/keys/site.pem' });
    assert.deepEqual(client.callsOf('bundles:export'), [
      { apps: ['web'], latest: false, transferId: 'export-s1', signKeyFile: '/keys/site.pem' },
      { apps: ['web'], latest: false, transferId: 'export-s2' },
      { apps: ['web'], latest: true, transferId: 'export-s3' },
      { needs: NEEDS, transferId: 'export-s4', signKeyFile: '/keys/site.pem' },
    ]);
    assert.equal(Object.hasOwn(client.callsOf('bundles:export')[1] as object, 'signKeyFile'), false, 'absent, not undefined');
  });

  test('Export needs list saves inventory:export as tagkeeper-needs-<date>.json', async () => {
    const client = fakeClient({ 'inventory:export': () => NEEDS });
    const saved: string[] = [];
    const target = {
      document: { createElement: () => ({ click() {}, remove() {} }), body: { appendChild: () => undefined } } as unknown as Document,
      createObjectURL: (blob: Blob) => {
        void blob.text().then((text) => saved.push(text));
        return 'blob:x';
      },
      revokeObjectURL: () => undefined,
      revokeAfterMs: 0,
    };
    const store = createExportStore(client, { now: () => new Date(2024, 4, 3), saveTarget: target });
    await store.getState().exportNeeds();
    assert.equal(store.getState().needsExport.saved, 'tagkeeper-needs-2024-05-03.json: 1 service, 2 layers on this box');
    await eventually(() => assert.deepEqual(JSON.parse(saved[0]), NEEDS));
  });
});

describe('trusted keys store', () => {
  test('lists, trusts (then reloads) and keeps a refusal by key', async () => {
    let keys = [trustedKey()];
    const client = fakeClient({
      'keys:list': () => keys,
      'keys:trust': ({ name }) => {
        const added = trustedKey({ keyId: `sha256:${'6'.repeat(64)}`, name: name ?? 'key 666666666666' });
        keys = [...keys, added];
        return { ...added, added: true };
      },
      'keys:remove': ({ keyId }) => {
        throw new TagkeeperError('invalid-input', `no trusted key has the id ${keyId}`, { hint: 'see the trusted keys with: tagkeeper keys list' });
      },
    });
    const store = createKeysStore(client);
    await store.getState().load();
    assert.equal(store.getState().keys.length, 1);
    assert.equal(await store.getState().trust('-----BEGIN PUBLIC KEY-----\n…', '  site key  '), true);
    assert.deepEqual(client.callsOf('keys:trust'), [{ publicKey: '-----BEGIN PUBLIC KEY-----\n…', name: 'site key' }]);
    assert.equal(store.getState().keys.length, 2);
    assert.equal(store.getState().lastTrusted?.added, true);
    assert.equal(store.getState().status[NEW_KEY].error, null);
    assert.equal(await store.getState().remove(KEY_ID), false);
    assert.match(store.getState().status[KEY_ID].error?.message ?? '', /no trusted key has the id/);
  });
});
