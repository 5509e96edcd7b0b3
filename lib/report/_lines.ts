/**
 * The report lines wrk and wrk2 print alike (`print_stats_header`, `print_stats`, `print_units` and the tail of
 * `main`), shared by the wrk report (text_report.ts) and the `-R` report (rate_report.ts) so both print them
 * byte for byte the same (docs/wrk-compat.md#report-layout). Private to `lib/report/`.
 *
 * @module
 */

import type { RunResult } from "../run_result.ts";
import { formatFixed, padLeft } from "./_printf.ts";
import { formatBinary, formatTimeUs } from "./units.ts";
import { statusCodeEntries } from "../stats/status_codes.ts";

const US_PER_S = 1_000_000;

/** The four figures of one `print_stats` row. */
export interface RowFigures {
  mean: number;
  stdev: number;
  max: number;
  /** Percentage of samples within mean ± stdev; NaN prints as wrk's `-nan`. */
  withinStdev: number;
}

/**
 * `print_stats_header`: the `  Thread Stats` line.
 *
 * @example The header row
 * ```ts
 * import { statsHeaderLine } from "./_lines.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(statsHeaderLine(), "  Thread Stats   Avg      Stdev     Max   +/- Stdev");
 * ```
 */
export function statsHeaderLine(): string {
  return `  Thread Stats${padLeft("Avg", 6)}${padLeft("Stdev", 11)}${padLeft("Max", 8)}${
    padLeft("+/- Stdev", 12)
  }`;
}

/**
 * One `    Latency   301.88us  158.99us   4.23ms   97.85%` row (`print_stats`), from its four figures.
 *
 * @example A latency row
 * ```ts
 * import { statsRowLine } from "./_lines.ts";
 * import { formatTimeUs } from "./units.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(
 *   statsRowLine("Latency", { mean: 301.88, stdev: 158.99, max: 4230, withinStdev: 97.85 }, formatTimeUs),
 *   "    Latency   301.88us  158.99us   4.23ms   97.85%",
 * );
 * ```
 */
export function statsRowLine(name: string, figures: RowFigures, format: (n: number) => string): string {
  return `    ${name.padEnd(10, " ")}` +
    printUnits(figures.mean, format, 8) +
    printUnits(figures.stdev, format, 10) +
    printUnits(figures.max, format, 9) +
    `${padLeft(formatFixed(figures.withinStdev, 2), 8)}%`;
}

const isLetter = (char: string | undefined): boolean => char !== undefined && /^[A-Za-z]$/.test(char);

/**
 * wrk's `print_units`: two spaces of padding, one less for each of the last two characters that is a letter,
 * and the text right-aligned and truncated (`%*.*s`) in the remaining columns. So `4.23ms` and `16.89k` line up
 * on their digits.
 *
 * @example A time and a count in 9 columns
 * ```ts
 * import { printUnits } from "./_lines.ts";
 * import { formatMetric, formatTimeUs } from "./units.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(printUnits(4230, formatTimeUs, 9), "   4.23ms");
 * assertEquals(printUnits(16_890, formatMetric, 9), "  16.89k ");
 * ```
 */
export function printUnits(n: number, format: (n: number) => string, width: number): string {
  const text = format(n);
  let pad = 2;
  if (isLetter(text[text.length - 1])) pad--;
  if (isLetter(text[text.length - 2])) pad--;
  const columns = width - pad;
  return padLeft(text.slice(0, columns), columns) + " ".repeat(pad);
}

/**
 * The lines after the statistics in wrk's and wrk2's `main`: requests, time and bytes, the `Socket errors` and
 * `Non-2xx or 3xx responses` lines when their counters are non-zero, `Requests/sec` and `Transfer/sec`. Ours
 * (docs/wrk-compat.md#error-lines): an `Error reasons` line after `Socket errors`, and a `Status codes` line
 * after `Non-2xx`, each only with the line it follows, so a clean run's report stays wrk's.
 *
 * @example A clean one-second run
 * ```ts
 * import { summaryLines } from "./_lines.ts";
 * import { Stats } from "../stats/stats.ts";
 * import { assertEquals } from "@std/assert";
 * const lines = summaryLines({
 *   url: "http://127.0.0.1:8080/",
 *   threads: 1,
 *   connections: 1,
 *   durationMs: 1000,
 *   runtimeUs: 1_000_000,
 *   requests: 4000,
 *   bytesRead: 400_000,
 *   errors: { connect: 0, read: 0, write: 0, status: 0, timeout: 0 },
 *   errorReasons: [],
 *   statusCodes: { "200": 4000 },
 *   startedAt: "2026-12-04T12:00:00.000Z",
 *   latency: new Stats(),
 *   uncorrectedLatency: null,
 *   requestRate: new Stats(),
 *   rate: null,
 *   unfinishedThreads: [],
 * });
 * assertEquals(lines, [
 *   "  4000 requests in 1.00s, 390.62KB read",
 *   "Requests/sec:   4000.00",
 *   "Transfer/sec:    390.62KB",
 * ]);
 * ```
 */
