/**
 * The options of `wrk-deno merge`: one table (`MERGE_OPTION_SPECS`, the same shape as the run's
 * `OPTION_SPECS` in options.ts, so that the command tree declares them and completions know them) and the
 * parsed form the command line hands to the merge (`MergeOptions`). The merge reads the `--json` results of a
 * test's shards (docs/scale-out.md#merging-shards).
 *
 * @module
 */

import type { Threshold } from "../thresholds/threshold.ts";
import { parseThreshold } from "../thresholds/threshold.ts";
import { standardStream, summaryBesideJson, summaryPathOf } from "./standard_streams.ts";
import { UsageError } from "./errors.ts";
import { OPTION_SPECS, type OptionSpec } from "./options.ts";

/**
 * The merge's options, in the order of its help text. The report's flags keep the run's names (`--latency`,
 * `-U`), and so do the outputs (`--json`, `--summary`, `--threshold`).
 *
 * @example The options that name a file
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { MERGE_OPTION_SPECS } from "./merge_options.ts";
 *
 * assertEquals(MERGE_OPTION_SPECS.filter((o) => o.value === "file").map((o) => o.name), ["json", "summary", "script"]);
 * ```
 */
export const MERGE_OPTION_SPECS: readonly OptionSpec[] = [
  runOption("latency"),
  runOption("u_latency"),
  runOption("json", "Write the merged result as JSON to this file (- for stdout)"),
  runOption("summary"),
  runOption("threshold"),
  runOption("script", "Run this Lua script's done() on the merged figures"),
  { name: "allow-partial", description: "Merge the shards given even when some are missing" },
];

/** The run's option `name` (options.ts), with another description where the merge does something else with it. */
function runOption(name: string, description?: string): OptionSpec {
  const spec = OPTION_SPECS.find((option) => option.name === name);
  if (spec === undefined) throw new Error(`no run option ${name}`);
  return description === undefined ? spec : { ...spec, description };
}

/**
 * What `wrk-deno merge` was asked to do.
 *
 * @example Options as the command tree builds them
 * ```ts
 * import { mergeOptions, type MergeOptions } from "./merge_options.ts";
 *
 * const options: MergeOptions = mergeOptions({ latency: true }, ["s0.json", "s1.json"], ["merge", "--latency", "s0.json", "s1.json"]);
 * console.log(options.shardPaths, options.latency); // [ "s0.json", "s1.json" ] true
 * ```
 */
export interface MergeOptions {
  /** The shards' `--json` result files, in the order given (the merge sorts them by shard index). */
  shardPaths: string[];
  /** `--latency`: print the latency distribution (implied by `-U`, as for a run). */
  latency: boolean;
  /** `-U/--u_latency`: with a `-R` test, also print the latency from each write. */
  uncorrectedLatency: boolean;
  /** `--json FILE`: where the merged result goes (`-`: stdout, the report then on stderr); null: none. */
  jsonPath: string | null;
  /** `--summary FILE`: a Markdown summary appended there; null: none. */
  summaryPath: string | null;
  /** `--threshold EXPR` (repeatable), checked against the merged figures; any failure exits 99. */
  thresholds: Threshold[];
  /** `-s FILE`: a Lua script whose `done(summary, latency, requests)` gets the merged figures; null: none. */
  scriptPath: string | null;
  /** `--allow-partial`: a missing shard (or a shard's unfinished thread) is a warning, not a failure. */
  allowPartial: boolean;
  /** The arguments as given, `merge` first (the JSON result's `command`, the summary's command line). */
  command: string[];
}

/**
 * Builds {@linkcode MergeOptions} from the values the command tree parsed (keyed by option name as cliffy
 * gives them: `u_latency`, `allowPartial`), the shard files and the raw arguments.
 *
 * @throws {UsageError} (without the usage text) for a `--threshold` that cannot be read.
 */
export function mergeOptions(
  values: Record<string, unknown>,
  shardPaths: string[],
  command: string[],
): MergeOptions {
  const text = (name: string) => typeof values[name] === "string" ? values[name] as string : null;
  const uncorrectedLatency = values.u_latency === true;
  const thresholds = Array.isArray(values.threshold) ? values.threshold as string[] : [];
  const jsonPath = standardStream(text("json") ?? null) === "stdout" ? "-" : text("json");
  const summaryPath = summaryPathOf(text("summary"));
  const summaryProblem = summaryBesideJson(jsonPath, summaryPath, "--summary");
  if (summaryProblem !== null) throw new UsageError(summaryProblem);
  return {
    shardPaths: [...shardPaths],
    latency: values.latency === true || uncorrectedLatency,
    uncorrectedLatency,
    jsonPath,
    summaryPath,
    thresholds: thresholds.map(parseThreshold),
    scriptPath: text("script"),
    allowPartial: values.allowPartial === true,
    command: [...command],
  };
}
