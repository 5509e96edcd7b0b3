import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { assertSnapshot } from "@std/testing/snapshot";
import { parseArgs } from "../../lib/config/parse_args.ts";
import { formatMarkdownSummary, type MarkdownContext } from "../../lib/report/markdown_summary.ts";
import type { RunResult } from "../../lib/run_result.ts";
import { hdrValueAtPercentile } from "../../lib/stats/hdr_figures.ts";
import { Stats } from "../../lib/stats/stats.ts";
import { evaluateThresholds } from "../../lib/thresholds/threshold.ts";
import type { ThresholdVerdict } from "../../lib/thresholds/verdict.ts";
import { runResultWith } from "../helpers/run_result.ts";

const URL = "http://127.0.0.1:8080/api?q=1";
const COMMAND = ["-t2", "-c10", "-d2s", "--threshold", "p99 < 200ms", "--threshold", "errors < 1%", URL];

/** 1000 samples from 103 µs to 3.1 ms, and a tail above 2048 µs where wrk's and wrk2's figures differ. */
function latencyStats(): Stats {
  const stats = new Stats();
  for (let i = 1; i <= 1000; i++) stats.record(100 + i * 3);
  for (const us of [5000, 12_345, 40_000]) stats.record(us);
  return stats;
}

function runResult(overrides: Partial<RunResult> = {}): RunResult {
  return runResultWith({
    url: URL,
    runtimeUs: 2_001_000,
    requests: 10_640,
    bytesRead: 1_234_567,
    errors: { connect: 3, read: 2, write: 0, status: 341, timeout: 1 },
    errorReasons: [
      { category: "connect", reason: "ECONNREFUSED", count: 3 },
      { category: "read", reason: "ECONNRESET", count: 2 },
      { category: "timeout", reason: "no response within 2s", count: 1 },
    ],
    statusCodes: { "503": 341, "200": 10_299 },
    latency: latencyStats(),
    ...overrides,
  });
}

function contextOf(result: RunResult | null, error: string | null = null): MarkdownContext {
  const config = parseArgs(COMMAND);
  return { command: COMMAND, config, thresholds: evaluateThresholds(config.thresholds, result), error };
}

function summary(result: RunResult | null, error: string | null = null): string {
  return formatMarkdownSummary(result, contextOf(result, error));
}

Deno.test("formatMarkdownSummary() renders a closed-loop run", async (t) => {
  const markdown = summary(runResult());
  await assertSnapshot(t, markdown);
  const lines = markdown.split("\n");
  // A failed threshold marks the heading; the URL is a code span, so GitHub does not link it.
  assertEquals(lines[0], "### ❌ wrk-deno `http://127.0.0.1:8080/api?q=1`");
  // The command pastes back into a shell: each threshold single-quoted.
  assertStringIncludes(
    markdown,
    "```sh\nwrk-deno -t2 -c10 -d2s --threshold 'p99 < 200ms' --threshold 'errors < 1%' " +
      "'http://127.0.0.1:8080/api?q=1'\n```\n",
  );
  assertStringIncludes(markdown, "| 10640 | 2.00s | 1.18MB | 5317.34 | 602.51KB | 347 |\n");
  // wrk's percentiles (the middle of a bucket above 2048 µs), as the text report prints them.
  assertStringIncludes(markdown, "| 99% | 3.08ms |\n| 99.9% | 12.35ms |\n");
  assertStringIncludes(markdown, "| Max | 40.02ms |\n");
  assertStringIncludes(
    markdown,
    "| timeout no response within 2s | 1 |\n| non-2xx or 3xx responses | 341 |\n",
  );
  // Status codes in numeric order, whatever the order counted.
  assertStringIncludes(markdown, "| Status | Responses |\n| ---: | ---: |\n| 200 | 10299 |\n| 503 | 341 |\n");
  assertStringIncludes(markdown, "| ✅ | `p99 < 200ms` | 3.08ms |\n| ❌ | `errors < 1%` | 3.26% |\n");
  assert(markdown.endsWith("|\n") && !markdown.endsWith("\n\n"));
});

