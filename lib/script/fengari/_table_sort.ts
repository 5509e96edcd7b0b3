/**
 * `table.sort(t)` without a comparison function, on a plain array of strings (or of numbers of one kind), sorted
 * in JavaScript: fengari 0.1.5's sort reads and writes every element through the API (`lua_geti`,
 * `lua_seti`) and compares through `lua_compare`, several calls per comparison; a JSON encoder sorting its keys
 * spent about 6 % of a request there (docs/benchmarks.md#scripts). The elements are read and written in the
 * table's own entries (`_direct.ts`), not pushed and popped through the API one by one. Anything else (a
 * comparison function, a metatable, mixed types, NaN, integers mixed with floats, -0) goes to fengari's own
 * sort, unchanged.
 *
 * The result is the one fengari gives: strings compare by bytes in both (fengari's `l_strcmp` compares the
 * table keys of `_fast_paths.ts`, which order as the bytes do), and elements that compare equal here cannot be
 * told apart, so the order among them cannot show. Installed behind a probe (fengari 0.1.5, `table.sort` still
 * fengari's `sort`); `tests/script/fengari/table_sort_test.ts` checks it with cases from Lua 5.3's sort.lua.
 *
 * @module
 */

import { lua, type LuaJsFunction, type LuaState } from "./_lua.ts";
import { argumentAt, baseType, keyOf, rawLength, type Table, type TString, type TValue } from "./_direct.ts";
import { LUA_TLNGSTR, LUA_TNUMFLT, LUA_TNUMINT } from "./_tags.ts";

/** How many sorts were done here, on the table's entries in place, for tests. */
export const sortProbe = { direct: 0 };

/** Longest array sorted here; longer ones go to fengari (no reason, other than bounding the copy). */
const MAX_ELEMENTS = 1 << 20;

function byValue(a: number, b: number): number {
  return a - b;
}

/** Orders strings by their keys (each string's key computed before the sort: `keyOf` in `_direct.ts`). */
function byStringKey(a: TString, b: TString): number {
  const x = a.hash!;
  const y = b.hash!;
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * An array of strings sorted by their keys, which order as their bytes do: every element a string of the one
 * tag fengari gives strings (`LUA_TLNGSTR`), the string objects sorted and written back in order, without an
 * object per element. False, having changed nothing, when an element is anything else.
 */
function sortStrings(entries: TValue[], n: number): boolean {
  const strings: TString[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const value = entries[i];
    if (value.type !== LUA_TLNGSTR) return false;
    const ts = value.value as TString;
    keyOf(ts);
    strings[i] = ts;
  }
  strings.sort(byStringKey);
  sortProbe.direct++;
  for (let i = 0; i < n; i++) entries[i].value = strings[i];
  return true;
}

/** Sorts `t[1..n]` here when it is a case this handles; false (nothing changed) otherwise. */
function sortHere(L: LuaState): boolean {
  const t = argumentAt(L, 1);
  if (t === undefined || t.type !== lua.LUA_TTABLE) return false;
  const comparator = argumentAt(L, 2);
  if (comparator !== undefined && comparator.type !== lua.LUA_TNIL) return false;
  const table = t.value as Table;
  if (table.metatable !== null) return false;
  const n = rawLength(table);
  if (n < 2 || n > MAX_ELEMENTS) return false;
  // The table's own entries, read and written in place (`_direct.ts`), as `lua_rawgeti`/`lua_rawseti` would:
  // every `t[i]` of 1..n is checked to be there (not nil), so each write replaces a present value.
  const entries: TValue[] = new Array(n);
  for (let i = 1; i <= n; i++) {
    const value = table.strong.get(i)?.value;
    if (value === undefined) return false;
    entries[i - 1] = value;
  }
  const firstType = baseType(entries[0]);
  if (firstType === lua.LUA_TSTRING) return sortStrings(entries, n);
  if (firstType !== lua.LUA_TNUMBER) return false;
  const values: number[] = new Array(n);
  let integers = 0;
  for (let i = 0; i < n; i++) {
    const entry = entries[i];
    if (baseType(entry) !== lua.LUA_TNUMBER) return false;
    if (entry.type === LUA_TNUMINT) integers++;
    const value = entry.value as number;
    if (Number.isNaN(value) || Object.is(value, -0)) return false;
    values[i] = value;
  }
  if (integers !== 0 && integers !== n) return false; // 1 and 1.0 compare equal but can be told apart
  values.sort(byValue);
  sortProbe.direct++;
  const type = integers === n ? LUA_TNUMINT : LUA_TNUMFLT;
  for (let i = 0; i < n; i++) {
    entries[i].type = type;
    entries[i].value = values[i];
  }
  return true;
}

/** `table.sort` that sorts here when it can, else calls fengari's. */
function makeTableSort(original: LuaJsFunction): LuaJsFunction {
  return (L: LuaState): number => sortHere(L) ? 0 : original(L);
}

/**
 * Replaces `table.sort` in a state with the standard libraries open, when fengari is 0.1.5 and `table.sort` is
 * still its own `sort`; returns whether it did.
 *
 * @example Installing into a new state
 * ```ts ignore
 * const L = lauxlib.luaL_newstate();
 * lualib.luaL_openlibs(L);
 * installTableSort(L); // true on fengari 0.1.5
 * ```
 */
export function installTableSort(L: LuaState): boolean {
  lua.lua_getglobal(L, "table");
  let applies = false;
  if (lua.lua_type(L, -1) === lua.LUA_TTABLE) {
    lua.lua_getfield(L, -1, "sort");
    const original = lua.lua_tocfunction(L, -1);
    lua.lua_pop(L, 1);
    if (original !== null && original.name === "sort") {
      lua.lua_pushjsfunction(L, makeTableSort(original));
      lua.lua_setfield(L, -2, "sort");
      applies = true;
    }
  }
  lua.lua_pop(L, 1);
  return applies;
}
