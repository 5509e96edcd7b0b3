/**
 * `deno run <url>`: the repository served over loopback HTTP, run from a directory without a deno.json, so no
 * import map and no lock file help; every import must resolve from the fetched files alone. The JSR packages
 * come from JSR itself for a user; here `JSR_URL` points Deno at the same server's `vendor/jsr.io/`, which is
 * laid out as JSR serves them.
 */
import { assert, assertEquals, assertMatch } from "@std/assert";
import { dirname } from "@std/path";
import { parseReport } from "./helpers/cli.ts";
import { ROOT, runDeno } from "./helpers/deno.ts";
import { ok, startServer } from "./helpers/server.ts";

interface FileServer {
  readonly origin: string;
  /** Paths served so far. */
  readonly served: Set<string>;
  /** Requests for a path already served (the worker threads' own fetches under `--reload`). */
  readonly repeats: () => number;
  close(): Promise<void>;
}

/**
 * Serves the files under `root` as raw.githubusercontent.com does: `text/plain` for everything, so Deno
 * must infer each module's type from its extension, as it does there. `repeatDelayMs(path)` delays each
 * request for a path already served: with `--reload=<origin>` each worker thread fetches its modules again, so
 * that slows down only the threads' loading.
 */
function serveFiles(root: string, repeatDelayMs: (path: string) => number = () => 0): FileServer {
  const served = new Set<string>();
  let repeats = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const path = decodeURIComponent(new URL(request.url).pathname);
    if (path.split("/").includes("..")) return new Response("forbidden", { status: 403 });
    const delayMs = served.has(path) ? repeatDelayMs(path) : 0;
    if (delayMs > 0) {
      repeats++;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
    try {
      const body = await Deno.readFile(root + path.slice(1));
      served.add(path);
      return new Response(body, { headers: { "content-type": "text/plain; charset=utf-8" } });
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
  return {
    origin: `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}`,
    served,
    repeats: () => repeats,
    close: () => server.shutdown(),
  };
}

/**
 * Runs `deno run <origin>/cli.ts args` from `cwd` with the documented permissions. `--reload=<origin>`:
 * ports are reused between test runs, and Deno's cache would otherwise serve an older checkout's modules.
 */
/** The environment that makes Deno fetch `jsr:` packages from the served `vendor/jsr.io/`. */
function jsrFrom(files: FileServer): Record<string, string> {
  return { JSR_URL: `${files.origin}/vendor/jsr.io/` };
}

function runRemote(files: FileServer, args: string[], cwd: string) {
  return runDeno([
    "run",
    "--no-config",
    `--reload=${files.origin}`,
    "--allow-net",
    "--allow-read",
    "--allow-env",
    `${files.origin}/cli.ts`,
    ...args,
  ], { cwd, env: jsrFrom(files) });
}

Deno.test("deno run <url>/cli.ts and deno install -g <url> work with no import map, threads and Lua included", async (t) => {
  const files = serveFiles(ROOT);
  const target = startServer((request) => ok(request.path.startsWith("/count/") ? "counted" : "ok"));
  const cwd = await Deno.makeTempDir({ prefix: "wrk-deno-remote-" });
  try {
    await t.step("-t1 -c2: the report", async () => {
      const { code, stdout, stderr } = await runRemote(files, ["-t1", "-c2", "-d300ms", target.url], cwd);
      assertEquals(code, 0, stderr);
      assert(parseReport(stdout).requests > 0, stdout);
      assertMatch(stdout, /^ {2}1 threads and 2 connections$/m);
      assert(files.served.has("/lib/worker/worker_main.ts"));
    });

    await t.step("-t2 -s counter.lua: hooks in every thread and done()", async () => {
      const script = `${cwd}/counter.lua`;
      await Deno.copyFile(`${ROOT}tests/fixtures/packaging/counter.lua`, script);
      const { code, stdout, stderr } = await runRemote(
        files,
        ["-t2", "-c2", "-d300ms", "-s", script, target.url],
        cwd,
      );
      assertEquals(code, 0, stderr);
      const report = parseReport(stdout);
      assert(report.requests > 0, stdout);
      assertMatch(stdout, /^thread 1 counted \d+$/m);
      assertMatch(stdout, /^thread 2 counted \d+$/m);
      assertEquals(stdout.match(/^total (\d+) of \d+$/m)?.[1], String(report.requests), stdout);
      // The Lua layer is imported lazily, and was fetched from the same origin.
      assert(files.served.has("/lib/script/thread_script.ts"));
      assert(files.served.has("/lib/script/main_script.ts"));
    });

    await t.step("completions bash: the command tree, with cliffy from JSR", async () => {
      const { code, stdout, stderr } = await runRemote(files, ["completions", "bash"], cwd);
      assertEquals(code, 0, stderr);
      assertMatch(stdout, /^complete -F _wrk_deno .* wrk-deno$/m);
      assert(files.served.has("/lib/config/command_tree.ts"));
      assert(files.served.has("/vendor/jsr.io/@cliffy/command/1.0.0/command.ts"), "cliffy came from JSR_URL");
    });

    await t.step("deno install -g <url> makes a wrk-deno command that runs", async () => {
      const root = `${cwd}/install`;
      const installed = await runDeno([
        "install",
        "-g",
        "--root",
        root,
        `--reload=${files.origin}`,
        "--allow-net",
        "--allow-read",
        "--allow-env",
        "-n",
        "wrk-deno",
        `${files.origin}/cli.ts`,
      ], { cwd, env: jsrFrom(files) });
      assertEquals(installed.code, 0, installed.stderr);
      // The installed command is a shell script that runs `deno` from PATH.
      const path = `${dirname(Deno.execPath())}:${Deno.env.get("PATH") ?? ""}`;
      const output = await new Deno.Command(`${root}/bin/wrk-deno`, {
        args: ["-t1", "-c2", "-d300ms", target.url],
        cwd,
        env: { PATH: path, NO_COLOR: "1", ...jsrFrom(files) },
        stdin: "null",
      }).output();
      const stdout = new TextDecoder().decode(output.stdout);
      assertEquals(output.code, 0, new TextDecoder().decode(output.stderr));
      assert(parseReport(stdout).requests > 0, stdout);
    });

    await t.step("-v reads the version from the served deno.json", async () => {
      const { stdout } = await runRemote(files, ["-v"], cwd);
      const { version } = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
      assertEquals(stdout.split("\n")[0].split(" (")[0], `wrk-deno ${version}`);
    });
  } finally {
    await target.close();
    await files.close();
    await Deno.remove(cwd, { recursive: true });
  }
});

Deno.test("deno run <url>/cli.ts: the threads' module loading is not part of the time run", async () => {
  // 150 ms per module fetched again: each thread takes over a second to load, so a run that counted it would
  // report 2 s or more for -d1s.
  const files = serveFiles(ROOT, () => 150);
  const target = startServer();
  const cwd = await Deno.makeTempDir({ prefix: "wrk-deno-remote-" });
  try {
    const started = performance.now();
    const { code, stdout, stderr } = await runRemote(files, ["-t2", "-c10", "-d1s", target.url], cwd);
    const wallS = (performance.now() - started) / 1000;
    assertEquals(code, 0, stderr);
    assert(files.repeats() > 0, "the threads fetched their modules (else this test shows nothing)");
    const { runtimeS } = parseReport(stdout);
    // Above 1.00 s by the stop's hand-off only (~0.01-0.07 s; up to ~0.5 s on a starved CPU).
    assert(
      runtimeS >= 1 && runtimeS < 1.5,
      `-d1s ran ${runtimeS}s (the process took ${wallS.toFixed(2)}s)`,
    );
  } finally {
    await target.close();
    await files.close();
    await Deno.remove(cwd, { recursive: true });
  }
});

Deno.test("source files import npm and JSR packages by full specifier with a version, never through deno.json's import map", async () => {
  const bare: string[] = [];
  const files = ["cli.ts", "mod.ts"];
  for await (const path of walk(`${ROOT}lib`)) if (path.endsWith(".ts")) files.push(path.slice(ROOT.length));
  for (const file of files) {
    const source = await Deno.readTextFile(ROOT + file);
    const specifiers = [
      ...source.matchAll(/^(?:import|export)\s[^;"']*?\bfrom\s*["']([^"']+)["']/gm),
      ...source.matchAll(/^import\s*["']([^"']+)["']/gm),
      ...source.matchAll(/\bimport\(\s*["']([^"']+)["']/g),
    ];
    assert(file !== "cli.ts" || specifiers.length > 5, "the pattern finds imports");
    for (const [, specifier] of specifiers) {
      if (!/^(\.\.?\/|node:|npm:[@\w./-]+@\d|jsr:@[\w-]+\/[\w-]+@\d)/.test(specifier)) {
        bare.push(`${file}: ${specifier}`);
      }
    }
  }
  assertEquals(bare, []);
});

async function* walk(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) yield* walk(path);
    else if (entry.isFile) yield path;
  }
}
