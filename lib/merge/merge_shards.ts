/**
 * The merge of a test's shards (`wrk-deno merge`, docs/scale-out.md#merging-shards): the checked results of
 * the processes that each ran a part of one test (read_shards.ts) become one {@linkcode RunResult} for the
 * whole test, exactly as merge_reports.ts makes one of a run's threads: counters, error reasons and status
 * codes summed, histograms added bucket by bucket from each shard's `hdr` (never re-derived from
 * percentiles), the test's time from the first shard's start to the last shard's end, and with `-R` the
 * shards' planned rates and batches summed.
 *
 * Each shard's closed-loop latency already carries wrk's correction for its own connections (the shard's
 * process applied it, as merge_reports.ts does); the merge adds those histograms and does not correct again.
 *
 * Shards are added one at a time, so that a merge of many files holds one decoded shard at a time: the
 * merger checks as it goes that each belongs to the same test (shard count, protocol and test_id) and comes
 * once.
 *
 * @module
 */

import type { Config } from "../config/config.ts";
import type { MergeOptions } from "../config/merge_options.ts";
import { parseArgs } from "../config/parse_args.ts";
import { UsageError } from "../config/errors.ts";
import type { RunResult } from "../run_result.ts";
import { addErrors, addReasons, noErrors, sortedReasons } from "../stats/error_counts.ts";
import { Stats } from "../stats/stats.ts";
import { type ShardConfig, ShardInputError, type ShardNotRunError, type ShardResult } from "./read_shards.ts";
import { addStatusCodes, statusCodeEntries, type StatusCodes } from "../stats/status_codes.ts";

/** What the first shard added says of the whole test; every later shard must agree. */
interface TestSettings {
  path: string;
  testId: string;
  count: number;
  connections: number;
  rate: number | null;
  config: ShardConfig;
}

/** One merged shard's place: its index, its file and how many threads it ran. */
interface MergedShard {
  index: number;
  path: string;
  threads: number;
  connections: number;
  startEpochUs: number;
  endEpochUs: number;
  unfinishedThreads: number[];
  /** Ended before its `-d` by a signal. */
  stoppedEarly: boolean;
  /** The wrk-deno version that wrote it. */
  version: string;
}

/**
 * The merge of a test's shards: its figures as one run, and what the report and the result files need.
 *
 * @example Reading a merge
 * ```ts ignore
 * const merged = mergeShards(shards);
 * console.log(merged.mergedShards, merged.missingShards, merged.result.requests);
 * ```
 */
export interface MergedTest {
  /** The whole test's figures (of the shards merged). */
  result: RunResult;
  /** The test's identity, the shards' `test_id`. */
  testId: string;
  /** How many shards the test has. */
  shardCount: number;
  /** The indexes of the shards merged, ascending. */
  mergedShards: number[];
  /** The indexes of the test's shards that were not given, ascending (empty for a complete merge). */
  missingShards: number[];
  /** The test's settings, as the shards ran them (`config` of the lowest shard merged). */
  config: ShardConfig;
  /**
   * One line per merged shard whose threads did not all report in time: which shard and file, which threads
   * of the merged numbering. Empty when every thread reported.
   */
  unfinishedShards: string[];
  /**
   * One line per merged shard stopped before its `-d` (a signal: a pod evicted, a Ctrl-C): its figures cover
   * less time than the others'. Like `unfinishedShards`, the merge fails on them without `--allow-partial`.
   */
  stoppedShards: string[];
  /**
   * Lines for stderr about shards that had no moment in common (the last started after the first had
   * ended): files of different runs of the test, or shards run one after another. Empty normally.
   */
  warnings: string[];
}

/**
 * Adds shards one at a time and gives the merged test.
 *
 * @example Two halves of a test
 * ```ts ignore
 * const merger = new ShardMerger();
 * for (const path of ["s0.json", "s1.json"]) merger.add(await readShard(path));
 * const merged = merger.finish();
 * ```
 */