Deno.test("formatMarkdownSummary() renders a -R run with wrk2's figures and the uncorrected latency", async (t) => {
  const uncorrected = new Stats();
  for (let i = 1; i <= 1003; i++) uncorrected.record(50 + i);
  const result = runResult({
    rate: { plannedPerSec: 6000, batches: 12_000, lateBatches: 40, requestsSent: 12_000 },
    uncorrectedLatency: uncorrected,
  });
  const markdown = summary(result);
  await assertSnapshot(t, markdown);
  assertStringIncludes(
    markdown,
    "| Requests | Duration | Read | Requests/sec | Transfer/sec | Errors | Asked/sec |\n",
  );
  assertStringIncludes(markdown, "| 10640 | 2.00s | 1.18MB | 5317.34 | 602.51KB | 347 | 6000 |\n");
  assertStringIncludes(markdown, "| Percentile | Latency | Uncorrected |\n| ---: | ---: | ---: |\n");
  // wrk2's percentiles: a bucket's highest value (12351 µs, where wrk prints the middle 12348 µs).
  assertEquals(hdrValueAtPercentile(result.latency, 99.9), 12_351);
  assertStringIncludes(markdown, "| 99.9% | 12.35ms | 1.05ms |\n");
  // The top row is wrk2's 100 % line, never below the 99.99 % line above it.
  assertStringIncludes(markdown, "| 99.99% | 40.03ms | 1.05ms |\n| 99.999% | 40.03ms | 1.05ms |\n");
  assertStringIncludes(markdown, "| Max | 40.03ms | 1.05ms |\n");
});

Deno.test("formatMarkdownSummary() renders a run that did not start, its thresholds all failed", async (t) => {
  const markdown = summary(null, "unable to connect to 127.0.0.1:8080 Connection refused");
  await assertSnapshot(t, markdown);
  assert(markdown.endsWith(
    "\n\n2 threads and 10 connections\n\n" +
      "**The run did not start:** `unable to connect to 127.0.0.1:8080 Connection refused`\n\n" +
      "|  | Threshold | Actual |\n| :---: | :--- | ---: |\n| ❌ | `p99 < 200ms` | — |\n| ❌ | `errors < 1%` | — |\n",
  ));
  assert(markdown.startsWith("### ❌ wrk-deno `http://127.0.0.1:8080/api?q=1`\n"));
  assert(!markdown.includes("Percentile"));
});

Deno.test("formatMarkdownSummary() says a run that failed after it started failed, and when it started", () => {
  const error = "check.lua:3: in response(): x";
  const markdown = formatMarkdownSummary(null, {
    ...contextOf(null, error),
    startedAt: "2026-12-04T12:00:00.000Z",
  });
  assert(
    markdown.endsWith(
      "\n\n2 threads and 10 connections, started 2026-12-04T12:00:00.000Z\n\n" +
        "**The run failed after it started:** `check.lua:3: in response(): x`\n\n" +
        "|  | Threshold | Actual |\n| :---: | :--- | ---: |\n| ❌ | `p99 < 200ms` | — |\n| ❌ | `errors < 1%` | — |\n",
    ),
    markdown,
  );
  assert(markdown.startsWith("### ❌ wrk-deno `http://127.0.0.1:8080/api?q=1`\n"));
  assert(!markdown.includes("did not start"), markdown);
  // Without a start (absent, or null), the run did not start.
  assertStringIncludes(
    formatMarkdownSummary(null, { ...contextOf(null, error), startedAt: null }),
    "\n\n2 threads and 10 connections\n\n**The run did not start:** `check.lua:3: in response(): x`\n",
  );
});

Deno.test("formatMarkdownSummary() marks the heading only when thresholds were given", () => {
  const result = runResult({ errors: { connect: 0, read: 0, write: 0, status: 0, timeout: 0 } });
  const context = contextOf(result);
  assertEquals(context.thresholds!.map((v) => v.passed), [true, true]);
  const heading = (thresholds: ThresholdVerdict[] | null) =>
    formatMarkdownSummary(result, { ...context, thresholds }).split("\n")[0];
  assertEquals(heading(context.thresholds), "### ✅ wrk-deno `http://127.0.0.1:8080/api?q=1`");
  assertEquals(heading(null), "### wrk-deno `http://127.0.0.1:8080/api?q=1`");
  assertEquals(heading([]), "### wrk-deno `http://127.0.0.1:8080/api?q=1`");
  const clean = formatMarkdownSummary(result, { ...context, thresholds: null });
  assert(!clean.includes("| Error |"), "no error table for a run without errors");
  assert(!clean.includes("Threshold"));
});

