/**
 * What a run returns: the merged figures of all threads.
 *
 * @module
 */
import type { ErrorCounts } from "./stats/error_counts.ts";
import type { Stats } from "./stats/stats.ts";

export type { ErrorCounts };

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
  /** Latency samples in µs, after wrk's coordinated-omission correction. */
  latency: Stats;
  /** Per-thread requests/second, sampled every 100 ms. */
  requestRate: Stats;
  /** Indexes of threads that did not report before the grace period ended (their figures are missing). */
  unfinishedThreads: number[];
}
