/**
 * Case-insensitive lookups in `response()`'s header table. wrk scripts index it with the names HTTP/1.1
 * servers usually send (`headers["Content-Type"]`), but HTTP/2 sends every name lower-case (RFC 9113 §8.2)
 * and HTTP/1.1 servers spell names as they like (field names are case-insensitive, RFC 9110 §5.1). The table
 * keeps the names exactly as received, so `pairs()` gives what wrk gives; a lookup that misses the exact name
 * goes to the `__index` of one metatable shared by every header table of the state, which looks for the name
 * in any case.
 *
 * The hot path gains one field store per response (the sink sets the metatable directly, as
 * `lua_setmetatable` does); a lookup of the exact name costs what it did, and only a miss (another case, or
 * an absent header) pays, for its scan (docs/benchmarks.md#scripts). The interpreter does that scan itself
 * when the table's metatable's `__index` is still this module's function and no call hook is set
 * (`vmIntrinsics.headerIndex`, `fengari/_vm.ts`), so that a miss costs no Lua call either; a script that
 * replaces `__index` or the metatable gets what it set, and `rawget` and `pairs` never see the lookup.
 *
 * @module
 */

import { lua, type LuaState, ref } from "./fengari/_lua.ts";
import { baseType, type Table, type TString, type TValue } from "./fengari/_direct.ts";
import { vmIntrinsics } from "./fengari/_vm.ts";

const A = 65;
const Z = 90;

/**
 * Creates the header tables' metatable in this state and keeps it in the registry for the state's life.
 * Call once per state; set the returned table as each header table's `metatable`.
 */
export function newHeaderMetatable(L: LuaState): Table {
  lua.lua_createtable(L, 0, 1);
  lua.lua_pushjsfunction(L, indexIgnoringCase);
  lua.lua_setfield(L, -2, "__index");
  const metatable = lua.lua_topointer(L, -1) as Table;
  ref(L);
  return metatable;
}

/**
 * `__index(headers, key)`, reached only when `rawget(headers, key)` is nil: the value of the first name equal
 * to `key` ignoring ASCII case, or nothing (nil) when there is none or `key` is not a string. The interpreter
 * answers most of these reads itself with {@linkcode findIgnoringCase}, without the call (`headerIndex` in
 * `fengari/_vm.ts`, registered below).
 */
function indexIgnoringCase(L: LuaState): number {
  if (lua.lua_type(L, 2) !== lua.LUA_TSTRING || lua.lua_type(L, 1) !== lua.LUA_TTABLE) return 0;
  const key = lua.lua_tolstring(L, 2) as Uint8Array;
  const value = findIgnoringCase(lua.lua_topointer(L, 1) as Table, key);
  if (value === undefined) return 0;
  pushValue(L, value);
  return 1;
}

/** The value of `table`'s first string key equal to `key` ignoring ASCII case, in insertion order. */
function findIgnoringCase(table: Table, key: Uint8Array): TValue | undefined {
  for (let entry = table.f; entry !== undefined; entry = entry.n) {
    // Removed entries stay in the list with a dead key, which is not a string.
    if (baseType(entry.key) !== lua.LUA_TSTRING) continue;
    const name = entry.key.value as TString;
    if (equalIgnoringCase(name.realstring, key)) return entry.value;
  }
  return undefined;
}

vmIntrinsics.headerIndex = { fn: indexIgnoringCase, find: findIgnoringCase };

/** Pushes a copy of a table entry's value (what `lua_rawget` ends with, without looking the key up again). */
function pushValue(L: LuaState, value: TValue): void {
  lua.lua_pushnil(L);
  const state = L as unknown as { stack: { setfrom(from: TValue): void }[]; top: number };
  state.stack[state.top - 1].setfrom(value);
}

/** Are `a` and `b` the same bytes, ASCII letters compared without case? */
function equalIgnoringCase(a: Uint8Array, b: Uint8Array): boolean {
  const length = a.length;
  if (length !== b.length) return false;
  for (let i = 0; i < length; i++) {
    let x = a[i];
    let y = b[i];
    if (x === y) continue;
    if (x >= A && x <= Z) x |= 0x20;
    if (y >= A && y <= Z) y |= 0x20;
    if (x !== y) return false;
  }
  return true;
}
