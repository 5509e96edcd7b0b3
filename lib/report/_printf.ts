/**
 * The few pieces of C's `printf` that wrk's report relies on, as glibc prints them, so that the report matches
 * wrk byte for byte (docs/wrk-compat.md#report-layout). Private to `lib/report/`.
 *
 * @module
 */
import { formatFixed as cFormatFixed } from "./c_format.ts";

/**
 * Formats `value` like C's `%.<decimals>f` as glibc prints it: exact ties round to even (`2.5` → `2`), so the
 * duration line (`%.0f` of minutes) prints 150 s as `2m`, as wrk does. NaN prints as `-nan`, which is what
 * glibc prints for the 0/0 of wrk's `+/- Stdev` with no samples; infinities as `inf`.
 *
 * @example Rounding an exact tie to even, and the NaN of an empty histogram
 * ```ts
 * import { formatFixed } from "./_printf.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(formatFixed(2.5, 0), "2");
 * assertEquals(formatFixed(1.125, 2), "1.12");
 * assertEquals(formatFixed(301.875001, 2), "301.88");
 * assertEquals(formatFixed(Number.NaN, 2), "-nan");
 * ```
 */
export function formatFixed(value: number, decimals: number): string {
  if (Number.isNaN(value)) return "-nan";
  if (!Number.isFinite(value)) return value < 0 ? "-inf" : "inf";
  return cFormatFixed(value, decimals);
}

/** Right-aligns `text` in `width` columns like `%<width>s` (never truncates). */
export function padLeft(text: string, width: number): string {
  return text.padStart(width, " ");
}
