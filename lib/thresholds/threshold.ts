/**
 * `--threshold '<metric> <op> <value>'` (repeatable), in the manner of k6's thresholds: pass/fail conditions
 * on a run's result, so that a CI job fails when the server gets slower or starts failing. `parseThreshold`
 * reads one from the command line; `evaluateThresholds` checks them against the run and returns one
 * {@linkcode ThresholdVerdict} each, which the text report, the JSON result and the Markdown summary print.
 *
 * @module
 */

import { UsageError } from "../config/errors.ts";
import type { RunResult } from "../run_result.ts";
import { reportedFigures } from "../stats/reported_figures.ts";
import { allErrors, socketErrors } from "../stats/error_counts.ts";
import type { ThresholdVerdict } from "./verdict.ts";
import { COUNT_MULTIPLIERS, US_PER_TIME_UNIT } from "../config/units.ts";

export type { ThresholdVerdict };

/**
 * The exit code of a run whose thresholds did not all hold: k6's, so that CI can tell a failed threshold from
 * a run that could not start (1) and from a script's own `os.exit(n)`.
 *
 * @example Choosing the exit code after a run
 * ```ts
 * import { THRESHOLDS_FAILED_EXIT_CODE, type ThresholdVerdict } from "./threshold.ts";
 *
 * function exitCode(verdicts: ThresholdVerdict[]): number {
 *   return verdicts.every((verdict) => verdict.passed) ? 0 : THRESHOLDS_FAILED_EXIT_CODE;
 * }
 * console.log(exitCode([])); // 0
 * ```
 */
export const THRESHOLDS_FAILED_EXIT_CODE = 99;

/**
 * One parsed `--threshold` condition: `actual op limit` must hold for the run to pass.
 *
 * @example What `p99 < 200ms` reads as
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { parseThreshold, type Threshold } from "./threshold.ts";
 *
 * const threshold: Threshold = parseThreshold("p99 < 200ms");
 * assertEquals(threshold, { expression: "p99 < 200ms", metric: "p99", op: "<", limit: 200_000, unit: "us" });
 * ```
 */
export interface Threshold {
  /** The condition as given on the command line. */
  expression: string;
  /**
   * The metric, lower-cased: a latency percentile (`p50`, `p99.9`), `mean`, `stdev` or `max` (latency, µs),
   * `rps` (requests per second achieved), or a count: `errors` (socket errors plus non-2xx/3xx responses),
   * `non2xx` (responses with status ≥ 400, wrk's `Non-2xx or 3xx responses`) or `timeouts`.
   */
  metric: `p${number}` | "mean" | "stdev" | "max" | "rps" | "errors" | "non2xx" | "timeouts";
  /** The comparison. */
  op: ThresholdVerdict["op"];
  /** The bound, in `unit`: µs for latency, requests/s for `rps`, a count, or a percentage (0–100). */
  limit: number;
  /** `us` for latency, `rps`, and `count` or `percent` for the counts (`errors < 1%` is a percent). */
  unit: ThresholdVerdict["unit"];
}

type Metric = Threshold["metric"];

/** The comparisons, longest first so that `<=` is not read as `<` followed by `=`. */
const OPS = ["<=", ">=", "<", ">"] as const;

/** A non-negative decimal number and the word after it: `200ms`, `1.5k`, `.5s`, `3%`. */
const VALUE_PATTERN = /^(\d+(?:\.\d+)?|\.\d+)([a-zµμ%]*)$/i;

/** `p` and a decimal number: `p99`, `p99.9`; the range is checked after. */
const PERCENTILE_PATTERN = /^p(\d+(?:\.\d+)?)$/;

/**
 * µs per time unit, keyed lower-case: the project's time units (lib/config/units.ts), but a bare number is
 * milliseconds, as in k6's thresholds: latencies are thought of in ms, and `p99 < 200` meaning 200 s would
 * pass every run.
 */
const US_PER_THRESHOLD_UNIT: ReadonlyMap<string, number> = new Map([["", 1e3], ...US_PER_TIME_UNIT]);

const LATENCY_METRICS: ReadonlySet<string> = new Set(["mean", "stdev", "max"]);
const COUNT_METRICS: ReadonlySet<string> = new Set(["errors", "non2xx", "timeouts"]);

const METRIC_HINT = "use p50, p99.9 or any percentile, mean, stdev, max, rps, errors, non2xx or timeouts";
const OP_HINT = "use <, <=, > or >=";

