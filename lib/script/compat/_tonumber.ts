/**
 * `tonumber(s, base)` as LuaJIT's: the whole value of the digits (a double beyond 32 bits, where fengari kept
 * their low 32 bits: `tonumber("ffffffff", 16)` was -1), and nil for a digit the base does not have (fengari
 * stopped at it: `tonumber("12", 2)` was 1). Within 32 bits the result is an integer, as fengari's. Without a
 * base, `tonumber` is fengari's own (its numerals beyond 32 bits are read by `_integer_overflow_patch.ts`).
 *
 * @module
 */

import { lauxlib, lua, type LuaJsFunction, type LuaState } from "../fengari/_lua.ts";
import { valueInBase } from "../fengari/_numerals.ts";

/** `tonumber([v [, base]])`, with fengari's `original` for the call without a base. */
export function makeTonumber(original: LuaJsFunction): LuaJsFunction {
  return (L: LuaState) => {
    if (lua.lua_type(L, 2) <= 0) return original(L);
    const base = lauxlib.luaL_checkinteger(L, 2);
    lauxlib.luaL_checktype(L, 1, lua.LUA_TSTRING);
    if (base < 2 || base > 36) lauxlib.luaL_argerror(L, 2, "base out of range");
    const value = valueInBase(lua.lua_tolstring(L, 1) as Uint8Array, base);
    if (value === null) lua.lua_pushnil(L);
    else if ((value | 0) === value) lua.lua_pushinteger(L, value);
    else lua.lua_pushnumber(L, value);
    return 1;
  };
}
