/**
 * Does a script need its main Lua state (docs/wrk-compat.md#lua-states)? wrk runs the script's top level once
 * more there, and calls `setup()` and `done()` in it; the main thread's state costs loading fengari and
 * building a state (docs/benchmarks.md#start-up-cost), on every run. Without `setup`, `done` and `delay` (whose
 * presence the main state answers for `-R`), nothing ever runs in it after its top level, so only that top level
 * could be seen: what it prints or writes, an error it raises.
 *
 * Answered from the main chunk's bytecode, after a thread state ran it: the main state is not needed when the
 * top level is straight-line code that calls nothing and cannot fail differently there. Allowed are constants,
 * moves, closures (made, not called), new tables and their constructors, reads and writes of globals by a
 * constant name, and reads and writes by a constant key of tables known to be plain: a table the chunk made, the
 * `wrk` table and `wrk.headers` (as long as the chunk has not replaced them). No call, operator, comparison, jump
 * or loop, so no metamethod, and nothing reads a value that differs between the two states in a way that
 * matters: a value (`wrk.thread` is one, absent in the main state) is only moved or stored. The thread state ran
 * the same code without error, so the main state would have too; and the globals it defines are not `setup`,
 * `done` or `delay`. `tests/script/main_state_needed_test.ts` checks which chunks qualify.
 *
 * @module
 */

import { jsText, lua, type LuaState, REGISTRY } from "./fengari/_lua.ts";
import type { TString } from "./fengari/_direct.ts";
import { BITRK, ops, type Proto, protoAt } from "./fengari/_bytecode.ts";

/** The globals whose definition needs the main state: the hooks it calls, and `delay` (see above). */
const MAIN_STATE_HOOKS = new Set(["setup", "done", "delay"]);

/** What a register is known to hold. */
const enum Kind {
  /** Any value: only moved or stored. */
  Value,
  /** A table the chunk made (no metatable: that takes a call). */
  NewTable,
  /** The `wrk` table, as both states make it (no metatable). */
  Wrk,
  /** `wrk.headers`, as both states make it (no metatable). */
  WrkHeaders,
}

/** How often {@linkcode mainStateNeeded} answered false, for tests. */
export const mainStateProbe = { notNeeded: 0 };

/**
 * Whether the main chunk (the Lua function at stack index `idx`, before it runs) needs a main state, by the
 * rules above. True for anything the rules do not cover.
 */
export function mainStateNeeded(L: LuaState, idx: number): boolean {
  const p = protoAt(L, idx);
  if (p === null) return true;
  // Globals with a metatable (none in either state unless a script sets one) could run code on a read or write.
  lua.lua_rawgeti(L, REGISTRY, lua.LUA_RIDX_GLOBALS);
  const globalsHaveMetatable = lua.lua_getmetatable(L, -1);
  lua.lua_pop(L, globalsHaveMetatable ? 2 : 1);
  if (globalsHaveMetatable || !declarative(p)) return true;
  mainStateProbe.notNeeded++;
  return false;
}

/** The constant's text when it is a string, else null. */
function constantString(p: Proto, rk: number): string | null {
  if (rk < BITRK) return null;
  const k = p.k[rk - BITRK];
  if (k === undefined || (k.type & 0x0f) !== lua.LUA_TSTRING) return null;
  return jsText((k.value as TString).realstring);
}

/** Whether `rk` is a constant that can key a table (a string or a number: never nil). */
function constantKey(p: Proto, rk: number): boolean {
  if (rk < BITRK) return false;
  const k = p.k[rk - BITRK];
  const type = k === undefined ? -1 : k.type & 0x0f;
  return type === lua.LUA_TSTRING || (type === lua.LUA_TNUMBER && k.value === k.value);
}

/** Whether the main chunk `p` is straight-line code of the allowed instructions, defining no main-state hook. */
function declarative(p: Proto): boolean {
  const kinds: Kind[] = [];
  const kindOf = (r: number) => kinds[r] ?? Kind.Value;
  let wrkIntact = true;
  let headersIntact = true;
  for (const i of p.code) {
    const { opcode: op, A: a, B: b, C: c } = i;
    switch (op) {
      case ops.OP_MOVE:
        kinds[a] = kindOf(b);
        break;
      case ops.OP_LOADK:
      case ops.OP_LOADKX:
      case ops.OP_GETUPVAL:
      case ops.OP_CLOSURE:
        kinds[a] = Kind.Value;
        break;
      case ops.OP_LOADBOOL:
        if (c !== 0) return false; // skips the next instruction: a jump
        kinds[a] = Kind.Value;
        break;
      case ops.OP_LOADNIL:
        for (let r = a; r <= a + b; r++) kinds[r] = Kind.Value;
        break;
      case ops.OP_NEWTABLE:
        kinds[a] = Kind.NewTable;
        break;
      case ops.OP_SETLIST:
        // A constructor's list part into its new table; B = 0 (up to the top) follows a call or `...`.
        if (kindOf(a) !== Kind.NewTable || b === 0) return false;
        break;
      case ops.OP_EXTRAARG:
      case ops.OP_RETURN:
        break;
      case ops.OP_GETTABUP: {
        // R(A) := _ENV[K]: the main chunk's only upvalue is _ENV.
        const name = b === 0 ? constantString(p, c) : null;
        if (name === null) return false;
        kinds[a] = name === "wrk" && wrkIntact ? Kind.Wrk : Kind.Value;
        break;
      }
      case ops.OP_SETTABUP: {
        // _ENV[K] := RK(C)
        const name = a === 0 ? constantString(p, b) : null;
        if (name === null || MAIN_STATE_HOOKS.has(name)) return false;
        if (name === "wrk") wrkIntact = false;
        break;
      }
      case ops.OP_GETTABLE: {
        // R(A) := R(B)[RK(C)]
        const table = kindOf(b);
        if (table === Kind.Value || !constantKey(p, c)) return false;
        const headers = table === Kind.Wrk && headersIntact && constantString(p, c) === "headers";
        kinds[a] = headers ? Kind.WrkHeaders : Kind.Value;
        break;
      }
      case ops.OP_SETTABLE: {
        // R(A)[RK(B)] := RK(C)
        const table = kindOf(a);
        if (table === Kind.Value || !constantKey(p, b)) return false;
        if (table === Kind.Wrk && constantString(p, b) === "headers") headersIntact = false;
        break;
      }
      default:
        return false; // calls, operators, comparisons, jumps, loops, `...`, upvalue stores
    }
  }
  return true;
}
