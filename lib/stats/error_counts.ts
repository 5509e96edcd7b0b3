/**
 * The five error counters wrk keeps (`errors` in wrk's `stats.h`), as one type from the connection that counts
 * them, through the thread's report, to the run's result, the report's `Socket errors` line and `done()`'s
 * `summary.errors`. A network error is counted and the connection replaced; it never ends the run
 * (docs/wrk-compat.md, "Running").
 *
 * @module
 */

/**
 * Socket and HTTP error counters, as wrk counts them.
 *
 * @example Totalling the socket errors, as the report's `Socket errors` line does
 * ```ts
 * import { socketErrors } from "./error_counts.ts";
 *
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
 * Why errors of one category happened, and how often: `ECONNREFUSED` for connects, `ECONNRESET` or a malformed
 * response for reads, no answer within `--timeout` for timeouts, and so on.
 */
export interface ErrorReason {
  /** The counter the errors were counted in (never `status`: status codes are counted by code). */
  category: keyof ErrorCounts;
  /** A short reason: an errno name where the OS gave one, else a few words. */
  reason: string;
  /** How many errors of this category had this reason. */
  count: number;
}

/** The categories of {@linkcode ErrorCounts}, in wrk's order (the order of its `Socket errors` line). */
export const ERROR_KINDS: readonly (keyof ErrorCounts)[] = ["connect", "read", "write", "status", "timeout"];

/**
 * Counters at zero.
 *
 * @example Counting into fresh counters
 * ```ts
 * import { noErrors } from "./error_counts.ts";
 *
 * const errors = noErrors();
 * errors.timeout++;
 * console.log(errors); // { connect: 0, read: 0, write: 0, status: 0, timeout: 1 }
 * ```
 */
export function noErrors(): ErrorCounts {
  return { connect: 0, read: 0, write: 0, status: 0, timeout: 0 };
}

/**
 * Adds reasons into `total` (keyed `category\treason`), for merging threads and runs.
 *
 * @example Two threads' reasons, merged and sorted as the report lists them
 * ```ts
 * import { addReasons, sortedReasons } from "./error_counts.ts";
 *
 * const total = new Map<string, number>();
 * addReasons(total, [{ category: "read", reason: "ECONNRESET", count: 2 }]);
 * addReasons(total, [{ category: "read", reason: "ECONNRESET", count: 1 }, { category: "connect", reason: "ECONNREFUSED", count: 5 }]);
 * console.log(sortedReasons(total).map((r) => `${r.category} ${r.reason} ${r.count}`)); // [ "connect ECONNREFUSED 5", "read ECONNRESET 3" ]
 * ```
 */
export function addReasons(total: Map<string, number>, reasons: readonly ErrorReason[]): void {
  for (const { category, reason, count } of reasons) {
    const key = `${category}\t${reason}`;
    total.set(key, (total.get(key) ?? 0) + count);
  }
}

/** The reasons of `total` (from {@linkcode addReasons}), most frequent first, then by category and reason. */
export function sortedReasons(total: ReadonlyMap<string, number>): ErrorReason[] {
  return [...total].map(([key, count]) => {
    const [category, reason] = key.split("\t");
    return { category: category as keyof ErrorCounts, reason, count };
  }).sort((a, b) =>
    b.count - a.count || ERROR_KINDS.indexOf(a.category) - ERROR_KINDS.indexOf(b.category) ||
    a.reason.localeCompare(b.reason)
  );
}

/**
 * Adds `more` into `total`, category by category (threads into a run, and runs into one).
 *
 * @example Summing two threads' counters
 * ```ts
 * import { addErrors, noErrors } from "./error_counts.ts";
 *
 * const total = noErrors();
 * addErrors(total, { connect: 1, read: 2, write: 0, status: 0, timeout: 0 });
 * addErrors(total, { connect: 0, read: 1, write: 0, status: 4, timeout: 0 });
 * console.log(total.read, total.status); // 3 4
 * ```
 */
export function addErrors(total: ErrorCounts, more: ErrorCounts): void {
  for (const kind of ERROR_KINDS) total[kind] += more[kind];
}

/**
 * The socket errors among `errors` (connect, read, write, timeout): attempts that got no response.
 *
 * @example
 * ```ts
 * import { socketErrors } from "./error_counts.ts";
 *
 * console.log(socketErrors({ connect: 1, read: 2, write: 0, status: 5, timeout: 1 })); // 4
 * ```
 */
export function socketErrors(errors: ErrorCounts): number {
  return errors.connect + errors.read + errors.write + errors.timeout;
}

/**
 * All errors as the `errors` threshold and the summary count them: socket errors plus responses with status
 * above 399.
 *
 * @example
 * ```ts
 * import { allErrors } from "./error_counts.ts";
 *
 * console.log(allErrors({ connect: 1, read: 2, write: 0, status: 5, timeout: 1 })); // 9
 * ```
 */
export function allErrors(errors: ErrorCounts): number {
  return socketErrors(errors) + errors.status;
}
