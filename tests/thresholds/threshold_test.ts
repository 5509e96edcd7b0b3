import { assert, assertEquals, assertThrows } from "@std/assert";
import { UsageError } from "../../lib/config/errors.ts";
import { formatRateReport } from "../../lib/report/rate_report.ts";
import { formatReport } from "../../lib/report/text_report.ts";
import { formatTimeUs } from "../../lib/report/units.ts";
import type { RunResult } from "../../lib/run_result.ts";
import { hdrFigures, hdrValueAtPercentile } from "../../lib/stats/hdr_figures.ts";
import { Stats } from "../../lib/stats/stats.ts";
import {
  evaluateThresholds,
  parseThreshold,
  type Threshold,
  THRESHOLDS_FAILED_EXIT_CODE,
} from "../../lib/thresholds/threshold.ts";
import { runResultWith } from "../helpers/run_result.ts";

/** 1…1000 µs once each, then a tail above 2048 µs where buckets are wider than 1 µs (wrk and wrk2 differ there). */
function latencyStats(): Stats {
  const stats = new Stats();
  for (let us = 1; us <= 1000; us++) stats.record(us);
  for (const us of [5000, 5001, 12_345, 40_000]) stats.record(us);
  return stats;
}

function runResult(overrides: Partial<RunResult> = {}): RunResult {
  return runResultWith({
    requests: 1000,
    bytesRead: 100_000,
    statusCodes: { "200": 1000 },
    latency: latencyStats(),
    ...overrides,
  });
}

/** The verdict of one expression against `result`. */
function verdict(expression: string, result: RunResult | null) {
  return evaluateThresholds([parseThreshold(expression)], result)[0];
}

function assertUsageError(expression: string, message: string): void {
  const error = assertThrows(() => parseThreshold(expression), UsageError);
  assertEquals(error.message, message);
  assertEquals([error.showUsage, error.exitCode], [false, 1], expression);
}

Deno.test("parseThreshold() reads every metric", () => {
  const cases: [string, Omit<Threshold, "expression">][] = [
    ["p50 < 10ms", { metric: "p50", op: "<", limit: 10_000, unit: "us" }],
    ["p75 < 10ms", { metric: "p75", op: "<", limit: 10_000, unit: "us" }],
    ["p99.9 < 10ms", { metric: "p99.9", op: "<", limit: 10_000, unit: "us" }],
    ["p99.999 < 10ms", { metric: "p99.999", op: "<", limit: 10_000, unit: "us" }],
    ["p100 < 10ms", { metric: "p100", op: "<", limit: 10_000, unit: "us" }],
    ["p0.1 < 10ms", { metric: "p0.1", op: "<", limit: 10_000, unit: "us" }],
    ["mean < 10ms", { metric: "mean", op: "<", limit: 10_000, unit: "us" }],
    ["max < 10ms", { metric: "max", op: "<", limit: 10_000, unit: "us" }],
    ["stdev < 10ms", { metric: "stdev", op: "<", limit: 10_000, unit: "us" }],
    ["rps > 1000", { metric: "rps", op: ">", limit: 1000, unit: "rps" }],
    ["errors < 5", { metric: "errors", op: "<", limit: 5, unit: "count" }],
    ["errors < 5%", { metric: "errors", op: "<", limit: 5, unit: "percent" }],
    ["non2xx <= 0", { metric: "non2xx", op: "<=", limit: 0, unit: "count" }],
    ["non2xx < 0.5%", { metric: "non2xx", op: "<", limit: 0.5, unit: "percent" }],
    ["timeouts < 3", { metric: "timeouts", op: "<", limit: 3, unit: "count" }],
    ["timeouts < 10%", { metric: "timeouts", op: "<", limit: 10, unit: "percent" }],
  ];
  for (const [expression, expected] of cases) {
    assertEquals(parseThreshold(expression), { expression, ...expected }, expression);
  }
});

