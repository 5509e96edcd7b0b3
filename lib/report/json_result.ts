/**
 * The machine-readable result of a run (`--json`), format `wrk-deno/result@1`: a pure function from a
 * {@linkcode RunResult} (or the message of a run that failed to start) to JSON text. The format is documented
 * field by field in docs/result-format.md and described by schemas/result-1.schema.json.
 *
 * This module loads the HdrHistogram codec (npm hdr-histogram-js) for the `hdr` fields, which the CLI keeps
 * out of its load path (lib/stats/hdr_codec.ts): import it dynamically, only when `--json` is given.
 *
 * @module
 */

import type { Config } from "../config/config.ts";
import type { RunResult } from "../run_result.ts";
import { encodeStats } from "../stats/hdr_codec.ts";
import { hdrFigures } from "../stats/hdr_figures.ts";
import { lowestValueOf } from "../stats/recorder.ts";
import { reportedFigures } from "../stats/reported_figures.ts";
import type { Stats } from "../stats/stats.ts";
import type { ThresholdVerdict } from "../thresholds/verdict.ts";
import { requestsPerSecond } from "./_lines.ts";
import { statusCodeEntries } from "../stats/status_codes.ts";

export type { ThresholdVerdict };

/**
 * The format's name and major version: a consumer checks it before reading anything else (`wrk-deno merge`
 * does: lib/merge/read_shards.ts).
 */
export const RESULT_FORMAT = "wrk-deno/result@1";

/** The percentiles of every latency object, as keys: wrk's four, then the tail wrk2 prints. */
const PERCENTILES = ["50", "75", "90", "99", "99.9", "99.99", "99.999"] as const;

const US_PER_S = 1_000_000;

/**
 * What the JSON result says besides the run's figures: how the run was asked for, by which version, the
 * threshold verdicts, and why the run did not start when it did not.
 *
 * @example The context of a run from the command line
 * ```ts
 * import type { JsonContext } from "./json_result.ts";
 * import { parseArgs } from "../config/parse_args.ts";
 *
 * const command = ["-t2", "-c10", "-d5s", "http://127.0.0.1:8080/"];
 * const context: JsonContext = {
 *   config: parseArgs(command),
 *   command,
 *   version: "0.1.0",
 *   testId: null,
 *   thresholds: null,
 *   error: null,
 * };
 * console.log(context.config.connections); // 10
 * ```
 */
export interface JsonContext {
  /** The parsed command line (the document's `config`). */
  config: Config;
  /** The arguments as given, without the program name (`Deno.args`), so that the run can be repeated. */
  command: string[];
  /** wrk-deno's version (deno.json `version`). */
  version: string;
  /**
   * The test's identity (lib/config/test_identity.ts): equal for every shard of one test, so that `merge`
   * refuses to mix tests; null when it could not be computed (a script that cannot be read).
   */
  testId: string | null;
  /**
   * For the result of `wrk-deno merge` (lib/merge/merge_shards.ts): the indexes of the shards merged,
   * ascending. Absent or null for a run (the document's `merged_shards` is then null).
   */
  mergedShards?: number[] | null;
  /**
   * For the result of `wrk-deno merge`: the test's shard count, so that a partial merge (`--allow-partial`,
   * fewer `mergedShards`) shows as one. Absent or null for a run (the document's `shard_count` is then null).
   */
  shardCount?: number | null;
  /**
   * For the result of `wrk-deno merge`: its warnings about the shards (they had no moment in common, started
   * far apart, or were written by different versions), as on stderr. Absent or null for a run (the document's
   * `merge_warnings` is then null); empty for a merge without any.
   */
  mergeWarnings?: string[] | null;
  /** The verdicts of the `--threshold` conditions; null when none were given. */
  thresholds: ThresholdVerdict[] | null;
  /**
   * The one-line message of a run that failed to start (refused or unresolvable host, script error…), with
   * a null result; null for a run that ran.
   */
  error: string | null;
}

/** A histogram's figures, in the unit of its samples (µs for latency, requests/s for Req/Sec). */
interface DistributionJson {
  count: number;
  min: number | null;
  mean: number | null;
  stdev: number | null;
  max: number | null;
  within_stdev: number | null;
  hdr: string;
}

interface LatencyJson extends DistributionJson {
  percentiles: Record<(typeof PERCENTILES)[number], number | null>;
}

