import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenCache, tokenKey } from '../../main/registry/token-cache';
import { parseTokenResponse } from '../../main/registry/auth';
import { BodyTooLargeError, readCapped, readForError, registryErrorSummary } from '../../main/registry/http-body';
import { redact } from '../../main/registry/transport';
import { TagkeeperError } from '../../main/api/errors';
import { Readable } from 'node:stream';

describe('TokenCache', () => {
  test('caches until shortly before expiry, then fetches again', async () => {
    let now = 1_000_000;
    const cache = new TokenCache(() => now);
    let fetches = 0;
    const fetch = async () => ({ token: `t${++fetches}`, expiresInSeconds: 60 });
    assert.equal(await cache.get('k', fetch), 't1');
    now += 50_000;
    assert.equal(await cache.get('k', fetch), 't1');
    now += 6_000; // 56 s: inside the 5 s safety margin
    assert.equal(await cache.get('k', fetch), 't2');
    assert.equal(fetches, 2);
  });

  test('concurrent callers share one in-flight request', async () => {
    const cache = new TokenCache();
    let fetches = 0;
    let resolve!: (v: { token: string; expiresInSeconds: number }) => void;
    const fetch = () => {
      fetches++;
      return new Promise<{ token: string; expiresInSeconds: number }>((r) => (resolve = r));
    };
    const all = Promise.all([cache.get('k', fetch), cache.get('k', fetch), cache.get('k', fetch)]);
    resolve({ token: 'shared', expiresInSeconds: 300 });
    assert.deepEqual(await all, ['shared', 'shared', 'shared']);
    assert.equal(fetches, 1);
  });

  test('a failed fetch is not cached and not left in flight', async () => {
    const cache = new TokenCache();
    await assert.rejects(cache.get('k', async () => Promise.reject(new Error('down'))), /down/);
    assert.equal(await cache.get('k', async () => ({ token: 'ok', expiresInSeconds: 60 })), 'ok');
  });

  test('keys are separate; invalidate drops only the named token', async () => {
    const cache = new TokenCache();
    await cache.get('a', async () => ({ token: 'ta', expiresInSeconds: 60 }));
    await cache.get('b', async () => ({ token: 'tb', expiresInSeconds: 60 }));
    cache.invalidate('a', 'other-token');
    assert.equal(cache.size, 2);
    cache.invalidate('a', 'ta');
    assert.equal(cache.size, 1);
    assert.equal(await cache.get('a', async () => ({ token: 'ta2', expiresInSeconds: 60 })), 'ta2');
  });

  test('very short lifetimes are used once and not cached', async () => {
    const cache = new TokenCache();
    let fetches = 0;
    const fetch = async () => ({ token: `t${++fetches}`, expiresInSeconds: 3 });
    await cache.get('k', fetch);
    await cache.get('k', fetch);
    assert.equal(fetches, 2);
  });

  test('tokenKey separates domain, scope and credentials without holding the password', () => {
    const a = tokenKey('r', 'repository:x:pull', { username: 'u', password: 'p1' });
    const b = tokenKey('r', 'repository:x:pull', { username: 'u', password: 'p2' });
    assert.notEqual(a, b);
    assert.notEqual(tokenKey('r', 'repository:x:pull'), tokenKey('r', 'repository:y:pull'));
    assert.notEqual(tokenKey('r1', 's'), tokenKey('r2', 's'));
    assert.ok(!a.includes('p1'));
    assert.match(tokenKey('r', 's'), /anonymous/);
  });
});

describe('parseTokenResponse', () => {
  const enc = (v: unknown): Uint8Array => Buffer.from(JSON.stringify(v));
  test('token, access_token, expires_in default', () => {
    assert.deepEqual(parseTokenResponse(enc({ token: 'a', expires_in: 300 }), 'r'), { token: 'a', expiresInSeconds: 300 });
    assert.deepEqual(parseTokenResponse(enc({ access_token: 'b' }), 'r'), { token: 'b', expiresInSeconds: 60 });
    assert.deepEqual(parseTokenResponse(enc({ token: 'a', access_token: 'b', expires_in: 0 }), 'r'), { token: 'a', expiresInSeconds: 60 });
  });
  test('no token → registry-error', () => {
    for (const body of [enc({}), Buffer.from('not json'), enc({ token: '' }), enc(null)]) {
      assert.throws(
        () => parseTokenResponse(body, 'reg.example'),
        (e: unknown) => e instanceof TagkeeperError && e.code === 'registry-error' && /reg\.example/.test(e.message),
      );
    }
  });
});

describe('http-body', () => {
  test('readCapped reads up to the cap and fails past it', async () => {
    assert.equal((await readCapped(Readable.from([Buffer.from('abc'), Buffer.from('de')]), 5)).toString(), 'abcde');
    await assert.rejects(readCapped(Readable.from([Buffer.from('abc'), Buffer.from('def')]), 5), BodyTooLargeError);
  });

  test('readForError cuts silently', async () => {
    assert.equal(await readForError(Readable.from([Buffer.from('x'.repeat(10))]), 5), '');
    assert.equal(await readForError(Readable.from([Buffer.from('ok')]), 5), 'ok');
  });

  test('registryErrorSummary', () => {
    assert.equal(
      registryErrorSummary('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{}}]}'),
      'MANIFEST_UNKNOWN: manifest unknown',
    );
    assert.equal(registryErrorSummary('{"errors":[{"code":"DENIED"}]}'), 'DENIED');
    assert.equal(registryErrorSummary('{"errors":[]}'), undefined);
    assert.equal(registryErrorSummary('<html>'), undefined);
  });

  test('redact drops user info and query', () => {
    assert.equal(redact('https://user:pw@auth.example/token?account=me&scope=x'), 'https://auth.example/token');
  });
});
