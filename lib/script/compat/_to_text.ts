/**
 * `tostring()` with LuaJIT's number spelling, shared by `print`, `io.write`, `tostring`, `string.format` and
 * `wrk.format`.
 *
 * @module
 */

import { lauxlib, lua, luaBytes, type LuaState } from "../fengari/_lua.ts";
import { asciiBytes } from "../fengari/_fast_paths.ts";
import { formatNumber } from "../fengari/_number_text.ts";

/** Small integers are by far the most common numbers printed or put in headers: keep their bytes. */
const SMALL_INTEGERS: Uint8Array[] = Array.from({ length: 1024 }, (_, i) => luaBytes(String(i)));

/** The bytes of a number as LuaJIT's `tostring` spells it. */
export function numberBytes(n: number): Uint8Array {
  if (n >= 0 && n < 1024 && Number.isInteger(n) && !Object.is(n, -0)) return SMALL_INTEGERS[n];
  return asciiBytes(formatNumber(n));
}

/**
 * The value at `idx` as text, like `tostring` (so `__tostring` is honoured) but with LuaJIT's number spelling.
 * May raise a Lua error (from `__tostring`); leaves the stack as it was.
 */
export function toText(L: LuaState, idx: number): Uint8Array {
  const type = lua.lua_type(L, idx);
  if (type === lua.LUA_TSTRING) return lua.lua_tolstring(L, idx) as Uint8Array;
  if (type === lua.LUA_TNUMBER) return numberBytes(lua.lua_tonumberx(L, idx) as number);
  const text = lauxlib.luaL_tolstring(L, idx);
  lua.lua_pop(L, 1);
  return text;
}

/** `tostring(v)` for Lua: numbers spelled as LuaJIT does, everything else as before. */
export function luaTostring(L: LuaState): number {
  lauxlib.luaL_checkany(L, 1);
  if (lua.lua_type(L, 1) === lua.LUA_TNUMBER) {
    lua.lua_pushstring(L, numberBytes(lua.lua_tonumberx(L, 1) as number));
  } else {
    lauxlib.luaL_tolstring(L, 1);
  }
  return 1;
}
