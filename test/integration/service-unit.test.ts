/**
 * `tagkeeper service` (issue 15): the unit `service install` writes is checked by systemd's own
 * `systemd-analyze verify` (and scored by `systemd-analyze security`), without booting systemd;
 * what the unit starts (its ExecStart with its Environment, run as is) finishes a refresh a
 * killed process left, as serve does at every start (at boot too); without a running systemd
 * the commands that need it say so plainly. And `./setup.sh`'s link puts the README's
 * `tagkeeper` command on the PATH.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unitEnvironment } from '../../main/cli/systemd-unit';
import { ROOT } from '../helpers/cli';
import { assertRunning, createApp, ledgerOf, publish, withAction } from '../helpers/lifecycle';
import { stopBefore } from '../helpers/hooks';
import { useSite } from '../helpers/site';
import { eventually } from '../helpers/updates';

const site = useSite();
const work = mkdtempSync(join(tmpdir(), 'tk-service-'));
stopBefore(site, () => rmSync(work, { recursive: true, force: true }));

const ref = (repo: string) => `${site.registry.host}/${repo}:1`;

/** `service install --unit-dir DIR ARGS` with the site's engine and data directory; the unit written. */
async function writeUnit(name: string, args: string[] = []): Promise<{ file: string; unit: string; stdout: string }> {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  const out = await site.cli(['service', 'install', '--unit-dir', dir, '--user', 'root', ...args]);
  assert.equal(out.code, 0, out.stderr);
  const file = join(dir, 'tagkeeper.service');
  return { file, unit: readFileSync(file, 'utf8'), stdout: out.stdout };
}

