/**
 * `app rollback` (back to the previous latched digests, and forward again) and `images
 * prune` (only images nothing refers to), issue 5, against a real engine and registry.
 * The prune case runs after the rollback cases and relies on the app they leave behind.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertRunning, changeOf, createApp, ledgerOf, operation, publish, serviceOf, showApp, snapshot, untouched, withAction, type LedgerRow,
} from '../helpers/lifecycle';
import type { BuiltImage } from '../helpers/image-builder';
import { classify, useSite } from '../helpers/site';
import type { PruneOutcome, PrunePreview } from '../../main/api/types/images';

const site = useSite();

const ref = (repo: string) => `${site.registry.host}/${repo}:1`;
const op = (verb: string, name: string) => operation(site, ['app', verb, name]);
async function operationsOf(app: string) {
  const instance = site.open();
  try {
    return instance.client.call('operations:list', { app });
  } finally {
    await instance.close();
  }
}
const imageExists = (id: string) =>
  site.docker.getImage(id).inspect().then(
    () => true,
    (error: { statusCode?: number }) => {
      assert.equal(error.statusCode, 404, `inspect ${id}: ${String(error)}`);
      return false;
    },
  );

let v1: BuiltImage;
let v2: BuiltImage;

describe('app rollback', () => {
  test('goes back to the previous digests without the registry, and a second rollback goes forward again', async () => {
    v1 = await publish(site, 'rb', '1', 'rb-v1');
    await createApp(site, 'rb', { main: ref('rb') });
    v2 = await publish(site, 'rb', '1', 'rb-v2');
    const refreshed = await op('refresh', 'rb');
    assert.equal(refreshed.code, 0, refreshed.stderr);
    assert.equal(refreshed.result.changed, true);
    await assertRunning(site, 'rb', { main: v2 });
    site.registry.clearRequests();

    const back = await op('rollback', 'rb');
    assert.equal(back.code, 0, back.stderr);
    assert.equal(back.result.kind, 'rollback');
    assert.equal(back.result.outcome, 'done');
    assert.equal(back.result.changed, true);
    assert.equal(back.result.restarted, true);
    assert.equal(back.result.error, null);
    assert.equal(changeOf(back.result).from.manifestDigest, v2.manifestDigest);
    assert.equal(changeOf(back.result).to.manifestDigest, v1.manifestDigest);
    assert.deepEqual(await site.registry.settledRequests(), [], 'a rollback asks no registry');
    const view = await assertRunning(site, 'rb', { main: v1 }); // the container's image is v1's config digest
    assert.equal(serviceOf(view).previous?.manifestDigest, v2.manifestDigest, 'the rolled-back-from content becomes the previous one');

    const ledger = withAction(await ledgerOf(site, 'rb'), 'rollback');
    assert.equal(ledger.length, 2, `one entry for the drive, one for the operation: ${JSON.stringify(ledger)}`);
    const drive = ledger.find((e) => e.service === 'main') as LedgerRow;
    assert.equal(drive.outcome, 'ok');
    assert.equal(drive.from?.manifestDigest, v2.manifestDigest);
    assert.equal(drive.to?.manifestDigest, v1.manifestDigest);
    assert.equal(ledger.find((e) => e.service === null)?.outcome, 'ok');

    const forward = await op('rollback', 'rb');
    assert.equal(forward.code, 0, forward.stderr);
    assert.equal(changeOf(forward.result).to.manifestDigest, v2.manifestDigest);
    const again = await assertRunning(site, 'rb', { main: v2 });
    assert.equal(serviceOf(again).previous?.manifestDigest, v1.manifestDigest);
    const drives = withAction(await ledgerOf(site, 'rb'), 'rollback').filter((e) => e.service === 'main');
    assert.deepEqual(drives.map((e) => [e.from?.manifestDigest, e.to?.manifestDigest]), [
      [v2.manifestDigest, v1.manifestDigest],
      [v1.manifestDigest, v2.manifestDigest],
    ]);
  });

  test('afterwards the app says where it came back from, not "update available"; re-applying goes through an approval', async () => {
    const w1 = await publish(site, 'rbv', '1', 'rbv-v1');
    await createApp(site, 'rbv', { main: ref('rbv') });
    const w2 = await publish(site, 'rbv', '1', 'rbv-v2');
    assert.equal((await site.cli(['check', 'rbv'])).code, 0, 'a check sees the update (what the registry offers is recorded)');
    assert.equal((await op('refresh', 'rbv')).code, 0);
    assert.equal((await op('rollback', 'rbv')).code, 0);

    const view = serviceOf(await assertRunning(site, 'rbv', { main: w1 }));
    assert.equal(view.rolledBackFrom?.manifestDigest, w2.manifestDigest);
    assert.equal(view.updateAvailable, false, 'the registry still offers w2, but that is where the app came back from');
    const shown = await site.cli(['app', 'show', 'rbv']);
    assert.match(shown.stdout, new RegExp(`update:\\s+rolled back from sha256:${w2.manifestDigest.slice(7, 19)}`));
    assert.match((await site.cli(['app', 'list'])).stdout, /rbv\s+running\s+main\s+\S+\s+\S+\s+rolled back from/);
    const none = await site.cli(['updates', '--json']);
    assert.deepEqual(none.json<{ app: string }[]>().filter((u) => u.app === 'rbv'), [], 'and nothing is waiting in Updates');

    // Re-apply: proposed again (what the UI's button does), then approved as any update; nothing downloaded.
    site.registry.clearRequests();
    const instance = site.open();
    const { proposed } = await instance.client.call('updates:repropose', { app: 'rbv' }).finally(() => instance.close());
    assert.deepEqual(proposed.map((u) => [u.service, u.to.manifestDigest, u.imageId]), [['main', w2.manifestDigest, w2.configDigest]]);
    const approved = await site.cli(['updates', 'approve', 'rbv', '--json']);
    assert.equal(approved.code, 0, approved.stderr);
    await assertRunning(site, 'rbv', { main: w2 });
    assert.deepEqual(classify(await site.registry.settledRequests()).blobGets, [], 'still on the box: nothing downloaded');
    const again = (await site.cli(['app', 'show', 'rbv', '--json'])).json<{ services: { rolledBackFrom: unknown }[] }>();
    assert.equal(again.services[0].rolledBackFrom, null);
    const approvals = withAction(await ledgerOf(site, 'rbv'), 'approve');
    assert.deepEqual(approvals.map((e) => e.to?.manifestDigest), [w2.manifestDigest], 'recorded as an approval, with who');
  });

  test('an app that never changed: bad input (exit 2), says so, and nothing changes', async () => {
    const s1 = await publish(site, 'still', '1', 'still-v1');
    await createApp(site, 'still', { main: ref('still') });
    const before = await snapshot(site, 'still');
    const ledgerBefore = await ledgerOf(site, 'still');
    const operationsBefore = await operationsOf('still');

    const out = await site.cli(['app', 'rollback', 'still']);
    assert.equal(out.code, 2, out.stderr);
    assert.match(out.stderr, /app still has no previous digests to roll back to/);

    assert.ok(untouched(before.main, (await snapshot(site, 'still')).main), 'the container was not touched');
    await assertRunning(site, 'still', { main: s1 });
    assert.deepEqual(await ledgerOf(site, 'still'), ledgerBefore, 'nothing recorded');
    assert.deepEqual(await operationsOf('still'), operationsBefore, 'no operation recorded');
  });
});

describe('images prune', () => {
  test('lists, then removes, only the images nothing refers to', async () => {
    // An image left behind by a deleted app, and one a container outside Tagkeeper was created from.
    const left = await publish(site, 'gone', '1', 'gone-v1');
    await createApp(site, 'gone', { main: ref('gone') });
    const held = await publish(site, 'held', '1', 'held-v1');
    await createApp(site, 'held', { main: ref('held') });
    for (const name of ['gone', 'held']) assert.equal((await site.cli(['app', 'delete', name])).code, 0);
    const outsider = await site.docker.createContainer({ Image: held.configDigest, Cmd: ['true'], name: 'outsider' });
    try {
      const rb = serviceOf(await showApp(site, 'rb'));
      const kept = [rb.latched?.imageId, rb.previous?.imageId];
      assert.deepEqual(kept.sort(), [v1.configDigest, v2.configDigest].sort(), 'the app has latched and previous images');

      const dry = await site.cli(['images', 'prune', '--dry-run', '--json']);
      assert.equal(dry.code, 0, dry.stderr);
      const preview = dry.json<PrunePreview>();
      assert.equal(preview.dryRun, true);
      assert.deepEqual(preview.images.map((i) => i.id), [left.configDigest], 'only the deleted app\'s image');
      const size = (await site.docker.getImage(left.configDigest).inspect()).Size;
      assert.equal(preview.bytes, size);
      assert.equal(await imageExists(left.configDigest), true, 'a dry run removes nothing');

      const real = await site.cli(['images', 'prune', '--json']);
      assert.equal(real.code, 0, real.stderr);
      const pruned = real.json<PruneOutcome>();
      assert.deepEqual(pruned.removed.map((i) => i.id), [left.configDigest]);
      assert.equal(pruned.bytes, size);
      assert.deepEqual(pruned.failed, []);
      assert.equal(await imageExists(left.configDigest), false, 'the engine no longer has it');
      for (const id of [v1.configDigest, v2.configDigest, held.configDigest]) assert.equal(await imageExists(id), true, `${id} is kept`);
      await assertRunning(site, 'rb', { main: v2 });

      const prunes = withAction(await ledgerOf(site, '(device)'), 'prune');
      assert.equal(prunes.length, 1);
      assert.match(prunes[0].detail ?? '', /^1 image\(s\) removed, \d+ bytes$/);

      const nothing = await site.cli(['images', 'prune', '--dry-run']);
      assert.equal(nothing.code, 0, nothing.stderr);
      assert.match(nothing.stdout, /Nothing to prune/);
    } finally {
      await outsider.remove({ force: true });
    }
  });
});
