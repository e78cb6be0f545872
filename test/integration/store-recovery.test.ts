/**
 * A lost database costs the history, not the box (issue 13), against a real engine and
 * registry through the real CLI: a plain app and a Compose app run; their database deleted,
 * emptied or cut short is refused (one line naming the data directory and the way out), and so
 * is a new data directory beside their containers; `tagkeeper recover` rebuilds both from the
 * containers' labels (app show matches the latched digests before the loss, refresh and
 * restart work on); `tagkeeper recover --from-backup` restores the day's backup, history
 * included, and latches what moved on since to what runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, renameSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before } from '../helpers/hooks';
import { createApp, ledgerOf, operation, publish, showApp, withAction, type AppJson } from '../helpers/lifecycle';
import { useSite } from '../helpers/site';
import type { BuiltImage } from '../helpers/image-builder';
import type { RecoverAnswer } from '../../main/shells/recover';
import { tempDir } from '../helpers/temp-dir';

const site = useSite();
let images: Record<'web' | 'api' | 'db', BuiltImage>;
let composeFile: string;

const ref = (repo: string) => `${site.registry.host}/${repo}:1`;
const dbFile = () => join(site.dataDir, 'tagkeeper.db');

/** What `app show` says that must survive the loss of the database. */
const latchedOf = (app: AppJson) => app.services.map((s) => ({ name: s.name, latched: s.latched && { indexDigest: s.latched.indexDigest, manifestDigest: s.latched.manifestDigest, imageId: s.latched.imageId }, containerId: s.containerId }));

/** The database and its logs gone, as a lost or wiped file would leave the data directory. */
function deleteDatabase(): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbFile()}${suffix}`, { force: true });
}

async function assertRefused(args: string[], pattern: RegExp, env: Record<string, string> = {}): Promise<string> {
  const out = await site.cli(args, env);
  assert.equal(out.code, 1, `${args.join(' ')} is refused: ${out.stdout} ${out.stderr}`);
  assert.equal(out.stderr.trim().split('\n').length, 1, `one line: ${out.stderr}`);
  assert.match(out.stderr, pattern);
  return out.stderr;
}

async function recover(args: string[] = [], env: Record<string, string> = {}): Promise<RecoverAnswer> {
  const out = await site.cli(['recover', ...args, '--json'], env);
  assert.equal(out.code, 0, `recover: ${out.stdout} ${out.stderr}`);
  return out.json<RecoverAnswer>();
}

before(async () => {
  images = {
    web: await publish(site, 'rec-web', '1', 'rec-web-v1'),
    api: await publish(site, 'rec-api', '1', 'rec-api-v1'),
    db: await publish(site, 'rec-db', '1', 'rec-db-v1'),
  };
  await createApp(site, 'web', { main: ref('rec-web') }, ['--env', 'GREETING=hello world', '--volume', 'data:/data', '--pull-policy', 'if-not-present']);
  composeFile = join(tempDir('tk-recover-'), 'compose.yaml');
  writeFileSync(
    composeFile,
    `services:\n  api:\n    image: ${ref('rec-api')}\n    depends_on: [db]\n    environment: {MODE: recovered}\n  db:\n    image: ${ref('rec-db')}\n    volumes: [data:/data]\nvolumes:\n  data: {}\n`,
  );
  const created = await site.cli(['app', 'create', 'shop', '--compose', composeFile, '--json']);
  assert.equal(created.code, 0, created.stderr);
});

test('a deleted database is refused, naming the data directory and the way out; nothing is made afresh', async () => {
  const web = await showApp(site, 'web');
  deleteDatabase();
  await assertRefused(['app', 'list'], new RegExp(`the database ${dbFile()} is missing or empty, but the data directory ${site.dataDir} was in use .*tagkeeper recover --from-backup.*\`tagkeeper recover\`.*move ${site.dataDir} away to start fresh`));
  assert.equal(readdirSync(site.dataDir).includes('tagkeeper.db'), false, 'no new database');
  writeFileSync(dbFile(), '');
  await assertRefused(['settings', 'show'], /is missing or empty/);

  const answer = await recover();
  assert.deepEqual(answer.engine!.apps.map((a) => [a.name, a.change, a.intent]), [['shop', 'rebuilt', 'running'], ['web', 'rebuilt', 'running']]);
  assert.deepEqual(answer.engine!.skipped, []);
  assert.ok(answer.damagedKeptAs.some((f) => f.includes('tagkeeper.db.lost-')), 'the empty file is kept aside, not reused');
  const after = await showApp(site, 'web');
  assert.deepEqual(latchedOf(after), latchedOf(web), 'same latched digests, same container');
  assert.equal(after.state, 'running');
});

