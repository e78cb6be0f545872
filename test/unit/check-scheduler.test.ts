import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { JITTER, jitteredDelayMs, startCheckScheduler, type CheckScheduler } from '../../main/core/background/check-scheduler';

test('the delay is the interval ±10 %, spread by the random draw', () => {
  assert.equal(JITTER, 0.1);
  assert.equal(jitteredDelayMs(60, () => 0), 54_000);
  assert.equal(jitteredDelayMs(60, () => 0.5), 60_000);
  assert.equal(jitteredDelayMs(60, () => 1), 66_000);
  assert.equal(jitteredDelayMs(5, () => 0.25), 4_750);
  let seed = 7;
  const lcg = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const delays = Array.from({ length: 1000 }, () => jitteredDelayMs(3600, lcg));
  assert.ok(delays.every((d) => d >= 3_240_000 && d <= 3_960_000), 'always within ±10 %');
  assert.ok(new Set(delays).size > 900, 'and spread out (boxes do not check in step)');
});

// The scheduler's clock and sleep are fakes: `advance` moves the clock and ends the sleeps that are due.
let clock = 0;
let sleepers: { until: number; wake: () => void }[] = [];
let scheduler: CheckScheduler | undefined;
beforeEach(() => {
  clock = 1_000_000;
  sleepers = [];
});
afterEach(() => {
  scheduler?.stop();
  scheduler = undefined;
});

function fakeSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    sleepers.push({ until: clock + ms, wake: resolve });
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** Let the scheduler's async tick (and a check it started) run to the end. */
const settle = () => new Promise((resolve) => setImmediate(resolve));
async function advance(ms: number, step = 1000): Promise<void> {
  for (let done = 0; done < ms; done += step) {
    clock += step;
    const due = sleepers.filter((s) => s.until <= clock);
    sleepers = sleepers.filter((s) => s.until > clock);
    due.forEach((s) => s.wake());
    await settle();
    await settle();
  }
}

interface Fake {
  checks: number[];
  errors: unknown[];
  settings: { checkIntervalSeconds: number; offline: boolean };
}

function start(settings: Fake['settings'], options: { random?: number; check?: () => Promise<unknown> } = {}): Fake {
  const fake: Fake = { checks: [], errors: [], settings };
  scheduler = startCheckScheduler({
    check: async () => {
      fake.checks.push(clock);
      await options.check?.();
    },
    settings: () => fake.settings,
    onError: (error) => fake.errors.push(error),
    tickMs: 1000,
    now: () => clock,
    sleep: fakeSleep,
    random: () => options.random ?? 0.5,
  });
  return fake;
}

test('off by default (interval 0): never checks, nothing is due', async () => {
  const fake = start({ checkIntervalSeconds: 0, offline: false });
  await advance(600_000, 10_000);
  assert.deepEqual(fake.checks, []);
  assert.equal(scheduler!.nextDue(), null);
});

test('checks once per jittered interval, starting one interval after it is turned on', async () => {
  const t0 = clock;
  const fake = start({ checkIntervalSeconds: 60, offline: false }, { random: 0 });
  assert.equal(scheduler!.nextDue(), t0 + 54_000, 'the first check is one (jittered) interval away, not at once');
  await advance(53_000);
  assert.deepEqual(fake.checks, []);
  await advance(1_000);
  assert.deepEqual(fake.checks, [t0 + 54_000]);
  assert.equal(scheduler!.nextDue(), t0 + 108_000);
  await advance(54_000);
  assert.deepEqual(fake.checks, [t0 + 54_000, t0 + 108_000]);
});

test('offline mode skips checks; back online, the schedule starts over', async () => {
  const fake = start({ checkIntervalSeconds: 10, offline: true });
  await advance(60_000);
  assert.deepEqual(fake.checks, []);
  assert.equal(scheduler!.nextDue(), null);
  fake.settings = { checkIntervalSeconds: 10, offline: false };
  await advance(1_000);
  const due = scheduler!.nextDue();
  assert.equal(due, clock + 10_000);
  await advance(10_000);
  assert.deepEqual(fake.checks, [due]);
});

test('a changed interval takes effect without a restart; off stops it', async () => {
  const fake = start({ checkIntervalSeconds: 3600, offline: false });
  await advance(5_000);
  fake.settings = { checkIntervalSeconds: 10, offline: false };
  await advance(1_000);
  assert.equal(scheduler!.nextDue(), clock + 10_000, 'rescheduled on the new interval');
  await advance(10_000);
  assert.equal(fake.checks.length, 1);
  fake.settings = { checkIntervalSeconds: 0, offline: false };
  await advance(60_000);
  assert.equal(fake.checks.length, 1);
  assert.equal(scheduler!.nextDue(), null);
});

test('a failed check is reported and the schedule goes on', async () => {
  const fake = start({ checkIntervalSeconds: 10, offline: false }, { check: async () => Promise.reject(new Error('registry down')) });
  await advance(25_000);
  assert.equal(fake.checks.length, 2);
  assert.deepEqual(fake.errors.map((e) => (e as Error).message), ['registry down', 'registry down']);
  assert.ok(scheduler!.nextDue()! > clock);
});

test('a check still running is not started again; the next is due an interval after it ends', async () => {
  let release: () => void = () => undefined;
  const fake = start({ checkIntervalSeconds: 10, offline: false }, { check: () => new Promise<void>((resolve) => (release = resolve)) });
  await advance(10_000);
  assert.equal(fake.checks.length, 1);
  await advance(30_000);
  assert.equal(fake.checks.length, 1, 'no second check while the first one runs');
  release();
  await settle();
  assert.equal(scheduler!.nextDue(), clock + 10_000);
  await advance(10_000);
  assert.equal(fake.checks.length, 2);
});

test('stop() ends the schedule', async () => {
  const fake = start({ checkIntervalSeconds: 10, offline: false });
  scheduler!.stop();
  await advance(60_000);
  assert.deepEqual(fake.checks, []);
});

test('settings that cannot be read are reported, not thrown', async () => {
  const errors: unknown[] = [];
  scheduler = startCheckScheduler({
    check: async () => undefined,
    settings: () => {
      throw new Error('database is locked');
    },
    onError: (error) => errors.push(error),
    tickMs: 1000,
    now: () => clock,
    sleep: fakeSleep,
  });
  await advance(3_000);
  assert.ok(errors.length >= 3);
  assert.equal((errors[0] as Error).message, 'database is locked');
});
