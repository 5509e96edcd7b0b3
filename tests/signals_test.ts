/**
 * SIGINT and SIGTERM end a run early with the report for the time actually run (docs/wrk-compat.md#stopping-and-signals); a second SIGINT
 * exits at once with 130; outside the run (a script busy in the main Lua state) a signal ends the process.
 */
import { assert, assertEquals, assertNotMatch, assertRejects, assertStringIncludes } from "@std/assert";
import { parseReport, spawnCli } from "./helpers/cli.ts";
import { ROOT } from "./helpers/deno.ts";
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
      assertEquals(outcome.code, 0, outcome.stderr);
      assertEquals(outcome.stderr, "");
      const report = parseReport(outcome.stdout);
      assert(report.requests > 0, outcome.stdout);
      assert(
        report.runtimeS >= runningForMs / 1000 && report.runtimeS < LONG_DURATION_S,
        `ran ${report.runtimeS}s`,
      );
      assert(exitMs < EXIT_BOUND_MS, `exited ${exitMs} ms after the signal`);
    } finally {
      await server.close();
    }
  });
}

/** The result files of a run stopped by a signal: both written whole, and both saying it stopped early. */
async function assertResultsWritten(dir: string, requests: number): Promise<void> {
  const document = JSON.parse(await Deno.readTextFile(`${dir}/r.json`));
  assertEquals(document.requests, requests);
  assertEquals(document.error, null);
  assertEquals(document.stopped_early, true);
  const summary = await Deno.readTextFile(`${dir}/s.md`);
  assert(summary.includes(String(requests)), summary);
  assert(
    summary.includes(
      "\n⚠️ Stopped before its `-d` (a signal, or its caller): the figures cover less time than asked\n",
    ),
    summary,
  );
}

