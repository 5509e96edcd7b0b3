/**
 * The `long double` arithmetic of wrk's and wrk2's `format_units` (units.c), exactly: on x86-64 a `long double`
 * is the x87 80-bit format, with a 64-bit significand, so `amt /= m->scale` rounds the quotient to 64 bits, not
 * to a double's 53, and `%.2Lf` prints that value. The two differ whenever the quotient is close to a tie at
 * the printed precision: 905 µs / 1000 is just above 0.905 as a double (`0.91ms`) and just below it as a
 * `long double` (`0.90ms`, what wrk prints). Values here are non-negative and finite (`format_units` amounts);
 * private to `lib/report/`.
 *
 * @module
 */

/** A non-negative `long double`: `significand × 2^exponent`, the significand below 2^64 (0n for zero). */
export interface LongDouble {
  readonly significand: bigint;
  readonly exponent: number;
}

const SIGNIFICAND_BITS = 64;
const FLOAT = new Float64Array(1);
const WORDS = new Uint32Array(FLOAT.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * A double widened to `long double` (exact: 53 bits fit in 64).
 *
 * @example
 * ```ts
 * import { longDouble } from "./_long_double.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(longDouble(6), { significand: 3n, exponent: 1 });
 * ```
 */
export function longDouble(value: number): LongDouble {
  if (!(value >= 0) || !Number.isFinite(value)) throw new RangeError(`not a format_units amount: ${value}`);
  if (value === 0) return { significand: 0n, exponent: 0 };
  FLOAT[0] = value;
  const hi = WORDS[LITTLE_ENDIAN ? 1 : 0];
  const lo = WORDS[LITTLE_ENDIAN ? 0 : 1];
  const biased = (hi >>> 20) & 0x7ff;
  let significand = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased === 0) return normalize(significand, -1074);
  significand |= 1n << 52n;
  return normalize(significand, biased - 1075);
}

/** Drops trailing zero bits, so equal values compare field by field. */
function normalize(significand: bigint, exponent: number): LongDouble {
  if (significand === 0n) return { significand: 0n, exponent: 0 };
  while ((significand & 1n) === 0n) {
    significand >>= 1n;
    exponent++;
  }
  return { significand, exponent };
}

/**
 * `x / divisor` rounded to 64 significant bits, to nearest, ties to even (the x87 default), for a positive
 * integer divisor (`m->scale`, or the `1000000.0` of `format_time_us`).
 *
 * @example The quotient wrk prints for 905 µs
 * ```ts
 * import { divide, formatFixed, longDouble } from "./_long_double.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(formatFixed(divide(longDouble(905), 1000), 2), "0.90");
 * assertEquals((905 / 1000).toFixed(2), "0.91"); // a double's quotient is above the tie
 * ```
 */
export function divide(x: LongDouble, divisor: number): LongDouble {
  if (!Number.isInteger(divisor) || divisor <= 0) throw new RangeError(`not a positive integer: ${divisor}`);
  if (x.significand === 0n) return x;
  const d = BigInt(divisor);
  // Enough quotient bits for 64 kept, a rounding bit and more; the remainder tells whether anything follows.
  const shift = Math.max(0, SIGNIFICAND_BITS + 2 + bitLength(d) - bitLength(x.significand));
  const numerator = x.significand << BigInt(shift);
  const quotient = numerator / d;
  const sticky = numerator % d !== 0n;
  const drop = bitLength(quotient) - SIGNIFICAND_BITS;
  let kept = quotient >> BigInt(drop);
  const rest = quotient & ((1n << BigInt(drop)) - 1n);
  const half = 1n << BigInt(drop - 1);
  if (rest > half || (rest === half && (sticky || (kept & 1n) === 1n))) kept++;
  return normalize(kept, x.exponent - shift + drop);
}

/**
 * `x >= threshold` for a double threshold, exactly (`amt >= scale` in `format_units`).
 *
 * @example
 * ```ts
 * import { atLeast, longDouble } from "./_long_double.ts";
 * import { assert } from "@std/assert";
 * assert(atLeast(longDouble(850), 1000 * 0.85));
 * ```
 */
export function atLeast(x: LongDouble, threshold: number): boolean {
  const t = longDouble(threshold);
  if (x.significand === 0n || t.significand === 0n) return x.significand >= t.significand;
  const exponent = Math.min(x.exponent, t.exponent);
  return (x.significand << BigInt(x.exponent - exponent)) >= (t.significand << BigInt(t.exponent - exponent));
}

/**
 * glibc's `%.<decimals>Lf` of `x`: its exact value rounded to `decimals` places, exact ties to even.
 *
 * @example
 * ```ts
 * import { divide, formatFixed, longDouble } from "./_long_double.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(formatFixed(divide(longDouble(76_735), 1000), 2), "76.74");
 * assertEquals(formatFixed(longDouble(2.5), 0), "2");
 * ```
 */
export function formatFixed(x: LongDouble, decimals: number): string {
  const scale = 10n ** BigInt(decimals);
  let units: bigint;
  if (x.exponent >= 0) {
    units = (x.significand << BigInt(x.exponent)) * scale;
  } else {
    const scaled = x.significand * scale;
    const shift = BigInt(-x.exponent);
    units = scaled >> shift;
    const rest = scaled & ((1n << shift) - 1n);
    const half = 1n << (shift - 1n);
    if (rest > half || (rest === half && (units & 1n) === 1n)) units++;
  }
  const digits = units.toString().padStart(decimals + 1, "0");
  if (decimals === 0) return digits;
  return `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}
