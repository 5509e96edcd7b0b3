/**
 * The files a run writes its results to (`--json FILE`, `--summary FILE`): checked before the run starts, so
 * that a path that cannot be written is a usage error up front and never a lost result after a long run, and
 * written so that a reader never meets half a file (the JSON goes to a temporary file beside it, then is
 * renamed over the path; a device, pipe or link is written in place instead, never replaced).
 *
 * @module
 */

// The two functions' own entry points, not the package's mod.ts (~70 modules to load and evaluate:
// docs/benchmarks.md#start-up-cost).
import { basename } from "jsr:@std/path@1.1.6/basename";
import { dirname } from "jsr:@std/path@1.1.6/dirname";
import { join } from "jsr:@std/path@1.1.6/join";
import { resolve } from "jsr:@std/path@1.1.6/resolve";
import { UsageError } from "../config/errors.ts";

/** How long `openOutput` waits for a FIFO's reader before it gives up. */
const FIFO_READER_WAIT_MS = 3000;

/**
 * Opens `path` for writing (created if missing, not emptied), without holding this thread: the open runs off it, so that a
 * FIFO nobody reads (whose open waits for a reader) is refused after a few seconds, with a line that says so,
 * rather than hang the process past its signals. `flag` names the option in the refusal.
 *
 * @example
 * ```ts
 * import { openOutput } from "./output_files.ts";
 *
 * const path = await Deno.makeTempFile();
 * const file = await openOutput(path, "--hdr-log");
 * file.close();
 * await Deno.remove(path);
 * ```
 */