Deno.test("parseThreshold() reads every operator, with or without spaces around it", () => {
  const cases: [string, Threshold["op"]][] = [
    ["p99<200ms", "<"],
    ["p99 <= 200ms", "<="],
    ["p99>200ms", ">"],
    ["p99  >=\t200ms", ">="],
    ["  p99< 200ms  ", "<"],
    ["p99 <200ms", "<"],
  ];
  for (const [expression, op] of cases) {
    const threshold = parseThreshold(expression);
    assertEquals([threshold.metric, threshold.op, threshold.limit], ["p99", op, 200_000], expression);
    // The expression is kept as given, for the verdict.
    assertEquals(threshold.expression, expression);
  }
});

Deno.test("parseThreshold() reads latency values in every time unit; a bare number is milliseconds", () => {
  const cases: [string, number][] = [
    ["250us", 250],
    ["250µs", 250],
    ["250μs", 250], // Greek mu, as some keyboards type it
    ["0.5us", 0.5],
    ["200ms", 200_000],
    ["1.1ms", 1100],
    ["200", 200_000],
    ["0.25", 250],
    [".5s", 500_000],
    ["2s", 2_000_000],
    ["1.5s", 1_500_000],
    ["1m", 60_000_000],
    ["1h", 3_600_000_000],
    ["2MS", 2000],
    ["0", 0],
  ];
  for (const [value, us] of cases) assertEquals(parseThreshold(`p99 < ${value}`).limit, us, value);
});

Deno.test("parseThreshold() reads rates and counts with SI suffixes, and percentages", () => {
  assertEquals(parseThreshold("rps >= 1.5k").limit, 1500);
  assertEquals(parseThreshold("rps >= 2M").limit, 2_000_000);
  assertEquals(parseThreshold("rps >= 2m").limit, 2_000_000); // wrk's scan_metric: case-insensitive
  assertEquals(parseThreshold("rps >= 1g").limit, 1e9);
  assertEquals(parseThreshold("rps > 999.5").limit, 999.5);
  assertEquals(parseThreshold("errors < 1k").limit, 1000);
  assertEquals(parseThreshold("errors < 0%").limit, 0);
  assertEquals(parseThreshold("errors <= 100%").limit, 100);
  assertEquals(parseThreshold("timeouts < 0.01%").limit, 0.01);
});

Deno.test("parseThreshold() takes metric names and units in any case, and names the metric in lower case", () => {
  assertEquals(parseThreshold("P99.9 < 1S"), {
    expression: "P99.9 < 1S",
    metric: "p99.9",
    op: "<",
    limit: 1_000_000,
    unit: "us",
  });
  assertEquals(parseThreshold("RPS > 1K").metric, "rps");
  assertEquals(parseThreshold("Errors < 1%").metric, "errors");
  assertEquals(parseThreshold("NON2XX < 1").metric, "non2xx");
});

