/**
 * A read kept until the current turn of the event loop ends: a check sends its thousands of
 * requests from one turn, and each asked the store for the settings and the credentials (and
 * stat'ed Docker's config file) before; now the first one of the turn does. A change made
 * since shows from the next turn on, as before to every request started after it.
 */
export function perTurn<K, V>(read: (key: K) => V): (key: K) => V {
  const kept = new Map<K, V>();
  return (key) => {
    if (kept.has(key)) return kept.get(key) as V;
    const value = read(key);
    if (kept.size === 0) setImmediate(() => kept.clear());
    kept.set(key, value);
    return value;
  };
}
