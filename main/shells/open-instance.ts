/**
 * Wires the core to the real adapters: SQLite store in the data directory, the Docker
 * Engine at $DOCKER_HOST (or the default socket), and the registry client. Every shell
 * (CLI, desktop, serve) opens its instance here.
 */
import { EventEmitter } from 'node:events';
import { userInfo } from 'node:os';
import type { CoreDeps } from '../core/deps';
import type { CoreEvent } from '../core/events';
import { Tagkeeper } from '../core/tagkeeper';
import { createEngine } from '../engine/docker-engine';
import { RegistryClient } from '../registry/registry-client';
import { ensureDataDir, resolveDataDir } from '../store/data-dir';
import { openStore } from '../store/sqlite-store';
import { createHandlers, type Handlers } from './handlers';

export interface InstanceOptions {
  dataDir?: string;
  dockerHost?: string;
  actor?: string;
}

export interface Instance {
  core: Tagkeeper;
  handlers: Handlers;
  events: EventEmitter<{ event: [CoreEvent] }>;
  dataDir: string;
  close(): Promise<void>;
}

export function currentActor(env: NodeJS.ProcessEnv = process.env): string {
  return env.SUDO_USER || userInfo().username;
}

export function openInstance(options: InstanceOptions = {}): Instance {
  const dataDir = ensureDataDir(options.dataDir ?? resolveDataDir());
  const store = openStore(dataDir);
  const engine = createEngine({ dockerHost: options.dockerHost });
  const registry = new RegistryClient({
    insecureRegistries: store.getSettings().insecureRegistries,
    userAgent: 'tagkeeper/0.1',
  });
  const events = new EventEmitter<{ event: [CoreEvent] }>();
  const deps: CoreDeps = {
    engine,
    registry,
    store,
    actor: options.actor ?? currentActor(),
    now: () => new Date(),
    emit: (event) => events.emit('event', event),
  };
  const core = new Tagkeeper(deps);
  return {
    core,
    handlers: createHandlers(core),
    events,
    dataDir,
    async close() {
      await registry.close();
      store.close();
    },
  };
}