/** The document, field for field as docs/result-format.md describes it. */
interface ResultJson {
  format: typeof RESULT_FORMAT;
  version: string;
  command: string[];
  test_id: string | null;
  shard:
    | { index: number; count: number; connections: number; rate: number | null; first_connection: number }
    | null;
  merged_shards: number[] | null;
  shard_count: number | null;
  merge_warnings: string[] | null;
  config: {
    url: string;
    threads: number;
    connections: number;
    duration_ms: number;
    timeout_ms: number;
    rate: number | null;
    script: string | null;
    script_args: string[];
    headers: [string, string][];
    latency: boolean;
    u_latency: boolean;
    batch_latency: boolean;
    http2: boolean;
    streams: number;
  };
  error: string | null;
  start: string | null;
  duration_us: number | null;
  requests: number | null;
  bytes: number | null;
  requests_per_sec: number | null;
  bytes_per_sec: number | null;
  errors: { connect: number; read: number; write: number; status: number; timeout: number } | null;
  error_reasons: { category: string; reason: string; count: number }[] | null;
  status_codes: Record<string, number> | null;
  latency: LatencyJson | null;
  requests_per_thread_sec: DistributionJson | null;
  uncorrected_latency: LatencyJson | null;
  rate:
    | {
      planned_per_sec: number;
      achieved_per_sec: number | null;
      batches: number;
      late_batches: number;
      requests_sent: number | null;
      requests_due: number | null;
      errors_after_timeout: number | null;
    }
    | null;
  unfinished_threads: number[] | null;
  stopped_early: boolean | null;
  thresholds: ThresholdVerdict[] | null;
}

/**
 * The run as a `wrk-deno/result@1` JSON document (2-space indented, or on one line with `oneLine`; a trailing newline), described by
 * schemas/result-1.schema.json and docs/result-format.md.
 *
 * Latencies are in µs, rates per second, counts are integers; every other number keeps its full double
 * precision. Each figure follows the report's rule: a closed-loop run's are wrk's (`Stats`), a `-R` run's are
 * wrk2's (lib/stats/hdr_figures.ts), so the JSON and the printed report agree. JSON has no NaN or Infinity: a
 * figure that has no value is null (a histogram without samples has a null min, mean, stdev, max,
 * within_stdev and percentiles; a run that lasted no time has null rates). `hdr` is the whole histogram in
 * HdrHistogram's compressed base64 encoding.
 *
 * Pass either a result (and a null `context.error`) or, for a run that failed to start, a null result and
 * the error's message: every figure of the document is then null.
 *
 * @throws {TypeError} when both or neither of `result` and `context.error` are given.
 *
 * @example A run that failed to start
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { formatJsonResult } from "./json_result.ts";
 * import { parseArgs } from "../config/parse_args.ts";
 *
 * const command = ["-t1", "-c1", "-d1s", "http://127.0.0.1:1/"];
 * const text = formatJsonResult(null, {
 *   config: parseArgs(command),
 *   command,
 *   version: "0.1.0",
 *   testId: null,
 *   thresholds: null,
 *   error: "unable to connect to 127.0.0.1:1 Connection refused",
 * });
 * const document = JSON.parse(text);
 * assertEquals(document.format, "wrk-deno/result@1");
 * assertEquals(document.config.connections, 1);
 * assertEquals([document.requests, document.latency], [null, null]);
 * ```
 *
 * @example The figures of a run
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { formatJsonResult } from "./json_result.ts";
 * import { parseArgs } from "../config/parse_args.ts";
 * import { Stats } from "../stats/stats.ts";
 *
 * const latency = new Stats();
 * for (const us of [100, 200, 300, 400, 500]) latency.record(us);
 * const requestRate = new Stats();
 * requestRate.recordCount(4, 10);
 * const command = ["-t1", "-c1", "-d1s", "http://127.0.0.1:8080/"];
 * const document = JSON.parse(formatJsonResult({
 *   url: "http://127.0.0.1:8080/",
 *   threads: 1,
 *   connections: 1,
 *   durationMs: 1000,
 *   runtimeUs: 1_000_000,
 *   requests: 5,
 *   bytesRead: 500,
 *   errors: { connect: 0, read: 0, write: 0, status: 1, timeout: 0 },
 *   errorReasons: [],
 *   statusCodes: { "200": 4, "503": 1 },
 *   startedAt: "2026-12-04T12:00:00.000Z",
 *   latency,
 *   uncorrectedLatency: null,
 *   requestRate,
 *   rate: null,
 *   unfinishedThreads: [],
 * }, { config: parseArgs(command), command, version: "0.1.0", testId: null, thresholds: null, error: null }));
 * assertEquals(document.requests_per_sec, 5);
 * assertEquals(document.latency.mean, 300);
 * assertEquals(document.latency.percentiles["50"], 300);
 * assertEquals(document.status_codes, { "200": 4, "503": 1 });
 * ```
 */
export function formatJsonResult(
  result: RunResult | null,
  context: JsonContext,
  options: { oneLine?: boolean } = {},
): string {
  if ((result === null) === (context.error === null)) {
    throw new TypeError("formatJsonResult() takes either a result or an error message, not both or neither");
  }
  return JSON.stringify(resultJson(result, context), null, options.oneLine ? undefined : 2) + "\n";
}