test('the recovered apps are whole: settings, Compose definition, latched digests; refresh and restart work', async () => {
  const web = (await site.cli(['app', 'show', 'web', '--json'])).json();
  assert.equal(web.pullPolicy, 'if-not-present');
  assert.equal(web.definedBy, 'flags');
  const shop = (await site.cli(['app', 'show', 'shop', '--json'])).json();
  assert.equal(shop.definedBy, 'compose');
  assert.deepEqual(
    shop.services.map((s: AppJson['services'][number]) => [s.name, s.latched?.manifestDigest, s.containerStatus]),
    [['api', images.api.manifestDigest, 'running'], ['db', images.db.manifestDigest, 'running']],
  );
  const exported = await site.cli(['app', 'export', 'shop', '--compose', '--json']);
  assert.equal(exported.code, 0, exported.stderr);
  assert.match(exported.json<{ text: string }>().text, /MODE: "recovered"/, 'the Compose model came back with the app');

  const v2 = await publish(site, 'rec-web', '1', 'rec-web-v2');
  const refreshed = await operation(site, ['app', 'refresh', 'web']);
  assert.equal(refreshed.code, 0, refreshed.stderr);
  assert.equal(refreshed.result.outcome, 'done');
  assert.equal(refreshed.result.changed, true);
  const moved = await showApp(site, 'web');
  assert.equal(moved.services[0].latched?.manifestDigest, v2.manifestDigest);
  assert.equal(moved.services[0].previous?.manifestDigest, images.web.manifestDigest, 'the recovered latch is the previous one now');
  images.web = v2;

  const restarted = await operation(site, ['app', 'restart', 'shop']);
  assert.equal(restarted.code, 0, restarted.stderr);
  assert.equal(restarted.result.outcome, 'done');
  assert.equal((await showApp(site, 'shop')).state, 'running');
  const ledger = await ledgerOf(site, 'web');
  assert.deepEqual(ledger.slice(0, 2).map((e) => [e.action, e.trigger]), [['recover', 'recover'], ['recover', 'recover']], 'the history starts at the recovery');
});

test('a database cut short is refused as damaged; recover keeps it aside and rebuilds', async () => {
  const web = await showApp(site, 'web');
  truncateSync(dbFile(), Math.floor(statSync(dbFile()).size / 2));
  await assertRefused(['app', 'list'], new RegExp(`the database ${dbFile()} is damaged \\(the file is \\d+ bytes but holds \\d+ pages of \\d+ bytes: it was cut short\\).*tagkeeper recover --from-backup`));
  const answer = await recover();
  assert.ok(answer.damagedKeptAs[0].includes('tagkeeper.db.damaged-'));
  assert.equal(statSync(answer.damagedKeptAs[0]).mode & 0o777, 0o600);
  assert.deepEqual(latchedOf(await showApp(site, 'web')), latchedOf(web));
});

test('a new data directory beside the apps\' containers refuses to use the engine until recover', async () => {
  const elsewhere = mkdtempSync(join(tmpdir(), 'tk-data-new-'));
  try {
    const env = { TAGKEEPER_DATA_DIR: elsewhere };
    await assertRefused(['app', 'list'], new RegExp(`this engine runs containers of Tagkeeper app\\(s\\) shop, web that the database in ${elsewhere} does not know.*\`tagkeeper recover\``), env);
    await assertRefused(['app', 'show', 'web'], /does not know/, env);
    await assertRefused(['settings', 'show'], /does not know/, env);
    const answer = await recover([], env);
    assert.deepEqual(answer.engine!.apps.map((a) => a.name), ['shop', 'web']);
    const listed = await site.cli(['app', 'list', '--json'], env);
    assert.equal(listed.code, 0, listed.stderr);
  } finally {
    rmSync(elsewhere, { recursive: true, force: true });
  }
});

test('recover --from-backup restores the history, and latches what moved on since the backup to what runs', async () => {
  // A day passes: the next command makes the day's backup, with the history so far.
  const backups = join(site.dataDir, 'backups');
  for (const name of readdirSync(backups)) renameSync(join(backups, name), join(backups, name.replace(/^tagkeeper-\d{4}-\d\d-\d\d/, 'tagkeeper-2020-01-01')));
  const before = await ledgerOf(site, 'web');
  const newest = readdirSync(backups).filter((n) => !n.startsWith('tagkeeper-2020-')).map((n) => join(backups, n));
  assert.equal(newest.length, 1, `the day's backup: ${readdirSync(backups).join(', ')}`);
  assert.equal(statSync(newest[0]).mode & 0o777, 0o600);

  const v3 = await publish(site, 'rec-web', '1', 'rec-web-v3');
  assert.equal((await operation(site, ['app', 'refresh', 'web'])).result.outcome, 'done', 'after the backup');
  deleteDatabase();
  await assertRefused(['app', 'list'], /is missing or empty/);

  const answer = await recover(['--from-backup']);
  assert.equal(answer.restored!.backup, newest[0]);
  assert.deepEqual(answer.engine!.apps.map((a) => [a.name, a.change]), [['web', 're-latched']]);
  const web = await showApp(site, 'web');
  assert.equal(web.services[0].latched?.manifestDigest, v3.manifestDigest, 'runs v3 (refreshed after the backup): latched to it');
  const ledger = await ledgerOf(site, 'web');
  assert.deepEqual(ledger.slice(0, before.length).map((e) => e.id), before.map((e) => e.id), 'the history up to the backup is back');
  const relatched = withAction(ledger, 'recover').at(-1)!;
  assert.deepEqual([relatched.from?.manifestDigest, relatched.to?.manifestDigest], [images.web.manifestDigest, v3.manifestDigest]);
  const restart = await operation(site, ['app', 'restart', 'web']);
  assert.equal(restart.result.outcome, 'done', restart.stderr);
});
