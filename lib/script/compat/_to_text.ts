/**
 * `tostring()` with LuaJIT's number spelling, shared by `print`, `io.write`, `tostring`, `string.format` and
 * `wrk.format`.
 *
 * @module
 */

import { lauxlib, lua, luaBytes, type LuaState } from "../fengari/_lua.ts";
import { asciiBytes } from "../fengari/_fast_paths.ts";
import { newString, pushString, type TString } from "../fengari/_direct.ts";
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
  const literal = literalAt(L, idx, type);
  if (literal !== null) return literal.realstring;
  const text = lauxlib.luaL_tolstring(L, idx);
  lua.lua_pop(L, 1);
  return text;
}

/** The text of `nil`, `false` and `true` (by {@linkcode literalAt}'s index), and their Lua strings once made. */
const LITERALS = ["nil", "false", "true"] as const;
const literals: (TString | undefined)[] = [];

/**
 * The text `luaL_tolstring` gives the nil or boolean at `idx` (of `type`), as a Lua string made once, or null for
 * other types and for a nil or boolean with a metatable (`debug.setmetatable` can give them one, and its
 * `__tostring`): `luaL_tolstring` spells them through fengari's slowest string conversion (`lua_pushliteral`)
 * on every call, and a JSON encoder calls `tostring` on every boolean.
 */
function literalAt(L: LuaState, idx: number, type: number): TString | null {
  if (type !== lua.LUA_TBOOLEAN && type !== lua.LUA_TNIL) return null;
  if (lua.lua_getmetatable(L, idx)) {
    lua.lua_pop(L, 1);
    return null;
  }
  const which = type === lua.LUA_TNIL ? 0 : lua.lua_toboolean(L, idx) ? 2 : 1;
  return literals[which] ??= newString(L, luaBytes(LITERALS[which]));
}

/** `tostring(v)` for Lua: numbers spelled as LuaJIT does, everything else as before. */
export function luaTostring(L: LuaState): number {
  lauxlib.luaL_checkany(L, 1);
  const type = lua.lua_type(L, 1);
  if (type === lua.LUA_TNUMBER) {
    lua.lua_pushstring(L, numberBytes(lua.lua_tonumberx(L, 1) as number));
  } else {
    const literal = literalAt(L, 1, type);
    if (literal !== null) pushString(L, literal);
    else lauxlib.luaL_tolstring(L, 1);
  }
  return 1;
}
