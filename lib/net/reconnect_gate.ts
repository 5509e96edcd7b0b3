/**
 * When a thread replaces a connection that failed: at once, as wrk's `reconnect_socket` does, or a macrotask
 * later (`ConnectionSlot.connectLater`). Two servers close connections in ways that look alike and want
 * opposite answers:
 *
 * - a server that closes every connection after one response without saying so (no `Connection: close`): the
 *   next request on it fails, and each macrotask of waiting is a turn of the thread's loop (up to
 *   milliseconds while it is busy): 4–5× fewer requests than wrk's;
 * - a server over its connection limit (nginx over `worker_connections`) that closes connections it cannot
 *   keep, new ones before they were answered: thousands of them reconnecting at once kept it closing them
 *   all, and no request got through.
 *
 * The gate tells them apart by what failed: a connection that had answered may reconnect at once, unless one
 * of the thread's connections failed before its first answer in the last {@linkcode UNANSWERED_QUIET_MS}
 * (docs/benchmarks.md#sockets-and-the-epoll-loop).
 *
 * @module
 */

/** How long after a connection failed unanswered the thread's reconnects all wait a macrotask. */
export const UNANSWERED_QUIET_MS = 1_000;

/**
 * One per thread, shared by its connections.
 *
 * @example A connection that answered reconnects at once, until one fails unanswered
 * ```ts
 * import { ReconnectGate } from "./reconnect_gate.ts";
 *
 * const gate = new ReconnectGate();
 * console.log(gate.atOnce(true, 0)); // true
 * console.log(gate.atOnce(false, 10)); // false
 * console.log(gate.atOnce(true, 20)); // false
 * console.log(gate.atOnce(true, 1_010)); // true
 * ```
 */
export class ReconnectGate {
  /** When a connection of the thread last failed before its first answer, on the cycle's clock. */
  #unansweredFailureMs = -Infinity;

  /**
   * A connection failed at `nowMs`; `answered`: it had completed at least one response. True when its
   * replacement may open at once.
   */
  atOnce(answered: boolean, nowMs: number): boolean {
    if (!answered) {
      this.#unansweredFailureMs = nowMs;
      return false;
    }
    return nowMs - this.#unansweredFailureMs >= UNANSWERED_QUIET_MS;
  }
}
