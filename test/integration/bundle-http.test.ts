/**
 * Bundles through the headless shell: a browser cannot hand the box a path, so it uploads
 * the bundle (POST /api/files, token required) and downloads exports (GET /api/files/NAME,
 * only names the core made). Real `tagkeeper serve` on a real engine and registry.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { httpClient } from '../../main/api/http-client';
import { before, stopBefore } from '../helpers/hooks';
import { startServe, serveTargetOf, type ServedProcess } from '../helpers/serve';
import { useSite } from '../helpers/site';
import { createApp, publish } from '../helpers/lifecycle';
import { tarEntries } from '../helpers/tar-surgery';
import type { BuiltImage } from '../helpers/image-builder';

describe('bundles over the HTTP shell', () => {
  const site = useSite();
  let served: ServedProcess;
  let image: BuiltImage;

  before(async () => {
    image = await publish(site, 'web/app', 'v1', 'http-bundle');
    await createApp(site, 'web', { main: `${site.registry.host}/web/app:v1` });
    served = await startServe(serveTargetOf(site));
  });
  stopBefore(site, () => served?.stop());

  const auth = () => ({ authorization: `Bearer ${served.token}` });

  test('an export without a path lands in the work folder and downloads; an upload of it inspects and imports', async () => {
    const client = httpClient(served.baseUrl, served.token);
    const exported = await client.call('bundles:export', { apps: ['web'] });
    assert.equal(basename(exported.file!).endsWith('.bundle'), true);

    const download = await fetch(`${served.baseUrl}/api/files/${encodeURIComponent(basename(exported.file!))}`, { headers: auth() });
    assert.equal(download.status, 200);
    assert.match(download.headers.get('content-disposition') ?? '', /attachment/);
    const bytes = Buffer.from(await download.arrayBuffer());
    assert.deepEqual(bytes, readFileSync(exported.file!), 'the download is the exported file');
    assert.ok(tarEntries(bytes).some((e) => e.name === `blobs/sha256/${image.manifestDigest.slice(7)}`));

    const upload = await fetch(`${served.baseUrl}/api/files`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/octet-stream' }, body: bytes });
    assert.equal(upload.status, 200);
    const { file, bytes: received } = (await upload.json()) as { file: string; bytes: number };
    assert.equal(received, bytes.length);
    const preview = await client.call('bundles:inspect', { file });
    assert.deepEqual(preview.drives.map((d) => [d.app, d.change]), [['web', 'latched']]);
    const imported = await client.call('bundles:import', { file, allowUnsigned: true });
    assert.deepEqual(imported.drives.map((d) => d.status), ['latched']);
    assert.equal(existsSync(file), false, 'the import consumed the upload');
  });

  test('files need the token, and only names the core made are served', async () => {
    assert.equal((await fetch(`${served.baseUrl}/api/files`, { method: 'POST', body: 'x' })).status, 401);
    assert.equal((await fetch(`${served.baseUrl}/api/files/anything.bundle`)).status, 401);
    for (const name of ['..%2Ftagkeeper.db', '%2Fetc%2Fpasswd', 'tagkeeper.db', 'x.partial']) {
      assert.equal((await fetch(`${served.baseUrl}/api/files/${name}`, { headers: auth() })).status, 404, name);
    }
  });
});
