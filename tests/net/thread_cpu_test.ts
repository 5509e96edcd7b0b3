/**
 * The CPU time of the calling OS thread (lib/net/clock.ts `threadCpuMs`), which `-R` threads read to tell a busy
 * client from a slow server in the Rate line.
 */
import { assert } from "@std/assert";
import { threadCpuMs } from "../../lib/net/clock.ts";
import { openLibc } from "../../lib/net/_libc.ts";

Deno.test("threadCpuMs() counts this thread's CPU time, and not the time it waits", async () => {
  const before = threadCpuMs();
  if (openLibc() === null) return assert(before === null); // no libc through FFI here
  assert(before !== null);
  const started = performance.now();
  let x = 0;
  while (performance.now() - started < 300) x += Math.sqrt(x + 1);
  const busy = threadCpuMs()! - before;
  await new Promise((resolve) => setTimeout(resolve, 300));
  const waited = threadCpuMs()! - before - busy;
  // 300 ms on the CPU (less on a machine others share), and nearly nothing while waiting.
  assert(busy >= 100 && busy <= 400, `busy ${busy} ms`);
  assert(waited <= 60, `waited ${waited} ms`);
});
