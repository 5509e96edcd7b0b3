/**
 * `tonumber(v, base)` as LuaJIT's (`lib_base.c`): the whole value of the digits (a double beyond 32 bits, where
 * fengari kept their low 32 bits: `tonumber("ffffffff", 16)` was -1), and nil for a digit the base does not
 * have (fengari stopped at it: `tonumber("12", 2)` was 1). Within 32 bits the result is an integer, as
 * fengari's. A number takes the place of its string, as LuaJIT's `lj_lib_checkstr` converts it
 * (`tonumber(10, 16)` is 16; Lua 5.3 raises "string expected, got number"); base 10 is the call without a base,
 * as in LuaJIT (`tonumber(2.5, 10)` is 2.5, `tonumber("0x10", 10)` 16). Without a base, `tonumber` is fengari's
 * own (its numerals beyond 32 bits are read by `_integer_overflow_patch.ts`), and also reads LuaJIT's words for
 * the numbers without digits: `inf`, `infinity` and `nan`, signed or not, in any case (`lj_strscan.c`).
 *
 * @module
 */

import { jsText, lauxlib, lua, type LuaJsFunction, type LuaState } from "../fengari/_lua.ts";
import { valueInBase } from "../fengari/_numerals.ts";
import { toText } from "./_to_text.ts";

/** `tonumber([v [, base]])`, with fengari's `original` for the call without a base. */
export function makeTonumber(original: LuaJsFunction): LuaJsFunction {
  return (L: LuaState) => {
    if (lua.lua_type(L, 2) <= 0) return withNumberWords(L, original);
    const base = lauxlib.luaL_checkinteger(L, 2);
    if (base === 10) {
      lua.lua_settop(L, 1);
      return withNumberWords(L, original);
    }
    // The number spelled as LuaJIT spells it (`10.0` is "10"), as its string conversion gives it.
    if (lua.lua_type(L, 1) !== lua.LUA_TNUMBER) lauxlib.luaL_checktype(L, 1, lua.LUA_TSTRING);
    const digits = toText(L, 1);
    if (base < 2 || base > 36) lauxlib.luaL_argerror(L, 2, "base out of range");
    const value = valueInBase(digits, base);
    if (value === null) lua.lua_pushnil(L);
    else if ((value | 0) === value) lua.lua_pushinteger(L, value);
    else lua.lua_pushnumber(L, value);
    return 1;
  };
}

/** LuaJIT's spellings of the infinities and NaN, blanks around them allowed. */
const NUMBER_WORD = /^[ \t\n\v\f\r]*([-+]?)(inf|infinity|nan)[ \t\n\v\f\r]*$/i;

/** `original(L)`, and where it gives nil for a string, the number LuaJIT reads in it as a word (`"inf"`). */
function withNumberWords(L: LuaState, original: LuaJsFunction): number {
  const results = original(L);
  if (lua.lua_type(L, -1) !== lua.LUA_TNIL || lua.lua_type(L, 1) !== lua.LUA_TSTRING) return results;
  const bytes = lua.lua_tolstring(L, 1)!;
  // The longest word is 9 bytes: a string of more than 64 in all, blanks included, is left as fengari read it.
  if (bytes.length > 64) return results;
  const word = NUMBER_WORD.exec(jsText(bytes));
  if (word === null) return results;
  lua.lua_pop(L, 1);
  lua.lua_pushnumber(L, word[2].toLowerCase() === "nan" ? NaN : word[1] === "-" ? -Infinity : Infinity);
  return 1;
}
