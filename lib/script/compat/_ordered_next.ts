/**
 * `next` and `pairs` that visit the array part (1..#t) first and in order, as LuaJIT does.
 *
 * fengari keeps every table in one insertion-ordered map, and a table constructor stores its list items
 * last-first, so plain `pairs({50, 90, 99})` yields 99, 90, 50: wrk's own `report.lua` would print its
 * percentiles backwards. Other keys keep fengari's insertion order (LuaJIT's is unspecified anyway).
 *
 * @module
 */

import { lauxlib, lua, type LuaState } from "../fengari/_lua.ts";
import { type Entry, keyOf, rawLength, type Table, type TString, type TValue } from "../fengari/_direct.ts";
import { vmIntrinsics } from "../fengari/_vm.ts";
import { LUA_TNUMINT } from "../fengari/_tags.ts";

/** Is the key at `idx` a whole number in 1..`border` (a key of the array part)? */
function isArrayKey(L: LuaState, idx: number, border: number): boolean {
  if (lua.lua_type(L, idx) !== lua.LUA_TNUMBER) return false;
  const n = lua.lua_tonumberx(L, idx) as number;
  return n >= 1 && n <= border && Number.isInteger(n);
}

/**
 * Each table's array border when its current traversal started (`next(t, nil)`). Deleting fields during a
 * traversal (which Lua allows) moves the border; the traversal must keep the one it started with, or it would
 * take visited list items for other keys and the other keys for list items.
 */
const borders = new WeakMap<object, number>();

/**
 * The table of the last border read or set, and its border, in front of `borders`: the steps of one traversal
 * follow each other, and comparing one reference costs less than a `WeakMap` lookup. Forgotten when a
 * traversal ends; a loop left early (`break`) leaves its table here until the next traversal, one table kept
 * alive at most.
 */
let lastTable: object | null = null;
let lastBorder = 0;

/** How often a traversal's border was found in front of `borders` (for tests). */
export const borderProbe = { lastTableHits: 0 };

/** The border `table`'s current traversal started with, if one was recorded. */
function borderOf(table: object): number | undefined {
  if (table !== lastTable) return borders.get(table);
  borderProbe.lastTableHits++;
  return lastBorder;
}

/** Records the border of `table`'s traversal (in `borders` and in front of it). */
function setBorder(table: object, border: number): void {
  borders.set(table, border);
  lastTable = table;
  lastBorder = border;
}

/** `next(t [, k])`. */
export function orderedNext(L: LuaState): number {
  lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
  lua.lua_settop(L, 2);
  const table = lua.lua_topointer(L, 1) as object;
  const starting = lua.lua_type(L, 2) === lua.LUA_TNIL;
  let border = starting ? undefined : borderOf(table);
  if (border === undefined) {
    border = lua.lua_rawlen(L, 1);
    setBorder(table, border);
  }
  let start = -1;
  if (starting) start = 1;
  else if (isArrayKey(L, 2, border)) start = (lua.lua_tonumberx(L, 2) as number) + 1;
  if (start > 0) {
    for (let i = start; i <= border; i++) {
      if (lua.lua_rawgeti(L, 1, i) !== lua.LUA_TNIL) {
        lua.lua_pushinteger(L, i);
        lua.lua_insert(L, -2);
        return 2;
      }
      lua.lua_pop(L, 1);
    }
    // The array part is done: go on with the other keys from the start.
    lua.lua_pushnil(L);
    lua.lua_replace(L, 2);
  }
  while (lua.lua_next(L, 1)) {
    if (!isArrayKey(L, -2, border)) return 2;
    lua.lua_pop(L, 1);
  }
  if (lastTable === table) lastTable = null;
  lua.lua_pushnil(L);
  return 1;
}

/** A number key of the array part, as {@linkcode isArrayKey} reads one on the stack. */
function isArrayKeyValue(key: TValue, border: number): boolean {
  if ((key.type & 0x0f) !== lua.LUA_TNUMBER) return false;
  const n = key.value as number;
  return n >= 1 && n <= border && Number.isInteger(n);
}

