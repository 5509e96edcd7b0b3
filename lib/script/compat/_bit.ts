/**
 * LuaJIT's `bit` module (http://bitop.luajit.org/api.html) on JS int32 operators, which have exactly its
 * semantics once arguments are normalised the way LuaJIT's `tobit` does.
 *
 * @module
 */

import { lauxlib, lua, luaBytes, type LuaJsFunction, type LuaState } from "../fengari/_lua.ts";

const scratch = new Float64Array(1);
const scratchWords = new Int32Array(scratch.buffer);
/** 2^52 + 2^51: adding it puts the integer part of a number in the low 32 bits of the double (LuaJIT's trick). */
const TOBIT_BIAS = 6755399441055744;
/** Index of the low word of a double in the platform's byte order. */
const LOW_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;

/** LuaJIT's `tobit`: rounds to the nearest integer (ties to even) and keeps the low 32 bits, signed. */
export function tobit(n: number): number {
  scratch[0] = n + TOBIT_BIAS;
  return scratchWords[LOW_WORD];
}

function arg(L: LuaState, i: number): number {
  return tobit(lauxlib.luaL_checknumber(L, i));
}

function result(L: LuaState, n: number): number {
  lua.lua_pushinteger(L, n | 0);
  return 1;
}

function fold(op: (a: number, b: number) => number): LuaJsFunction {
  return (L: LuaState): number => {
    const n = lua.lua_gettop(L);
    let acc = arg(L, 1);
    for (let i = 2; i <= n; i++) acc = op(acc, arg(L, i));
    return result(L, acc);
  };
}

const LOWER = "0123456789abcdef";
const UPPER = "0123456789ABCDEF";

function tohex(L: LuaState): number {
  let value = arg(L, 1);
  let digits = lua.lua_isnoneornil(L, 2) ? 8 : arg(L, 2);
  let alphabet = LOWER;
  if (digits < 0) {
    digits = -digits;
    alphabet = UPPER;
  }
  if (digits > 8) digits = 8;
  let text = "";
  for (let i = 0; i < digits; i++) {
    text = alphabet[value & 15] + text;
    value >>>= 4;
  }
  lua.lua_pushstring(L, luaBytes(text));
  return 1;
}

const FUNCTIONS: Record<string, LuaJsFunction> = {
  tobit: (L) => result(L, arg(L, 1)),
  tohex,
  bnot: (L) => result(L, ~arg(L, 1)),
  band: fold((a, b) => a & b),
  bor: fold((a, b) => a | b),
  bxor: fold((a, b) => a ^ b),
  lshift: (L) => result(L, arg(L, 1) << arg(L, 2)),
  rshift: (L) => result(L, arg(L, 1) >>> arg(L, 2)),
  arshift: (L) => result(L, arg(L, 1) >> arg(L, 2)),
  rol: (L) => {
    const x = arg(L, 1);
    const n = arg(L, 2) & 31;
    return result(L, (x << n) | (x >>> (32 - n)));
  },
  ror: (L) => {
    const x = arg(L, 1);
    const n = arg(L, 2) & 31;
    return result(L, (x >>> n) | (x << (32 - n)));
  },
  bswap: (L) => {
    const x = arg(L, 1);
    return result(L, (x >>> 24) | ((x >> 8) & 0xff00) | ((x & 0xff00) << 8) | (x << 24));
  },
};

/** Pushes a new `bit` table. */
export function makeBitLibrary(L: LuaState): void {
  lua.lua_createtable(L, 0, Object.keys(FUNCTIONS).length);
  for (const [name, fn] of Object.entries(FUNCTIONS)) {
    lua.lua_pushjsfunction(L, fn);
    lua.lua_setfield(L, -2, name);
  }
}
