/**
 * Fault matrix, a full disk (issue 13): the data directory is a small tmpfs; a real
 * `tagkeeper` refresh, approval or bundle import is stopped at a step (TAGKEEPER_PAUSE_AT),
 * the disk is filled to its last byte, and the process continued. While the disk is full, the
 * next `app show` either says what runs truly or fails saying why; once space is freed, it
 * must find the app on its old or its new content, say what runs, leave nothing in scratch,
 * have the ledger tell what happened and have lost nothing (test/helpers/fault-matrix.ts).
 * The table of trials is printed when the file ends, with what each process said.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CrashPoint } from '../../main/core/ports/deps';
import { before, stopBefore } from '../helpers/hooks';
import { FaultLog, checkTrial, markStore, writeState, type Content, type Trial } from '../helpers/fault-matrix';
import { FaultTarget, pausedAt, resumeWithin, saidBy } from '../helpers/fault-process';
import { fillDisk, smallDisk } from '../helpers/fault-injection';
import { publish } from '../helpers/lifecycle';
import { useSite } from '../helpers/site';

const site = useSite();
const log = new FaultLog('the disk of the data directory full at each step');
let disk: { dir: string; unmount(): void };
let target: FaultTarget;
let work: string;
const ref = (repo: string) => `${site.registry.host}/${repo}:1`;

before(() => {
  disk = smallDisk(16);
  stopBefore(site, () => disk.unmount());
  target = new FaultTarget(site, disk.dir);
  work = mkdtempSync(join(tmpdir(), 'tk-faults-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

async function createWithState(app: string, services: Record<string, string>): Promise<void> {
  const flags = Object.entries(services).flatMap(([service, reference]) => ['--service', `${service}=${reference}`]);
  const out = await target.cli(['app', 'create', app, ...flags, '--volume', 'data:/data', '--network', 'none', '--json']);
  assert.equal(out.code, 0, `app create ${app}: ${out.stderr}`);
  await writeState(site, app);
}

/** `args` stopped at `point`, the disk filled, continued; `app show` while full; space freed; the checks. */
async function trial(operation: string, point: CrashPoint, args: string[], facts: Omit<Trial, 'fault' | 'operation' | 'point' | 'mark' | 'state'>): Promise<Content> {
  const t: Trial = { fault: 'disk full', operation, point, mark: markStore(target), state: true, ...facts };
  const paused = await pausedAt(target, point, args);
  const free = fillDisk(disk.dir);
  let said: string;
  const problems: string[] = [];
  try {
    const exit = await resumeWithin(paused, 60_000);
    said = exit?.code === 0 ? 'finished' : saidBy(exit);
    if (exit === null) problems.push('it hung on the full disk');
    const shown = await target.cli(['app', 'show', facts.app, '--json']);
    if (shown.code === 0) {
      // Answering at all, it must answer truly.
      const whileFull = await checkTrial(target, t);
      problems.push(...whileFull.problems.map((p) => `while full: ${p}`));
      said += '; app show while full: answered';
    } else {
      said += `; app show while full: ${shown.stderr.trim().split('\n').at(-1)}`;
    }
  } finally {
    free();
  }
  const result = await checkTrial(target, t);
  result.problems.unshift(...problems);
  result.said = said;
  log.record(t, result);
  return result.side === 'new' ? t.new : t.old;
}

describe('refresh', () => {
  const app = 'd-refresh';
  let current: Content;
  let version = 1;
  before(async () => {
    current = { main: await publish(site, app, '1', `${app}-v1`) };
    await createWithState(app, { main: ref(app) });
  });
  for (const point of ['while-resolving', 'before-download', 'after-download', 'after-decide', 'during-switch', 'new-started', 'after-switch'] as const) {
    test(point, async () => {
      version += 1;
      const moved = { main: await publish(site, app, '1', `${app}-v${version}`) };
      current = await trial('refresh', point, ['app', 'refresh', app], { app, old: current, new: moved, action: 'refresh' });
    });
  }
});

describe('approval', () => {
  const app = 'd-approve';
  let current: Content;
  let version = 1;
  before(async () => {
    current = { main: await publish(site, app, '1', `${app}-v1`) };
    await createWithState(app, { main: ref(app) });
  });
  for (const point of ['before-download', 'during-switch', 'after-switch'] as const) {
    test(point, async () => {
      version += 1;
      const moved = { main: await publish(site, app, '1', `${app}-v${version}`) };
      const check = await target.cli(['check', app, '--json']);
      assert.equal(check.code, 0, check.stderr);
      current = await trial('approve', point, ['updates', 'approve', app], { app, old: current, new: moved, action: 'apply' });
    });
  }
});

describe('bundle import', () => {
  const app = 'd-bundle';
  let current: Content;
  let version = 1;
  before(async () => {
    current = { main: await publish(site, app, '1', `${app}-v1`) };
    await createWithState(app, { main: ref(app) });
  });
  for (const point of ['import-verified', 'import-loaded'] as const) {
    test(point, async () => {
      version += 1;
      const moved = { main: await publish(site, app, '1', `${app}-v${version}`) };
      const file = join(work, `v${version}.bundle`);
      const out = await target.cli(['bundle', 'export', file, '--app', app, '--latest', '--json']);
      assert.equal(out.code, 0, `bundle export: ${out.stderr}`);
      current = await trial('bundle import', point, ['bundle', 'import', file, '--allow-unsigned'], { app, old: current, new: moved, action: null });
    });
  }
});
