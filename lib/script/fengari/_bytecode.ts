/**
 * What the checks that read a Lua function's bytecode share (`_kept_arguments.ts`, `../_static_request.ts`,
 * `../_main_state_needed.ts`): fengari's opcode numbers, the RK constant bit, fengari's `Proto` as far as they
 * read it, and the prototype of the Lua function at a stack index.
 *
 * @module
 */
import { lua, type LuaState } from "./_lua.ts";
import type { TValue } from "./_direct.ts";
import type { Instruction } from "./_internals.d.ts";
// After `_lua.ts`, which loads fengari: its internal modules only load in its own order.
// @ts-types="./_internals.d.ts"
import lopcodesModule from "../../../third_party/fengari/src/lopcodes.js";

/** fengari's opcodes (lopcodes.js, Lua 5.3), by name. */
export const ops: Readonly<Record<string, number>> =
  (lopcodesModule as unknown as { OpCodesI: Record<string, number> }).OpCodesI;

/** An RK operand at or above this names a constant, not a register (lopcodes.js `BITRK`). */
export const BITRK = 256;

/** fengari's `Proto`, as far as the bytecode checks read it. */
export interface Proto {
  code: Instruction[];
  k: TValue[];
  p: Proto[];
  upvalues: { instack: boolean; idx: number }[];
  numparams: number;
  is_vararg: boolean;
}

/** The prototype of the Lua function at stack index `idx`; null for anything else (a JS function, a value). */
export function protoAt(L: LuaState, idx: number): Proto | null {
  if (lua.lua_type(L, idx) !== lua.LUA_TFUNCTION || lua.lua_tocfunction(L, idx) !== null) return null;
  const p = (lua.lua_topointer(L, idx) as { p?: Proto } | null)?.p;
  return p === undefined || !Array.isArray(p.code) || !Array.isArray(p.k) ? null : p;
}