export function summaryLines(result: RunResult): string[] {
  const lines: string[] = [];
  lines.push(
    `  ${integer(result.requests)} requests in ${formatTimeUs(result.runtimeUs)}, ${
      formatBinary(result.bytesRead)
    }B read`,
  );
  const { connect, read, write, timeout, status } = result.errors;
  if (connect || read || write || timeout) {
    lines.push(
      `  Socket errors: connect ${integer(connect)}, read ${integer(read)}, write ${
        integer(write)
      }, timeout ${integer(timeout)}`,
    );
    const reasons = result.errorReasons.map(({ category, reason, count }) =>
      `${category} ${reason} ${integer(count)}`
    );
    if (reasons.length > 0) lines.push(`  Error reasons: ${reasons.join(", ")}`);
  }
  if (status) {
    lines.push(`  Non-2xx or 3xx responses: ${integer(status)}`);
    const codes = statusCodeEntries(result.statusCodes);
    if (codes.length > 0) {
      lines.push(`  Status codes: ${codes.map(([code, count]) => `${code} ${integer(count)}`).join(", ")}`);
    }
  }
  lines.push(`Requests/sec: ${padLeft(formatFixed(requestsPerSecond(result), 2), 9)}`);
  lines.push(
    `Transfer/sec: ${padLeft(formatBinary(perSecond(result.bytesRead, result.runtimeUs / US_PER_S)), 10)}B`,
  );
  return lines;
}

/**
 * Ours: the last line of a report when threads did not report in time, or null when all did.
 *
 * @example Two threads missing
 * ```ts
 * import { unfinishedThreadsLine } from "./_lines.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(
 *   unfinishedThreadsLine([1, 3]),
 *   "  Threads that did not finish: 1, 3 (their figures are missing)",
 * );
 * assertEquals(unfinishedThreadsLine([]), null);
 * ```
 */
export function unfinishedThreadsLine(unfinishedThreads: readonly number[]): string | null {
  if (unfinishedThreads.length === 0) return null;
  return `  Threads that did not finish: ${unfinishedThreads.join(", ")} (their figures are missing)`;
}

/**
 * Ours, for the closed loop over HTTP/2: the line saying that the server allowed fewer streams per connection
 * than `--streams` (its SETTINGS_MAX_CONCURRENT_STREAMS), so that fewer requests were in flight than asked
 * and the latency correction counted the streams allowed; null when no server set such a limit.
 *
 * @example A server that allows two streams
 * ```ts
 * import { streamLimitLine } from "./_lines.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(
 *   streamLimitLine(2),
 *   "  The server allows 2 streams per connection (fewer than --streams): add -c for more requests in flight",
 * );
 * assertEquals(streamLimitLine(0), "  The server allowed no streams at times (a limit of 0): requests waited for it");
 * assertEquals(streamLimitLine(null), null);
 * ```
 */
export function streamLimitLine(streamLimit: number | null | undefined): string | null {
  if (streamLimit === null || streamLimit === undefined) return null;
  // A server shutting down announces 0: no new stream until it lifts it.
  if (streamLimit === 0) {
    return "  The server allowed no streams at times (a limit of 0): requests waited for it";
  }
  const streams = streamLimit === 1 ? "stream" : "streams";
  return `  The server allows ${streamLimit} ${streams} per connection (fewer than --streams): add -c for more ` +
    "requests in flight";
}

/**
 * Completed responses per second of run time, as the `Requests/sec` line prints it; 0 when no time passed.
 *
 * @example 4000 requests in two seconds
 * ```ts
 * import { requestsPerSecond } from "./_lines.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(requestsPerSecond({ requests: 4000, runtimeUs: 2_000_000 }), 2000);
 * ```
 */
export function requestsPerSecond(result: Pick<RunResult, "requests" | "runtimeUs">): number {
  return perSecond(result.requests, result.runtimeUs / US_PER_S);
}

/**
 * `%d` of a counter; a missing or non-finite counter prints as 0.
 *
 * @example
 * ```ts
 * import { integer } from "./_lines.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(integer(12.9), "12");
 * assertEquals(integer(Number.NaN), "0");
 * ```
 */
export function integer(n: number): string {
  return Number.isFinite(n) ? String(Math.trunc(n)) : "0";
}

/** `amount / seconds`, 0 instead of NaN or Infinity when no time passed. */
function perSecond(amount: number, seconds: number): number {
  return seconds > 0 ? amount / seconds : 0;
}