function resultJson(result: RunResult | null, context: JsonContext): ResultJson {
  const { config } = context;
  const document: ResultJson = {
    format: RESULT_FORMAT,
    version: context.version,
    command: [...context.command],
    test_id: context.testId,
    shard: config.shard === null ? null : {
      index: config.shard.index,
      count: config.shard.count,
      connections: config.shard.connections,
      rate: config.shard.rate,
      first_connection: config.shard.firstConnection,
    },
    merged_shards: context.mergedShards?.slice() ?? null,
    shard_count: context.shardCount ?? null,
    merge_warnings: context.mergeWarnings?.slice() ?? null,
    config: {
      url: config.target.url,
      threads: config.threads,
      connections: config.connections,
      duration_ms: config.durationMs,
      timeout_ms: config.timeoutMs,
      rate: config.rate,
      script: config.scriptPath,
      script_args: [...config.scriptArgs],
      headers: config.headers.map(([name, value]) => [name, value]),
      latency: config.latency,
      u_latency: config.uncorrectedLatency,
      batch_latency: config.batchLatency,
      http2: config.http2,
      streams: config.streams,
    },
    error: context.error,
    start: null,
    duration_us: null,
    requests: null,
    bytes: null,
    requests_per_sec: null,
    bytes_per_sec: null,
    errors: null,
    error_reasons: null,
    status_codes: null,
    latency: null,
    requests_per_thread_sec: null,
    uncorrected_latency: null,
    rate: null,
    unfinished_threads: null,
    stopped_early: null,
    thresholds: context.thresholds === null ? null : context.thresholds.map(verdictJson),
  };
  if (result === null) return document;

  // A -R run's report reads its histograms as wrk2 does; the JSON must give the figures the report prints.
  const wrk2 = result.rate !== null;
  const runtimeS = result.runtimeUs / US_PER_S;
  const requestsPerSec = runtimeS > 0 ? requestsPerSecond(result) : null;
  document.start = result.startedAt;
  document.duration_us = result.runtimeUs;
  document.requests = result.requests;
  document.bytes = result.bytesRead;
  document.requests_per_sec = requestsPerSec;
  document.bytes_per_sec = runtimeS > 0 ? result.bytesRead / runtimeS : null;
  const { connect, read, write, status, timeout } = result.errors;
  document.errors = { connect, read, write, status, timeout };
  document.error_reasons = result.errorReasons.map(({ category, reason, count }) => ({
    category,
    reason,
    count,
  }));
  document.status_codes = Object.fromEntries(
    statusCodeEntries(result.statusCodes),
  );
  document.latency = latencyJson(result.latency, wrk2);
  document.requests_per_thread_sec = distributionJson(result.requestRate, wrk2);
  document.uncorrected_latency = result.uncorrectedLatency === null
    ? null
    : latencyJson(result.uncorrectedLatency, wrk2);
  document.rate = result.rate === null ? null : {
    planned_per_sec: result.rate.plannedPerSec,
    achieved_per_sec: requestsPerSec,
    batches: result.rate.batches,
    late_batches: result.rate.lateBatches,
    requests_sent: result.rate.requestsSent,
    requests_due: result.rate.requestsDue ?? null,
    errors_after_timeout: result.rate.errorsAfterTimeout ?? null,
  };
  document.unfinished_threads = [...result.unfinishedThreads];
  document.stopped_early = result.stoppedEarly ?? false;
  return document;
}

/**
 * A histogram's figures by the report's rule (reported_figures.ts: wrk's for a closed-loop run, wrk2's for
 * `-R`, the rule thresholds are evaluated by too); all null without samples.
 */
function distributionJson(stats: Stats, wrk2: boolean): DistributionJson {
  const hdr = encodeStats(stats);
  if (stats.count === 0) {
    return { count: 0, min: null, mean: null, stdev: null, max: null, within_stdev: null, hdr };
  }
  const figures = reportedFigures(stats, wrk2);
  return {
    count: stats.count,
    min: finite(wrk2 ? hdrMin(stats) : stats.min),
    mean: finite(figures.mean),
    stdev: finite(figures.stdev),
    max: finite(figures.max),
    within_stdev: finite(wrk2 ? hdrFigures(stats).withinStdev : stats.withinStdev()),
    hdr,
  };
}

function latencyJson(stats: Stats, wrk2: boolean): LatencyJson {
  const figures = reportedFigures(stats, wrk2);
  const percentiles = Object.fromEntries(
    PERCENTILES.map((key) => [key, finite(figures.percentile(Number(key)))]),
  );
  return { ...distributionJson(stats, wrk2), percentiles: percentiles as LatencyJson["percentiles"] };
}

/**
 * HdrHistogram's `hdr_min`, which wrk2 would give: the lowest value of the lowest non-empty bucket, as its
 * max is the lowest value of the highest (hdr_figures.ts). Called only with samples.
 */
function hdrMin(stats: Stats): number {
  const counts = stats.bucketCounts();
  let index = 0;
  while (index < counts.length && counts[index] === 0) index++;
  return lowestValueOf(index);
}

/** A verdict copied field by field, so that nothing else a caller attached leaks into the document. */
function verdictJson(verdict: ThresholdVerdict): ThresholdVerdict {
  const { expression, metric, op, limit, unit, actual, passed } = verdict;
  return { expression, metric, op, limit, unit, actual: actual === null ? null : finite(actual), passed };
}

/** JSON has no NaN or Infinity (JSON.stringify would write null anyway, silently): say null on purpose. */
function finite(n: number | null): number | null {
  return n !== null && Number.isFinite(n) ? n : null;
}
