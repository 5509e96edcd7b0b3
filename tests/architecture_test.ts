/**
 * The house rules that keep `lib/` easy to extend, read off the real module graph (`deno info --json`): no
 * import circle, data flowing one way between the stages, and the pure stages free of I/O.
 */
import { assert, assertEquals } from "@std/assert";
import { ROOT, runDeno } from "./helpers/deno.ts";
import { codeWithoutBlockComments, programFiles } from "./helpers/program_files.ts";
import { LAZY_MODULE_PATHS } from "../lib/lazy_modules.ts";

interface ModuleInfo {
  specifier: string;
  dependencies?: { code?: { specifier?: string }; type?: { specifier?: string }; isDynamic?: boolean }[];
}

const infos = new Map<string, Promise<Map<string, ModuleInfo>>>();

/** `deno info --json <root>`'s modules by specifier (`root` relative to the repository), run once per root. */
function moduleInfo(root: string): Promise<Map<string, ModuleInfo>> {
  let info = infos.get(root);
  if (info === undefined) {
    info = runDeno(["info", "--json", root]).then((outcome) => {
      assertEquals(outcome.code, 0, outcome.stderr);
      const { modules } = JSON.parse(outcome.stdout) as { modules: ModuleInfo[] };
      return new Map(modules.map((m) => [m.specifier, m]));
    });
    infos.set(root, info);
  }
  return info;
}

/**
 * The specifiers of the modules reachable from `root` by its code's imports: static ones, and literal dynamic
 * ones too when `dynamic` (what `deno run <root>` prepares before it starts).
 */
async function reachable(root: string, dynamic: boolean): Promise<string[]> {
  const modules = await moduleInfo(root);
  const seen = new Set<string>();
  const pending = [new URL(`file://${ROOT}${root}`).href];
  while (pending.length > 0) {
    const specifier = pending.pop()!;
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    for (const dependency of modules.get(specifier)?.dependencies ?? []) {
      const next = dependency.code?.specifier;
      if (next !== undefined && (dynamic || dependency.isDynamic !== true)) pending.push(next);
    }
  }
  return [...seen];
}

/** lib/ modules (repository-relative paths) → the lib/ modules each imports, statically or dynamically. */
async function libGraph(): Promise<Map<string, string[]>> {
  const root = new URL(`file://${ROOT}`).href;
  const relative = (specifier: string) => specifier.startsWith(root) ? specifier.slice(root.length) : null;
  const graph = new Map<string, string[]>();
  for (const module of (await moduleInfo("cli.ts")).values()) {
    const path = relative(module.specifier);
    if (path === null || !path.startsWith("lib/")) continue;
    const imports = (module.dependencies ?? [])
      .flatMap((d) => [d.code?.specifier, d.type?.specifier])
      .map((s) => s === undefined ? null : relative(s))
      .filter((s): s is string => s !== null && s.startsWith("lib/"));
    graph.set(path, [...new Set(imports)]);
  }
  return graph;
}

function cycles(graph: Map<string, string[]>): string[] {
  const found: string[] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === "open") found.push([...stack.slice(stack.indexOf(next)), next].join(" → "));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return found;
}

Deno.test("lib/ has no import circle", async () => {
  assertEquals(cycles(await libGraph()), []);
});

Deno.test("lib/net never imports the script layer, and stats/ and report/ import neither net/ nor script/", async () => {
  const graph = await libGraph();
  const offending: string[] = [];
  for (const [module, imports] of graph) {
    for (const imported of imports) {
      const stage = (path: string) => path.split("/")[1];
      const from = stage(module);
      const to = stage(imported);
      if (from === "net" && to === "script") offending.push(`${module} → ${imported}`);
      if ((from === "stats" || from === "report") && (to === "net" || to === "script" || to === "worker")) {
        offending.push(`${module} → ${imported}`);
      }
    }
  }
  assertEquals(offending, []);
});

Deno.test("lib/stats and lib/report are pure: no Deno API, no timers", async () => {
  const impure: string[] = [];
  for (const folder of ["lib/stats", "lib/report"]) {
    for await (const entry of Deno.readDir(`${ROOT}${folder}`)) {
      if (!entry.name.endsWith(".ts")) continue;
      const text = await Deno.readTextFile(`${ROOT}${folder}/${entry.name}`);
      // Doc examples may use anything; only code outside comments counts.
      const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
      if (/\bDeno\.|setTimeout|setInterval|performance\.now/.test(code)) {
        impure.push(`${folder}/${entry.name}`);
      }
    }
  }
  assertEquals(impure, []);
});

