/**
 * A database made fresh, or restored from a backup, is compared with the engine before the
 * engine is used for anything else (the first time it answers: the store may open while the
 * engine is down). Containers of Tagkeeper apps the database does not know mean a lost
 * database, not a new install: Tagkeeper refuses to go on beside them until `tagkeeper
 * recover` rebuilds them. And new operation ids start above those the containers carry, so a
 * container of an operation before the loss is never taken for one of a new operation.
 */
import type { Handlers } from '../../api/contract';
import { TagkeeperError } from '../../api/errors';
import { LABEL } from '../apps/app-topology';
import type { ContainerInfo, EnginePort } from '../ports/engine-port';
import type { StorePort } from '../ports/store-port';

export interface CheckedFirst {
  /** The engine, whose every call waits for the check while the store has one pending. */
  engine: EnginePort;
  /**
   * Runs the check when one is pending: throws the refusal (store-missing); an engine that does
   * not answer lets the caller go on (what needs the engine then says so itself), and the check
   * runs again on the next call.
   */
  ensureChecked(): Promise<void>;
}

export function checkingStoreFirst(engine: EnginePort, store: StorePort, dataDir: string): CheckedFirst {
  let checking: Promise<void> | null = null;
  let checked = false;
  const ensureChecked = async (): Promise<void> => {
    if (checked) return;
    if (!store.engineCheckPending()) {
      checked = true;
      return;
    }
    checking ??= checkStoreAgainstEngine(engine, store, dataDir).finally(() => (checking = null));
    try {
      await checking;
    } catch (error) {
      if (error instanceof TagkeeperError && error.code === 'store-missing') throw error;
    }
  };
  const guarded = new Proxy(engine, {
    get(target, key) {
      const member: unknown = Reflect.get(target, key, target);
      if (typeof member !== 'function') return member;
      // Subscribing only listens; the engine's events are of no use before a call anyway.
      if (key === 'subscribe') return member.bind(target);
      return async (...args: unknown[]) => {
        await ensureChecked();
        return member.apply(target, args);
      };
    },
  });
  return { engine: guarded, ensureChecked };
}

/** Every operation of `handlers` answered only once the store passed its check (so a new database never answers "no such app" beside its containers). */
export function afterStoreCheck(handlers: Handlers, ensureChecked: () => Promise<void>): Handlers {
  const checked = {} as Record<string, unknown>;
  for (const [name, handler] of Object.entries(handlers) as [string, (request: unknown) => unknown][]) {
    checked[name] = async (request: unknown) => {
      await ensureChecked();
      return handler(request);
    };
  }
  return checked as unknown as Handlers;
}

export async function checkStoreAgainstEngine(engine: EnginePort, store: StorePort, dataDir: string): Promise<void> {
  await engine.ping(); // quick to fail when the engine is down (listing would wait longer)
  const ours = tagkeeperContainers(await engine.listContainerStates({})); // labels are all it reads: the list alone
  store.reserveOperationIds(highestOperation(ours));
  const unknown = [...new Set(ours.map((c) => c.labels[LABEL.app]))].filter((app) => store.getApp(app) === null).sort();
  if (unknown.length > 0) {
    throw new TagkeeperError(
      'store-missing',
      `this engine runs containers of Tagkeeper app(s) ${unknown.join(', ')} that the database in ${dataDir} does not know (it was made afresh, or restored from an older backup)`,
      { hint: `rebuild them from the engine with \`tagkeeper recover\`; or, if they belong to another data directory, use that one (TAGKEEPER_DATA_DIR)` },
    );
  }
  store.setEngineCheckPending(false);
}

/** Containers a Tagkeeper made (an adopted project's carry only Compose's labels until Tagkeeper replaces them). */
export function tagkeeperContainers<T extends Pick<ContainerInfo, 'labels'>>(containers: T[]): T[] {
  return containers.filter((c) => c.labels[LABEL.app] !== undefined && c.labels[LABEL.app] !== '');
}

/** The highest operation id the containers carry (0: none). */
export function highestOperation(containers: Pick<ContainerInfo, 'labels'>[]): number {
  return Math.max(0, ...containers.map((c) => Number(c.labels[LABEL.operation] ?? 0)).filter((n) => Number.isSafeInteger(n)));
}
