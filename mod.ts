/**
 * wrk-deno as a library: the same engine as the `wrk-deno` command line (wrk's semantics, Lua scripts, Web
 * Worker threads), returning the run's figures instead of printing them.
 *
 * @example Benchmark a URL and read p99
 * ```ts ignore
 * import { parseArgs, run } from "./mod.ts";
 *
 * const result = await run(parseArgs(["-t2", "-c50", "-d5s", "http://127.0.0.1:8080/"]));
 * console.log(result.requests, result.latency.percentile(99));
 * ```
 *
 * @module
 */
export type { Config, Target } from "./lib/config/config.ts";
export { parseArgs } from "./lib/config/parse_args.ts";
export { HelpRequested, UsageError } from "./lib/config/errors.ts";
export { USAGE } from "./lib/config/usage.ts";
export { Run, run, type RunOptions } from "./lib/run.ts";
export { RunError } from "./lib/run_error.ts";
export type { ErrorCounts, RunResult } from "./lib/run_result.ts";
export { Stats } from "./lib/stats/stats.ts";
export { formatHeader, formatReport } from "./lib/report/text_report.ts";
export { type DemoServer, startDemoServer } from "./lib/demo_server.ts";
