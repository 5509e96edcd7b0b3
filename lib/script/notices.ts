/**
 * Notices a run prints once, whichever of its Lua states meets the case first: the main state and every
 * thread's, across workers, share one small array of flags (a `SharedArrayBuffer`). Without it each state
 * would say the same line: a top level that runs long says so from the main state and from every `-t` thread.
 *
 * @module
 */

/** What is said once per run. */
export const enum Notice {
  /** The top level still runs after `CoroutineRunner.noticeMs` of Lua. */
  TopLevelRunsLong = 0,
  InitRunsLong = 1,
  SetupRunsLong = 2,
  DoneRunsLong = 3,
  /** A script's `io.open` for writing was refused (no `--write` for that path). */
  WriteRefused = 4,
}

const NOTICE_COUNT = 5;

/**
 * A run's shared flags, one per {@linkcode Notice}: made by the run, handed to every state it loads.
 *
 * @example
 * ```ts
 * import { claimNotice, newNotices, Notice } from "./notices.ts";
 *
 * const notices = newNotices();
 * console.log(claimNotice(notices, Notice.WriteRefused), claimNotice(notices, Notice.WriteRefused)); // true false
 * ```
 */
export function newNotices(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(NOTICE_COUNT * Int32Array.BYTES_PER_ELEMENT));
}

/**
 * True for the first claim of `notice` in the run, from any state and thread; always true without shared
 * flags (a state loaded on its own, by a test or a library caller: its own once is the caller's).
 */
export function claimNotice(notices: Int32Array | null, notice: Notice): boolean {
  return notices === null || Atomics.compareExchange(notices, notice, 0, 1) === 0;
}
