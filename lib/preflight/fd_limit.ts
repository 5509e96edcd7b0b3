/**
 * The open-file limit, checked before a run: every connection is a socket, and a run that hits the limit would
 * otherwise fill its report with connect errors (EMFILE) that say nothing about the server under test.
 *
 * Deno raises its soft limit to the hard one at start-up, so the limit that matters is what `ulimit -n` set.
 * Deno lets only `--allow-all` read `/proc/self/limits`; under the command line's narrower permissions the
 * check opens `/dev/null` until it has as many files as the run needs (and closes them again) instead.
 *
 * @module
 */

/**
 * Files the runtime holds open besides the connections: stdio, the event loop, the module cache, and about
 * eight per worker thread (its own event loop and wake-up pipes): what `ls /proc/<pid>/fd` counts during a
 * run on Linux (docs/benchmarks.md#measurements-behind-the-code), with room to spare.
 */
const BASE_FILES = 32;
/** Linux's default fs.nr_open: the most files a process may have open, whatever its ulimit. */
const LINUX_MAX_OPEN_FILES = 2 ** 20;
const FILES_PER_THREAD = 8;

/** About how many open files a run with `connections` connections over `threads` threads needs. */
export function openFilesNeeded(connections: number, threads: number): number {
  return connections + BASE_FILES + FILES_PER_THREAD * threads;
}

/**
 * The soft "Max open files" limit of this process from `/proc/self/limits` (Linux); null elsewhere, when
 * unlimited, or when Deno does not let the file be read (it takes `--allow-all`).
 *
 * @example Reading the limit
 * ```ts
 * import { softOpenFileLimit } from "./fd_limit.ts";
 *
 * const limit = softOpenFileLimit();
 * console.log(limit === null ? "limit unknown" : `up to ${limit} open files`);
 * ```
 */
export function softOpenFileLimit(): number | null {
  if (Deno.build.os !== "linux" || !mayRead("/proc/self/limits")) return null;
  let text: string;
  try {
    text = Deno.readTextFileSync("/proc/self/limits");
  } catch {
    return null;
  }
  return parseSoftOpenFileLimit(text);
}

/**
 * The soft limit from the text of a `/proc/<pid>/limits` file, or null when it is unlimited or missing.
 *
 * @example The usual line
 * ```ts
 * import { parseSoftOpenFileLimit } from "./fd_limit.ts";
 *
 * const text = "Limit                     Soft Limit           Hard Limit           Units     \n" +
 *   "Max open files            1024                 524288               files     \n";
 * console.log(parseSoftOpenFileLimit(text)); // 1024
 * ```
 */
export function parseSoftOpenFileLimit(text: string): number | null {
  const match = text.match(/^Max open files\s+(\S+)/m);
  if (match === null || match[1] === "unlimited") return null;
  const limit = Number(match[1]);
  return Number.isSafeInteger(limit) && limit > 0 ? limit : null;
}

/**
 * How many more files this process can open, counting up to `wanted` at most: opens `/dev/null` until it has
 * `wanted` files or the system says "too many open files", then closes them all. Null when `/dev/null` cannot
 * be opened for another reason (no read permission for it, not a Unix system): then nothing is known.
 *
 * @example Room for a hundred more files
 * ```ts ignore
 * import { openableFiles } from "./fd_limit.ts";
 *
 * console.log(openableFiles(100)); // 100, unless the limit is nearly reached
 * ```
 */
export function openableFiles(wanted: number): number | null {
  if (Deno.build.os === "windows" || !mayRead("/dev/null")) return null;
  const files: Deno.FsFile[] = [];
  try {
    while (files.length < wanted) files.push(Deno.openSync("/dev/null"));
    return files.length;
  } catch (error) {
    return (error as { code?: string }).code === "EMFILE" ? files.length : null;
  } finally {
    for (const file of files) file.close();
  }
}

/** Read permission for `path` is granted already: asking would make Deno prompt a library user at a terminal. */
function mayRead(path: string): boolean {
  return Deno.permissions.querySync({ name: "read", path }).state === "granted";
}

/**
 * Throws a `RangeError` that says how to raise the limit when `connections` connections over `threads` threads
 * cannot all be opened: against `limit` when given, else against this process's limit (on Linux, or by
 * trying: see {@linkcode openableFiles}). Does nothing when neither is known.
 *
 * @example A run too large for `ulimit -n 256`
 * ```ts
 * import { checkOpenFileLimit } from "./fd_limit.ts";
 * import { assertEquals, assertThrows } from "@std/assert";
 *
 * const error = assertThrows(() => checkOpenFileLimit(1000, 2, 256), RangeError);
 * assertEquals(
 *   error.message,
 *   "-c 1000 needs about 1048 open files but the limit is 256; raise it with 'ulimit -n 2048', or lower -c " +
 *     "to 208",
 * );
 * checkOpenFileLimit(100, 2, 256); // fits: no error
 * ```
 */
export function checkOpenFileLimit(
  connections: number,
  threads: number,
  limit: number | null = softOpenFileLimit(),
): void {
  const needed = openFilesNeeded(connections, threads);
  // Past what Linux lets any process open (fs.nr_open, 2^20 unless an administrator raised it), no ulimit helps.
  // The -c that fits, when it is one the command line takes (at least one connection per thread).
  const lower = (fit: number) =>
    fit >= Math.max(1, threads) ? `lower -c to ${fit}` : "use fewer threads and connections";
  const advice = (raise: string, fit: number) =>
    needed > LINUX_MAX_OPEN_FILES
      ? `that is more than a process may open here (fs.nr_open): ${lower(fit)}`
      : `${raise} 'ulimit -n ${2 ** Math.ceil(Math.log2(needed))}', or ${lower(fit)}`;
  if (limit !== null) {
    if (needed <= limit) return;
    throw new RangeError(
      `-c ${connections} needs about ${needed} open files but the limit is ${limit}; ` +
        advice("raise it with", connections - (needed - limit)),
    );
  }
  // The files already open are part of BASE_FILES; what must still fit is the rest.
  const wanted = needed - BASE_FILES + FILES_PER_THREAD;
  const room = openableFiles(wanted);
  if (room === null || room >= wanted) return;
  throw new RangeError(
    `-c ${connections} needs about ${needed} open files but only ${room} more can be opened ` +
      `(ulimit -n is too low); ${advice("raise the limit with", connections - (wanted - room))}`,
  );
}
