import { assert, assertEquals } from "@std/assert";
import { assertSnapshot } from "@std/testing/snapshot";
import { formatHeader, formatReport } from "../../lib/report/text_report.ts";
import type { RunResult } from "../../lib/run_result.ts";
import type { ErrorCounts } from "../../lib/stats/error_counts.ts";
import { Stats } from "../../lib/stats/stats.ts";

/** The figures a report reads from a stats object, so a test can pin wrk's exact numbers. */
interface Figures {
  mean: number;
  stdev: number;
  max: number;
  withinStdev: number;
  percentiles?: Record<number, number>;
}

/** A `Stats`-shaped stand-in returning fixed figures: histograms cannot produce a mean of exactly 301.88. */
function fakeStats(figures: Figures): Stats {
  const fake = {
    count: 1,
    min: 0,
    mean: figures.mean,
    stdev: figures.stdev,
    max: figures.max,
    withinStdev: () => figures.withinStdev,
    percentile: (p: number) => {
      const value = figures.percentiles?.[p];
      if (value === undefined) throw new Error(`percentile(${p}) was not expected`);
      return value;
    },
  };
  return fake as unknown as Stats;
}

const NO_ERRORS: ErrorCounts = { connect: 0, read: 0, write: 0, status: 0, timeout: 0 };

function readGolden(name: string): string {
  return Deno.readTextFileSync(new URL(`./golden/${name}`, import.meta.url));
}

/** The spec's §2 run: `-t2 -c10 -d2s --latency` against a server answering 503. */
function wrk503Result(): RunResult {
  return {
    url: "http://127.0.0.1:18113/status/503",
    threads: 2,
    connections: 10,
    durationMs: 2000,
    // 2.10s on the requests line and exactly 33591.79 requests/sec.
    runtimeUs: 2_099_650,
    requests: 70531,
    // 43 bytes per 503 response: 2.89MB read and 1.38MB/s.
    bytesRead: 70531 * 43,
    errors: { ...NO_ERRORS, status: 70531 },
    errorReasons: [],
    statusCodes: {},
    startedAt: "2026-12-04T12:00:00.000Z",
    latency: fakeStats({
      mean: 301.88,
      stdev: 158.99,
      max: 4230,
      withinStdev: 97.85,
      percentiles: { 50: 309, 75: 352, 90: 386, 99: 583 },
    }),
    requestRate: fakeStats({ mean: 16890, stdev: 3980, max: 24960, withinStdev: 80.95 }),
    uncorrectedLatency: null,
    rate: null,
    unfinishedThreads: [],
  };
}

function socketErrorsResult(): RunResult {
  return {
    url: "http://127.0.0.1:18114/close",
    threads: 4,
    connections: 100,
    durationMs: 10_000,
    runtimeUs: 10_010_000,
    requests: 226_800,
    bytesRead: 19_283_000,
    errors: { ...NO_ERRORS, read: 12169 },
    errorReasons: [],
    statusCodes: {},
    startedAt: "2026-12-04T12:00:00.000Z",
    latency: fakeStats({ mean: 1210, stdev: 2050, max: 48370, withinStdev: 95.12 }),
    requestRate: fakeStats({ mean: 5670, stdev: 612.4, max: 7020, withinStdev: 71.5 }),
    uncorrectedLatency: null,
    rate: null,
    unfinishedThreads: [],
  };
}

function fullReport(result: RunResult, latency: boolean): string {
  return formatHeader(result.url, result.durationMs, result.threads, result.connections) +
    formatReport(result, { latency });
}

Deno.test("formatReport() reproduces the spec's wrk 503 report byte for byte", () => {
  assertEquals(fullReport(wrk503Result(), true), readGolden("wrk_503.txt"));
});

Deno.test("formatReport() prints the socket errors line when a socket error counter is non-zero", () => {
  assertEquals(fullReport(socketErrorsResult(), false), readGolden("wrk_socket_errors.txt"));
});

Deno.test("formatReport() starts at the Thread Stats line and leaves the header to formatHeader()", () => {
  const report = formatReport(wrk503Result(), { latency: false });
  assert(report.startsWith("  Thread Stats   Avg      Stdev     Max   +/- Stdev\n"));
  assert(!report.includes("Running"));
  assert(!report.includes("threads and"));
});

Deno.test("formatReport() omits the latency distribution without options.latency", () => {
  const report = formatReport(wrk503Result(), { latency: false });
  assert(!report.includes("Latency Distribution"));
  assert(!report.includes("50%"));
});

Deno.test("formatReport() prints the socket errors line for a timeout alone", () => {
  const result = { ...socketErrorsResult(), errors: { ...NO_ERRORS, timeout: 3 } };
  assert(
    formatReport(result, { latency: false }).includes(
      "  Socket errors: connect 0, read 0, write 0, timeout 3\n",
    ),
  );
});

