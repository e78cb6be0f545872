import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { digestOf, isDigest, parseDigest, shortDigest, verifyDigest } from '../../main/core/model/digest';
import { TagkeeperError } from '../../main/api/errors';

const EMPTY_SHA256 = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const ABC_SHA256 = 'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
const ABC_SHA384 =
  'sha384:cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7';
const ABC_SHA512 =
  'sha512:ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f';
const abc = new TextEncoder().encode('abc');

/** [value, reason fragment] for values that are not digests. */
const INVALID: [string, string][] = [
  ['', 'the digest is empty'],
  ['sha256', 'has no algorithm'],
  ['e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'has no algorithm'],
  [':abc', "has no algorithm before ':'"],
  ['sha256:', "has no hex after 'sha256:'"],
  ['sha256:abc', 'digest sha256:abc has 3 hex characters, expected 64'],
  [`sha256:${'a'.repeat(65)}`, 'has 65 hex characters, expected 64'],
  [`sha384:${'a'.repeat(64)}`, 'has 64 hex characters, expected 96'],
  [`sha512:${'a'.repeat(96)}`, 'has 96 hex characters, expected 128'],
  [`sha256:${'A'.repeat(64)}`, "must use lower-case hex (found 'A')"],
  [`sha256:${'a'.repeat(63)}g`, "non-hex character 'g' at position 71"],
  [`sha256:${'a'.repeat(63)} `, "non-hex character ' '"],
  [` sha256:${'a'.repeat(64)}`, "digest algorithm ' sha256' is not supported"],
  [`SHA256:${'a'.repeat(64)}`, "digest algorithm 'SHA256' is not supported"],
  [`md5:${'a'.repeat(32)}`, "digest algorithm 'md5' is not supported (use sha256, sha384 or sha512)"],
  [`sha256+b64:${'a'.repeat(64)}`, 'is not supported'],
  [`sha256:sha256:${'a'.repeat(64)}`, "non-hex character 's'"],
  ['toString:abc', "digest algorithm 'toString' is not supported"],
];

describe('isDigest and parseDigest', () => {
  test('accepts the three supported algorithms at their exact lengths', () => {
    for (const [algorithm, length] of [['sha256', 64], ['sha384', 96], ['sha512', 128]] as const) {
      const hex = '0123456789abcdef'.repeat(8).slice(0, length);
      assert.equal(isDigest(`${algorithm}:${hex}`), true);
      assert.deepEqual(parseDigest(`${algorithm}:${hex}`), { algorithm, hex });
    }
  });

  for (const [value, why] of INVALID) {
    test(`rejects ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`, () => {
      assert.equal(isDigest(value), false);
      assert.throws(
        () => parseDigest(value),
        (error: unknown) => {
          assert.ok(error instanceof TagkeeperError);
          assert.equal(error.code, 'invalid-digest');
          assert.ok(error.message.startsWith(`${value} is not a valid digest: `), error.message);
          assert.ok(error.message.includes(why), `message ${JSON.stringify(error.message)} lacks ${JSON.stringify(why)}`);
          assert.equal(error.hint, 'a digest looks like sha256: followed by 64 lower-case hex characters');
          return true;
        },
      );
    });
  }

  test('the whole message for a short digest', () => {
    assert.throws(() => parseDigest('sha256:abc'), {
      message: 'sha256:abc is not a valid digest: digest sha256:abc has 3 hex characters, expected 64',
    });
  });

  test('isDigest is false for non-strings', () => {
    assert.equal(isDigest(undefined as unknown as string), false);
    assert.equal(isDigest(42 as unknown as string), false);
  });
});

describe('digestOf', () => {
  test('hashes with sha256 by default (known vectors)', () => {
    assert.equal(digestOf(new Uint8Array()), EMPTY_SHA256);
    assert.equal(digestOf(abc), ABC_SHA256);
  });

  test('hashes with sha384 and sha512 when asked', () => {
    assert.equal(digestOf(abc, 'sha384'), ABC_SHA384);
    assert.equal(digestOf(abc, 'sha512'), ABC_SHA512);
  });

  test('accepts a Buffer', () => {
    assert.equal(digestOf(Buffer.from('abc')), ABC_SHA256);
  });
});

describe('verifyDigest', () => {
  test('passes when the bytes hash to the expected digest, with its algorithm', () => {
    verifyDigest(abc, ABC_SHA256, 'manifest');
    verifyDigest(abc, ABC_SHA384, 'manifest');
    verifyDigest(abc, ABC_SHA512, 'manifest');
  });

  test('throws digest-mismatch naming the content and both digests', () => {
    assert.throws(
      () => verifyDigest(new TextEncoder().encode('abd'), ABC_SHA256, 'manifest of docker.io/library/redis:7'),
      (error: unknown) => {
        assert.ok(error instanceof TagkeeperError);
        assert.equal(error.code, 'digest-mismatch');
        assert.equal(
          error.message,
          `manifest of docker.io/library/redis:7 hashes to ${digestOf(new TextEncoder().encode('abd'))}, expected ${ABC_SHA256}`,
        );
        assert.ok(error.hint && error.hint.length > 0);
        return true;
      },
    );
  });

  test('a malformed expected digest is invalid-digest, not a mismatch', () => {
    assert.throws(() => verifyDigest(abc, 'sha256:abc', 'blob'), { code: 'invalid-digest' });
    assert.throws(() => verifyDigest(abc, `md5:${'a'.repeat(32)}`, 'blob'), { code: 'invalid-digest' });
  });

  test('an upper-case copy of the right digest is rejected as malformed', () => {
    assert.throws(() => verifyDigest(abc, `sha256:${ABC_SHA256.slice(7).toUpperCase()}`, 'blob'), { code: 'invalid-digest' });
  });
});

describe('shortDigest', () => {
  test('keeps the algorithm and the first 12 hex characters', () => {
    assert.equal(shortDigest(ABC_SHA256), 'sha256:ba7816bf8f01');
    assert.equal(shortDigest(ABC_SHA512), 'sha512:ddaf35a19361');
  });

  test('never throws on values that are not digests', () => {
    assert.equal(shortDigest('sha256:abc'), 'sha256:abc');
    assert.equal(shortDigest('0123456789abcdef'), '0123456789ab');
    assert.equal(shortDigest(''), '');
  });
});
