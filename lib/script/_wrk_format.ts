/**
 * `wrk.format(method, path, headers, body)` in JS: the same bytes as wrk's Lua version (`wrk.lua`) run on the
 * same table, about 12× faster on fengari (runtime-notes.md). Spec §3.
 *
 * @module
 */

import { lua, luaBytes, type LuaJsFunction, type LuaState, raise, typeName } from "./_lua.ts";
import { toText } from "./_to_text.ts";

const SPACE = luaBytes(" ");
const REQUEST_LINE_END = luaBytes(" HTTP/1.1\r\n");
const COLON = luaBytes(": ");
const CRLF = luaBytes("\r\n");

/** Output is assembled here and copied once into the Lua string. */
let scratch = new Uint8Array(4096);

/**
 * Makes the `wrk.format` function; the `wrk` table must be on top of the stack and becomes its upvalue (as in
 * wrk, where `format` refers to its own module table, not to whatever the global `wrk` is later).
 */
export function pushWrkFormat(L: LuaState): void {
  // The keys are upvalues too: a JS string key would be encoded and hashed again on every call, which was
  // half the cost of wrk.format (fengari hashes a string key by building a hex string of its bytes).
  for (const key of KEYS) lua.lua_pushstring(L, key);
  lua.lua_pushjsclosure(L, wrkFormat, 1 + KEYS.length);
}

const KEYS = ["method", "path", "headers", "body", "Host", "Content-Length"] as const;
const WRK = lua.lua_upvalueindex(1);
/** Upvalue index of each key; fields 0..3 are the arguments' fallbacks, in argument order. */
const KEY = Object.fromEntries(KEYS.map((key, i) => [key, lua.lua_upvalueindex(i + 2)])) as Record<
  typeof KEYS[number],
  number
>;

/** Pushes `t[key]` (metamethods honoured, as Lua's `t.key`) where `t` is at absolute index `table`. */
function getKey(L: LuaState, table: number, key: number): void {
  lua.lua_pushvalue(L, key);
  lua.lua_gettable(L, table);
}

/** `t[key] = <top>` (pops the value) where `t` is at absolute index `table`. */
function setKey(L: LuaState, table: number, key: number): void {
  lua.lua_pushvalue(L, key);
  lua.lua_insert(L, -2);
  lua.lua_settable(L, table);
}

const wrkFormat: LuaJsFunction = (L: LuaState): number => {
  lua.lua_settop(L, 4);
  // `x = x or wrk.x`: nil and false both fall back.
  for (let i = 1; i <= 4; i++) {
    if (!lua.lua_toboolean(L, i)) {
      getKey(L, WRK, lua.lua_upvalueindex(i + 1));
      lua.lua_replace(L, i);
    }
  }
  if (lua.lua_type(L, 3) !== lua.LUA_TTABLE) {
    return raise(L, `bad argument #3 to 'format' (table expected, got ${typeName(L, 3)})`);
  }
  const bodyType = lua.lua_type(L, 4);
  const hasBody = lua.lua_toboolean(L, 4);
  if (hasBody && bodyType !== lua.LUA_TSTRING && bodyType !== lua.LUA_TNUMBER) {
    return raise(L, `bad argument #4 to 'format' (string expected, got ${typeName(L, 4)})`);
  }

  // if not headers["Host"] then headers["Host"] = wrk.headers["Host"] end
  getKey(L, 3, KEY.Host);
  const hasHost = lua.lua_toboolean(L, -1);
  lua.lua_pop(L, 1);
  if (!hasHost) {
    getKey(L, WRK, KEY.headers);
    getKey(L, lua.lua_absindex(L, -1), KEY.Host);
    setKey(L, 3, KEY.Host);
    lua.lua_pop(L, 1);
  }

  // headers["Content-Length"] = body and string.len(body)
  const body = hasBody ? toText(L, 4) : null;
  if (body !== null) lua.lua_pushinteger(L, body.length);
  else lua.lua_pushvalue(L, 4);
  setKey(L, 3, KEY["Content-Length"]);

  const pieces: Uint8Array[] = [toText(L, 1), SPACE, toText(L, 2), REQUEST_LINE_END];
  lua.lua_pushnil(L);
  while (lua.lua_next(L, 3)) {
    pieces.push(toText(L, 5), COLON, toText(L, 6), CRLF);
    lua.lua_pop(L, 1);
  }
  pieces.push(CRLF);
  if (body !== null) pieces.push(body);

  let length = 0;
  for (const piece of pieces) length += piece.length;
  if (scratch.length < length) scratch = new Uint8Array(Math.max(length, scratch.length * 2));
  let offset = 0;
  for (const piece of pieces) {
    scratch.set(piece, offset);
    offset += piece.length;
  }
  lua.lua_pushlstring(L, scratch, length);
  return 1;
};
