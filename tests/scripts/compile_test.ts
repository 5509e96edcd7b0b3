/**
 * `deno task compile` / `compile:all` (scripts/compile.ts): the `deno compile` invocation, checked without the
 * runtime download that a real build needs.
 */
import { assert, assertEquals, assertMatch, assertThrows } from "@std/assert";
import denoConfig from "../../deno.json" with { type: "json" };
import {
  compileArgs,
  INCLUDES,
  isRuntimeDownloadFailure,
  outputPath,
  parseCompileArgs,
  PERMISSIONS,
  runtimeDownloadMessage,
  TARGETS,
  V8_FLAGS,
} from "../../scripts/compile.ts";
import { ROOT, runDeno, taskArgs } from "../helpers/deno.ts";
import { codeWithoutBlockComments, programFiles } from "../helpers/program_files.ts";
import { LAZY_MODULE_PATHS } from "../../lib/lazy_modules.ts";
import { closedPort } from "../helpers/server.ts";

Deno.test("compileArgs() bakes in exactly the documented permissions and embeds the dynamically loaded modules", () => {
  const args = compileArgs("x86_64-pc-windows-msvc", "dist/wrk-deno-x86_64-pc-windows-msvc.exe");
  assertEquals(args[0], "compile");
  assertEquals(args.filter((arg) => arg.startsWith("--allow-")), [
    "--allow-net",
    "--allow-read",
    "--allow-env",
    "--allow-write",
    "--allow-ffi",
  ]);
  assertEquals([...PERMISSIONS], [
    "--allow-net",
    "--allow-read",
    "--allow-env",
    "--allow-write",
    "--allow-ffi",
  ]);
  assert(!args.includes("-A") && !args.includes("--allow-all"));
  assertEquals(args.filter((arg) => arg.startsWith("--v8-flags")), [V8_FLAGS]);
  // The tasks that run the tool from a clone pass the same V8 settings as the binary (and take paths from the
  // folder they were typed in: cli.ts, `enterTypedFolder`).
  for (const task of [denoConfig.tasks.demo, denoConfig.tasks.start]) {
    assert(task.includes(` ${V8_FLAGS} `), task);
    assert(task.startsWith(`WRK_DENO_TASK=1 deno run ${PERMISSIONS.join(" ")} `), task);
  }
  const included = args.flatMap((arg, i) => (arg === "--include" ? [args[i + 1]] : []));
  assertEquals(included, [...INCLUDES]);

  for (const path of INCLUDES) assert(Deno.statSync(ROOT + path).isFile, `${path} exists`);
  assertEquals(args.slice(args.indexOf("--target"), args.indexOf("--target") + 2), [
    "--target",
    "x86_64-pc-windows-msvc",
  ]);
  assertEquals(args.slice(-3), ["--output", "dist/wrk-deno-x86_64-pc-windows-msvc.exe", "cli.ts"]);
  assert(!compileArgs(null, "dist/wrk-deno").includes("--target"));
});

Deno.test("compileArgs() covers the five release targets, each to its own file", () => {
  assertEquals([...TARGETS], [
    "x86_64-unknown-linux-gnu",
    "aarch64-unknown-linux-gnu",
    "x86_64-apple-darwin",
    "aarch64-apple-darwin",
    "x86_64-pc-windows-msvc",
  ]);
  const outputs = parseCompileArgs(["--all"]).targets.map((target) => outputPath(target));
  assertEquals(outputs, [
    "dist/wrk-deno-x86_64-unknown-linux-gnu",
    "dist/wrk-deno-aarch64-unknown-linux-gnu",
    "dist/wrk-deno-x86_64-apple-darwin",
    "dist/wrk-deno-aarch64-apple-darwin",
    "dist/wrk-deno-x86_64-pc-windows-msvc.exe",
  ]);
  assertEquals(parseCompileArgs([]).targets, [null]);
  assertEquals(outputPath(null, "out"), Deno.build.os === "windows" ? "out/wrk-deno.exe" : "out/wrk-deno");
  assertEquals(parseCompileArgs(["--target", "aarch64-apple-darwin", "--dry-run"]), {
    targets: ["aarch64-apple-darwin"],
    dryRun: true,
    outDir: "dist",
  });
  assertThrows(() => parseCompileArgs(["--target", "riscv64-linux"]), RangeError);
  assertThrows(() => parseCompileArgs(["--bogus"]), TypeError);
});

Deno.test("deno task compile:all --dry-run prints one deno compile command per target", async () => {
  const { code, stdout, stderr } = await runDeno([...taskArgs("compile:all", denoConfig), "--dry-run"]);
  assertEquals(code, 0, stderr);
  const lines = stdout.trim().split("\n");
  assertEquals(lines.length, 5);
  lines.forEach((line, i) => {
    assertEquals(line, ["deno", ...compileArgs(TARGETS[i], outputPath(TARGETS[i]))].join(" "));
  });
});

