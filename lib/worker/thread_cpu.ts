/**
 * The CPU time of the calling OS thread, `clock_gettime(CLOCK_THREAD_CPUTIME_ID)` through the libc this thread
 * opened for the epoll loop (lib/net/_libc.ts): a `-R` thread compares it with the time it ran, so that a run
 * short of its rate can tell a client that was busy all along (more threads or cores would help) from lanes
 * waiting on a slow server (more connections would). Each Web Worker is an OS thread of its own; the threads a
 * host runs together share its figure. (`/proc/thread-self/stat` would need Deno's `--allow-all`.)
 *
 * @module
 */
import { CLOCK_THREAD_CPUTIME_ID, openLibc } from "../net/_libc.ts";

const timespec = new Int32Array(4);
const bytes = new Uint8Array(timespec.buffer);

/**
 * User plus system CPU time of this OS thread so far, in ms, or null where it cannot be read (no libc through
 * FFI: not Linux, or no `--allow-ffi`).
 *
 * @example
 * ```ts
 * import { threadCpuMs } from "./thread_cpu.ts";
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
  if (libc === null || libc.calls.clock_gettime(CLOCK_THREAD_CPUTIME_ID, bytes) !== 0) return null;
  // struct timespec on 64-bit Linux: tv_sec and tv_nsec as little-endian 64-bit integers (both fit 32 bits).
  return timespec[0] * 1000 + timespec[2] / 1e6;
}
