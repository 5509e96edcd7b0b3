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
