/**
 * Interrupted work is finished on sight and never shown as fine (issue 13), against a real
 * engine and registry: a refresh killed while it switches containers (TAGKEEPER_CRASH_AT) is
 * finished by the next plain `app show` or `app list`, with no `resume`, also when the dead
 * process's PID now belongs to another program; a `serve.json` whose process is not the one
 * that wrote it does not keep the CLI from working; and a container recreated on other content
 * behind Tagkeeper's back makes the app `drifted`, saying what runs, what is latched and what
 * to do. The same on the fake box: test/unit/finished-on-sight.test.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createEngine } from '../../main/engine/docker-engine';
import type { BuiltImage } from '../helpers/image-builder';
import { assertRunning, createApp, ledgerOf, publish, serviceOf, showApp, withAction, type AppJson, type LedgerRow } from '../helpers/lifecycle';
import { useSite } from '../helpers/site';

const site = useSite();

const ref = (repo: string) => `${site.registry.host}/${repo}:1`;

/** An app of two services, created on v1 of both, whose tags then moved to v2. */
async function appWithMovedTags(app: string): Promise<Record<string, BuiltImage>> {
  await publish(site, `${app}-a`, '1', `${app}-a-v1`);
  await publish(site, `${app}-b`, '1', `${app}-b-v1`);
  await createApp(site, app, { a: ref(`${app}-a`), b: ref(`${app}-b`) });
  return { a: await publish(site, `${app}-a`, '1', `${app}-a-v2`), b: await publish(site, `${app}-b`, '1', `${app}-b-v2`) };
}

/** `app refresh` killed (SIGKILL) at `point`: no answer, nothing in the ledger yet. */
async function refreshKilledAt(app: string, point: string): Promise<void> {
  const out = await site.cli(['app', 'refresh', app, '--json'], { TAGKEEPER_CRASH_AT: point });
  assert.notEqual(out.code, 0, `the refresh should have been killed at ${point}; stdout: ${out.stdout}`);
  assert.equal(withAction(await ledgerOf(site, app), 'refresh').length, 0);
}

/** One refresh entry: the request was finished once. */
async function assertRefreshedOnce(app: string): Promise<void> {
  assert.deepEqual(withAction(await ledgerOf(site, app), 'refresh').map((e) => e.outcome), ['ok']);
  const resumed = await site.cli(['resume', '--json']);
  assert.deepEqual(resumed.json().resumed, [], 'nothing was left for resume');
}

/** A live process that is not Tagkeeper (stopped when the test ends). */
function otherProgram(t: { after(fn: () => void): void }): ChildProcess {
  const child = spawn('sleep', ['300'], { stdio: 'ignore' });
  t.after(() => child.kill('SIGKILL'));
  return child;
}

describe('work a killed process left is finished before anything is said about the app', () => {
  test('app show, with no resume: the refresh killed while switching is finished, and what it says is what runs', async () => {
    const news = await appWithMovedTags('sight');
    await refreshKilledAt('sight', 'during-switch');

    const view = await assertRunning(site, 'sight', news);
    assert.deepEqual(view.openOperations, []);
    await assertRefreshedOnce('sight');
  });

  test('app list, after a kill right after the switch', async () => {
    const news = await appWithMovedTags('sight-list');
    await refreshKilledAt('sight-list', 'after-switch');

    const out = await site.cli(['app', 'list', '--json']);
    assert.equal(out.code, 0, out.stderr);
    const listed = out.json<AppJson[]>().find((a) => a.name === 'sight-list');
    assert.equal(listed?.state, 'running');
    assert.equal(serviceOf(listed!, 'a').latched?.manifestDigest, news.a.manifestDigest);
    await assertRunning(site, 'sight-list', news);
    await assertRefreshedOnce('sight-list');
  });

  test('a new request does not wait behind a dead owner whose PID another program holds now', async (t) => {
    const news = await appWithMovedTags('reused');
    await refreshKilledAt('reused', 'during-switch');
    // The kernel gave the dead process's PID to a program that is not Tagkeeper.
    const other = otherProgram(t);
    const db = new Database(join(site.dataDir, 'tagkeeper.db'));
    try {
      const changed = db.prepare("UPDATE operations SET owner_pid = ? WHERE app = 'reused' AND state = 'running'").run(other.pid);
      assert.equal(changed.changes, 1);
    } finally {
      db.close();
    }

    // Recorded without waiting: a background `tagkeeper resume` carries it out, first the dead owner's refresh.
    const queued = await site.cli(['app', 'restart', 'reused', '--no-wait', '--json']);
    assert.equal(queued.code, 0, queued.stderr);
    const deadline = Date.now() + 60_000;
    let ledger: LedgerRow[] = await ledgerOf(site, 'reused');
    while (withAction(ledger, 'restart').length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      ledger = await ledgerOf(site, 'reused');
    }
    assert.deepEqual(withAction(ledger, 'refresh').map((e) => e.outcome), ['ok'], 'the dead owner\'s refresh was finished');
    assert.deepEqual(withAction(ledger, 'restart').map((e) => e.outcome), ['ok'], 'the new request was carried out after it');
    await assertRunning(site, 'reused', news);
  });
});

