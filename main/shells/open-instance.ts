/**
 * Wires the core to the real adapters: SQLite store in the data directory, the Docker
 * Engine the docker CLI would use (--host, DOCKER_HOST, a context, else the default socket)
 * and held to the engine the data directory belongs to, the registry client (with the logins
 * the docker CLI would use, and the engine's mirrors and insecure registries), and the bundle
 * format with the work folder (<data>/scratch). Every shell
 * (CLI, desktop, serve) opens its instance here and gets from it what it needs: the
 * handlers of the contract, the events, and the background work of a long-lived instance.
 * Opening also removes the scratch folders of imports whose process was killed, starts the
 * day's backup of the database when one is due, and, for a database made fresh, compares it
 * with the engine the first time the engine answers (core/recovery/engine-check.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TagkeeperClient } from '../api/client';
import type { Handlers } from '../api/contract';
import { TagkeeperError, asTagkeeperError } from '../api/errors';
import type { CoreEvent } from '../api/types/events';
import { startBackgroundWork } from '../core/background/background-work';
import { mirrorContainers } from '../core/background/container-mirror';
import { guardOffline } from '../core/content/offline-guard';
import { guardEngineIdentity } from '../core/device/engine-identity';
import { createHandlers } from '../core/handlers/all-handlers';
import { CRASH_POINTS, type CoreDeps, type CrashPoint } from '../core/ports/deps';
import type { StorePort } from '../core/ports/store-port';
import type { WorkFilesPort } from '../core/ports/work-files-port';
import { bundleFormat, workFolder } from '../bundle';
import { afterStoreCheck, checkingStoreFirst } from '../core/recovery/engine-check';
import { createEngine } from '../engine/docker-engine';
import { findCredentials } from '../core/device/registry-credentials';
import { DockerCredentials } from '../registry/docker-credentials';
import { RegistryClient } from '../registry/registry-client';
import { ensureDataDir, resolveDataDir } from '../store/data-dir';
import { openStore } from '../store/sqlite-store';
import { localClient } from './local-client';
import { localUser } from './local-user';
import { perTurn } from './per-turn';
import { isSameProcessAlive, processStarted } from './process-identity';
import { processOwners } from './process-owner';

/** How often a long-lived instance sees whether the day's backup is due. */
const BACKUP_CHECK_MS = 3600_000;

