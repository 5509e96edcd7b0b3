/**
 * wrk2's report for a `-R` run (giltene/wrk2, src/wrk.c: the end of `main`, `print_stats`,
 * `print_hdr_latency`), as a pure function from a {@linkcode RunResult} to the text wrk2 prints after its
 * header, plus one line of ours when the run fell short of the rate asked.
 *
 * @module
 */

import type { RunResult } from "../run_result.ts";
import { hdrFigures, hdrValueAtPercentile } from "../stats/hdr_figures.ts";
import type { Stats } from "../stats/stats.ts";
import { formatPercentileSpectrum, type SpectrumOptions } from "./_hdr_spectrum.ts";
import {
  printUnits,
  requestsPerSecond,
  type RowFigures,
  statsHeaderLine,
  statsRowLine,
  summaryLines,
  unfinishedThreadsLine,
} from "./_lines.ts";
import { formatFixed, padLeft } from "./_printf.ts";
import { formatMetric, formatTimeUs } from "./units.ts";

/** The percentiles of wrk2's `print_hdr_latency`, in its order. */
const HDR_PERCENTILES = [50, 75, 90, 99, 99.9, 99.99, 99.999, 100] as const;

/** `print_hdr_latency` calls `hdr_percentiles_print(histogram, stdout, 5, 1000.0, CLASSIC)`. */
const SPECTRUM: SpectrumOptions = { ticksPerHalfDistance: 5, valueScale: 1000 };

/** `main` closes each latency block with this rule. */
const RULE = "-".repeat(58);

const RECORDED = "Recorded Latency";
const UNCORRECTED = "Uncorrected Latency (measured without taking delayed starts into account)";

/** Ours: a run more than this fraction below `-R` gets the `Rate:` line. */
const SHORTFALL_TOLERANCE = 0.01;
/** Ours: more than this fraction of batches sent late means the lanes, not the client, held the rate. */
const LATE_TOLERANCE = 0.01;

/**
 * wrk2's report of a `-R` run, from the `  Thread Stats` line on (`formatHeader()` in text_report.ts
 * prints the header before the run).
 *
 * The table is wrk's, with wrk2's figures: both rows read their histogram the way wrk2 does (mean of bucket
 * midpoints, standard deviation divided by N, maximum at the bottom of the highest bucket, `+/- Stdev` counted
 * in whole buckets). Req/Sec comes from our 100 ms samples, so unlike wrk2 (which samples only after a 10 s
 * calibration) it has figures in short runs too. A row without samples prints as the wrk report prints it
 * (zeros and `-nan%`), not as wrk2 does (`-nan` mean and deviation, `0.00%`).
 *
 * With `options.latency`, the `Latency Distribution (HdrHistogram - Recorded Latency)` block follows: eight
 * percentiles, the detailed percentile spectrum and a rule. With `options.uncorrected` and uncorrected samples
 * in the result, a blank line and the same block for the latency measured from each request's actual write.
 * Then the requests, error and rate lines of the wrk report; then, ours, a `Rate:` line when the run achieved
 * more than 1 % less than `-R` asked, with the likeliest reason (`options.http2`: a run whose lanes are
 * streams, so the remedy names `--streams` too); then the unfinished-threads line if any.
 *
 * @example A run that kept to its rate
 * ```ts
 * import { formatRateReport } from "./rate_report.ts";
 * import { Stats } from "../stats/stats.ts";
 * import { assert, assertEquals } from "@std/assert";
 * const latency = new Stats();
 * for (let us = 1; us <= 1000; us++) latency.record(us);
 * const requestRate = new Stats();
 * requestRate.recordCount(1000, 10);
 * const text = formatRateReport({
 *   url: "http://127.0.0.1:8080/",
 *   threads: 1,
 *   connections: 10,
 *   durationMs: 1000,
 *   runtimeUs: 1_000_000,
 *   requests: 1000,
 *   bytesRead: 100_000,
 *   errors: { connect: 0, read: 0, write: 0, status: 0, timeout: 0 },
 *   errorReasons: [],
 *   statusCodes: {},
 *   startedAt: "2026-12-04T12:00:00.000Z",
 *   latency,
 *   uncorrectedLatency: latency,
 *   requestRate,
 *   rate: { plannedPerSec: 1000, batches: 1000, lateBatches: 0, requestsSent: 1000 },
 *   unfinishedThreads: [],
 * }, { latency: true, uncorrected: false });
 * const lines = text.split("\n");
 * assertEquals(lines[1], "    Latency   500.50us  288.67us   1.00ms   58.00%");
 * assertEquals(lines[3], "  Latency Distribution (HdrHistogram - Recorded Latency)");
 * assertEquals(lines[4], " 50.000%  500.00us");
 * assert(text.includes("\n----------------------------------------------------------\n  1000 requests in 1.00s"));
 * assert(!text.includes("Rate:"));
 * ```
 */
