/**
 * Crash safety of refresh and purge (PRODUCT.md behaviour 4 and "no half-applied state",
 * issue 3): the tagkeeper process SIGKILLs itself at each step (TAGKEEPER_CRASH_AT), then
 * `tagkeeper resume` finishes the request. Afterwards the app runs, on all-old or all-new
 * digests (for a refresh whose tags moved: all-new), one container per service, and the
 * request was done exactly once: one ledger entry for it, one purge of the volume, and a
 * second resume finds nothing to do.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BuiltImage } from '../helpers/image-builder';
import {
  assertRunning, createApp, hasDataFile, ledgerOf, operation, publish, withAction, writeDataFile, type OperationResult,
} from '../helpers/lifecycle';
import { useSite } from '../helpers/site';

const site = useSite();

const REFRESH_POINTS = ['before-download', 'during-download', 'after-download', 'before-switch', 'during-switch', 'after-switch'] as const;
const PURGE_POINTS = ['before-switch', 'during-switch', 'after-switch'] as const;

const ref = (repo: string) => `${site.registry.host}/${repo}:1`;

/** `tagkeeper resume --json`: asserts exit 0 and returns what it resumed. */
async function resume(): Promise<OperationResult[]> {
  const out = await site.cli(['resume', '--json']);
  assert.equal(out.code, 0, `resume: ${out.stderr}`);
  const body = out.json<{ resumed: OperationResult[] }>();
  assert.ok(Array.isArray(body.resumed), `resume prints { resumed: [...] }: ${out.stdout}`);
  return body.resumed;
}

/** Runs `args` with the crash point set; asserts the process died before finishing the request. */
async function crashAt(point: string, app: string, args: string[]): Promise<void> {
  const out = await site.cli([...args, '--json'], { TAGKEEPER_CRASH_AT: point });
  assert.notEqual(out.code, 0, `tagkeeper ${args.join(' ')} with TAGKEEPER_CRASH_AT=${point} should have been killed; stdout: ${out.stdout}`);
  assert.equal(out.stdout.trim(), '', 'killed before printing a result');
  const kind = args[1];
  assert.equal(withAction(await ledgerOf(site, app), kind).length, 0, `no ${kind} entry before the request is finished`);
}

test('resume with nothing pending resumes nothing', async () => {
  assert.deepEqual(await resume(), []);
});

describe('refresh killed at each step, then resumed', () => {
  for (const point of REFRESH_POINTS) {
    test(`${point}: the app ends on the new digests of both services, the refresh done once`, async () => {
      const app = `r-${point}`;
      const olds: Record<string, BuiltImage> = {
        a: await publish(site, `${app}-a`, '1', `${app}-a-v1`),
        b: await publish(site, `${app}-b`, '1', `${app}-b-v1`),
      };
      await createApp(site, app, { a: ref(`${app}-a`), b: ref(`${app}-b`) });
      const news: Record<string, BuiltImage> = {
        a: await publish(site, `${app}-a`, '1', `${app}-a-v2`),
        b: await publish(site, `${app}-b`, '1', `${app}-b-v2`),
      };

      await crashAt(point, app, ['app', 'refresh', app]);

      const resumed = await resume();
      assert.equal(resumed.length, 1, `one request resumed: ${JSON.stringify(resumed)}`);
      const [result] = resumed;
      assert.equal(result.app, app);
      assert.equal(result.kind, 'refresh');
      assert.equal(result.outcome, 'done');
      assert.equal(result.error, null);

      await assertRunning(site, app, news);
      const ledger = await ledgerOf(site, app);
      assert.deepEqual(withAction(ledger, 'refresh').map((e) => e.outcome), ['ok'], 'one refresh entry');
      const applies = withAction(ledger, 'apply');
      assert.deepEqual(applies.map((e) => e.service).sort(), ['a', 'b'], 'one apply per drive');
      for (const entry of applies) {
        const service = entry.service as string;
        assert.equal(entry.from?.manifestDigest, olds[service].manifestDigest);
        assert.equal(entry.to?.manifestDigest, news[service].manifestDigest);
      }

      assert.deepEqual(await resume(), [], 'a second resume finds nothing to do');
      await assertRunning(site, app, news);
      assert.equal(withAction(await ledgerOf(site, app), 'refresh').length, 1);
    });
  }
});

