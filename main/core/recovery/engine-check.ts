/**
 * A database made fresh, or restored from a backup, is compared with the engine before the
 * engine is used for anything else (the first time it answers: the store may open while the
 * engine is down). Containers of Tagkeeper apps the database does not know mean a lost
 * database, not a new install: Tagkeeper refuses to go on beside them until `tagkeeper
 * recover` rebuilds them. And new operation ids start above those the containers carry, so a
 * container of an operation before the loss is never taken for one of a new operation.
 */
import { TagkeeperError } from '../../api/errors';
import { LABEL } from '../apps/app-topology';
import type { ContainerInfo, EnginePort } from '../ports/engine-port';
import type { StorePort } from '../ports/store-port';

/** `engine`, whose every call waits for the check while the store has one pending (a failed check lets calls through, except a refusal). */
export function checkingStoreFirst(engine: EnginePort, store: StorePort, dataDir: string): EnginePort {
  let checking: Promise<void> | null = null;
  const ensureChecked = async (): Promise<void> => {
    if (!store.engineCheckPending()) return;
    checking ??= checkStoreAgainstEngine(engine, store, dataDir).finally(() => (checking = null));
    try {
      await checking;
    } catch (error) {
      // The engine did not answer: the call says so itself; the check runs on the next one.
      if (error instanceof TagkeeperError && error.code === 'store-missing') throw error;
    }
  };
  return new Proxy(engine, {
    get(target, key) {
      const member: unknown = Reflect.get(target, key, target);
      // Subscribing only listens; the engine's events are of no use before a call anyway.
      if (typeof member !== 'function' || key === 'subscribe') return typeof member === 'function' ? member.bind(target) : member;
      return async (...args: unknown[]) => {
        await ensureChecked();
        return member.apply(target, args);
      };
    },
  });
}

export async function checkStoreAgainstEngine(engine: EnginePort, store: StorePort, dataDir: string): Promise<void> {
  const ours = tagkeeperContainers(await engine.listContainers({}));
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
export function tagkeeperContainers(containers: ContainerInfo[]): ContainerInfo[] {
  return containers.filter((c) => c.labels[LABEL.app] !== undefined && c.labels[LABEL.app] !== '');
}

/** The highest operation id the containers carry (0: none). */
export function highestOperation(containers: ContainerInfo[]): number {
  return Math.max(0, ...containers.map((c) => Number(c.labels[LABEL.operation] ?? 0)).filter((n) => Number.isSafeInteger(n)));
}
