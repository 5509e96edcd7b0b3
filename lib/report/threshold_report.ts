/**
 * The `Thresholds:` block printed after the report: one line per `--threshold` condition, whether it held and
 * the run's actual value.
 *
 * @module
 */

import type { ThresholdVerdict } from "../thresholds/verdict.ts";
import { formatVerdictValue, missingValueReason } from "./_verdict_text.ts";

/**
 * The verdicts as a text block in the report's indentation, expressions aligned, values through the report's
 * unit formatters (lib/report/units.ts); a verdict without a value says why (`no latency samples`, or `no run`
 * for every one when the run failed: `ran` false). An empty string when there are no verdicts, so that a run
 * without `--threshold` prints wrk's report alone.
 *
 * @example One condition held, one did not
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { formatThresholdReport } from "./threshold_report.ts";
 *
 * const p99 = { expression: "p99 < 200ms", metric: "p99", op: "<", limit: 200_000, unit: "us" } as const;
 * const errors = { expression: "errors < 1%", metric: "errors", op: "<", limit: 1, unit: "percent" };
 * const text = formatThresholdReport([
 *   { ...p99, actual: 12_340, passed: true },
 *   { ...errors, op: "<", unit: "percent", actual: 3.2, passed: false },
 * ]);
 * assertEquals(
 *   text,
 *   "  Thresholds:\n" +
 *     "    ✓ p99 < 200ms  (actual 12.34ms)\n" +
 *     "    ✗ errors < 1%  (actual 3.20%)\n",
 * );
 * ```
 */
export function formatThresholdReport(verdicts: readonly ThresholdVerdict[], ran = true): string {
  if (verdicts.length === 0) return "";
  const expressions = verdicts.map((verdict) => verdict.expression.trim());
  const width = Math.max(...expressions.map((expression) => expression.length));
  const lines = verdicts.map((verdict, i) => {
    const mark = verdict.passed ? "✓" : "✗";
    // A run that failed has no value at all: not "no latency samples", which says the run went on without.
    const value = verdict.actual === null
      ? ran ? missingValueReason(verdict.unit) : "no run"
      : `actual ${formatVerdictValue(verdict.actual, verdict.unit, verdict.limit)}`;
    return `    ${mark} ${expressions[i].padEnd(width)}  (${value})\n`;
  });
  return "  Thresholds:\n" + lines.join("");
}