/**
 * Reads one `--threshold` expression: `<metric> <op> <value>`, spaces around the operator optional.
 *
 * - Latency, in µs in the result: `p<N>` for any percentile 0 < N ≤ 100 (`p50`, `p99.9`, `p99.999`),
 *   `mean`, `stdev`, `max`; the value is a time with a unit `us` (or `µs`), `ms`, `s`, `m` or `h`, fractions
 *   allowed; a bare number is milliseconds, as in k6 (`p99 < 200` is 200 ms).
 * - `rps`: requests per second achieved, a number with an optional `k`, `M` or `G` (`rps >= 1.5k`).
 * - `errors` (socket errors plus non-2xx/3xx responses), `non2xx` (status ≥ 400), `timeouts`: a count with an
 *   optional `k`, `M` or `G` (`errors < 10`), or a percentage of the requests attempted (`errors < 1%`):
 *   completed responses plus socket errors.
 * - Operators: `<`, `<=`, `>`, `>=`.
 *
 * Metric names and units are case-insensitive (`P99 < 1S`); `m` is minutes for a time and a million for a
 * count, as in wrk's own arguments.
 *
 * @throws {UsageError} (without the usage text) naming the part that cannot be read.
 *
 * @example Each kind of metric
 * ```ts
 * import { assertEquals, assertThrows } from "@std/assert";
 * import { UsageError } from "../config/errors.ts";
 * import { parseThreshold } from "./threshold.ts";
 *
 * assertEquals(parseThreshold("p99.9<1.5s").limit, 1_500_000);
 * assertEquals(parseThreshold("mean <= 200").limit, 200_000); // bare number: ms
 * assertEquals(parseThreshold("rps > 2k").limit, 2000);
 * assertEquals(parseThreshold("errors < 1%").unit, "percent");
 * assertThrows(
 *   () => parseThreshold("p99 < 2xx"),
 *   UsageError,
 *   "threshold 'p99 < 2xx': cannot read the value '2xx' (use a time such as 200ms)",
 * );
 * ```
 */
export function parseThreshold(text: string): Threshold {
  const fail = (problem: string) => new UsageError(`threshold '${text}': ${problem}`, { showUsage: false });
  const opStart = text.search(/[<>=!]/);
  if (text.trim() === "") throw fail("expected '<metric> <op> <value>', such as 'p99 < 200ms'");
  if (opStart < 0) throw fail(`missing the comparison (${OP_HINT})`);
  const opText = /^[<>=!]+/.exec(text.slice(opStart))![0];
  const op = OPS.find((candidate) => candidate === opText);
  if (op === undefined) throw fail(`unknown comparison '${opText}' (${OP_HINT})`);
  const metricText = text.slice(0, opStart).trim();
  const valueText = text.slice(opStart + opText.length).trim();
  if (metricText === "") throw fail(`missing the metric before '${op}'`);
  if (valueText === "") throw fail(`missing the value after '${op}'`);

  const metric = metricText.toLowerCase();
  const value = VALUE_PATTERN.exec(valueText);
  const number = value === null ? Number.NaN : Number(value[1]);
  const suffix = value === null ? "" : value[2].toLowerCase();
  const unreadable = (hint: string) => fail(`cannot read the value '${valueText}' (${hint})`);

  const percentile = PERCENTILE_PATTERN.exec(metric);
  if (percentile !== null || LATENCY_METRICS.has(metric)) {
    if (percentile !== null && !(Number(percentile[1]) > 0 && Number(percentile[1]) <= 100)) {
      throw fail("percentile must be above 0 and at most 100");
    }
    const limit = scaled(number, US_PER_THRESHOLD_UNIT.get(suffix));
    if (limit === null) throw unreadable("use a time such as 200ms");
    return { expression: text, metric: metric as Metric, op, limit, unit: "us" };
  }
  if (metric === "rps") {
    const limit = scaled(number, COUNT_MULTIPLIERS.get(suffix));
    if (limit === null) throw unreadable("use a rate such as 1000 or 1.5k");
    return { expression: text, metric, op, limit, unit: "rps" };
  }
  if (COUNT_METRICS.has(metric)) {
    const limit = scaled(number, suffix === "%" ? 1 : COUNT_MULTIPLIERS.get(suffix));
    if (limit === null) throw unreadable("use a count such as 10, or a percentage such as 1%");
    if (suffix === "%" && limit > 100) throw fail("a percentage must be at most 100");
    // k6 writes a rate as a fraction (`rate<0.01`): here that would be a count below one, i.e. none at all.
    if (suffix === "" && limit > 0 && limit < 1) {
      throw fail(
        `${metric} is a count, not a fraction: for a share of the requests write a percentage ` +
          `(${metric} ${op} ${Number((limit * 100).toPrecision(12))}%)`,
      );
    }
    const unit = suffix === "%" ? "percent" : "count";
    return { expression: text, metric: metric as Metric, op, limit, unit };
  }
  throw fail(`unknown metric '${metricText}' (${METRIC_HINT})`);
}

