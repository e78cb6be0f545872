/** Everything the core works with, passed in by whichever shell runs it (CLI, desktop, serve). */
import type { EnginePort } from './engine-port';
import type { RegistryPort } from './registry-port';
import type { StorePort } from './store-port';
import type { CoreEvent } from './events';

export interface CoreDeps {
  engine: EnginePort;
  registry: RegistryPort;
  store: StorePort;
  /** The local user on whose behalf this process acts (recorded in the ledger). */
  actor: string;
  now: () => Date;
  /** Progress and change announcements; shells forward them to their clients. */
  emit: (event: CoreEvent) => void;
}

export const isoNow = (deps: Pick<CoreDeps, 'now'>): string => deps.now().toISOString();
