import type { Stats } from "./stats/stats.ts";

/** Socket and HTTP error counters, as wrk counts them (spec §4). */
export interface ErrorCounts {
  connect: number;
  read: number;
  write: number;
  /** Responses with status > 399. */
  status: number;
  timeout: number;
}

/** The merged outcome of a run: everything the report and `done()` need. */
export interface RunResult {
  url: string;
  threads: number;
  connections: number;
  /** Requested duration. */
  durationMs: number;
  /** Time from all threads started until all stopped. */
  runtimeUs: number;
  /** Completed responses. */
  requests: number;
  bytesRead: number;
  errors: ErrorCounts;
  /** Latency samples in µs, after wrk's coordinated-omission correction. */
  latency: Stats;
  /** Per-thread requests/second, sampled every 100 ms. */
  requestRate: Stats;
  /** Indexes of threads that did not report before the grace period ended (their figures are missing). */
  unfinishedThreads: number[];
}
