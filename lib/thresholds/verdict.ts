/**
 * The outcome of one `--threshold` condition, shared by the evaluation (lib/thresholds/), the JSON result
 * (lib/report/json_result.ts) and the Markdown summary, so all three say the same thing about a run.
 *
 * @module
 */

/**
 * One `--threshold` condition checked against a run's result.
 *
 * `limit` and `actual` are in the metric's `unit`: µs for latency metrics (`p99 < 100ms` has limit 100000),
 * requests per second for rates, a plain count for counts, a percentage (0–100) for `%` metrics (`errors < 1%`
 * has limit 1).
 *
 * @example A latency condition that held
 * ```ts
 * import type { ThresholdVerdict } from "./verdict.ts";
 *
 * const verdict: ThresholdVerdict = {
 *   expression: "p99 < 100ms",
 *   metric: "p99",
 *   op: "<",
 *   limit: 100_000,
 *   unit: "us",
 *   actual: 2_130,
 *   passed: true,
 * };
 * console.log(verdict.passed ? "ok" : `failed: ${verdict.expression}`); // ok
 * ```
 */
export interface ThresholdVerdict {
  /** The condition as given on the command line. */
  expression: string;
  /** The metric it tests, as named in the expression (`p99`, `rps`, `errors`…). */
  metric: string;
  /** The comparison: `actual op limit` must hold. */
  op: "<" | "<=" | ">" | ">=";
  /** The bound, in `unit`. */
  limit: number;
  /** The unit of `limit` and `actual`: µs, requests per second, a count, or a percentage (0–100). */
  unit: "us" | "rps" | "count" | "percent";
  /** The run's value of the metric, in `unit`; null when the run has none (no samples, or no run). */
  actual: number | null;
  /** Whether the condition held; false when `actual` is null. */
  passed: boolean;
}
