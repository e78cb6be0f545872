import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_RETRY_AFTER_MS,
  backoffDelay,
  isRetryableNetworkError,
  isRetryableStatus,
  networkErrorCode,
  parseRetryAfter,
  sleep,
} from '../../main/registry/retry';
import { Limiter } from '../../main/registry/limiter';

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  const cases: [string, string | string[] | undefined, number | undefined][] = [
    ['delta seconds', '3', 3000],
    ['zero', '0', 0],
    ['white space around', ' 2 ', 2000],
    ['capped', '3600', MAX_RETRY_AFTER_MS],
    ['HTTP date in the future', 'Wed, 01 Jan 2025 00:00:05 GMT', 5000],
    ['HTTP date in the past → 0', 'Tue, 31 Dec 2024 23:59:00 GMT', 0],
    ['HTTP date far ahead → capped', 'Thu, 02 Jan 2025 00:00:00 GMT', MAX_RETRY_AFTER_MS],
    ['first of several values', ['1', '9'], 1000],
    ['negative is garbage', '-5', undefined],
    ['fraction is garbage', '1.5', undefined],
    ['garbage', 'soon', undefined],
    ['empty', '', undefined],
    ['absent', undefined, undefined],
  ];
  for (const [name, value, expected] of cases) test(name, () => assert.equal(parseRetryAfter(value, now), expected));
});

describe('backoffDelay', () => {
  test('doubles per retry, with equal jitter between half and full', () => {
    const low = (n: number): number => backoffDelay(n, { baseMs: 100, maxMs: 10_000, random: () => 0 });
    const high = (n: number): number => backoffDelay(n, { baseMs: 100, maxMs: 10_000, random: () => 0.999999 });
    assert.deepEqual([0, 1, 2, 3].map(low), [50, 100, 200, 400]);
    assert.deepEqual([0, 1, 2, 3].map(high), [100, 200, 400, 800]);
  });

  test('is capped at maxMs', () => {
    assert.equal(backoffDelay(20, { baseMs: 100, maxMs: 1000, random: () => 0.999999 }), 1000);
    assert.equal(backoffDelay(20, { baseMs: 100, maxMs: 1000, random: () => 0 }), 500);
  });

  test('defaults stay within bounds and vary', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 50; i++) {
      const d = backoffDelay(1);
      assert.ok(d >= 250 && d <= 500, `delay ${d}`);
      seen.add(d);
    }
    assert.ok(seen.size > 1, 'jitter varies the delay');
  });
});

describe('retryable answers and errors', () => {
  test('statuses', () => {
    for (const s of [429, 500, 502, 503, 504]) assert.equal(isRetryableStatus(s), true, String(s));
    for (const s of [200, 301, 400, 401, 403, 404, 405, 501, 505]) assert.equal(isRetryableStatus(s), false, String(s));
  });

  test('network errors, also wrapped in cause chains', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    assert.equal(isRetryableNetworkError(reset), true);
    assert.equal(isRetryableNetworkError(new Error('fetch failed', { cause: reset })), true);
    assert.equal(isRetryableNetworkError(Object.assign(new Error('x'), { code: 'UND_ERR_SOCKET' })), true);
    assert.equal(isRetryableNetworkError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })), true);
    assert.equal(isRetryableNetworkError(Object.assign(new Error('x'), { code: 'ENOTFOUND' })), false);
    assert.equal(isRetryableNetworkError(Object.assign(new Error('x'), { code: 'CERT_HAS_EXPIRED' })), false);
    assert.equal(isRetryableNetworkError(new Error('plain')), false);
    assert.equal(networkErrorCode(new Error('outer', { cause: new Error('inner', { cause: reset }) })), 'ECONNRESET');
  });
});

describe('sleep', () => {
  test('resolves after the delay', async () => {
    await sleep(5);
  });

  test('rejects with the reason when aborted', async () => {
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    controller.abort(new Error('stop'));
    await assert.rejects(pending, /stop/);
  });

  test('rejects at once when already aborted', async () => {
    await assert.rejects(sleep(60_000, AbortSignal.abort(new Error('early'))), /early/);
  });
});

describe('Limiter', () => {
  test('never runs more than its limit at once, and runs everything', async () => {
    const limiter = new Limiter(3);
    let running = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limiter.run(async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((r) => setImmediate(r));
          running--;
          return i;
        }),
      ),
    );
    assert.equal(peak, 3);
    assert.deepEqual(results, Array.from({ length: 20 }, (_, i) => i));
  });

  test('a waiter whose signal aborts leaves the queue; a failing task frees its slot', async () => {
    const limiter = new Limiter(1);
    let release!: () => void;
    const first = limiter.run(() => new Promise<void>((r) => (release = r)));
    const controller = new AbortController();
    const waiting = limiter.run(async () => 'never', controller.signal);
    controller.abort(new Error('gave up'));
    await assert.rejects(waiting, /gave up/);
    release();
    await first;
    await assert.rejects(limiter.run(async () => Promise.reject(new Error('boom'))), /boom/);
    assert.equal(await limiter.run(async () => 'ok'), 'ok');
  });

  test('rejects a bad limit', () => {
    assert.throws(() => new Limiter(0), RangeError);
  });
});
