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

const TRUE_TEXT = luaBytes("true");
const FALSE_TEXT = luaBytes("false");
const NIL_TEXT = luaBytes("nil");

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
  if ((type === lua.LUA_TBOOLEAN || type === lua.LUA_TNIL)) {
    if (!lua.lua_getmetatable(L, idx)) {
      return type === lua.LUA_TNIL ? NIL_TEXT : lua.lua_toboolean(L, idx) ? TRUE_TEXT : FALSE_TEXT;
    }
    lua.lua_pop(L, 1);
  }
  const text = lauxlib.luaL_tolstring(L, idx);
  lua.lua_pop(L, 1);
  return text;
}

/**
 * `true`, `false` and `nil` as Lua strings, made once: `luaL_tolstring` spells them through fengari's slowest
 * string conversion (`lua_pushliteral`) on every call, and a JSON encoder calls `tostring` on every boolean.
 */
const literals = new Map<string, TString>();

function pushLiteral(L: LuaState, text: string): void {
  let ts = literals.get(text);
  if (ts === undefined) {
    ts = newString(L, luaBytes(text));
    literals.set(text, ts);
  }
  pushString(L, ts);
}

/** `tostring(v)` for Lua: numbers spelled as LuaJIT does, everything else as before. */
export function luaTostring(L: LuaState): number {
  lauxlib.luaL_checkany(L, 1);
  const type = lua.lua_type(L, 1);
  if (type === lua.LUA_TNUMBER) {
    lua.lua_pushstring(L, numberBytes(lua.lua_tonumberx(L, 1) as number));
  } else if ((type === lua.LUA_TBOOLEAN || type === lua.LUA_TNIL) && !lua.lua_getmetatable(L, 1)) {
    // Without a metatable (`debug.setmetatable` can give booleans one), the text luaL_tolstring gives.
    pushLiteral(L, type === lua.LUA_TNIL ? "nil" : lua.lua_toboolean(L, 1) ? "true" : "false");
  } else {
    if (type === lua.LUA_TBOOLEAN || type === lua.LUA_TNIL) lua.lua_pop(L, 1); // the metatable
    lauxlib.luaL_tolstring(L, 1);
  }
  return 1;
}
