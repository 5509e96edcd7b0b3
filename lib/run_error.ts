/**
 * The error a run fails with.
 *
 * @module
 */

/**
 * A failure that prevents or aborts a run (unreachable target, script error, dead thread): exit code 1.
 * Errors during the run (a refused connection, a timeout) are counted in the result instead.
 *
 * @example An unreachable target
 * ```ts
 * import { assertRejects } from "@std/assert";
 * import { parseArgs } from "./config/parse_args.ts";
 * import { run } from "./run.ts";
 * import { RunError } from "./run_error.ts";
 *
 * // Port 1 on the loopback interface: nothing listens there.
 * await assertRejects(() => run(parseArgs(["-d1s", "http://127.0.0.1:1/"])), RunError);
 * ```
 */
export class RunError extends Error {
  /** The process exit code `cli.ts` uses for this error: 1, or the code a script gave `os.exit()`. */
  readonly exitCode: number;
  /** A run error with a one-line message for the user. */
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = "RunError";
    this.exitCode = exitCode;
  }
}

/**
 * Throws `error` as a {@linkcode RunError}: itself if it is one, else its message, keeping the code a script
 * gave `os.exit(n)` (a script error's `exitCode`), 1 otherwise. For `.catch(asRunError)` on script calls.
 *
 * @example
 * ```ts
 * import { assertThrows } from "@std/assert";
 * import { asRunError, RunError } from "./run_error.ts";
 *
 * const error = assertThrows(() => asRunError(Object.assign(new Error("exit"), { exitCode: 3 })), RunError);
 * console.log(error.exitCode); // 3
 * ```
 */
export function asRunError(error: unknown): never {
  if (error instanceof RunError) throw error;
  const code = (error as { exitCode?: unknown } | null)?.exitCode;
  throw new RunError(
    error instanceof Error ? error.message : String(error),
    typeof code === "number" ? code : 1,
  );
}
