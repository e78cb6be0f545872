/**
 * A box for unit tests of the core through its real handlers: the fake engine, the fake
 * registry, the fake clock, host files in memory, and the real SQLite store in a temporary
 * data folder. On it run Tagkeeper processes, each with its own CoreDeps (its own store
 * connection and pid), its handlers, and a client that validates requests as every transport
 * does (dispatch.ts).
 *
 * A process can be killed at a crash point (as TAGKEEPER_CRASH_AT does with SIGKILL), or right
 * after its N-th change to the engine (a SIGKILL between any two steps): from then on
 * everything it asks of the store, the engine, the registry or the clock throws ProcessKilled,
 * so nothing it would have done after the kill reaches the box, and its pid counts as dead.
 * Another process started on the same box then finds its work.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { TagkeeperClient } from '../../main/api/client';
import type { Handlers } from '../../main/api/contract';
import type { CoreEvent } from '../../main/api/types/events';
import { bundleFormat, workFolder } from '../../main/bundle';
import { createHandlers } from '../../main/core/handlers/all-handlers';
import type { CoreDeps, CrashPoint } from '../../main/core/ports/deps';
import type { DockerLoginEntry, FoundLogin } from '../../main/core/ports/credentials-port';
import { parseReference } from '../../main/core/model/reference';
import { localClient } from '../../main/shells/local-client';
import { openStore, type SqliteStore } from '../../main/store/sqlite-store';
import { fakeReadFile } from './compose';
import { FakeClock } from './fake-clock';
import { FakeEngine } from './fake-engine';
import { FakeRegistry } from './fake-registry';

/** Where a process was killed: a crash point, or right after its N-th change to the engine. */
export type KillPoint = CrashPoint | `engine change ${number}`;

/** What a killed process meets when it goes on (it never gets this far in reality). */
export class ProcessKilled extends Error {
  constructor(readonly pid: number, readonly point: KillPoint) {
    super(`process ${pid} was killed at ${point}`);
  }
}

export interface Published {
  reference: string;
  manifestDigest: string;
  imageId: string;
}

export interface FakeProcess {
  readonly pid: number;
  readonly deps: CoreDeps;
  readonly handlers: Handlers;
  /** The contract, validated (unknown fields rejected), errors as TagkeeperError. */
  readonly client: TagkeeperClient;
  readonly store: SqliteStore;
  /** What the core announced. */
  readonly events: CoreEvent[];
  /** Where it was killed; null while it lives. */
  readonly killedAt: KillPoint | null;
}

/** What the fake box's Docker config gives: logins by registry, and the listing. */
export interface DockerLoginsFake {
  found: Map<string, FoundLogin>;
  entries: DockerLoginEntry[];
}

