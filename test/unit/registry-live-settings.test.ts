/** The registry client reads insecure-registries on every request: a change made while an instance runs applies at once. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RegistryClient } from '../../main/registry/registry-client';
import type { RequestEvent } from '../../main/registry/transport';

test('insecure-registries given as a function is asked on every request (plain HTTP as soon as it is listed)', async () => {
  let insecure: string[] = [];
  const attempts: RequestEvent[] = [];
  // `.invalid` never resolves (RFC 6761): every request fails at once, after its URL was chosen.
  const client = new RegistryClient({ insecureRegistries: () => insecure, maxRetries: 0, timeoutMs: 2000, onRequest: (e) => attempts.push(e) });
  const repo = { domain: 'registry.tk-test.invalid:5000', path: 'team/app' };
  try {
    await assert.rejects(client.headManifest(repo, 'latest'));
    insecure = ['registry.tk-test.invalid:5000'];
    await assert.rejects(client.headManifest(repo, 'latest'));
    insecure = [];
    await assert.rejects(client.headManifest(repo, 'latest'));
  } finally {
    await client.close();
  }
  assert.deepEqual(attempts.map((a) => new URL(a.url).protocol), ['https:', 'http:', 'https:']);
  assert.ok(attempts.every((a) => a.status === 0 && new URL(a.url).host === 'registry.tk-test.invalid:5000'));
});