describe('a serve.json that no running serve wrote does not block the CLI', () => {
  for (const [what, started] of [
    ['its PID now belongs to another program', () => `${readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()}/1`],
    ['it does not say when its process started', () => undefined],
  ] as const) {
    test(`${what}: the CLI works locally`, async (t) => {
      const other = otherProgram(t);
      const file = join(site.dataDir, 'serve.json');
      // Port 9 (discard) on loopback: nothing serves it, so a CLI that believed the file would fail.
      writeFileSync(file, JSON.stringify({ url: 'http://127.0.0.1:9', token: 'stale', pid: other.pid, started: started() }), { mode: 0o600 });
      t.after(() => rmSync(file, { force: true }));

      const out = await site.cli(['app', 'list', '--json']);
      assert.equal(out.code, 0, `app list: ${out.stderr}`);
      assert.ok(Array.isArray(out.json()), out.stdout);
    });
  }
});

describe('containers that do not run the latched content', () => {
  test('a container recreated on other content behind Tagkeeper\'s back: drifted, both image ids, what to do; a restart returns to the latched content', async () => {
    const v1 = await publish(site, 'drift', '1', 'drift-v1');
    await createApp(site, 'drift', { main: ref('drift') });
    // Someone pulls the moved tag and recreates the container on it, keeping its name, labels and settings.
    const v2 = await publish(site, 'drift', '1', 'drift-v2');
    const engine = createEngine({ dockerHost: site.engine.dockerHost });
    await engine.pullImage(ref('drift'), () => undefined);
    const old = (await engine.inspectContainer(serviceOf(await showApp(site, 'drift')).containerId!))!;
    await engine.removeContainer(old.id);
    await engine.startContainer(await engine.createContainer({ name: old.name.replace(/^\//, ''), image: v2.configDigest, labels: old.labels, config: old.config }));

    const view = await showApp(site, 'drift');
    assert.equal(view.state, 'drifted');
    assert.deepEqual(serviceOf(view).drift, { runningImageId: v2.configDigest, latchedImageId: v1.configDigest });
    const listed = (await site.cli(['app', 'list', '--json'])).json<AppJson[]>().find((a) => a.name === 'drift');
    assert.equal(listed?.state, 'drifted');

    const text = await site.cli(['app', 'show', 'drift']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^app drift: drifted$/m);
    assert.ok(text.stdout.includes(`drifted: service main runs image ${v2.configDigest}, not its latched image ${v1.configDigest}`), text.stdout);
    assert.ok(text.stdout.includes('tagkeeper app restart drift returns it to the latched content'), text.stdout);

    const restart = await site.cli(['app', 'restart', 'drift', '--json']);
    assert.equal(restart.code, 0, restart.stderr);
    const after = await assertRunning(site, 'drift', { main: v1 });
    assert.equal(serviceOf(after).drift, null);
  });
});
