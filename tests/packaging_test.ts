/**
 * The single-file build: `deno task bundle`'s command, run into a temporary directory, and the file it makes
 * run alone elsewhere with read access to nothing but itself and the user's script.
 */
import { assert, assertEquals, assertMatch, assertNotMatch } from "@std/assert";
import denoConfig from "../deno.json" with { type: "json" };
import { parseReport } from "./helpers/cli.ts";
import { ROOT, runDeno, taskArgs } from "./helpers/deno.ts";
import { ok, startServer } from "./helpers/server.ts";

const FIXTURES = `${ROOT}tests/fixtures/packaging/`;

/** `deno task bundle` with its `-o` pointed at `output`; returns deno's outcome. */
function bundle(entry: string, output: string) {
  const args = taskArgs("bundle", denoConfig);
  const at = args.indexOf("-o");
  assert(at >= 0, "the bundle task names its output with -o");
  args[at + 1] = output;
  args[args.length - 1] = entry;
  return runDeno(args);
}

/** The server the bundle is aimed at: "counted" for the script's numbered paths, "ok" otherwise. */
function countingServer() {
  return startServer((request) => ok(request.path.startsWith("/count/") ? "counted" : "ok"));
}

Deno.test("deno task bundle makes one file that runs the CLI, its threads and a Lua script with nothing beside it", async (t) => {
  const buildDir = await Deno.makeTempDir({ prefix: "wrk-deno-build-" });
  const runDir = await Deno.makeTempDir({ prefix: "wrk-deno-run-" });
  const scriptDir = await Deno.makeTempDir({ prefix: "wrk-deno-script-" });
  const server = countingServer();
  try {
    // The task's own entry: a bundle of cli.ts would start nothing (its module is not cli.ts there).
    const entry = taskArgs("bundle", denoConfig).at(-1)!;
    assertEquals(entry, "bundle.ts");
    const built = await bundle(entry, `${buildDir}/wrk-deno.js`);
    assertEquals(built.code, 0, built.stderr);
    const file = `${runDir}/wrk-deno.js`;
    await Deno.copyFile(`${buildDir}/wrk-deno.js`, file);
    const script = `${scriptDir}/counter.lua`;
    await Deno.copyFile(`${FIXTURES}counter.lua`, script);
    // Reading is allowed for the bundle (each thread loads it as its worker module) and the script only: a
    // module or file looked up beside the bundle would fail the run.
    const run = (args: string[], extraPermissions: string[] = []) =>
      runDeno([
        "run",
        "--allow-net",
        "--allow-env",
        `--allow-read=${file},${script}`,
        ...extraPermissions,
        file,
        ...args,
      ], { cwd: runDir });

    await t.step("-t2 with a script: report, hooks in every thread, done() with thread:get", async () => {
      const { code, stdout, stderr } = await run(["-t2", "-c4", "-d400ms", "-s", script, server.url]);
      assertEquals(code, 0, stderr);
      assertEquals(stderr, "");
      const report = parseReport(stdout);
      assert(report.requests > 20, stdout);
      assertMatch(stdout, /^ {2}2 threads and 4 connections$/m);
      const ready = stdout.match(/^thread \d ready$/gm)?.sort();
      assertEquals(ready, ["thread 1 ready", "thread 2 ready"]);
      const counted = [...stdout.matchAll(/^thread (\d) counted (\d+)$/gm)].map((m) => [m[1], Number(m[2])]);
      assertEquals(counted.map(([id]) => id), ["1", "2"]);
      for (const [, count] of counted) assert((count as number) > 0, stdout);
      const total = stdout.match(/^total (\d+) of (\d+)$/m);
      assert(total !== null, stdout);
      // Every response the report counts went through response(); both sums are over the same responses.
      assertEquals(Number(total[1]), report.requests, stdout);
      assertEquals(Number(total[2]), report.requests, stdout);
      assert(server.requests.some((r) => r.path === "/count/1/1"));
      assert(server.requests.some((r) => r.path === "/count/2/1"));
    });

    await t.step(
      "--json -: the lazily loaded result module and its HdrHistogram codec are inside the file",
      async () => {
        const { code, stdout, stderr } = await run(["-t1", "-c2", "-d300ms", "--json", "-", server.url]);
        assertEquals(code, 0, stderr);
        const document = JSON.parse(stdout);
        assertEquals(document.format, "wrk-deno/result@1");
        assertEquals(document.requests, parseReport(stderr).requests);
        assert(document.latency.hdr.startsWith("HISTFAAA"), document.latency.hdr);
      },
    );

    await t.step("without a script: the plain report", async () => {
      const { code, stdout, stderr } = await run(["-t2", "-c2", "-d300ms", "--latency", server.url]);
      assertEquals(code, 0, stderr);
      assert(parseReport(stdout).requests > 0, stdout);
      assertMatch(stdout, /Latency Distribution/);
    });

    await t.step("with --allow-ffi: the epoll loop runs from the bundle too, with a script", async () => {
      const before = server.requests.length;
      const { code, stdout, stderr } = await run(
        ["-t2", "-c4", "-d300ms", "-s", script, server.url],
        ["--allow-ffi"],
      );
      assertEquals(code, 0, stderr);
      assertEquals(stderr, "");
      const report = parseReport(stdout);
      assert(report.requests > 20, stdout);
      assertNotMatch(stdout, /Socket errors/);
      assert(server.requests.length - before >= report.requests, "the server saw every counted request");
    });

    await t.step("-k over HTTPS: the TLS transport loaded only for -k is in the file too", async () => {
      const tlsServer = startServer(() => ok("hello"), { tls: true });
      try {
        const { code, stdout, stderr } = await run(["-t1", "-c2", "-d300ms", "-k", tlsServer.url]);
        assertEquals(code, 0, stderr);
        // The fixture's leaf comes without its issuer: the threads take node:tls, and say so.
        assertMatch(stderr, /^-k: Deno's TLS cannot take the certificate of [^\n]* over node:tls[^\n]*\n$/);
        assert(parseReport(stdout).requests > 0, stdout);
        assertNotMatch(stdout, /Socket errors/);
      } finally {
        await tlsServer.close();
      }
    });

    await t.step("-v prints the version from deno.json", async () => {
      const { code, stdout } = await run(["-v"]);
      assertEquals(code, 1); // as wrk: -v without a URL prints the version, then the usage
      assertEquals(stdout.split("\n")[0].split(" (")[0], `wrk-deno ${denoConfig.version}`);
    });

    await t.step("a script error is one line and exit code 1", async () => {
      const broken = `${scriptDir}/broken.lua`;
      await Deno.writeTextFile(broken, "function request() return nil .. 1 end\n");
      const { code, stderr } = await runDeno(
        [
          "run",
          "--allow-net",
          "--allow-env",
          `--allow-read=${file},${broken}`,
          file,
          "-d1s",
          "-s",
          broken,
          server.url,
        ],
        { cwd: runDir },
      );
      assertEquals(code, 1);
      assertMatch(stderr, /attempt to concatenate a nil value/);
    });
  } finally {
    await server.close();
    for (const dir of [buildDir, runDir, scriptDir]) await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a library program bundled into one file runs its threads from its own entry (RunOptions.workerModule)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "wrk-deno-library-" });
  const server = countingServer();
  try {
    const file = `${dir}/program.js`;
    const built = await bundle("tests/fixtures/packaging/library_program.ts", file);
    assertEquals(built.code, 0, built.stderr);
    // With a script: its threads load the Lua layer, which only lib/bundled_modules.ts puts in the file.
    const script = `${dir}/counter.lua`;
    await Deno.copyFile(`${FIXTURES}counter.lua`, script);
    const { code, stdout, stderr } = await runDeno(
      [
        "run",
        "--allow-net",
        "--allow-env",
        `--allow-read=${file},${script}`,
        file,
        "-t2",
        "-c2",
        "-d300ms",
        "-s",
        script,
        server.url,
      ],
      { cwd: dir },
    );
    assertEquals(code, 0, stderr);
    const requests = Number(stdout.match(/^requests: (\d+)$/m)?.[1]);
    assert(requests > 0, stdout);
    assert(server.requests.length >= requests);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});
