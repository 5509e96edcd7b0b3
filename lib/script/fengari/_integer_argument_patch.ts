/**
 * Library arguments that must be integers take any number, as wrk's LuaJIT takes them (`lj_lib_checkint`: C's
 * `(int32_t)` of the double): `string.sub(s, 1, n / 2)`, `string.rep("x", size / 4)`, `string.char(97.5)`,
 * `select(2.5, …)`, `table.insert(t, 1.5, v)` truncate toward zero, and a value beyond 32 bits, an infinity or
 * NaN is -2^31, as there. fengari (Lua 5.3) raises "number has no integer representation" for them.
 *
 * The C API reads such arguments through `lua_tointegerx`, which calls `lvm.tointeger` through its module
 * object: that one function is replaced here, as `_integer_overflow_patch.ts` replaces `luaO_arith`, except
 * while a chunk compiles (constant folding asks it too; a `load(function)` reader still runs as the script). The interpreter's own instructions do not use it
 * (`_vm.ts` has its own), so Lua's arithmetic is unchanged; `math.tointeger`, a Lua 5.3 function that LuaJIT
 * lacks, keeps its answer (nil for 3.5: `compat/_compat.ts`).
 * Tests: tests/script/fengari/integer_argument_test.ts.
 *
 * @module
 */

import { fastPathsInEffect } from "./_fast_paths.ts";
// @ts-types="./_fengari.d.ts"
import fengari from "../../../third_party/fengari/src/fengari.js";
// @ts-types="./_internals.d.ts"
import lvmModule from "../../../third_party/fengari/src/lvm.js";
// @ts-types="./_internals.d.ts"
import ldoModule from "../../../third_party/fengari/src/ldo.js";
// @ts-types="./_internals.d.ts"
import ldebugModule from "../../../third_party/fengari/src/ldebug.js";

if (typeof fengari.lua !== "object" || !fastPathsInEffect()) throw new Error("fengari did not load");

/** A TValue as `tointeger` reads it. */
interface NumberValue {
  ttisinteger(): boolean;
  ttisfloat(): boolean;
  value: unknown;
}

type ToInteger = ((o: NumberValue) => number | false) & { truncatesAsLuaJit?: boolean };

const lvm = lvmModule as unknown as { tointeger: ToInteger; tonumber(o: NumberValue): number | false };
const original = lvm.tointeger;

/**
 * Lua 5.3's `tointeger`, as it was before this replacement: for Lua's own operators (`_vm.ts`'s bitwise
 * operands), which are not library arguments.
 */
export const luaToInteger = original as (o: object) => number | false;

/** C's `(int32_t)` of a double on x86-64 (`cvttsd2si`): truncated toward zero; -2^31 when out of range or NaN. */
function int32OfDouble(value: number): number {
  return value >= -2147483648 && value < 2147483648 ? Math.trunc(value) | 0 : -2147483648;
}

type Parser = ((...args: unknown[]) => number) & { truncatesAsLuaJit?: boolean };
const ldo = ldoModule as unknown as { luaD_protectedparser: Parser };
const originalParser = ldo.luaD_protectedparser;

/**
 * True while a chunk compiles: constant folding (`lcode.js` `validop`, `luaO_arith`) asks `lvm.tointeger`
 * whether `1.5 | 0` or `0xF0F0F0F0 & x` can be folded, and must keep Lua's answer (no: the interpreter's
 * bitwise operators then decide at run time, `_vm.ts` `bitOperand`).
 */
let compiling = false;

if (!original.truncatesAsLuaJit) {
  const patched: ToInteger = (o) => {
    if (o.ttisinteger()) return o.value as number;
    if (compiling) return original(o);
    if (o.ttisfloat()) return int32OfDouble(o.value as number);
    // A string: what it reads as (a numeral, converted the same way), or false.
    const whole = original(o);
    if (whole !== false) return whole;
    const n = lvm.tonumber(o);
    return n === false ? false : int32OfDouble(n);
  };
  patched.truncatesAsLuaJit = true;
  lvm.tointeger = patched;
  const parser: Parser = (...args) => {
    // The chunk's reader (`load(function)`) is Lua code of the script: it runs as library code does.
    const z = args[1] as { reader: (...readerArgs: unknown[]) => unknown };
    const reader = z.reader;
    z.reader = (...readerArgs) => {
      const during = compiling;
      compiling = false;
      try {
        return reader(...readerArgs);
      } finally {
        compiling = during;
      }
    };
    const outer = compiling;
    compiling = true;
    try {
      return originalParser(...args);
    } finally {
      compiling = outer;
    }
  };
  // Other wrappers' marks stay readable through this one (`_instruction_fields.ts` wraps it too).
  Object.assign(parser, originalParser, { truncatesAsLuaJit: true });
  ldo.luaD_protectedparser = parser;
  // A bitwise operator's error names the operand with no integer representation, which it finds by asking
  // `lvm.tointeger` of the first: Lua's answer is wanted there, not a library argument's.
  const ldebug = ldebugModule as unknown as {
    luaG_tointerror: (L: unknown, p1: object, p2: object) => never;
  };
  const originalError = ldebug.luaG_tointerror;
  ldebug.luaG_tointerror = (L, p1, p2) => originalError(L, p1, luaToInteger(p1) === false ? p1 : p2);
}

/** Whether the replacement is in effect (for tests, and a used binding for the bundler). */
export const INTEGER_ARGUMENT_PATCHED: boolean = lvm.tointeger.truncatesAsLuaJit === true &&
  ldo.luaD_protectedparser.truncatesAsLuaJit === true;
