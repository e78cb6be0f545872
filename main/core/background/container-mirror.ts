/**
 * The engine's container list held in memory by a long-lived instance (serve, the desktop
 * app), so that listing apps asks the engine nothing. It is read whole each time the
 * engine's event stream opens (the first time, and after every break: events were lost
 * meanwhile), then kept current container by container: from the events (engine-watch.ts),
 * and from the changes this instance makes through the engine it hands out (a container it
 * created, started, stopped, renamed or removed is read again before the next list is
 * answered, so a change made here always shows in the next list). While no stream is open
 * (a CLI command; the engine away) it holds nothing and the list is asked of the engine.
 */
import type { ContainerInfo, ContainerState, EnginePort } from '../ports/engine-port';

/** More containers than this to read again: one list of them all instead. */
const READ_ALL_ABOVE = 16;

/** The container changes made through an engine: each is read again afterwards. */
const CHANGES = new Set<PropertyKey>(['createContainer', 'startContainer', 'stopContainer', 'removeContainer', 'renameContainer']);

export interface ContainerMirror {
  /**
   * Every container (newest first, as the engine lists them) once what changed so far is
   * read again; null while the event stream is not open, or when reading failed (ask the engine).
   */
  states(): Promise<ContainerState[] | null>;
  /** The event stream opened: the whole list is read; resolves once it was (or failed). */
  opened(): Promise<void>;
  /** The event stream broke: nothing held counts until it opens again. */
  lost(): void;
  /** An event of container `id`: it is read again; resolves once it was (or failed). */
  changed(id: string): Promise<void>;
}

export function mirrorContainers(engine: EnginePort): { engine: EnginePort; mirror: ContainerMirror } {
  let following = false;
  /** Oldest first: a container read for the first time is the newest. */
  let held = new Map<string, ContainerState>();
  let readAll = false;
  const stale = new Set<string>();
  let reading: Promise<void> | null = null;

  const read = (): Promise<void> => {
    reading ??= readDue().finally(() => (reading = null));
    return reading;
  };

  async function readDue(): Promise<void> {
    try {
      while (readAll || stale.size > 0) {
        if (readAll || stale.size > READ_ALL_ABOVE || [...stale].some((id) => !FULL_ID.test(id))) {
          readAll = false;
          stale.clear();
          const all = await engine.listContainerStates({});
          held = new Map(all.reverse().map((c) => [c.id, c]));
        } else {
          const ids = [...stale];
          stale.clear();
          const found = await Promise.all(ids.map((id) => engine.inspectContainer(id)));
          ids.forEach((id, i) => {
            const info = found[i];
            if (info) held.set(id, stateOf(info));
            else held.delete(id);
          });
        }
      }
    } catch (error) {
      readAll = true; // what was due is unknown now: the next read takes the whole list
      throw error;
    }
  }

  const readAgain = (id: string): Promise<void> => {
    if (!following) return Promise.resolve();
    stale.add(id);
    return read().catch(() => undefined);
  };

  const mirror: ContainerMirror = {
    async states() {
      if (!following) return null;
      try {
        await read();
      } catch {
        return null;
      }
      return following ? [...held.values()].reverse() : null;
    },
    opened() {
      following = true;
      readAll = true;
      return read().catch(() => undefined);
    },
    lost() {
      following = false;
      held = new Map();
      stale.clear();
    },
    changed: readAgain,
  };

  const changing = new Proxy(engine, {
    get(target, key) {
      const member: unknown = Reflect.get(target, key, target);
      if (typeof member !== 'function') return member;
      const method = member as (...args: unknown[]) => Promise<unknown>;
      if (!CHANGES.has(key)) return method.bind(target);
      return async (...args: unknown[]) => {
        // A creation that failed left nothing (the adapter removes a half-made container).
        let changed = key === 'createContainer' ? null : String(args[0]);
        try {
          const result = await method.apply(target, args);
          if (key === 'createContainer') changed = String(result);
          return result;
        } finally {
          if (changed !== null) void readAgain(changed);
        }
      };
    },
  });
  return { engine: changing, mirror };
}

const FULL_ID = /^[0-9a-f]{64}$/;

const stateOf = ({ id, name, imageId, labels, status, health }: ContainerInfo): ContainerState => ({ id, name, imageId, labels, status, health });