describe('the unit', () => {
  test('systemd-analyze verify finds nothing to say about it; it keeps the engine and data directory of the shell that installed it', async () => {
    const { file, unit, stdout } = await writeUnit('verify', ['--port', '4850']);
    assert.match(stdout, new RegExp(`^wrote ${file} \\(user root, data ${site.dataDir}, engine ${site.engine.dockerHost}: from DOCKER_HOST\\); nothing enabled \\(--unit-dir\\)\\n$`));
    const verify = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
    assert.equal(verify.status, 0, verify.stderr);
    assert.equal(verify.stderr.trim(), '', 'no warning either');
    const lines = unit.split('\n');
    for (const line of [
      'User=root',
      `ExecStart=${process.execPath} ${join(ROOT, 'bin', 'tagkeeper.js')} serve --port 4850`,
      'Restart=on-failure',
      'After=docker.service network-online.target',
      'Wants=docker.service network-online.target',
      'NoNewPrivileges=yes',
      'ProtectSystem=strict',
      `ReadWritePaths=${site.dataDir}`,
      'PrivateTmp=yes',
    ]) {
      assert.ok(lines.includes(line), `${line} in:\n${unit}`);
    }
    assert.equal(unitEnvironment(unit, 'TAGKEEPER_DATA_DIR'), site.dataDir);
    assert.equal(unitEnvironment(unit, 'DOCKER_HOST'), site.engine.dockerHost);

    // systemd's own score of its confinement (0 = fully confined, 10 = not at all).
    const security = spawnSync('systemd-analyze', ['security', '--offline=true', file], { encoding: 'utf8' });
    const level = /Overall exposure level for tagkeeper\.service: (\d+\.\d+)/.exec(security.stdout);
    assert.ok(level, `${security.stdout}${security.stderr}`);
    assert.ok(Number(level[1]) < 4, `exposure ${level[1]}`);

    // --dry-run prints the same unit and writes nothing.
    const dry = await site.cli(['service', 'install', '--dry-run', '--user', 'root', '--port', '4850']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.equal(dry.stdout, unit);
  });

  test('--host and --context go into the unit as the docker CLI variables; a user that does not exist is refused', async () => {
    const { unit } = await writeUnit('context', ['--host', 'tcp://127.0.0.1:2376']);
    assert.equal(unitEnvironment(unit, 'DOCKER_HOST'), 'tcp://127.0.0.1:2376');
    const bad = await site.cli(['service', 'install', '--unit-dir', work, '--user', 'no-such-user-here']);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /^tagkeeper: there is no user "no-such-user-here" on this machine \(give an existing user with --user .*\)\n$/);
  });

  test('uninstall removes the unit it finds, and says when there is none', async () => {
    const { file } = await writeUnit('uninstall');
    const removed = await site.cli(['service', 'uninstall', '--unit-dir', join(work, 'uninstall')]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal(removed.stdout, `removed ${file}; the data directory is kept\n`);
    assert.equal(existsSync(file), false);
    const again = await site.cli(['service', 'uninstall', '--unit-dir', join(work, 'uninstall')]);
    assert.equal(again.stdout, `no Tagkeeper service is installed (there is no ${file})\n`);
  });

  test('without a running systemd, status and install say so plainly, exit 1', async () => {
    const systemd = existsSync('/run/systemd/system');
    const status = await site.cli(['service', 'status']);
    assert.equal(status.code, 1, status.stderr);
    if (systemd) {
      // A box booted with systemd: status answers (it never changes anything).
      assert.match(status.stdout, /tagkeeper\.service|no Tagkeeper service is installed/);
      return;
    }
    assert.match(status.stderr, /^tagkeeper: systemd is not running on this machine \(there is no \/run\/systemd\/system\), so no service runs here \(on a box booted with systemd this works; .*\)\n$/);
    const install = await site.cli(['service', 'install']);
    assert.equal(install.code, 1, install.stderr);
    assert.match(install.stderr, /^tagkeeper: systemd is not running on this machine .*, so the service cannot be installed here \(.*run tagkeeper serve yourself, or only write the unit: service install --dry-run \(prints it\) or --unit-dir DIR\)\n$/);
  });
});

test('what the unit starts finishes a refresh a killed process left, as at every start (at boot too)', async () => {
  await publish(site, 'boot', '1', 'boot-v1');
  await createApp(site, 'boot', { main: ref('boot') });
  const v2 = await publish(site, 'boot', '1', 'boot-v2');
  const killed = await site.cli(['app', 'refresh', 'boot', '--json'], { TAGKEEPER_CRASH_AT: 'after-download' });
  assert.notEqual(killed.code, 0, 'the refresh was killed');
  assert.equal(withAction(await ledgerOf(site, 'boot'), 'refresh').length, 0, 'not finished');

  // The unit's own command and environment, as systemd would start them.
  const { unit } = await writeUnit('boot');
  const [command, ...args] = (/^ExecStart=(.*)$/m.exec(unit)?.[1] ?? '').split(' ');
  const environment = Object.fromEntries(['TAGKEEPER_DATA_DIR', 'DOCKER_HOST'].map((key) => [key, unitEnvironment(unit, key) ?? '']));
  const serve = spawn(command, args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', TAGKEEPER_START_GRACE_MS: '1500', ...environment }, stdio: 'ignore' });
  const exited = new Promise((resolve) => serve.once('exit', resolve));
  try {
    const done = await eventually('the refresh finished by the started service', async () => {
      const refreshes = withAction(await ledgerOf(site, 'boot'), 'refresh');
      return refreshes.length > 0 ? refreshes : undefined;
    }, 60_000);
    assert.deepEqual(done.map((e) => e.outcome), ['ok'], 'done once');
    await assertRunning(site, 'boot', { main: v2 });
  } finally {
    serve.kill('SIGTERM');
    await exited;
  }
});

test('setup links the README\'s tagkeeper command onto the PATH; running it again keeps one link', () => {
  const bin = join(work, 'bin');
  for (let run = 0; run < 2; run += 1) {
    const link = spawnSync(join(ROOT, 'scripts', 'link-cli.sh'), { encoding: 'utf8', env: { ...process.env, TAGKEEPER_BIN_DIR: bin } });
    assert.equal(link.status, 0, link.stderr);
    assert.match(link.stdout, new RegExp(`^setup: the tagkeeper command is ${bin}/tagkeeper → ${ROOT}/bin/tagkeeper\\.js\\n`));
  }
  assert.equal(readlinkSync(join(bin, 'tagkeeper')), join(ROOT, 'bin', 'tagkeeper.js'));
  const help = spawnSync('tagkeeper', ['--help'], { encoding: 'utf8', cwd: tmpdir(), env: { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: work } });
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /^Usage: tagkeeper \[options\] \[command\]/);
  // Not a link: left alone, and said (the link is removed first: writing through it would write the checkout's file).
  rmSync(join(bin, 'tagkeeper'));
  writeFileSync(join(bin, 'tagkeeper'), 'mine');
  const kept = spawnSync(join(ROOT, 'scripts', 'link-cli.sh'), { encoding: 'utf8', env: { ...process.env, TAGKEEPER_BIN_DIR: bin } });
  assert.equal(kept.status, 0);
  assert.match(kept.stderr, /exists and is not a link, so it was left alone/);
  assert.equal(readFileSync(join(bin, 'tagkeeper'), 'utf8'), 'mine');
});
