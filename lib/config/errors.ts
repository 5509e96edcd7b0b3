/**
 * Typed errors for a bad command line. `cli.ts` maps them to output and an exit code, so the library never
 * exits by itself and every failure is testable.
 * @module
 */

/** Options for {@linkcode UsageError}. */
export interface UsageErrorOptions {
  /** Print the usage text after the message (wrk does for almost every argument error). Default true. */
  showUsage?: boolean;
  /**
   * `-v` was given before the error: print the version line first. wrk prints it while still parsing,
   * so `wrk -v` alone shows the version, then the usage, and exits 1 (docs/wrk-compat.md#usage-and-version).
   */
  printVersion?: boolean;
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * A command-line argument that wrk would reject: print the message (when not empty), then the usage text
 * when `showUsage` is set, and exit with `exitCode`.
 *
 * @example Mapping a usage error to output in the CLI
 * ```ts
 * import { UsageError } from "./errors.ts";
 *
 * try {
 *   throw new UsageError("missing URL");
 * } catch (error) {
 *   if (error instanceof UsageError) console.error(error.message, error.exitCode, error.showUsage);
 * }
 * ```
 */
export class UsageError extends Error {
  /** Always `"UsageError"` (or a subclass's name). */
  override name = "UsageError";
  /** wrk exits 1 for every argument error, `-h` included. */
  readonly exitCode: number = 1;
  /** Print the usage text after the message. */
  readonly showUsage: boolean;
  /** Print the version line before anything else (`-v` was given). */
  readonly printVersion: boolean;

  /** Create a usage error; `showUsage` defaults to true and `printVersion` to false. */
  constructor(message: string, options: UsageErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.showUsage = options.showUsage ?? true;
    this.printVersion = options.printVersion ?? false;
  }
}

/**
 * `-h/--help`: not a failure of the parser, but wrk answers it with the usage text and exit status 1, so it
 * travels the same path as {@linkcode UsageError}. Its message is empty: there is nothing to print before
 * the usage.
 *
 * @example Telling help apart from a real mistake
 * ```ts
 * import { HelpRequested, UsageError } from "./errors.ts";
 *
 * const error: UsageError = new HelpRequested();
 * console.log(error instanceof HelpRequested, error.message === "", error.exitCode); // true true 1
 * ```
 */
export class HelpRequested extends UsageError {
  /** Always `"HelpRequested"`. */
  override name = "HelpRequested";

  /** Create a help request; `printVersion` is set when `-v` came with `-h`. */
  constructor(options: { printVersion?: boolean } = {}) {
    super("", { showUsage: true, printVersion: options.printVersion ?? false });
  }
}
