import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tarStream from 'tar-stream';
import { BLOCK, HeaderError, decodeHeader, encodeFileHeader, paddingOf } from '../../main/bundle/ustar';

/** One header block as tar-stream (an independent implementation) writes it. */
async function packedHeader(header: Partial<tarStream.Header> & { name: string }, data = Buffer.alloc(0)): Promise<Buffer> {
  const pack = tarStream.pack();
  pack.entry(header, data);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).subarray(0, BLOCK);
}

describe('ustar headers', () => {
  test('a file header this module writes, tar-stream reads, and the other way round', async () => {
    const name = `blobs/sha256/${'a'.repeat(64)}`;
    const ours = encodeFileHeader(name, 123_456);
    const extract = tarStream.extract();
    const seen = new Promise<tarStream.Header>((resolve) => extract.on('entry', (header, stream) => (resolve(header), stream.resume())));
    extract.write(Buffer.concat([ours, Buffer.alloc(123_456 + paddingOf(123_456))]));
    const header = await seen;
    assert.equal(header.name, name);
    assert.equal(header.size, 123_456);
    assert.equal(header.type, 'file');

    assert.deepEqual(decodeHeader(await packedHeader({ name: 'tagkeeper-bundle.json', size: 3 }, Buffer.from('abc'))), { name: 'tagkeeper-bundle.json', type: 'file', size: 3, linkname: '' });
    assert.deepEqual(decodeHeader(await packedHeader({ name: 'evil', type: 'symlink', linkname: '/etc/passwd' })), { name: 'evil', type: 'symlink', size: 0, linkname: '/etc/passwd' });
    assert.equal(decodeHeader(await packedHeader({ name: 'd', type: 'directory' }))?.type, 'directory');
    assert.equal(decodeHeader(await packedHeader({ name: 'c', type: 'character-device' }))?.type, 'character-device');
  });

  test('the ustar prefix field is part of the name', async () => {
    const long = `${'p'.repeat(120)}/blobs/x`;
    const header = await packedHeader({ name: long, size: 0 });
    assert.equal(decodeHeader(header)?.name, long);
  });

  test('sizes past the octal field use base-256, both ways', () => {
    const size = 2 ** 34 + 5; // > 8 GiB - 1, the octal limit
    const header = encodeFileHeader('big', size);
    assert.equal(header[124], 0x80);
    assert.equal(decodeHeader(header)?.size, size);
  });

  test('an all-zero block ends the archive; a damaged header is refused with the reason', () => {
    assert.equal(decodeHeader(Buffer.alloc(BLOCK)), null);
    const header = encodeFileHeader('x', 10);
    header[0] ^= 1;
    assert.throws(() => decodeHeader(header), (e: unknown) => e instanceof HeaderError && /checksum mismatch/.test(e.message));
    const text = Buffer.alloc(BLOCK, 'not a tar at all ');
    assert.throws(() => decodeHeader(text), (e: unknown) => e instanceof HeaderError && /checksum field is not an octal number/.test(e.message));
    const noMagic = encodeFileHeader('x', 10);
    noMagic.write('zzzzz\0', 257, 'ascii');
    let sum = 0;
    noMagic.fill(' ', 148, 156);
    for (const byte of noMagic) sum += byte;
    noMagic.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
    assert.throws(() => decodeHeader(noMagic), (e: unknown) => e instanceof HeaderError && /not a ustar header/.test(e.message));
  });
});
