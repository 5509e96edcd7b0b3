/**
 * `tonumber(s, base)` as LuaJIT's: the whole value of the digits (a double beyond 32 bits, where fengari kept
 * their low 32 bits: `tonumber("ffffffff", 16)` was -1), and nil for a digit the base does not have (fengari
 * stopped at it: `tonumber("12", 2)` was 1). Within 32 bits the result is an integer, as fengari's. Without a
 * base, `tonumber` is fengari's own (its numerals beyond 32 bits are read by `_integer_overflow_patch.ts`).
 *
 * @module
 */

import { lauxlib, lua, type LuaJsFunction, type LuaState } from "../fengari/_lua.ts";

/** ASCII whitespace as Lua's `isspace`: space, \t, \n, \v, \f, \r. */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** A digit's value in bases up to 36 (`0`–`9`, `a`–`z` in either case), or 36 for anything else. */
function digitValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x7a ? lower - 0x57 : 36;
}

/** The value of `text` in `base`: optional spaces, a sign, at least one digit, optional spaces; else null. */
export function valueInBase(text: Uint8Array, base: number): number | null {
  let i = 0;
  while (i < text.length && isSpace(text[i])) i++;
  const negative = text[i] === 0x2d;
  if (negative || text[i] === 0x2b) i++;
  const first = i;
  let value = 0;
  for (; i < text.length && !isSpace(text[i]); i++) {
    const digit = digitValue(text[i]);
    if (digit >= base) return null;
    value = value * base + digit;
  }
  if (i === first) return null;
  while (i < text.length && isSpace(text[i])) i++;
  if (i !== text.length) return null;
  return negative ? -value : value;
}

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