/**
 * Checks each threshold against the run, in the order given. The actual values are the ones the report
 * prints: latency from `result.latency` in µs by the report's rule (wrk's `Stats` figures for a closed-loop
 * run, wrk2's HdrHistogram figures with `-R`); `rps` is requests over the run time; `errors` counts socket
 * errors (connect, read, write, timeout) plus non-2xx/3xx responses; a percentage is of the requests
 * attempted: completed responses plus socket errors, or with `-R` the requests sent plus failed connects (a
 * request that timed out is still awaited there, and its late answer must not count it twice).
 *
 * A metric without a value fails with `actual: null`: a latency metric when the run recorded no latency,
 * `rps` when no time passed, a percentage when nothing was attempted, and every metric when `result` is null
 * (the run failed to start).
 *
 * @example A run that met one condition and not the other
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import type { RunResult } from "../run_result.ts";
 * import { Stats } from "../stats/stats.ts";
 * import { evaluateThresholds, parseThreshold } from "./threshold.ts";
 *
 * const latency = new Stats();
 * for (let us = 1; us <= 1000; us++) latency.record(us);
 * const result: RunResult = {
 *   url: "http://127.0.0.1:8080/",
 *   threads: 1,
 *   connections: 1,
 *   durationMs: 1000,
 *   runtimeUs: 1_000_000,
 *   requests: 1000,
 *   bytesRead: 100_000,
 *   errors: { connect: 0, read: 0, write: 0, status: 20, timeout: 0 },
 *   errorReasons: [],
 *   statusCodes: { "200": 980, "503": 20 },
 *   startedAt: "2026-12-04T12:00:00.000Z",
 *   latency,
 *   uncorrectedLatency: null,
 *   requestRate: new Stats(),
 *   rate: null,
 *   unfinishedThreads: [],
 * };
 * const verdicts = evaluateThresholds([parseThreshold("p99 < 1ms"), parseThreshold("errors < 1%")], result);
 * assertEquals(verdicts.map((v) => [v.actual, v.passed]), [[991, true], [2, false]]);
 * ```
 */
export function evaluateThresholds(
  thresholds: readonly Threshold[],
  result: RunResult | null,
): ThresholdVerdict[] {
  return thresholds.map((threshold) => {
    const actual = result === null ? null : actualValue(threshold, result);
    return {
      expression: threshold.expression,
      metric: threshold.metric,
      op: threshold.op,
      limit: threshold.limit,
      unit: threshold.unit,
      actual,
      passed: actual !== null && holds(actual, threshold.op, threshold.limit),
    };
  });
}

/** The run's value of the threshold's metric, in its unit; null when the run has none. */
function actualValue(threshold: Threshold, result: RunResult): number | null {
  const { metric } = threshold;
  const latency = () => reportedFigures(result.latency, result.rate !== null);
  switch (metric) {
    case "mean":
      return latency().mean;
    case "stdev":
      return latency().stdev;
    case "max":
      return latency().max;
    case "rps":
      return result.runtimeUs > 0 ? result.requests / (result.runtimeUs / 1e6) : null;
    case "errors":
    case "non2xx":
    case "timeouts":
      return countValue(threshold.unit, errorCount(metric, result), result, metric === "errors");
  }
  const p = Number(metric.slice(1));
  // A hand-built threshold can hold anything; a parsed one never reaches this.
  if (!(p > 0 && p <= 100)) throw new TypeError(`unknown threshold metric '${metric}'`);
  return latency().percentile(p);
}

function errorCount(metric: "errors" | "non2xx" | "timeouts", result: RunResult): number {
  if (metric === "non2xx") return result.errors.status;
  if (metric === "timeouts") return result.errors.timeout;
  return allErrors(result.errors);
}

/**
 * A count, or its percentage of the requests attempted: responses completed (each non-2xx/3xx one among them)
 * plus the attempts that ended in a socket error. With `-R` a request that timed out stays awaited, and its late
 * answer is a response too: there the attempts are the requests sent (each counted once, whatever became of
 * it) plus the connects that failed (no request went out on them), and a request that timed out and then
 * failed too (a late 504, its connection lost: `rate.errorsAfterTimeout`) counts once among the `errors`
 * (`allErrors`: one attempt, one failure). Where that is unknown (a merge with an older shard) the share is held
 * at 100 %. Null for a percentage of nothing.
 */
function countValue(
  unit: Threshold["unit"],
  count: number,
  result: RunResult,
  allErrors: boolean,
): number | null {
  if (unit !== "percent") return count;
  const sent = result.rate?.requestsSent ?? null;
  if (sent === null) {
    const attempts = result.requests + socketErrors(result.errors);
    return attempts > 0 ? (100 * count) / attempts : null;
  }
  const failedTwice = allErrors ? result.rate?.errorsAfterTimeout ?? 0 : 0;
  const attempts = sent + result.errors.connect;
  return attempts > 0 ? Math.min(100, (100 * (count - failedTwice)) / attempts) : null;
}

function holds(actual: number, op: Threshold["op"], limit: number): boolean {
  switch (op) {
    case "<":
      return actual < limit;
    case "<=":
      return actual <= limit;
    case ">":
      return actual > limit;
    case ">=":
      return actual >= limit;
  }
}

/**
 * `number × multiplier`, or null when the number or the unit could not be read or the product is not finite.
 * Rounded to thousandths so that the bound is the number written, without binary-fraction noise (`1.1ms` is
 * 1100 µs, not 1100.0000000000002, which would let `p99 <= 1.1ms` pass at 1100.0000000000001 µs).
 */
function scaled(number: number, multiplier: number | undefined): number | null {
  if (multiplier === undefined) return null;
  const product = multiplier === 1 ? number : Math.round(number * multiplier * 1000) / 1000;
  return Number.isFinite(product) ? product : null;
}
