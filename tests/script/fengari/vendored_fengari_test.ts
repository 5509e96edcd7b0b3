/**
 * fengari vendored as one ES module (third_party/fengari/, written by scripts/vendor_fengari.ts; why:
 * docs/dependencies.md#fengari-vendored): the committed files are what the generator writes now; a worker
 * that loads the Lua layer and runs a script evaluates fengari's modules in the order it did from npm and
 * loads none of Node's modules; and what fengari reaches through those modules still works from Lua.
 */

import { assert, assertEquals, assertMatch } from "@std/assert";
import { fromFileUrl } from "@std/path/from-file-url";
import { join } from "@std/path/join";
import { fengariProcess, nodeModulesLoaded } from "../../../third_party/fengari/fengari.js";
import { BUILT_WITH, vendorFengari } from "../../../scripts/vendor_fengari.ts";
import { threadScript } from "../_helpers.ts";
import type { LuaLayerReport } from "./fixtures/lua_layer_worker.ts";

const VENDORED = fromFileUrl(new URL("../../../third_party/fengari/", import.meta.url));

/** Every file under `dir`, by its path relative to `dir`, sorted. */
async function filesUnder(dir: string, prefix = ""): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(join(dir, prefix))) {
    const path = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory) names.push(...await filesUnder(dir, path));
    else names.push(path);
  }
  return names.sort();
}

/** The Deno whose bundler wrote the committed file (its header says): another one may write other bytes. */
const BUILT_BY = Deno.readTextFileSync(join(VENDORED, "fengari.js")).match(new RegExp(`${BUILT_WITH}(\\S+) `))
  ?.[1];

Deno.test({
  name: "third_party/fengari/ holds exactly the bytes scripts/vendor_fengari.ts writes now",
  // deno-upgrade.yml runs the suite on newer Deno releases, whose bundler may order or spell things otherwise.
  ignore: BUILT_BY !== undefined && BUILT_BY !== Deno.version.deno,
}, async () => {
  const outDir = await Deno.makeTempDir({ dir: "/tmp", prefix: "wrk-deno-vendor-fengari-" });
  try {
    await vendorFengari(outDir);
    const written = await filesUnder(outDir);
    assertEquals(await filesUnder(VENDORED), written);
    for (const path of written) {
      const [committed, fresh] = await Promise.all([
        Deno.readFile(join(VENDORED, path)),
        Deno.readFile(join(outDir, path)),
      ]);
      assert(
        committed.length === fresh.length && committed.every((byte, i) => byte === fresh[i]),
        `third_party/fengari/${path} differs from the generator's output: run deno task vendor:fengari`,
      );
    }
  } finally {
    await Deno.remove(outDir, { recursive: true });
  }
});

/** Loads the Lua layer in a fresh worker, runs `source` there and reports (fixtures/lua_layer_worker.ts). */
function inFreshWorker(source: string): Promise<LuaLayerReport> {
  const worker = new Worker(new URL("./fixtures/lua_layer_worker.ts", import.meta.url), { type: "module" });
  return new Promise<LuaLayerReport>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<LuaLayerReport>) => resolve(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      reject(new Error(event.message));
    };
    worker.postMessage(source);
  }).finally(() => worker.terminate());
}

/**
 * The order fengari 0.1.5's modules ran in when `lib/script/fengari/` imported them from npm (recorded with a
 * hook on Node's `Module.prototype._compile` in a worker that loaded lib/script/thread_script.ts), minus
 * `tmp` (after loslib.js), which now loads on first use, and `readline-sync` (after ldblib.js), which is not
 * bundled. `defs.js` and `lstring.js` come first: `_fast_paths.ts` patches them before the rest of fengari.
 */
const NPM_ORDER = [
  "defs.js",
  "luaconf.js",
  "lstring.js",
  "llimits.js",
  "fengari.js",
  "fengaricore.js",
  "lua.js",
  "lapi.js",
  "ldebug.js",
  "ldo.js",
  "lfunc.js",
  "lobject.js",
  "ljstype.js",
  "lstate.js",
  "ltable.js",
  "ltm.js",
  "lvm.js",
  "lopcodes.js",
  "lparser.js",
  "lcode.js",
  "llex.js",
  "lzio.js",
  "lundump.js",
  "ldump.js",
  "lauxlib.js",
  "lualib.js",
  "lbaselib.js",
  "lcorolib.js",
  "ltablib.js",
  "liolib.js",
  "loslib.js",
  "lstrlib.js",
  "../../sprintf-js/src/sprintf.js",
  "lutf8lib.js",
  "lmathlib.js",
  "ldblib.js",
  "loadlib.js",
  "fengarilib.js",
  "linit.js",
].map((name) => `fengari/src/${name}`.replace("fengari/src/../../", ""));

