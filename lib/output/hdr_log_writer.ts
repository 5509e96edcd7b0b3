/**
 * The `--hdr-log FILE` writer: HdrHistogram's interval log (lib/report/hdr_interval_log.ts formats it),
 * written as the run goes, the header when the run starts and each interval's lines as soon as the interval is
 * merged, straight to the file without buffering, so that a run that is killed still leaves a readable log of
 * the intervals so far. Writes are synchronous: a few kilobytes once a second, in order, from the main thread.
 *
 * Loads the HdrHistogram codec (npm hdr-histogram-js): the CLI imports this module only for `--hdr-log`.
 *
 * @module
 */
import type { LatencyInterval } from "../merge/interval_merge.ts";
import { formatHdrLogHeader, formatHdrLogInterval } from "../report/hdr_interval_log.ts";

const encoder = new TextEncoder();

/**
 * An open interval log. `append` never throws: the first write error is kept in `error` and ends the writing
 * (a full disk must not end the run), for the caller to report after the run.
 *
 * @example Logging a run's intervals to a file
 * ```ts
 * import { HdrLogWriter } from "./hdr_log_writer.ts";
 * import { parseArgs } from "../config/parse_args.ts";
 * import { startDemoServer } from "../demo_server.ts";
 * import { Run } from "../run.ts";
 *
 * const path = await Deno.makeTempFile({ suffix: ".hlog" });
 * const server = startDemoServer();
 * let log: HdrLogWriter | null = null;
 * const run = await Run.start(parseArgs(["-t1", "-c2", "-d1200ms", server.url]), {
 *   onInterval: (interval) => log?.append(interval),
 * });
 * // Right after the start, before any interval can arrive.
 * log = HdrLogWriter.open(path, run.startedAtEpochMs);
 * try {
 *   await run.result;
 * } finally {
 *   log.close();
 *   run.close();
 *   await server.close();
 * }
 * console.log((await Deno.readTextFile(path)).match(/^Tag=latency,/gm)?.length); // 2
 * await Deno.remove(path);
 * ```
 */
export class HdrLogWriter {
  /** The file, as given to `open`. */
  readonly path: string;
  #file: Deno.FsFile | null;
  #error: Error | null = null;

  private constructor(path: string, file: Deno.FsFile) {
    this.path = path;
    this.#file = file;
  }

  /**
   * Creates (or empties) `path` and writes the log's header, the run having started at `startedAtEpochMs`
   * (`Run.startedAtEpochMs`). Throws when the file cannot be opened or written. `options.file`: `path` already
   * opened for writing (`openOutput`, before the run: a FIFO's open waits for its reader, which must not hold
   * the run's thread).
   */
  static open(
    path: string,
    startedAtEpochMs: number,
    options: { loggedWith?: string; file?: Deno.FsFile } = {},
  ): HdrLogWriter {
    const file = options.file ?? Deno.openSync(path, { write: true, create: true, truncate: true });
    try {
      // A file opened before the run is emptied now that the run has started (a FIFO or a device has nothing
      // to empty).
      if (options.file !== undefined && file.statSync().isFile) file.truncateSync(0);
      writeAll(file, formatHdrLogHeader(startedAtEpochMs, options.loggedWith));
    } catch (error) {
      file.close();
      throw error;
    }
    return new HdrLogWriter(path, file);
  }

  /** The first write that failed (after which nothing more is written); null while all went well. */
  get error(): Error | null {
    return this.#error;
  }

  /** Writes the interval's lines (one, or two with `-R`). */
  append(interval: LatencyInterval): void {
    if (this.#file === null) return;
    try {
      writeAll(this.#file, formatHdrLogInterval(interval));
    } catch (error) {
      this.#error = error instanceof Error ? error : new Error(String(error));
      this.close();
    }
  }

  /** Closes the file; later `append`s do nothing. */
  close(): void {
    const file = this.#file;
    this.#file = null;
    try {
      file?.close();
    } catch {
      // Already closed.
    }
  }
}

function writeAll(file: Deno.FsFile, text: string): void {
  const bytes = encoder.encode(text);
  let written = 0;
  while (written < bytes.length) written += file.writeSync(bytes.subarray(written));
}
