import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OPERATIONS } from '../../main/api/contract';
import type { Handlers } from '../../main/api/contract';
import { handle } from '../../main/shells/dispatch';

// Handlers that record calls: validation must stop bad requests before the core sees them.
function recordingHandlers(): { handlers: Handlers; calls: string[] } {
  const calls: string[] = [];
  const handlers = Object.fromEntries(OPERATIONS.map((op) => [op, async () => { calls.push(op); return 'done'; }])) as unknown as Handlers;
  return { handlers, calls };
}

test('a valid request reaches its handler and comes back in an ok envelope', async () => {
  const { handlers, calls } = recordingHandlers();
  assert.deepEqual(await handle(handlers, 'apps:show', { name: 'web' }), { ok: true, value: 'done' });
  assert.deepEqual(calls, ['apps:show']);
});

test('unknown fields, wrong types and unknown operations are refused before the core', async () => {
  const { handlers, calls } = recordingHandlers();
  const bad = [
    ['apps:show', { name: 'web', extra: true }, /extra|Unrecognized/i],
    ['apps:show', { name: 42 }, /name/],
    ['apps:create', { name: 'x', services: [{ name: 'a', image: 'nginx', privileged: true }] }, /services\.0/],
    ['apps:create', { name: 'x', services: [] }, /services/],
    ['settings:set', { key: 'pull-policy' }, /value/],
    ['apps:explode', {}, /unknown operation/],
  ] as const;
  for (const [op, request, message] of bad) {
    const answer = await handle(handlers, op, request);
    assert.equal(answer.ok, false, `${op} ${JSON.stringify(request)} must be refused`);
    if (!answer.ok) {
      assert.equal(answer.error.code, 'invalid-input');
      assert.match(answer.error.message, message);
    }
  }
  assert.deepEqual(calls, []);
});

test('a thrown error becomes an error envelope, never an exception', async () => {
  const handlers = Object.fromEntries(OPERATIONS.map((op) => [op, async () => { throw new Error('boom'); }])) as unknown as Handlers;
  const answer = await handle(handlers, 'apps:list', {});
  assert.deepEqual(answer, { ok: false, error: { code: 'internal', message: 'boom' } });
});
