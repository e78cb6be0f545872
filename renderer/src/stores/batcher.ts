/**
 * Collects keys (app names) for `delayMs` after the first one arrives, then hands them over
 * at once: a burst of events becomes one fetch. A flush never overlaps the previous one.
 */
export interface Batcher<K> {
  add(key: K): void;
  /** Run the pending flush now (and wait for it). */
  flush(): Promise<void>;
  dispose(): void;
}

export function createBatcher<K>(delayMs: number, run: (keys: Set<K>) => Promise<void>): Batcher<K> {
  let keys = new Set<K>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let chain: Promise<void> = Promise.resolve();

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    if (keys.size === 0) return chain;
    const batch = keys;
    keys = new Set();
    chain = chain.then(() => run(batch)).catch(() => undefined);
    return chain;
  }

  return {
    add(key: K) {
      keys.add(key);
      if (!timer) timer = setTimeout(() => void flush(), delayMs);
    },
    flush,
    dispose() {
      if (timer) clearTimeout(timer);
      timer = null;
      keys = new Set();
    },
  };
}
