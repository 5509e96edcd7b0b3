/**
 * `deno task vendor:fengari`: writes `third_party/fengari/`, fengari 0.1.5 (and the CommonJS packages it
 * requires: sprintf-js, tmp) as one ES module built by `deno bundle`, plus one small ES module
 * per fengari module that `lib/script/fengari/` imports.
 *
 * ```sh
 * deno task vendor:fengari                       # rewrite third_party/fengari/
 * deno task vendor:fengari --out /tmp/fengari    # write elsewhere (tests compare it with the committed copy)
 * ```
 *
 * Why (docs/dependencies.md#fengari-vendored): imported from npm, fengari is CommonJS, and loading it in a
 * thread's worker isolate sets up Deno's Node module layer (`node:module`, `createRequire`), compiles
 * CommonJS without a code cache and runs its load-time requires of `fs`, `tmp` (→ `crypto`),
 * `child_process`, `os` and `readline-sync`: tens of milliseconds of CPU in every worker of a scripted run.
 * The bundle is plain ES, and after the rewrites below it loads no Node module until a Lua script uses one of
 * the functions behind them.
 *
 * What the bundle keeps from fengari's own loading: every fengari module still runs only when first
 * required, in the order our code requires it. The entry (`scripts/vendor_fengari_entry.cjs`) exports
 * functions that require on call, so esbuild's `__commonJS` factories stay lazy, and each
 * `third_party/fengari/src/<name>.js` calls one of them when it is evaluated: importing it is what importing
 * `npm:fengari@0.1.5/src/<name>.js` was (`_fast_paths.ts` patches `defs.js` and `lstring.js` before the rest of
 * fengari loads, and relies on that).
 *
 * The rewrites of the bundle, each checked to apply exactly once:
 * - `__require` of Node's built-ins (`createRequire` from `node:module` in the bundle) becomes a stand-in that
 *   takes the module from `process.getBuiltinModule` when one of its properties is first read;
 * - luaconf.js's `require('os').platform()`, read when it loads, becomes `process.platform` (the same value,
 *   which is all `os.platform()` returns), so that loading luaconf.js loads no `node:os`;
 * - `tmp` (loslib.js), which fengari requires when it loads and which requires Node's modules when it
 *   loads, becomes such a stand-in too;
 * - liolib.js's `process.versions.node > 6`, read when it loads, becomes `false`, its value in Node and Deno
 *   alike (a version string compared with a number);
 * - every other reference of the bundled modules to Node's `process` (33 in fengari 0.1.5 and tmp 0.2.7, a
 *   count the generator checks) reads `fengariProcess` instead: the environment through `Deno.env`,
 *   `platform` from `Deno.build`, anything else from the real `process` when first read, and the standard
 *   streams as stand-ins that read the real stream when one of their properties is. Deno sets Node's
 *   `process` up on first use (~13 ms and ~6 MiB in a fresh worker), and fengari reads it when it loads and
 *   when a state opens its libraries (liolib.js's three standard files);
 * - `readline-sync` (ldblib.js, for `debug.debug`'s prompt) is left out of the bundle: it reads the terminal
 *   through shell scripts beside its own file, which a bundle does not have. In its place, a prompt that
 *   fails, as readline-sync did in a load test's threads: `debug.debug` raises an error instead of blocking
 *   a thread on standard input;
 * - esbuild's `__commonJS` records each module as its factory runs, and the entry's exports become the named
 *   exports `fengariModule`, `fengariProcess`, `nodeModulesLoaded` (which stand-ins were loaded, and
 *   `"process"` once the real one was read) and `modulesEvaluated` (which bundled modules ran, in order): the
 *   tests read the last two.
 *
 * The output depends only on the locked packages in `node_modules/` and this repository (paths in it are
 * relative to the repository), so a fresh clone anywhere writes the same bytes.
 *
 * @module
 */
import { parseArgs } from "@std/cli/parse-args";
import { fromFileUrl } from "@std/path/from-file-url";
import { join } from "@std/path/join";
import { dirname } from "@std/path/dirname";
import { relative } from "@std/path/relative";

