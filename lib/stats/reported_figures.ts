/**
 * Which figures of a latency histogram a run reports: wrk's (`Stats`) for a closed-loop run, wrk2's
 * (hdr_figures.ts) for a `-R` run, as the text reports print them. Thresholds and the Markdown summary read
 * their figures here, so a threshold's actual value and the summary agree with the printed report.
 *
 * @module
 */

import { hdrFigures, hdrValueAtPercentile } from "./hdr_figures.ts";
import type { Stats } from "./stats.ts";

/** The latency figures a report prints, by the rule of the report it belongs to. */
export interface ReportedFigures {
  /** Number of samples; every other figure is null without samples. */
  count: number;
  /** Mean in the samples' unit; null without samples. */
  mean: number | null;
  /** Standard deviation (wrk's divides by N − 1, wrk2's by N); null without samples. */
  stdev: number | null;
  /** The report's `Max` column; null without samples. */
  max: number | null;
  /** The value at percentile `p` (0 < p ≤ 100) as the report prints it; null without samples. */
  percentile(p: number): number | null;
}

/**
 * The figures of `stats` by the report's rule: wrk's `Stats` figures (rank-based percentiles,
 * median-equivalent values) when `rateMode` is false, wrk2's (`hdrFigures`, `hdrValueAtPercentile`) for a
 * `-R` run.
 *
 * @example The same samples in both modes
 * ```ts
 * import { reportedFigures } from "./reported_figures.ts";
 * import { Stats } from "./stats.ts";
 * import { assertEquals } from "@std/assert";
 * const stats = new Stats();
 * for (const us of [1, 2, 3]) stats.record(us);
 * assertEquals(reportedFigures(stats, false).stdev, 1); // wrk divides by N − 1
 * assertEquals(reportedFigures(stats, true).stdev, Math.sqrt(2 / 3)); // wrk2 by N
 * assertEquals(reportedFigures(new Stats(), false).percentile(99), null);
 * ```
 */
export function reportedFigures(stats: Stats, rateMode: boolean): ReportedFigures {
  const count = stats.count;
  if (count === 0) {
    return { count, mean: null, stdev: null, max: null, percentile: () => null };
  }
  if (rateMode) {
    const figures = hdrFigures(stats);
    return {
      count,
      mean: figures.mean,
      stdev: figures.stdev,
      max: figures.max,
      percentile: (p) => hdrValueAtPercentile(stats, p),
    };
  }
  return {
    count,
    mean: stats.mean,
    stdev: stats.stdev,
    max: stats.max,
    percentile: (p) => stats.percentile(p),
  };
}
