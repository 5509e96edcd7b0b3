/**
 * `table.sort(t)` without a comparison function, on a plain array of strings (or of numbers of one kind), sorted
 * in JavaScript: fengari 0.1.5's sort reads and writes every element through the API (`lua_geti`,
 * `lua_seti`) and compares through `lua_compare`, several calls per comparison; a JSON encoder sorting its keys
 * spent about 6 % of a request there (docs/benchmarks.md#scripts). Anything else (a comparison function, a
 * metatable, mixed types, NaN, integers mixed with floats, -0) goes to fengari's own sort, unchanged.
 *
 * The result is the one fengari gives: strings compare by bytes in both (fengari's `l_strcmp` compares the
 * table keys of `_fast_paths.ts`, which order as the bytes do), and elements that compare equal here cannot be
 * told apart, so the order among them cannot show. Installed behind a probe (fengari 0.1.5, `table.sort` still
 * fengari's `sort`); `tests/script/fengari/table_sort_test.ts` checks it with cases from Lua 5.3's sort.lua.
 *
 * @module
 */

import { lua, type LuaJsFunction, type LuaState } from "./_lua.ts";
import { keyOf, pushString, topString, type TString } from "./_direct.ts";

/** Longest array sorted here; longer ones go to fengari (no reason, other than bounding the copy). */
const MAX_ELEMENTS = 1 << 20;

/** A string element and its sort key (`|` + its bytes as Latin-1). */
interface Keyed {
  ts: TString;
  key: string;
}

function byKey(a: Keyed, b: Keyed): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function byValue(a: number, b: number): number {
  return a - b;
}

/** Sorts `t[1..n]` here when it is a case this handles; false (nothing changed) otherwise. */
function sortHere(L: LuaState): boolean {
  if (lua.lua_type(L, 1) !== lua.LUA_TTABLE || !lua.lua_isnoneornil(L, 2)) return false;
  if (lua.lua_getmetatable(L, 1)) {
    lua.lua_pop(L, 1);
    return false;
  }
  const n = lua.lua_rawlen(L, 1);
  if (n < 2 || n > MAX_ELEMENTS) return false;
  const firstType = lua.lua_rawgeti(L, 1, 1);
  lua.lua_pop(L, 1);
  if (firstType === lua.LUA_TSTRING) {
    const items: Keyed[] = new Array(n);
    for (let i = 1; i <= n; i++) {
      if (lua.lua_rawgeti(L, 1, i) !== lua.LUA_TSTRING) {
        lua.lua_pop(L, 1);
        return false;
      }
      const ts = topString(L);
      items[i - 1] = { ts, key: keyOf(ts) };
      lua.lua_pop(L, 1);
    }
    items.sort(byKey);
    for (let i = 1; i <= n; i++) {
      pushString(L, items[i - 1].ts);
      lua.lua_rawseti(L, 1, i);
    }
    return true;
  }
  if (firstType !== lua.LUA_TNUMBER) return false;
  const values: number[] = new Array(n);
  let integers = 0;
  for (let i = 1; i <= n; i++) {
    if (lua.lua_rawgeti(L, 1, i) !== lua.LUA_TNUMBER) {
      lua.lua_pop(L, 1);
      return false;
    }
    if (lua.lua_isinteger(L, -1)) integers++;
    const value = lua.lua_tonumberx(L, -1) as number;
    lua.lua_pop(L, 1);
    if (Number.isNaN(value) || Object.is(value, -0)) return false;
    values[i - 1] = value;
  }
  if (integers !== 0 && integers !== n) return false; // 1 and 1.0 compare equal but can be told apart
  values.sort(byValue);
  for (let i = 1; i <= n; i++) {
    if (integers === n) lua.lua_pushinteger(L, values[i - 1]);
    else lua.lua_pushnumber(L, values[i - 1]);
    lua.lua_rawseti(L, 1, i);
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
