/**
 * Fault matrix, kill -9 (issue 13): a real `tagkeeper` process is killed (SIGKILL,
 * TAGKEEPER_CRASH_AT) at every step of a refresh, a purge, an approval, a rollback, an update
 * whose new content does not stay up, and a bundle import (alone and with --approve), on a real
 * engine and registry. After each kill the next `app show` (a new process, no `resume`) must
 * find the app on its old or its new content, say what runs, leave nothing in scratch, have
 * the ledger tell what happened and have lost nothing (test/helpers/fault-matrix.ts). The
 * table of trials is printed when the file ends.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CrashPoint } from '../../main/core/ports/deps';
import { before } from '../helpers/hooks';
import { FaultLog, checkTrial, markStore, publishAB, writeState, type Content, type Trial } from '../helpers/fault-matrix';
import { FaultTarget, killedAt } from '../helpers/fault-process';
import { publish } from '../helpers/lifecycle';
import { useSite } from '../helpers/site';

const site = useSite();
const log = new FaultLog('kill -9 at each step');
const target = () => new FaultTarget(site);
const ref = (repo: string) => `${site.registry.host}/${repo}:1`;

/** `app create NAME --service s=ref … --volume data:/data --network none`, then its state file written. */
async function createWithState(app: string, services: Record<string, string>): Promise<void> {
  const flags = Object.entries(services).flatMap(([service, reference]) => ['--service', `${service}=${reference}`]);
  const out = await target().cli(['app', 'create', app, ...flags, '--volume', 'data:/data', '--network', 'none', '--json']);
  assert.equal(out.code, 0, `app create ${app}: ${out.stderr}`);
  await writeState(site, app);
}

/** Kills `args` at `point`, checks the trial and records it; returns the content the app ended on. */
async function trial(operation: string, point: CrashPoint, args: string[], facts: Omit<Trial, 'fault' | 'operation' | 'point' | 'mark' | 'state'>): Promise<Content> {
  const t: Trial = { fault: 'kill -9', operation, point, mark: markStore(target()), state: true, ...facts };
  await killedAt(target(), point, args);
  const result = await checkTrial(target(), t);
  log.record(t, result);
  return result.side === 'new' ? t.new : t.old;
}

describe('refresh of two services whose tags moved', () => {
  const app = 'k-refresh';
  let current: Content;
  let version = 1;
  const next = async (): Promise<Content> => {
    version += 1;
    return publishAB(site, app, version);
  };
  before(async () => {
    current = await publishAB(site, app, 1);
    await createWithState(app, { a: ref(`${app}-a`), b: ref(`${app}-b`) });
  });
  const points: CrashPoint[] = [
    'request-recorded', 'while-resolving', 'before-download', 'during-download', 'after-download', 'after-decide',
    'new-created', 'before-switch', 'old-stopped', 'during-switch', 'new-started', 'old-removed', 'after-switch',
  ];
  for (const point of points) {
    test(point, async () => {
      const moved = await next();
      current = await trial('refresh', point, ['app', 'refresh', app], { app, old: current, new: moved, action: 'refresh' });
    });
  }
});

describe('purge', () => {
  const app = 'k-purge';
  let image: Content;
  before(async () => {
    image = { main: await publish(site, app, '1', `${app}-v1`) };
    await createWithState(app, { main: ref(app) });
  });
  for (const point of ['request-recorded', 'while-resolving', 'after-decide', 'during-switch', 'volumes-removed', 'new-started', 'after-switch'] as const) {
    test(point, async () => {
      await writeState(site, app);
      await trial('purge', point, ['app', 'purge', app, '--yes'], { app, old: image, new: image, action: 'purge', purges: true });
    });
  }
});

describe('approval of an update found by a check', () => {
  const app = 'k-approve';
  let current: Content;
  let version = 1;
  before(async () => {
    current = { main: await publish(site, app, '1', `${app}-v1`) };
    await createWithState(app, { main: ref(app) });
  });
  for (const point of ['request-recorded', 'while-resolving', 'before-download', 'during-download', 'after-download', 'during-switch', 'after-switch'] as const) {
    test(point, async () => {
      version += 1;
      const moved = { main: await publish(site, app, '1', `${app}-v${version}`) };
      const check = await target().cli(['check', app, '--json']);
      assert.equal(check.code, 0, check.stderr);
      current = await trial('approve', point, ['updates', 'approve', app], { app, old: current, new: moved, action: 'apply' });
    });
  }
});

describe('rollback to the previous digests', () => {
  const app = 'k-rollback';
  let current: Content;
  let previous: Content;
  before(async () => {
    previous = { main: await publish(site, app, '1', `${app}-v1`) };
    await createWithState(app, { main: ref(app) });
    current = { main: await publish(site, app, '1', `${app}-v2`) };
    const refresh = await target().cli(['app', 'refresh', app, '--json']);
    assert.equal(refresh.code, 0, refresh.stderr);
  });
  for (const point of ['request-recorded', 'while-resolving', 'after-decide', 'during-switch', 'new-started', 'old-removed', 'after-switch'] as const) {
    test(point, async () => {
      const ended = await trial('rollback', point, ['app', 'rollback', app], { app, old: current, new: previous, action: 'rollback' });
      if (ended === previous) [current, previous] = [previous, current];
    });
  }
});

describe('refresh to content that does not stay up (it goes back by itself)', () => {
  const app = 'k-broken';
  let current: Content;
  let broken: Content;
  before(async () => {
    current = { main: await publish(site, app, '1', `${app}-v1`) };
    await createWithState(app, { main: ref(app) });
    broken = { main: await publish(site, app, '1', `${app}-broken`, { cmd: ['/bin/sh', '-c', 'exit 3'] }) };
  });
  for (const point of ['new-started', 'going-back', 'after-switch'] as const) {
    test(point, async () => {
      const ended = await trial('refresh (fails)', point, ['app', 'refresh', app], { app, old: current, new: broken, action: 'refresh' });
      assert.notEqual(ended, broken, 'content that does not stay up is never kept');
    });
  }
});

describe('bundle import', () => {
  const app = 'k-bundle';
  let current: Content;
  let version = 1;
  let work: string;
  /** The tag moved to a new version, exported as a bundle of the app's latest content. */
  const newBundle = async (): Promise<{ file: string; moved: Content }> => {
    version += 1;
    const moved = { main: await publish(site, app, '1', `${app}-v${version}`) };
    const file = join(work, `v${version}.bundle`);
    const out = await target().cli(['bundle', 'export', file, '--app', app, '--latest', '--json']);
    assert.equal(out.code, 0, `bundle export: ${out.stderr}`);
    return { file, moved };
  };
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'tk-faults-'));
    current = { main: await publish(site, app, '1', `${app}-v1`) };
    await createWithState(app, { main: ref(app) });
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  for (const point of ['import-reading', 'import-verified', 'import-loading', 'import-loaded', 'import-recorded'] as const) {
    test(point, async () => {
      const { file, moved } = await newBundle();
      // Nothing is applied without an approval: the app stays on what it ran.
      await trial('bundle import', point, ['bundle', 'import', file, '--allow-unsigned'], { app, old: current, new: moved, action: null });
    });
  }
  for (const point of ['before-download', 'during-switch', 'after-switch'] as const) {
    test(`--approve, ${point}`, async () => {
      const { file, moved } = await newBundle();
      current = await trial('bundle import --approve', point, ['bundle', 'import', file, '--allow-unsigned', '--approve'], { app, old: current, new: moved, action: 'apply' });
    });
  }
});
