/**
 * HdrHistogram's interval log (format version 1.3), the text `--hdr-log` writes: pure formatting of the header
 * and of one line per interval and tag, which HdrHistogram's `HistogramLogProcessor` (Java) and hdr-histogram-js's
 * `HistogramLogReader` read. The lines follow Java's `HistogramLogWriter`, field by field; hdr-histogram-js's
 * own writer is not used because its `outputStartTime` ends the line twice (an empty line after it) and its
 * `Interval_Max` is the lowest value of the top bucket where Java's is the highest.
 *
 * Units (docs/scale-out.md#latency-over-time---hdr-log): the histograms hold microseconds, as every latency in
 * this project; `Interval_Max` is in milliseconds (µs ÷ 1000), the unit HdrHistogram's writers give it
 * (Java's divides nanoseconds by 10⁶, hdr-histogram-js's divides by 1000 by default). Readers ignore it and
 * decode the histogram; Java's `HistogramLogProcessor` then wants `-outputValueUnitRatio 1000` to print
 * milliseconds (its default, 10⁶, assumes nanoseconds).
 *
 * Loads the HdrHistogram codec (npm hdr-histogram-js, lib/stats/hdr_codec.ts): import it dynamically.
 *
 * @module
 */
import type { LatencyInterval } from "../merge/interval_merge.ts";
import { encodeStats } from "../stats/hdr_codec.ts";
import { hdrValueAtPercentile } from "../stats/hdr_figures.ts";
import type { Stats } from "../stats/stats.ts";

/** The tag of the latency lines: closed loop, as measured; with `-R`, from the planned time (wrk2's "Recorded"). */
export const LATENCY_TAG = "latency";
/** The tag of `-R`'s second line per interval: latency from each actual write (wrk2's "Uncorrected"). */
export const UNCORRECTED_TAG = "uncorrected";

/** `Interval_Max` = the histogram's max ÷ this: µs to ms. */
const MAX_VALUE_UNIT_RATIO = 1000;

/**
 * The log's header: format version, start time, base time (the same: timestamps are seconds since the run's
 * start) and the legend, one line each, preceded by `#[Logged with …]` when `loggedWith` is given.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { formatHdrLogHeader } from "./hdr_interval_log.ts";
 *
 * assertEquals(
 *   formatHdrLogHeader(1_700_000_000_123.6).split("\n").slice(0, 3),
 *   [
 *     "#[Histogram log format version 1.3]",
 *     "#[StartTime: 1700000000.123 (seconds since epoch), 2023-11-14T22:13:20.123Z]",
 *     "#[BaseTime: 1700000000.123 (seconds since epoch)]",
 *   ],
 * );
 * ```
 */
export function formatHdrLogHeader(startedAtEpochMs: number, loggedWith?: string): string {
  // Whole milliseconds, truncated as `Date` truncates them: the same instant as the JSON result's `start`.
  const epochMs = Math.trunc(startedAtEpochMs);
  const seconds = (epochMs / 1000).toFixed(3);
  return [
    ...(loggedWith === undefined ? [] : [`#[Logged with ${loggedWith}]`]),
    "#[Histogram log format version 1.3]",
    `#[StartTime: ${seconds} (seconds since epoch), ${new Date(epochMs).toISOString()}]`,
    `#[BaseTime: ${seconds} (seconds since epoch)]`,
    `"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"`,
  ].map((line) => line + "\n").join("");
}

/**
 * The interval's lines: `Tag=latency,…`, and with `-R` also `Tag=uncorrected,…` for the same time span. Each is
 * `Tag=<tag>,<start s>,<length s>,<max ms>,<compressed base64 histogram>`; start and end are rounded to the
 * millisecond and the length is their difference, so that consecutive lines meet exactly.
 *
 * @example One interval of the closed loop
 * ```ts
 * import { assertMatch } from "@std/assert";
 * import { formatHdrLogInterval } from "./hdr_interval_log.ts";
 * import { Stats } from "../stats/stats.ts";
 *
 * const latency = new Stats();
 * latency.record(250);
 * latency.record(1_500);
 * const line = formatHdrLogInterval({ index: 1, startMs: 1000.4, lengthMs: 999.9, latency, uncorrectedLatency: null });
 * assertMatch(line, /^Tag=latency,1\.000,1\.000,1\.500,HISTF[A-Za-z0-9+/=]+\n$/);
 * ```
 */
export function formatHdrLogInterval(interval: LatencyInterval): string {
  const startMs = Math.round(interval.startMs);
  const endMs = Math.max(startMs, Math.round(interval.startMs + interval.lengthMs));
  const span = `${(startMs / 1000).toFixed(3)},${((endMs - startMs) / 1000).toFixed(3)}`;
  let lines = intervalLine(LATENCY_TAG, span, interval.latency);
  if (interval.uncorrectedLatency !== null) {
    lines += intervalLine(UNCORRECTED_TAG, span, interval.uncorrectedLatency);
  }
  return lines;
}

function intervalLine(tag: string, span: string, stats: Stats): string {
  return `Tag=${tag},${span},${(hdrValueAtPercentile(stats, 100) / MAX_VALUE_UNIT_RATIO).toFixed(3)},${
    encodeStats(stats)
  }\n`;
}
