/**
 * The one error type the script layer throws: a Lua load or runtime error, or a hook that returned the wrong
 * kind of value. The message is a single `<file>:<line>: <message>` line as Lua reports it
 * (docs/wrk-compat.md#script-errors), ready for `cli.ts` to print on stderr.
 *
 * @module
 */

/** Options for {@linkcode ScriptError}. */
export interface ScriptErrorOptions {
  /** The hook that failed (`init`, `request`, …), absent for the top level. */
  hook?: string;
  /**
   * Set when the script called `os.exit(code)`: the run should end with this exit code. `os.exit` never ends
   * the process from inside the script layer.
   */
  exitCode?: number;
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * A script failed to load, raised an error in a hook, or returned a bad value from one.
 *
 * @example Reporting a script error
 * ```ts
 * import { ScriptError } from "./script_error.ts";
 * import { assertEquals } from "@std/assert";
 * const error = new ScriptError("script.lua:12: in response(): attempt to index a nil value", {
 *   hook: "response",
 * });
 * assertEquals(error.message, "script.lua:12: in response(): attempt to index a nil value");
 * assertEquals(error.hook, "response");
 * ```
 */
export class ScriptError extends Error {
  /** The hook that failed, or null for the script's top level and load errors. */
  readonly hook: string | null;
  /** The code passed to `os.exit()`, or null when the script did not call it. */
  readonly exitCode: number | null;

  /** Creates an error whose message is already one formatted line. */
  constructor(message: string, options: ScriptErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ScriptError";
    this.hook = options.hook ?? null;
    this.exitCode = options.exitCode ?? null;
    // The JS stack points into fengari and says nothing about the script: keep only the Lua message.
    this.stack = `${this.name}: ${message}`;
  }
}

/** A Lua message that already starts with a position (`file:12: …`): the position and the rest. */
const POSITION = /^(.*?:\d+): ([\s\S]*)$/;

/**
 * Formats a Lua error message for `path`, naming `hook` when there is one: `script.lua:12: in response(): …`.
 * Messages without a position (from `error(x, 0)` or JS code) get the file name instead.
 *
 * @example Naming the hook
 * ```ts
 * import { formatLuaError } from "./script_error.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(formatLuaError("s.lua", "s.lua:3: boom", "init"), "s.lua:3: in init(): boom");
 * ```
 */
export function formatLuaError(path: string, message: string, hook: string | null): string {
  const match = POSITION.exec(message);
  const where = match ? match[1] : path;
  const text = match ? match[2] : message;
  return hook === null ? `${where}: ${text}` : `${where}: in ${hook}(): ${text}`;
}
