/**
 * Can a Lua function keep one of its arguments once it returns? Answered from the function's bytecode, so
 * that `response()`'s header table can be filled again for the next response instead of made anew (the new
 * table, its `Map` and its entries were 1.6 KB of the 2.2 KB a request and its response allocated:
 * docs/benchmarks.md#the-scripted-case-2026-12-06).
 *
 * An argument stays in the call when the function only ever indexes it (`headers["Content-Type"]`, the table
 * in `GETTABLE`'s B operand) or tests it (`if headers then`), and nothing else reads its register: no
 * `MOVE`, no call, return, store, comparison, arithmetic, concatenation, key use or loop reads it, and no
 * closure captures it. A vararg function without the argument among its named parameters must not use
 * `...`. What the function calls (library functions, metamethods of other values, `__index` of the argument
 * itself) cannot see the argument then, with two exceptions: `debug.getlocal`, which reads any active
 * frame's registers, and `debug.getregistry`, through which a script could replace the `__index` that the
 * header tables share. {@linkcode watchLocalReads} counts their calls ({@linkcode localReadCounter}): the
 * caller stops reusing once one ran at all.
 *
 * @module
 */

import { lua, type LuaState } from "./_lua.ts";
import type { Instruction } from "./_internals.d.ts";
import { BITRK, ops, protoAt } from "./_bytecode.ts";
/** Register ranges that run to the stack's top (`B` = 0 in `CALL`, `RETURN`, `SETLIST`). */
const TO_TOP = Infinity;

/**
 * Whether the Lua function at stack index `idx` cannot keep argument `arg` (1-based) past its return, by
 * the rules above. False for anything that is not a Lua function (a JS function can do anything).
 */
export function argumentStaysInCall(L: LuaState, idx: number, arg: number): boolean {
  const p = protoAt(L, idx);
  if (p === null) return false;
  const register = arg - 1;
  if (register >= p.numparams) {
    // Not a named parameter: dropped on entry, unless the function reads its extra arguments with `...`.
    return !p.is_vararg || !p.code.some((i) => i.opcode === ops.OP_VARARG);
  }
  for (const i of p.code) if (readsRegister(i, register)) return false;
  for (const inner of p.p) {
    for (const uv of inner.upvalues) if (uv.instack && uv.idx === register) return false;
  }
  return true;
}

/** Does `i` read register `r` in a way that could let its value out (see the module's rules)? */
function readsRegister(i: Instruction, r: number): boolean {
  const { opcode: op, A: a, B: b, C: c } = i;
  switch (op) {
    case ops.OP_GETTABLE: // R(A) := R(B)[RK(C)]: indexing R(B) is allowed, using it as the key is not
    case ops.OP_GETTABUP:
      return c === r;
    case ops.OP_TEST:
    case ops.OP_LOADK:
    case ops.OP_LOADKX:
    case ops.OP_LOADBOOL:
    case ops.OP_LOADNIL:
    case ops.OP_GETUPVAL:
    case ops.OP_NEWTABLE:
    case ops.OP_JMP:
    case ops.OP_VARARG:
    case ops.OP_CLOSURE: // captures are checked on the inner prototypes
    case ops.OP_EXTRAARG:
      return false;
    case ops.OP_MOVE:
    case ops.OP_UNM:
    case ops.OP_BNOT:
    case ops.OP_NOT:
    case ops.OP_LEN:
    case ops.OP_TESTSET:
      return b === r;
    case ops.OP_SETUPVAL:
      return a === r;
    case ops.OP_SETTABUP: // UpValue[A][RK(B)] := RK(C)
      return b === r || c === r;
    case ops.OP_SETTABLE: // R(A)[RK(B)] := RK(C): a store into the argument changes what the next call sees
    case ops.OP_SELF: // R(A+1) := R(B)
      return a === r || b === r || c === r;
    case ops.OP_ADD:
    case ops.OP_SUB:
    case ops.OP_MUL:
    case ops.OP_MOD:
    case ops.OP_POW:
    case ops.OP_DIV:
    case ops.OP_IDIV:
    case ops.OP_BAND:
    case ops.OP_BOR:
    case ops.OP_BXOR:
    case ops.OP_SHL:
    case ops.OP_SHR:
    case ops.OP_EQ:
    case ops.OP_LT:
    case ops.OP_LE:
      return (b < BITRK && b === r) || (c < BITRK && c === r);
    case ops.OP_CONCAT:
      return b <= r && r <= c;
    case ops.OP_CALL:
    case ops.OP_TAILCALL:
      return a <= r && r <= (b === 0 ? TO_TOP : a + b - 1);
    case ops.OP_RETURN:
      return a <= r && r <= (b === 0 ? TO_TOP : a + b - 2);
    case ops.OP_SETLIST:
      return a <= r && r <= (b === 0 ? TO_TOP : a + b);
    case ops.OP_FORLOOP:
    case ops.OP_FORPREP:
    case ops.OP_TFORCALL:
    case ops.OP_TFORLOOP:
      return a <= r && r <= a + 3;
    default:
      return true; // an instruction not listed here: assume the worst
  }
}

/** Per global state: how often `debug.getlocal` or `debug.getregistry` ran. */
const localReads = new WeakMap<object, { count: number }>();

function globalOf(L: LuaState): object {
  return (L as unknown as { l_G: object }).l_G;
}

/** The debug functions that reach values no Lua code was given: any active frame's locals, the registry. */
const WATCHED = ["getlocal", "getregistry"] as const;

/**
 * Makes `debug.getlocal` and `debug.getregistry` count their calls (in the `debug` table that
 * `require("debug")` and the global both name), before the script runs. The registry holds the header tables'
 * shared metatable, whose `__index` receives the table. Each replacement calls the original in its own frame,
 * so stack levels read the same.
 */
export function watchLocalReads(L: LuaState): void {
  const g = globalOf(L);
  if (localReads.has(g)) return;
  const watch = { count: 0 };
  const top = lua.lua_gettop(L);
  lua.lua_getglobal(L, "debug");
  const tables = [lua.lua_gettop(L)];
  if (
    lua.lua_getglobal(L, "package") === lua.LUA_TTABLE && lua.lua_getfield(L, -1, "loaded") === lua.LUA_TTABLE
  ) {
    lua.lua_getfield(L, -1, "debug");
    if (!lua.lua_rawequal(L, -1, tables[0])) tables.push(lua.lua_gettop(L));
  }
  let watched = true;
  for (const table of tables) {
    if (lua.lua_type(L, table) !== lua.LUA_TTABLE) continue;
    for (const name of WATCHED) {
      const type = lua.lua_getfield(L, table, name);
      // A light JS function (a closure with upvalues would be an object here), as the debug library's are.
      const original = type === lua.LUA_TFUNCTION ? lua.lua_tocfunction(L, -1) : null;
      lua.lua_pop(L, 1);
      if (type === lua.LUA_TNIL) continue;
      if (typeof original !== "function") {
        watched = false;
        continue;
      }
      lua.lua_pushjsfunction(L, (L1: LuaState) => {
        watch.count++;
        return original(L1);
      });
      lua.lua_setfield(L, table, name);
    }
  }
  lua.lua_settop(L, top);
  // Unwatched (a function that could not be wrapped), `localReadCounter` answers null.
  if (watched) localReads.set(g, watch);
}

/**
 * How often `debug.getlocal` or `debug.getregistry` ran in `L`'s state (`count`, read it each time: it is the
 * live counter), or null when they are not watched: then assume they did.
 */
export function localReadCounter(L: LuaState): { readonly count: number } | null {
  return localReads.get(globalOf(L)) ?? null;
}
