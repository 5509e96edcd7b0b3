/**
 * Reading one shard's `--json` result for `wrk-deno merge`: the document is checked field by field before
 * anything is merged (format `wrk-deno/result@1`, a shard's result, a run that ran, every field the merge reads
 * present and of its type, each `hdr` decodable and holding the samples its `count` says), so that a corrupt,
 * truncated or foreign file is one line naming the file and what is wrong, never a wrong report. The fields are
 * those of docs/result-format.md. Whether the shards belong together is the merge's check (merge_shards.ts).
 *
 * `parseShard` is pure; `readShard` adds the file read. The HdrHistogram codec (lib/stats/hdr_codec.ts) comes
 * with this module: import it dynamically from the command line.
 *
 * @module
 */

import type { Shard } from "../config/config.ts";
import type { ErrorCounts, ErrorReason } from "../stats/error_counts.ts";
import { ERROR_KINDS } from "../stats/error_counts.ts";
import { decodeStats } from "../stats/hdr_codec.ts";
import type { Stats } from "../stats/stats.ts";
import type { StatusCodes } from "../stats/status_codes.ts";
import { RESULT_FORMAT } from "../report/json_result.ts";
import type { RateOutcome } from "../run_result.ts";

/**
 * A shard's result that cannot be merged, or a set of shards that do not make one test: the message is one
 * line for the user, naming the file when one file is at fault. The command line prints it and exits 1.
 *
 * @example Telling the user which file is wrong
 * ```ts
 * import { parseShard, ShardInputError } from "./read_shards.ts";
 *
 * try {
 *   parseShard("shard-0.json", "{\"format\": ");
 * } catch (error) {
 *   if (error instanceof ShardInputError) console.log(error.message); // shard-0.json: not JSON (…)
 * }
 * ```
 */
export class ShardInputError extends Error {
  /** Always `"ShardInputError"`. */
  override name = "ShardInputError";
  /** The file at fault; null when the set of shards is (a missing shard). */
  readonly path: string | null;

  /** An error whose message is `message` as it is (callers put the file's name in it). */
  constructor(message: string, path: string | null, options?: { cause?: unknown }) {
    super(message, options);
    this.path = path;
  }
}

/**
 * A shard's result that says it did not run (its `error`: a `--start-at` that had passed, a server it could not
 * reach). `merge --allow-partial` leaves it out as a missing shard; otherwise it stops the merge as any other.
 */
export class ShardNotRunError extends ShardInputError {
  /** Always `"ShardNotRunError"`. */
  override name = "ShardNotRunError";
  /** The shard's index. */
  readonly index: number;
  /** Why it did not run, as `<file>: shard <i> did not run: <its error>` (the message adds the option's hint). */
  readonly reason: string;
  /** The shard count of the test it was a shard of (null when unknown). */
  readonly count: number | null;
  /** The `test_id` of the test it was a shard of (null when its document has none). */
  readonly testId: string | null;

  /**
   * `reason` (it names the file), the file, the shard's index, and its test (`count`, `testId`); the message
   * adds what the option does.
   */
  constructor(
    reason: string,
    path: string,
    index: number,
    count: number | null = null,
    testId: string | null = null,
  ) {
    super(`${reason} (--allow-partial leaves it out)`, path);
    this.index = index;
    this.reason = reason;
    this.count = count;
    this.testId = testId;
  }
}

/** The parts of the shard's `config` that the merge needs: the test's settings and this shard's share. */
export interface ShardConfig {
  /** The URL as given. */
  url: string;
  /** `-t` of this shard's process. */
  threads: number;
  /** This shard's connections. */
  connections: number;
  /** `-d`, ms. */
  durationMs: number;
  /** `--timeout`, ms. */
  timeoutMs: number;
  /** This shard's part of `-R`; null for the closed loop. */
  rate: number | null;
  /** `-s` as given to the shard; null for none. */
  script: string | null;
  /** The script's arguments (after `--`). */
  scriptArgs: string[];
  /** `-H` headers in order. */
  headers: [string, string][];
  /** `-B/--batch_latency`. */
  batchLatency: boolean;
  /** `--http2`; null (unknown) in a document written before the field was. */
  http2: boolean | null;
  /** `--streams`: 1 over HTTP/1.1; null (unknown) in a document written before the field was. */
  streams: number | null;
}

/**
 * One shard's result, checked and decoded: what the merge adds up.
 *
 * @example The figures of a shard file
 * ```ts ignore
 * const shard = await readShard("shard-1.json");
 * console.log(shard.shard.index, shard.requests, shard.latency.percentile(99));
 * ```
 */
