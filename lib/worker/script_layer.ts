/**
 * How a thread loads the Lua layer (lib/script/thread_script.ts, and with it fengari), which it does only for a
 * script. Without `--unstable-lazy-dynamic-imports`, `deno run` follows every dynamic import of a string
 * literal in a module graph before it runs it, a worker's too: a literal import of the Lua layer in the thread's
 * module made each worker of a run without a script resolve the npm package and set up its `node_modules`,
 * with dozens of blocking-pool threads (docs/benchmarks.md#memory-per-thread). So the thread's module
 * (lib/worker/worker_main.ts) imports it by a URL computed when it runs, which Deno loads only then; and
 * lib/run.ts, which every program that starts threads imports (and whose graph reaches the npm package
 * anyway, for the main Lua state), hands this module a literal import, for bundles: in a bundled program the
 * thread's module is the bundle itself, and only a literal import puts the Lua layer in it. `deno compile`
 * embeds the file through `INCLUDES` (scripts/compile.ts).
 *
 * @module
 */

/** The Lua layer's module. */
export type ThreadScriptModule = typeof import("../script/thread_script.ts");

let load: () => Promise<ThreadScriptModule> = () =>
  import(new URL("../script/thread_script.ts", import.meta.url).href);

/** The Lua layer, loaded on first call (each later call resolves to the same module). */
export function loadScriptLayer(): Promise<ThreadScriptModule> {
  return load();
}

/** Makes `loadScriptLayer` use `loader`: lib/run.ts's literal import, which a bundler can follow. */
export function provideScriptLayer(loader: () => Promise<ThreadScriptModule>): void {
  load = loader;
}