export class ShardMerger {
  #test: TestSettings | null = null;
  readonly #shards = new Map<number, MergedShard>();
  /** Shards that did not run, left out (`leaveOut`). */
  readonly #leftOut: ShardNotRunError[] = [];
  #requests = 0;
  #bytesRead = 0;
  readonly #errors = noErrors();
  readonly #reasons = new Map<string, number>();
  readonly #statusCodes: StatusCodes = {};
  readonly #latency = new Stats();
  readonly #uncorrectedLatency = new Stats();
  readonly #requestRate = new Stats();
  #plannedPerSec = 0;
  #batches = 0;
  #lateBatches = 0;
  /** Null once a shard from a version that did not count the requests sent is added. */
  #requestsSent: number | null = 0;
  /** Likewise, for the requests the shards' plans had due before their ends. */
  #requestsDue: number | null = 0;
  #errorsAfterTimeout: number | null = 0;
  #lowestConfig: { index: number; config: ShardConfig } | null = null;
  /** The protocol of the first shard whose document records it (`config.http2`, `config.streams`). */
  #protocol: { http2: boolean; streams: number | null } | null = null;

  /**
   * Adds one shard's figures.
   *
   * @throws {ShardInputError} naming the shard's file when it belongs to another test than the shards before
   * it (another shard count, protocol — `--http2`, `--streams` — or `test_id`), or when its index was already
   * added.
   */
  add(shard: ShardResult): void {
    const test = this.#test ??= {
      path: shard.path,
      testId: shard.testId,
      count: shard.shard.count,
      connections: shard.shard.connections,
      rate: shard.shard.rate,
      config: shard.config,
    };
    const fail = (problem: string) => new ShardInputError(`${shard.path}: ${problem}`, shard.path);
    if (shard.shard.count !== test.count) {
      throw fail(
        `shard ${shard.shard.index} of ${shard.shard.count}, but ${test.path} is of ${test.count}: not the same test`,
      );
    }
    // Before the test_id: the protocol is part of it, and this says which part differs. A document from before
    // the protocol was recorded cannot say: its test_id decides.
    const protocol = protocolOf(shard.config);
    const testProtocol = protocolOf(test.config);
    if (protocol !== null && testProtocol !== null && protocol !== testProtocol) {
      throw fail(
        `ran ${protocol}, but ${test.path} ran ${testProtocol}: not the same test ` +
          `(give every shard the same --http2 and --streams)`,
      );
    }
    if (shard.testId !== test.testId) {
      throw fail(
        `${testIdDifference(shard.testId, test)}: not the same test (${settingDifference(shard, test)})`,
      );
    }
    const again = this.#shards.get(shard.shard.index);
    if (again !== undefined) throw fail(`shard ${shard.shard.index} again (also in ${again.path})`);
    // Before anything is added: a refused shard leaves the sums as they were.
    if (
      !Number.isSafeInteger(this.#requests + shard.requests) ||
      !Number.isSafeInteger(this.#bytesRead + shard.bytesRead)
    ) {
      throw fail(
        "the shards' requests or bytes add up past 2^53 (9007199254740991), where counts are no longer exact: " +
          "not a real run's figures",
      );
    }

    this.#shards.set(shard.shard.index, {
      index: shard.shard.index,
      path: shard.path,
      threads: shard.config.threads,
      connections: shard.config.connections,
      startEpochUs: shard.startEpochUs,
      endEpochUs: shard.startEpochUs + shard.runtimeUs,
      unfinishedThreads: shard.unfinishedThreads,
      stoppedEarly: shard.stoppedEarly,
      version: shard.version,
    });
    if (this.#lowestConfig === null || shard.shard.index < this.#lowestConfig.index) {
      this.#lowestConfig = { index: shard.shard.index, config: shard.config };
    }
    if (this.#protocol === null && shard.config.http2 !== null) {
      this.#protocol = { http2: shard.config.http2, streams: shard.config.streams };
    }
    this.#requests += shard.requests;
    this.#bytesRead += shard.bytesRead;
    addErrors(this.#errors, shard.errors);
    addReasons(this.#reasons, shard.errorReasons);
    addStatusCodes(this.#statusCodes, shard.statusCodes);
    this.#latency.add(shard.latency);
    this.#requestRate.add(shard.requestRate);
    if (shard.uncorrectedLatency !== null) this.#uncorrectedLatency.add(shard.uncorrectedLatency);
    if (shard.rate !== null) {
      this.#plannedPerSec += shard.rate.plannedPerSec;
      this.#batches += shard.rate.batches;
      this.#lateBatches += shard.rate.lateBatches;
      const sent = shard.rate.requestsSent;
      this.#requestsSent = this.#requestsSent === null || sent === null ? null : this.#requestsSent + sent;
      // Each shard's own plan within its own time: the test's time also spans the shards' start skew.
      const due = shard.rate.requestsDue ?? null;
      this.#requestsDue = this.#requestsDue === null || due === null ? null : this.#requestsDue + due;
      const late = shard.rate.errorsAfterTimeout ?? null;
      this.#errorsAfterTimeout = this.#errorsAfterTimeout === null || late === null
        ? null
        : this.#errorsAfterTimeout + late;
    }
  }

  /**
   * Leaves out a shard that did not run (`merge --allow-partial`): it counts as missing, and must be of the
   * same test as the others (checked by `finish`, once a shard that ran has said what the test is).
   */
  leaveOut(notRun: ShardNotRunError): void {
    this.#leftOut.push(notRun);
  }

  /**
   * The merged test. Threads are numbered over the test, shard by shard in index order (shard 0's threads
   * first), so an unfinished thread 2 of shard 1 after a shard 0 of 4 threads is thread 6.
   *
   * @throws {ShardInputError} when no shard was added (every one given was left out, or none was given), or a
   * shard left out was of another test.
   */
  finish(): MergedTest {
    const test = this.#test;
    if (test === null || this.#lowestConfig === null) {
      throw new ShardInputError(
        this.#leftOut.length > 0
          ? "no shard ran: each was left out (above), and there is nothing to merge"
          : "no shard to merge",
        null,
      );
    }
    const leftOutAt = new Map<number, string | null>();
    for (const notRun of this.#leftOut) {
      const fail = (problem: string) => new ShardInputError(`${notRun.path}: ${problem}`, notRun.path);
      const other = notRun.count !== null && notRun.count !== test.count
        ? `of ${notRun.count} shards, but ${test.path} is of ${test.count}`
        : notRun.testId !== null && notRun.testId !== test.testId
        ? `its ${testIdDifference(notRun.testId, test)}`
        : null;
      if (other !== null) {
        throw fail(`shard ${notRun.index} did not run, and is not of the same test (${other})`);
      }
      // The same index as a shard merged, or as another left out: one of the files is not what it says.
      const merged = this.#shards.get(notRun.index);
      const again = merged !== undefined ? merged.path : leftOutAt.get(notRun.index);
      if (again !== undefined) {
        throw fail(`shard ${notRun.index} again (also in ${again ?? "standard input"})`);
      }
      leftOutAt.set(notRun.index, notRun.path);
    }
    const shards = [...this.#shards.values()].sort((a, b) => a.index - b.index);
    const mergedShards = shards.map((shard) => shard.index);
    const missingShards: number[] = [];
    for (let index = 0; index < test.count; index++) if (!this.#shards.has(index)) missingShards.push(index);

    const config = { ...this.#lowestConfig.config, ...this.#protocol };
    const apart = oneRunWarnings(shards);
    const warnings = [
      ...apart,
      ...(apart.length > 0 ? [] : skewWarnings(shards, config.durationMs)),
      ...versionWarnings(shards),
    ];
    const startEpochUs = Math.min(...shards.map((shard) => shard.startEpochUs));
    const endEpochUs = Math.max(...shards.map((shard) => shard.endEpochUs));
    const unfinishedThreads: number[] = [];
    const unfinishedShards: string[] = [];
    const stoppedShards = stoppedShardLines(shards);
    let threads = 0;
    let connections = 0;
    for (const shard of shards) {
      const numbered = shard.unfinishedThreads.map((thread) => threads + thread);
      if (numbered.length > 0) {
        unfinishedThreads.push(...numbered);
        unfinishedShards.push(
          `${shard.path}: shard ${shard.index}'s thread${numbered.length > 1 ? "s" : ""} ${
            shard.unfinishedThreads.join(", ")
          } (${numbered.join(", ")} of the test) did not finish in time; ${
            numbered.length > 1 ? "their figures are" : "its figures are"
          } missing`,
        );
      }
      threads += shard.threads;
      connections += shard.connections;
    }
    // A complete merge ran the test's -c (the shards' parts add up to it); a partial one the parts merged.
    if (missingShards.length === 0) connections = test.connections;
    const rateMode = test.rate !== null;
    const result: RunResult = {
      url: config.url,
      threads,
      connections,
      durationMs: config.durationMs,
      runtimeUs: Math.round(endEpochUs - startEpochUs),
      requests: this.#requests,
      bytesRead: this.#bytesRead,
      errors: { ...this.#errors },
      errorReasons: sortedReasons(this.#reasons),
      statusCodes: Object.fromEntries(statusCodeEntries(this.#statusCodes)),
      startedAt: new Date(startEpochUs / 1000).toISOString(),
      latency: this.#latency,
      uncorrectedLatency: rateMode ? this.#uncorrectedLatency : null,
      requestRate: this.#requestRate,
      rate: rateMode
        ? {
          plannedPerSec: missingShards.length === 0 ? test.rate! : rounded(this.#plannedPerSec),
          batches: this.#batches,
          lateBatches: this.#lateBatches,
          requestsSent: this.#requestsSent,
          requestsDue: this.#requestsDue,
          errorsAfterTimeout: this.#errorsAfterTimeout,
        }
        : null,
      unfinishedThreads,
      stoppedEarly: stoppedShards.length > 0,
    };
    return {
      result,
      testId: test.testId,
      shardCount: test.count,
      mergedShards,
      missingShards,
      config,
      unfinishedShards,
      stoppedShards,
      warnings,
    };
  }
}

/**
 * Merges shards that are all at hand (see {@linkcode ShardMerger} to add them one at a time).
 *
 * @throws {ShardInputError} when the shards are not of one test, one comes twice, or there are none.
 *
 * @example Merging shards read from their files
 * ```ts ignore
 * import { readShard } from "./read_shards.ts";
 * import { mergeShards } from "./merge_shards.ts";
 *
 * const merged = mergeShards(await Promise.all(["s0.json", "s1.json"].map(readShard)));
 * console.log(merged.result.requests, merged.result.latency.percentile(99));
 * ```
 *
 * @example The whole way: two shards run, their results written and read back, merged and reported
 * ```ts
 * import { parseArgs } from "../config/parse_args.ts";
 * import { testIdentity } from "../config/test_identity.ts";
 * import { startDemoServer } from "../demo_server.ts";
 * import { formatJsonResult } from "../report/json_result.ts";
 * import { formatReport } from "../report/text_report.ts";
 * import { run } from "../run.ts";
 * import { VERSION } from "../version.ts";
 * import { mergeShards } from "./merge_shards.ts";
 * import { parseShard } from "./read_shards.ts";
 *
 * const server = startDemoServer();
 * try {
 *   const shards = [];
 *   for (const index of [0, 1]) {
 *     const command = ["-t1", "-c2", "-d300ms", "--shard-index", `${index}`, "--shard-count", "2", server.url];
 *     const config = parseArgs(command);
 *     const result = await run(config);
 *     const testId = await testIdentity(config, null);
 *     // What `--json` writes on each machine, and `wrk-deno merge` reads.
 *     const json = formatJsonResult(result, { config, command, version: VERSION, testId, thresholds: null, error: null });
 *     shards.push(parseShard(`shard-${index}.json`, json));
 *   }
 *   const merged = mergeShards(shards);
 *   console.log(merged.mergedShards, merged.result.connections); // [ 0, 1 ] 4
 *   // Run one after the other here, the shards have no moment in common: the merge says so.
 *   console.log(merged.warnings.length); // 1
 *   console.log(formatReport(merged.result, { latency: false }).includes(" requests in ")); // true
 * } finally {
 *   await server.close();
 * }
 * ```
 */
export function mergeShards(shards: Iterable<ShardResult>): MergedTest {
  const merger = new ShardMerger();
  for (const shard of shards) merger.add(shard);
  return merger.finish();
}

/**
 * The line that names the shards a merge lacks: `shard 2 of 4 is missing`, `shards 1, 3 of 4 are missing`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { missingShardsLine } from "./merge_shards.ts";
 *
 * assertEquals(missingShardsLine([2], 4), "shard 2 of 4 is missing");
 * assertEquals(missingShardsLine([1, 3], 4), "shards 1, 3 of 4 are missing");
 * assertEquals(missingShardsLine([0, 1, 2, 3, 5, 6, 9], 10), "shards 0-3, 5, 6, 9 of 10 are missing");
 * ```
 */
export function missingShardsLine(missing: readonly number[], count: number): string {
  if (missing.length === 1) return `shard ${missing[0]} of ${count} is missing`;
  return `shards ${shardList(missing)} of ${count} are missing`;
}

/**
 * Shard indexes (ascending) as a line says them: consecutive ones as a range, `0-3, 5, 6, 9`, not a thousand
 * numbers for a thousand shards.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { shardList } from "./merge_shards.ts";
 *
 * assertEquals(shardList([0, 1, 2, 3, 5, 6, 9]), "0-3, 5, 6, 9");
 * ```
 */
export function shardList(indexes: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < indexes.length;) {
    let j = i;
    while (j + 1 < indexes.length && indexes[j + 1] === indexes[j] + 1) j++;
    parts.push(j - i >= 2 ? `${indexes[i]}-${indexes[j]}` : indexes.slice(i, j + 1).join(", "));
    i = j + 1;
  }
  return parts.join(", ");
}

/**
 * The configuration of the merged test, for the report's header, the JSON result and the Markdown summary:
 * the shards' settings with the test's totals (`-c`, `-R`, the shards' threads summed) and no shard, and the
 * merge's own report and output options.
 *
 * @throws {ShardInputError} when the shards' URL is not one a run accepts.
 *
 * @example
 * ```ts ignore
 * const config = mergedConfig(merged, options);
 * console.log(config.connections, config.shard); // the test's -c, null
 * ```
 */
export function mergedConfig(merged: MergedTest, options: MergeOptions): Config {
  const { config, result } = merged;
  let base: Config;
  try {
    base = parseArgs([config.url]);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw new ShardInputError(`the shards' config.url: ${error.message}`, null, { cause: error });
  }
  return {
    ...base,
    connections: result.connections,
    threads: result.threads,
    durationMs: config.durationMs,
    timeoutMs: config.timeoutMs,
    headers: config.headers.map(([name, value]) => [name, value]),
    scriptPath: config.script,
    scriptArgs: [...config.scriptArgs],
    latency: options.latency,
    rate: result.rate === null ? null : result.rate.plannedPerSec,
    uncorrectedLatency: options.uncorrectedLatency,
    batchLatency: config.batchLatency,
    // Shards whose documents do not record the protocol (written before it was) are taken for HTTP/1.1.
    http2: config.http2 ?? false,
    streams: config.streams ?? 1,
    jsonPath: options.jsonPath,
    summaryPath: options.summaryPath,
    thresholds: options.thresholds,
    progress: false,
    shard: null,
  };
}

/**
 * How a shard spoke to the server, as its command line said it: `HTTP/1.1`, or `HTTP/2 with --streams 4`;
 * null when its document does not say. Shards of one test must say the same.
 */
function protocolOf(config: ShardConfig): string | null {
  if (config.http2 === null) return null;
  return config.http2 ? `HTTP/2 with --streams ${config.streams}` : "HTTP/1.1";
}

/**
 * A warning when the shards have no moment in common: the last to start began after the first to end had
 * ended. Shards of one run overlap (they start together with `--start-at`, or within a start-up's time
 * without it); files left from another run of the same test (whose identity is the same) do not, nor do
 * shards run one after another. The merge goes on (the figures are still each shard's), but the test's time
 * then spans the gap, and its rates are low.
 */
function oneRunWarnings(shards: readonly MergedShard[]): string[] {
  const last = shards.reduce((a, b) => b.startEpochUs > a.startEpochUs ? b : a);
  const first = shards.reduce((a, b) => b.endEpochUs < a.endEpochUs ? b : a);
  if (last === first || last.startEpochUs < first.endEpochUs) return [];
  const time = (epochUs: number) => new Date(epochUs / 1000).toISOString();
  return [
    `${last.path}: shard ${last.index} started at ${time(last.startEpochUs)}, after shard ${first.index} ` +
    `(${first.path}) had ended at ${time(first.endEpochUs)}: not one run? The test's time spans the gap ` +
    `(start shards together with --start-at)`,
  ];
}

/** `test_id 4f1c4f1c4f1c… differs from shard-0.json's 9a079a079a07…`: a shard's identity against the test's. */
function testIdDifference(testId: string, test: TestSettings): string {
  return `test_id ${testId.slice(0, 12)}… differs from ${test.path}'s ${test.testId.slice(0, 12)}…`;
}

/**
 * Which of the settings the test's identity is made of (lib/config/test_identity.ts) differs between `shard`
 * and the test's first shard, as the files record them: the first that does, or the script's content and the
 * rest when none of those recorded does.
 */
function settingDifference(shard: ShardResult, test: TestSettings): string {
  const ours = shard.config;
  const theirs = test.config;
  const text = (value: unknown) => JSON.stringify(value);
  const settings: [string, unknown, unknown][] = [
    ["the URL", ours.url, theirs.url],
    ["-c", shard.shard.connections, test.connections],
    ["-R", shard.shard.rate, test.rate],
    ["-d (ms)", ours.durationMs, theirs.durationMs],
    ["--timeout (ms)", ours.timeoutMs, theirs.timeoutMs],
    ["the -H headers", ours.headers, theirs.headers],
    // -s by the presence of a script only: the identity holds its content, not its path.
    ["-s", ours.script !== null, theirs.script !== null],
    ["the script's arguments", ours.scriptArgs, theirs.scriptArgs],
    ["-B", ours.batchLatency, theirs.batchLatency],
  ];
  for (const [name, value, other] of settings) {
    if (text(value) !== text(other)) return `${name}: ${text(value)}, but ${text(other)} there`;
  }
  return ours.script !== null
    ? "the script's content differs (the same -s everywhere?), or a setting of a version that recorded it differently"
    : "a setting of a version that recorded it differently";
}

/** One line per shard stopped before its `-d` (a pod evicted, a Ctrl-C): its figures cover less time. */
function stoppedShardLines(shards: readonly MergedShard[]): string[] {
  return shards.filter((shard) => shard.stoppedEarly).map((shard) =>
    `${shard.path}: shard ${shard.index} was stopped before its -d (a signal, or its caller): its figures cover ` +
    "less time"
  );
}

/**
 * The share of `-d` by which the shards' starts may differ before the merge says so: the test's time spans from
 * the first start to the last end, so its rates read that much lower than the load the server had.
 */
const START_SKEW_SHARE = 0.05;

/** One line when the shards overlap but started far apart (no common `--start-at`). */
function skewWarnings(shards: readonly MergedShard[], durationMs: number): string[] {
  const first = shards.reduce((a, b) => b.startEpochUs < a.startEpochUs ? b : a);
  const last = shards.reduce((a, b) => b.startEpochUs > a.startEpochUs ? b : a);
  const skewMs = (last.startEpochUs - first.startEpochUs) / 1000;
  if (!(skewMs > durationMs * START_SKEW_SHARE)) return [];
  return [
    `shard ${last.index} (${last.path}) started ${(skewMs / 1000).toFixed(2)}s after shard ${first.index} ` +
    `(${first.path}), ${
      Math.round((skewMs / durationMs) * 100)
    }% of -d: the test's time spans the skew and its ` +
    `rates read lower than the load was (start shards together with --start-at)`,
  ];
}

/**
 * One line when the shards were written by different wrk-deno versions: how a version measures can change (the
 * timers' slack under `-R`, say), so such figures may not add up to one run's.
 */
function versionWarnings(shards: readonly MergedShard[]): string[] {
  const byVersion = new Map<string, MergedShard[]>();
  for (const shard of shards) {
    const written = byVersion.get(shard.version);
    if (written === undefined) byVersion.set(shard.version, [shard]);
    else written.push(shard);
  }
  if (byVersion.size < 2) return [];
  const parts = [...byVersion].map(([version, written]) =>
    `wrk-deno ${version} wrote shard${written.length > 1 ? "s" : ""} ${
      written.map((s) => s.index).join(", ")
    }`
  );
  return [`shards written by different versions (${parts.join("; ")}): their figures may not be comparable`];
}

/** A sum of shares of a rate, without the binary-fraction noise of adding them (`299.99999999999994`). */
function rounded(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