Deno.test("parseThreshold() names the part it cannot read", () => {
  assertUsageError(
    "p99 < 2xx",
    "threshold 'p99 < 2xx': cannot read the value '2xx' (use a time such as 200ms)",
  );
  assertUsageError(
    "p99 < 5%",
    "threshold 'p99 < 5%': cannot read the value '5%' (use a time such as 200ms)",
  );
  assertUsageError(
    "mean < -1ms",
    "threshold 'mean < -1ms': cannot read the value '-1ms' (use a time such as 200ms)",
  );
  assertUsageError(
    "p99 < 200 ms",
    "threshold 'p99 < 200 ms': cannot read the value '200 ms' (use a time such as 200ms)",
  );
  assertUsageError(
    "p99 < 1e3",
    "threshold 'p99 < 1e3': cannot read the value '1e3' (use a time such as 200ms)",
  );
  assertUsageError(
    "p101 < 1s",
    "threshold 'p101 < 1s': percentile must be above 0 and at most 100",
  );
  assertUsageError("p0 < 1s", "threshold 'p0 < 1s': percentile must be above 0 and at most 100");
  // k6's way to write a rate, which as a count would mean no error at all.
  assertUsageError(
    "errors < 0.01",
    "threshold 'errors < 0.01': errors is a count, not a fraction: for a share of the requests write a percentage (errors < 1%)",
  );
  assertUsageError(
    "timeouts<=0.005",
    "threshold 'timeouts<=0.005': timeouts is a count, not a fraction: for a share of the requests write a percentage (timeouts <= 0.5%)",
  );
  assertUsageError(
    "p9x < 1s",
    "threshold 'p9x < 1s': unknown metric 'p9x' " +
      "(use p50, p99.9 or any percentile, mean, stdev, max, rps, errors, non2xx or timeouts)",
  );
  assertUsageError(
    "latency < 1s",
    "threshold 'latency < 1s': unknown metric 'latency' " +
      "(use p50, p99.9 or any percentile, mean, stdev, max, rps, errors, non2xx or timeouts)",
  );
  assertUsageError(
    "rps > fast",
    "threshold 'rps > fast': cannot read the value 'fast' (use a rate such as 1000 or 1.5k)",
  );
  assertUsageError(
    "rps > 10%",
    "threshold 'rps > 10%': cannot read the value '10%' (use a rate such as 1000 or 1.5k)",
  );
  assertUsageError(
    "errors < 1ms",
    "threshold 'errors < 1ms': cannot read the value '1ms' (use a count such as 10, or a percentage such as 1%)",
  );
  assertUsageError(
    "errors < 101%",
    "threshold 'errors < 101%': a percentage must be at most 100",
  );
  assertUsageError(
    "p99 200ms",
    "threshold 'p99 200ms': missing the comparison (use <, <=, > or >=)",
  );
  assertUsageError(
    "p99 = 200ms",
    "threshold 'p99 = 200ms': unknown comparison '=' (use <, <=, > or >=)",
  );
  assertUsageError(
    "p99 == 200ms",
    "threshold 'p99 == 200ms': unknown comparison '==' (use <, <=, > or >=)",
  );
  assertUsageError(
    "p99 != 200ms",
    "threshold 'p99 != 200ms': unknown comparison '!=' (use <, <=, > or >=)",
  );
  assertUsageError(
    "p99 =< 200ms",
    "threshold 'p99 =< 200ms': unknown comparison '=<' (use <, <=, > or >=)",
  );
  assertUsageError("< 200ms", "threshold '< 200ms': missing the metric before '<'");
  assertUsageError("p99 <=", "threshold 'p99 <=': missing the value after '<='");
  assertUsageError("", "threshold '': expected '<metric> <op> <value>', such as 'p99 < 200ms'");
  assertUsageError("  ", "threshold '  ': expected '<metric> <op> <value>', such as 'p99 < 200ms'");
});

Deno.test("THRESHOLDS_FAILED_EXIT_CODE is k6's 99", () => {
  assertEquals(THRESHOLDS_FAILED_EXIT_CODE, 99);
});

Deno.test("evaluateThresholds() reads a closed-loop run's latency as wrk's report does", () => {
  const result = runResult();
  const stats = result.latency;
  for (const p of [50, 75, 90, 99, 99.9, 99.99, 99.999, 100]) {
    assertEquals(verdict(`p${p} < 1h`, result).actual, stats.percentile(p), `p${p}`);
  }
  assertEquals(verdict("p99.9 < 1h", result).actual, 12_348); // rank 1003: 12345 µs, its bucket's middle value
  assertEquals(verdict("mean < 1h", result).actual, stats.mean);
  assertEquals(verdict("stdev < 1h", result).actual, stats.stdev);
  assertEquals(verdict("max < 1h", result).actual, stats.max);
  // The same figure as the report's Latency Distribution line.
  const line = formatReport(result, { latency: true }).split("\n").find((l) => l.startsWith("     99%"));
  assertEquals(line?.trim().split(/ +/), ["99%", formatTimeUs(verdict("p99 < 1s", result).actual!)]);
});