for (
  const [root, why] of [
    [
      "cli.ts",
      // Each node: module a thread loads costs it ~1.5–2 MiB (docs/benchmarks.md#memory-per-thread): those the
      // command line needs (node:util, node:dns) are imported dynamically, where they are used.
      "the module every thread loads (cli.ts, by static imports)",
    ],
    [
      "lib/script/thread_script.ts",
      // The Lua layer reads Node's process only where a script asks for what Deno's APIs do not give
      // (docs/dependencies.md#fengari-vendored): its set-up costs a fresh worker ~13 ms and ~6 MiB.
      "the Lua layer a scripted thread loads (lib/script/thread_script.ts, by static imports)",
    ],
  ] as const
) {
  Deno.test(`${why} imports no node: module`, async () => {
    await assertNoStaticNodeImport(root);
  });
}

async function assertNoStaticNodeImport(rootPath: string): Promise<void> {
  const seen = await reachable(rootPath, false);
  assertEquals(seen.filter((specifier) => specifier.startsWith("node:")), []);
}

Deno.test("a thread's module (lib/worker/worker_main.ts) reaches no npm package, even by its dynamic imports", async () => {
  // Without --unstable-lazy-dynamic-imports, Deno follows a worker's literal dynamic imports when the worker
  // starts: one that reached fengari made every worker of a run without a script set up the npm package
  // (lib/lazy_modules.ts, docs/benchmarks.md#memory-per-thread). Type-only imports are not followed.
  const seen = await reachable("lib/worker/worker_main.ts", true);
  assertEquals(seen.filter((specifier) => specifier.startsWith("npm:")), []);
  // The Lua layer itself is still what a thread loads for a script (by a computed URL).
  assertEquals(seen.some((specifier) => specifier.endsWith("/lib/script/thread_script.ts")), false);
});

Deno.test("the command line (cli.ts) prepares no npm package and no module it loads on demand", async () => {
  // The same for the main thread: fengari (the main Lua state, a merge's done()) and hdr-histogram-js (the
  // merge, --json, --hdr-log) cost every run ~30 ms and ~5 MiB when prepared at start (lib/lazy_modules.ts).
  const seen = await reachable("cli.ts", true);
  assertEquals(seen.filter((specifier) => specifier.startsWith("npm:")), []);
  for (
    const lazy of ["lib/script/main_script.ts", "lib/merge/merge_shards.ts", "lib/config/command_tree.ts"]
  ) {
    assertEquals(seen.some((specifier) => specifier.endsWith(`/${lazy}`)), false, lazy);
  }
});

Deno.test("each module loaded on demand is named by the file its type comes from, and bundles import the same", async () => {
  const root = new URL(`file://${ROOT}`);
  const lib = new URL("lib/", root);
  const mismatches: string[] = [];
  const literal: string[] = [];
  let calls = 0;
  for (const path of LAZY_MODULE_PATHS) {
    if (!(await Deno.stat(new URL(path, lib)).then((s) => s.isFile, () => false))) {
      mismatches.push(`no lib/${path}`);
    }
  }
  for (const file of await programFiles()) {
    const code = await codeWithoutBlockComments(file);
    const named = [...code.matchAll(/loadModule\s*(?:<\s*typeof import\("([^"]+)"\)\s*>)?\(\s*"([^"]+)"/g)];
    // Every call, however the formatter wraps it, is one of those.
    const all = [...code.matchAll(/(?<!function )loadModule\s*[<(]/g)].length;
    if (all !== named.length) {
      mismatches.push(`${file}: ${all - named.length} loadModule call(s) not in the form`);
    }
    for (const match of named) {
      calls++;
      const typed = match[1] === undefined ? "(no type)" : new URL(match[1], new URL(file, root)).href;
      if (typed !== new URL(match[2], lib).href) mismatches.push(`${file}: ${match[0]}`);
    }
    // Our modules by a literal dynamic import: only where a bundle needs them (lib/lazy_modules.ts), each by
    // its own path, every path once.
    if (file === "lib/bundled_modules.ts") {
      const keyed = [...code.matchAll(/"([^"]+)": \(\) => import\("\.\/([^"]+)"\)/g)];
      assertEquals(
        keyed.map((match) => match[1]),
        [...LAZY_MODULE_PATHS],
        "lib/bundled_modules.ts's loaders",
      );
      for (const match of keyed) if (match[1] !== match[2]) mismatches.push(`${file}: ${match[0]}`);
    } else {
      for (const match of code.matchAll(/(?<!typeof )import\("(\.{1,2}\/[^"]+)"\)/g)) {
        literal.push(`${file}: ${match[0]}`);
      }
    }
  }
  assertEquals(mismatches, []);
  assertEquals(literal, []);
  assert(calls >= LAZY_MODULE_PATHS.length, `${calls} loadModule calls found`);
});
