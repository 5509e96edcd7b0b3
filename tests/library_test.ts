/** The library as a user imports it: only through mod.ts, against loopback servers. */
import { assert, assertEquals, assertMatch, assertRejects, assertThrows } from "@std/assert";
import {
  formatHeader,
  formatReport,
  parseArgs,
  run,
  RunError,
  type RunResult,
  Stats,
  UsageError,
} from "../mod.ts";
import { closedPort, ok, startServer } from "./helpers/server.ts";

const decoder = new TextDecoder();

Deno.test("run() from mod.ts measures a loopback server and formatReport() renders wrk's report of it", async () => {
  const server = startServer();
  try {
    const config = parseArgs(["-t2", "-c4", "-d300ms", server.url]);
    const result: RunResult = await run(config);
    assert(result.requests > 0);
    const answered = server.requests.length;
    assert(
      answered >= result.requests && answered - result.requests <= 4,
      `${answered} vs ${result.requests}`,
    );
    assertEquals(result.threads, 2);
    assertEquals(result.connections, 4);
    assertEquals(result.errors, { connect: 0, read: 0, write: 0, status: 0, timeout: 0 });
    assert(result.latency instanceof Stats);
    // At least one sample per response; wrk's latency correction may add more.
    assert(result.latency.count >= result.requests);
    assert(result.latency.percentile(99) >= result.latency.percentile(50));
    assert(result.requestRate.count > 0);

    const header = formatHeader(result.url, result.durationMs, result.threads, result.connections);
    assertEquals(header, `Running 300.00ms test @ ${server.url}\n  2 threads and 4 connections\n`);
    const report = formatReport(result, { latency: true });
    assertMatch(report, /^ {2}Thread Stats {3}Avg {6}Stdev {5}Max {3}\+\/- Stdev$/m);
    assertMatch(report, new RegExp(`^ {2}${result.requests} requests in [\\d.]+ms, `, "m"));
    assertMatch(report, /^ {2}Latency Distribution$/m);
  } finally {
    await server.close();
  }
});

Deno.test("run() from mod.ts runs a Lua script: request() shapes requests, done() writes through options.write", async () => {
  const script = await Deno.makeTempFile({ prefix: "wrk-deno-library-", suffix: ".lua" });
  const server = startServer((request) => ok(request.method === "POST" ? request.body.toUpperCase() : "no"));
  try {
    await Deno.writeTextFile(
      script,
      `
wrk.method = "POST"
wrk.headers["Content-Type"] = "text/plain"
function request() return wrk.format(nil, "/lib", nil, "hello") end
function response(status, headers, body)
  if body ~= "HELLO" then error("unexpected body " .. body) end
end
function done(summary, latency, requests)
  io.write(string.format("done: %d requests, %d errors\\n", summary.requests, summary.errors.status))
end
`,
    );
    const printed: string[] = [];
    const result = await run(parseArgs(["-t1", "-c2", "-d300ms", "-s", script, server.url]), {
      write: (bytes) => printed.push(decoder.decode(bytes)),
    });
    assert(result.requests > 0);
    assertEquals(printed, [`done: ${result.requests} requests, 0 errors\n`]);
    const seen = server.requests[0];
    assertEquals(seen.method, "POST");
    assertEquals(seen.path, "/lib");
    assertEquals(seen.headers.get("content-type"), "text/plain");
    assertEquals(seen.body, "hello");
  } finally {
    await server.close();
    await Deno.remove(script);
  }
});

Deno.test("run() from mod.ts rejects with RunError when nothing listens, and parseArgs() throws UsageError", async () => {
  const error = await assertRejects(
    () => run(parseArgs(["-d1s", `http://127.0.0.1:${closedPort()}/`])),
    RunError,
  );
  assertMatch(error.message, /unable to connect/);
  assertThrows(() => parseArgs(["-t0", "http://127.0.0.1/"]), UsageError);
});