/** The repository's root (this file is in `scripts/`). */
const ROOT = fromFileUrl(new URL("..", import.meta.url));
/** The bundle's entry, relative to the root (it resolves `fengari` from the root's `node_modules/`). */
const ENTRY = "scripts/vendor_fengari_entry.cjs";
/** Where `deno task vendor:fengari` writes by default, relative to the root. */
const DEFAULT_OUT = "third_party/fengari";

/** The packages in the bundle, as `node_modules/` holds them (fengari's dependencies are linked from its folder). */
const PACKAGES = [
  { name: "fengari", dir: "node_modules/.deno/fengari@0.1.5/node_modules/fengari" },
  { name: "sprintf-js", dir: "node_modules/.deno/fengari@0.1.5/node_modules/sprintf-js" },
  { name: "tmp", dir: "node_modules/.deno/fengari@0.1.5/node_modules/tmp" },
] as const;

/** Where the header names the Deno that wrote the file (tests compare bytes only when built with the same one). */
export const BUILT_WITH = "Built with Deno ";

/** The last line of the stand-ins: what follows in the bundle is the modules. */
const PROCESS_EXPORT = "export { __process as fengariProcess };";

/** Replaces `__require`: Node's built-ins as stand-ins loaded on first use, recorded in `__nodeModulesLoaded`. */
const NODE_STAND_INS =
  `// Added by scripts/vendor_fengari.ts: Node's modules as stand-ins, each loaded when one of its properties is
// first read (see the header).
var __nodeModulesLoaded = [];
var __standIns = new Map();
var __standIn = (name, load, bindMethods = false) => {
  const known = __standIns.get(name);
  if (known !== void 0) return known;
  let real;
  const target = () => {
    if (real === void 0) {
      __nodeModulesLoaded.push(name);
      real = load();
    }
    return real;
  };
  // A method read through a stream's stand-in is bound to the stream, once per method: the same function
  // each time it is read, as on the stream itself.
  const bound = new Map();
  const get = bindMethods
    ? (_, key) => {
      const value = target()[key];
      if (typeof value !== "function") return value;
      let method = bound.get(key);
      if (method === void 0 || method.of !== value) bound.set(key, method = { of: value, fn: value.bind(real) });
      return method.fn;
    }
    : (_, key) => target()[key];
  const standIn = new Proxy({}, {
    get,
    has: (_, key) => key in target(),
    set: (_, key, value) => Reflect.set(target(), key, value),
  });
  __standIns.set(name, standIn);
  return standIn;
};
var __require = (name) => name.startsWith("node:")
  ? __standIn(name, () => globalThis.process.getBuiltinModule(name))
  : __standIn("node:module", () => globalThis.process.getBuiltinModule("node:module")).createRequire(import.meta.url)(name);
// readline-sync, which ldblib.js requires for debug.debug's prompt, is not bundled: it reads the terminal
// through shell scripts kept beside its own file. In its place, what it did in a load test's threads (which
// have no terminal; under the documented permissions its fallback cannot run a shell either): debug.debug
// fails with an error, rather than block a thread on standard input in the middle of a run.
var __noPrompt = () => ({
  setDefaultOptions: () => ({}),
  prompt() {
    throw new Error("debug.debug() is not supported: a load test's threads have no terminal to read");
  },
});
// fengari's modules read Node's \`process\` when they load and when a state opens its libraries (\`typeof
// process\`, the environment for luaconf.js's and loadlib.js's settings, the standard streams for liolib.js's
// files), and Deno sets Node's \`process\` up on first use: ~13 ms and ~6 MiB in a fresh worker. They read
// this instead: the environment through Deno.env, \`platform\` from Deno.build, and any other property from
// the real \`process\` when first read (recorded as "process" among the stand-ins loaded). The standard
// streams are stand-ins too (methods bound to the real stream): liolib.js makes its three files of them when a
// state opens its libraries, and the first read of one of Node's streams sets up Node's stream machinery,
// several milliseconds, for files our Lua layer replaces at once (lua/compat.lua).
var __envValue = (key) => {
  if (typeof key !== "string") return void 0;
  try {
    return Deno.env.get(key);
  } catch (error) {
    // Not a valid name (with "=" or NUL): unset. Without --allow-env, fengari fails as it did on Node's process.
    if (error instanceof TypeError) return void 0;
    throw error;
  }
};
var __env = new Proxy({}, {
  get: (_, key) => __envValue(key),
  has: (_, key) => __envValue(key) !== void 0,
  getOwnPropertyDescriptor: (_, key) => {
    const value = __envValue(key);
    return value === void 0 ? void 0 : { value, writable: true, enumerable: true, configurable: true };
  },
  ownKeys: () => Object.keys(Deno.env.toObject()),
});
var __realProcess = () => {
  if (!__nodeModulesLoaded.includes("process")) __nodeModulesLoaded.push("process");
  return globalThis.process;
};
var __process = new Proxy({
  env: __env,
  platform: Deno.build.os === "windows" ? "win32" : Deno.build.os,
  get stdin() { return __standIn("process.stdin", () => __realProcess().stdin, true); },
  get stdout() { return __standIn("process.stdout", () => __realProcess().stdout, true); },
  get stderr() { return __standIn("process.stderr", () => __realProcess().stderr, true); },
}, {
  get: (target, key) => {
    if (key in target) return Reflect.get(target, key);
    const real = __realProcess();
    const value = Reflect.get(real, key);
    return typeof value === "function" ? value.bind(real) : value;
  },
  set: (target, key, value) => key in target ? Reflect.set(target, key, value) : Reflect.set(__realProcess(), key, value),
  has: (target, key) => key in target || key in __realProcess(),
});
${PROCESS_EXPORT}`;

