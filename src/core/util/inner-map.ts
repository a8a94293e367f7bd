// Maps of maps (memos and tables keyed by two or three numbers): the inner map of one key, made on first use.

/** `outer`'s map at `key`, created empty and stored when there is none. */
export function innerMap<K, K2, V>(outer: Map<K, Map<K2, V>>, key: K): Map<K2, V> {
  let inner = outer.get(key);
  if (inner === undefined) {
    inner = new Map();
    outer.set(key, inner);
  }
  return inner;
}