Deno.test("formatReport() omits the socket errors and non-2xx lines when their counters are zero", () => {
  const result = { ...socketErrorsResult(), errors: NO_ERRORS };
  const report = formatReport(result, { latency: false });
  assert(!report.includes("Socket errors"));
  assert(!report.includes("Non-2xx"));
});

Deno.test("formatReport() lists unfinished threads in a last line", async (t) => {
  const result = { ...socketErrorsResult(), unfinishedThreads: [1, 3] };
  const report = formatReport(result, { latency: false });
  assert(report.endsWith(
    "Transfer/sec:      1.84MB\n  Threads that did not finish: 1, 3 (their figures are missing)\n",
  ));
  // The whole report: that line is ours, not wrk's, so no wrk output can be the oracle.
  await assertSnapshot(t, report);
});

Deno.test("formatReport() ends every line with a newline", () => {
  const report = formatReport(wrk503Result(), { latency: true });
  assert(report.endsWith("\n"));
  assert(!report.includes("\n\n"));
});

Deno.test("formatReport() prints an empty run as wrk does: zeros, and -nan% for +/- Stdev", () => {
  const result: RunResult = {
    url: "http://127.0.0.1:18999/",
    threads: 1,
    connections: 1,
    durationMs: 1000,
    runtimeUs: 1_000_000,
    requests: 0,
    bytesRead: 0,
    errors: NO_ERRORS,
    errorReasons: [],
    statusCodes: {},
    startedAt: "2026-12-04T12:00:00.000Z",
    latency: new Stats(),
    requestRate: new Stats(),
    uncorrectedLatency: null,
    rate: null,
    unfinishedThreads: [],
  };
  const header = formatHeader(result.url, result.durationMs, result.threads, result.connections);
  // wrk's output against a server that accepts the connection and never answers.
  assertEquals(header + formatReport(result, { latency: true }), readGolden("wrk_empty.txt"));
});

Deno.test("formatReport() reads its figures from real Stats objects", () => {
  const latency = new Stats();
  for (const us of [100, 200, 300, 400]) latency.record(us);
  const requestRate = new Stats();
  requestRate.record(1000);
  const result: RunResult = { ...socketErrorsResult(), errors: NO_ERRORS, latency, requestRate };
  const lines = formatReport(result, { latency: true }).split("\n");
  // mean 250, sample stdev sqrt(50000 / 3) = 129.10, 2 of 4 samples within [120.90, 379.10].
  assertEquals(lines[1], "    Latency   250.00us  129.10us 400.00us   50.00%");
  assertEquals(lines[2], "    Req/Sec     1.00k     0.00     1.00k   100.00%");
  // Ranks round(p / 100 × 4 + 0.5): 3, 4, 4, 4.
  assertEquals(lines.slice(4, 8), [
    "     50%  300.00us",
    "     75%  400.00us",
    "     90%  400.00us",
    "     99%  400.00us",
  ]);
});

Deno.test("formatReport() truncates a value wider than its column like wrk's %*.*s", () => {
  const result = {
    ...socketErrorsResult(),
    requestRate: fakeStats({ mean: 123_456_789_000_000_000, stdev: 0, max: 0, withinStdev: 0 }),
  };
  const row = formatReport(result, { latency: false }).split("\n")[2];
  // "123456.79T" gets 7 columns (8 minus one pad for the trailing letter), so only its first 7 characters show.
  assertEquals(row.slice(0, 22), "    Req/Sec   123456. ");
});

Deno.test("formatHeader() prints the duration through the seconds formatter with no decimals", () => {
  assertEquals(
    formatHeader("http://localhost:8080/index.html", 10_000, 2, 10),
    "Running 10s test @ http://localhost:8080/index.html\n  2 threads and 10 connections\n",
  );
  assert(formatHeader("http://x/", 60_000, 1, 1).startsWith("Running 1m test @ http://x/\n"));
  assert(formatHeader("http://x/", 90_000, 1, 1).startsWith("Running 2m test @ http://x/\n"));
  // 150 s is 2.5 minutes, which glibc's %.0f rounds to even.
  assert(formatHeader("http://x/", 150_000, 1, 1).startsWith("Running 2m test @ http://x/\n"));
});

Deno.test("formatHeader() prints a sub-second duration through the µs formatter", () => {
  assert(formatHeader("http://x/", 500, 1, 1).startsWith("Running 500.00ms test @ http://x/\n"));
  assert(formatHeader("http://x/", 1500, 1, 1).startsWith("Running 1.50s test @ http://x/\n"));
});
