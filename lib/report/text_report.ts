/**
 * wrk's text report (`print_stats_header`, `print_stats`, `print_stats_latency`;
 * docs/wrk-compat.md#report-layout), as pure functions from a {@linkcode RunResult} to the exact text wrk prints.
 *
 * @module
 */

import type { RunResult } from "../run_result.ts";
import type { Stats } from "../stats/stats.ts";
import {
  integer,
  printUnits,
  type RowFigures,
  statsHeaderLine,
  statsRowLine,
  streamLimitLine,
  summaryLines,
  unfinishedThreadsLine,
} from "./_lines.ts";
import { formatFixed, padLeft } from "./_printf.ts";
import { formatMetric, formatSeconds, formatTimeUs } from "./units.ts";

/** The percentiles of the `--latency` distribution, in wrk's order. */
const LATENCY_PERCENTILES = [50, 75, 90, 99] as const;

const MS_PER_S = 1000;
const US_PER_S = 1_000_000;

/**
 * The two lines wrk prints before the run starts: `Running 10s test @ <url>` and `  2 threads and 10
 * connections`.
 *
 * A whole number of seconds prints through wrk's seconds formatter with no decimals (`10s`, `1m`, `2m` for 90 s).
 * wrk cannot express other durations; ours can (`500ms`), and they print through the µs formatter (`500.00ms`,
 * `1.50s`) rather than rounding to a misleading `0s` or `2s`.
 *
 * @example The header of a 2 s run
 * ```ts
 * import { formatHeader } from "./text_report.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(
 *   formatHeader("http://127.0.0.1:8080/", 2000, 2, 10),
 *   "Running 2s test @ http://127.0.0.1:8080/\n  2 threads and 10 connections\n",
 * );
 * ```
 */
export function formatHeader(url: string, durationMs: number, threads: number, connections: number): string {
  const durationS = durationMs / MS_PER_S;
  const duration = Number.isInteger(durationS)
    ? formatSeconds(durationS, 0)
    : formatTimeUs(durationMs * (US_PER_S / MS_PER_S));
  return `Running ${duration} test @ ${url}\n` +
    `  ${integer(threads)} threads and ${integer(connections)} connections\n`;
}

/**
 * The line after the header of a shard's run (`--shard-index`/`--shard-count`): which shard, which of the
 * test's connections it opens, and with `-R` its part of the rate.
 *
 * @example Shard 2 (from 0) of 3 of `-c 10 -R 1000`
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { formatShardLine } from "./text_report.ts";
 *
 * const shard = { index: 2, count: 3, connections: 10, rate: 1000, firstConnection: 7 };
 * assertEquals(
 *   formatShardLine(shard, 3, 300),
 *   "  shard 2 of 3: connections 7-9 of 10, 300.00 of 1000 requests/sec\n",
 * );
 * ```
 */
export function formatShardLine(
  shard: { index: number; count: number; connections: number; rate: number | null; firstConnection: number },
  connections: number,
  rate: number | null,
): string {
  const last = shard.firstConnection + connections - 1;
  const rateText = rate === null || shard.rate === null
    ? ""
    : `, ${rate.toFixed(2)} of ${shard.rate} requests/sec`;
  return `  shard ${shard.index} of ${shard.count}: connections ${shard.firstConnection}-${last} of ` +
    `${shard.connections}${rateText}\n`;
}

/**
 * wrk's report after a run, from the `  Thread Stats` line on (the header comes from {@linkcode formatHeader},
 * printed before the run). With `options.latency`, the `Latency Distribution` block follows the stats rows.
 * Two last lines wrk does not have: a server's stream limit below `--streams` (HTTP/2), and the threads that
 * did not report in time.
 *
 * @example The report of a one-second run without errors
 * ```ts
 * import { formatReport } from "./text_report.ts";
 * import { Stats } from "../stats/stats.ts";
 * import { assert } from "@std/assert";
 * const latency = new Stats();
 * latency.record(250);
 * const requestRate = new Stats();
 * requestRate.record(4000);
 * const text = formatReport({
 *   url: "http://127.0.0.1:8080/",
 *   threads: 1,
 *   connections: 1,
 *   durationMs: 1000,
 *   runtimeUs: 1_000_000,
 *   requests: 4000,
 *   bytesRead: 400_000,
 *   errors: { connect: 0, read: 0, write: 0, status: 0, timeout: 0 },
 *   errorReasons: [],
 *   statusCodes: {},
 *   startedAt: "2026-12-04T12:00:00.000Z",
 *   latency,
 *   uncorrectedLatency: null,
 *   requestRate,
 *   rate: null,
 *   unfinishedThreads: [],
 * }, { latency: false });
 * assert(text.startsWith("  Thread Stats   Avg      Stdev     Max   +/- Stdev\n"));
 * assert(text.endsWith("Requests/sec:   4000.00\nTransfer/sec:    390.62KB\n"));
 * ```
 */
export function formatReport(result: RunResult, options: { latency: boolean }): string {
  const lines: string[] = [statsHeaderLine()];
  lines.push(statsRowLine("Latency", wrkFigures(result.latency), formatTimeUs));
  lines.push(statsRowLine("Req/Sec", wrkFigures(result.requestRate), formatMetric));
  if (options.latency) {
    lines.push("  Latency Distribution");
    for (const p of LATENCY_PERCENTILES) {
      lines.push(
        `${padLeft(formatFixed(p, 0), 7)}%${printUnits(result.latency.percentile(p), formatTimeUs, 10)}`,
      );
    }
  }
  lines.push(...summaryLines(result));
  const streams = streamLimitLine(result.streamLimit);
  if (streams !== null) lines.push(streams);
  const unfinished = unfinishedThreadsLine(result.unfinishedThreads);
  if (unfinished !== null) lines.push(unfinished);
  return lines.map((line) => line + "\n").join("");
}

/** wrk's `print_stats` figures (`stats_mean`, `stats_stdev`, the max, `stats_within_stdev`) of a `Stats`. */
function wrkFigures(stats: Stats): RowFigures {
  return { mean: stats.mean, stdev: stats.stdev, max: stats.max, withinStdev: stats.withinStdev() };
}
