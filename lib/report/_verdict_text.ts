/**
 * A threshold verdict's values as text, through the report's unit formatters, shared by the text block
 * (threshold_report.ts) and the Markdown summary (markdown_summary.ts) so both print the same figures.
 * Private to `lib/report/`.
 *
 * @module
 */

import type { ThresholdVerdict } from "../thresholds/verdict.ts";
import { integer } from "./_lines.ts";
import { formatFixed } from "./_printf.ts";
import { formatMetric, formatTimeUs } from "./units.ts";

/** Each unit suffix the report's formatters print, by verdict unit, with its size in the verdict's unit. */
const SUFFIX_SCALES: Record<ThresholdVerdict["unit"], Record<string, number>> = {
  us: { us: 1, ms: 1e3, s: 1e6, m: 6e7, h: 3.6e9 },
  rps: { "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12 },
  count: { "": 1 },
  percent: { "%": 1 },
};

/**
 * A value in a verdict's unit as the report prints such values: times through wrk's µs formatter (`12.34ms`),
 * rates through its metric formatter (`5.32k`), counts as integers, percentages with two decimals (`3.20%`;
 * a share too small for two decimals keeps two significant digits, `0.0040%`, so that it does not read as 0).
 *
 * Given the threshold's `limit`, the value keeps as many more decimals (in the unit it is printed in) as it
 * takes for the figure to stand where the value stands against the limit: `p99 < 11.49ms` missed by 3 µs reads
 * `11.487ms`, not `11.49ms`, and an rps of 896.04 against `rps >= 896.1` reads `0.896k`, not `0.90k`.
 *
 * @example One value of each unit, and one too close to its limit for the usual decimals
 * ```ts
 * import { formatVerdictValue } from "./_verdict_text.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(formatVerdictValue(12_340, "us"), "12.34ms");
 * assertEquals(formatVerdictValue(5321.5, "rps"), "5.32k");
 * assertEquals(formatVerdictValue(3, "count"), "3");
 * assertEquals(formatVerdictValue(3.2, "percent"), "3.20%");
 * assertEquals(formatVerdictValue(0.004, "percent"), "0.0040%");
 * assertEquals(formatVerdictValue(11_487, "us", 11_490), "11.487ms");
 * assertEquals(formatVerdictValue(1001, "us", 1001), "1.001ms");
 * ```
 */
export function formatVerdictValue(value: number, unit: ThresholdVerdict["unit"], limit?: number): string {
  const text = reportFigure(value, unit);
  if (limit === undefined || !Number.isFinite(value)) return text;
  const [, digits, suffix] = text.match(/^(-?[\d.]+)(.*)$/) ?? [];
  const scale = SUFFIX_SCALES[unit][suffix];
  if (digits === undefined || scale === undefined) return text;
  // Where a figure stands against the limit, equal within a double's rounding (1.001 × 1000 is not 1001).
  const sideOf = (figure: number) =>
    Math.abs(figure - limit) <= 1e-9 * Math.max(1, Math.abs(limit)) ? 0 : Math.sign(figure - limit);
  const side = sideOf(value);
  let decimals = digits.includes(".") ? digits.length - digits.indexOf(".") - 1 : 0;
  let shown = digits;
  // A few more digits than a double holds would change nothing: stop there.
  while (sideOf(Number(shown) * scale) !== side && decimals < 12) {
    decimals++;
    shown = (value / scale).toFixed(decimals);
  }
  return shown + suffix;
}

/** The report's own figure for a value of `unit`. */
function reportFigure(value: number, unit: ThresholdVerdict["unit"]): string {
  switch (unit) {
    case "us":
      return formatTimeUs(value);
    case "rps":
      return formatMetric(value);
    case "count":
      return integer(value);
    case "percent":
      return (value > 0 && value < 0.005 ? value.toPrecision(2) : formatFixed(value, 2)) + "%";
  }
}

/**
 * Why a verdict has no actual value, by its unit: a latency metric without samples, a rate without run time,
 * a percentage of no requests; a plain count has a value whenever the run ran.
 *
 * @example A latency threshold on a run that recorded nothing
 * ```ts
 * import { missingValueReason } from "./_verdict_text.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(missingValueReason("us"), "no latency samples");
 * ```
 */
export function missingValueReason(unit: ThresholdVerdict["unit"]): string {
  switch (unit) {
    case "us":
      return "no latency samples";
    case "rps":
      return "no run time";
    case "percent":
      return "no requests";
    case "count":
      return "no run";
  }
}
