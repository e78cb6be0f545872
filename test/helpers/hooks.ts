/**
 * Set-up as node:test hooks: something started in a `before` hook of the current suite (or
 * file) and stopped in its `after` hook, used through a handle that exists at once.
 *
 *   import { before } from '../helpers/hooks';
 *   const site = useSite();                          // registers the hooks; nothing runs yet
 *   before(() => publish(site, 'busy', '1', 'v1'));  // runs once the site has started
 *   test('…', async () => { await site.cli([...]); });
 *
 * The handle stands for the started value: every member read (or written) on it is read
 * from (or written to) that value, methods bound to it, so the value's own type is the
 * handle's type and helpers that take the value take the handle. Used before its `before`
 * hook ran (at the top level of a file, while its tests are being defined) or after that
 * hook failed, it throws and says so.
 *
 * Take `before` from here, not from node:test, in files that use these handles: Node 20
 * starts each `before` hook at the top level of a file as soon as it is registered, all side
 * by side, so a plain one would not wait for the site to start. This one waits for the
 * `before` hooks registered ahead of it (inside a `describe`, node:test runs them in order
 * anyway).
 */
import { after, before as nodeBefore, type HookOptions } from 'node:test';

/** Settles when the last `before` hook registered through here has finished (passed or failed). */
let lastBefore: Promise<void> = Promise.resolve();

/** node:test's `before` that runs `fn` only once the `before` hooks registered ahead of it (through here) have finished. */
export function before(fn: () => unknown, options?: HookOptions): void {
  nodeBefore(async () => {
    const ahead = lastBefore;
    let finished!: () => void;
    lastBefore = new Promise((resolve) => (finished = resolve));
    try {
      await ahead;
      await fn();
    } finally {
      finished();
    }
  }, options);
}

type State<T> = { phase: 'defined' } | { phase: 'failed'; error: unknown } | { phase: 'started'; value: T };

/** Stops registered with stopBefore(handle, …), by handle. */
const dependents = new WeakMap<object, (() => unknown)[]>();

/**
 * Registers `before(start)` and `after(stop)` in the current suite and returns a handle to
 * what `start` resolves to. `what` names it in errors ("the test site"). The `after` hook
 * first runs what stopBefore() registered for this handle (last registered first), then
 * `stop` (nothing for a start that failed); a failing one does not keep the rest from
 * stopping, and the first failure fails the hook.
 */
export function useStarted<T extends object>(what: string, start: () => Promise<T>, stop: (value: T) => unknown): T {
  let state: State<T> = { phase: 'defined' };
  const current = (): T => {
    if (state.phase === 'started') return state.value;
    if (state.phase === 'failed') throw new Error(`${what} did not start (its before hook failed): ${String(state.error)}`);
    throw new Error(
      `${what} is used before its before hook started it: use it in a test or in a hook, and take \`before\` from test/helpers/hooks.ts (it waits for the site's hook)`,
    );
  };
  const handle = new Proxy({} as T, {
    get(_target, key) {
      // Never thenable, so `await` and Promise.resolve() leave the handle alone.
      if (key === 'then' || (typeof key === 'symbol' && state.phase !== 'started')) return undefined;
      const value = current();
      const member: unknown = Reflect.get(value, key, value);
      return typeof member === 'function' ? member.bind(value) : member;
    },
    set: (_target, key, member) => Reflect.set(current(), key, member),
    has: (_target, key) => Reflect.has(current(), key),
    ownKeys: () => Reflect.ownKeys(current()),
    getOwnPropertyDescriptor(_target, key) {
      const descriptor = Reflect.getOwnPropertyDescriptor(current(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
  before(async () => {
    try {
      state = { phase: 'started', value: await start() };
    } catch (error) {
      state = { phase: 'failed', error };
      throw error;
    }
  });
  after(async () => {
    const first = dependents.get(handle) ?? [];
    dependents.delete(handle);
    const failures: unknown[] = [];
    for (const stopDependent of first.reverse()) {
      try {
        await stopDependent();
      } catch (error) {
        failures.push(error); // keep stopping the rest; reported below
      }
    }
    if (state.phase === 'started') await stop(state.value);
    if (failures.length > 0) throw failures[0];
  });
  return handle;
}

/**
 * Runs `stop` in the after hook of `handle` (from useStarted, useSite, useEngine …) before
 * that resource stops: for what runs on it, such as a server on the site's engine and data
 * directory. Later registrations run first. Call it while defining the tests or in a hook.
 */
export function stopBefore(handle: object, stop: () => unknown): void {
  const list = dependents.get(handle) ?? [];
  list.push(stop);
  dependents.set(handle, list);
}
