/**
 * `string.format` made LuaJIT-compatible around fengari's own: `%d` (and `%i %x %X %o %c`) of a float
 * truncates it as LuaJIT does instead of raising "number has no integer representation", values beyond
 * fengari's 32-bit integers are printed in full, a precision on an integer conversion (`%.3d`) is honoured,
 * `%s` of a number uses LuaJIT's spelling (`3`, not `3.0`), `%q` quotes any value's `tostring` as LuaJIT does, and `%e %E %f %g %G` print C's digits with
 * LuaJIT's rounding and spelling (fengari's `%g` drops digits: `%.17g` of 0.1 was `0.1`; its `%e` has one
 * exponent digit).
 *
 * @module
 */

import { lauxlib, lua, type LuaJsFunction, type LuaState } from "../fengari/_lua.ts";
import { formatExponential, formatFixed, formatGeneral } from "../../report/c_format.ts";
import { numberBytes } from "./_to_text.ts";
import { newBytes } from "../fengari/_fast_paths.ts";
import { argumentAt, newString, pushString, stringArgument, type TString } from "../fengari/_direct.ts";

const PERCENT = 37;
const FLAGS = new Set([45, 43, 32, 35, 48]); // - + space # 0
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/** Wraps fengari's `string.format` (taken from the stack top's `string` table by the caller). */
export function makeStringFormat(original: LuaJsFunction): LuaJsFunction {
  return (L: LuaState): number => {
    const format = stringArgument(L, 1) ?? lauxlib.luaL_checklstring(L, 1);
    const top = lua.lua_gettop(L);
    if (formatDirectly(L, format, top)) return 1;
    let rewritten: number[] | null = null;
    let copiedUpTo = 0;
    let arg = 1;
    for (let i = 0; i < format.length; i++) {
      if (format[i] !== PERCENT) continue;
      const start = i;
      i++;
      if (format[i] === PERCENT) continue;
      const flagsStart = i;
      while (i < format.length && FLAGS.has(format[i])) i++;
      const flags = String.fromCharCode(...format.subarray(flagsStart, i));
      let width = 0;
      while (i < format.length && format[i] >= 48 && format[i] <= 57) width = width * 10 + format[i++] - 48;
      let precision: number | null = null;
      if (format[i] === 46) {
        i++;
        precision = 0;
        while (i < format.length && format[i] >= 48 && format[i] <= 57) {
          precision = precision * 10 + format[i++] - 48;
        }
      }
      const conversion = String.fromCharCode(format[i]);
      arg++;
      if (arg > top) break; // fengari reports the missing argument itself
      const type = lua.lua_type(L, arg);
      // Hands fengari a plain `%s` for this conversion and `text` as its argument.
      const printHere = (text: string) => {
        lua.lua_pushstring(L, text);
        lua.lua_replace(L, arg);
        rewritten ??= [];
        for (let k = copiedUpTo; k < start; k++) rewritten.push(format[k]);
        rewritten.push(PERCENT, 115);
        copiedUpTo = i + 1;
      };
      if ("eEfgG".includes(conversion)) {
        if (type !== lua.LUA_TNUMBER && type !== lua.LUA_TSTRING) continue;
        const n = lua.lua_tonumberx(L, arg);
        if (n === false) continue; // let fengari raise its own error
        printHere(renderFloat(n, conversion, flags, width, precision));
        continue;
      }
      if (conversion === "q") {
        // LuaJIT quotes what `tostring` gives for anything (`"0.33333333333333"`, `"true"`, `"nil"`, a table's
        // `__tostring`); fengari gives a number's hexadecimal literal and refuses the rest.
        if (type === lua.LUA_TSTRING) continue;
        if (type === lua.LUA_TNUMBER) lua.lua_pushstring(L, numberBytes(lua.lua_tonumberx(L, arg) as number));
        else lauxlib.luaL_tolstring(L, arg);
        lua.lua_replace(L, arg);
        continue;
      }
      if (conversion === "s") {
        if (type === lua.LUA_TNUMBER) {
          lua.lua_pushstring(L, numberBytes(lua.lua_tonumberx(L, arg) as number));
          lua.lua_replace(L, arg);
        }
        continue;
      }
      if (!"dixXoc".includes(conversion)) continue;
      if (type !== lua.LUA_TNUMBER && type !== lua.LUA_TSTRING) continue;
      // fengari ignores a precision on integer conversions (`%.3d`) and refuses the `#` flag (`%#x`): those are
      // printed here too.
      const plain = precision === null && !flags.includes("#");
      if (lua.lua_isinteger(L, arg) && (plain || conversion === "c")) continue;
      const n = lua.lua_tonumberx(L, arg);
      if (n === false) continue; // let fengari raise its own error
      const whole = Math.trunc(n);
      if (conversion === "c" || (plain && whole >= INT_MIN && whole <= INT_MAX)) {
        lua.lua_pushinteger(L, whole | 0);
        lua.lua_replace(L, arg);
        continue;
      }
      // Beyond 32 bits, or with a precision: print the digits here.
      printHere(
        renderInteger(
          integerOf(n, conversion === "d" || conversion === "i"),
          conversion,
          flags,
          width,
          precision,
        ),
      );
    }
    if (rewritten !== null) {
      for (let k = copiedUpTo; k < format.length; k++) rewritten.push(format[k]);
      lua.lua_pushstring(L, Uint8Array.from(rewritten));
      lua.lua_replace(L, 1);
    }
    return original(L);
  };
}