/** Replaces the entry's default export. */
const EXPORTS =
  `// Added by scripts/vendor_fengari.ts: the entry's functions by the module's path in the package.
var __entry = require_vendor_fengari_entry();
export function fengariModule(path) {
  const load = Object.hasOwn(__entry, path) ? __entry[path] : void 0;
  if (load === void 0) throw new TypeError(\`fengari module not in the bundle: '\${path}'\`);
  return load();
}
export function nodeModulesLoaded() {
  return [...__nodeModulesLoaded];
}
export function modulesEvaluated() {
  return [...__modulesEvaluated];
}`;

/** [what, from, to]: each `from` must occur exactly once in the bundle. */
const REWRITES: readonly (readonly [string, string, string])[] = [
  [
    "createRequire",
    'import { createRequire as __deno_internal_createRequire } from "node:module";\n' +
    "var __require = __deno_internal_createRequire(import.meta.url);\n",
    NODE_STAND_INS + "\n",
  ],
  [
    "luaconf.js's platform",
    '} else if (__require("node:os").platform() === "win32") {',
    '} else if (process.platform === "win32") {',
  ],
  [
    "__commonJS",
    "var __commonJS = (cb, mod) => function __require2() {\n" +
    "  return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;\n",
    "var __modulesEvaluated = [];\n" +
    "var __commonJS = (cb, mod) => function __require2() {\n" +
    '  if (mod === void 0) __modulesEvaluated.push(__getOwnPropNames(cb)[0].replace(/^.*node_modules\\//, ""));\n' +
    "  return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;\n",
  ],
  ["tmp", "const tmp = require_tmp();", 'const tmp = __standIn("tmp", require_tmp);'],
  [
    "liolib.js's versions",
    "var prepare_string_for_write = process.versions.node > 6 ?",
    // A version string ("22.14.0") compared with a number is false, in Node as in Deno: Buffer.from is taken.
    "var prepare_string_for_write = false ?",
  ],
  [
    "readline-sync",
    'const readlineSync = __require("readline-sync");',
    "const readlineSync = __noPrompt();",
  ],
  ["exports", "export default require_vendor_fengari_entry();", EXPORTS],
];