Deno.test("cli stops on a SIGINT as soon as the header is out, while the connections open, and writes the results", async () => {
  const server = startServer();
  const dir = await Deno.makeTempDir({ prefix: "signals_" });
  try {
    // The header comes before the threads start their connections: from then on a signal ends the run with
    // its report (it killed the process, leaving an empty --summary, while thousands of connections opened).
    const cli = spawnCli([
      "-t2",
      "-c400",
      `-d${LONG_DURATION_S}s`,
      "--json",
      `${dir}/r.json`,
      "--summary",
      `${dir}/s.md`,
      server.url,
    ]);
    await cli.waitForStdout(/^Running 30s test @/m);
    cli.kill("SIGINT");
    const outcome = await cli.outcome();
    assertEquals(outcome.code, 0, outcome.stderr);
    const report = parseReport(outcome.stdout);
    assert(report.runtimeS < LONG_DURATION_S, `ran ${report.runtimeS}s`);
    await assertResultsWritten(dir, report.requests);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "cli takes a second SIGINT soon after the first as the same one: the results are still written",
  // mkfifo: the result goes to a pipe, whose writing waits for this test to read it, so the second signal
  // surely comes while the results are written.
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const server = startServer();
    const dir = await Deno.makeTempDir({ prefix: "signals_" });
    try {
      const fifo = `${dir}/r.json`;
      const made = await new Deno.Command("mkfifo", { args: [fifo] }).output();
      assertEquals(made.code, 0);
      const cli = spawnCli([
        "-t2",
        "-c4",
        `-d${LONG_DURATION_S}s`,
        "--json",
        fifo,
        "--summary",
        `${dir}/s.md`,
        server.url,
      ]);
      await cli.waitForStdout(/^Running 30s test @/m);
      await sleep(300);
      cli.kill("SIGINT");
      // A terminal's Ctrl-C and deno task's forwarded copy arrive this close.
      await sleep(60);
      cli.kill("SIGINT");
      let read = false;
      const reading = Deno.readTextFile(fifo).finally(() => (read = true));
      const outcome = await cli.outcome();
      // A process killed before it opened the pipe leaves the read waiting: end it with a writer of our own
      // (which opens at once, the read being there).
      await Promise.race([reading, sleep(500)]);
      if (!read) (await Deno.open(fifo, { write: true })).close();
      const json = await reading;
      assertEquals(outcome.code, 0, outcome.stderr);
      const requests = parseReport(outcome.stdout).requests;
      assertEquals(JSON.parse(json).requests, requests);
      const summary = await Deno.readTextFile(`${dir}/s.md`);
      assert(summary.includes(String(requests)), summary);
    } finally {
      await server.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

for (const [signal, exitCode] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  Deno.test(`cli exits at once with ${exitCode} on a second ${signal} (128 + the signal's number)`, async () => {
    const server = startServer();
    try {
      // Threads stuck in response() cannot report: after the first signal the CLI waits a 1 s grace period for
      // them, and only the second one can end that wait early.
      await withScript("response = function() while true do end end\n", async (script) => {
        const cli = spawnCli(["-t1", "-c1", `-d${LONG_DURATION_S}s`, "-s", script, server.url]);
        await cli.waitForStdout(/^Running 30s test @/m);
        await sleep(200);
        cli.kill(signal);
        // Past the CLI's 250 ms in which further signals count as the same Ctrl-C (a terminal's and deno task's).
        await sleep(400);
        const secondAt = performance.now();
        cli.kill(signal);
        const outcome = await cli.outcome();
        const exitMs = performance.now() - secondAt;
        assertEquals(outcome.code, exitCode);
        assertNotMatch(outcome.stdout, /Thread Stats/, "no report");
        // Well before the grace period would have ended with the report and exit code 1.
        assert(exitMs < 800, `exited ${exitMs} ms after the second ${signal}`);
      });
    } finally {
      await server.close();
    }
  });
}

Deno.test("cli ends on SIGINT while the main Lua state is busy in setup(), and leaves no empty --summary file", async () => {
  const server = startServer();
  const dir = await Deno.makeTempDir();
  try {
    // No handler is installed outside the run itself (as in wrk), so the signal's default action ends the
    // process even though the main thread is stuck in Lua and could not run one.
    const source = 'function setup(thread)\n  io.write("in setup\\n")\n  while true do end\nend\n';
    await withScript(source, async (script) => {
      const cli = spawnCli([
        "-t1",
        "-c1",
        `-d${LONG_DURATION_S}s`,
        "--summary",
        `${dir}/s.md`,
        "-s",
        script,
        server.url,
      ]);
      await cli.waitForStdout(/^in setup$/m);
      const signalledAt = performance.now();
      cli.kill("SIGINT");
      const outcome = await cli.outcome();
      assertEquals(outcome.code, 130, outcome.stderr);
      assert(performance.now() - signalledAt < EXIT_BOUND_MS, "ended soon after the signal");
      assertNotMatch(outcome.stdout, /Running/);
      // The check before the run made sure it could write there, and took back the file it made for it.
      await assertRejects(() => Deno.stat(`${dir}/s.md`), Deno.errors.NotFound);
    });
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.test({
    name: `deno task start: one ${signal} to the whole process group still gives the report`,
    // Process groups are Unix's; on Windows, deno task does not forward Ctrl-C (the console sends it to all).
    ignore: Deno.build.os === "windows",
    fn: async () => {
      const server = startServer();
      // detached: its own session and process group, as a shell job has. Ctrl-C in a terminal signals the whole
      // group: the CLI gets the signal directly, and `deno task` forwards the one it got a few ms later.
      const child = new Deno.Command(Deno.execPath(), {
        args: ["task", "start", "-t2", "-c4", `-d${LONG_DURATION_S}s`, server.url],
        cwd: ROOT,
        stdout: "piped",
        stderr: "piped",
        stdin: "null",
        env: { NO_COLOR: "1" },
        detached: true,
      }).spawn();
      let exited = false;
      const status = child.status.finally(() => (exited = true));
      const killGroup = (signal: Deno.Signal) => {
        try {
          if (!exited) Deno.kill(-child.pid, signal);
        } catch {
          // The group ended between the check and the kill.
        }
      };
      const killer = setTimeout(() => killGroup("SIGKILL"), 30_000);
      const stderr = new Response(child.stderr).text();
      const decoder = new TextDecoder();
      const reader = child.stdout.getReader();
      let stdout = "";
      /** Reads stdout until it matches `pattern`, or to its end. */
      const readUntil = async (pattern: RegExp | null) => {
        while (pattern === null || !pattern.test(stdout)) {
          const { value, done } = await reader.read();
          if (done) return;
          stdout += decoder.decode(value, { stream: true });
        }
      };
      try {
        await readUntil(/^Running 30s test @/m);
        await sleep(500);
        killGroup(signal);
        await readUntil(null);
        const { code } = await status;
        assertEquals(code, 0, `exit code ${code}\n${stdout}\n${await stderr}`);
        const report = parseReport(stdout);
        assert(report.requests > 0, stdout);
        assert(report.runtimeS < LONG_DURATION_S, `ran ${report.runtimeS}s`);
      } finally {
        clearTimeout(killer);
        killGroup("SIGKILL");
        await status;
        await stderr;
        await server.close();
      }
    },
  });
}

for (const [signal, exitCode] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  Deno.test(`cli waiting for --start-at ends on ${signal} with exit ${exitCode}, and its result says the shard did not run`, async () => {
    const server = startServer();
    const dir = await Deno.makeTempDir({ prefix: "signals_" });
    try {
      const startAt = ((Date.now() + 20_000) / 1000).toFixed(3);
      await withScript('function init() io.write("ready\\n") end\n', async (script) => {
        const cli = spawnCli([
          "-t1",
          "-c2",
          "-d1s",
          "--shard-index",
          "0",
          "--shard-count",
          "2",
          "--start-at",
          startAt,
          "--json",
          `${dir}/r.json`,
          "-s",
          script,
          server.url,
        ]);
        await cli.waitForStdout(/^ready$/m);
        // init() has returned: the run waits for the start.
        await sleep(300);
        const signalledAt = performance.now();
        cli.kill(signal);
        const outcome = await cli.outcome();
        assertEquals(outcome.code, exitCode, outcome.stderr);
        assert(performance.now() - signalledAt < EXIT_BOUND_MS, "ended soon after the signal");
        assertStringIncludes(outcome.stderr, `stopped by ${signal} before the run started\n`);
        const document = JSON.parse(await Deno.readTextFile(`${dir}/r.json`));
        assertEquals(document.error, `stopped by ${signal} before the run started`);
        assertEquals(server.requests.length, 0);
      });
    } finally {
      await server.close();
      await Deno.remove(dir, { recursive: true });
    }
  });
}
