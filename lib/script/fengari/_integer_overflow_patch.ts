/**
 * Integer `+`, `-`, `*` and unary `-` whose result leaves 32 bits give the exact float instead of wrapping, as
 * wrk's LuaJIT gives (its numbers are doubles): a script summing `Content-Length`s or counting past 2^31 must
 * not turn negative. fengari's integers are 32-bit and wrap (`2147483647 + 1` was `-2147483648`). Division,
 * `//`, `%` and the bitwise operators keep their integer results (LuaJIT's `bit` library is 32-bit too).
 * Hexadecimal numerals beyond 32 bits are read whole too (`0xffffffff` is 4294967295, not -1), as floats; the
 * interpreter's bitwise operators take a float with an integral value by its low 32 bits, as LuaJIT's
 * `bit.tobit` does (`bitOperand`, `_vm.ts`), where Lua 5.3 would refuse it.
 *
 * Three places compute it: the interpreter (`_vm.ts`, the ADD, SUB, MUL and UNM instructions), fengari's
 * `luaO_arith` (constant folding when a chunk compiles, `lua_arith`) and `luaO_str2num` (the lexer's
 * numerals, `tonumber`, a string's coercion to a number), the last two replaced here through their module
 * object, as `_number_spelling_patch.ts` replaces `luaO_tostring`. Tests:
 * tests/script/fengari/integer_overflow_test.ts.
 *
 * @module
 */

import { fastPathsInEffect } from "./_fast_paths.ts";
// @ts-types="./_fengari.d.ts"
import fengari from "../../../third_party/fengari/src/fengari.js";
// @ts-types="./_internals.d.ts"
import lobject from "../../../third_party/fengari/src/lobject.js";
import { isSpace, valueInBase } from "./_numerals.ts";

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

type Str2num = ((s: Uint8Array, o: ArithValue) => number) & { exactBeyond32Bits?: boolean };
const originalStr2num = lobject.luaO_str2num as Str2num;

/**
 * The value of the hexadecimal integer numeral `s` holds (`0xffffffff`, ` -0X1F `) as a double, as LuaJIT reads
 * it; null when `s` is no such numeral. fengari's `l_str2int` keeps its low 32 bits (`0xffffffff` is -1).
 */
function hexValue(s: Uint8Array): number | null {
  let i = 0;
  while (isSpace(s[i])) i++;
  const negative = s[i] === 0x2d;
  if (negative || s[i] === 0x2b) i++;
  if (s[i] !== 0x30 || (s[i + 1] !== 0x78 && s[i + 1] !== 0x58)) return null;
  // fengari's strings may end in a NUL, which `l_str2int` takes as their end.
  const end = s.indexOf(0, i);
  const value = valueInBase(s.subarray(i + 2, end === -1 ? s.length : end), 16);
  return value === null ? null : negative ? -value : value;
}

if (!originalStr2num.exactBeyond32Bits) {
  const patched: Str2num = (s, o) => {
    const size = originalStr2num(s, o);
    // A hexadecimal integer numeral beyond 32 bits: its whole value, a float (LuaJIT's numbers are doubles).
    if (size !== 0 && o.ttisinteger()) {
      const value = hexValue(s);
      if (value !== null && (value | 0) !== value) o.setfltvalue(value);
    }
    return size;
  };
  patched.exactBeyond32Bits = true;
  lobject.luaO_str2num = patched;
}

/** Whether the replacement is in effect (for tests, and a used binding for the bundler). */
export const INTEGER_OVERFLOW_PATCHED: boolean = (lobject.luaO_arith as Arith).exactBeyond32Bits === true &&
  (lobject.luaO_str2num as Str2num).exactBeyond32Bits === true;