export interface ShardResult {
  /** The file it was read from, for messages. */
  path: string;
  /** The wrk-deno version that wrote it. */
  version: string;
  /** The test's identity (lib/config/test_identity.ts): equal for every shard of one test. */
  testId: string;
  /** Which part of the test this is, with the test's totals. */
  shard: Shard;
  /** How the shard was run. */
  config: ShardConfig;
  /** When the shard's run started, µs since the Unix epoch (the document's `start` has ms precision). */
  startEpochUs: number;
  /** How long it ran, µs. */
  runtimeUs: number;
  /** Completed responses. */
  requests: number;
  /** Bytes received. */
  bytesRead: number;
  /** wrk's five error counters. */
  errors: ErrorCounts;
  /** The socket errors by reason. */
  errorReasons: ErrorReason[];
  /** Responses by status code. */
  statusCodes: StatusCodes;
  /** Latency (µs) as the shard recorded it: after wrk's correction for the closed loop, from the plan with `-R`. */
  latency: Stats;
  /** With `-R`: latency from each write; null otherwise. */
  uncorrectedLatency: Stats | null;
  /** Per-thread requests/second, one sample per thread every 100 ms. */
  requestRate: Stats;
  /** With `-R`: the shard's planned rate and batches; null otherwise. */
  rate: RateOutcome | null;
  /** The shard's threads (1-based, as the document lists them) that did not report in time. */
  unfinishedThreads: number[];
  /** Ended before its `-d` by a signal (`stopped_early`; false in documents of versions before it). */
  stoppedEarly: boolean;
}

// deno-lint-ignore no-explicit-any
type Json = any;

/**
 * Checks and decodes the text of one shard's `--json` result. `path` names the file in messages.
 *
 * @throws {ShardInputError} `<path>: <what is wrong>`: not JSON, not a `wrk-deno/result@1` document, not a
 * shard's result (`shard` null), a run that did not start (`error` set), a missing or mistyped field, or an
 * `hdr` that does not decode to its `count` of samples.
 *
 * @example A document that is not a shard's
 * ```ts
 * import { assertThrows } from "@std/assert";
 * import { parseShard, ShardInputError } from "./read_shards.ts";
 *
 * assertThrows(
 *   () => parseShard("whole.json", JSON.stringify({ format: "wrk-deno/result@1", shard: null, merged_shards: null })),
 *   ShardInputError,
 *   "whole.json: not a shard's result (its shard is null: the run had no --shard-index/--shard-count)",
 * );
 * ```
 */
