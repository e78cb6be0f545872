/**
 * The grace period after a switch, on a fake clock: deps.sleep moves time forward at once, so
 * a 5 s grace period and a 60 s health wait are checked in milliseconds.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HEALTH_WAIT_MS, watchGrace } from '../../main/core/operations/grace-watch';
import type { CoreDeps } from '../../main/core/ports/deps';
import type { ContainerInfo } from '../../main/core/ports/engine-port';
import { emptyContainerConfig } from '../../main/core/apps/container-config';

type State = Partial<Pick<ContainerInfo, 'status' | 'health' | 'startedAt' | 'exitCode'>> | null;

/**
 * Containers whose state at each moment (ms since the switch) `at` gives, by container id;
 * the clock only moves when the watch sleeps.
 */
function fakeDeps(at: (ms: number, id: string) => State, graceMs = 5000) {
  let clock = 0;
  const slept: number[] = [];
  const deps = {
    engine: {
      inspectContainer: async (id: string): Promise<ContainerInfo | null> => {
        const state = at(clock, id);
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

describe('a container with a health check proves itself by reporting healthy', () => {
  const two = [{ service: 'api', containerId: 'c1' }, { service: 'web', containerId: 'c2' }];

  test('the watch ends as soon as it is healthy, long before the grace period', async () => {
    const fake = fakeDeps((ms) => ({ health: ms < 800 ? 'starting' : 'healthy' }));
    assert.equal(await watchGrace(fake.deps, 'web', containers), null);
    assert.equal(fake.elapsed(), 800);
  });

  test('with two, when both are healthy', async () => {
    const fake = fakeDeps((ms, id) => ({ health: ms < (id === 'c1' ? 300 : 1200) ? 'starting' : 'healthy' }));
    assert.equal(await watchGrace(fake.deps, 'web', two), null);
    assert.equal(fake.elapsed(), 1200);
  });

  test('one without a health check still has to stay up for the grace period', async () => {
    const fake = fakeDeps((ms, id) => (id === 'c1' ? { health: ms < 300 ? 'starting' : 'healthy' } : {}));
    assert.equal(await watchGrace(fake.deps, 'web', two), null);
    assert.equal(fake.elapsed(), 5000);
  });

  test('one the switch kept running as it was has nothing to prove, but is watched while the other proves itself', async () => {
    const kept = [{ service: 'api', containerId: 'c1' }, { service: 'db', containerId: 'c2', started: false }];
    const fake = fakeDeps((ms, id) => (id === 'c1' ? { health: ms < 600 ? 'starting' : 'healthy' } : {}));
    assert.equal(await watchGrace(fake.deps, 'web', kept), null);
    assert.equal(fake.elapsed(), 600, 'not the grace period of the kept container without a health check');

    const dies = fakeDeps((ms, id) => (id === 'c1' ? { health: ms < 600 ? 'starting' : 'healthy' } : ms < 400 ? {} : { status: 'exited', exitCode: 1 }));
    assert.equal((await watchGrace(dies.deps, 'web', kept))?.message, 'service db of app web exited with code 1 right after it started');
  });

  test('one that turns unhealthy, or exits, before it is healthy fails the switch', async () => {
    const unhealthy = fakeDeps((ms) => ({ health: ms < 700 ? 'starting' : 'unhealthy' }));
    assert.equal((await watchGrace(unhealthy.deps, 'web', containers))?.message, 'service api of app web failed its health check right after it started');
    assert.equal(unhealthy.elapsed(), 700);
    const exits = fakeDeps((ms) => (ms < 400 ? { health: 'starting' } : { status: 'exited', exitCode: 2, health: 'starting' }));
    assert.equal((await watchGrace(exits.deps, 'web', containers))?.message, 'service api of app web exited with code 2 right after it started');
  });

  test('one already healthy fails the switch when it turns unhealthy while another still has to prove itself', async () => {
    const fake = fakeDeps((ms, id) => (id === 'c1' ? { health: ms < 300 ? 'starting' : ms < 2000 ? 'healthy' : 'unhealthy' } : {}));
    assert.equal((await watchGrace(fake.deps, 'web', two))?.message, 'service api of app web failed its health check right after it started');
    assert.ok(fake.elapsed() >= 2000 && fake.elapsed() < 5000, 'failed when it turned unhealthy, before the grace period ended');
  });

  test('the one still starting is named when the health wait runs out', async () => {
    const fake = fakeDeps((_, id) => ({ health: id === 'c1' ? 'healthy' : 'starting' }));
    assert.equal((await watchGrace(fake.deps, 'web', two))?.message, `service web of app web did not report healthy within ${(5000 + HEALTH_WAIT_MS) / 1000} s`);
  });
});
