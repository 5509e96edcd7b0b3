/**
 * wrk's unit formatters (`units.c`), used by the text report (docs/wrk-compat.md#unit-formatters).
 *
 * Each formatter takes an amount and, while a *next* unit exists after the candidate unit and the amount is at
 * least 0.85 × the scale, divides by the scale and moves to that unit. That is why the last unit of every table
 * is never reached (`s` for microseconds, `h` for seconds, `P` for bytes and counts).
 *
 * @module
 */

import {
  atLeast,
  divide,
  formatFixed as formatLongDouble,
  type LongDouble,
  longDouble,
} from "./_long_double.ts";

/** One of wrk's unit tables: the amount's own unit, the scale between units, and the larger units in order. */
interface UnitTable {
  readonly base: string;
  readonly scale: number;
  readonly units: readonly string[];
}

const TIME_US: UnitTable = { base: "us", scale: 1000, units: ["ms", "s"] };
const TIME_S: UnitTable = { base: "s", scale: 60, units: ["m", "h"] };
const BINARY: UnitTable = { base: "", scale: 1024, units: ["K", "M", "G", "T", "P"] };
const METRIC: UnitTable = { base: "", scale: 1000, units: ["k", "M", "G", "T", "P"] };

const US_PER_S = 1_000_000;

function formatUnits(amount: number | LongDouble, table: UnitTable, decimals: number): string {
  if (typeof amount === "number") {
    // A NaN amount would never leave the base unit and would print as NaN; wrk never sees one, we print 0.
    if (!Number.isFinite(amount)) amount = 0;
    // Below zero no unit is reached: the sign, then the base unit's digits.
    if (amount < 0) return "-" + formatUnits(-amount, table, decimals);
    amount = longDouble(amount);
  }
  // Same double arithmetic as wrk's `m->scale * 0.85`, so the switch happens at exactly 850, 870.4 and 51.
  const threshold = table.scale * 0.85;
  let unit = table.base;
  // wrk's `amt` is a long double: each division rounds to 64 bits, and %.2Lf prints that (see _long_double.ts).
  for (let i = 0; i + 1 < table.units.length && atLeast(amount, threshold); i++) {
    amount = divide(amount, table.scale);
    unit = table.units[i];
  }
  return formatLongDouble(amount, decimals) + unit;
}

/**
 * Formats a time in microseconds like wrk's `format_time_us`: `us` and `ms` below one second, then the seconds
 * formatter (`s`, `m`), always with two decimals.
 *
 * @example Latency figures as wrk prints them
 * ```ts
 * import { formatTimeUs } from "./units.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(formatTimeUs(301.88), "301.88us");
 * assertEquals(formatTimeUs(850), "0.85ms");
 * assertEquals(formatTimeUs(1_500_000), "1.50s");
 * assertEquals(formatTimeUs(70_000_000), "1.17m");
 * ```
 */
export function formatTimeUs(us: number): string {
  // Infinity would otherwise reach the seconds formatter and print as 0.00s.
  if (!Number.isFinite(us)) us = 0;
  if (us >= US_PER_S) return formatUnits(divide(longDouble(us), US_PER_S), TIME_S, 2);
  return formatUnits(us, TIME_US, 2);
}

/**
 * Formats a time in seconds like wrk's seconds formatter (`s`, then `m`) with `decimals` decimals; wrk's
 * `Running 10s test` line uses 0 decimals (`format_time_s`).
 *
 * @example The duration on the `Running … test` line
 * ```ts
 * import { formatSeconds } from "./units.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(formatSeconds(10, 0), "10s");
 * assertEquals(formatSeconds(60, 0), "1m");
 * assertEquals(formatSeconds(90, 0), "2m");
 * ```
 */
export function formatSeconds(s: number, decimals: number): string {
  return formatUnits(s, TIME_S, decimals);
}

/**
 * Formats a byte amount like wrk's `format_binary`: scale 1024, units `K M G T`, two decimals; the caller adds
 * the `B`.
 *
 * @example Bytes read
 * ```ts
 * import { formatBinary } from "./units.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(formatBinary(3_032_833), "2.89M");
 * assertEquals(formatBinary(512), "512.00");
 * ```
 */
export function formatBinary(bytes: number): string {
  return formatUnits(bytes, BINARY, 2);
}

/**
 * Formats a count like wrk's `format_metric`: scale 1000, units `k M G T`, two decimals.
 *
 * @example Requests per second per thread
 * ```ts
 * import { formatMetric } from "./units.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(formatMetric(16_890), "16.89k");
 * assertEquals(formatMetric(849), "849.00");
 * ```
 */
export function formatMetric(n: number): string {
  return formatUnits(n, METRIC, 2);
}
