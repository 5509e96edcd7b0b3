/**
 * What a run returns: the merged figures of all threads.
 *
 * @module
 */
import type { ErrorCounts, ErrorReason } from "./stats/error_counts.ts";
import type { Stats } from "./stats/stats.ts";
import type { StatusCodes } from "./stats/status_codes.ts";

export type { ErrorCounts, ErrorReason };

/**
 * The merged outcome of a run: everything the report and `done()` need.
 *
 * @example Reading the figures of a run
 * ```ts
 * import type { RunResult } from "./run_result.ts";
 *
 * function summary(result: RunResult): string {
 *   const seconds = result.runtimeUs / 1e6;
 *   const rate = (result.requests / seconds).toFixed(0);
 *   return `${result.requests} requests, ${rate}/s, p99 ${result.latency.percentile(99)} µs`;
 * }
 * ```
 */
export interface RunResult {
  /** The URL as given. */
  url: string;
  /** Threads the run used. */
  threads: number;
  /** Connections the run kept open, over all threads. */
  connections: number;
  /** Requested duration. */
  durationMs: number;
  /** Time from all threads started until all stopped. */
  runtimeUs: number;
  /** Completed responses. */
  requests: number;
  /** Bytes received from the server, headers included. */
  bytesRead: number;
  /** Error counters, summed over the threads. */
  errors: ErrorCounts;
  /** Why the socket errors happened, by category and reason, most frequent first. */
  errorReasons: ErrorReason[];
  /** Responses by status code (`"200"`, `"503"`…), over the threads. */
  statusCodes: StatusCodes;
  /** When the run started (its clock's zero), as an ISO 8601 time. */
  startedAt: string;
  /**
   * Latency samples in µs. Closed loop: each from its request's write, after wrk's coordinated-omission
   * correction. With `-R`: each from the request's planned send time (free of coordinated omission), as wrk2's
   * "Recorded Latency".
   */
  latency: Stats;
  /** With `-R`: latency from each request's actual write (wrk2's "Uncorrected Latency"); null otherwise. */
  uncorrectedLatency: Stats | null;
  /** Per-thread requests/second, sampled every 100 ms. */
  requestRate: Stats;
  /** With `-R`: the rate asked for and how the run kept to it; null for a closed-loop run. */
  rate: RateOutcome | null;
  /**
   * HTTP/2: the lowest MAX_CONCURRENT_STREAMS a server set below `--streams`: the streams each connection
   * carried at once (the lanes of wrk's latency correction), and why more `--streams` cannot help, only more
   * connections. Absent or null when none did (or a merge of result files).
   */
  streamLimit?: number | null;
  /**
   * The threads that did not report before the grace period ended (their figures are missing), numbered from
   * 1 as the report and `--json` name them.
   */
  unfinishedThreads: number[];
  /**
   * Ended by its caller before `-d` (`Run.stop()`, `RunOptions.signal`: the command line's SIGINT or SIGTERM),
   * so its figures cover less than the time asked for; a merge, when any shard was. Absent: false (a run that
   * ran its time, or whose threads all stopped themselves with `thread:stop()`).
   */
  stoppedEarly?: boolean;
}

/** How a `-R` run kept to its plan. */
export interface RateOutcome {
  /** `-R`: the total rate asked for, requests per second. */
  plannedPerSec: number;
  /** Batches sent, over all connections. */
  batches: number;
  /** Of those, batches sent after their planned time (catching up): the server, or the connections, lagged. */
  lateBatches: number;
  /**
   * Requests sent (written), over all connections, each pipelined request counted: the plan holds one per
   * `1 / plannedPerSec` s, so it is about `plannedPerSec × runtime` when the client kept the rate. Those still
   * in flight when the run stopped are in it, not in `requests`. Null when unknown: a merge that includes a
   * result file from a version before it was counted.
   */
  requestsSent: number | null;
  /**
   * Requests the plan had due before the run's end (each thread's stop), over all lanes: what the run could send
   * on time. About `plannedPerSec × runtime`, but fewer when the time run holds fewer slots than that (a short
   * run: `-R 1 -d1500ms` holds one, at 0.5 s; a shard whose lanes have no slot in it; a merge, whose time spans
   * the shards' start skew). Absent or null when unknown: a merge that includes a result file from a version
   * before it was counted.
   */
  requestsDue?: number | null;
  /**
   * Requests that failed again after their timeout was counted: a late answer with status 400 or more, or a
   * read or write error while the request was still awaited (with `-R` a timed-out request stays awaited, as
   * in wrk2). Each is two errors of one attempt; a share of the requests that failed counts it once. Absent or
   * null when unknown: a merge that includes a result file from a version before it was counted.
   */
  errorsAfterTimeout?: number | null;
  /**
   * Of the threads, the largest share of the time it ran that its OS thread spent on the CPU (a thread hosted
   * with others shares their figure): near 1, the client was the limit. Absent or null when unknown (not
   * Linux, a run without `--allow-ffi`, which reads it through libc, or a merge of result files, which do not
   * carry it).
   */
  busiestThreadShare?: number | null;
  /**
   * That thread's share of the time it ran spent waiting for a core while ready to run (the cores shared with
   * other work: the server under test, other processes); the busiest thread is the one with the most of both
   * shares. Absent or null when unknown (as `busiestThreadShare`, or a kernel without scheduler statistics).
   */
  busiestThreadCoreWaitShare?: number | null;
}
