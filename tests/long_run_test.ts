/**
 * A long run keeps its memory flat: per-request figures go into fixed-size histograms and counters, never into
 * lists that grow with the number of requests.
 */
import { assert, assertEquals } from "@std/assert";
import { parseReport, spawnCli } from "./helpers/cli.ts";
import { startFastServer } from "./helpers/fast_server.ts";
import { residentBytes } from "./helpers/proc.ts";

const DURATION_S = 8;
const SAMPLE_INTERVAL_MS = 500;
/** Start-up (JIT, heap sizing, the threads' first allocations) is over by then. */
const WARM_S = 2;
const MIB = 1024 * 1024;
/**
 * Growth of the resident set allowed from the 2 s mark to the end of the run: well above what a flat run grows
 * while its heap and JIT settle, and well below what the same run grows with one small object kept per request
 * (`{ latencyUs, atMs }` pushed to an array, a per-request sample list), so a per-request leak of that size
 * still shows on a loaded machine at a fraction of the usual request rate.
 */
const GROWTH_BOUND_BYTES = 12 * MIB;
/** Below this the run is too slow for a per-request leak to show; the test would prove nothing. */
const LEAST_REQUESTS = 10_000;

Deno.test("cli memory stays flat over a long run at a high request rate", async () => {
  const server = startFastServer();
  try {
    const cli = spawnCli(["-t2", "-c10", `-d${DURATION_S}s`, server.url]);
    await cli.waitForStdout(/^Running /m);
    const runningAt = performance.now();
    const samples: { atS: number; bytes: number }[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const bytes = await residentBytes(cli.pid);
        const atS = (performance.now() - runningAt) / 1000;
        // Only while the run runs: merging the threads' figures at the end is not the steady state.
        if (bytes === null || atS > DURATION_S) break;
        samples.push({ atS, bytes });
        await new Promise((resolve) => setTimeout(resolve, SAMPLE_INTERVAL_MS));
      }
    })();
    const outcome = await cli.outcome();
    sampling = false;
    await sampler;

    assertEquals(outcome.code, 0, outcome.stderr);
    const report = parseReport(outcome.stdout);
    assert(report.requests >= LEAST_REQUESTS, `only ${report.requests} requests: too slow to tell`);
    const warm = samples.filter((sample) => sample.atS >= WARM_S);
    assert(warm.length >= (DURATION_S - WARM_S) * 1000 / SAMPLE_INTERVAL_MS / 2, `${warm.length} samples`);
    const growth = Math.max(...warm.map((sample) => sample.bytes)) - warm[0].bytes;
    const trace = samples.map((sample) => `${sample.atS.toFixed(1)}s ${(sample.bytes / MIB).toFixed(1)}`)
      .join(", ");
    assert(
      growth < GROWTH_BOUND_BYTES,
      `RSS grew ${(growth / MIB).toFixed(1)} MiB after ${WARM_S}s (${report.requests} requests): ${trace}`,
    );
  } finally {
    await server.close();
  }
});
