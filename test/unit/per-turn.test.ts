/** A read kept for one turn of the event loop: asked once by a check's thousands of requests, a change seen from the next turn on. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { perTurn } from '../../main/shells/per-turn';

test('read once per key in a turn; read again in the next turn, so a change made meanwhile shows', async () => {
  let offline = false;
  const reads: string[] = [];
  const settings = perTurn((domain: string) => {
    reads.push(domain);
    return { domain, offline };
  });
  for (let i = 0; i < 1000; i++) assert.equal(settings('a.example').offline, false);
  settings('b.example');
  assert.deepEqual(reads, ['a.example', 'b.example']);
  offline = true;
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(settings('a.example').offline, true);
  assert.deepEqual(reads, ['a.example', 'b.example', 'a.example']);
});
