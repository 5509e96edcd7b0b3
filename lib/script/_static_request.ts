/**
 * Proves a `request()` hook static, so a thread can send what it returns without running it per batch. A hook
 * whose whole body is `return <upvalue>` (a local of the script's top level, as in `bench/pipeline16.lua`) or
 * `return "<constant>"` runs no code that can be observed: reading its upvalue's current value gives exactly
 * what a call would return, including after `init()`, `response()` or `delay()` assigned that local. Calling it
 * anyway costs a protected call through fengari's VM per batch, and makes V8 compile that VM hot in every
 * worker (docs/benchmarks.md#pipelined-plaintext-and--t8--c400-2026-12-06).
 *
 * Anything else (another shape, a value that is not a non-empty string, a debug hook installed) answers null,
 * and the caller calls the hook as before. fengari is pinned (0.1.5); `tests/script/static_request_test.ts`
 * checks which hooks qualify and that the values read are the calls' results.
 *
 * @module
 */

import { lua, type LuaState, REGISTRY } from "./fengari/_lua.ts";
import type { TString, TValue } from "./fengari/_direct.ts";
import type { Instruction } from "./fengari/_internals.d.ts";
import { ops } from "./fengari/_bytecode.ts";

const { OP_LOADK, OP_GETUPVAL, OP_RETURN } = ops;

/** fengari's `Proto` and `LClosure`, as far as read here. */
interface Closure {
  p: { code: Instruction[]; k: TValue[] };
  upvals: TValue[];
}

/** Reads a proven-static `request()` hook's current result. */
export interface StaticRequest {
  /** The bytes a call would return now, or null when a call is needed (a hook set, not a non-empty string). */
  read(): Uint8Array | null;
}

/**
 * The reader for the hook at registry reference `hookRef`, or null when the hook is not `return <upvalue>` or
 * `return <string constant>`.
 */
export function staticRequest(L: LuaState, hookRef: number): StaticRequest | null {
  lua.lua_rawgeti(L, REGISTRY, hookRef);
  const isLuaFunction = lua.lua_type(L, -1) === lua.LUA_TFUNCTION && lua.lua_tocfunction(L, -1) === null;
  const closure = isLuaFunction ? lua.lua_topointer(L, -1) as unknown as Closure : null;
  lua.lua_pop(L, 1);
  const cell = closure === null ? null : returnedCell(closure);
  return cell === null ? null : new CellReader(L, cell);
}

/** The value cell `return x` reads: an upvalue's (shared with the scope that owns it) or a constant's. */
function returnedCell(closure: Closure): TValue | null {
  const code = closure.p.code;
  // luac ends every function with `RETURN 0 1`, after the body's own `RETURN 0 2` (one result, from R0).
  if (code.length !== 3) return null;
  const [load, ret, end] = code;
  if (ret.opcode !== OP_RETURN || ret.A !== 0 || ret.B !== 2) return null;
  if (end.opcode !== OP_RETURN || end.B !== 1) return null;
  if (load.A !== 0) return null;
  if (load.opcode === OP_GETUPVAL) return closure.upvals[load.B] ?? null;
  if (load.opcode === OP_LOADK) return closure.p.k[load.Bx] ?? null;
  return null;
}

class CellReader implements StaticRequest {
  readonly #L: LuaState & { hookmask?: number };
  readonly #cell: TValue;
  /** The string last read and its bytes: a Lua string's bytes never change. */
  #string: TString | null = null;
  #bytes: Uint8Array = new Uint8Array(0);

  constructor(L: LuaState, cell: TValue) {
    this.#L = L;
    this.#cell = cell;
  }

  read(): Uint8Array | null {
    // A debug hook (`debug.sethook`) would see the call: let it happen.
    if (this.#L.hookmask) return null;
    const cell = this.#cell;
    if ((cell.type & 0x0f) !== lua.LUA_TSTRING) return null;
    const string = cell.value as TString;
    if (string !== this.#string) {
      this.#string = string;
      this.#bytes = string.realstring;
    }
    return this.#bytes.length === 0 ? null : this.#bytes;
  }
}
