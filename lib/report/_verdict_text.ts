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

/**
 * A value in a verdict's unit as the report prints such values: times through wrk's µs formatter (`12.34ms`),
 * rates through its metric formatter (`5.32k`), counts as integers, percentages with two decimals (`3.20%`;
 * a share too small for two decimals keeps two significant digits, `0.0040%`, so that it does not read as 0).
 *
 * @example One value of each unit
 * ```ts
 * import { formatVerdictValue } from "./_verdict_text.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(formatVerdictValue(12_340, "us"), "12.34ms");
 * assertEquals(formatVerdictValue(5321.5, "rps"), "5.32k");
 * assertEquals(formatVerdictValue(3, "count"), "3");
 * assertEquals(formatVerdictValue(3.2, "percent"), "3.20%");
 * assertEquals(formatVerdictValue(0.004, "percent"), "0.0040%");
 * ```
 */
export function formatVerdictValue(value: number, unit: ThresholdVerdict["unit"]): string {
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