Deno.test("isRuntimeDownloadFailure() recognises deno compile's failed denort download, and nothing else", () => {
  // What deno 2.9.6 prints offline (trimmed).
  const offline = `Compile cli.ts to dist/wrk-deno
Download https://dl.deno.land/release/v2.9.6/denort-x86_64-unknown-linux-gnu.zip
error: Writing deno compile executable to temporary file 'dist/wrk-deno.tmp-cd00173aae9c0e5b'

Caused by:
    0: Setting up base binary.
    1: error sending request for url (https://dl.deno.land/release/v2.9.6/denort-x86_64-unknown-linux-gnu.zip): client error (Connect): dns error: failed to lookup address information: Name or service not known`;
  assert(isRuntimeDownloadFailure(offline));
  assert(
    !isRuntimeDownloadFailure("error: TS2322 [ERROR]: Type 'string' is not assignable to type 'number'."),
  );
  assertEquals(
    runtimeDownloadMessage("aarch64-apple-darwin"),
    "deno compile needs to download the Deno runtime for aarch64-apple-darwin; run it online",
  );
});

Deno.test("deno task compile fails with one clear line when the runtime cannot be downloaded", async () => {
  const outDir = await Deno.makeTempDir({ prefix: "wrk-deno-compile-" });
  try {
    // A proxy where nothing listens makes the download fail even on a machine that is online. A runtime
    // already in Deno's cache needs no download: then the build must simply succeed.
    const proxy = `http://127.0.0.1:${closedPort()}`;
    const { code, stdout, stderr } = await runDeno(
      [...taskArgs("compile", denoConfig), "--target", "aarch64-apple-darwin", "--out-dir", outDir],
      { env: { HTTPS_PROXY: proxy, HTTP_PROXY: proxy, NO_PROXY: "" }, killAfterMs: 120_000 },
    );
    if (code === 0) {
      assert(Deno.statSync(`${outDir}/wrk-deno-aarch64-apple-darwin`).isFile, stdout);
    } else {
      assertEquals(code, 1);
      assertEquals(
        stderr,
        "deno compile needs to download the Deno runtime for aarch64-apple-darwin; run it online\n",
      );
    }
  } finally {
    await Deno.remove(outDir, { recursive: true });
  }
});

Deno.test("compileArgs() make a deno compile that embeds the entry, the worker and the Lua layer", async () => {
  // DENORT_BIN stands in for the runtime that cannot be downloaded here: the output is not runnable (the
  // full deno binary ignores the embedded program), but deno compile checks the module graph and the
  // includes, and lists what it embedded.
  const outDir = await Deno.makeTempDir({ prefix: "wrk-deno-compile-" });
  try {
    const { code, stdout, stderr } = await runDeno(compileArgs(null, `${outDir}/wrk-deno`), {
      env: { DENORT_BIN: Deno.execPath() },
      killAfterMs: 120_000,
    });
    assertEquals(code, 0, stderr);
    const listing = stdout + stderr;
    // deno compile lists a folder all of whose files it embedded as `folder/*`, and the others file by file.
    for (
      const [name, folder] of [
        ["cli.ts", null],
        ["deno.json", null],
        ["worker_main.ts", "worker"],
        ["main_script.ts", "script"],
        ["thread_script.ts", "script"],
        ["_lua.ts", "fengari"],
        ["_insecure_tls.ts", "net"],
      ]
    ) {
      const file = `── ${name!.replace(".", "\\.")} \\(`;
      assertMatch(
        listing,
        new RegExp(folder === null ? file : `${file}|── ${folder}/\\* \\(`),
        `${name} embedded`,
      );
    }
  } finally {
    await Deno.remove(outDir, { recursive: true });
  }
});

Deno.test("every module of ours loaded by await import() is embedded in the binary", async () => {
  const root = new URL("../../", import.meta.url);
  const loaded = new Set<string>();
  for (const file of await programFiles()) {
    const code = await codeWithoutBlockComments(file);
    // `await import("…")`, a loader's `() => import("…")`, and an import by a URL computed from the module's own
    // with a literal path (`import(new URL("…", import.meta.url).href)`), which no module graph shows.
    for (const match of code.matchAll(/(?<!typeof )import\((?:new URL\()?"(\.{1,2}\/[^"]+)"/g)) {
      loaded.add(new URL(match[1], new URL(file, root)).href.slice(root.href.length));
    }
  }
  assertEquals([...loaded].filter((path) => !INCLUDES.includes(path)), []);
  // The modules lib/lazy_modules.ts loads by a path it computes are those of its list, all embedded.
  for (const path of LAZY_MODULE_PATHS) assert(INCLUDES.includes(`lib/${path}`), path);
});
