/**
 * The path functions the compatibility layer needs (a script's file names made absolute and checked against
 * `--write`: `_files.ts`), for this platform, chosen once from `Deno.build`. Not `@std/path`'s
 * platform-neutral ones: their module learns the platform from Node's `process` when it loads, and their
 * `resolve` reads the working directory through it, which makes Deno set Node's `process` up in a thread's
 * isolate (~13 ms and ~6 MiB: docs/dependencies.md#fengari-vendored). Here the working directory is
 * `Deno.cwd()`'s.
 *
 * @module
 */

import { isAbsolute as posixIsAbsolute } from "jsr:@std/path@1.1.6/posix/is-absolute";
import { relative as posixRelative } from "jsr:@std/path@1.1.6/posix/relative";
import { resolve as posixResolve } from "jsr:@std/path@1.1.6/posix/resolve";
import { isAbsolute as windowsIsAbsolute } from "jsr:@std/path@1.1.6/windows/is-absolute";
import { relative as windowsRelative } from "jsr:@std/path@1.1.6/windows/relative";
import { resolve as windowsResolve } from "jsr:@std/path@1.1.6/windows/resolve";

const WINDOWS = Deno.build.os === "windows";

/** Whether `path` is absolute on this platform. */
export const isAbsolute: (path: string) => boolean = WINDOWS ? windowsIsAbsolute : posixIsAbsolute;

/** The path from `from` to `to`, both absolute, on this platform. */
export const relative: (from: string, to: string) => string = WINDOWS ? windowsRelative : posixRelative;

const resolve = WINDOWS ? windowsResolve : posixResolve;

/**
 * `path` made absolute against the working directory, and normalised.
 *
 * @example
 * ```ts
 * import { absolutePath } from "./_paths.ts";
 *
 * console.log(absolutePath("logs/../out.txt") === `${Deno.cwd()}/out.txt`); // true (on Linux and macOS)
 * ```
 */
export function absolutePath(path: string): string {
  return resolve(Deno.cwd(), path);
}
