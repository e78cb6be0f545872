/**
 * Who approved, as the ledger keeps it: the name a person gave (the UI asks for it) beside
 * the user the instance runs as — "Ana (via serve as tester)" — on the approval, on the
 * apply that follows it, and on the pending update; the local user alone when no name (or
 * that same name) was given. The name is one line of at most 100 characters. The same for
 * the approvals of an import with `approve` (the Bundles screen's "Import and approve").
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TagkeeperError } from '../../main/api/errors';
import { approverOf } from '../../main/core/ledger/approver';
import { parseReference } from '../../main/core/model/reference';
import { bundleBuffer, fixtureImage } from '../helpers/bundle-fixtures';
import { FakeBox } from '../helpers/fake-deps';

test('the name given is recorded beside the local user and what this process is; none, or the same name, is the local user alone', () => {
  assert.equal(approverOf({ actor: 'root', via: 'serve' }, 'Ana'), 'Ana (via serve as root)');
  assert.equal(approverOf({ actor: 'ana', via: 'the desktop app' }, '  Ana Lima '), 'Ana Lima (via the desktop app as ana)');
  assert.equal(approverOf({ actor: 'root' }, 'ana'), 'ana (via the CLI as root)');
  assert.equal(approverOf({ actor: 'root', via: 'serve' }, 'root'), 'root');
  assert.equal(approverOf({ actor: 'root', via: 'serve' }, undefined), 'root');
  assert.equal(approverOf({ actor: 'root', via: 'serve' }, '   '), 'root');
});

/** A box whose app `web` (registry.test/web:1) was created through serve. */
async function webViaServe(t: TestContext) {
  const box = FakeBox.for(t);
  box.publish('registry.test/web:1');
  const proc = box.start();
  proc.deps.via = 'serve';
  await proc.client.call('apps:create', { name: 'web', services: [{ name: 'main', image: 'registry.test/web:1', network: 'none' }] });
  return { box, proc };
}

async function pendingUpdateOfWeb(t: TestContext) {
  const { box, proc } = await webViaServe(t);
  const v2 = box.publish('registry.test/web:1');
  await proc.client.call('images:check', { apps: ['web'] });
  return { box, proc, v2 };
}

test('an approval with a name: the approval, the apply and the pending update name the approver beside the user that serves', async (t) => {
  const { proc, v2 } = await pendingUpdateOfWeb(t);
  const answer = await proc.client.call('updates:approve', { app: 'web', approver: 'Ana' });
  assert.equal(answer.approved[0].decidedBy, 'Ana (via serve as tester)');
  assert.ok('outcome' in answer.result && answer.result.outcome === 'done');
  const ledger = await proc.client.call('ledger:list', { app: 'web' });
  const approve = ledger.filter((e) => e.action === 'approve');
  assert.deepEqual(approve.map((e) => e.actor), ['Ana (via serve as tester)']);
  const apply = ledger.find((e) => e.action === 'apply' && e.to?.manifestDigest === v2.manifestDigest);
  assert.equal(apply?.actor, 'Ana (via serve as tester)');
  assert.equal(apply?.detail, 'approved by Ana (via serve as tester)');
});

test('an approval without a name records the local user, as before', async (t) => {
  const { proc } = await pendingUpdateOfWeb(t);
  const answer = await proc.client.call('updates:approve', { app: 'web' });
  assert.equal(answer.approved[0].decidedBy, 'tester');
  const ledger = await proc.client.call('ledger:list', { app: 'web' });
  assert.deepEqual(ledger.filter((e) => e.action === 'approve').map((e) => e.actor), ['tester']);
});

test('a name with control characters, blank, or over 100 characters is refused before anything is approved', async (t) => {
  const { proc } = await pendingUpdateOfWeb(t);
  for (const approver of ['Ana\nroot approved it', 'Ana\u0007', '   ', 'x'.repeat(101)]) {
    await assert.rejects(proc.client.call('updates:approve', { app: 'web', approver }), (e: unknown) => e instanceof TagkeeperError && e.code === 'invalid-input', JSON.stringify(approver));
  }
  assert.equal((await proc.client.call('ledger:list', { app: 'web' })).filter((e) => e.action === 'approve').length, 0);
});

/**
 * web runs registry.test/web:1; a bundle file on the box carries a new image of that tag. The
 * fake engine loads no archives: it has the bundle's image already (pulled by digest), which
 * the import then does not load; it verifies the bundle and records its update all the same.
 */
async function bundleForWeb(t: TestContext) {
  const { box, proc } = await webViaServe(t);
  const ref = parseReference('registry.test/web:1');
  const v2 = fixtureImage({ reference: ref.canonical, marker: 'web v2' });
  box.engine.offer(`${ref.repository}@${v2.image.manifestDigest}`, { id: v2.image.configDigest });
  await box.engine.pullImage(`${ref.repository}@${v2.image.manifestDigest}`, () => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'tk-approver-bundle-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'web.bundle');
  writeFileSync(file, await bundleBuffer([v2]));
  return { proc, file, v2: v2.image };
}

test('an import that approves, with a name: its approval and the apply name the approver beside the user that serves; the import is that user\'s', async (t) => {
  const { proc, file, v2 } = await bundleForWeb(t);
  const answer = await proc.client.call('bundles:import', { file, approve: true, allowUnsigned: true, approver: 'Ana' });
  assert.deepEqual(answer.approvalErrors, []);
  assert.equal(answer.applied.length, 1);
  assert.equal(answer.applied[0].approved[0].decidedBy, 'Ana (via serve as tester)');
  assert.ok('outcome' in answer.applied[0].result && answer.applied[0].result.outcome === 'done');
  const ledger = await proc.client.call('ledger:list', { app: 'web' });
  const approve = ledger.filter((e) => e.action === 'approve');
  assert.deepEqual(approve.map((e) => [e.actor, e.trigger]), [['Ana (via serve as tester)', 'bundle']]);
  const apply = ledger.find((e) => e.action === 'apply' && e.to?.manifestDigest === v2.manifestDigest);
  assert.equal(apply?.actor, 'Ana (via serve as tester)');
  assert.equal(apply?.detail, 'approved by Ana (via serve as tester)');
  assert.deepEqual(ledger.filter((e) => e.action === 'import').map((e) => e.actor), ['tester'], 'the import itself is done by the user that serves');
});

test('an import that approves without a name records the local user; a bad name is refused before anything is read', async (t) => {
  const { proc, file } = await bundleForWeb(t);
  for (const approver of ['Ana\nroot approved it', '   ', 'x'.repeat(101)]) {
    await assert.rejects(proc.client.call('bundles:import', { file, approve: true, allowUnsigned: true, approver }), (e: unknown) => e instanceof TagkeeperError && e.code === 'invalid-input', JSON.stringify(approver));
  }
  assert.deepEqual((await proc.client.call('ledger:list', { app: 'web' })).filter((e) => e.action === 'import'), [], 'nothing imported');
  const answer = await proc.client.call('bundles:import', { file, approve: true, allowUnsigned: true });
  assert.equal(answer.applied[0]?.approved[0].decidedBy, 'tester');
  assert.deepEqual((await proc.client.call('ledger:list', { app: 'web' })).filter((e) => e.action === 'approve').map((e) => e.actor), ['tester']);
});