/** The largest integer a double holds exactly with every smaller one: `String()` spells it in digits. */
const MAX_EXACT = Number.MAX_SAFE_INTEGER;
const TWO_63 = 2 ** 63;
const INT64_MIN = -(2n ** 63n);

/**
 * The 64-bit integer LuaJIT formats a number as (`lj_strfmt_putfnum_int`, `_uint`): truncated toward zero; for
 * a signed conversion anything outside 64 bits, an infinity or NaN is -2^63 (x86-64's `cvttsd2si`); for an
 * unsigned one, 2^63 and above wrap by 2^64 first (`string.format("%x", 2^64)` is 0).
 */
function integerOf(n: number, signed: boolean): bigint {
  const wrapped = !signed && n >= TWO_63 ? n - 2 ** 64 : n;
  return wrapped >= -TWO_63 && wrapped < TWO_63 ? BigInt(Math.trunc(wrapped)) : INT64_MIN;
}

/** C's `printf` rendering of an integer conversion (`d i x X o`) with its flags, width and precision. */
function renderInteger(
  value: bigint,
  conversion: string,
  flags: string,
  width: number,
  precision: number | null,
): string {
  const signed = conversion === "d" || conversion === "i";
  // LuaJIT formats unsigned conversions of negative numbers as 64-bit two's complement.
  const magnitude = signed ? (value < 0n ? -value : value) : BigInt.asUintN(64, value);
  const radix = conversion === "o" ? 8 : conversion === "d" || conversion === "i" ? 10 : 16;
  let digits = magnitude.toString(radix);
  if (conversion === "X") digits = digits.toUpperCase();
  if (precision !== null) digits = precision === 0 && magnitude === 0n ? "" : digits.padStart(precision, "0");
  let prefix = "";
  if (signed) prefix = value < 0n ? "-" : flags.includes("+") ? "+" : flags.includes(" ") ? " " : "";
  else if (flags.includes("#")) {
    // C: `#` makes an octal number start with 0 (a zero value at precision 0 prints "0"), a non-zero hex 0x.
    if (conversion === "o") prefix = digits.startsWith("0") ? "" : "0";
    else if (magnitude !== 0n) prefix = conversion === "x" ? "0x" : "0X";
  }
  const body = prefix + digits;
  if (body.length >= width) return body;
  if (flags.includes("-")) return body.padEnd(width, " ");
  if (flags.includes("0") && precision === null) return prefix + digits.padStart(width - prefix.length, "0");
  return body.padStart(width, " ");
}

/**
 * LuaJIT's rendering of a float conversion (`e E f g G`) with its flags, width and precision: C's digits with
 * halves rounded away from zero; `inf`/`nan` (upper-case for `E`/`G`), never zero-padded, and a NaN never signed.
 */
function renderFloat(
  value: number,
  conversion: string,
  flags: string,
  width: number,
  precision: number | null,
): string {
  const upper = conversion === "E" || conversion === "G";
  const options = { ties: "away" as const, alternate: flags.includes("#"), upper };
  const negative = value < 0 || Object.is(value, -0);
  let prefix = negative ? "-" : flags.includes("+") ? "+" : flags.includes(" ") ? " " : "";
  let digits: string;
  const finite = Number.isFinite(value);
  if (Number.isNaN(value)) {
    digits = upper ? "NAN" : "nan";
    prefix = flags.includes(" ") ? " " : "";
  } else if (!finite) {
    digits = upper ? "INF" : "inf";
  } else {
    const magnitude = Math.abs(value);
    const p = precision ?? 6;
    // `toFixed` picks, of the two nearest results, the larger: LuaJIT's rounding of halves away from zero,
    // from the exact value (ECMA-262's Number.prototype.toFixed), and much faster than the exact expansion.
    // Below 1e21 (above, it gives an exponent) and without `#` (always a point).
    if (conversion === "f" && magnitude < 1e21 && !options.alternate) digits = magnitude.toFixed(p);
    else if (conversion === "f") digits = formatFixed(magnitude, p, options);
    else if (conversion === "g" || conversion === "G") digits = formatGeneral(magnitude, p, options);
    else digits = formatExponential(magnitude, p, options);
  }
  const body = prefix + digits;
  if (body.length >= width) return body;
  if (flags.includes("-")) return body.padEnd(width, " ");
  if (flags.includes("0") && finite) return prefix + digits.padStart(width - prefix.length, "0");
  return body.padStart(width, " ");
}

