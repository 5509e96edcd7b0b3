/**
 * Result paths that name this process's own standard streams (`--json /dev/stdout`, `--summary /dev/stderr`):
 * Deno lets only `--allow-all` open them by name, and writing a result "whole" (a temporary file renamed over
 * the path) would replace the device, so they are taken as the streams themselves.
 *
 * @module
 */

const STREAMS: Record<string, "stdout" | "stderr"> = {
  "/dev/stdout": "stdout",
  "/dev/fd/1": "stdout",
  "/proc/self/fd/1": "stdout",
  "/dev/stderr": "stderr",
  "/dev/fd/2": "stderr",
  "/proc/self/fd/2": "stderr",
};

/**
 * The standard stream `path` names, or null for any other path.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { standardStream } from "./standard_streams.ts";
 *
 * assertEquals(standardStream("/dev/stdout"), "stdout");
 * assertEquals(standardStream("/dev/fd/2"), "stderr");
 * assertEquals(standardStream("result.json"), null);
 * ```
 */
export function standardStream(path: string | null): "stdout" | "stderr" | null {
  return path === null ? null : STREAMS[path] ?? null;
}

/**
 * `--summary`'s path as the outputs take it: `-` is standard output (as `--json -` is), not a file named `-`.
 *
 * @example
 * ```ts
 * import { summaryPathOf } from "./standard_streams.ts";
 *
 * console.log(summaryPathOf("-"), summaryPathOf("s.md")); // /dev/stdout s.md
 * ```
 */
export function summaryPathOf(path: string | null): string | null {
  return path === "-" ? "/dev/stdout" : path;
}

/**
 * Why `--summary` cannot go where it is told beside `--json` (`-`: standard output, which then carries the JSON
 * document alone, for a reader that parses it), or null. `summary` names the option as typed.
 *
 * @example
 * ```ts
 * import { summaryBesideJson } from "./standard_streams.ts";
 *
 * console.log(summaryBesideJson("-", "/dev/stdout", "--summary") !== null); // true
 * console.log(summaryBesideJson("-", "/dev/stderr", "--summary")); // null
 * ```
 */
export function summaryBesideJson(jsonPath: string | null, summaryPath: string | null, summary: string) {
  return jsonPath === "-" && standardStream(summaryPath) === "stdout"
    ? `option '${summary}' cannot be standard output with --json -: stdout carries the JSON document alone ` +
      "(give the summary a file, or /dev/stderr)"
    : null;
}
