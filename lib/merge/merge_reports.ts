/**
 * The merge: the threads' reports become one {@linkcode RunResult}. Counters are summed and histograms added
 * bucket by bucket, which is exact (no sample is lost or approximated), then wrk's latency correction
 * (`stats_correct`) is applied once to the merged latency, as wrk applies it after joining its threads. The same
 * mechanism merges the results of several machines.
 *
 * @module
 */
import type { Config } from "../config/config.ts";
import type { RunResult } from "../run_result.ts";
import { addErrors, addReasons, noErrors, sortedReasons } from "../stats/error_counts.ts";
import { Stats } from "../stats/stats.ts";
import type { ThreadReport } from "../worker/protocol.ts";
import { addStatusCodes, type StatusCodes } from "../stats/status_codes.ts";

/**
 * Sums the threads' counters, merges their histograms and, for a closed-loop run, applies wrk's latency
 * correction with `interval = runtime / (requests / connections)` (over HTTP/2, connections × `--streams`). A
 * null report is a thread that did not report in time: it is listed in `unfinishedThreads` (1-based), and its
 * figures are missing.
 *
 * @example Two threads, one of which never reported
 * ```ts
 * import { parseArgs } from "../config/parse_args.ts";
 * import { mergeReports } from "./merge_reports.ts";
 * import { Stats } from "../stats/stats.ts";
 *
 * const latency = new Stats();
 * latency.record(250);
 * const report = {
 *   threadIndex: 0,
 *   stoppedAtEpochMs: Date.now(),
 *   requests: 1,
 *   bytesRead: 100,
 *   errors: { connect: 0, read: 0, write: 0, status: 0, timeout: 0 },
 *   errorReasons: [],
 *   statusCodes: { "200": 1 },
 *   latency: latency.bucketCounts(),
 *   requestRate: new Stats().bucketCounts(),
 *   streamLimit: null,
 *   rate: null,
 * };
 * const result = mergeReports(parseArgs(["-t2", "-c2", "http://127.0.0.1/"]), [report, null], 1_000_000);
 * console.log(result.requests, result.unfinishedThreads); // 1 [ 2 ]
 * ```
 */
export function mergeReports(
  config: Config,
  reports: (ThreadReport | null)[],
  runtimeUs: number,
  startedAtEpochMs = Date.now() - runtimeUs / 1000,
): RunResult {
  const errors = noErrors();
  const reasons = new Map<string, number>();
  const statusCodes: StatusCodes = {};
  const latency = new Stats();
  const uncorrectedLatency = config.rate === null ? null : new Stats();
  const requestRate = new Stats();
  let batches = 0;
  let lateBatches = 0;
  let requestsSent = 0;
  let requestsDue = 0;
  let errorsAfterTimeout = 0;
  let busiestThreadShare: number | null = null;
  let busiestThreadCoreWaitShare: number | null = null;
  let streamLimit: number | null = null;
  const unfinishedThreads: number[] = [];
  let requests = 0;
  let bytesRead = 0;
  reports.forEach((report, index) => {
    if (report === null) {
      unfinishedThreads.push(index + 1);
      return;
    }
    requests += report.requests;
    bytesRead += report.bytesRead;
    addErrors(errors, report.errors);
    addReasons(reasons, report.errorReasons);
    addStatusCodes(statusCodes, report.statusCodes);
    latency.add(Stats.fromBucketCounts(report.latency));
    requestRate.add(Stats.fromBucketCounts(report.requestRate));
    const limit = report.streamLimit;
    if (limit !== null) streamLimit = Math.min(streamLimit ?? limit, limit);
    if (report.rate !== null) {
      uncorrectedLatency?.add(Stats.fromBucketCounts(report.rate.uncorrectedLatency));
      batches += report.rate.batches;
      lateBatches += report.rate.lateBatches;
      requestsSent += report.rate.requestsSent;
      requestsDue += report.rate.requestsDue;
      errorsAfterTimeout += report.rate.errorsAfterTimeout;
      const { busyShare, coreWaitShare } = report.rate;
      // The thread that had the least time to spare: on a core, or waiting for one.
      if (
        busyShare !== null &&
        (busiestThreadShare === null ||
          busyShare + (coreWaitShare ?? 0) > busiestThreadShare + (busiestThreadCoreWaitShare ?? 0))
      ) {
        busiestThreadShare = busyShare;
        busiestThreadCoreWaitShare = coreWaitShare;
      }
    }
  });
  // wrk's post-hoc correction is for the closed loop only: with -R, latency is measured from the plan. Its
  // interval is the time between one lane's requests: over HTTP/2 each stream a connection carries at once is
  // a lane (a connection's count would make the interval --streams times too short, and add samples below
  // real ones), and a server's MAX_CONCURRENT_STREAMS below --streams caps them (the streams asked for would
  // make it too long, and leave out the samples the server's waits cost; at least one, as a limit of 0 still
  // lets one batch wait).
  const streams = config.http2 ? Math.max(1, Math.min(config.streams, streamLimit ?? config.streams)) : 1;
  const lanes = config.connections * streams;
  const perLane = Math.floor(requests / lanes);
  if (config.rate === null && perLane > 0) latency.correct(Math.floor(runtimeUs / perLane));
  return {
    url: config.target.url,
    threads: config.threads,
    connections: config.connections,
    durationMs: config.durationMs,
    runtimeUs,
    requests,
    bytesRead,
    errors,
    errorReasons: sortedReasons(reasons),
    statusCodes,
    startedAt: new Date(startedAtEpochMs).toISOString(),
    latency,
    uncorrectedLatency,
    requestRate,
    rate: config.rate === null ? null : {
      plannedPerSec: config.rate,
      batches,
      lateBatches,
      requestsSent,
      requestsDue,
      errorsAfterTimeout,
      busiestThreadShare,
      busiestThreadCoreWaitShare,
    },
    streamLimit,
    unfinishedThreads,
  };
}