export function formatRateReport(
  result: RunResult,
  options: { latency: boolean; uncorrected: boolean; http2?: boolean },
): string {
  const lines = [
    statsHeaderLine(),
    statsRowLine("Latency", rowFigures(result.latency), formatTimeUs),
    statsRowLine("Req/Sec", rowFigures(result.requestRate), formatMetric),
  ];
  if (options.latency) {
    lines.push(...hdrLatencyLines(result.latency, RECORDED), RULE);
  }
  if (options.uncorrected && result.uncorrectedLatency !== null) {
    lines.push("", ...hdrLatencyLines(result.uncorrectedLatency, UNCORRECTED), RULE);
  }
  lines.push(...summaryLines(result));
  const shortfall = rateShortfallLine(result, options.http2 === true);
  if (shortfall !== null) lines.push(shortfall);
  const unfinished = unfinishedThreadsLine(result.unfinishedThreads);
  if (unfinished !== null) lines.push(unfinished);
  return lines.map((line) => line + "\n").join("");
}

/**
 * wrk2's `print_stats` figures for a histogram-backed row. Without samples, the wrk report's row instead:
 * wrk2's 0 / 0 mean would print as `-nanus`.
 */
function rowFigures(stats: Stats): RowFigures {
  const figures = hdrFigures(stats);
  if (figures.count === 0) return { mean: 0, stdev: 0, max: 0, withinStdev: Number.NaN };
  return figures;
}

/** `print_hdr_latency`: the eight `%7.3f%%` percentiles, a blank line, then the detailed spectrum. */
function hdrLatencyLines(stats: Stats, description: string): string[] {
  const lines = [`  Latency Distribution (HdrHistogram - ${description})`];
  for (const p of HDR_PERCENTILES) {
    lines.push(
      `${padLeft(formatFixed(p, 3), 7)}%${printUnits(hdrValueAtPercentile(stats, p), formatTimeUs, 10)}`,
    );
  }
  lines.push("", "  Detailed Percentile spectrum:", ...formatPercentileSpectrum(stats, SPECTRUM));
  return lines;
}

/**
 * A thread on a core or waiting for one this share of the time it ran, or more, was the limit
 * (`RateOutcome.busiestThreadShare` and `busiestThreadCoreWaitShare`).
 */
const BUSY_CLIENT_SHARE = 0.9;
/**
 * From this share of its time waiting for a core, the line says so; when it waited more than it worked, that
 * more threads would not help.
 */
const CORE_WAIT_SHARE = 0.1;

/** The busy-lanes advice's caveat: the same shortfall comes from a server at its capacity. */
const AT_CAPACITY = ", unless the server is at its capacity (more connections then only wait longer)";

/**
 * Ours: `  Rate: <achieved> of <asked> requests/sec asked (<n>% short): <reason>` when the run achieved more
 * than 1 % less than `-R`, else null. The achieved rate counts completed responses, as wrk2's does, so it
 * falls short when the client sent on plan but answers were still on their way at the stop (a slow server
 * leaves about its answer time × `-R` of them uncounted).
 *
 * What the run could do is judged against the requests its plan had due before the end (`requestsDue`), not
 * `-R` × the time run: a short run holds fewer slots than that (`-R 1 -d1500ms` holds one, at 0.5 s), a shard's
 * lanes may have none in its time, and a merge's time also spans the shards' start skew. Unless threads did
 * not finish (their figures are missing), the reason is the likeliest of six: the answers kept that plan
 * (within the same 1 %), so nothing fell short of it but the count of its slots in the time run; socket
 * errors (failed requests do not count); the requests sent kept the plan, so the shortfall is only the
 * requests in flight at the end; a client thread on a core or waiting for one nearly all the time it ran (its
 * lanes fall behind too, and more connections would only add to its work; when it waited more than it worked, other
 * work shares its cores, and more threads would not help either); batches that waited for their lane's previous
 * response, or requests due and never sent from a client known not to be busy (the lanes' capacity, fixed by more connections, or over HTTP/2 by more streams per connection:
 * each stream is a lane); else the client's own pace (its threads or cores). When the requests due are unknown
 * (a merge of a result file from a version that did not count them), the plan is taken as `-R` × the time
 * run; when the requests sent are, the in-flight reason is never given.
 */
