/**
 * The few pieces of C's `printf` that wrk's report relies on, reproduced exactly so that the report matches wrk
 * byte for byte (docs/wrk-compat.md#report-layout). Private to `lib/report/`.
 *
 * @module
 */

/**
 * Formats `value` like C's `%.<decimals>f` as glibc prints it.
 *
 * `Number.prototype.toFixed` and glibc agree except on exact ties, where glibc rounds half to even (`2.5` → `2`)
 * and `toFixed` rounds half up (`2.5` → `3`); the duration line (`%.0f` of minutes) hits such ties, e.g. 150 s is
 * `2m` in wrk. A value that is not finite prints as `0`, so a report never shows `NaN` or `Infinity`.
 *
 * @example Rounding an exact tie to even
 * ```ts
 * import { formatFixed } from "./_printf.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(formatFixed(2.5, 0), "2");
 * assertEquals(formatFixed(1.125, 2), "1.12");
 * assertEquals(formatFixed(301.875001, 2), "301.88");
 * ```
 */
export function formatFixed(value: number, decimals: number): string {
  if (!Number.isFinite(value)) value = 0;
  const sign = value < 0 ? "-" : "";
  const magnitude = Math.abs(value);
  // Beyond 1e21 toFixed switches to exponent notation; wrk never prints such amounts.
  if (magnitude >= 1e21) return sign + String(magnitude);
  const rounded = magnitude.toFixed(decimals);
  if (isExactTie(magnitude, decimals)) {
    const lastKept = truncated(magnitude, decimals);
    const lastDigit = Number(lastKept[lastKept.length - 1]);
    // Even last kept digit: glibc keeps the truncated text; odd: it rounds up, as toFixed already did.
    if (lastDigit % 2 === 0) return sign + lastKept;
  }
  return sign + rounded;
}

/** Right-aligns `text` in `width` columns like `%<width>s` (never truncates). */
export function padLeft(text: string, width: number): string {
  return text.padStart(width, " ");
}

/** The exact decimal expansion of a double has at most this many fractional digits for the amounts we print. */
const EXACT_DIGITS = 100;

/** Whether the exact binary value of `magnitude` lies exactly halfway between two `decimals`-digit results. */
function isExactTie(magnitude: number, decimals: number): boolean {
  // toFixed(100) prints the double's exact value for every amount we print (≥ 2^-47 or 0), so a tie is a `5`
  // right after the kept digits followed only by zeros.
  const exact = magnitude.toFixed(EXACT_DIGITS);
  const fraction = exact.slice(exact.indexOf(".") + 1);
  if (fraction[decimals] !== "5") return false;
  for (let i = decimals + 1; i < fraction.length; i++) {
    if (fraction[i] !== "0") return false;
  }
  return true;
}

/** `magnitude` cut (not rounded) after `decimals` fractional digits. */
function truncated(magnitude: number, decimals: number): string {
  const exact = magnitude.toFixed(EXACT_DIGITS);
  const point = exact.indexOf(".");
  return decimals === 0 ? exact.slice(0, point) : exact.slice(0, point + 1 + decimals);
}
