/**
 * A Lua script that never returns (at its top level, in `init()` or in `response()`) cannot keep a run, or the
 * process, alive: the start is bounded, a stuck thread is reported and its worker terminated. One that runs
 * long but finishes (real work, slower on fengari than in LuaJIT) is told apart only by finishing: a notice
 * says it is still running, and the run goes on.
 */
import { assert, assertEquals, assertMatch } from "@std/assert";
import { parseReport, runCli, spawnCli } from "./helpers/cli.ts";
import { startServer } from "./helpers/server.ts";

const LOOP_IN_RESPONSE = "response = function() while true do end end\n";
const LOOP_IN_INIT = "function init(args) while true do end end\n";
const LOOP_AT_TOP_LEVEL = "local n = 0\nwhile true do n = n + 1 end\n";

/** After this much Lua running time in one call, the script layer says so (CoroutineRunner.noticeMs). */
const NOTICE_S = 10;
/** The CLI's wait for a stopped thread's figures (lib/run.ts DEFAULT_GRACE_MS). */
const GRACE_S = 1;
/** Start-up and shutdown of the process on top of what the run itself takes; generous for a loaded machine. */
const OVERHEAD_BOUND_S = 3;
/**
 * How much later than the duration and the grace period the report may come: a margin for a loaded machine,
 * below the 2 s that threads which reported get to close their sockets (lib/run.ts CLOSE_BOUND_MS), which a
 * stuck thread must not add.
 */
const REPORT_MARGIN_S = 1;

async function withScript<T>(source: string, body: (path: string) => Promise<T>): Promise<T> {
  const path = await Deno.makeTempFile({ prefix: "stuck_", suffix: ".lua" });
  try {
    await Deno.writeTextFile(path, source);
    return await body(path);
  } finally {
    await Deno.remove(path);
  }
}

/**
 * Runs `code` (a module body that may import `mod`, this library) in a separate process and returns what it
 * printed as JSON. A separate process because Deno 2.9's `Worker.terminate()` does not stop a worker that is
 * busy in JavaScript (denoland/deno#35657): a stuck thread would spin on in the test process. The code must
 * end with `Deno.exit()`, as the CLI does, for the same reason.
 */
async function inSubprocess(code: string): Promise<unknown> {
  const mod = new URL("../mod.ts", import.meta.url).href;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", `import * as mod from "${mod}";\n${code}`],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  assertEquals(output.code, 0, new TextDecoder().decode(output.stderr));
  return JSON.parse(stdout.slice(stdout.lastIndexOf("\n", stdout.length - 2) + 1));
}

Deno.test("cli reports the threads stuck in response() and exits 1 soon after the duration", async () => {
  const server = startServer();
  try {
    await withScript(LOOP_IN_RESPONSE, async (script) => {
      const cli = await runCli(["-t2", "-c2", "-d1s", "-s", script, server.url]);
      assertEquals(cli.code, 1, cli.stderr);
      const report = parseReport(cli.stdout);
      // The time run is the duration, not the grace period spent waiting for the stuck threads.
      assert(report.runtimeS >= 1 && report.runtimeS <= 1.1, `ran ${report.runtimeS}s`);
      assertMatch(cli.stdout, /^ {2}Threads that did not finish: 1, 2 \(their figures are missing\)$/m);
      assertEquals(cli.stderr.split("\n").length, 2, `one line on stderr:\n${cli.stderr}`);
      assertMatch(cli.stderr, /^threads 1, 2 did not finish/);
      assert(cli.wallMs / 1000 < 1 + GRACE_S + OVERHEAD_BOUND_S, `took ${cli.wallMs} ms`);
    });
  } finally {
    await server.close();
  }
});

Deno.test("cli prints the report one second (the grace period) after the end of a run whose thread is stuck", async () => {
  const server = startServer();
  try {
    await withScript(LOOP_IN_RESPONSE, async (script) => {
      const cli = spawnCli(["-t1", "-c1", "-d1s", "-s", script, server.url]);
      // The header is printed as the run starts; the report once it is over.
      await cli.waitForStdout(/^Running 1s test/m);
      const runningMs = performance.now();
      await cli.waitForStdout(/^ {2}Threads that did not finish: 1 /m);
      const waitedS = (performance.now() - runningMs) / 1000;
      const outcome = await cli.outcome();
      assertEquals(outcome.code, 1, outcome.stderr);
      assert(waitedS >= 1 + GRACE_S - 0.1, `report after ${waitedS} s: the grace period was not waited`);
      assert(
        waitedS < 1 + GRACE_S + REPORT_MARGIN_S,
        `report after ${waitedS} s: more than the grace period`,
      );
    });
  } finally {
    await server.close();
  }
});

