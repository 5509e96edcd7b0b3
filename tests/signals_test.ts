/**
 * SIGINT and SIGTERM end a run early with the report for the time actually run (docs/wrk-compat.md#stopping-and-signals); a second SIGINT
 * exits at once with 130; outside the run (a script busy in the main Lua state) a signal ends the process.
 */
import assert from "node:assert/strict";
import { parseReport, spawnCli } from "./helpers/cli.ts";
import { startServer } from "./helpers/server.ts";

const LONG_DURATION_S = 30;
/** How soon after the signal the process must have ended; generous for a loaded machine. */
const EXIT_BOUND_MS = 3000;

async function withScript<T>(source: string, body: (path: string) => Promise<T>): Promise<T> {
  const path = await Deno.makeTempFile({ prefix: "signals_", suffix: ".lua" });
  try {
    await Deno.writeTextFile(path, source);
    return await body(path);
  } finally {
    await Deno.remove(path);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.test(`cli stops early on ${signal} and reports the time actually run`, async () => {
    const server = startServer();
    try {
      const cli = spawnCli(["-t2", "-c4", `-d${LONG_DURATION_S}s`, server.url]);
      await cli.waitForStdout(/^Running 30s test @/m);
      const runningForMs = 500;
      await sleep(runningForMs);
      const signalledAt = performance.now();
      cli.kill(signal);
      const outcome = await cli.outcome();
      const exitMs = performance.now() - signalledAt;
      assert.equal(outcome.code, 0, outcome.stderr);
      assert.equal(outcome.stderr, "");
      const report = parseReport(outcome.stdout);
      assert.ok(report.requests > 0, outcome.stdout);
      assert.ok(
        report.runtimeS >= runningForMs / 1000 && report.runtimeS < LONG_DURATION_S,
        `ran ${report.runtimeS}s`,
      );
      assert.ok(exitMs < EXIT_BOUND_MS, `exited ${exitMs} ms after the signal`);
    } finally {
      await server.close();
    }
  });
}

Deno.test("cli exits at once with 130 on a second SIGINT", async () => {
  const server = startServer();
  try {
    // Threads stuck in response() cannot report: after the first SIGINT the CLI waits a 1 s grace period for
    // them, and only the second SIGINT can end that wait early.
    await withScript("response = function() while true do end end\n", async (script) => {
      const cli = spawnCli(["-t1", "-c1", `-d${LONG_DURATION_S}s`, "-s", script, server.url]);
      await cli.waitForStdout(/^Running 30s test @/m);
      await sleep(200);
      cli.kill("SIGINT");
      await sleep(100);
      const secondAt = performance.now();
      cli.kill("SIGINT");
      const outcome = await cli.outcome();
      const exitMs = performance.now() - secondAt;
      assert.equal(outcome.code, 130);
      assert.doesNotMatch(outcome.stdout, /Thread Stats/, "no report");
      // Well before the grace period would have ended with the report and exit code 1.
      assert.ok(exitMs < 800, `exited ${exitMs} ms after the second SIGINT`);
    });
  } finally {
    await server.close();
  }
});

Deno.test("cli ends on SIGINT while the main Lua state is busy in setup()", async () => {
  const server = startServer();
  try {
    // No handler is installed outside the run itself (as in wrk), so the signal's default action ends the
    // process even though the main thread is stuck in Lua and could not run one.
    const source = 'function setup(thread)\n  io.write("in setup\\n")\n  while true do end\nend\n';
    await withScript(source, async (script) => {
      const cli = spawnCli(["-t1", "-c1", `-d${LONG_DURATION_S}s`, "-s", script, server.url]);
      await cli.waitForStdout(/^in setup$/m);
      const signalledAt = performance.now();
      cli.kill("SIGINT");
      const outcome = await cli.outcome();
      assert.equal(outcome.code, 130, outcome.stderr);
      assert.ok(performance.now() - signalledAt < EXIT_BOUND_MS, "ended soon after the signal");
      assert.doesNotMatch(outcome.stdout, /Running/);
    });
  } finally {
    await server.close();
  }
});