export async function openOutput(path: string, flag: string): Promise<Deno.FsFile> {
  // Not emptied here: a run refused before its start leaves the previous file as it was (the writer empties it).
  const opening = Deno.open(path, { write: true, create: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const waited = new Promise<null>((resolve) => timer = setTimeout(() => resolve(null), FIFO_READER_WAIT_MS));
  try {
    const file = await Promise.race([opening, waited]);
    if (file !== null) return file;
  } catch (error) {
    throw new UsageError(`${flag} ${path}: ${describe(error)}`, { showUsage: false });
  } finally {
    clearTimeout(timer);
  }
  // Given up: should a reader come later, the file it opens for it is closed at once.
  opening.then((file) => file.close(), () => {});
  throw new UsageError(
    `${flag} ${path}: nothing reads this FIFO (its open waited ${FIFO_READER_WAIT_MS / 1000}s): start its ` +
      "reader first",
    { showUsage: false },
  );
}

/**
 * Refuses two outputs on one file (`--json r.out --summary r.out`): one would overwrite or break the other,
 * and the run would say nothing of it. `outputs` are the flags with their paths (null: not asked for).
 *
 * @example
 * ```ts
 * import { assertThrows } from "@std/assert";
 * import { checkDistinctPaths } from "./output_files.ts";
 *
 * assertThrows(() => checkDistinctPaths([["--json", "r.out"], ["--summary", "./r.out"]]), Error, "same file");
 * ```
 */
export function checkDistinctPaths(outputs: readonly [flag: string, path: string | null][]): void {
  const seen = new Map<string, string>();
  for (const [flag, path] of outputs) {
    const identity = path === null ? null : fileIdentity(path);
    if (path === null || identity === null) continue;
    const other = seen.get(identity);
    if (other !== undefined) {
      throw new UsageError(`${other} and ${flag} name the same file ${path}: give each its own`, {
        showUsage: false,
      });
    }
    seen.set(identity, flag);
  }
}

/**
 * What makes two paths one file: a regular file's device and inode (through a link, or a hard link, too), a
 * path not there yet by its folder's real path; null for a device, pipe or folder (written in place, never
 * compared: `/dev/stdout` twice is fine).
 */
function fileIdentity(path: string): string | null {
  try {
    const info = Deno.statSync(path);
    if (!info.isFile) return null;
    if (info.dev !== null && info.ino !== null) return `inode ${info.dev}:${info.ino}`;
    return `path ${Deno.realPathSync(path)}`;
  } catch {
    const absolute = resolve(path);
    try {
      return `path ${join(Deno.realPathSync(dirname(absolute)), basename(absolute))}`;
    } catch {
      return `path ${absolute}`;
    }
  }
}

/**
 * Throws a {@linkcode UsageError} (exit 1, without the usage text) naming `flag`, the path and what to fix
 * unless the result can be written there: write permission granted, the folder exists and takes new files (a
 * temporary file is created and removed), and the path is not a folder. `append` (for `--summary`) also opens
 * the file for appending; one that did not exist is created and removed again, so that a run ended before it
 * writes (a signal's default action) leaves no empty file behind.
 *
 * @example A path in a folder that does not exist is refused
 * ```ts
 * import { assertRejects } from "@std/assert";
 * import { checkOutputPath } from "./output_files.ts";
 *
 * await assertRejects(
 *   () => checkOutputPath("/tmp/no-such-folder/out.json", "--json", { append: false }),
 *   Error,
 *   "--json /tmp/no-such-folder/out.json: the folder /tmp/no-such-folder does not exist",
 * );
 * ```
 */
export async function checkOutputPath(
  path: string,
  flag: string,
  options: { append: boolean },
): Promise<void> {
  const fail = (problem: string) => new UsageError(`${flag} ${path}: ${problem}`, { showUsage: false });
  const absolute = resolve(path);
  const folder = dirname(absolute);
  const permission = await Deno.permissions.query({ name: "write", path: absolute });
  if (permission.state !== "granted") {
    throw fail("no permission to write there (run Deno with --allow-write)");
  }
  let special: Deno.FileInfo | null = null;
  try {
    special = await Deno.lstat(absolute);
    if (special.isFile || special.isDirectory) special = null;
  } catch { /* nothing there yet, or not to be looked at: the checks below say */ }
  if (special !== null) {
    // A device, a pipe or a link (/dev/null): written in place (`writeFileWhole`), so being able to open it
    // is the check; a pipe is not opened (that would wait for its reader).
    if (special.isFifo) return;
    try {
      (await Deno.open(absolute, { write: true, create: special.isSymlink })).close();
      return;
    } catch (error) {
      throw fail(describe(error));
    }
  }
  try {
    const info = await Deno.stat(folder);
    if (!info.isDirectory) throw fail(`${folder} is not a folder`);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw fail(`the folder ${folder} does not exist`);
    throw error instanceof UsageError ? error : fail(describe(error));
  }
  let existed = true;
  try {
    if ((await Deno.stat(absolute)).isDirectory) throw fail("is a folder; name a file");
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) {
      throw error instanceof UsageError ? error : fail(describe(error));
    }
    existed = false;
  }
  try {
    if (options.append) {
      const file = await Deno.open(absolute, { append: true, create: true });
      file.close();
      if (!existed) await Deno.remove(absolute);
    } else {
      // The result goes to a temporary file beside it first: Deno's permission must cover the folder.
      if ((await Deno.permissions.query({ name: "write", path: folder })).state !== "granted") {
        throw fail(
          `Deno may write the file but not its folder, where the result is written first and then renamed ` +
            `into place: run Deno with --allow-write=${folder}`,
        );
      }
      const probe = await Deno.makeTempFile({ dir: folder, prefix: ".wrk-deno-", suffix: ".tmp" });
      await Deno.remove(probe);
    }
  } catch (error) {
    throw error instanceof UsageError ? error : fail(describe(error));
  }
}

/**
 * Writes `text` to `path` whole or not at all: to a temporary file in the same folder, then renamed over
 * `path`, so a reader (or a run that is killed) never sees a partial document.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { writeFileWhole } from "./output_files.ts";
 *
 * const folder = await Deno.makeTempDir();
 * await writeFileWhole(`${folder}/result.json`, "{}\n");
 * assertEquals(await Deno.readTextFile(`${folder}/result.json`), "{}\n");
 * await Deno.remove(folder, { recursive: true });
 * ```
 */
export async function writeFileWhole(path: string, text: string): Promise<void> {
  const absolute = resolve(path);
  // Renaming over a device, a pipe or a link would replace it (as root, `--json /dev/null` would put a file
  // where /dev/null was): those are written in place, through the link.
  const existing = await lstatOrNull(absolute);
  if (existing !== null && !existing.isFile) return await Deno.writeTextFile(absolute, text);
  // Not `Deno.makeTempFile`: its file is the owner's alone (0600), and the result would stay so. Made here, it
  // gets a new file's mode (0666 less the umask, as the other outputs), or the mode of the file it replaces, so
  // that a CI step or a container reading it as another user still can.
  const temporary = `${dirname(absolute)}/.wrk-deno-${crypto.randomUUID()}.tmp`;
  const mode = existing?.mode ?? null; // null: a new file, or a system without modes
  const keptMode = mode === null ? null : mode & 0o7777;
  try {
    await Deno.writeTextFile(temporary, text, { createNew: true });
    if (keptMode !== null && Deno.build.os !== "windows") await Deno.chmod(temporary, keptMode);
    await Deno.rename(temporary, absolute);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw error;
  }
}

/**
 * Appends `text` to `path` (created if missing) in one write, as GitHub's `$GITHUB_STEP_SUMMARY` expects of
 * each step; on a line of its own when the file's last line has no line end yet (`printf 'note' >> "$F"` by an
 * earlier command of the step), so that a Markdown heading stays a heading.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { appendText } from "./output_files.ts";
 *
 * const path = await Deno.makeTempFile({ suffix: ".md" });
 * await Deno.writeTextFile(path, "no line end");
 * await appendText(path, "one\n");
 * await appendText(path, "two\n");
 * assertEquals(await Deno.readTextFile(path), "no line end\none\ntwo\n");
 * await Deno.remove(path);
 * ```
 */
export async function appendText(path: string, text: string): Promise<void> {
  const separated = text !== "" && !(await endsLine(path)) ? "\n" + text : text;
  await Deno.writeTextFile(path, separated, { append: true, create: true });
}

/** Whether a regular file at `path` is empty or ends with a line end; anything else (missing, a pipe) is. */
async function endsLine(path: string): Promise<boolean> {
  let file: Deno.FsFile | null = null;
  try {
    const info = await Deno.stat(path);
    if (!info.isFile || info.size === 0) return true;
    file = await Deno.open(path, { read: true });
    await file.seek(-1, Deno.SeekMode.End);
    const last = new Uint8Array(1);
    return (await file.read(last)) !== 1 || last[0] === 0x0a;
  } catch {
    return true;
  } finally {
    file?.close();
  }
}

/** What is at `path` itself (a link, not what it points to); null when nothing is there yet. */
async function lstatOrNull(path: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.lstat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

/** An I/O error as a few words: the OS's reason without Deno's call details. */
function describe(error: unknown): string {
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (error instanceof Deno.errors.NotFound) return "no such file or folder";
  if (error instanceof Deno.errors.IsADirectory) return "is a folder; name a file";
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/:? *\(os error \d+\)/, "").replace(/, (open|mkstemp|rename) '.*$/, "");
}
