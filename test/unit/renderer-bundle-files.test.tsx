// How bundle files reach the box and come back: headless mode uploads with XMLHttpRequest
// (token, raw body, upload progress, refusals, cancel) and downloads exports with the token
// (progress, then offered as a file); the desktop uses the preload's native dialogs. Also the
// transfer-progress events the clients let through, and the bundle texts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TagkeeperError } from '../../main/api/errors';
import { desktopFiles } from '../../renderer/src/client/desktop-files';
import { httpClient } from '../../renderer/src/client/http-client';
import { ipcClient, isCoreEvent } from '../../renderer/src/client/ipc-client';
import { baseName, bundleFileName, needsFileName } from '../../renderer/src/lib/file-names';
import { fileTransferText, transferPercent, transferText } from '../../renderer/src/lib/transfer-text';
import { bundleFile, exportAnswer, KEY_ID, transfer } from '../../renderer/test-support/bundle-fixtures';

const BASE = 'http://127.0.0.1:4321';
const TOKEN = 'tok-123';

/** The part of XMLHttpRequest an upload uses, driven by the test. */
class FakeXhr {
  static made: FakeXhr[] = [];
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: unknown = undefined;
  status = 0;
  responseText = '';
  aborted = false;
  upload: { onprogress: ((event: { loaded: number; total: number; lengthComputable: boolean }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  constructor() {
    FakeXhr.made.push(this);
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: unknown) {
    this.body = body;
  }
  abort() {
    this.aborted = true;
    this.onabort?.();
  }
  respond(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

function headless() {
  const requests: { url: string; headers: Record<string, string>; body: unknown }[] = [];
  const saved: { name: string; blob: Blob }[] = [];
  let downloadStatus = 200;
  const fetchImpl: typeof fetch = async (input, init) => {
    const url = String(input);
    requests.push({ url, headers: (init?.headers ?? {}) as Record<string, string>, body: init?.body ? JSON.parse(String(init.body)) : undefined });
    if (url.endsWith('/api/op/bundles:export')) return Response.json({ ok: true, value: exportAnswer() });
    if (url.includes('/api/files/')) {
      if (downloadStatus !== 200) return Response.json({ error: 'no such file' }, { status: downloadStatus });
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new Uint8Array([1, 2, 3]));
          controller.enqueue(new Uint8Array([4, 5, 6]));
          controller.close();
        },
      });
      return new Response(body, { status: 200, headers: { 'content-length': '6' } });
    }
    return new Response('', { status: 404 });
  };
  FakeXhr.made = [];
  const client = httpClient({
    baseUrl: BASE,
    token: TOKEN,
    fetch: fetchImpl,
    files: { newXhr: () => new FakeXhr() as unknown as XMLHttpRequest, save: (blob, name) => void saved.push({ blob, name }), now: () => new Date(2024, 4, 3) },
  });
  return { client, requests, saved, failDownloads: (status: number) => (downloadStatus = status) };
}

describe('headless upload', () => {
  test('POSTs the raw file with the token, reports upload progress, answers the path on the box', async () => {
    const { client } = headless();
    assert.equal(client.files.mode, 'upload');
    const progress: [number, number | null][] = [];
    const file = bundleFile('update.bundle', 2048);
    const picking = client.files.pickBundleForImport(file, { onProgress: (bytes, total) => progress.push([bytes, total]) });
    const xhr = FakeXhr.made[0];
    assert.deepEqual([xhr.method, xhr.url], ['POST', `${BASE}/api/files`]);
    assert.deepEqual(xhr.headers, { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/octet-stream' });
    assert.equal(xhr.body, file);
    xhr.upload.onprogress?.({ loaded: 512, total: 2048, lengthComputable: true });
    xhr.upload.onprogress?.({ loaded: 2048, total: 0, lengthComputable: false });
    xhr.respond(200, { file: '/data/work/files/upload-1.bundle', bytes: 2048 });
    assert.deepEqual(await picking, { file: '/data/work/files/upload-1.bundle', name: 'update.bundle', bytes: 2048 });
    assert.deepEqual(progress, [[512, 2048], [2048, 2048]]);
  });

  test('a refused token, a file too large and a broken connection each say what happened', async () => {
    const { client } = headless();
    const refused = client.files.pickBundleForImport(bundleFile());
    FakeXhr.made[0].respond(401, { error: 'missing or wrong token' });
    await assert.rejects(refused, (e: unknown) => e instanceof TagkeeperError && e.code === 'unauthorized');
    const large = client.files.pickBundleForImport(bundleFile('huge.bundle'));
    FakeXhr.made[1].respond(413, { error: 'the upload is larger than a bundle may be' });
    await assert.rejects(large, (e: unknown) => e instanceof TagkeeperError && e.code === 'invalid-input' && e.message === 'huge.bundle is larger than a bundle may be');
    const broken = client.files.pickBundleForImport(bundleFile());
    FakeXhr.made[2].onerror?.();
    await assert.rejects(broken, (e: unknown) => e instanceof TagkeeperError && e.code === 'instance-unreachable');
    await assert.rejects(client.files.pickBundleForImport(null), /no bundle file was chosen/);
  });

  test('aborting the signal aborts the request: a cancelled upload', async () => {
    const { client } = headless();
    const control = new AbortController();
    const picking = client.files.pickBundleForImport(bundleFile(), { signal: control.signal });
    control.abort();
    await assert.rejects(picking, (e: unknown) => e instanceof TagkeeperError && e.code === 'cancelled' && /upload of update\.bundle was cancelled/.test(e.message));
    assert.equal(FakeXhr.made[0].aborted, true);
  });
});

describe('headless export download', () => {
  test('exports without a path, downloads the file by its name with the token, reports bytes, offers it under a dated name', async () => {
    const { client, requests, saved } = headless();
    const progress: [number, number | null][] = [];
    const result = await client.files.saveExport({ apps: ['web'], latest: true, transferId: 'x-1' }, { onProgress: (b, t) => progress.push([b, t]) });
    assert.deepEqual(requests[0].body, { apps: ['web'], latest: true, transferId: 'x-1' }, 'no file: the core writes into its work folder');
    assert.equal(requests[1].url, `${BASE}/api/files/tagkeeper-2024-05-02-1234.bundle`);
    assert.equal(requests[1].headers.authorization, `Bearer ${TOKEN}`);
    assert.deepEqual(progress, [[3, 6], [6, 6]]);
    assert.equal(saved[0].name, 'tagkeeper-2024-05-03.bundle');
    assert.deepEqual([...new Uint8Array(await saved[0].blob.arrayBuffer())], [1, 2, 3, 4, 5, 6]);
    assert.equal(result?.savedAs, 'tagkeeper-2024-05-03.bundle');
    assert.equal(result?.answer.bytes, 12_300_000);
  });

  test('a download the instance does not serve is an HTTP problem, and nothing is offered', async () => {
    const { client, saved, failDownloads } = headless();
    failDownloads(404);
    await assert.rejects(client.files.saveExport({ apps: ['web'] }), (e: unknown) => e instanceof TagkeeperError && e.code === 'instance-error' && /HTTP 404 to the download/.test(e.message));
    assert.deepEqual(saved, []);
  });
});

describe('desktop dialogs', () => {
  const now = () => new Date(2024, 4, 3);

  test('the open dialog\'s path is the bundle; closing it picks nothing', async () => {
    let answer: string | null = '/media/usb/update.bundle';
    const files = desktopFiles({ openBundle: async () => answer, saveBundle: async () => null }, { call: async () => assert.fail('no call') }, now);
    assert.equal(files.mode, 'dialog');
    assert.deepEqual(await files.pickBundleForImport(), { file: '/media/usb/update.bundle', name: 'update.bundle', bytes: null });
    answer = null;
    assert.equal(await files.pickBundleForImport(), null);
  });

  test('the save dialog proposes a dated name; the core writes to the chosen path; cancelled: no export', async () => {
    const names: string[] = [];
    let chosen: string | null = null;
    const calls: unknown[] = [];
    const client = ipcClient(
      { 'bundles:export': async (request) => (calls.push(request), { ok: true, value: exportAnswer({ file: (request as { file: string }).file }) }) },
      undefined,
      { openBundle: async () => null, saveBundle: async (name) => (names.push(name), chosen) },
    );
    assert.equal(await client.files.saveExport({ apps: ['web'] }), null);
    assert.deepEqual(calls, []);
    chosen = 'C:\\Users\\ana\\site.bundle';
    const saved = await client.files.saveExport({ apps: ['web'], latest: true, transferId: 't-1' });
    assert.deepEqual(calls, [{ apps: ['web'], latest: true, transferId: 't-1', file: 'C:\\Users\\ana\\site.bundle' }]);
    assert.equal(saved?.savedAs, 'C:\\Users\\ana\\site.bundle');
    assert.match(names[0], /^tagkeeper-\d{4}-\d{2}-\d{2}\.bundle$/);
  });

  test('a signing key path reaches the core with the export, in the desktop app and headless', async () => {
    const calls: unknown[] = [];
    const desktop = ipcClient(
      { 'bundles:export': async (request) => (calls.push(request), { ok: true, value: exportAnswer({ file: (request as { file: string }).file, signedBy: KEY_ID }) }) },
      undefined,
      { openBundle: async () => null, saveBundle: async () => '/home/ana/site.bundle' },
    );
    const saved = await desktop.files.saveExport({ apps: ['web'], signKeyFile: '/home/ana/key.pem', transferId: 't-2' });
    assert.deepEqual(calls, [{ apps: ['web'], signKeyFile: '/home/ana/key.pem', transferId: 't-2', file: '/home/ana/site.bundle' }]);
    assert.equal(saved?.answer.signedBy, KEY_ID);
    const { client, requests } = headless();
    await client.files.saveExport({ apps: ['web'], signKeyFile: '/etc/tagkeeper/key.pem', transferId: 'x-2' });
    assert.deepEqual(requests[0].body, { apps: ['web'], signKeyFile: '/etc/tagkeeper/key.pem', transferId: 'x-2' });
  });

  test('without the preload\'s dialogs, picking says the builds differ', async () => {
    const files = desktopFiles(undefined, { call: async () => assert.fail('no call') });
    await assert.rejects(files.pickBundleForImport(), /offers no file dialogs/);
  });
});

describe('transfer events and texts', () => {
  test('transfer-progress events pass the clients\' filter; malformed ones do not', () => {
    assert.equal(isCoreEvent({ type: 'transfer-progress', progress: transfer() }), true);
    assert.equal(isCoreEvent({ type: 'transfer-progress', progress: null }), false);
    assert.equal(isCoreEvent({ type: 'transfer-progress' }), false);
    assert.equal(isCoreEvent({ type: 'transfer-progress', progress: { id: 3 } }), false);
  });

  test('progress in words: phase, bytes of the total, images, speed; finished without speed', () => {
    assert.equal(transferText(transfer()), 'verifying the bundle · 5.0 MB / 25.0 MB · 2.5 MB/s');
    assert.equal(transferText(transfer({ phase: 'fetching', totalBytes: null, images: 1, totalImages: 3 })), 'fetching manifests and configs from the registries · 5.0 MB / ? · 1 of 3 images · 2.5 MB/s');
    assert.equal(transferText(transfer({ phase: 'done', bytes: 25_000_000 })), 'done · 25.0 MB / 25.0 MB');
    assert.equal(transferPercent(transfer()), 20);
    assert.equal(transferPercent(transfer({ totalBytes: null })), null);
    assert.equal(fileTransferText('uploading', 1_000_000, 4_000_000), 'uploading · 1.0 MB / 4.0 MB (25 %)');
    assert.equal(fileTransferText('downloading', 1_000_000, null), 'downloading · 1.0 MB');
  });

  test('file names', () => {
    assert.equal(bundleFileName(new Date(2024, 4, 3, 23, 59)), 'tagkeeper-2024-05-03.bundle');
    assert.equal(needsFileName(new Date(2024, 0, 9)), 'tagkeeper-needs-2024-01-09.json');
    assert.equal(baseName('/data/work/files/x.bundle'), 'x.bundle');
    assert.equal(baseName('C:\\stick\\y.bundle'), 'y.bundle');
  });
});