Deno.test("evaluateThresholds() reads a -R run's latency as wrk2's report does", () => {
  const result = runResult({
    rate: { plannedPerSec: 500, batches: 1004, lateBatches: 0, requestsSent: 1004 },
    uncorrectedLatency: new Stats(),
  });
  const stats = result.latency;
  const figures = hdrFigures(stats);
  for (const p of [50, 99, 99.9, 99.99, 100]) {
    assertEquals(verdict(`p${p} < 1h`, result).actual, hdrValueAtPercentile(stats, p), `p${p}`);
  }
  // wrk2's percentile is a bucket's highest value, wrk's its middle: they differ above 2048 µs.
  assertEquals(verdict("p99.9 < 1h", result).actual, 12_351);
  assertEquals(verdict("mean < 1h", result).actual, figures.mean);
  assertEquals(verdict("stdev < 1h", result).actual, figures.stdev);
  assertEquals(verdict("max < 1h", result).actual, figures.max);
  assert(figures.stdev !== stats.stdev && figures.max !== stats.max);
  const line = formatRateReport(result, { latency: true, uncorrected: false }).split("\n")
    .find((l) => l.startsWith(" 99.900%"));
  assertEquals(line?.trim().split(/ +/), ["99.900%", formatTimeUs(12_351)]);
});

Deno.test("evaluateThresholds() reads rps as requests over run time", () => {
  const result = runResult({ requests: 3001, runtimeUs: 2_000_000 });
  assertEquals(verdict("rps > 1.5k", result), {
    expression: "rps > 1.5k",
    metric: "rps",
    op: ">",
    limit: 1500,
    unit: "rps",
    actual: 1500.5,
    passed: true,
  });
  assertEquals(verdict("rps >= 1501", result).passed, false);
});

Deno.test("evaluateThresholds() counts errors as socket errors plus non-2xx/3xx responses", () => {
  const result = runResult({
    requests: 940,
    errors: { connect: 10, read: 20, write: 5, status: 40, timeout: 25 },
    statusCodes: { "200": 900, "503": 40 },
  });
  // 940 responses and 60 socket errors: 1000 attempts.
  const actuals = (expressions: string[]) =>
    evaluateThresholds(expressions.map(parseThreshold), result).map((v) => [v.actual, v.unit]);
  assertEquals(
    actuals(["errors < 1", "errors < 1%", "non2xx < 1", "non2xx < 1%", "timeouts < 1", "timeouts < 1%"]),
    [[100, "count"], [10, "percent"], [40, "count"], [4, "percent"], [25, "count"], [2.5, "percent"]],
  );
});

Deno.test("evaluateThresholds() takes a -R run's percentages of the requests sent, a late answer counted once", () => {
  // 100 requests sent, every one timed out and 60 of them were answered late (wrk2 keeps waiting): 100 %,
  // not 100 of 160; the 10 failed connects sent nothing and are attempts of their own.
  const result = runResult({
    requests: 60,
    errors: { connect: 10, read: 0, write: 0, status: 0, timeout: 100 },
    rate: { plannedPerSec: 50, batches: 100, lateBatches: 0, requestsSent: 100 },
  });
  assertEquals(verdict("timeouts < 1%", result).actual, 100 * 100 / 110);
  assertEquals(verdict("errors < 1%", result).actual, 100);
  // Half the requests timed out and were then answered 504: two errors each, one failed attempt each.
  const late504 = runResult({
    requests: 100,
    errors: { connect: 0, read: 0, write: 0, status: 50, timeout: 50 },
    rate: { plannedPerSec: 50, batches: 100, lateBatches: 0, requestsSent: 100, errorsAfterTimeout: 50 },
  });
  assertEquals(verdict("errors < 1%", late504).actual, 50);
  assertEquals([verdict("non2xx < 1%", late504).actual, verdict("timeouts < 1%", late504).actual], [50, 50]);
  // From a version that did not count them: held at 100 %.
  const unknown = { ...late504, rate: { ...late504.rate!, errorsAfterTimeout: undefined } };
  assertEquals(verdict("errors < 1%", unknown).actual, 100);
  // A merge with a shard from before requests were counted: the closed loop's attempts.
  const older = { ...result, rate: { ...result.rate!, requestsSent: null } };
  assertEquals(verdict("timeouts < 1%", older).actual, 100 * 100 / 170);
});

