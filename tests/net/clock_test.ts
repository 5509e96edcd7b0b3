import { assert } from "@std/assert";
import { clockMs } from "../../lib/net/clock.ts";

Deno.test("clockMs() never goes back and keeps pace with performance.now() (to the millisecond over 200 ms)", async () => {
  let last = clockMs();
  for (let i = 0; i < 100_000; i++) {
    const now = clockMs();
    assert(now >= last, `${now} after ${last}`);
    last = now;
  }
  const clockStart = clockMs();
  const perfStart = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const clockElapsed = clockMs() - clockStart;
  const perfElapsed = performance.now() - perfStart;
  assert(clockElapsed >= 195, `${clockElapsed} ms`);
  assert(
    Math.abs(clockElapsed - perfElapsed) < 1,
    `clock ${clockElapsed} ms, performance.now ${perfElapsed} ms`,
  );
  // Sub-millisecond resolution: latencies are recorded in microseconds.
  const a = clockMs();
  let b = clockMs();
  while (b === a) b = clockMs();
  assert(b - a < 0.1, `resolution ${b - a} ms`);
});
