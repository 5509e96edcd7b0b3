/**
 * Copying Lua values between states (`thread:get`/`thread:set`, docs/wrk-compat.md#copying-values-between-states) through a structured-clone-able form,
 * so they can cross a worker boundary with `postMessage`.
 *
 * @module
 */

import { lua, type LuaState } from "./fengari/_lua.ts";

/**
 * A Lua value in transit. Lua strings read from a state are always `Uint8Array` (they may be binary); either a
 * `Uint8Array` or a JS string (written as UTF-8) can be pushed. Tables are lists of key/value pairs, in
 * iteration order, and may nest.
 */
export type TransferValue =
  | null
  | boolean
  | number
  | string
  | Uint8Array
  | { table: [TransferValue, TransferValue][] };

/** A value that cannot be copied to another state (function, userdata, coroutine, cyclic table). */
export class TransferError extends TypeError {
  /** Creates the error with wrk's message text. */
  constructor(message: string) {
    super(message);
    this.name = "TransferError";
  }
}

/** Deep enough for any real data; deeper means a runaway structure, and JS recursion would overflow. */
const MAX_DEPTH = 200;

/**
 * Reads the value at `idx` into a {@linkcode TransferValue}. The value is not changed and the stack is left
 * as it was, also when this throws.
 *
 * @throws {TransferError} `cannot transfer '<type>' to thread` for functions, userdata and coroutines, and
 *   for a table that contains itself.
 *
 * @example Copying a global out of a state
 * ```ts ignore
 * lua.lua_getglobal(L, "id");
 * const value = readTransfer(L, -1);
 * lua.lua_pop(L, 1);
 * ```
 */
export function readTransfer(L: LuaState, idx: number): TransferValue {
  return read(L, lua.lua_absindex(L, idx), new Set(), 0);
}

function read(L: LuaState, idx: number, open: Set<unknown>, depth: number): TransferValue {
  const type = lua.lua_type(L, idx);
  switch (type) {
    case lua.LUA_TNIL:
    case lua.LUA_TNONE:
      return null;
    case lua.LUA_TBOOLEAN:
      return lua.lua_toboolean(L, idx);
    case lua.LUA_TNUMBER:
      return lua.lua_tonumberx(L, idx) as number;
    case lua.LUA_TSTRING: {
      const bytes = lua.lua_tolstring(L, idx) as Uint8Array;
      // A view into a bigger buffer would clone the whole buffer in postMessage: give it its own.
      return bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
    }
    case lua.LUA_TTABLE:
      return readTable(L, idx, open, depth);
    default:
      throw new TransferError(`cannot transfer '${typeNameOf(type)}' to thread`);
  }
}

function readTable(L: LuaState, idx: number, open: Set<unknown>, depth: number): TransferValue {
  const identity = lua.lua_topointer(L, idx);
  if (open.has(identity)) throw new TransferError("cannot transfer a table that contains itself to thread");
  if (depth >= MAX_DEPTH) throw new TransferError("cannot transfer a table nested this deep to thread");
  open.add(identity);
  const pairs: [TransferValue, TransferValue][] = [];
  lua.lua_checkstack(L, 3);
  const base = lua.lua_gettop(L);
  lua.lua_pushnil(L);
  try {
    while (lua.lua_next(L, idx)) {
      pairs.push([read(L, base + 1, open, depth + 1), read(L, base + 2, open, depth + 1)]);
      lua.lua_pop(L, 1);
    }
  } catch (error) {
    // lua_next left the key on the stack: drop it so the caller's stack is as it was.
    lua.lua_settop(L, base);
    throw error;
  }
  // Shared (non-cyclic) subtables are fine: they are copied once per reference.
  open.delete(identity);
  return { table: pairs };
}

function typeNameOf(type: number): string {
  switch (type) {
    case lua.LUA_TFUNCTION:
      return "function";
    case lua.LUA_TUSERDATA:
    case lua.LUA_TLIGHTUSERDATA:
      return "userdata";
    case lua.LUA_TTHREAD:
      return "thread";
    default:
      return "unknown";
  }
}

/**
 * Pushes a {@linkcode TransferValue} onto the stack. Whole numbers that fit a fengari integer (32-bit) are
 * pushed as integers so `print(id)` shows `1`, not `1.0`; other numbers as floats.
 *
 * @example Setting a global from a transferred value
 * ```ts ignore
 * pushTransfer(L, { table: [[1, "a"], [2, "b"]] });
 * lua.lua_setglobal(L, "list");
 * ```
 */
export function pushTransfer(L: LuaState, value: TransferValue): void {
  push(L, value, 0);
}

function push(L: LuaState, value: TransferValue, depth: number): void {
  if (value === null || value === undefined) {
    lua.lua_pushnil(L);
  } else if (typeof value === "boolean") {
    lua.lua_pushboolean(L, value);
  } else if (typeof value === "number") {
    pushNumber(L, value);
  } else if (typeof value === "string" || value instanceof Uint8Array) {
    lua.lua_pushstring(L, value);
  } else {
    if (depth >= MAX_DEPTH) throw new TransferError("cannot transfer a table nested this deep to thread");
    lua.lua_checkstack(L, 3);
    lua.lua_createtable(L, 0, value.table.length);
    for (const [key, item] of value.table) {
      // Lua tables hold no nil (or NaN) keys and no nil values: such pairs cannot come from a state.
      if (key === null || item === null || Number.isNaN(key)) continue;
      push(L, key, depth + 1);
      push(L, item, depth + 1);
      lua.lua_rawset(L, -3);
    }
  }
}

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/** Pushes an integer when `n` is whole and fits fengari's 32-bit integers, else a float. */
export function pushNumber(L: LuaState, n: number): void {
  if (Number.isInteger(n) && n >= INT_MIN && n <= INT_MAX && !Object.is(n, -0)) lua.lua_pushinteger(L, n);
  else lua.lua_pushnumber(L, n);
}