Deno.test("formatMarkdownSummary() marks incomplete figures failed, as the program fails on them, unless allowed", () => {
  const result = runResult({ errors: { connect: 0, read: 0, write: 0, status: 0, timeout: 0 } });
  const context = contextOf(result);
  assertEquals(context.thresholds!.map((v) => v.passed), [true, true]);
  const heading = (result: RunResult, extra: Partial<MarkdownContext> = {}) =>
    formatMarkdownSummary(result, { ...context, ...extra }).split("\n")[0];
  const ok = "### ✅ wrk-deno `http://127.0.0.1:8080/api?q=1`";
  const failed = "### ❌ wrk-deno `http://127.0.0.1:8080/api?q=1`";
  assertEquals(heading(result), ok);
  assertEquals(heading({ ...result, unfinishedThreads: [1] }), failed);
  assertEquals(heading({ ...result, stoppedEarly: true }), failed);
  assertEquals(
    heading({ ...result, stoppedEarly: true }, { thresholds: null }),
    "### ❌ wrk-deno `http://127.0.0.1:8080/api?q=1`",
  );
  // merge --allow-partial takes them as they are (and exits 0).
  assertEquals(
    heading({ ...result, unfinishedThreads: [1], stoppedEarly: true }, { allowPartial: true }),
    ok,
  );
});

Deno.test("formatMarkdownSummary() says when there are no latency samples, and why a threshold has no value", () => {
  const result = runResult({ latency: new Stats(), unfinishedThreads: [1] });
  const markdown = summary(result);
  assertStringIncludes(markdown, "\n\nNo latency samples.\n\n");
  assertStringIncludes(markdown, "\n\n⚠️ Threads that did not finish: 1 (their figures are missing)\n\n");
  assertStringIncludes(markdown, "| ❌ | `p99 < 200ms` | _no latency samples_ |\n");
});

Deno.test("formatMarkdownSummary() lists a socket error count that no reason accounts for as other", () => {
  const markdown = summary(runResult({ errorReasons: [] }));
  assertStringIncludes(
    markdown,
    "| connect other | 3 |\n| read other | 2 |\n| timeout other | 1 |\n| non-2xx or 3xx responses | 341 |\n",
  );
});

Deno.test("formatMarkdownSummary() escapes the run's text: pipes in cells, backticks in code, Markdown in text", () => {
  const command = ["-t1", "-c1", "-H", "X-A: it's `x` | y", "http://h/`a`b*c_"];
  const config = parseArgs(command);
  const result = runResult({
    url: config.target.url,
    errors: { connect: 0, read: 2, write: 0, status: 0, timeout: 0 },
    errorReasons: [{ category: "read", reason: "bad | *thing* `x` <b>", count: 2 }],
  });
  const thresholds: ThresholdVerdict[] = [
    { expression: "p99 <`|` 1s", metric: "p99", op: "<", limit: 1, unit: "us", actual: 5, passed: false },
  ];
  const markdown = formatMarkdownSummary(result, { command, config, thresholds, error: null });
  // A code span one backtick longer than the backticks inside.
  assert(markdown.startsWith("### ❌ wrk-deno ``http://h/`a`b*c_``\n"));
  // The shell's own quoting of a single quote, in a code block where nothing else needs escaping.
  assertStringIncludes(
    markdown,
    "```sh\nwrk-deno -t1 -c1 -H 'X-A: it'\\''s `x` | y' 'http://h/`a`b*c_'\n```\n",
  );
  assertStringIncludes(markdown, "| read bad \\| \\*thing\\* \\`x\\` \\<b\\> | 2 |\n");
  assertStringIncludes(markdown, "| ❌ | ``p99 <`\\|` 1s`` | 5.00us |\n");
  const failed = formatMarkdownSummary(null, { command, config, thresholds: null, error: "`boom` | *x*" });
  // Outside a table a pipe needs no escape; a span starting with a backtick is padded with a space.
  assert(failed.endsWith("**The run did not start:** `` `boom` | *x* ``\n"));
});

Deno.test("formatMarkdownSummary() takes a result or an error, not both or neither", () => {
  assertThrows(() => summary(runResult(), "boom"), TypeError, "either a result or the error");
  assertThrows(() => summary(null, null), TypeError, "either a result or the error");
});
