/**
 * wrk's numeric and time arguments (`scan_metric`, `scan_time`; docs/wrk-compat.md#numbers-and-times): counts with SI suffixes, durations with time units.
 * @module
 */

import { UsageError } from "./errors.ts";

/**
 * SI multipliers, keyed by lower-case suffix: wrk matches them case-insensitively, so `1m` is a million. Also
 * read by `--threshold` values (lib/thresholds/threshold.ts).
 */
export const COUNT_MULTIPLIERS: ReadonlyMap<string, number> = new Map([["", 1], ["k", 1e3], ["m", 1e6], [
  "g",
  1e9,
]]);

/**
 * Microseconds per time unit, keyed by lower-case unit. `s`, `m` and `h` are wrk's; `ms` and `us` (also `µs`
 * and `μs`) are ours, for sub-second timeouts. What no unit means is the reader's choice: seconds for wrk's
 * times, milliseconds in a `--threshold`.
 */
export const US_PER_TIME_UNIT: ReadonlyMap<string, number> = new Map([
  ["us", 1],
  ["µs", 1],
  ["μs", 1],
  ["ms", 1e3],
  ["s", 1e6],
  ["m", 60e6],
  ["h", 3600e6],
]);

/** A whole number with an optional suffix; anything else (signs, spaces, decimals) is rejected. */
const COUNT_PATTERN = /^(\d+)([a-z]*)$/i;

/** A decimal number (wrk's whole numbers, plus our fractions such as `1.5` or `.5`) and a trailing word. */
const DURATION_PATTERN = /^(\d+(?:\.\d+)?|\.\d+)([a-zµμ]*)$/i;

/**
 * Parse a count such as `-c 100` or `-t 2`: a whole number with an optional SI suffix `k`, `M` or `G`
 * (10^3, 10^6, 10^9; case-insensitive as in wrk, so `1m` is a million).
 *
 * @throws {UsageError} when the text is not a whole number with a known suffix, or is too large.
 *
 * @example Counts with and without a suffix
 * ```ts
 * import { parseCount } from "./units.ts";
 *
 * parseCount("100"); // 100
 * parseCount("1k"); // 1000
 * parseCount("2M"); // 2000000
 * ```
 */
export function parseCount(text: string): number {
  // Blanks around the number, as wrk's `sscanf` skips them (`-c ' 10'` from a quoted shell variable).
  const match = COUNT_PATTERN.exec(text.trim());
  const multiplier = match ? COUNT_MULTIPLIERS.get(match[2].toLowerCase()) : undefined;
  if (!match || multiplier === undefined) {
    throw new UsageError(`invalid count: '${text}' (use a whole number, optionally with k, M or G)`);
  }
  const count = Number(match[1]) * multiplier;
  if (!Number.isSafeInteger(count)) throw new UsageError(`invalid count: '${text}' is too large`);
  return count;
}

/**
 * Parse a time such as `-d 30s` or `--timeout 500ms` into milliseconds.
 *
 * wrk's forms keep their meaning: a whole number with an optional unit `s`, `m` or `h` (case-insensitive;
 * no unit means seconds). Ours adds `ms` and `us` and fractional values (`1.5s`, `0.5`). The result is
 * rounded to whole microseconds, so it is fractional only below a millisecond (`250us` → 0.25).
 *
 * @throws {UsageError} when the number or the unit cannot be parsed, or the value is too large.
 *
 * @example wrk's forms and ours
 * ```ts
 * import { parseDurationMs } from "./units.ts";
 *
 * parseDurationMs("30"); // 30000
 * parseDurationMs("2m"); // 120000
 * parseDurationMs("1.5s"); // 1500
 * parseDurationMs("250us"); // 0.25
 * ```
 */
export function parseDurationMs(text: string): number {
  const match = DURATION_PATTERN.exec(text.trim());
  if (!match) {
    throw new UsageError(
      `cannot parse duration: '${text}' (use a number with an optional unit: us, ms, s, m or h)`,
    );
  }
  // No unit means seconds, as in wrk.
  const unit = match[2].toLowerCase();
  const usPerUnit = unit === "" ? 1e6 : US_PER_TIME_UNIT.get(unit);
  if (usPerUnit === undefined) throw new UsageError(`cannot parse duration: '${text}' has an unknown unit`);
  // Rounding to whole microseconds hides binary-fraction noise such as 1.1 * 1e6 = 1100000.0000000002.
  const us = Math.round(Number(match[1]) * usPerUnit);
  if (!Number.isSafeInteger(us)) throw new UsageError(`cannot parse duration: '${text}' is too large`);
  return us / 1000;
}

/** Unix seconds from here on (the year 5138) are surely milliseconds, `date +%s%3N`'s. */
const MILLISECONDS_LIKELY = 1e11;

/**
 * Whether the date and time of an RFC 3339 text exist: `Date.parse` rolls `2026-11-31` over to December 1 and
 * `24:00:00` to the next day, where RFC 3339 has no such times.
 */
function realDateAndTime(text: string): boolean {
  const [year, month, day, hour, minute, second] = [0, 5, 8, 11, 14, 17].map((at) =>
    Number(text.slice(at, at === 0 ? 4 : at + 2))
  );
  const zone = /([+-])(\d{2}):(\d{2})$/.exec(text);
  if (zone !== null && (Number(zone[2]) > 23 || Number(zone[3]) > 59)) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 &&
    second <= 59;
}

/** RFC 3339: a date, `T` (or a space), a time with optional fraction, and `Z` or an offset. */
const RFC_3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Parse `--start-at`: an RFC 3339 time with its zone (`2026-12-06T12:00:00Z`, `…+01:00`) or Unix seconds
 * (`1796558400`, fractions allowed), into milliseconds since the Unix epoch.
 *
 * @throws {UsageError} for anything else (a time without a zone would depend on each machine's clock setting).
 *
 * @example
 * ```ts
 * import { parseStartAt } from "./units.ts";
 *
 * console.log(parseStartAt("2026-12-06T12:00:00Z")); // 1796558400000
 * console.log(parseStartAt("1796558400.5")); // 1796558400500
 * ```
 */
export function parseStartAt(text: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) {
    const seconds = Number(text);
    if (seconds >= MILLISECONDS_LIKELY) {
      throw new UsageError(
        `invalid time: '${text}' looks like milliseconds; give Unix seconds (such as $(date +%s))`,
      );
    }
    return Math.round(seconds * 1000);
  }
  if (RFC_3339.test(text) && !realDateAndTime(text)) {
    throw new UsageError(`invalid time: '${text}' is no such date or time`);
  }
  const epochMs = RFC_3339.test(text) ? Date.parse(text.replace(" ", "T")) : NaN;
  if (Number.isNaN(epochMs)) {
    throw new UsageError(
      `invalid time: '${text}' (use RFC 3339 with a zone, such as 2026-12-06T12:00:00Z, or Unix seconds)`,
    );
  }
  return epochMs;
}