/** The output of {@linkcode formatDirectly}, grown as needed (no Lua code runs while it is filled). */
let out = new Uint8Array(256);
let outLength = 0;

function reserve(n: number): void {
  if (outLength + n <= out.length) return;
  const grown = new Uint8Array(Math.max(outLength + n, out.length * 2));
  grown.set(out.subarray(0, outLength));
  out = grown;
}

function appendAscii(text: string): void {
  reserve(text.length);
  for (let i = 0; i < text.length; i++) out[outLength++] = text.charCodeAt(i);
}

function appendBytes(bytes: Uint8Array, start: number, end: number): void {
  reserve(end - start);
  for (let i = start; i < end; i++) out[outLength++] = bytes[i];
}

/**
 * `string.format` without fengari's: the result built here and pushed, when every conversion is one of the
 * common ones with an argument of the plain kind (`%d %i %x %X %o` and `%e %f %g %E %G` of numbers, `%s` of
 * strings and numbers without a precision, `%%`), rendered as the slower path renders them. Returns false,
 * having pushed nothing, for anything else (`%q`, `%c`, `%a`, `%s` of a table, a numeral string given to `%d`,
 * a missing argument, an over-long spec, a malformed one): the general path then runs, and raises fengari's
 * errors. A JSON encoder's `string.format("%.2f", x)` spent most of its time in fengari's sprintf-js
 * (docs/benchmarks.md#scripts).
 */
function formatDirectly(L: LuaState, format: Uint8Array, top: number): boolean {
  outLength = 0;
  let arg = 1;
  let literalStart = 0;
  for (let i = 0; i < format.length; i++) {
    if (format[i] !== PERCENT) continue;
    appendBytes(format, literalStart, i);
    i++;
    if (format[i] === PERCENT) {
      appendAscii("%");
      literalStart = i + 1;
      continue;
    }
    const flagsStart = i;
    while (i < format.length && FLAGS.has(format[i])) i++;
    if (i - flagsStart > 5) return false;
    const flags = flagsStart === i ? "" : String.fromCharCode(...format.subarray(flagsStart, i));
    let width = 0;
    const widthStart = i;
    while (i < format.length && format[i] >= 48 && format[i] <= 57) width = width * 10 + format[i++] - 48;
    if (i - widthStart > 2) return false;
    let precision: number | null = null;
    if (format[i] === 46) {
      i++;
      precision = 0;
      const precisionStart = i;
      while (i < format.length && format[i] >= 48 && format[i] <= 57) {
        precision = precision * 10 + format[i++] - 48;
      }
      if (i - precisionStart > 2) return false;
    }
    const conversion = format[i];
    literalStart = i + 1;
    if (++arg > top) return false;
    // The argument read in its slot (`lua_type`, `lua_tolstring` of a string, `lua_tonumberx` of a number).
    const value = argumentAt(L, arg)!;
    const type = value.type & 0x0f;
    if (conversion === 115) { // s
      if (precision !== null) return false;
      let bytes: Uint8Array;
      if (type === lua.LUA_TSTRING) bytes = (value.value as TString).realstring;
      else if (type === lua.LUA_TNUMBER) bytes = numberBytes(value.value as number);
      else return false;
      const pad = width - bytes.length;
      if (pad > 0 && !flags.includes("-")) appendAscii(" ".repeat(pad));
      appendBytes(bytes, 0, bytes.length);
      if (pad > 0 && flags.includes("-")) appendAscii(" ".repeat(pad));
      continue;
    }
    if (type !== lua.LUA_TNUMBER) return false;
    const n = value.value as number;
    switch (conversion) {
      case 100: // d
      case 105: // i
      case 120: // x
      case 88: // X
      case 111: { // o
        const whole = Math.trunc(n);
        const signed = conversion === 100 || conversion === 105;
        if (flags === "" && width === 0 && precision === null && signed && Math.abs(whole) <= MAX_EXACT) {
          appendAscii(String(whole === 0 ? 0 : whole));
        } else {
          if (flags.includes("#") && signed) return false;
          const value = integerOf(n, signed);
          appendAscii(renderInteger(value, String.fromCharCode(conversion), flags, width, precision));
        }
        continue;
      }
      case 101: // e
      case 69: // E
      case 102: // f
      case 103: // g
      case 71: // G
        appendAscii(renderFloat(n, String.fromCharCode(conversion), flags, width, precision));
        continue;
      default:
        return false;
    }
  }
  appendBytes(format, literalStart, format.length);
  const result = newBytes(outLength);
  // A short result by hand: `subarray()` would make an object only to copy from.
  if (outLength <= 256) { for (let i = 0; i < outLength; i++) result[i] = out[i]; }
  else result.set(out.subarray(0, outLength));
  pushString(L, newString(L, result));
  return true;
}
