/**
 * The connection cycle's clock, in milliseconds (fractional, µs and finer): `performance.now()`, or where libc
 * is open to this thread (lib/net/_libc.ts) `clock_gettime(CLOCK_MONOTONIC)` through FFI, a cheaper call for
 * a clock read once or twice per request (docs/benchmarks.md#measurements-behind-the-code). Only differences
 * between two readings mean anything: every reading a thread compares must come from here. Also the CPU time
 * of the calling OS thread (`threadCpuMs`), through the same libc.
 */
import {
  CLOCK_MONOTONIC,
  CLOCK_THREAD_CPUTIME_ID,
  lengthArg,
  O_CLOEXEC,
  O_RDONLY,
  openLibc,
} from "./_libc.ts";

/**
 * How late a thread's timers may fire, in ms. The epoll loop wakes for its timers at most once per this span
 * (lib/net/_epoll_socket.ts), so timers due within it fire together, as wrk2's millisecond timers do: at `-R`
 * rates a wake-up per slot would cost more CPU than the requests. Deno's `setTimeout` has millisecond steps too.
 * `-R`'s recorded latency does not charge the server for this much lateness (lib/net/pacer.ts).
 */
export const TIMER_SLACK_MS = 1;

/** Now, in milliseconds, on this thread's clock. */
export const clockMs: () => number = pickClock();

function pickClock(): () => number {
  const libc = openLibc();
  if (libc === null) return () => performance.now();
  const timespec = new Int32Array(4);
  const bytes = new Uint8Array(timespec.buffer);
  const clockGettime = libc.calls.clock_gettime;
  if (clockGettime(CLOCK_MONOTONIC, bytes) !== 0) return () => performance.now();
  // struct timespec on 64-bit Linux: tv_sec and tv_nsec as little-endian 64-bit integers; the seconds since
  // boot fit the low 32 bits, the nanoseconds always do.
  return () => {
    clockGettime(CLOCK_MONOTONIC, bytes);
    return timespec[0] * 1000 + timespec[2] / 1e6;
  };
}

/**
 * Now, in milliseconds since the Unix epoch, to the microsecond: the clock every thread shares (each isolate's
 * `performance.timeOrigin` plus its `performance.now()`), for moments compared across threads (a run's start
 * and end, `wrk.time_us()`), never for a request's latency.
 */
export function epochNowMs(): number {
  return epochMsAt(performance.now());
}

/**
 * The moment `performanceMs` (a reading of this isolate's `performance.now()`) in ms since the Unix epoch: the
 * clock threads compare moments on (`epochNowMs`). The inverse of `performanceMsAt`.
 */
export function epochMsAt(performanceMs: number): number {
  return performance.timeOrigin + performanceMs;
}

/**
 * What this isolate's `performance.now()` reads (or read) at `epochMs` (ms since the Unix epoch): a moment
 * from another thread on this thread's own timeline. The inverse of `epochMsAt`.
 */
export function performanceMsAt(epochMs: number): number {
  return epochMs - performance.timeOrigin;
}

const cpuTimespec = new Int32Array(4);
const cpuTimespecBytes = new Uint8Array(cpuTimespec.buffer);

/**
 * User plus system CPU time of the calling OS thread so far, in ms (`clock_gettime(CLOCK_THREAD_CPUTIME_ID)`),
 * or null where libc is not open to this thread (not Linux, or no `--allow-ffi`). A `-R` thread compares it
 * with the time it ran, so that a run short of its rate can tell a client busy all along (more threads or
 * cores would help) from lanes waiting on a slow server (more connections would). Each Web Worker is an OS
 * thread of its own; the threads a host runs together share its figure. (`/proc/thread-self/stat` would need
 * Deno's `--allow-all`.) The time it waited for a core is `threadCoreWaitMs`.
 *
 * @example
 * ```ts
 * import { threadCpuMs } from "./clock.ts";
 *
 * const before = threadCpuMs();
 * let x = 0;
 * for (let i = 0; i < 1e7; i++) x += i;
 * const after = threadCpuMs();
 * console.log(before === null || after! >= before); // true
 * ```
 */
export function threadCpuMs(): number | null {
  const libc = openLibc();
  if (libc === null || libc.calls.clock_gettime(CLOCK_THREAD_CPUTIME_ID, cpuTimespecBytes) !== 0) return null;
  // struct timespec on 64-bit Linux: tv_sec and tv_nsec as little-endian 64-bit integers (both fit 32 bits).
  return cpuTimespec[0] * 1000 + cpuTimespec[2] / 1e6;
}

const SCHEDSTAT_PATH = new TextEncoder().encode("/proc/thread-self/schedstat\0");
const schedstatBytes = new Uint8Array(96);
const schedstatText = new TextDecoder();

/**
 * How long the calling OS thread has waited for a core so far while it was ready to run, in ms: Linux's
 * `run_delay`, the second figure of `/proc/thread-self/schedstat` (ns), read through libc (Deno's own file
 * calls open /proc only under `--allow-all`). Null where it cannot be read (not Linux, no `--allow-ffi`, a
 * kernel without scheduler statistics). Beside `threadCpuMs`: a thread that waits for a core (the server
 * under test on the same cores, other processes) falls behind as surely as one busy all the time, and more
 * connections help neither.
 *
 * @example
 * ```ts
 * import { threadCoreWaitMs } from "./clock.ts";
 *
 * const waitedMs = threadCoreWaitMs();
 * console.log(waitedMs === null || waitedMs >= 0); // true
 * ```
 */
export function threadCoreWaitMs(): number | null {
  const libc = openLibc();
  if (libc === null) return null;
  const fd = libc.calls.open(SCHEDSTAT_PATH, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return null;
  const length = libc.calls.read(fd, schedstatBytes, lengthArg(schedstatBytes.length));
  libc.calls.close(fd);
  if (length <= 0) return null;
  // "<ns on a core> <ns waiting for one> <timeslices>\n"
  const waitNs = Number(schedstatText.decode(schedstatBytes.subarray(0, length)).split(" ")[1]);
  return Number.isFinite(waitNs) && waitNs >= 0 ? waitNs / 1e6 : null;
}
