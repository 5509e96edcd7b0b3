/**
 * `--start-at`: shards of one test on different machines start together by waiting for the same wall-clock
 * time (NTP keeps machines within milliseconds of each other). The wait comes after everything slow in a start
 * (resolving, the connect test, loading scripts in the threads, `setup()`, `init()`), just before the threads start, so
 * that what remains between the time and the first request is the same small step on every machine.
 *
 * @module
 */

import { RunError } from "../run_error.ts";

/**
 * How late after `--start-at` a process may still start: a clock a little behind, or a pod scheduled a moment
 * late, still joins its test. Later than this, the shard would run a different window than the others, and its
 * figures would not merge into one test.
 */
export const START_GRACE_MS = 1_000;

/**
 * How far ahead `--start-at` may be: a shard that would wait longer is surely given the wrong time (a typo in
 * the date), and would hang silently where no terminal shows its countdown (CI logs, pods).
 */
export const MAX_WAIT_MS = 24 * 3_600_000;

/**
 * Throws a {@linkcode RunError} naming the time and how long ago it was, when `startAtEpochMs` passed more than
 * {@linkcode START_GRACE_MS} before `nowEpochMs`, or how far ahead it is, when more than
 * {@linkcode MAX_WAIT_MS}. `preparedSinceMs`, when the run began preparing: a time that was ahead then and
 * has passed since is said to have been overrun by the preparation.
 *
 * @example
 * ```ts
 * import { assertThrows } from "@std/assert";
 * import { checkStartAt } from "./start_at.ts";
 *
 * checkStartAt(10_000, 10_500); // within the grace: start now
 * assertThrows(() => checkStartAt(10_000, 15_000), Error, "passed 5.0s ago");
 * assertThrows(() => checkStartAt(2 * 86_400_000, 0), Error, "is 48.0 hours away");
 * ```
 */
export function checkStartAt(startAtEpochMs: number, nowEpochMs: number, preparedSinceMs?: number): void {
  const lateMs = nowEpochMs - startAtEpochMs;
  if (-lateMs > MAX_WAIT_MS) {
    throw new RunError(
      `--start-at ${new Date(startAtEpochMs).toISOString()} is ${
        (-lateMs / 3_600_000).toFixed(1)
      } hours away ` +
        `(a shard waits at most ${MAX_WAIT_MS / 3_600_000} hours): give a nearer time`,
    );
  }
  if (lateMs <= START_GRACE_MS) return;
  if (preparedSinceMs !== undefined && preparedSinceMs < startAtEpochMs) {
    // It was ahead when the run began preparing: the preparation, not the time given, is what was late.
    throw new RunError(
      `--start-at ${new Date(startAtEpochMs).toISOString()} passed while the run was being prepared (the ` +
        `pre-flight, the script's top level, setup() and init() took ${
          ((nowEpochMs - preparedSinceMs) / 1000).toFixed(1)
        }s): give it more lead time`,
    );
  }
  throw new RunError(
    `--start-at ${new Date(startAtEpochMs).toISOString()} passed ${(lateMs / 1000).toFixed(1)}s ago ` +
      `(a start may be up to ${START_GRACE_MS / 1000}s late): give a time in the future`,
  );
}

/** How often a wait reports the time left (the live progress line). */
const WAIT_TICK_MS = 200;

/**
 * Resolves at `startAtEpochMs` on this machine's wall clock (at once if it passed), calling `onWait` with the
 * time left every 200 ms. The last stretch is one timer, so the start is as close to the time as the event loop
 * allows (about a millisecond). Resolves at once when `signal` aborts, leaving no timer.
 *
 * @example
 * ```ts
 * import { waitUntil } from "./start_at.ts";
 *
 * const startAt = Date.now() + 50;
 * await waitUntil(startAt);
 * console.log(Date.now() >= startAt); // true
 * ```
 */
export async function waitUntil(
  startAtEpochMs: number,
  onWait?: (leftMs: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  for (;;) {
    const leftMs = startAtEpochMs - Date.now();
    // Aborted: the caller stops waiting (its own error says why); nothing is left to tick.
    if (leftMs <= 0 || signal?.aborted) return;
    onWait?.(leftMs);
    await new Promise<void>((resolve) => {
      const woken = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", woken);
        resolve();
      };
      const timer = setTimeout(woken, Math.min(leftMs, WAIT_TICK_MS));
      signal?.addEventListener("abort", woken, { once: true });
    });
  }
}
