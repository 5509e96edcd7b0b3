/**
 * C's `printf` conversions of a finite double, `%f`, `%e` and `%g`, digit for digit as glibc and LuaJIT print
 * them, from the double's exact decimal expansion. Only a value exactly halfway between two results tells the
 * two apart: glibc (wrk's report) rounds it to the even one (`%.0f` of 2.5 is `2`, `%.2f` of 0.125 is `0.12`),
 * LuaJIT's own formatter (`string.format` in wrk's scripts) away from zero (`3`, `0.13`). JavaScript's
 * `toFixed` and `toPrecision` do neither reliably, and fengari's `%g` and `%e` differ from C's further (digits
 * dropped, one exponent digit). Non-finite values are the caller's: glibc and LuaJIT spell them differently.
 *
 * @module
 */

/** How a value exactly halfway between two results rounds. */
export type Ties = "even" | "away";

/** Options for the conversions. */
export interface CFormatOptions {
  /** Halfway values: to the even result (glibc), or away from zero (LuaJIT). Default "even". */
  ties?: Ties;
  /** The `#` flag: always a decimal point; for `%g`, trailing zeros kept. */
  alternate?: boolean;
  /** `%E`/`%G`: an upper-case exponent letter. */
  upper?: boolean;
}

/** A positive value as its exact decimal digits: `0.d1d2d3… × 10^(pointExp + 1)`, `d1` at 10^pointExp. */
interface Digits {
  digits: string;
  /** The power of ten of the first digit. */
  pointExp: number;
}

