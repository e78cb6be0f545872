/**
 * The CLI beside the UI (issue 14), the real binary against a real engine and registry:
 * `app purge` asks on a terminal (y/N, naming the volumes whose data is lost), takes --yes,
 * and without a terminal and without --yes refuses in one line, changing nothing;
 * `tagkeeper --version`; times in the text output in local time (as the UI shows them),
 * ISO 8601 with its zone in --json. The terminal is a real pseudo-terminal (script(1)).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROOT } from '../helpers/cli';
import { before } from '../helpers/hooks';
import { createApp, hasDataFile, ledgerOf, publish, withAction, writeDataFile } from '../helpers/lifecycle';
import { useSite } from '../helpers/site';

const site = useSite();
const ref = (repo: string) => `${site.registry.host}/${repo}:1`;

before(async () => {
  await publish(site, 'cf', '1', 'cf-v1');
  await createApp(site, 'cf', { main: ref('cf') }, ['--volume', 'data:/data']);
});

/** `tagkeeper ARGS` on a pseudo-terminal, `typed` sent to it once it asks; what the terminal showed. */
function onTerminal(args: string[], typed: string): Promise<{ code: number; screen: string }> {
  const command = [process.execPath, join(ROOT, 'bin', 'tagkeeper.js'), ...args].join(' ');
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', DOCKER_HOST: site.engine.dockerHost, TAGKEEPER_DATA_DIR: site.dataDir, TAGKEEPER_START_GRACE_MS: '1500' };
  return new Promise((resolve) => {
    let screen = '';
    // script(1) ends the session at the end of its input: the answer is typed once the question is
    // on screen, and the input stays open until the command has finished.
    const child = spawn('script', ['-qec', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'inherit'] });
    let answered = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      screen += chunk;
      if (!answered && screen.includes('[y/N]')) {
        answered = true;
        child.stdin.write(typed);
      }
    });
    child.once('exit', () => child.stdin.end());
    child.once('close', (code) => resolve({ code: code ?? 1, screen }));
  });
}

test('app purge without a terminal and without --yes refuses in one line, naming the volume, and changes nothing', async () => {
  await writeDataFile(site, 'cf');
  const out = await site.cli(['app', 'purge', 'cf']);
  assert.equal(out.code, 2, out.stderr);
  assert.equal(out.stderr.trim().split('\n').length, 1, 'one line');
  assert.match(out.stderr, /^tagkeeper: app purge cf discards the state of app cf \(its state in volume tagkeeper-cf-data is lost\) and there is no terminal to ask on \(add --yes to purge without asking\)$/m);
  assert.equal(await hasDataFile(site, 'cf'), true, 'nothing was purged');
  assert.deepEqual(withAction(await ledgerOf(site, 'cf'), 'purge'), [], 'no purge recorded');
});

test('on a terminal it asks, naming the volume: "n" keeps the data, "y" purges', async () => {
  await writeDataFile(site, 'cf');
  const no = await onTerminal(['app', 'purge', 'cf'], 'n\n');
  assert.equal(no.code, 1, no.screen);
  assert.match(no.screen, /app purge cf discards the state of app cf: its state in volume tagkeeper-cf-data is lost\. Purge it\? \[y\/N\]/);
  assert.match(no.screen, /app cf was not purged: the answer was no/);
  assert.equal(await hasDataFile(site, 'cf'), true);

  const yes = await onTerminal(['app', 'purge', 'cf'], 'y\n');
  assert.equal(yes.code, 0, yes.screen);
  assert.match(yes.screen, /purge of cf: done, state purged, restarted/);
  assert.equal(await hasDataFile(site, 'cf'), false, 'the volume was discarded');
  assert.deepEqual(withAction(await ledgerOf(site, 'cf'), 'purge').map((e) => e.outcome), ['ok']);
});

test('app refresh --purge asks too; --yes answers for scripts', async () => {
  await writeDataFile(site, 'cf');
  const refused = await site.cli(['app', 'refresh', 'cf', '--purge']);
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /app refresh cf --purge discards the state of app cf/);
  assert.equal(await hasDataFile(site, 'cf'), true);
  const done = await site.cli(['app', 'refresh', 'cf', '--purge', '--yes', '--json']);
  assert.equal(done.code, 0, done.stderr);
  assert.equal(done.json<{ purged: boolean }>().purged, true);
  assert.equal(await hasDataFile(site, 'cf'), false);
});

test('tagkeeper --version prints the version of package.json', async () => {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  for (const flag of ['--version', '-V']) {
    const out = await site.cli([flag]);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout, `${version}\n`);
  }
});

test('times: local time in the text output, ISO 8601 with its zone in --json', async () => {
  const TZ = 'Asia/Kolkata'; // +05:30, never UTC
  const entries = (await site.cli(['ledger', 'cf', '--json'], { TZ })).json<{ at: string }[]>();
  assert.ok(entries.length > 0);
  for (const e of entries) assert.match(e.at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, 'ISO 8601, the Z says the offset');
  const local = (iso: string) => {
    const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
    return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
  };
  const text = await site.cli(['ledger', 'cf'], { TZ });
  assert.equal(text.code, 0, text.stderr);
  const rows = text.stdout.trim().split('\n').slice(1);
  assert.equal(rows.length, entries.length);
  rows.forEach((row, i) => assert.ok(row.startsWith(local(entries[i].at)), `${row} starts with ${local(entries[i].at)} (local time of ${entries[i].at})`));
  assert.doesNotMatch(text.stdout, /\d{2}:\d{2}:\d{2}\.\d{3}Z/, 'no UTC timestamps in the text');

  const show = await site.cli(['check', 'cf'], { TZ });
  assert.match(show.stdout, /reference\(s\) checked at \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/m);
});
