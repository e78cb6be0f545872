/**
 * The grace period after a switch, on a fake clock: deps.sleep moves time forward at once, so
 * a 5 s grace period and a 60 s health wait are checked in milliseconds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HEALTH_WAIT_MS, watchGrace } from '../../main/core/operations/grace-watch';
import type { CoreDeps } from '../../main/core/ports/deps';
import type { ContainerInfo } from '../../main/core/ports/engine-port';
import { emptyContainerConfig } from '../../main/core/apps/container-config';

type State = Partial<Pick<ContainerInfo, 'status' | 'health' | 'startedAt' | 'exitCode'>> | null;

/** A container whose state at each moment (ms since the switch) `at` gives; the clock only moves when the watch sleeps. */
function fakeDeps(at: (ms: number) => State, graceMs = 5000) {
  let clock = 0;
  const slept: number[] = [];
  const deps = {
    engine: {
      inspectContainer: async (id: string): Promise<ContainerInfo | null> => {
        const state = at(clock);
        if (state === null) return null;
        return { id, name: 'c', imageId: 'sha256:x', labels: {}, status: 'running', startedAt: '2026-01-01T00:00:00Z', finishedAt: null, exitCode: null, health: null, config: emptyContainerConfig(), ...state };
      },
    },
    store: { getSettings: () => ({ startGraceSeconds: graceMs / 1000 }) },
    startGraceMs: null,
    now: () => new Date(clock),
    sleep: async (ms: number) => {
      slept.push(ms);
      clock += ms;
    },
  } as unknown as Pick<CoreDeps, 'engine' | 'store' | 'now' | 'sleep' | 'startGraceMs'>;
  return { deps, slept, elapsed: () => clock };
}

const containers = [{ service: 'api', containerId: 'c1' }];

test('a container that stays up through the grace period passes, after exactly the grace period', async () => {
  const fake = fakeDeps(() => ({}));
  assert.equal(await watchGrace(fake.deps, 'web', containers), null);
  assert.equal(fake.elapsed(), 5000);
  assert.ok(fake.slept.every((ms) => ms > 0 && ms <= 250), 'looked at every 250 ms at most');
});

test('a container that exits during the grace period fails the switch with its exit code', async () => {
  const fake = fakeDeps((ms) => (ms < 1500 ? {} : { status: 'exited', exitCode: 3 }));
  const failed = await watchGrace(fake.deps, 'web', containers);
  assert.equal(failed?.code, 'container-failed');
  assert.equal(failed?.message, 'service api of app web exited with code 3 right after it started');
  assert.equal(fake.elapsed(), 1500);
});

test('a container the engine restarts (new start time) keeps restarting; one that disappears is said so', async () => {
  const restarting = fakeDeps((ms) => ({ startedAt: ms < 1000 ? '2026-01-01T00:00:00Z' : '2026-01-01T00:00:01Z' }));
  assert.equal((await watchGrace(restarting.deps, 'web', containers))?.message, 'service api of app web keeps restarting right after it started');
  const gone = fakeDeps((ms) => (ms < 500 ? {} : null));
  assert.equal((await watchGrace(gone.deps, 'web', containers))?.message, 'service api of app web disappeared right after it started');
});

test('with a health check, the switch waits past the grace period for healthy, and fails when it never comes', async () => {
  const healthy = fakeDeps((ms) => ({ health: ms < 12_000 ? 'starting' : 'healthy' }));
  assert.equal(await watchGrace(healthy.deps, 'web', containers), null);
  assert.equal(healthy.elapsed(), 12_000, 'done as soon as it reports healthy');

  const never = fakeDeps(() => ({ health: 'starting' }));
  const failed = await watchGrace(never.deps, 'web', containers);
  assert.equal(failed?.message, `service api of app web did not report healthy within ${(5000 + HEALTH_WAIT_MS) / 1000} s`);
  assert.equal(never.elapsed(), 5000 + HEALTH_WAIT_MS);

  const unhealthy = fakeDeps((ms) => ({ health: ms < 2000 ? 'starting' : 'unhealthy' }));
  assert.equal((await watchGrace(unhealthy.deps, 'web', containers))?.message, 'service api of app web failed its health check right after it started');
});
