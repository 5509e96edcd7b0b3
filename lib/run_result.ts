/**
 * What a run returns: the merged figures of all threads.
 *
 * @module
 */
import type { Stats } from "./stats/stats.ts";

/**
 * Socket and HTTP error counters, as wrk counts them (spec §4). A network error is counted and the
 * connection replaced; it never ends the run.
 *
 * @example Totalling the socket errors, as the report's `Socket errors` line does
 * ```ts
 * import type { ErrorCounts } from "./run_result.ts";
 *
 * function socketErrors(errors: ErrorCounts): number {
 *   return errors.connect + errors.read + errors.write + errors.timeout;
 * }
 * console.log(socketErrors({ connect: 1, read: 0, write: 0, status: 3, timeout: 2 })); // 3
 * ```
 */
export interface ErrorCounts {
  /** Connections that could not be opened (refused, unreachable, TLS handshake failed, connect timeout). */
  connect: number;
  /** Reads that failed or returned bytes that are not a valid response. */
  read: number;
  /** Writes that failed. */
  write: number;
  /** Responses with status > 399. */
  status: number;
  /** Requests unanswered for longer than `--timeout`. */
  timeout: number;
}

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