/** fengari's table hash of a key (ltable.js `table_hash`) for the kinds read here; undefined for the others. */
function hashOf(key: TValue): unknown {
  switch (key.type & 0x0f) {
    case lua.LUA_TSTRING:
      return keyOf(key.value as TString);
    case lua.LUA_TNUMBER:
    case lua.LUA_TBOOLEAN:
    case lua.LUA_TTABLE:
    case lua.LUA_TFUNCTION:
    case lua.LUA_TUSERDATA:
    case lua.LUA_TTHREAD:
      return key.value;
    default:
      return undefined; // light userdata: hashed in several ways by fengari
  }
}

/**
 * One step of `for k, v in pairs(t)` for the interpreter (`vmIntrinsics.next` of `_vm.ts`), without a call:
 * what {@linkcode orderedNext} returns for `t` (at `table`) and the key at `control`, read from the table
 * directly, written to the loop's slots (`wanted` of them from `first`). Returns false, having changed
 * nothing the call would not change the same way, for a key it does not handle here (one deleted during the
 * traversal, which fengari finds among its dead keys; a light userdata): the interpreter then calls.
 */
function orderedNextStep(
  tableValue: TValue,
  control: TValue,
  slots: TValue[],
  first: number,
  wanted: number,
): boolean {
  const table = tableValue.value as Table;
  const starting = control.type === lua.LUA_TNIL;
  let border = starting ? undefined : borderOf(table);
  let entry: Entry | undefined;
  if (!starting && !isArrayKeyValue(control, border ?? rawLength(table))) {
    // Find the key before anything changes: a key not among the live ones goes to fengari's lua_next.
    const hash = hashOf(control);
    if (hash === undefined) return false;
    const current = table.strong.get(hash);
    if (current === undefined) return false;
    entry = current.n;
  }
  if (border === undefined) {
    border = rawLength(table);
    setBorder(table, border);
  }
  if (entry === undefined && (starting || isArrayKeyValue(control, border))) {
    for (let i = starting ? 1 : (control.value as number) + 1; i <= border; i++) {
      const found = table.strong.get(i);
      if (found !== undefined && found.value.type !== lua.LUA_TNIL) {
        const key = slots[first];
        key.type = LUA_TNUMINT;
        key.value = i;
        return setResults(found.value, slots, first, wanted);
      }
    }
    entry = table.f; // the array part is done: the other keys from the start
  }
  for (; entry !== undefined; entry = entry.n) {
    if (!isArrayKeyValue(entry.key, border)) {
      slots[first].setfrom(entry.key);
      return setResults(entry.value, slots, first, wanted);
    }
  }
  for (let j = 0; j < wanted; j++) slots[first + j].setnilvalue();
  if (lastTable === table) lastTable = null;
  return true;
}

/** The value after the key already in `slots[first]`, then nils up to `wanted` results. */
function setResults(value: TValue, slots: TValue[], first: number, wanted: number): true {
  if (wanted >= 2) slots[first + 1].setfrom(value);
  for (let j = 2; j < wanted; j++) slots[first + j].setnilvalue();
  return true;
}

vmIntrinsics.next = { fn: orderedNext, step: orderedNextStep };

/** `pairs(t)`: the `__pairs` metamethod when there is one (Lua 5.3), else `orderedNext, t, nil`. */
export function orderedPairs(L: LuaState): number {
  lauxlib.luaL_checkany(L, 1);
  if (lua.lua_getmetatable(L, 1)) {
    const type = lua.lua_getfield(L, -1, "__pairs");
    if (type !== lua.LUA_TNIL) {
      lua.lua_pushvalue(L, 1);
      lua.lua_call(L, 1, 3);
      return 3;
    }
    lua.lua_pop(L, 2);
  }
  lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
  lua.lua_pushjsfunction(L, orderedNext);
  lua.lua_pushvalue(L, 1);
  lua.lua_pushnil(L);
  return 3;
}