Deno.test("a worker running a script's hooks runs fengari's modules as from npm and no Node module", async () => {
  const report = await inFreshWorker(`
    local n = 0
    function init(args)
      print(os.time() > 0, os.getenv("WRK_DENO_SURELY_UNSET_VARIABLE"), type(os.clock()))
      io.write("written", "\\n")
      print(pcall(os.tmpname))
    end
    function request() n = n + 1; return wrk.format(nil, "/" .. n) end
    function response(status, headers, body) n = n + status end
  `);
  assertEquals(report.nodeModulesLoaded, []);
  assertEquals(report.modulesEvaluated, ["scripts/vendor_fengari_entry.cjs", ...NPM_ORDER]);
  assertMatch(report.printed, /^true\tnil\tnumber\nwritten\nfalse\t.*os\.tmpname\(\) is not supported/);
  assertMatch(report.requests[0], /^GET \/1 HTTP\/1\.1\r\n/);
  assertMatch(report.requests[1], /^GET \/202 HTTP\/1\.1\r\n/);
});

Deno.test("loadfile, dofile and require of a Lua file read it through node:fs, loaded then", async () => {
  const dir = await Deno.makeTempDir({ dir: "/tmp", prefix: "wrk-deno-vendored-fengari-" });
  try {
    await Deno.writeTextFile(join(dir, "vendored_mod.lua"), `return { answer = 42 }`);
    await Deno.writeTextFile(join(dir, "vendored_chunk.lua"), `return ...`);
    const { script, output } = await threadScript(`
      package.path = "${dir}/?.lua"
      print(require("vendored_mod").answer)
      print(loadfile("${dir}/vendored_chunk.lua")("loaded"))
      print(dofile("${dir}/vendored_chunk.lua"))
      print(loadfile("${dir}/missing.lua"))
    `);
    script.close();
    assertEquals(output.text.split("\n").slice(0, 3), ["42", "loaded", ""]);
    assertMatch(output.text, /^nil\tcannot open .*missing\.lua/m);
    assert(nodeModulesLoaded().includes("node:fs"), "node:fs not loaded through its stand-in");
    assert(!nodeModulesLoaded().includes("node:module"), "node:module loaded");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("os.getenv, os.clock, io.write and print still work from a script", async () => {
  Deno.env.set("WRK_DENO_VENDORED_FENGARI", "set");
  try {
    const { script, output } = await threadScript(`
      print(os.getenv("WRK_DENO_VENDORED_FENGARI"), os.clock() >= 0)
      io.write("a", 1, "\\n")
    `);
    script.close();
    assertEquals(output.text, "set\ttrue\na1\n");
  } finally {
    Deno.env.delete("WRK_DENO_VENDORED_FENGARI");
  }
});

/**
 * Runs fixtures/debug_prompt.ts (`print(pcall(debug.debug))` in a thread's state) with `input` on its standard
 * input, kept open: it must answer without reading it. Returns what the script printed.
 */
async function debugPrompt(input: string): Promise<string> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-env", new URL("./fixtures/debug_prompt.ts", import.meta.url).href],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
    // A prompt that read standard input would wait here for ever.
    signal: AbortSignal.timeout(30_000),
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(input));
  const { code, stdout, stderr } = await child.output();
  await writer.close().catch(() => {});
  assertEquals(code, 0, new TextDecoder().decode(stderr));
  return JSON.parse(new TextDecoder().decode(stdout));
}

Deno.test("fengari reads the environment and Node's process through fengariProcess, as it read Node's", async () => {
  // LUA_PATH_5_3 (loadlib.js's setpath, when a state opens its libraries) through Deno.env; ";;" is the default
  // path, as in C Lua.
  Deno.env.set("LUA_PATH_5_3", "/wrk-deno-vendored/?.lua;;");
  try {
    const { script, output } = await threadScript(`print(package.path)`);
    script.close();
    assertMatch(output.text, /^\/wrk-deno-vendored\/\?\.lua;.+\?\.lua/);
  } finally {
    Deno.env.delete("LUA_PATH_5_3");
  }
  const env = fengariProcess.env as Record<string, string | undefined>;
  Deno.env.set("WRK_DENO_VENDORED_ENV", "x");
  try {
    assertEquals(env.WRK_DENO_VENDORED_ENV, "x");
    assert(Object.prototype.hasOwnProperty.call(env, "WRK_DENO_VENDORED_ENV"));
    assert(Object.keys(env).includes("WRK_DENO_VENDORED_ENV"));
  } finally {
    Deno.env.delete("WRK_DENO_VENDORED_ENV");
  }
  assertEquals(env.WRK_DENO_VENDORED_ENV, undefined);
  assertEquals(Object.prototype.hasOwnProperty.call(env, "WRK_DENO_VENDORED_ENV"), false);
  // A name Deno.env refuses is unset, not an exception in the middle of fengari.
  assertEquals(env["A=B"], undefined);
  assertEquals(fengariProcess.platform, Deno.build.os);
  // The rest is Node's process, its methods bound to it.
  const cwd = fengariProcess.cwd as () => string;
  assertEquals(cwd(), Deno.cwd());
  assertEquals(fengariProcess.pid, Deno.pid);
});

Deno.test("debug.debug fails with one clear error and reads nothing of standard input", async () => {
  // readline-sync, which fengari's debug.debug prompted with, is not bundled; in a thread it failed the same
  // way (no terminal), and it must not block a thread on standard input in the middle of a run.
  assertEquals(
    await debugPrompt("print(6 * 7)\ncont\n"),
    "false\tdebug.debug() is not supported: a load test's threads have no terminal to read\n",
  );
});
