/**
 * `deno run <url>`: the repository served over loopback HTTP, run from a directory without a deno.json, so no
 * import map and no lock file help; every import must resolve from the fetched files alone.
 */
import assert from "node:assert/strict";
import { dirname } from "node:path";
import { parseReport } from "./helpers/cli.ts";
import { ROOT, runDeno } from "./helpers/deno.ts";
import { ok, startServer } from "./helpers/server.ts";

interface FileServer {
  readonly origin: string;
  /** Paths served so far. */
  readonly served: Set<string>;
  close(): Promise<void>;
}

/**
 * Serves the files under `root` as raw.githubusercontent.com does: `text/plain` for everything, so Deno
 * must infer each module's type from its extension, as it does there.
 */
function serveFiles(root: string): FileServer {
  const served = new Set<string>();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const path = decodeURIComponent(new URL(request.url).pathname);
    if (path.split("/").includes("..")) return new Response("forbidden", { status: 403 });
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
    close: () => server.shutdown(),
  };
}

/**
 * Runs `deno run <origin>/cli.ts args` from `cwd` with the documented permissions. `--reload=<origin>`:
 * ports are reused between test runs, and Deno's cache would otherwise serve an older checkout's modules.
 */
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
  ], { cwd });
}

Deno.test("deno run <url>/cli.ts and deno install -g <url> work with no import map, threads and Lua included", async (t) => {
  const files = serveFiles(ROOT);
  const target = startServer((request) => ok(request.path.startsWith("/count/") ? "counted" : "ok"));
  const cwd = await Deno.makeTempDir({ prefix: "wrk-deno-remote-" });
  try {
    await t.step("-t1 -c2: the report", async () => {
      const { code, stdout, stderr } = await runRemote(files, ["-t1", "-c2", "-d300ms", target.url], cwd);
      assert.equal(code, 0, stderr);
      assert.ok(parseReport(stdout).requests > 0, stdout);
      assert.match(stdout, /^ {2}1 threads and 2 connections$/m);
      assert.ok(files.served.has("/lib/worker/worker_main.ts"));
    });

    await t.step("-t2 -s counter.lua: hooks in every thread and done()", async () => {
      const script = `${cwd}/counter.lua`;
      await Deno.copyFile(`${ROOT}tests/fixtures/packaging/counter.lua`, script);
      const { code, stdout, stderr } = await runRemote(
        files,
        ["-t2", "-c2", "-d300ms", "-s", script, target.url],
        cwd,
      );
      assert.equal(code, 0, stderr);
      const report = parseReport(stdout);
      assert.ok(report.requests > 0, stdout);
      assert.match(stdout, /^thread 1 counted \d+$/m);
      assert.match(stdout, /^thread 2 counted \d+$/m);
      assert.equal(stdout.match(/^total (\d+) of \d+$/m)?.[1], String(report.requests), stdout);
      // The Lua layer is imported lazily, and was fetched from the same origin.
      assert.ok(files.served.has("/lib/script/thread_script.ts"));
      assert.ok(files.served.has("/lib/script/main_script.ts"));
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
      ], { cwd });
      assert.equal(installed.code, 0, installed.stderr);
      // The installed command is a shell script that runs `deno` from PATH.
      const path = `${dirname(Deno.execPath())}:${Deno.env.get("PATH") ?? ""}`;
      const output = await new Deno.Command(`${root}/bin/wrk-deno`, {
        args: ["-t1", "-c2", "-d300ms", target.url],
        cwd,
        env: { PATH: path, NO_COLOR: "1" },
        stdin: "null",
      }).output();
      const stdout = new TextDecoder().decode(output.stdout);
      assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
      assert.ok(parseReport(stdout).requests > 0, stdout);
    });

    await t.step("-v reads the version from the served deno.json", async () => {
      const { stdout } = await runRemote(files, ["-v"], cwd);
      const { version } = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
      assert.equal(stdout.split("\n")[0].split(" (")[0], `wrk-deno ${version}`);
    });
  } finally {
    await target.close();
    await files.close();
    await Deno.remove(cwd, { recursive: true });
  }
});

Deno.test("source files import npm packages by full npm: specifier, never through deno.json's import map", async () => {
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
    assert.ok(file !== "cli.ts" || specifiers.length > 5, "the pattern finds imports");
    for (const [, specifier] of specifiers) {
      if (!/^(\.\.?\/|node:|npm:[@\w./-]+@\d)/.test(specifier)) bare.push(`${file}: ${specifier}`);
    }
  }
  assert.deepEqual(bare, []);
});

async function* walk(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) yield* walk(path);
    else if (entry.isFile) yield path;
  }
}