Deno.test("a program whose run was aborted before its threads started ends soon after: no wait of the start is left running", async () => {
  const server = startServer();
  const dir = await Deno.makeTempDir({ prefix: "wrk-deno-abort-" });
  try {
    // init() busy for 2 s, --start-at 60 s ahead: an abort at 300 ms ends either wait, and nothing of the start
    // (its 610 s bound, the --start-at ticks) keeps the program alive after it rejected.
    await Deno.writeTextFile(
      `${dir}/init.lua`,
      "function init() local t = os.clock() while os.clock() - t < 2 do end end\n",
    );
    const startAt = Math.floor(Date.now() / 1000) + 60;
    await Deno.writeTextFile(
      `${dir}/program.ts`,
      `import { parseArgs, run } from ${JSON.stringify(new URL("../mod.ts", import.meta.url).href)};
const [mode] = Deno.args;
const args = mode === "init" ? ["-s", ${JSON.stringify(`${dir}/init.lua`)}] : ["--start-at", "${startAt}"];
const abort = new AbortController();
setTimeout(() => abort.abort(), 300);
const startedAt = performance.now();
await run(parseArgs(["-t1", "-c1", "-d10s", ...args, ${
        JSON.stringify(server.url)
      }]), { signal: abort.signal })
  .catch((error) => console.log(error.message, error.exitCode, Math.round(performance.now() - startedAt)));
`,
    );
    for (const mode of ["init", "start-at"]) {
      const startedAt = performance.now();
      const output = await new Deno.Command(Deno.execPath(), {
        // This checkout's deno.json (its import map and vendored packages), as a program of a user's own has.
        args: [
          "run",
          "-A",
          "--config",
          new URL("../deno.json", import.meta.url).pathname,
          `${dir}/program.ts`,
          mode,
        ],
        stdout: "piped",
        stderr: "piped",
        env: { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
        // A program the start keeps alive is killed: the bound below then fails, rather than the suite hang.
        signal: AbortSignal.timeout(20_000),
      }).output();
      const tookMs = performance.now() - startedAt;
      const printed = new TextDecoder().decode(output.stdout);
      assertEquals(output.code, 0, new TextDecoder().decode(output.stderr));
      assert(printed.startsWith("stopped before the run started 130 "), printed);
      // The start rejected at 300 ms. A worker busy in Lua cannot be stopped (Deno 2.9's terminate() waits
      // for its JavaScript), so that program ends with its 2 s init(); the other at once. Before, the start's
      // 610 s bound and the minute's wait kept them alive.
      assert(tookMs < (mode === "init" ? 4000 : 3000), `${mode}: the program ended after ${tookMs} ms`);
    }
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("run() refuses a Config edited out of range with a UsageError that names the field, before any thread starts", async () => {
  const config = parseArgs(["-t1", "-c2", "-d1s", `http://127.0.0.1:${closedPort()}/`]);
  // threads: 0 resolved with nothing, and its worker kept the caller's process from ever exiting.
  for (
    const [edit, message] of [
      [{ threads: 0 }, "config.threads must be a whole number above 0 (it is 0)"],
      [{ connections: 0 }, "config.connections must be a whole number, at least config.threads (it is 0)"],
      [{ durationMs: -1 }, "config.durationMs must be above 0 and at most 596 h (it is -1)"],
      [{ durationMs: NaN }, "config.durationMs must be above 0 and at most 596 h (it is NaN)"],
      [{ rate: 0 }, "config.rate must be null or above 0 (it is 0)"],
    ] as const
  ) {
    const error = await assertRejects(() => run({ ...config, ...edit }), UsageError);
    assertEquals(error.message, message);
  }
});

Deno.test("run() rejects with a RunError naming the callback when onProgress or onInterval throws; the caller's process goes on", async () => {
  const server = startServer();
  try {
    const config = parseArgs(["-t1", "-c2", "-d1500ms", server.url]);
    for (const name of ["onProgress", "onInterval"] as const) {
      const error = await assertRejects(
        () =>
          run(config, {
            [name]: () => {
              throw new Error(`${name} broke`);
            },
          }),
        RunError,
      );
      assertEquals(error.message, `${name} threw: ${name} broke`);
    }
  } finally {
    await server.close();
  }
});

Deno.test("run() with onProgress writes nothing of its own to stderr when a script prints during the run (the erase of a line it did not draw)", async () => {
  const server = startServer();
  const dir = await Deno.makeTempDir();
  try {
    const script = `${dir}/print.lua`;
    await Deno.writeTextFile(
      script,
      'local n = 0\nfunction response() n = n + 1; if n == 1 then print("answered") end end\n',
    );
    const program = `${dir}/program.ts`;
    await Deno.writeTextFile(
      program,
      `import { parseArgs, run } from ${JSON.stringify(new URL("../mod.ts", import.meta.url).href)};\n` +
        `await run(parseArgs(["-t1", "-c1", "-d500ms", "-s", ${JSON.stringify(script)}, ${
          JSON.stringify(server.url)
        }]), { onProgress: () => {} });\n`,
    );
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-all", "--config", new URL("../deno.json", import.meta.url).pathname, program],
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
    }).output();
    assertEquals(output.code, 0, decoder.decode(output.stderr));
    assertEquals(decoder.decode(output.stdout), "answered\n");
    assertEquals(decoder.decode(output.stderr), "");
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});
