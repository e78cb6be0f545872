/**
 * Fault matrix, the engine killed (issue 13): a real `tagkeeper app refresh` of two services
 * is stopped at each step (TAGKEEPER_PAUSE_AT) while the engine is killed (SIGKILL to dockerd,
 * its containerd, shims and containers), then continued while the engine is down, and the
 * engine started again on the same data; at the steps of the switch, also continued only once
 * the engine is back. Then the next `app show` (a new process) must find the app on its old or
 * its new content, say what runs, and the ledger tell what happened
 * (test/helpers/fault-matrix.ts). The table of trials is printed when the file ends.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CrashPoint } from '../../main/core/ports/deps';
import { before } from '../helpers/hooks';
import { FaultLog, checkTrial, markStore, publishAB, writeState, type Content, type Trial } from '../helpers/fault-matrix';
import { FaultTarget, pausedAt, resumeWithin, saidBy, type Exit } from '../helpers/fault-process';
import { engineSettled, killEngine } from '../helpers/fault-injection';
import { useSite } from '../helpers/site';

const site = useSite();
const log = new FaultLog('the engine killed at each step of a refresh');
const target = () => new FaultTarget(site);
const ref = (repo: string) => `${site.registry.host}/${repo}:1`;
const app = 'e-refresh';
/** How long a process may take to give up on an engine that is gone. */
const GIVE_UP_MS = 60_000;

let current: Content;
let version = 1;
const next = async (): Promise<Content> => {
  version += 1;
  return publishAB(site, app, version);
};

before(async () => {
  current = await publishAB(site, app, 1);
  const out = await target().cli(['app', 'create', app, '--service', `a=${ref(`${app}-a`)}`, '--service', `b=${ref(`${app}-b`)}`, '--volume', 'data:/data', '--network', 'none', '--json']);
  assert.equal(out.code, 0, out.stderr);
  await writeState(site, app);
});

/** A refresh stopped at `point`, the engine killed; the refresh continued while it is down, or once it is back. */
async function trial(point: CrashPoint, when: 'while down' | 'once back'): Promise<void> {
  const moved = await next();
  const t: Trial = { fault: `engine killed, continued ${when}`, operation: 'refresh', point, app, old: current, new: moved, action: 'refresh', state: true, mark: markStore(target()) };
  const paused = await pausedAt(target(), point, ['app', 'refresh', app]);
  let exit: Exit | null = null;
  if (when === 'while down') {
    await killEngine(site, async () => (exit = await resumeWithin(paused, GIVE_UP_MS)));
  } else {
    await killEngine(site);
    exit = await resumeWithin(paused, GIVE_UP_MS);
  }
  await engineSettled(site, app);
  const result = await checkTrial(target(), t);
  if (exit === null) result.problems.push(`the refresh hung ${when === 'while down' ? 'while the engine was down' : 'after the engine came back'}`);
  else if ((exit as Exit).code !== 0) result.said = saidBy(exit);
  log.record(t, result);
  if (result.side === 'new') current = moved;
}

describe('continued while the engine is down', () => {
  const points: CrashPoint[] = [
    'before-download', 'during-download', 'after-download', 'after-decide', 'new-created',
    'before-switch', 'old-stopped', 'during-switch', 'new-started', 'old-removed', 'after-switch',
  ];
  for (const point of points) test(point, () => trial(point, 'while down'));
});

describe('continued once the engine is back', () => {
  for (const point of ['old-stopped', 'during-switch', 'new-started'] as const) test(point, () => trial(point, 'once back'));
});
