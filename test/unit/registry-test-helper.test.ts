import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { findDockerRegistry, startRegistry } from '../helpers/registry';
import { buildImage, busyboxLayer, indexOf, sha256, tarArchive } from '../helpers/image-builder';
import { parseManifest } from '../../main/core/model/manifest';

describe('test registry helper', () => {
  test('a missing docker-registry binary gives the install message', () => {
    assert.throws(
      () => findDockerRegistry('docker-registry-that-does-not-exist'),
      { message: 'docker-registry not found: install the Debian package docker-registry (apt-get install docker-registry)' },
    );
  });

  test('an empty PATH gives the install message, also from startRegistry', async () => {
    assert.throws(() => findDockerRegistry('docker-registry', ''), /apt-get install docker-registry/);
    const saved = process.env.PATH;
    process.env.PATH = '';
    try {
      await assert.rejects(startRegistry(), /docker-registry not found: install the Debian package docker-registry/);
    } finally {
      process.env.PATH = saved;
    }
  });

  test('finds the installed binary', () => {
    assert.match(findDockerRegistry(), /docker-registry$/);
  });
});

describe('image builder (no registry)', () => {
  test('tar archives are deterministic ustar with valid checksums', () => {
    const tar = tarArchive([
      { type: 'dir', path: 'etc' },
      { type: 'file', path: 'etc/x', data: Buffer.from('hello') },
      { type: 'symlink', path: 'etc/y', target: 'x' },
    ]);
    assert.equal(tar.length % 512, 0);
    assert.equal(tar.subarray(257, 262).toString(), 'ustar');
    const header = tar.subarray(512, 1024);
    assert.equal(header.subarray(0, 5).toString(), 'etc/x');
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : header[i];
    assert.equal(parseInt(header.subarray(148, 154).toString(), 8), sum);
    assert.deepEqual(tar, tarArchive([
      { type: 'dir', path: 'etc' },
      { type: 'file', path: 'etc/x', data: Buffer.from('hello') },
      { type: 'symlink', path: 'etc/y', target: 'x' },
    ]));
  });

  test('same options give the same image; another marker changes only the top layer', async () => {
    const a = await buildImage({ marker: 'one' });
    const b = await buildImage({ marker: 'one' });
    const c = await buildImage({ marker: 'two' });
    assert.equal(a.manifestDigest, b.manifestDigest);
    assert.notEqual(a.manifestDigest, c.manifestDigest);
    assert.equal(a.layers[0].digest, c.layers[0].digest, 'busybox layer shared');
    assert.notEqual(a.layers[1].digest, c.layers[1].digest);
    assert.equal(a.layers[0].digest, busyboxLayer().digest);
  });

  test('digests, diff ids and the config agree; the marker is in the top layer', async () => {
    const img = await buildImage({ marker: 'marker-42', files: { '/app/conf/settings.txt': 'x=1' }, env: ['A=b'], cmd: ['/bin/true'] });
    assert.equal(sha256(img.manifest), img.manifestDigest);
    assert.equal(sha256(img.config), img.configDigest);
    const config = JSON.parse(img.config.toString()) as { rootfs: { diff_ids: string[] }; config: { Cmd: string[]; Env: string[] }; architecture: string };
    for (const [i, layer] of img.layers.entries()) {
      assert.equal(sha256(layer.bytes), layer.digest);
      assert.equal(layer.size, layer.bytes.length);
      assert.equal(sha256(gunzipSync(layer.bytes)), layer.diffId);
      assert.equal(config.rootfs.diff_ids[i], layer.diffId);
    }
    assert.deepEqual(config.config.Cmd, ['/bin/true']);
    assert.ok(config.config.Env.includes('A=b'));
    assert.equal(config.architecture, 'amd64');
    const top = gunzipSync(img.layers[1].bytes);
    assert.ok(top.includes(Buffer.from('etc/tagkeeper-marker')));
    assert.ok(top.includes(Buffer.from('marker-42')));
    assert.ok(top.includes(Buffer.from('app/conf/settings.txt')));
    const parsed = parseManifest(img.manifest, img.mediaType);
    assert.ok(parsed.kind === 'image');
    assert.equal(parsed.config.digest, img.configDigest);
  });

  test('OCI flavour, platform metadata, filler and indexes', async () => {
    const arm = await buildImage({ marker: 'm', architecture: 'arm', variant: 'v7', oci: true, filler: 100_000 });
    assert.equal(arm.mediaType, 'application/vnd.oci.image.manifest.v1+json');
    assert.deepEqual(arm.platform, { os: 'linux', architecture: 'arm', variant: 'v7' });
    assert.ok(arm.layers[1].size > 100_000, 'random filler does not compress');
    const amd = await buildImage({ marker: 'm', oci: true });
    const index = indexOf([amd, arm], { oci: true });
    const parsed = parseManifest(index.bytes, index.mediaType);
    assert.ok(parsed.kind === 'index');
    assert.deepEqual(parsed.manifests.map((m) => m.platform), [amd.platform, arm.platform]);
    assert.equal(parsed.manifests[1].digest, arm.manifestDigest);
    assert.equal(sha256(index.bytes), index.digest);
  });
});