const FLOAT = new Float64Array(1);
const WORDS = new Uint32Array(FLOAT.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The exact decimal expansion of a finite, non-zero |value| (no leading or trailing zeros). */
function exactDigits(value: number): Digits {
  FLOAT[0] = Math.abs(value);
  const hi = WORDS[LITTLE_ENDIAN ? 1 : 0];
  const lo = WORDS[LITTLE_ENDIAN ? 0 : 1];
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp2: number;
  if (biased === 0) {
    exp2 = -1074;
  } else {
    mantissa |= 1n << 52n;
    exp2 = biased - 1075;
  }
  // value = mantissa × 2^exp2 = mantissa × 5^-exp2 / 10^-exp2 when exp2 < 0.
  let digits: string;
  let pointExp: number;
  if (exp2 >= 0) {
    digits = (mantissa << BigInt(exp2)).toString();
    pointExp = digits.length - 1;
  } else {
    digits = (mantissa * 5n ** BigInt(-exp2)).toString();
    pointExp = digits.length - 1 + exp2;
  }
  return { digits: digits.replace(/0+$/, ""), pointExp };
}

/**
 * `value`'s digits rounded half-to-even so that the last one kept stands for 10^lastExp; the digits come back
 * without trailing zeros ("" for zero).
 */
function roundAt(value: number, lastExp: number, ties: Ties): Digits {
  if (value === 0) return { digits: "", pointExp: lastExp };
  const { digits, pointExp } = exactDigits(value);
  const keep = pointExp - lastExp + 1;
  if (keep < 0) return { digits: "", pointExp: lastExp };
  const kept = digits.slice(0, keep);
  const rest = digits.slice(keep);
  // `rest` is what follows the last kept digit: above half, exactly half (a lone 5), or below.
  let up = false;
  if (rest.length > 0) {
    if (rest[0] > "5") up = true;
    else if (rest[0] === "5") {
      up = rest.length > 1 || ties === "away" || (kept.length > 0 && Number(kept[kept.length - 1]) % 2 === 1);
    }
  }
  if (!up) return { digits: kept.replace(/0+$/, ""), pointExp };
  if (kept.length === 0) return { digits: "1", pointExp: lastExp };
  const incremented = (BigInt(kept) + 1n).toString();
  // 999 + 1 = 1000: one digit more, and the point moves one place.
  const grown = incremented.length > kept.length;
  return { digits: incremented.replace(/0+$/, ""), pointExp: grown ? pointExp + 1 : pointExp };
}

/** The digits from 10^fromExp down to 10^toExp (inclusive), zero-filled. */
function digitRange(rounded: Digits, fromExp: number, toExp: number): string {
  let text = "";
  for (let exp = fromExp; exp >= toExp; exp--) {
    const index = rounded.pointExp - exp;
    text += index >= 0 && index < rounded.digits.length ? rounded.digits[index] : "0";
  }
  return text;
}

function sign(value: number): string {
  return value < 0 || Object.is(value, -0) ? "-" : "";
}

/**
 * `%.<decimals>f` of a finite value.
 *
 * @example Ties, as glibc and as LuaJIT round them
 * ```ts
 * import { formatFixed } from "./c_format.ts";
 *
 * console.log(formatFixed(2.5, 0), formatFixed(0.125, 2), formatFixed(1e22, 0)); // 2 0.12 10000000000000000000000
 * console.log(formatFixed(2.5, 0, { ties: "away" })); // 3
 * ```
 */
export function formatFixed(value: number, decimals: number, options: CFormatOptions = {}): string {
  const { ties = "even", alternate = false } = options;
  const rounded = roundAt(value, -decimals, ties);
  const whole = digitRange(rounded, Math.max(rounded.pointExp, 0), 0);
  const fraction = decimals > 0 ? digitRange(rounded, -1, -decimals) : "";
  const point = decimals > 0 || alternate ? "." : "";
  return sign(value) + whole + point + fraction;
}

/**
 * `%.<decimals>e` of a finite value: at least two exponent digits.
 *
 * @example
 * ```ts
 * import { formatExponential } from "./c_format.ts";
 *
 * console.log(formatExponential(1234567.891, 6), formatExponential(2.5, 0)); // 1.234568e+06 2e+00
 * ```
 */
export function formatExponential(value: number, decimals: number, options: CFormatOptions = {}): string {
  const { ties = "even", alternate = false, upper = false } = options;
  let exp = 0;
  let mantissa = "0" + (decimals > 0 ? "." + "0".repeat(decimals) : alternate ? "." : "");
  if (value !== 0) {
    const first = exactDigits(value).pointExp;
    let rounded = roundAt(value, first - decimals, ties);
    // Rounding up may add a digit in front (9.99 → 10.0): the exponent moves with it.
    exp = rounded.pointExp;
    if (exp !== first) rounded = roundAt(value, exp - decimals, ties);
    const digits = digitRange(rounded, exp, exp - decimals);
    mantissa = digits[0] + (decimals > 0 || alternate ? "." : "") + digits.slice(1);
  }
  const exponent = (exp < 0 ? "-" : "+") + String(Math.abs(exp)).padStart(2, "0");
  return sign(value) + mantissa + (upper ? "E" : "e") + exponent;
}

/**
 * `%.<precision>g` of a finite value: `%e` below 10^-4 or from 10^precision up, else `%f`,
 * with trailing zeros dropped unless `alternate` (`#`).
 *
 * @example
 * ```ts
 * import { formatGeneral } from "./c_format.ts";
 *
 * console.log(formatGeneral(1234567.891, 6), formatGeneral(0.1, 17), formatGeneral(100, 6)); // 1.23457e+06 0.10000000000000001 100
 * ```
 */
export function formatGeneral(value: number, precision: number, options: CFormatOptions = {}): string {
  const { ties = "even", alternate = false } = options;
  const p = precision === 0 ? 1 : precision;
  let exp = 0;
  if (value !== 0) {
    const first = exactDigits(value).pointExp;
    exp = roundAt(value, first - (p - 1), ties).pointExp;
  }
  const text = p > exp && exp >= -4
    ? formatFixed(value, p - 1 - exp, options)
    : formatExponential(value, p - 1, options);
  if (alternate) return text;
  // Drop the fraction's trailing zeros, and the point when nothing follows it.
  const e = text.search(/[eE]/);
  let body = e < 0 ? text : text.slice(0, e);
  if (body.includes(".")) body = body.replace(/0+$/, "").replace(/\.$/, "");
  return body + (e < 0 ? "" : text.slice(e));
}