export class FakeBox {
  readonly clock = new FakeClock();
  readonly engine = new FakeEngine(this.clock);
  readonly registry = new FakeRegistry();
  /** The docker CLI's logins on this box (none unless a test adds some). */
  readonly dockerLogins: DockerLoginsFake = { found: new Map(), entries: [] };
  /** The box's files by absolute path (Compose files, env files). */
  readonly files: Record<string, string> = {};
  /** On /dev/shm where there is one: the store syncs every transaction to disk, which is not what these tests are about. */
  readonly dataDir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'tk-fake-box-'));
  /** PID → when the process holding it started (a PID killed and reused holds another start). */
  private readonly alive = new Map<number, string>();
  private starts = 0;
  private readonly stores: SqliteStore[] = [];
  private nextPid = 100;
  private builds = 0;

  /** A box removed when test `t` ends. */
  static for(t: TestContext): FakeBox {
    const box = new FakeBox();
    t.after(() => box.close());
    return box;
  }

  /** A new image pushed to the fake registry under `reference` (its tag moves to it), pullable by the engine. */
  publish(reference: string): Published {
    const imageId = `sha256:${createHash('sha256').update(`${reference} build ${++this.builds}`).digest('hex')}`;
    const manifestDigest = this.registry.push(reference, imageId);
    this.engine.offer(`${parseReference(reference).repository}@${manifestDigest}`, { id: imageId });
    return { reference, manifestDigest, imageId };
  }

  /**
   * A Tagkeeper process on this box; `crashAt`: killed when its operation reaches that point;
   * `killAfterEngineChanges`: killed as soon as that many of its engine calls changed something.
   */
  start(options: { crashAt?: CrashPoint; killAfterEngineChanges?: number } = {}): FakeProcess {
    const pid = this.nextPid++;
    const started = `start-${++this.starts}`;
    this.alive.set(pid, started);
    const store = openStore(this.dataDir);
    this.stores.push(store);
    const events: CoreEvent[] = [];
    let killedAt: KillPoint | null = null;
    const kill = (point: KillPoint) => {
      killedAt = point;
      this.alive.delete(pid);
    };
    const living = <T extends object>(target: T): T => whileAlive(target, () => killedAt, pid);
    const limit = options.killAfterEngineChanges;
    const engine = limit === undefined ? this.engine : killedAfterChanges(this.engine, limit, kill);
    const deps: CoreDeps = {
      engine: living(engine),
      registry: living(this.registry),
      store: living(store),
      dockerCredentials: {
        find: async (domain) => this.dockerLogins.found.get(domain) ?? null,
        list: async () => structuredClone(this.dockerLogins.entries),
        configPath: () => '/fake/.docker/config.json',
      },
      bundles: bundleFormat(),
      workFiles: workFolder(join(this.dataDir, 'scratch'), { self: String(pid), isAlive: (owner) => this.alive.has(Number(owner)) }),
      hostFiles: { readText: fakeReadFile(this.files) },
      actor: 'tester',
      host: 'fake-box',
      now: () => this.clock.now(),
      sleep: (ms, signal) => {
        if (killedAt) throw new ProcessKilled(pid, killedAt);
        return this.clock.sleep(ms, signal);
      },
      emit: (event) => events.push(event),
      processId: pid,
      processStarted: started,
      isProcessAlive: (other, since) => this.alive.has(other) && (!since || this.alive.get(other) === since),
      checkpoint: (point) => {
        if (killedAt) throw new ProcessKilled(pid, killedAt);
        if (point !== options.crashAt) return;
        kill(point);
        throw new ProcessKilled(pid, point);
      },
      startGraceMs: null,
      running: new Map(),
      transfers: new Map(),
      worker: null,
    };
    const handlers = createHandlers(deps);
    return { pid, deps, handlers, client: localClient(handlers), store, events, get killedAt() { return killedAt; } };
  }

  /** The process ends (its command answered, or gave up): its PID counts as gone. */
  exit(proc: FakeProcess): void {
    this.alive.delete(proc.pid);
  }

  /** Another program now holds `pid` (the kernel gave it the PID of a process that died). */
  reusePid(pid: number): void {
    this.alive.set(pid, `start-${++this.starts}`);
  }

  close(): void {
    for (const store of this.stores) store.close();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** The engine, for one process that is killed once `limit` of its calls have changed something (each lands in `calls`). */
function killedAfterChanges(engine: FakeEngine, limit: number, kill: (point: KillPoint) => void): FakeEngine {
  let changes = 0;
  return new Proxy(engine, {
    get(object, key) {
      const member: unknown = Reflect.get(object, key, object);
      if (typeof member !== 'function') return member;
      return (...args: unknown[]) => {
        const before = object.calls.length;
        const counted = () => {
          changes += object.calls.length - before;
          if (changes >= limit) kill(`engine change ${limit}`);
        };
        const answer: unknown = (member as (...a: unknown[]) => unknown).apply(object, args);
        if (answer instanceof Promise) return answer.finally(counted);
        counted();
        return answer;
      };
    },
  });
}

/** `target` whose every method throws ProcessKilled once `killed()` says where the process died. */
function whileAlive<T extends object>(target: T, killed: () => KillPoint | null, pid: number): T {
  return new Proxy(target, {
    get(object, key) {
      const member: unknown = Reflect.get(object, key, object);
      if (typeof member !== 'function') return member;
      return (...args: unknown[]) => {
        const point = killed();
        if (point) throw new ProcessKilled(pid, point);
        return (member as (...a: unknown[]) => unknown).apply(object, args);
      };
    },
  });
}
