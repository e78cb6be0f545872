import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TagkeeperError } from '../../main/api/errors';
import {
  DOCKER_MANIFEST,
  DOCKER_MANIFEST_LIST,
  MANIFEST_ACCEPT,
  OCI_INDEX,
  OCI_MANIFEST,
  bareMediaType,
  detectManifestMediaType,
  isIndexMediaType,
  isManifestMediaType,
  isSchema1MediaType,
  parseManifest,
} from '../../main/core/model/manifest';

const D1 = `sha256:${'a'.repeat(64)}`;
const D2 = `sha256:${'b'.repeat(64)}`;
const D3 = `sha256:${'c'.repeat(64)}`;

const bytes = (value: unknown): Uint8Array => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

const dockerImage = {
  schemaVersion: 2,
  mediaType: DOCKER_MANIFEST,
  config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 1469, digest: D1 },
  layers: [
    { mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 100, digest: D2 },
    { mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 200, digest: D3 },
  ],
};

const dockerList = {
  schemaVersion: 2,
  mediaType: DOCKER_MANIFEST_LIST,
  manifests: [
    { mediaType: DOCKER_MANIFEST, size: 528, digest: D1, platform: { architecture: 'amd64', os: 'linux' } },
    { mediaType: DOCKER_MANIFEST, size: 528, digest: D2, platform: { architecture: 'arm', os: 'linux', variant: 'v7' } },
    {
      mediaType: DOCKER_MANIFEST,
      size: 528,
      digest: D3,
      platform: { architecture: 'amd64', os: 'windows', 'os.version': '10.0.17763.1457' },
    },
  ],
};

function expectInvalid(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof TagkeeperError);
    assert.equal(error.code, 'manifest-invalid');
    assert.match(error.message, pattern);
    assert.ok(!error.message.includes('\n'), 'one line');
    return true;
  });
}

describe('media types', () => {
  test('MANIFEST_ACCEPT lists the four types', () => {
    for (const mt of [DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, OCI_MANIFEST, OCI_INDEX]) assert.ok(MANIFEST_ACCEPT.includes(mt), mt);
    assert.equal(MANIFEST_ACCEPT.split(',').length, 4);
  });

  test('isIndexMediaType', () => {
    assert.equal(isIndexMediaType(DOCKER_MANIFEST_LIST), true);
    assert.equal(isIndexMediaType(OCI_INDEX), true);
    assert.equal(isIndexMediaType(`${OCI_INDEX}; charset=utf-8`), true);
    assert.equal(isIndexMediaType(DOCKER_MANIFEST), false);
    assert.equal(isIndexMediaType(OCI_MANIFEST), false);
    assert.equal(isIndexMediaType('application/json'), false);
  });

  test('isManifestMediaType, isSchema1MediaType, bareMediaType', () => {
    assert.equal(isManifestMediaType(DOCKER_MANIFEST), true);
    assert.equal(isManifestMediaType('Application/Vnd.Oci.Image.Manifest.V1+Json'), true);
    assert.equal(isManifestMediaType('application/json'), false);
    assert.equal(isManifestMediaType(undefined), false);
    assert.equal(isSchema1MediaType('application/vnd.docker.distribution.manifest.v1+prettyjws'), true);
    assert.equal(isSchema1MediaType(DOCKER_MANIFEST), false);
    assert.equal(bareMediaType(' application/json ; charset=utf-8'), 'application/json');
  });
});

