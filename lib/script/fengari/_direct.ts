/**
 * Direct access to fengari 0.1.5's table and string objects, for the two per-request paths where going
 * through the C-style API costs more than the work itself: building `response()`'s header table and reading
 * the tables `wrk.format()` formats. Each API step pushes and pops stack slots, re-checks its arguments and
 * re-hashes its key; here a table is a JS `Map` from a key's hash to an entry in an insertion-ordered list,
 * which is all `pairs`/`next` and `t[k]` read.
 *
 * Only raw operations on tables without a metatable belong here (callers check `metatable === null`, or
 * the table is their own fresh one): metamethods need the API. fengari is pinned (0.1.5, locked);
 * `tests/script/fengari/fast_paths_test.ts` checks these helpers against the API.
 *
 * @module
 */

import { lauxlib, lua, type LuaState } from "./_lua.ts";
import { appendEntry } from "./_table_append.ts";
import { tableLength } from "./_table_length.ts";
import { LUA_TLNGSTR, LUA_TNUMFLT, LUA_TNUMINT } from "./_tags.ts";
// After `_lua.ts`, which loads fengari: its internal modules only load in its own order.
// @ts-types="./_internals.d.ts"
import lstring from "../../../third_party/fengari/src/lstring.js";
// @ts-types="./_internals.d.ts"
import lobject from "../../../third_party/fengari/src/lobject.js";
// @ts-types="./_internals.d.ts"
import ltable from "../../../third_party/fengari/src/ltable.js";

/** A Lua string object: its bytes and its table key (computed once, on first use as a key). */
export interface TString {
  realstring: Uint8Array;
  hash: string | null;
}

/** A stack slot or table entry's value (fengari's `TValue` class: its methods are called on entries). */
export interface TValue {
  type: number;
  value: unknown;
  setsvalue(ts: TString): void;
  setfrom(other: TValue): void;
  setnilvalue(): void;
}

/** An entry of a table's insertion-ordered list. */
export interface Entry {
  key: TValue;
  value: TValue;
  p: Entry | undefined;
  n: Entry | undefined;
}

/** A Lua table as fengari keeps it. */
export interface Table {
  strong: Map<unknown, Entry>;
  /** Deleted keys a `next` traversal may still be at (ltable.js). */
  dead_strong: Map<unknown, Entry>;
  dead_weak: WeakMap<object, Entry> | undefined;
  f: Entry | undefined;
  l: Entry | undefined;
  metatable: unknown;
  flags: number;
}

const TValueClass = lobject.TValue as new (type: number, value: unknown) => TValue;

/** The value type without its variant bits (`LUA_TSTRING`, `LUA_TNUMBER`, …). */
export function baseType(value: TValue): number {
  return value.type & 0x0f;
}

/** `#t` without metamethods (`rawlen`): fengari's border search (`luaH_getn`, as `_table_length.ts` does it). */
export function rawLength(table: Table): number {
  return tableLength(table);
}

/** A new Lua string object owning `bytes` (no copy: the caller gives up the array). */
export function newString(L: LuaState, bytes: Uint8Array): TString {
  return lstring.luaS_bless(L, bytes) as TString;
}

/**
 * The string's table key (fengari's `luaS_hashlongstr`, as patched by `_fast_paths.ts`): the one the string
 * keeps once hashed, read without a call.
 */
export function keyOf(ts: TString): string {
  const hash = ts.hash;
  return hash !== null ? hash : lstring.luaS_hashlongstr(ts);
}

/** The table at stack index `idx`, or null when it is not a table. */
export function tableAt(L: LuaState, idx: number): Table | null {
  return lua.lua_type(L, idx) === lua.LUA_TTABLE ? lua.lua_topointer(L, idx) as Table : null;
}

/** `rawget(t, key)` for a string key: the entry's value, or undefined when absent. */
export function rawGetString(table: Table, key: TString): TValue | undefined {
  return table.strong.get(keyOf(key))?.value;
}

/** `rawset(t, key, value)` for a string key and a string value, on a table nobody uses as a metatable yet. */
export function rawSetString(table: Table, key: TString, value: TString): void {
  rawSetScalar(table, key, LUA_TLNGSTR, value);
}

/** `rawset(t, key, n)` for a string key and an integer value, on a table nobody uses as a metatable yet. */
export function rawSetInteger(table: Table, key: TString, n: number): void {
  rawSetScalar(table, key, LUA_TNUMINT, n);
}

/** `rawset(t, key, value)` for a string key and a value of `type` (a string or an integer: no GC object). */
function rawSetScalar(table: Table, key: TString, type: number, value: TString | number): void {
  const hash = keyOf(key);
  // As fengari's lua_rawset: the table's cache of absent metamethods may be stale now.
  table.flags = 0;
  const entry = table.strong.get(hash);
  if (entry !== undefined) {
    // What fengari's `setsvalue`/`setivalue` do.
    entry.value.type = type;
    entry.value.value = value;
    return;
  }
  appendEntry(table, hash, new TValueClass(LUA_TLNGSTR, key), new TValueClass(type, value));
}

/** What a push touches of fengari's `lua_State`. */
interface StackState {
  stack: (TValue | undefined)[];
  top: number;
  ci: { top: number; funcOff: number; func: TValue };
  l_G: { l_registry: TValue };
}

/**
 * Argument `i` (1-based) of the running JS function, its stack slot as it is (read it, do not keep it), or
 * undefined past the arguments given (what the API calls "none").
 */
export function argumentAt(L: LuaState, i: number): TValue | undefined {
  const state = L as unknown as StackState;
  const idx = state.ci.funcOff + i;
  return idx < state.top ? state.stack[idx] : undefined;
}

