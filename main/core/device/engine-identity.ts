/**
 * Data stays per engine: a data directory belongs to the Docker Engine it first reached (its
 * ID and data root from GET /info, recorded at that first contact; before Docker 23 the ID is
 * the host's, shared by its engines, so the data root tells them apart). Every engine call of an instance goes
 * through this guard, which checks the engine once before the first call and refuses another
 * engine (another --host, DOCKER_HOST or context pointing elsewhere) with both named, instead
 * of letting two engines share one store. `engine accept` moves the data directory to the
 * engine it reaches now (the old engine was reinstalled or replaced).
 */
import { TagkeeperError } from '../../api/errors';
import type { EngineAcceptAnswer, EngineIdentity, RecordedEngine } from '../../api/types/engine';
import { DEVICE_LEDGER_APP } from '../images/images-prune';
import type { CoreDeps } from '../ports/deps';
import type { EnginePort } from '../ports/engine-port';
import type { StorePort } from '../ports/store-port';

type EngineStore = Pick<StorePort, 'getEngineRecord' | 'recordEngine'>;

/** Members that never need the check: where the engine is, and who it is. */
const UNGUARDED = new Set<PropertyKey>(['endpoint', 'endpointSource', 'identity']);

export interface EngineGuardOptions {
  store: EngineStore;
  /** The data directory, for the refusal. */
  dataDir: string;
  now: () => Date;
}

/** `engine` with every call checked first (once it passes, never again in this instance). */
export function guardEngineIdentity(engine: EnginePort, options: EngineGuardOptions): EnginePort {
  let confirmed: Promise<void> | null = null;
  const confirm = (): Promise<void> => {
    // A failure is not kept: the engine may come up, or `engine accept` may change the record.
    confirmed ??= checkEngine(engine, options).catch((error: unknown) => {
      confirmed = null;
      throw error;
    });
    return confirmed;
  };
  return new Proxy(engine, {
    get(target, key) {
      const member: unknown = Reflect.get(target, key, target);
      if (typeof member !== 'function') return member;
      const method = member as (...args: unknown[]) => unknown;
      if (UNGUARDED.has(key)) return method.bind(target);
      // The ping keeps its short timeout: an engine that does not answer says so first.
      if (key === 'ping') return async () => {
        await target.ping();
        await confirm();
      };
      if (key === 'subscribe') return guardedSubscribe(target, confirm);
      return async (...args: unknown[]) => {
        await confirm();
        return method.apply(target, args);
      };
    },
  });
}

function guardedSubscribe(engine: EnginePort, confirm: () => Promise<void>): EnginePort['subscribe'] {
  return (onEvent, onError, onOpen) => {
    let stopped = false;
    let unsubscribe: (() => void) | null = null;
    confirm().then(
      () => {
        if (!stopped) unsubscribe = engine.subscribe(onEvent, onError, onOpen);
      },
      (error: unknown) => {
        if (!stopped) onError?.(error instanceof Error ? error : new Error(String(error)));
      },
    );
    return () => {
      stopped = true;
      unsubscribe?.();
    };
  };
}

async function checkEngine(engine: EnginePort, { store, dataDir, now }: EngineGuardOptions): Promise<void> {
  const current = await engine.identity();
  if (!current.id) return; // an engine that gives no ID cannot be told apart: nothing to hold it to
  const recorded = store.recordEngine({ ...current, endpoint: engine.endpoint, recordedAt: now().toISOString() });
  if (!sameEngine(recorded, current)) throw mismatch(recorded, current, engine, dataDir);
}

/** The same engine: the same ID and the same data root (an engine that gives no data root is judged by its ID). */
export function sameEngine(a: EngineIdentity, b: EngineIdentity): boolean {
  return a.id === b.id && (a.root === b.root || !a.root || !b.root);
}

export function mismatch(recorded: RecordedEngine, current: EngineIdentity, engine: Pick<EnginePort, 'endpoint' | 'endpointSource'>, dataDir: string): TagkeeperError {
  return new TagkeeperError(
    'engine-mismatch',
    `the data directory ${dataDir} belongs to the Docker Engine ${describeEngine(recorded)}, first reached at ${recorded.endpoint} on ${recorded.recordedAt.slice(0, 10)}; ` +
      `the engine at ${engine.endpoint} (${engine.endpointSource}) is another one: ${describeEngine(current)}`,
    {
      hint:
        'give each engine a data directory of its own (--data-dir DIR or TAGKEEPER_DATA_DIR=DIR), or use it with the engine it belongs to; ' +
        'if this engine replaced that one (reinstalled, its data root moved), take the data directory over with: tagkeeper engine accept',
    },
  );
}

/** `"box" (ID 3F2A…, data root /var/lib/docker)` */
export function describeEngine(engine: EngineIdentity): string {
  const root = engine.root ? `, data root ${engine.root}` : '';
  return `${engine.name ? `"${engine.name}" ` : ''}(ID ${engine.id}${root})`;
}

/** `engine:accept`: the data directory now belongs to the engine reached, recorded in the ledger. */
export async function acceptEngine(deps: Pick<CoreDeps, 'engine' | 'store' | 'actor' | 'now'>): Promise<EngineAcceptAnswer> {
  await deps.engine.ping().catch((error: unknown) => {
    // A refusal of this very engine is what accept is for; anything else (unreachable) is not.
    if (!(error instanceof TagkeeperError && error.code === 'engine-mismatch')) throw error;
  });
  const current = await deps.engine.identity();
  if (!current.id) {
    throw new TagkeeperError('engine-error', `the Docker Engine at ${deps.engine.endpoint} gives no ID (GET /info), so no data directory can be held to it`, {
      hint: 'nothing to accept: Tagkeeper uses this engine as it is',
    });
  }
  const previous = deps.store.getEngineRecord();
  const engine: RecordedEngine = { ...current, endpoint: deps.engine.endpoint, recordedAt: deps.now().toISOString() };
  if (previous && sameEngine(previous, current)) return { engine: previous, previous };
  deps.store.replaceEngine(engine, [
    {
      app: DEVICE_LEDGER_APP,
      service: null,
      action: 'configure',
      from: null,
      to: null,
      source: null,
      trigger: 'engine-accept',
      actor: deps.actor,
      outcome: 'ok',
      detail: previous
        ? `the data directory now belongs to the Docker Engine ${describeEngine(current)} at ${engine.endpoint}, instead of ${describeEngine(previous)} first reached at ${previous.endpoint}`
        : `the data directory now belongs to the Docker Engine ${describeEngine(current)} at ${engine.endpoint}`,
    },
  ]);
  return { engine, previous };
}
