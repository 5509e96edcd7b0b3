/**
 * Integer `+`, `-`, `*` and unary `-` whose result leaves 32 bits give the exact float instead of wrapping, as
 * wrk's LuaJIT gives (its numbers are doubles): a script summing `Content-Length`s or counting past 2^31 must
 * not turn negative. fengari's integers are 32-bit and wrap (`2147483647 + 1` was `-2147483648`). Division,
 * `//`, `%` and the bitwise operators keep their integer results (LuaJIT's `bit` library is 32-bit too).
 * Hexadecimal numerals still keep their low 32 bits (`0xffffffff` is -1, docs/lua-api.md): read whole, they
 * would be floats that Lua 5.3's bitwise operators refuse.
 *
 * Two places compute it: the interpreter (`_vm.ts`, the ADD, SUB, MUL and UNM instructions) and fengari's
 * `luaO_arith` (constant folding when a chunk compiles, `lua_arith`), which this module replaces through its
 * module object, as `_number_spelling_patch.ts` replaces `luaO_tostring`. Tests:
 * tests/script/fengari/integer_overflow_test.ts.
 *
 * @module
 */

import { fastPathsInEffect } from "./_fast_paths.ts";
// @ts-types="./_fengari.d.ts"
import fengari from "../../../third_party/fengari/src/fengari.js";
// @ts-types="./_internals.d.ts"
import lobject from "../../../third_party/fengari/src/lobject.js";

if (typeof fengari.lua !== "object" || !fastPathsInEffect()) throw new Error("fengari did not load");

/**
 * Sets `slot` to `exact`, the exact result of integer `+`, `-`, `*` or unary `-`: the integer while it fits in
 * 32 bits, else the float (as LuaJIT's doubles give). Within 32 bits it is Lua 5.3's integer, so 0 × −5 is
 * the integer 0 where LuaJIT's doubles give −0. The interpreter (`_vm.ts`) sets its results with it too.
 */
export function setExactResult(slot: Pick<ArithValue, "setivalue" | "setfltvalue">, exact: number): void {
  if ((exact | 0) === exact) slot.setivalue(exact | 0);
  else slot.setfltvalue(exact);
}

/** A TValue as `luaO_arith` reads and writes it. */
interface ArithValue {
  ttisinteger(): boolean;
  value: number;
  setfltvalue(value: number): void;
  setivalue(value: number): void;
}

type Arith = ((L: unknown, op: number, p1: ArithValue, p2: ArithValue, p3: unknown) => void) & {
  exactBeyond32Bits?: boolean;
};

const { LUA_OPADD, LUA_OPSUB, LUA_OPMUL, LUA_OPUNM } = fengari.lua as unknown as Record<string, number>;
const original = lobject.luaO_arith as Arith;

if (!original.exactBeyond32Bits) {
  const patched: Arith = (L, op, p1, p2, p3) => {
    if (
      (op === LUA_OPADD || op === LUA_OPSUB || op === LUA_OPMUL || op === LUA_OPUNM) &&
      p1.ttisinteger() && p2.ttisinteger()
    ) {
      const a = p1.value;
      const b = p2.value;
      const exact = op === LUA_OPADD ? a + b : op === LUA_OPSUB ? a - b : op === LUA_OPMUL ? a * b : -a;
      // fengari's callers (constant folding, `lua_arith`) pass the result's TValue; an index is its stack slot.
      const result = (typeof p3 === "number" ? (L as { stack: ArithValue[] }).stack[p3] : p3) as ArithValue;
      setExactResult(result, exact);
      return;
    }
    original(L, op, p1, p2, p3);
  };
  patched.exactBeyond32Bits = true;
  lobject.luaO_arith = patched;
}

/** Whether the replacement is in effect (for tests, and a used binding for the bundler). */
export const INTEGER_OVERFLOW_PATCHED: boolean = (lobject.luaO_arith as Arith).exactBeyond32Bits === true;
