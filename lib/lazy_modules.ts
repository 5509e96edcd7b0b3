/**
 * The modules of ours that a run loads only when it needs them, and how: by a URL computed when one is first
 * needed. Without `--unstable-lazy-dynamic-imports`, `deno run` follows every dynamic import of a string
 * literal before the program starts, in the main thread and in each worker: it reads and prepares those
 * modules and sets up the npm packages they reach (fengari for the Lua layer, hdr-histogram-js for the merge
 * and the result files), whether the run uses them or not. That cost every run ~30 ms of CPU and ~4 MiB of
 * memory (docs/benchmarks.md#fixed-costs-modules-on-demand-fengari-vendored-repeated-heads-for-hooks-2026-12-06-late); a computed URL is seen only when it is loaded. So `cli.ts` and
 * `lib/` load these modules through {@linkcode loadModule} and import no module of ours by a literal
 * dynamic import (tests/architecture_test.ts). A caller names the module by its path under `lib/` and gives
 * its type as `typeof import()` of the same file (a test checks that the two agree): the type is the
 * caller's own edge to the module, as a literal import was, and this file imports none of them.
 *
 * A program bundled into one file has no module files beside it: its entry imports
 * `lib/bundled_modules.ts` first, which hands {@linkcode provideModuleLoaders} literal imports that the
 * bundler follows (`bundle.ts`, the entry of `deno task bundle`; its table's type asks for every path named
 * here and no other). `deno compile` embeds the files named here (scripts/compile.ts's `INCLUDES`).
 *
 * @module
 */

/** The modules loaded on demand, by their paths under `lib/`. */
export const LAZY_MODULE_PATHS = [
  "merge/read_shards.ts",
  "merge/merge_shards.ts",
  "merge/done_script.ts",
  "config/command_tree.ts",
  "config/parse_args.ts",
  "output/hdr_log_writer.ts",
  "output/output_files.ts",
  "report/json_result.ts",
  "net/_insecure_tls.ts",
  "net/_presented_certs.ts",
  "net/http2/connection.ts",
  "worker/worker_main.ts",
  "script/thread_script.ts",
  "script/main_script.ts",
] as const;

/** One of {@linkcode LAZY_MODULE_PATHS}. */
export type LazyModulePath = typeof LAZY_MODULE_PATHS[number];

/** How each of them is loaded. */
export type ModuleLoaders = { readonly [P in LazyModulePath]: () => Promise<unknown> };

/** A bundle's literal imports ({@linkcode provideModuleLoaders}); null: from the files beside this one. */
let loaders: ModuleLoaders | null = null;

/**
 * Loads the module at `path` under `lib/` (each later call resolves to the same module). `Module` is its type:
 * the caller writes it as the type of the same file's module, `typeof` an import expression of that file's
 * path, which `tests/architecture_test.ts` checks against `path`.
 *
 * @example Load the command line's parser (in cli.ts)
 * ```ts ignore
 * const { parseArgs } = await loadModule<ParseArgsModule>("config/parse_args.ts");
 * ```
 */
export function loadModule<Module>(path: LazyModulePath): Promise<Module> {
  const loaded = loaders === null ? import(new URL(`./${path}`, import.meta.url).href) : loaders[path]();
  return (loaded as Promise<Module>).catch((error) => {
    throw new ModuleLoadError(path, error);
  });
}

/**
 * A module of ours (or an npm package it imports) could not be loaded: not readable (Deno's `--allow-read`),
 * or a package not installed where the npm registry cannot be reached. Its message is one line.
 *
 * @example What the command line prints of it
 * ```ts
 * import { ModuleLoadError } from "./lazy_modules.ts";
 *
 * const error = new ModuleLoadError("report/json_result.ts", new Error("Failed caching npm package\n  at …"));
 * console.log(error.message); // cannot load lib/report/json_result.ts: Failed caching npm package
 * ```
 */
export class ModuleLoadError extends Error {
  constructor(path: LazyModulePath, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`cannot load lib/${path}: ${reason.split("\n")[0]}`, { cause });
    this.name = "ModuleLoadError";
  }
}

/**
 * Makes {@linkcode loadModule} use `literal`: a bundled program's literal imports (`lib/bundled_modules.ts`).
 *
 * @example Hand a bundler the modules (lib/bundled_modules.ts does it with a literal import for every path)
 * ```ts ignore
 * provideModuleLoaders(literalLoaders);
 * ```
 */
export function provideModuleLoaders(literal: ModuleLoaders): void {
  loaders = literal;
}