export function parseShard(path: string, text: string): ShardResult {
  const fail = (problem: string, cause?: unknown) =>
    new ShardInputError(`${path}: ${problem}`, path, { cause });
  if (text.trim() === "") throw fail(path === "-" ? "standard input is empty" : "the file is empty");
  text = withoutByteOrderMark(text);
  // UTF-16 read as UTF-8: its byte order mark becomes two replacement characters, and every ASCII character
  // has a zero byte beside it.
  if (text.startsWith("\uFFFD\uFFFD") || text.slice(0, 64).includes("\u0000")) {
    throw fail(
      "is UTF-16 (as PowerShell 5's > writes a file), not UTF-8: let --json write the file itself, or save it " +
        "as UTF-8",
    );
  }
  let document: Json;
  try {
    document = JSON.parse(text);
  } catch (error) {
    // A whole result and more after it: two results in one file (`>>`), or a log appended to it.
    const after = /^Unexpected non-whitespace character after JSON at position (\d+)/.exec(
      error instanceof Error ? error.message : "",
    );
    if (after !== null && text.trimStart().startsWith("{")) {
      const from = after[1];
      throw fail(
        `has more after its JSON result (from byte ${from}: two results in one file, or a log appended?): ` +
          "keep only one result per file",
        error,
      );
    }
    // A log captured with `--json -` holds the report around the result's line.
    if (!text.trimStart().startsWith("{") && /^\{"format":/m.test(text)) {
      throw fail(
        "has text around its JSON result (a captured log?): keep only the line of --json's result",
        error,
      );
    }
    // V8's message quotes the text it could not parse, line breaks and all: one line without it.
    const reason = (error instanceof Error ? error.message : String(error))
      .replace(/, "[\s\S]*" is not valid JSON$/, "").replace(/\s+/g, " ");
    // Cut short: the parser ran out of text (at its end, or past its last blanks).
    const at = /at position (\d+)/.exec(reason);
    const truncated = reason.startsWith("Unexpected end of JSON input") ||
      (at !== null && Number(at[1]) >= text.trimEnd().length);
    throw fail(`not JSON (${reason})${truncated ? "; is it truncated?" : ""}`, error);
  }
  if (!isObject(document)) throw fail(`not a wrk-deno result (not a JSON object)`);
  if (!("format" in document)) throw fail(`not a wrk-deno result (it has no "format")`);
  // Any `@1` document (docs/result-format.md#versioning).
  if (document.format !== RESULT_FORMAT) {
    throw fail(`format is ${JSON.stringify(document.format)}, not "${RESULT_FORMAT}"`);
  }
  const read = new FieldReader(fail);
  if (document.shard === null) {
    const merged = document.merged_shards;
    if (Array.isArray(merged)) throw fail(`already a merged result (of shards ${merged.join(", ")})`);
    throw fail("not a shard's result (its shard is null: the run had no --shard-index/--shard-count)");
  }
  const shardJson = read.object(document, "shard");
  const count = read.integer(shardJson, "shard.count", 1);
  const index = read.integer(shardJson, "shard.index", 0);
  if (index >= count) throw fail(`shard.index ${index} is not below shard.count ${count}`);
  const shard: Shard = {
    index,
    count,
    connections: read.integer(shardJson, "shard.connections", 1),
    rate: read.nullable(shardJson, "shard.rate", () => read.number(shardJson, "shard.rate", 0)),
    firstConnection: read.integer(shardJson, "shard.first_connection", 0),
  };
  // Each shard runs at least one of the test's connections (a count past them would list that many missing).
  if (count > shard.connections) {
    throw fail(
      `shard.count ${count} is more than the test's ${shard.connections} connections (shard.connections)`,
    );
  }
  if (document.error !== null && document.error !== undefined) {
    // Its test is read too: `merge --allow-partial` must not leave out, as one of its own, another test's shard.
    const testId = typeof document.test_id === "string" ? document.test_id : null;
    // A result with a start failed after it had started (a script error mid-run): it ran, in part.
    const started = typeof document.start === "string";
    throw new ShardNotRunError(
      `${path}: shard ${index} ${started ? "failed after it started" : "did not run"}: ${
        String(document.error)
      }`,
      path,
      index,
      count,
      testId,
    );
  }
  read.present(document, "error");
  const testId = read.string(document, "test_id");
  if (!/^[0-9a-f]{64}$/.test(testId)) throw fail(`test_id ${JSON.stringify(testId)} is not 64 hex digits`);

  const configJson = read.object(document, "config");
  const config: ShardConfig = {
    url: read.string(configJson, "config.url"),
    threads: read.integer(configJson, "config.threads", 1),
    connections: read.integer(configJson, "config.connections", 1),
    durationMs: read.number(configJson, "config.duration_ms", 0),
    timeoutMs: read.number(configJson, "config.timeout_ms", 0),
    rate: read.nullable(configJson, "config.rate", () => read.number(configJson, "config.rate", 0)),
    script: read.nullable(configJson, "config.script", () => read.string(configJson, "config.script")),
    scriptArgs: read.array(configJson, "config.script_args").map((_, i) =>
      read.string(configJson.script_args, `config.script_args.${i}`)
    ),
    headers: read.array(configJson, "config.headers").map((header, i) => {
      if (!Array.isArray(header) || header.length !== 2 || header.some((part) => typeof part !== "string")) {
        throw fail(`config.headers.${i} is not a [name, value] pair`);
      }
      return [header[0], header[1]] as [string, string];
    }),
    batchLatency: read.boolean(configJson, "config.batch_latency"),
    // Absent from the documents of versions before the protocol was recorded: unknown, and not compared; the
    // test_id still is (docs/result-format.md#versioning).
    http2: read.optional(configJson, "config.http2", null, () => read.boolean(configJson, "config.http2")),
    streams: read.optional(
      configJson,
      "config.streams",
      null,
      () => read.integer(configJson, "config.streams", 1),
    ),
  };

  const start = read.string(document, "start");
  const startMs = Date.parse(start);
  if (!Number.isFinite(startMs)) throw fail(`start ${JSON.stringify(start)} is not a date and time`);
  const errorsJson = read.object(document, "errors");
  const errors = Object.fromEntries(
    ERROR_KINDS.map((kind) => [kind, read.integer(errorsJson, `errors.${kind}`, 0)]),
  ) as unknown as ErrorCounts;
  const errorReasons = read.array(document, "error_reasons").map((reason, i): ErrorReason => {
    const name = `error_reasons.${i}`;
    if (!isObject(reason)) throw fail(`${name} is not an object`);
    const category = read.string(reason, `${name}.category`);
    if (!(ERROR_KINDS as readonly string[]).includes(category)) {
      throw fail(`${name}.category ${JSON.stringify(category)} is not one of ${ERROR_KINDS.join(", ")}`);
    }
    return {
      category: category as keyof ErrorCounts,
      reason: read.string(reason, `${name}.reason`),
      count: read.integer(reason, `${name}.count`, 0),
    };
  });
  const codesJson = read.object(document, "status_codes");
  const statusCodes: StatusCodes = {};
  let answered = 0;
  for (const code of Object.keys(codesJson)) {
    // As a run writes them: three digits, 100 to 999 (a "0200" would stay apart from "200" in the sums).
    if (!/^[1-9]\d\d$/.test(code)) throw fail(`status_codes has ${JSON.stringify(code)}, not a status code`);
    statusCodes[code] = read.integer(codesJson, `status_codes.${code}`, 0);
    answered += statusCodes[code];
  }
  // Every response counted has its status counted: a file whose two disagree was edited, or is not whole.
  const requests = read.integer(document, "requests", 0);
  if (answered !== requests) {
    throw fail(`status_codes add up to ${answered} responses, not the ${requests} requests counted`);
  }

  const rateMode = config.rate !== null;
  const rateJson = rateMode ? read.object(document, "rate") : null;
  return {
    path,
    version: read.string(document, "version"),
    testId,
    shard,
    config,
    startEpochUs: startMs * 1000,
    runtimeUs: read.integer(document, "duration_us", 0),
    requests,
    bytesRead: read.integer(document, "bytes", 0),
    errors,
    errorReasons,
    statusCodes,
    latency: read.histogram(document, "latency"),
    uncorrectedLatency: rateMode ? read.histogram(document, "uncorrected_latency") : null,
    requestRate: read.histogram(document, "requests_per_thread_sec"),
    rate: rateJson === null ? null : {
      plannedPerSec: read.number(rateJson, "rate.planned_per_sec", 0),
      batches: read.integer(rateJson, "rate.batches", 0),
      lateBatches: read.integer(rateJson, "rate.late_batches", 0),
      // Absent from the documents of versions before it was counted, and null in a merge of those: unknown.
      requestsSent: read.optionalInteger(rateJson, "rate.requests_sent", 0),
      // Likewise, from versions before the requests due were counted.
      requestsDue: read.optionalInteger(rateJson, "rate.requests_due", 0),
      // Likewise, from versions before the requests that failed after their timeout were counted.
      errorsAfterTimeout: read.optionalInteger(rateJson, "rate.errors_after_timeout", 0),
    },
    unfinishedThreads: read.array(document, "unfinished_threads").map((_, i) =>
      read.integer(document.unfinished_threads, `unfinished_threads.${i}`, 0)
    ),
    stoppedEarly: read.optional(
      document,
      "stopped_early",
      false,
      () => read.boolean(document, "stopped_early"),
    ),
  };
}

/**
 * Reads and checks one shard's `--json` result file; `-` reads standard input (a shard's `--json -` piped in).
 *
 * @throws {ShardInputError} `<path>: cannot read it (<reason>)`, or what {@linkcode parseShard} finds wrong.
 *
 * @example
 * ```ts ignore
 * const shard = await readShard("results/shard-0.json");
 * ```
 */
export async function readShard(path: string): Promise<ShardResult> {
  let text: string;
  try {
    text = path === "-" ? await new Response(Deno.stdin.readable).text() : await Deno.readTextFile(path);
  } catch (error) {
    throw new ShardInputError(`${path}: cannot read it (${describeReadError(error)})`, path, {
      cause: error,
    });
  }
  return parseShard(path, text);
}

/** Far larger than any `--json` result: `holdsShardResult` does not read such a file. */
const MAX_RESULT_BYTES = 64 * 1024 * 1024;

/**
 * Whether `path` is a file that holds a shard's result (a `wrk-deno/result@1` document of one shard): a merge's
 * output must not be one, or `merge --json shard-*.json` (the output's name forgotten) would overwrite the first
 * shard with the merge of the others. False for anything else, a missing file included.
 *
 * @example
 * ```ts
 * import { holdsShardResult } from "./read_shards.ts";
 *
 * console.log(await holdsShardResult("/tmp/no-such-file.json")); // false
 * ```
 */
export async function holdsShardResult(path: string): Promise<boolean> {
  let text: string;
  try {
    const info = await Deno.stat(path);
    // Not a regular file (a FIFO would wait for a writer), or far larger than any result: not one.
    if (!info.isFile || info.size > MAX_RESULT_BYTES) return false;
    text = await Deno.readTextFile(path);
  } catch {
    return false;
  }
  try {
    const document = JSON.parse(withoutByteOrderMark(text));
    return isObject(document) && document.format === RESULT_FORMAT && isObject(document.shard);
  } catch {
    return false;
  }
}

/** A result's text as JSON reads it: a byte order mark (an editor that saves one) is no part of it. */
function withoutByteOrderMark(text: string): string {
  return text.startsWith("\uFEFF") ? text.slice(1) : text;
}

/** A read error in a few words: Deno's message without the errno and the call. */
function describeReadError(error: unknown): string {
  if (error instanceof Deno.errors.NotFound) return "no such file";
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (error instanceof Deno.errors.IsADirectory) return "it is a folder";
  // Deno opens device files only with --allow-all (`/dev/stdin`, a process substitution's `/dev/fd/63` works).
  if (error instanceof Deno.errors.NotCapable) return "a device file: give - for standard input";
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s*\(os error \d+\).*$/s, "").split("\n")[0];
}

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reads typed fields, failing with the field's dotted name (`latency.hdr`) and what it holds instead. `name` is
 * the field's full name; its last part is the key in `holder`.
 */