describe('parseManifest: images', () => {
  test('Docker v2 manifest', () => {
    const parsed = parseManifest(bytes(dockerImage), DOCKER_MANIFEST);
    assert.equal(parsed.kind, 'image');
    assert.ok(parsed.kind === 'image');
    assert.equal(parsed.mediaType, DOCKER_MANIFEST);
    assert.deepEqual(parsed.config, { digest: D1, mediaType: 'application/vnd.docker.container.image.v1+json', size: 1469 });
    assert.deepEqual(
      parsed.layers.map((l) => [l.digest, l.size]),
      [
        [D2, 100],
        [D3, 200],
      ],
    );
  });

  test('OCI manifest without a mediaType field, served with its header', () => {
    const { mediaType: _ignored, ...body } = { ...dockerImage, mediaType: undefined };
    const parsed = parseManifest(bytes(body), OCI_MANIFEST);
    assert.equal(parsed.kind, 'image');
    assert.equal(parsed.mediaType, OCI_MANIFEST);
  });

  test('generic or absent header: the body mediaType decides', () => {
    assert.equal(parseManifest(bytes(dockerImage), 'application/json').mediaType, DOCKER_MANIFEST);
    assert.equal(parseManifest(bytes(dockerImage), '').mediaType, DOCKER_MANIFEST);
    assert.equal(parseManifest(bytes(dockerList), 'text/plain; charset=utf-8').kind, 'index');
  });

  test('no header and no mediaType: inferred from the shape (OCI)', () => {
    const { mediaType: _a, ...image } = dockerImage;
    assert.equal(parseManifest(bytes(image), '').mediaType, OCI_MANIFEST);
    const { mediaType: _b, ...index } = dockerList;
    assert.equal(parseManifest(bytes(index), 'application/octet-stream').mediaType, OCI_INDEX);
  });

  test('header parameters and case are ignored', () => {
    assert.equal(parseManifest(bytes(dockerImage), `${DOCKER_MANIFEST.toUpperCase()}; charset=utf-8`).mediaType, DOCKER_MANIFEST);
  });

  test('detectManifestMediaType', () => {
    assert.equal(detectManifestMediaType(bytes(dockerList)), DOCKER_MANIFEST_LIST);
    assert.equal(detectManifestMediaType(bytes(dockerImage), 'application/json'), DOCKER_MANIFEST);
  });

  test('empty layers list is allowed', () => {
    const parsed = parseManifest(bytes({ ...dockerImage, layers: [] }), DOCKER_MANIFEST);
    assert.ok(parsed.kind === 'image');
    assert.equal(parsed.layers.length, 0);
  });
});

describe('parseManifest: indexes', () => {
  test('Docker manifest list with platforms, variant and os.version', () => {
    const parsed = parseManifest(bytes(dockerList), DOCKER_MANIFEST_LIST);
    assert.ok(parsed.kind === 'index');
    assert.equal(parsed.manifests.length, 3);
    assert.deepEqual(parsed.manifests[0].platform, { os: 'linux', architecture: 'amd64' });
    assert.deepEqual(parsed.manifests[1].platform, { os: 'linux', architecture: 'arm', variant: 'v7' });
    assert.deepEqual(parsed.manifests[2].platform, { os: 'windows', architecture: 'amd64', osVersion: '10.0.17763.1457' });
    assert.equal(parsed.manifests[1].digest, D2);
    assert.equal(parsed.manifests[1].size, 528);
  });

  test('OCI index with annotations and an entry without platform', () => {
    const index = {
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [
        { mediaType: OCI_MANIFEST, size: 1, digest: D1, platform: { os: 'linux', architecture: 'amd64', variant: '' } },
        {
          mediaType: OCI_MANIFEST,
          size: 2,
          digest: D2,
          platform: { os: 'unknown', architecture: 'unknown' },
          annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': D1, n: 3 },
        },
        { mediaType: OCI_MANIFEST, size: 3, digest: D3 },
      ],
    };
    const parsed = parseManifest(bytes(index), OCI_INDEX);
    assert.ok(parsed.kind === 'index');
    assert.deepEqual(parsed.manifests[0].platform, { os: 'linux', architecture: 'amd64' }, 'empty variant dropped');
    assert.deepEqual(parsed.manifests[1].annotations, {
      'vnd.docker.reference.type': 'attestation-manifest',
      'vnd.docker.reference.digest': D1,
    });
    assert.equal(parsed.manifests[2].platform, undefined);
  });

  test('empty index parses (selection then fails)', () => {
    const parsed = parseManifest(bytes({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] }), OCI_INDEX);
    assert.ok(parsed.kind === 'index');
    assert.equal(parsed.manifests.length, 0);
  });
});