/**
 * The bytes of argument `i` (1-based) of the running JS function when it is a string, read in its slot; null
 * otherwise (a number, which `luaL_checklstring` converts, a missing argument, another type: the caller then
 * asks the API, which converts or raises).
 */
export function stringArgument(L: LuaState, i: number): Uint8Array | null {
  const value = argumentAt(L, i);
  return value !== undefined && value.type === LUA_TLNGSTR ? (value.value as TString).realstring : null;
}

/** fengari's tag of a JS closure (defs.js `LUA_TCCL`), the only functions with upvalues of their own. */
const LUA_TCCL = lua.LUA_TFUNCTION | (2 << 4);

/** Upvalue `i` (1-based) of the running JS closure, as `lua_upvalueindex(i)` reads it; undefined if none. */
export function upvalueAt(L: LuaState, i: number): TValue | undefined {
  const func = (L as unknown as StackState).ci.func;
  if (func.type !== LUA_TCCL) return undefined;
  return (func.value as { upvalue: TValue[] }).upvalue[i - 1];
}

/**
 * The next stack slot, pushed (its old value left for the caller to set). The slot's object is reused when the
 * stack has one there: above the top nothing else holds it (`_stack_patch.ts`, whose frames reuse them too).
 * Throws as fengari's `api_incr_top` does past the current call's stack space.
 */
function pushSlot(L: LuaState): TValue {
  const state = L as unknown as StackState;
  const top = state.top;
  if (top >= state.ci.top) throw Error("stack overflow");
  let slot = state.stack[top];
  if (slot === undefined) slot = state.stack[top] = new TValueClass(lua.LUA_TNIL, null);
  state.top = top + 1;
  return slot;
}

/** Pushes a copy of `value` (a stack slot or table value), as `lua_pushvalue` does, into a reused slot. */
export function pushValue(L: LuaState, value: TValue): void {
  const slot = pushSlot(L);
  slot.type = value.type;
  slot.value = value.value;
}

/** Pushes an existing Lua string (no copy). */
export function pushString(L: LuaState, ts: TString): void {
  const slot = pushSlot(L);
  slot.type = LUA_TLNGSTR;
  slot.value = ts;
}

/** Pushes integer `n` (the caller checked it is one), as `lua_pushinteger`. */
export function pushInteger(L: LuaState, n: number): void {
  const slot = pushSlot(L);
  slot.type = LUA_TNUMINT;
  slot.value = n;
}

/** Pushes float `n`, as `lua_pushnumber` (into a reused slot, where fengari makes a new one). */
export function pushFloat(L: LuaState, n: number): void {
  const slot = pushSlot(L);
  slot.type = LUA_TNUMFLT;
  slot.value = n;
}

/**
 * Argument `i` (1-based) of the running JS function when it is a number, read in its slot; else what
 * `luaL_checknumber` gives (a numeral string converted) or raises.
 */
export function numberArgument(L: LuaState, i: number): number {
  const value = argumentAt(L, i);
  if (value !== undefined && (value.type & 0x0f) === lua.LUA_TNUMBER) return value.value as number;
  return lauxlib.luaL_checknumber(L, i);
}

/** Pushes an existing table, as `lua_createtable` pushes a new one. */
export function pushTable(L: LuaState, table: Table): void {
  const slot = pushSlot(L);
  slot.type = lua.LUA_TTABLE;
  slot.value = table;
}

/** Pushes `registry[ref]`, as `lua_rawgeti(L, LUA_REGISTRYINDEX, ref)` does. */
export function pushRegistryValue(L: LuaState, ref: number): void {
  const registry = (L as unknown as StackState).l_G.l_registry.value as Table;
  const value = registry.strong.get(ref)?.value;
  const slot = pushSlot(L);
  if (value === undefined) {
    slot.type = lua.LUA_TNIL;
    slot.value = null;
  } else {
    slot.type = value.type;
    slot.value = value.value;
  }
}

/** A new empty table, as `lua_createtable` makes (not pushed). */
export function newTable(L: LuaState): Table {
  return (ltable as unknown as { luaH_new(L: LuaState): Table }).luaH_new(L);
}

/**
 * Empties a table nobody else can see (all its keys gone, its `Map` kept), for a caller refilling its own
 * table with {@linkcode rawSetString}. Each entry is left without a value, as ltable.js `mark_dead` leaves a
 * removed key's: the interpreter may have kept an entry to read again (`getField`, `_vm.ts`).
 */
export function clearOwnTable(table: Table): void {
  for (let entry = table.f; entry !== undefined; entry = entry.n) {
    (entry as { value: TValue | undefined }).value = undefined;
  }
  table.strong.clear();
  table.f = undefined;
  table.l = undefined;
  table.flags = 0;
}

/** The value on top of the stack, its slot as it is (read it, do not keep it); the stack must not be empty. */
export function topValue(L: LuaState): TValue {
  const state = L as unknown as StackState;
  return state.stack[state.top - 1]!;
}

/** Pops the value on top of the stack, as `lua_pop(L, 1)` (the slot keeps its object, set to nil). */
export function popValue(L: LuaState): void {
  const state = L as unknown as StackState;
  if (state.top <= state.ci.funcOff + 1) throw Error("invalid new top");
  const slot = state.stack[--state.top]!;
  slot.type = lua.LUA_TNIL;
  slot.value = null;
}

/** The string object on top of the stack (the caller checked it is a string). */
export function topString(L: LuaState): TString {
  const state = L as unknown as { stack: TValue[]; top: number };
  return state.stack[state.top - 1].value as TString;
}
