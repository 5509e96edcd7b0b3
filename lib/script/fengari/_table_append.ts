/**
 * Appending a new key to a fengari table, as ltable.js `add` does, for the paths that set table fields
 * without fengari's API (`_direct.ts`, the interpreter `_vm.ts`). Imports nothing: the interpreter is
 * installed while fengari loads (`_lua.ts`), before `_direct.ts` can load.
 *
 * @module
 */

/** The parts of fengari's table entries and tables (ltable.js) this touches; values stay opaque. */
interface Entry<TValue> {
  key: TValue;
  value: TValue;
  p: Entry<TValue> | undefined;
  n: Entry<TValue> | undefined;
}
interface Table<TValue> {
  strong: Map<unknown, Entry<TValue>>;
  dead_strong: Map<unknown, Entry<TValue>>;
  dead_weak: WeakMap<object, Entry<TValue>> | undefined;
  f: Entry<TValue> | undefined;
  l: Entry<TValue> | undefined;
}

/**
 * ltable.js `add` for a key the table does not hold (`hash` its key): the entry goes last in the table's
 * insertion order, with the same fields in the same order as fengari's own entries, and, as `add` does, a new
 * key ends any traversal's memory of deleted keys. The caller clears the table's metamethod cache (`flags`).
 */
export function appendEntry<TValue>(table: Table<TValue>, hash: unknown, key: TValue, value: TValue): void {
  if (table.dead_strong.size !== 0) table.dead_strong.clear();
  table.dead_weak = undefined;
  const added: Entry<TValue> = { key, value, p: table.l, n: undefined };
  if (table.l !== undefined) table.l.n = added;
  else table.f = added;
  table.l = added;
  table.strong.set(hash, added);
}