describe('parseManifest: rejections', () => {
  const cases: [string, Uint8Array, string, RegExp][] = [
    ['bad JSON', bytes('{"schemaVersion": 2,'), DOCKER_MANIFEST, /not valid JSON/],
    ['not UTF-8', new Uint8Array([0xff, 0xfe, 0x00]), DOCKER_MANIFEST, /not valid JSON/],
    ['a JSON array', bytes([1, 2]), DOCKER_MANIFEST, /not a JSON object/],
    ['JSON null', bytes('null'), '', /not a JSON object/],
    ['schema1 by header', bytes(dockerImage), 'application/vnd.docker.distribution.manifest.v1+prettyjws', /schema1/],
    ['schema1 by body', bytes({ schemaVersion: 1, name: 'x', tag: 'y', fsLayers: [] }), 'application/json', /schema1/],
    ['schema1 by body mediaType', bytes({ ...dockerImage, mediaType: 'application/vnd.docker.distribution.manifest.v1+json' }), '', /schema1/],
    ['wrong schemaVersion', bytes({ ...dockerImage, schemaVersion: 3 }), DOCKER_MANIFEST, /schemaVersion is 3/],
    ['missing schemaVersion', bytes({ ...dockerImage, schemaVersion: undefined }), DOCKER_MANIFEST, /schemaVersion/],
    ['unknown body mediaType', bytes({ ...dockerImage, mediaType: 'application/vnd.example+json' }), '', /not a manifest media type/],
    ['header and body disagree', bytes(dockerImage), OCI_INDEX, /served as .*index.* but says/],
    ['no type at all', bytes({ schemaVersion: 2 }), 'application/json', /no manifest media type/],
    ['index without manifests', bytes({ schemaVersion: 2, mediaType: OCI_INDEX }), OCI_INDEX, /"manifests" array/],
    ['image without layers', bytes({ ...dockerImage, layers: undefined }), DOCKER_MANIFEST, /"layers" array/],
    ['image without config', bytes({ ...dockerImage, config: undefined }), DOCKER_MANIFEST, /config is missing/],
    ['bad config digest', bytes({ ...dockerImage, config: { ...dockerImage.config, digest: 'nope' } }), DOCKER_MANIFEST, /config\.digest/],
    ['missing layer size', bytes({ ...dockerImage, layers: [{ mediaType: 'x', digest: D1 }] }), DOCKER_MANIFEST, /layers\[0\]\.size/],
    ['negative layer size', bytes({ ...dockerImage, layers: [{ mediaType: 'x', digest: D1, size: -1 }] }), DOCKER_MANIFEST, /layers\[0\]\.size/],
    ['fractional size', bytes({ ...dockerImage, layers: [{ mediaType: 'x', digest: D1, size: 1.5 }] }), DOCKER_MANIFEST, /layers\[0\]\.size/],
    ['missing layer mediaType', bytes({ ...dockerImage, layers: [{ digest: D1, size: 1 }] }), DOCKER_MANIFEST, /layers\[0\]\.mediaType/],
    ['layer not an object', bytes({ ...dockerImage, layers: ['x'] }), DOCKER_MANIFEST, /layers\[0\] is missing or not an object/],
    [
      'index entry without os',
      bytes({ ...dockerList, manifests: [{ mediaType: DOCKER_MANIFEST, size: 1, digest: D1, platform: { architecture: 'amd64' } }] }),
      DOCKER_MANIFEST_LIST,
      /manifests\[0\]\.platform\.os/,
    ],
    [
      'index entry without architecture',
      bytes({ ...dockerList, manifests: [{ mediaType: DOCKER_MANIFEST, size: 1, digest: D1, platform: { os: 'linux' } }] }),
      DOCKER_MANIFEST_LIST,
      /manifests\[0\]\.platform\.architecture/,
    ],
    [
      'index entry without digest',
      bytes({ ...dockerList, manifests: [{ mediaType: DOCKER_MANIFEST, size: 1 }] }),
      DOCKER_MANIFEST_LIST,
      /manifests\[0\]\.digest/,
    ],
    [
      'platform not an object',
      bytes({ ...dockerList, manifests: [{ mediaType: DOCKER_MANIFEST, size: 1, digest: D1, platform: 'linux/amd64' }] }),
      DOCKER_MANIFEST_LIST,
      /manifests\[0\]\.platform is not an object/,
    ],
  ];
  for (const [name, body, mediaType, pattern] of cases) {
    test(name, () => expectInvalid(() => parseManifest(body, mediaType), pattern));
  }

  test('errors carry a hint', () => {
    try {
      parseManifest(bytes('x'), DOCKER_MANIFEST);
      assert.fail('should throw');
    } catch (error) {
      assert.ok(error instanceof TagkeeperError);
      assert.ok(error.hint && error.hint.length > 0);
    }
  });
});
