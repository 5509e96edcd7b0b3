import { assertEquals } from "@std/assert";
import { formatThresholdReport } from "../../lib/report/threshold_report.ts";
import type { RunResult } from "../../lib/run_result.ts";
import { Stats } from "../../lib/stats/stats.ts";
import { evaluateThresholds, parseThreshold } from "../../lib/thresholds/threshold.ts";
import type { ThresholdVerdict } from "../../lib/thresholds/verdict.ts";

function runResult(overrides: Partial<RunResult> = {}): RunResult {
  const latency = new Stats();
  for (let us = 1; us <= 1000; us++) latency.record(us * 20);
  return {
    url: "http://127.0.0.1:8080/",
    threads: 2,
    connections: 10,
    durationMs: 2000,
    runtimeUs: 2_000_000,
    requests: 10_640,
    bytesRead: 1_000_000,
    errors: { connect: 0, read: 0, write: 0, status: 341, timeout: 0 },
    errorReasons: [],
    statusCodes: { "200": 10_299, "503": 341 },
    startedAt: "2026-12-04T12:00:00.000Z",
    latency,
    uncorrectedLatency: null,
    requestRate: new Stats(),
    rate: null,
    unfinishedThreads: [],
    ...overrides,
  };
}

function report(expressions: string[], result: RunResult | null): string {
  return formatThresholdReport(evaluateThresholds(expressions.map(parseThreshold), result), result !== null);
}

Deno.test("formatThresholdReport() marks each verdict, aligns the expressions and prints the actual value", () => {
  assertEquals(
    report(["p99 < 200ms", "errors < 1%", "rps>=5k", "non2xx <= 400", "mean < 1ms"], runResult()),
    [
      "  Thresholds:",
      "    ✓ p99 < 200ms    (actual 19.82ms)",
      "    ✗ errors < 1%    (actual 3.20%)",
      "    ✓ rps>=5k        (actual 5.32k)",
      "    ✓ non2xx <= 400  (actual 341)",
      "    ✗ mean < 1ms     (actual 10.01ms)",
      "",
    ].join("\n"),
  );
});

Deno.test("formatThresholdReport() is empty without verdicts, so the report stays wrk's", () => {
  assertEquals(formatThresholdReport([]), "");
});

Deno.test("formatThresholdReport() says why a verdict has no value", () => {
  const empty = runResult({ latency: new Stats(), requests: 0, runtimeUs: 0, errors: runResult().errors });
  assertEquals(
    report(["p99 < 1s", "rps > 0", "errors < 1%", "timeouts < 1"], {
      ...empty,
      errors: { ...empty.errors, status: 0 },
    }),
    [
      "  Thresholds:",
      "    ✗ p99 < 1s      (no latency samples)",
      "    ✗ rps > 0       (no run time)",
      "    ✗ errors < 1%   (no requests)",
      "    ✓ timeouts < 1  (actual 0)",
      "",
    ].join("\n"),
  );
  // A run that did not start has no value for any metric: not "no latency samples", as if it had run.
  assertEquals(
    report(["timeouts < 1", "p50 < 1s", "errors < 1%"], null),
    "  Thresholds:\n    ✗ timeouts < 1  (no run)\n    ✗ p50 < 1s      (no run)\n    ✗ errors < 1%   (no run)\n",
  );
});

Deno.test("formatThresholdReport() prints values through the report's unit formatters", () => {
  const verdict = (unit: ThresholdVerdict["unit"], actual: number): ThresholdVerdict => ({
    expression: "x < 1",
    metric: "x",
    op: "<",
    limit: 1,
    unit,
    actual,
    passed: true,
  });
  const values = [
    verdict("us", 812),
    verdict("us", 850),
    verdict("us", 2_500_000),
    verdict("rps", 849),
    verdict("rps", 1_234_567),
    verdict("count", 12),
    verdict("percent", 0),
    verdict("percent", 100),
    verdict("percent", 0.004),
  ];
  const actuals = formatThresholdReport(values).split("\n").slice(1, -1).map((line) => line.split("(")[1]);
  assertEquals(actuals, [
    "actual 812.00us)",
    "actual 0.85ms)",
    "actual 2.50s)",
    "actual 849.00)",
    "actual 1.23M)",
    "actual 12)",
    "actual 0.00%)",
    "actual 100.00%)",
    "actual 0.0040%)",
  ]);
});

Deno.test("formatThresholdReport() keeps the digits that show where an actual value near its limit stands", () => {
  const latency = new Stats();
  latency.record(11_484);
  const result = runResult({ latency, requests: 1792, runtimeUs: 2_000_000 });
  assertEquals(
    report([
      "p99 < 11.49ms",
      "p99 <= 11.48ms",
      "p99 > 11.48ms",
      "rps >= 896.1",
      "rps < 896",
      "errors < 19.03%",
    ], result),
    [
      "  Thresholds:",
      // 11.48ms shows how it stands against 11.49ms; against 11.48ms it takes one more digit.
      "    ✓ p99 < 11.49ms    (actual 11.48ms)",
      "    ✗ p99 <= 11.48ms   (actual 11.484ms)",
      "    ✓ p99 > 11.48ms    (actual 11.484ms)",
      "    ✗ rps >= 896.1     (actual 0.896k)",
      "    ✗ rps < 896        (actual 0.896k)",
      "    ✓ errors < 19.03%  (actual 19.029%)",
      "",
    ].join("\n"),
  );
});

Deno.test("formatThresholdReport() trims the expression as given", () => {
  assertEquals(report(["  p99<1s  "], runResult()), "  Thresholds:\n    ✓ p99<1s  (actual 19.82ms)\n");
});
