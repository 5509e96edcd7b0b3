/**
 * `wrk-deno merge -s script.lua`: a wrk reporting script's `done(summary, latency, requests)` run on the
 * merged figures of a test's shards, so that a script written for one machine reports the whole test. The
 * script runs in a main Lua state as after a run (lib/script/main_script.ts; lib/run.ts `Run.done()`), with
 * `wrk.scheme`, `wrk.host`, `wrk.port`, `wrk.path` and `wrk.headers` from the test's URL and headers and no
 * `wrk.shard`. Its top level runs when it is loaded, before the report, so a script that does not load stops
 * the merge with one line; `setup`, `init` and the request hooks are never called.
 *
 * Failures are {@linkcode RunError}s, as for a run: exit 1, or the code the script gave `os.exit(n)`.
 *
 * @module
 */

import type { Target } from "../config/config.ts";
import type { RunResult } from "../run_result.ts";
import { asRunError, RunError } from "../run_error.ts";
import { loadModule } from "../lazy_modules.ts";

/** What the merge's script needs besides its path. */
export interface DoneScriptOptions {
  /** The test's URL, parsed: `parseArgs([url]).target`, or a merge's `mergedConfig(…).target`. */
  target: Target;
  /** The test's `-H` headers. */
  headers: [string, string][];
  /** Where `print` and `io.write` go (stdout, or stderr when the JSON result takes stdout). */
  write: (bytes: Uint8Array) => void;
}

/** A loaded script: call `done()` with the merged figures, then `close()`. */
export interface DoneScript {
  /** Does the script define `done`? */
  readonly hasDone: boolean;
  /**
   * Calls `done(summary, latency, requests)` with `result` (nothing without `done`).
   *
   * @throws {RunError} with the script's one-line error, or its `os.exit(n)` code.
   */
  done(result: RunResult): Promise<void>;
  /** Releases the Lua state. */
  close(): void;
}

/**
 * Reads `path` and runs its top level in a main Lua state.
 *
 * @throws {RunError} `cannot read script <path>: <reason>`, or the script's load or top-level error.
 *
 * @example Printing the merged request count
 * ```ts ignore
 * const script = await loadDoneScript("report.lua", { target: parseArgs([url]).target, headers: [], write });
 * try {
 *   await script.done(merged.result);
 * } finally {
 *   script.close();
 * }
 * ```
 */
export async function loadDoneScript(path: string, options: DoneScriptOptions): Promise<DoneScript> {
  let source: Uint8Array;
  try {
    source = await Deno.readFile(path);
  } catch (error) {
    const reason = error instanceof Deno.errors.NotFound
      ? "No such file or directory"
      : (error instanceof Error ? error.message : String(error)).replace(/\s*\(os error \d+\).*$/s, "");
    throw new RunError(`cannot read script ${path}: ${reason}`);
  }
  // The Lua layer (fengari) loads only for a script, as for a run.
  const { loadMainScript } = await loadModule<typeof import("../script/main_script.ts")>(
    "script/main_script.ts",
  );
  const script = await loadMainScript({
    path,
    source,
    target: options.target,
    headers: options.headers,
    shard: null,
    write: options.write,
  }).catch(asRunError);
  return {
    get hasDone() {
      return script.hasDone;
    },
    async done(result: RunResult) {
      if (script.hasDone) await script.done(result).catch(asRunError);
    },
    close: () => script.close(),
  };
}
