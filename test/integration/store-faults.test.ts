/**
 * The store's faults through the real CLI, no engine needed (issue 13): a damaged database, a
 * full disk (the data directory on a small tmpfs, filled before a write) and a backup restored
 * while the engine is down each give one line naming the data directory and what to do, or do
 * what was asked; scratch folders of a killed import are removed by the next process that
 * opens the store, never those of a live import (nor of a process whose PID was reused).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TagkeeperError } from '../../main/api/errors';
import { processStarted } from '../../main/shells/process-identity';
import { openStore } from '../../main/store/sqlite-store';
import { runCli, type CliResult } from '../helpers/cli';

/** No engine answers here: these commands must not need one. */
const NO_ENGINE = 'unix:///nonexistent/tagkeeper-test/docker.sock';

/** No docker CLI configuration either (none is read from this machine's user). */
const NO_DOCKER_CONFIG = join(tmpdir(), 'tk-faults-no-docker-config');

const cli = (dataDir: string, args: string[]): Promise<CliResult> => runCli(args, { DOCKER_HOST: NO_ENGINE, TAGKEEPER_DATA_DIR: dataDir, DOCKER_CONFIG: NO_DOCKER_CONFIG });

function newDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tk-faults-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function ok(dataDir: string, args: string[]): Promise<CliResult> {
  const out = await cli(dataDir, args);
  assert.equal(out.code, 0, `${args.join(' ')}: ${out.stderr}`);
  return out;
}

function assertOneLine(out: CliResult, code: number, ...patterns: RegExp[]): void {
  assert.equal(out.code, code, `exit ${code}: ${out.stdout} ${out.stderr}`);
  assert.equal(out.stderr.trim().split('\n').length, 1, `one line: ${out.stderr}`);
  for (const pattern of patterns) assert.match(out.stderr, pattern);
}

test('garbage in place of the database: one line naming it and the way out, and it is left as it was', async () => {
  const dir = newDataDir();
  await ok(dir, ['settings', 'show']);
  const garbage = Buffer.alloc(16384, 0x42);
  writeFileSync(join(dir, 'tagkeeper.db'), garbage);
  const out = await cli(dir, ['settings', 'show']);
  assertOneLine(out, 1, new RegExp(`^tagkeeper: the database ${join(dir, 'tagkeeper.db')} is damaged \\(SQLITE_NOTADB: file is not a database\\)`), /tagkeeper recover --from-backup/, /`tagkeeper recover`/);
  assert.deepEqual(readFileSync(join(dir, 'tagkeeper.db')), garbage, 'left as it was');
});

test('a backup restored while the engine is down: restored, and compared with the engine later', async () => {
  const dir = newDataDir();
  await ok(dir, ['settings', 'show']); // the first process makes the day's backup: default settings
  await ok(dir, ['settings', 'set', 'offline', 'on']); // the same day: no other backup
  rmSync(join(dir, 'tagkeeper.db'));
  assertOneLine(await cli(dir, ['settings', 'show']), 1, /is missing or empty/);
  const restored = await ok(dir, ['recover', '--from-backup']);
  assert.match(restored.stdout, new RegExp(`restored the database of ${dir} from ${join(dir, 'backups')}/tagkeeper-.*-daily\\.db`));
  assert.match(restored.stdout, /not compared with the engine: .* \(the next Tagkeeper command the engine answers compares it\)/);
  assert.equal((await ok(dir, ['settings', 'show', '--json'])).json().offline, false, 'the settings of the backup');
  const ledger = (await ok(dir, ['ledger', '--json'])).json<{ action: string; detail: string }[]>();
  assert.match(ledger.at(-1)!.detail, /^restored the database from the backup /);
});

describe('a full disk', () => {
  let mount: string;
  before(() => {
    mount = mkdtempSync(join(tmpdir(), 'tk-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,mode=0700', 'tmpfs', mount]);
  });
  after(() => {
    execFileSync('umount', [mount]);
    rmSync(mount, { recursive: true, force: true });
  });

  /** Writes a file until the disk has no byte left. */
  function fill(): string {
    const filler = join(mount, 'filler');
    const fd = openSync(filler, 'w');
    try {
      for (const size of [1 << 20, 1 << 16, 1 << 12, 1 << 9, 1]) {
        const chunk = Buffer.alloc(size, 1);
        try {
          for (;;) writeSync(fd, chunk);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
        }
      }
    } finally {
      closeSync(fd);
    }
    return filler;
  }

  test('a write on a full disk says so in one line naming the data directory, records nothing, and works once there is room', async () => {
    await ok(mount, ['settings', 'set', 'offline', 'on']);
    const filler = fill();
    assertOneLine(
      await cli(mount, ['settings', 'set', 'offline', 'off']),
      1,
      new RegExp(`^tagkeeper: the disk holding the data directory ${mount} is full: Tagkeeper could not use its database \\(SQLITE_`),
      new RegExp(`free some space there \\(df ${mount}\\), then run the command again`),
    );
    rmSync(filler);
    assert.equal((await ok(mount, ['settings', 'show', '--json'])).json().offline, true, 'the failed change was not recorded; the database is intact');
    await ok(mount, ['settings', 'set', 'offline', 'off']);
    assert.equal((await ok(mount, ['settings', 'show', '--json'])).json().offline, false);
  });

  test('a long-lived process whose disk fills up: SQLITE_FULL as one line naming the data directory; the store works on once there is room', () => {
    const store = openStore(mount);
    try {
      const entry = (detail: string) => ({ app: '(device)', service: null, action: 'configure' as const, from: null, to: null, source: null, trigger: 'user', actor: 'me', outcome: 'ok' as const, detail });
      const filler = fill();
      assert.throws(
        () => store.appendLedger(Array.from({ length: 200 }, (_, i) => entry(`${i} ${'x'.repeat(4000)}`))),
        (e: unknown) => e instanceof TagkeeperError && e.code === 'store-full' && e.message.startsWith(`the disk holding the data directory ${mount} is full`) && e.message.includes('(SQLITE_FULL: database or disk is full)'),
      );
      rmSync(filler);
      store.appendLedger([entry('after')]);
      assert.deepEqual(store.listLedger().map((e) => e.detail).filter((d) => d !== null && !d.startsWith('restored')), ['after'], 'the failed transaction left nothing');
    } finally {
      store.close();
    }
  });
});

test("the next process removes the scratch folders of killed imports, never a live import's", async () => {
  const dir = newDataDir();
  await ok(dir, ['settings', 'show']);
  const scratch = join(dir, 'scratch');
  const exited = spawnSync(process.execPath, ['-e', '']).pid!;
  const me = `${process.pid}.${processStarted(process.pid)!.replace('/', '@')}`;
  const planted = {
    killed: `import-${exited}.123456-AbC123`,
    reused: `import-${process.pid}.1-DeF456`, // this PID, but another process's start time: the PID was reused
    old: 'import-GhI789', // made before folders named their owner
    live: `import-${me}-JkL012`,
  };
  for (const name of Object.values(planted)) {
    mkdirSync(join(scratch, name, 'blobs'), { recursive: true });
    writeFileSync(join(scratch, name, 'blobs', 'layer'), Buffer.alloc(1024));
  }
  await ok(dir, ['settings', 'show']);
  assert.deepEqual(readdirSync(scratch), [planted.live]);
  assert.equal(existsSync(join(scratch, planted.live, 'blobs', 'layer')), true);
});
