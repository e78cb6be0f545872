/**
 * Wires the core to the real adapters: SQLite store in the data directory, the Docker
 * Engine the docker CLI would use (--host, DOCKER_HOST, a context, else the default socket)
 * and held to the engine the data directory belongs to, the registry client, and the bundle
 * format with the work folder (<data>/scratch). Every shell
 * (CLI, desktop, serve) opens its instance here and gets from it what it needs: the
 * handlers of the contract, the events, and the background work of a long-lived instance.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { hostname, userInfo } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TagkeeperClient } from '../api/client';
import type { Handlers } from '../api/contract';
import { TagkeeperError } from '../api/errors';
import type { CoreEvent } from '../api/types/events';
import { startBackgroundWork } from '../core/background/background-work';
import { guardOffline } from '../core/content/offline-guard';
import { guardEngineIdentity } from '../core/device/engine-identity';
import { createHandlers } from '../core/handlers/all-handlers';
import { CRASH_POINTS, type CoreDeps, type CrashPoint } from '../core/ports/deps';
import type { StorePort } from '../core/ports/store-port';
import type { WorkFilesPort } from '../core/ports/work-files-port';
import { bundleFormat, workFolder } from '../bundle';
import { createEngine } from '../engine/docker-engine';
import { RegistryClient } from '../registry/registry-client';
import { ensureDataDir, resolveDataDir } from '../store/data-dir';
import { openStore } from '../store/sqlite-store';
import { localClient } from './local-client';
import { isProcessAlive } from './running-instance';

export interface InstanceOptions {
  dataDir?: string;
  /** `--host`: the engine's endpoint, over everything else. */
  dockerHost?: string;
  /** `--context`: a docker CLI context by name. */
  context?: string;
  actor?: string;
}

export interface Instance {
  /** Every operation of the contract, unvalidated: transports go through `handle` (dispatch.ts). */
  handlers: Handlers;
  /** The contract in this process, validated like every transport (for the CLI, tests and benchmarks). */
  client: TagkeeperClient;
  events: EventEmitter<{ event: [CoreEvent] }>;
  dataDir: string;
  /** The instance's work folder: uploads, exports for download, scratch folders of imports. */
  workFiles: WorkFilesPort;
  /** The store, for tests and benchmarks that set up or read state directly. */
  store: StorePort;
  /** The registry client behind the offline guard (request and connection counts). */
  registryClient: RegistryClient;
  /**
   * For a long-lived instance (serve, desktop): follow the engine's events, carry out queued
   * and interrupted requests here, run scheduled checks. Returns the function that stops it.
   */
  startBackgroundWork(log: (line: string) => void): () => void;
  close(): Promise<void>;
}

export function currentActor(env: NodeJS.ProcessEnv = process.env): string {
  return env.SUDO_USER || userInfo().username;
}

export function openInstance(options: InstanceOptions = {}): Instance {
  const dataDir = ensureDataDir(options.dataDir ?? resolveDataDir());
  // Chosen before the store opens: a context that is not there is refused with nothing open.
  const endpointEngine = createEngine({ dockerHost: options.dockerHost, context: options.context });
  const store = openStore(dataDir);
  const engine = guardEngineIdentity(endpointEngine, { store, dataDir, now: () => new Date() });
  const client = new RegistryClient({
    // Read on every request: a change made while an instance runs applies at once.
    insecureRegistries: () => store.getSettings().insecureRegistries,
    userAgent: 'tagkeeper/0.1',
    credentials: (domain) => store.getRegistry(domain) ?? undefined,
  });
  const registry = guardOffline(client, () => store.getSettings().offline);
  const events = new EventEmitter<{ event: [CoreEvent] }>();
  const deps: CoreDeps = {
    engine,
    registry,
    store,
    bundles: bundleFormat(),
    workFiles: workFolder(join(dataDir, 'scratch')),
    hostFiles: { readText: (path) => readFileSync(path, 'utf8') },
    actor: options.actor ?? currentActor(),
    host: hostname(),
    now: () => new Date(),
    sleep: (ms, signal) => sleep(ms, undefined, { signal }),
    emit: (event) => events.emit('event', event),
    processId: process.pid,
    isProcessAlive,
    checkpoint: crashPointFromEnv(process.env.TAGKEEPER_CRASH_AT),
    startGraceMs: process.env.TAGKEEPER_START_GRACE_MS ? Number(process.env.TAGKEEPER_START_GRACE_MS) : null,
    running: new Map(),
    transfers: new Map(),
    worker: null,
  };
  const handlers = createHandlers(deps);
  return {
    handlers,
    client: localClient(handlers),
    events,
    dataDir,
    workFiles: deps.workFiles,
    store,
    registryClient: client,
    startBackgroundWork: (log) => startBackgroundWork(deps, log),
    async close() {
      await client.close();
      store.close();
    },
  };
}

/**
 * TAGKEEPER_CRASH_AT=<point> kills this process at that step of an operation, as a power
 * cut or `kill -9` would: how the tests prove crash safety without a special build.
 */
function crashPointFromEnv(value: string | undefined): (point: CrashPoint) => void {
  if (!value) return () => undefined;
  if (!(CRASH_POINTS as readonly string[]).includes(value)) {
    throw new TagkeeperError('invalid-settings', `TAGKEEPER_CRASH_AT="${value}" is not a crash point`, { hint: `use one of: ${CRASH_POINTS.join(', ')}` });
  }
  return (point) => {
    if (point === value) process.kill(process.pid, 'SIGKILL');
  };
}