/** The types of `fengari.js` (its importers in `lib/` type each module where they import it). */
const TYPES = `/** The types of fengari.js, generated with it by scripts/vendor_fengari.ts: do not edit. */

/** fengari's module at \`path\` in the package (\`"src/defs.js"\`), evaluated on the first call. */
export declare function fengariModule(path: string): unknown;

/** The Node modules (and \`tmp\`, and \`"process"\` for Node's \`process\`) loaded so far through their stand-ins, in order. */
export declare function nodeModulesLoaded(): readonly string[];

/**
 * What fengari's modules read as Node's \`process\`: the environment through Deno.env, \`platform\`, the
 * standard streams as stand-ins that read the real stream when one of their properties is first read (its
 * methods bound to it), and any other property the real \`process\`'s.
 */
export declare const fengariProcess: Record<string, unknown>;

/** The bundled CommonJS modules evaluated so far, in order (\`fengari/src/defs.js\`, \`tmp/lib/tmp.js\`). */
export declare function modulesEvaluated(): readonly string[];
`;

/** The module paths the entry exports (`src/defs.js`, …), in its order. */
export function entryPaths(entrySource: string): string[] {
  return [...entrySource.matchAll(/^exports\["([^"]+)"\] = /gm)].map((match) => match[1]);
}

/**
 * The bundled modules' references to Node's `process` (fengari's, and tmp's and sprintf-js's), which read
 * `__process` instead (see NODE_STAND_INS): an identifier `process` not after a `.` (a property) nor before a
 * `:` (an object key), outside the stand-ins' own code.
 */
const PROCESS_REFERENCE = /(?<![.\w$])process\b(?!\s*:)/g;
/** How many there are in fengari 0.1.5 and tmp 0.2.7: another count means new uses to look at. */
const PROCESS_REFERENCES = 33;

function rewrite(bundle: string): string {
  // esbuild names each module by its real path relative to the working directory: the same in every clone,
  // unless `node_modules` is a link elsewhere (then named after where it points). Keep only the part from
  // `node_modules/.deno/` on.
  const real = relative(ROOT, Deno.realPathSync(join(ROOT, "node_modules")));
  let text = real === "node_modules" ? bundle : bundle.replaceAll(`${real}/.deno/`, "node_modules/.deno/");
  text = text.replace(/(?<=^\/\/ |^ {2}")[^"\n]*?(?=node_modules\/\.deno\/)/gm, "");
  if (text.includes(ROOT) || text.includes("../")) {
    throw new Error("Cannot rewrite the bundle: a path outside the repository is left in it");
  }
  for (const [what, from, to] of REWRITES) {
    const count = text.split(from).length - 1;
    if (count !== 1) throw new Error(`Cannot rewrite the bundle: ${what} occurs ${count} times, not once`);
    text = text.replace(from, () => to);
  }
  // The modules, after the stand-ins (which end with their export), read `__process`.
  const at = text.indexOf(PROCESS_EXPORT) + PROCESS_EXPORT.length;
  const modules = text.slice(at);
  const references = modules.match(PROCESS_REFERENCE)?.length ?? 0;
  if (references !== PROCESS_REFERENCES) {
    throw new Error(
      `Cannot rewrite the bundle: ${references} references to process, not ${PROCESS_REFERENCES}`,
    );
  }
  text = text.slice(0, at) + modules.replace(PROCESS_REFERENCE, "__process");
  // Nothing may import node:module at load: the one use left is the stand-in's, for `package.loadlib` of a JS
  // file (loadlib.js's lsys_load), which the compatibility layer removes (and which createRequire could not
  // serve from an https: module anyway).
  if (/^import\b/m.test(text) || text.includes("__deno_internal")) {
    throw new Error("Cannot rewrite the bundle: it still imports a module when it loads");
  }
  return text;
}

async function header(paths: readonly string[]): Promise<string> {
  const notices: string[] = [];
  for (const pkg of PACKAGES) {
    const dir = join(ROOT, pkg.dir);
    const manifest = JSON.parse(await Deno.readTextFile(join(dir, "package.json")));
    const licence = (await Deno.readTextFile(join(dir, "LICENSE"))).trim();
    notices.push(`${pkg.name} ${manifest.version} (${manifest.license}), its LICENSE:\n\n${licence}`);
  }
  const body = [
    "third_party/fengari/fengari.js: fengari 0.1.5 (Lua 5.3 in JavaScript) and the CommonJS packages it requires,",
    "bundled into one ES module. GENERATED by `deno task vendor:fengari` (scripts/vendor_fengari.ts) from",
    `${ENTRY}: do not edit by hand, regenerate. Why and how: docs/dependencies.md#fengari-vendored.`,
    `${BUILT_WITH}${Deno.version.deno} (its bundler decides the bytes).`,
    "",
    "Every fengari module runs when first asked for (fengariModule(path), called by third_party/fengari/src/*.js),",
    "not when this file loads. Node's modules are stand-ins loaded on first use, through",
    "process.getBuiltinModule, never through node:module at load; Node's process is read only for what",
    "Deno's own APIs do not give (fengariProcess).",
    "",
    "Modules offered (fengari's paths):",
    ...paths.map((path) => `- ${path}`),
    "",
    "Licence notices of the bundled packages (the bundle's own licence comments follow at its end):",
    "",
    ...notices.flatMap((notice) => [notice, ""]),
  ];
  const lines = body.join("\n").trimEnd().split("\n");
  return "/*!\n" +
    lines.map((line) => (line === "" ? " *" : ` * ${line.replaceAll("*/", "* /")}`)).join("\n") +
    "\n */\n";
}

function wrapper(path: string): string {
  return [
    `// third_party/fengari/${path}: fengari 0.1.5's ${path}, evaluated when this module is. GENERATED by`,
    "// `deno task vendor:fengari` (scripts/vendor_fengari.ts): do not edit. See docs/dependencies.md#fengari-vendored.",
    `import { fengariModule } from "${"../".repeat(path.split("/").length - 1)}fengari.js";`,
    "",
    `export default fengariModule(${JSON.stringify(path)});`,
    "",
  ].join("\n");
}

/** Bundles the entry and writes `fengari.js`, `fengari.d.ts` and `src/<name>.js` under `outDir`. */
export async function vendorFengari(outDir: string): Promise<void> {
  const paths = entryPaths(await Deno.readTextFile(join(ROOT, ENTRY)));
  // Beside the output, which the caller may write (the system's temporary folder need not be /tmp).
  await Deno.mkdir(dirname(outDir), { recursive: true });
  const tmpDir = await Deno.makeTempDir({ dir: dirname(outDir), prefix: ".vendor_fengari_" });
  try {
    const bundlePath = join(tmpDir, "bundle.js");
    const { code, stderr } = await new Deno.Command(Deno.execPath(), {
      args: [
        "bundle",
        "--quiet",
        "--platform",
        "deno",
        "--format",
        "esm",
        // Not bundled: it needs the shell scripts beside its file (see NODE_STAND_INS).
        "--external",
        "readline-sync",
        "-o",
        bundlePath,
        ENTRY,
      ],
      cwd: ROOT,
      stdout: "null",
      stderr: "piped",
    }).output();
    if (code !== 0) throw new Error(`deno bundle failed:\n${new TextDecoder().decode(stderr)}`);
    const bundle = rewrite(await Deno.readTextFile(bundlePath));
    // No module of an earlier entry may stay behind (fengari.js and fengari.d.ts are written over).
    await Deno.remove(join(outDir, "src"), { recursive: true }).catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    });
    await Deno.mkdir(join(outDir, "src"), { recursive: true });
    await Deno.writeTextFile(
      join(outDir, "fengari.js"),
      (await header(paths)) + '// @ts-self-types="./fengari.d.ts"\n' + bundle,
    );
    await Deno.writeTextFile(join(outDir, "fengari.d.ts"), TYPES);
    for (const path of paths) await Deno.writeTextFile(join(outDir, path), wrapper(path));
  } finally {
    await Deno.remove(tmpDir, { recursive: true });
  }
}

if (import.meta.main) {
  const args = parseArgs(Deno.args, { string: ["out"] });
  const outDir = args.out ?? join(ROOT, DEFAULT_OUT);
  await vendorFengari(outDir);
  console.log(`wrote ${outDir}`);
}
