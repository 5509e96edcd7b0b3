/**
 * wrk-deno as a library: the same engine as the `wrk-deno` command line (wrk's semantics, Lua scripts, Web
 * Worker threads), returning the run's figures instead of printing them.
 *
 * `parseArgs()` turns wrk's arguments into a {@linkcode Config}, `run()` runs it and resolves to a
 * {@linkcode RunResult} (counters plus {@linkcode Stats} for latency and request rate), and `formatReport()`
 * renders wrk's report from it. The caller needs `--allow-net` (the connections), `--allow-read` (the script
 * and `--cacert` files, and this library's modules, which every thread loads from disk when they are local
 * files) and, for a run with a Lua script, `--allow-env` (the Lua layer reads its variables). `run()` writes
 * no file: `--allow-write` only serves scripts that write and files the caller writes (`HdrLogWriter`).
 * `--allow-ffi` is optional (each thread's epoll loop; without it, Deno's sockets). The command line passes
 * all five; why each: docs/permissions.md.
 *
 * @example Benchmark a URL and read p99
 * ```ts
 * import { formatReport, parseArgs, run, startDemoServer } from "./mod.ts";
 *
 * const server = startDemoServer(); // stands in for the server under test
 * try {
 *   const result = await run(parseArgs(["-t2", "-c10", "-d300ms", server.url]));
 *   console.log(result.requests, result.latency.percentile(99));
 *   console.log(formatReport(result, { latency: true }));
 * } finally {
 *   await server.close();
 * }
 * ```
 *
 * @example A Lua script, as with `wrk -s`
 * ```ts
 * import { assertMatch } from "@std/assert";
 * import { parseArgs, run, startDemoServer } from "./mod.ts";
 *
 * const script = await Deno.makeTempFile({ suffix: ".lua" });
 * await Deno.writeTextFile(script, 'wrk.method = "POST"\nfunction done(s) print("done: " .. s.requests) end\n');
 * const server = startDemoServer();
 * const printed: string[] = [];
 * try {
 *   const write = (bytes: Uint8Array) => printed.push(new TextDecoder().decode(bytes));
 *   await run(parseArgs(["-t1", "-c2", "-d200ms", "-s", script, server.url]), { write });
 *   assertMatch(printed.join(""), /^done: \d+\n$/);
 * } finally {
 *   await server.close();
 *   await Deno.remove(script);
 * }
 * ```
 *
 * @module
 */
export type { Config, Shard, Target } from "./lib/config/config.ts";
export { parseArgs } from "./lib/config/parse_args.ts";
export { HelpRequested, UsageError } from "./lib/config/errors.ts";
export { USAGE } from "./lib/config/usage.ts";
export { Run, run, type RunOptions, type RunProgress } from "./lib/run.ts";
export { RunError } from "./lib/run_error.ts";
export type { RateOutcome, RunResult } from "./lib/run_result.ts";
export type { ErrorCounts, ErrorReason } from "./lib/stats/error_counts.ts";
export type { StatusCodes } from "./lib/stats/status_codes.ts";
export { Stats } from "./lib/stats/stats.ts";
export { formatHeader, formatReport } from "./lib/report/text_report.ts";
export { formatRateReport } from "./lib/report/rate_report.ts";
export { formatJsonResult, type JsonContext } from "./lib/report/json_result.ts";
export type { ThresholdVerdict } from "./lib/thresholds/verdict.ts";
export {
  evaluateThresholds,
  parseThreshold,
  type Threshold,
  THRESHOLDS_FAILED_EXIT_CODE,
} from "./lib/thresholds/threshold.ts";
export { formatThresholdReport } from "./lib/report/threshold_report.ts";
export { formatMarkdownSummary, type MarkdownContext } from "./lib/report/markdown_summary.ts";
export type { LatencyInterval } from "./lib/merge/interval_merge.ts";
export {
  formatHdrLogHeader,
  formatHdrLogInterval,
  LATENCY_TAG,
  UNCORRECTED_TAG,
} from "./lib/report/hdr_interval_log.ts";
export { HdrLogWriter } from "./lib/output/hdr_log_writer.ts";
export { type DemoServer, startDemoServer } from "./lib/demo_server.ts";
export { VERSION } from "./lib/version.ts";
export { testIdentity } from "./lib/config/test_identity.ts";
export { isWorkerScope } from "./lib/worker/worker_scope.ts";
export { type MergeOptions, mergeOptions } from "./lib/config/merge_options.ts";
export {
  parseShard,
  readShard,
  type ShardConfig,
  ShardInputError,
  ShardNotRunError,
  type ShardResult,
} from "./lib/merge/read_shards.ts";
export {
  mergedConfig,
  type MergedTest,
  mergeShards,
  missingShardsLine,
  shardList,
  ShardMerger,
} from "./lib/merge/merge_shards.ts";
export { type DoneScript, type DoneScriptOptions, loadDoneScript } from "./lib/merge/done_script.ts";