describe('purge killed at each step, then resumed', () => {
  for (const point of PURGE_POINTS) {
    test(`${point}: the volume is discarded exactly once and the app runs its digest`, async () => {
      const app = `p-${point}`;
      const v1 = await publish(site, app, '1', `${app}-v1`);
      await createApp(site, app, { main: ref(app) }, ['--volume', 'data:/data']);
      await writeDataFile(site, app);

      await crashAt(point, app, ['app', 'purge', app, '--yes']);

      const resumed = await resume();
      assert.equal(resumed.length, 1, `one request resumed: ${JSON.stringify(resumed)}`);
      const [result] = resumed;
      assert.equal(result.app, app);
      assert.equal(result.kind, 'purge');
      assert.equal(result.outcome, 'done');
      assert.equal(result.purged, true);

      await assertRunning(site, app, { main: v1 });
      assert.equal(await hasDataFile(site, app), false, 'the volume was discarded');
      assert.deepEqual(withAction(await ledgerOf(site, app), 'purge').map((e) => e.outcome), ['ok']);

      // Written after the purge: a repeated purge would remove it again.
      await writeDataFile(site, app);
      assert.deepEqual(await resume(), [], 'a second resume finds nothing to do');
      assert.equal(await hasDataFile(site, app), true, 'the purge was not repeated');
      await assertRunning(site, app, { main: v1 });
      assert.equal(withAction(await ledgerOf(site, app), 'purge').length, 1);
    });
  }
});

describe('a restart or purge asked while a refresh is downloading joins it', () => {
  // The refresh's process is killed while downloading, so the request is still open in its
  // downloading step when the restart (or purge) arrives: it is deferred until the downloads
  // end and done together with the refresh, once.
  for (const verb of ['restart', 'purge'] as const) {
    test(`${verb}`, async () => {
      const app = `join-${verb}`;
      await publish(site, app, '1', `${app}-v1`);
      await createApp(site, app, { main: ref(app) }, ['--volume', 'data:/data']);
      await writeDataFile(site, app);
      const v2 = await publish(site, app, '1', `${app}-v2`);
      await crashAt('during-download', app, ['app', 'refresh', app]);

      const { code, stderr, result } = await operation(site, ['app', verb, app, ...(verb === 'purge' ? ['--yes'] : [])]);
      assert.equal(code, 0, stderr);
      assert.equal(result.outcome, 'done');
      assert.equal(result.changed, true, 'the refresh it joined was carried out');
      assert.equal(result.restarted, true);
      assert.equal(result.purged, verb === 'purge');
      await assertRunning(site, app, { main: v2 });
      assert.equal(await hasDataFile(site, app), verb !== 'purge');
      const ledger = await ledgerOf(site, app);
      const done = ledger.filter((e) => ['refresh', 'restart', 'purge'].includes(e.action));
      assert.deepEqual(done.map((e) => e.outcome), ['ok'], `one operation, merged: ${JSON.stringify(done.map((e) => e.action))}`);
      assert.deepEqual(await resume(), []);
    });
  }
});

test('a refresh that is not killed is not left for resume', async () => {
  const app = 'r-clean';
  await publish(site, app, '1', `${app}-v1`);
  await createApp(site, app, { main: ref(app) });
  const v2 = await publish(site, app, '1', `${app}-v2`);
  const { code, stderr, result } = await operation(site, ['app', 'refresh', app]);
  assert.equal(code, 0, stderr);
  assert.equal(result.outcome, 'done');
  assert.deepEqual(await resume(), []);
  await assertRunning(site, app, { main: v2 });
});