class FieldReader {
  readonly #fail: (problem: string, cause?: unknown) => ShardInputError;

  constructor(fail: (problem: string, cause?: unknown) => ShardInputError) {
    this.#fail = fail;
  }

  present(holder: Record<string, Json>, name: string): Json {
    const key = name.slice(name.lastIndexOf(".") + 1);
    if (!(key in holder)) throw this.#fail(`${name} is missing`);
    return holder[key];
  }

  #typed(holder: Record<string, Json>, name: string, ok: (value: Json) => boolean, what: string): Json {
    const value = this.present(holder, name);
    if (!ok(value)) throw this.#fail(`${name} should be ${what}, not ${describe(value)}`);
    return value;
  }

  object(holder: Record<string, Json>, name: string): Record<string, Json> {
    return this.#typed(holder, name, isObject, "an object");
  }

  array(holder: Record<string, Json>, name: string): Json[] {
    return this.#typed(holder, name, Array.isArray, "an array");
  }

  string(holder: Record<string, Json>, name: string): string {
    return this.#typed(holder, name, (v) => typeof v === "string", "a string");
  }

  boolean(holder: Record<string, Json>, name: string): boolean {
    return this.#typed(holder, name, (v) => typeof v === "boolean", "true or false");
  }

  number(holder: Record<string, Json>, name: string, minimum: number): number {
    return this.#typed(
      holder,
      name,
      (v) => typeof v === "number" && Number.isFinite(v) && v >= minimum,
      `a number of at least ${minimum}`,
    );
  }

  integer(holder: Record<string, Json>, name: string, minimum: number): number {
    return this.#typed(
      holder,
      name,
      (v) => Number.isSafeInteger(v) && v >= minimum,
      `an integer of at least ${minimum}`,
    );
  }

  /** An integer that documents of older versions lack: null when absent or null. */
  optionalInteger(holder: Record<string, Json>, name: string, minimum: number): number | null {
    const key = name.slice(name.lastIndexOf(".") + 1);
    if (!(key in holder) || holder[key] === null) return null;
    return this.integer(holder, name, minimum);
  }

  /** A field that documents of older versions lack: `absent` when it is not there, else `read()`. */
  optional<T>(holder: Record<string, Json>, name: string, absent: T, read: () => T): T {
    const key = name.slice(name.lastIndexOf(".") + 1);
    return key in holder ? read() : absent;
  }

  nullable<T>(holder: Record<string, Json>, name: string, read: () => T): T | null {
    return this.present(holder, name) === null ? null : read();
  }

  /** A latency object or `requests_per_thread_sec`: its `hdr` decoded, holding `count` samples. */
  histogram(holder: Record<string, Json>, name: string): Stats {
    const figures = this.object(holder, name);
    const hdr = this.string(figures, `${name}.hdr`);
    const count = this.integer(figures, `${name}.count`, 0);
    let stats: Stats;
    try {
      stats = decodeStats(hdr);
    } catch (error) {
      const reason = error instanceof Error
        ? error.message.replace(/^Cannot decode stats: /, "")
        : String(error);
      throw this.#fail(`${name}.hdr is not an encoded HdrHistogram (${reason})`, error);
    }
    if (stats.count !== count) {
      throw this.#fail(`${name}.hdr holds ${stats.count} samples, but ${name}.count says ${count}`);
    }
    return stats;
  }
}

/** A JSON value in a few characters, for messages. */
function describe(value: Json): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