export interface InstanceOptions {
  dataDir?: string;
  /** `--host`: the engine's endpoint, over everything else. */
  dockerHost?: string;
  /** `--context`: a docker CLI context by name. */
  context?: string;
  actor?: string;
  /** Docker's config file for registry logins; default $DOCKER_CONFIG/config.json, else ~/.docker/config.json. */
  dockerConfig?: string;
  /** Where one-line warnings go (a credential helper that failed); default stderr. */
  warn?: (line: string) => void;
  /** What this process is, for the ledger beside a name a person gave ('serve', 'the desktop app'); default: the CLI. */
  via?: string;
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

/** The local user this process acts for (local-user.ts: the real uid's name, or a validated SUDO_UID's). */
export function currentActor(env: NodeJS.ProcessEnv = process.env): string {
  return localUser(env);
}

export function openInstance(options: InstanceOptions = {}): Instance {
  const dataDir = ensureDataDir(options.dataDir ?? resolveDataDir());
  // Chosen before the store opens: a context that is not there is refused with nothing open.
  const endpointEngine = createEngine({ dockerHost: options.dockerHost, context: options.context });
  const store = openStore(dataDir);
  // Held to the engine the data directory belongs to before anything else, the store's own check too.
  const { engine: checkedEngine, ensureChecked } = checkingStoreFirst(guardEngineIdentity(endpointEngine, { store, dataDir, now: () => new Date() }), store, dataDir);
  // Kept current only while background work follows the engine's events (serve, desktop); a CLI command asks the engine.
  const { engine, mirror: containers } = mirrorContainers(checkedEngine);
  const warn = options.warn ?? ((line: string) => process.stderr.write(`tagkeeper: warning: ${line}\n`));
  const dockerConfig = options.dockerConfig;
  const dockerCredentials = new DockerCredentials({ warn, ...(dockerConfig ? { configPath: () => dockerConfig } : {}) });
  // Read for every request (once per turn of the event loop): a change made while an instance runs applies at once.
  const settings = perTurn((_: void) => store.getSettings());
  const client = new RegistryClient({
    insecureRegistries: () => settings().insecureRegistries,
    engineRegistry: () => engine.registryConfig(),
    userAgent: 'tagkeeper/0.1',
    credentials: perTurn((domain: string) => findCredentials({ store, dockerCredentials }, domain)),
    onRateLimit: (seen) => store.saveRateLimit({ ...seen, seenAt: new Date().toISOString() }),
  });
  const registry = guardOffline(client, () => settings().offline);
  const events = new EventEmitter<{ event: [CoreEvent] }>();
  const deps: CoreDeps = {
    engine,
    registry,
    store,
    dockerCredentials,
    bundles: bundleFormat(),
    workFiles: workFolder(join(dataDir, 'scratch'), processOwners()),
    hostFiles: { readText: (path) => readFileSync(path, 'utf8') },
    actor: options.actor ?? currentActor(),
    via: options.via,
    host: hostname(),
    now: () => new Date(),
    sleep: (ms, signal) => sleep(ms, undefined, { signal }),
    emit: (event) => events.emit('event', event),
    processId: process.pid,
    processStarted: processStarted(process.pid),
    isProcessAlive: isSameProcessAlive,
    checkpoint: crashPointFromEnv(process.env.TAGKEEPER_CRASH_AT, process.env.TAGKEEPER_PAUSE_AT),
    startGraceMs: process.env.TAGKEEPER_START_GRACE_MS ? Number(process.env.TAGKEEPER_START_GRACE_MS) : null,
    running: new Map(),
    transfers: new Map(),
    worker: null,
    containers,
  };
  deps.workFiles.clean();
  // The day's backup runs beside the command (a failed one is tried again by the next process).
  let backup: Promise<unknown> = store.backupIfDue().catch(() => null);
  const handlers = afterStoreCheck(createHandlers(deps), ensureChecked);
  return {
    handlers,
    client: localClient(handlers),
    events,
    dataDir,
    workFiles: deps.workFiles,
    store,
    registryClient: client,
    startBackgroundWork: (log) => {
      const stop = startBackgroundWork(deps, log);
      const daily = setInterval(() => {
        backup = backup.then(() => store.backupIfDue()).catch((error: unknown) => log(`the day's backup of the database failed: ${asTagkeeperError(error).sentence}`));
      }, BACKUP_CHECK_MS);
      daily.unref();
      return () => {
        clearInterval(daily);
        stop();
      };
    },
    async close() {
      await client.close();
      await backup;
      store.close();
    },
  };
}

/**
 * TAGKEEPER_CRASH_AT=<point> kills this process at that step of an operation, as a power
 * cut or `kill -9` would: how the tests prove crash safety without a special build.
 * TAGKEEPER_PAUSE_AT=<point> stops it there instead (SIGSTOP, the first time it gets there)
 * until it is continued (SIGCONT), so that a test can kill the engine or fill the disk at
 * that very step.
 */
function crashPointFromEnv(crashAt: string | undefined, pauseAt: string | undefined): (point: CrashPoint) => void {
  if (!crashAt && !pauseAt) return () => undefined;
  const [crash, pause] = [crashPointNamed('TAGKEEPER_CRASH_AT', crashAt), crashPointNamed('TAGKEEPER_PAUSE_AT', pauseAt)];
  let paused = false;
  return (point) => {
    if (point === crash) process.kill(process.pid, 'SIGKILL');
    if (point === pause && !paused) {
      paused = true;
      process.kill(process.pid, 'SIGSTOP');
    }
  };
}

function crashPointNamed(variable: string, value: string | undefined): CrashPoint | null {
  if (!value) return null;
  if (!(CRASH_POINTS as readonly string[]).includes(value)) {
    throw new TagkeeperError('invalid-settings', `${variable}="${value}" is not a crash point`, { hint: `use one of: ${CRASH_POINTS.join(', ')}` });
  }
  return value as CrashPoint;
}
