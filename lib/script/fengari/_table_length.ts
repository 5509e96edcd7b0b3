/**
 * `#t` of a table as fengari 0.1.5 computes it (ltable.js `luaH_getn`: the same probes in the same order, so the
 * same border of a table with holes), reading the table's `Map` directly instead of through `luaH_getint` and
 * a `ttisnil()` call per probe. A JSON encoder asks `#t` of every table it writes and `#keys + 1` for every
 * key it collects (bench/lua_heavy.lua;
 * docs/benchmarks.md#lua-heavy-scripts-the-next-costs-2026-12-06-night). Used by the interpreter's `#`
 * (`_vm.ts`) and by `rawLength` (`_direct.ts`); `tests/script/fengari/vm_test.ts` checks it against
 * `rawlen` (fengari's `luaH_getn`). Imports only fengari's defs.js and luaconf.js (which needs only defs.js),
 * so the interpreter may load it wherever it likes.
 *
 * @module
 */

// @ts-types="./_internals.d.ts"
import luaconfModule from "../../../third_party/fengari/src/luaconf.js";
// @ts-types="./_internals.d.ts"
import defsModule from "../../../third_party/fengari/src/defs.js";

/** The parts of a fengari table (ltable.js) a length reads: its entries by key. */
interface Table {
  strong: Map<unknown, { value: { type: number } }>;
}

const LUA_MAXINTEGER = (luaconfModule as unknown as { LUA_MAXINTEGER: number }).LUA_MAXINTEGER;
const LUA_TNIL =
  (defsModule as unknown as { constant_types: Record<string, number> }).constant_types.LUA_TNIL;

/** Whether `t[key]` is not nil (`!luaH_getint(t, key).ttisnil()`). */
function present(strong: Table["strong"], key: number): boolean {
  const entry = strong.get(key);
  return entry !== undefined && entry.value.type !== LUA_TNIL;
}

/** `luaH_getn(t)`: a border of `t` (an `n` with `t[n]` not nil and `t[n + 1]` nil, or 0), fengari's one. */
export function tableLength(t: Table): number {
  const strong = t.strong;
  let i = 0;
  let j = strong.size + 1;
  while (present(strong, j)) {
    i = j;
    if (j > LUA_MAXINTEGER / 2) {
      i = 1;
      while (present(strong, i)) i++;
      return i - 1;
    }
    j *= 2;
  }
  while (j - i > 1) {
    const m = Math.floor((i + j) / 2);
    if (present(strong, m)) i = m;
    else j = m;
  }
  return i;
}
