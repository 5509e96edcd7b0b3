/**
 * `next` and `pairs` that visit the array part (1..#t) first and in order, as LuaJIT does.
 *
 * fengari keeps every table in one insertion-ordered map, and a table constructor stores its list items
 * last-first, so plain `pairs({50, 90, 99})` yields 99, 90, 50: wrk's own `report.lua` would print its
 * percentiles backwards. Other keys keep fengari's insertion order (LuaJIT's is unspecified anyway).
 *
 * @module
 */

import { lauxlib, lua, type LuaState } from "../fengari/_lua.ts";

/** Is the key at `idx` a whole number in 1..`border` (a key of the array part)? */
function isArrayKey(L: LuaState, idx: number, border: number): boolean {
  if (lua.lua_type(L, idx) !== lua.LUA_TNUMBER) return false;
  const n = lua.lua_tonumberx(L, idx) as number;
  return n >= 1 && n <= border && Number.isInteger(n);
}

/**
 * Each table's array border when its current traversal started (`next(t, nil)`). Deleting fields during a
 * traversal (which Lua allows) moves the border; the traversal must keep the one it started with, or it would
 * take visited list items for other keys and the other keys for list items.
 */
const borders = new WeakMap<object, number>();

/** `next(t [, k])`. */
export function orderedNext(L: LuaState): number {
  lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
  lua.lua_settop(L, 2);
  const table = lua.lua_topointer(L, 1) as object;
  const starting = lua.lua_type(L, 2) === lua.LUA_TNIL;
  let border = starting ? undefined : borders.get(table);
  if (border === undefined) {
    border = lua.lua_rawlen(L, 1);
    borders.set(table, border);
  }
  let start = -1;
  if (starting) start = 1;
  else if (isArrayKey(L, 2, border)) start = (lua.lua_tonumberx(L, 2) as number) + 1;
  if (start > 0) {
    for (let i = start; i <= border; i++) {
      if (lua.lua_rawgeti(L, 1, i) !== lua.LUA_TNIL) {
        lua.lua_pushinteger(L, i);
        lua.lua_insert(L, -2);
        return 2;
      }
      lua.lua_pop(L, 1);
    }
    // The array part is done: go on with the other keys from the start.
    lua.lua_pushnil(L);
    lua.lua_replace(L, 2);
  }
  while (lua.lua_next(L, 1)) {
    if (!isArrayKey(L, -2, border)) return 2;
    lua.lua_pop(L, 1);
  }
  lua.lua_pushnil(L);
  return 1;
}

/** `pairs(t)`: the `__pairs` metamethod when there is one (Lua 5.3), else `orderedNext, t, nil`. */
export function orderedPairs(L: LuaState): number {
  lauxlib.luaL_checkany(L, 1);
  if (lua.lua_getmetatable(L, 1)) {
    const type = lua.lua_getfield(L, -1, "__pairs");
    if (type !== lua.LUA_TNIL) {
      lua.lua_pushvalue(L, 1);
      lua.lua_call(L, 1, 3);
      return 3;
    }
    lua.lua_pop(L, 2);
  }
  lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
  lua.lua_pushjsfunction(L, orderedNext);
  lua.lua_pushvalue(L, 1);
  lua.lua_pushnil(L);
  return 3;
}