Deno.test("evaluateThresholds() holds < and <= apart at equality, and > and >=", () => {
  const result = runResult({
    requests: 2000,
    runtimeUs: 1_000_000,
    errors: { ...runResult().errors, status: 20 },
  });
  const p50 = result.latency.percentile(50);
  const passed = (expression: string) => verdict(expression, result).passed;
  assertEquals(p50, 503);
  assertEquals(
    [passed("p50 < 503us"), passed("p50 <= 503us"), passed("p50 > 503us"), passed("p50 >= 503us")],
    [false, true, false, true],
  );
  assertEquals([passed("p50 < 504us"), passed("p50 > 502us")], [true, true]);
  assertEquals([passed("rps < 2k"), passed("rps <= 2k"), passed("rps > 2k"), passed("rps >= 2k")], [
    false,
    true,
    false,
    true,
  ]);
  // 20 of 2000: exactly 1 %.
  assertEquals(
    [passed("errors < 1%"), passed("errors <= 1%"), passed("errors < 20"), passed("errors <= 20")],
    [
      false,
      true,
      false,
      true,
    ],
  );
  // A written bound is the number written: 1.1 ms is 1100 µs, not 1100.0000000000002.
  const tail = new Stats();
  tail.record(1100);
  assertEquals(verdict("max <= 1.1ms", runResult({ latency: tail })).passed, true);
  assertEquals(verdict("max < 1.1ms", runResult({ latency: tail })).passed, false);
});

Deno.test("evaluateThresholds() fails every threshold of a run that did not start, with a null actual", () => {
  const thresholds = ["p99 < 1s", "mean < 1s", "rps > 0", "errors < 1", "non2xx <= 0%", "timeouts >= 0"]
    .map(parseThreshold);
  const verdicts = evaluateThresholds(thresholds, null);
  assertEquals(verdicts.length, thresholds.length);
  for (const [i, verdict] of verdicts.entries()) {
    const { expression, metric, op, limit, unit } = thresholds[i];
    assertEquals(verdict, { expression, metric, op, limit, unit, actual: null, passed: false });
  }
});

Deno.test("evaluateThresholds() fails a latency threshold on a run without samples, and keeps the others", () => {
  const result = runResult({ latency: new Stats(), requests: 0, runtimeUs: 0, statusCodes: {} });
  const verdicts = evaluateThresholds(
    ["p99 < 1s", "max >= 0", "mean < 1s", "stdev < 1s", "rps >= 0", "errors < 1%", "errors <= 0"]
      .map(parseThreshold),
    result,
  );
  // No samples, no run time, no attempts: no value, so no pass. A plain count is still 0.
  assertEquals(verdicts.map((v) => [v.actual, v.passed]), [
    [null, false],
    [null, false],
    [null, false],
    [null, false],
    [null, false],
    [null, false],
    [0, true],
  ]);
});

Deno.test("evaluateThresholds() keeps the order given, and returns nothing for no thresholds", () => {
  const result = runResult();
  const expressions = ["rps > 1", "p50 < 1s", "errors < 1", "p50 > 1s"];
  const verdicts = evaluateThresholds(expressions.map(parseThreshold), result);
  assertEquals(verdicts.map((v) => [v.expression, v.passed]), [
    ["rps > 1", true],
    ["p50 < 1s", true],
    ["errors < 1", true],
    ["p50 > 1s", false],
  ]);
  assertEquals(evaluateThresholds([], result), []);
  assertEquals(evaluateThresholds([], null), []);
});

Deno.test("evaluateThresholds() refuses a hand-built threshold with an unknown metric", () => {
  const threshold = { expression: "p0 < 1", metric: "p0", op: "<", limit: 1, unit: "us" } as const;
  assertThrows(
    () => evaluateThresholds([threshold], runResult()),
    TypeError,
    "unknown threshold metric 'p0'",
  );
});