Deno.test("cli lets a script's top level run past 10 s of Lua, says so once, then runs the test", async () => {
  const server = startServer();
  try {
    // Real work that takes this long on fengari (reading a million URLs takes seconds in LuaJIT): it finishes.
    const source = `local t = wrk.time_us()\nwhile wrk.time_us() - t < ${(NOTICE_S + 0.5) * 1e6} do end\n`;
    await withScript(source, async (script) => {
      const cli = await runCli(["-t1", "-c1", "-d200ms", "-s", script, server.url]);
      assertEquals(cli.code, 0, cli.stderr);
      assert(parseReport(cli.stdout).requests > 0, cli.stdout);
      // The main state and the thread's each ran the top level: said once in the run.
      const notice = `${script}: its top level is still running after 10s of Lua (a loop that never ends? ` +
        "Ctrl-C stops it; it is stopped after 10m)\n";
      assertEquals(cli.stderr, notice);
    });
  } finally {
    await server.close();
  }
});

/**
 * The bound in the library tests: short, but above the time a thread takes to load fengari and the script on a
 * loaded machine (up to about a second), or a slow load would be mistaken for a stuck top level.
 */
const TEST_BOUND_MS = 3000;

for (
  const [where, source, threads, message] of [
    [
      "the top level",
      LOOP_AT_TOP_LEVEL,
      2,
      "did not finish loading the script within 3s (does its top level",
    ],
    ["init()", LOOP_IN_INIT, 1, "did not finish init() within 3s (does init() loop forever?)"],
  ] as const
) {
  Deno.test(`Run.start() rejects after startupBoundMs when ${where} never returns`, async () => {
    const server = startServer();
    try {
      await withScript(source, async (script) => {
        const args = JSON.stringify([`-t${threads}`, "-c2", "-d1s", "-s", script, server.url]);
        const outcome = await inSubprocess(`
          const started = performance.now();
          try {
            await mod.Run.start(mod.parseArgs(${args}), { startupBoundMs: ${TEST_BOUND_MS} });
            console.log(JSON.stringify({ started: true }));
          } catch (error) {
            const elapsedMs = performance.now() - started;
            const isRunError = error instanceof mod.RunError;
            console.log(JSON.stringify({ isRunError, message: error.message, elapsedMs }));
          }
          Deno.exit(0);
        `) as { isRunError: boolean; message: string; elapsedMs: number };
        assertEquals(outcome.isRunError, true, JSON.stringify(outcome));
        assertEquals(outcome.message.startsWith(`thread 1 ${message}`), true, outcome.message);
        // init()'s bound starts once the script has loaded, itself within the bound.
        const mostMs = (where === "init()" ? 2 : 1) * TEST_BOUND_MS + 2000;
        assert(
          outcome.elapsedMs >= TEST_BOUND_MS && outcome.elapsedMs < mostMs,
          `${outcome.elapsedMs} ms`,
        );
      });
    } finally {
      await server.close();
    }
  });
}

Deno.test("run() lists a thread stuck in response() as unfinished and reports the time it ran", async () => {
  const server = startServer();
  try {
    await withScript(LOOP_IN_RESPONSE, async (script) => {
      const result = await inSubprocess(`
        const config = mod.parseArgs(["-t2", "-c2", "-d300ms", "-s", ${
        JSON.stringify(script)
      }, "${server.url}"]);
        const started = performance.now();
        const result = await mod.run(config, { graceMs: 200 });
        const { unfinishedThreads, requests, runtimeUs } = result;
        console.log(JSON.stringify({ unfinishedThreads, requests, runtimeUs, elapsedMs: performance.now() - started }));
        Deno.exit(0);
      `) as { unfinishedThreads: number[]; requests: number; runtimeUs: number; elapsedMs: number };
      assertEquals(result.unfinishedThreads, [1, 2]);
      assertEquals(result.requests, 0, "their figures are missing");
      // The run time covers the run, not the 200 ms spent waiting for the stuck threads.
      assert(result.runtimeUs >= 300_000 && result.runtimeUs < 400_000, `${result.runtimeUs} µs`);
      assert(result.elapsedMs >= 300 + 200, `waited the grace period: ${result.elapsedMs} ms`);
    });
  } finally {
    await server.close();
  }
});