export function rateShortfallLine(result: RunResult, http2: boolean): string | null {
  const rate = result.rate;
  if (rate === null || !(rate.plannedPerSec > 0)) return null;
  const achieved = requestsPerSecond(result);
  if (achieved >= rate.plannedPerSec * (1 - SHORTFALL_TOLERANCE)) return null;
  const short = (1 - achieved / rate.plannedPerSec) * 100;
  const { connect, read, write, timeout } = result.errors;
  const sent = rate.requestsSent;
  const due = rate.requestsDue ?? null;
  const plannedRequests = due ?? rate.plannedPerSec * result.runtimeUs / 1e6;
  const keptPlan = (requests: number) => requests >= plannedRequests * (1 - SHORTFALL_TOLERANCE);
  let reason: string;
  const unfinished = result.unfinishedThreads.length;
  if (unfinished > 0) {
    // Their requests, and the plan's slots they held, are missing: nothing can be said of the rest.
    reason = unfinished === 1
      ? "a thread did not finish (see below): its figures are missing"
      : `${unfinished} threads did not finish (see below): their figures are missing`;
  } else if (due !== null && keptPlan(result.requests)) {
    // A full plan for -d answered, and still short: the time run is longer than -d (a thread that stopped
    // late, or a merge whose shards started apart), and the rate counts that time.
    const fullPlan = rate.plannedPerSec * result.durationMs / 1000;
    reason = due >= fullPlan * (1 - SHORTFALL_TOLERANCE) && result.runtimeUs > result.durationMs * 1000
      ? `the run took ${formatTimeUs(result.runtimeUs)} for ${
        formatTimeUs(result.durationMs * 1000)
      } of -d ` +
        "(threads that stopped late, or shards started apart), and the rate counts the time run: the requests " +
        "due were answered"
      : due === 0
      ? "the plan had no request due in the time run: the rate was kept"
      : `the plan had only ${due} request${due === 1 ? "" : "s"} due in the time run: the rate was kept`;
  } else if (result.requests === 0 && sent !== null && sent > 0 && connect + read + write === 0) {
    // Nothing came back, nor failed (timeouts aside): more connections would only hold more unanswered requests.
    reason = `the server answered none of the ${sent} request${sent === 1 ? "" : "s"} sent`;
  } else if (connect + read + write + timeout > 0) {
    reason = "errors cut the rate (see above)";
  } else if (sent !== null && keptPlan(sent)) {
    // Unanswered: in flight at the end, or lost with a connection that closed in the middle of a pipelined
    // batch (no error is counted for those, as in wrk); over HTTP/1.1 more than one per connection cannot all
    // be in flight without pipelining, which the result does not say (HTTP/2 counts its lost streams).
    const unanswered = Math.max(0, sent - result.requests);
    const requests = `${unanswered} request${unanswered === 1 ? "" : "s"}`;
    const were = unanswered === 1 ? "was" : "were";
    reason = http2 || unanswered <= result.connections
      ? `${requests} ${were} still in flight at the end (not counted): the rate was kept`
      : `${requests} sent got no answer (in flight at the end, or lost with a connection closed in the middle ` +
        "of a pipelined batch): the requests went out at the rate asked";
  } else if ((rate.busiestThreadShare ?? 0) + (rate.busiestThreadCoreWaitShare ?? 0) >= BUSY_CLIENT_SHARE) {
    // Lanes fall behind too when their thread is too busy to read the answers: more connections would only
    // add to its work.
    const busyShare = rate.busiestThreadShare!;
    const waitShare = rate.busiestThreadCoreWaitShare ?? 0;
    const percent = (share: number) => Math.min(100, Math.round(share * 100));
    const waited = waitShare < CORE_WAIT_SHARE ? "" : ` and waited ${percent(waitShare)}% for a core`;
    reason =
      `the client could not keep pace (a thread was busy ${percent(busyShare)}% of the time${waited}): ` +
      (waitShare > busyShare
        ? "other work shares the client's cores; give it cores of its own"
        : "add -t, or run on more cores");
  } else if (
    (rate.batches > 0 && rate.lateBatches / rate.batches > LATE_TOLERANCE) ||
    // Slots that never got their request (the sent ones fell short: the branch above), from a client known not
    // to be busy: each lane still waited for an answer at the stop (a server that never answers gets one batch
    // per lane, none of them late).
    (sent !== null && (rate.busiestThreadShare ?? null) !== null)
  ) {
    // More lanes help a server that answers each request slowly but has room for more at once; a server at its
    // capacity answers no faster for them, and its answers only wait longer: the report cannot tell the two.
    const limit = result.streamLimit ?? null;
    reason = http2 && limit !== null
      ? `requests waited for busy streams: the server allows ${limit} stream${limit === 1 ? "" : "s"} per ` +
        "connection (fewer than --streams), and -c connections of them cannot carry this rate; add -c" +
        AT_CAPACITY
      : http2
      ? "requests waited for busy streams: the server answers slower than -c connections of --streams " +
        "streams can carry at this rate; add -c or --streams" + AT_CAPACITY
      : "requests waited for busy connections: the server answers slower than -c connections can carry " +
        "at this rate; add -c" + AT_CAPACITY;
  } else {
    reason = "the client could not keep pace: add -t, or run on more cores";
  }
  const planned = Number.isInteger(rate.plannedPerSec)
    ? String(rate.plannedPerSec)
    : formatFixed(rate.plannedPerSec, 2);
  return `  Rate: ${formatFixed(achieved, 2)} of ${planned} requests/sec asked (${
    formatFixed(short, 1)
  }% short): ${reason}`;
}
