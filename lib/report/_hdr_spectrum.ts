/**
 * HdrHistogram's "classic" percentile spectrum as wrk2 prints it (`hdr_percentiles_print` in giltene/wrk2's
 * src/hdr_histogram.c, format `CLASSIC`), from a {@linkcode Stats}. Private to `lib/report/`.
 *
 * @module
 */

import { hdrFigures, hdrPercentileSteps, type PercentileStep } from "../stats/hdr_figures.ts";
import type { Stats } from "../stats/stats.ts";
import { integer } from "./_lines.ts";
import { formatFixed, padLeft } from "./_printf.ts";

/** How the spectrum is stepped and scaled: `hdr_percentiles_print`'s `ticks_per_half_distance` and `value_scale`. */
export interface SpectrumOptions {
  /** Lines per halving of the distance to 100 % (wrk2's `print_hdr_latency` passes 5). */
  ticksPerHalfDistance: number;
  /** Divisor applied to every value (wrk2 passes 1000: µs printed as ms). */
  valueScale: number;
}

/** wrk2's `MAX_LATENCY`, the highest value its latency histograms track: one day in µs. */
const MAX_LATENCY_US = 24 * 60 * 60 * 1_000_000;

/** Significant digits of every wrk2 histogram (`hdr_init(1, MAX_LATENCY, 3, …)`), and of ours (recorder.ts). */
const SIGNIFICANT_FIGURES = 3;

/**
 * The `bucket_count` and `sub_bucket_count` that `hdr_init` derives for lowest value 1: sub-buckets enough to
 * count every integer up to 2 × 10^digits one by one (rounded up to a power of two), and one bucket more for
 * each doubling of the sub-bucket mask it takes to reach the highest value. The footer prints these two
 * configuration constants, not anything of the samples.
 */
function hdrInitCounts(highest: number, significantFigures: number): { buckets: number; subBuckets: number } {
  const singleUnitResolution = 2 * 10 ** significantFigures;
  const subBucketCountMagnitude = Math.ceil(Math.log(singleUnitResolution) / Math.log(2));
  const subBuckets = 2 ** subBucketCountMagnitude;
  let trackable = subBuckets - 1;
  let buckets = 1;
  while (trackable < highest) {
    trackable *= 2;
    buckets++;
  }
  return { buckets, subBuckets };
}

const LAYOUT = hdrInitCounts(MAX_LATENCY_US, SIGNIFICANT_FIGURES);

/**
 * The lines `hdr_percentiles_print` writes for wrk2's latency histograms (without their newlines): the column
 * heads and a blank line (`%12s %12s %12s %12s`), one line per percentile step (`%12.3f %12f %12d %12.2f`:
 * value ÷ scale, percentile as a fraction, cumulative count, 1 / (1 − fraction), `inf` on the last line), and
 * the footer with `hdr_mean`, `hdr_stddev` and `hdr_max` ÷ scale, the count, and the histogram's bucket and
 * sub-bucket counts. Without samples, wrk2's mean and deviation are 0 / 0 and print as `-nan`.
 *
 * @example One sample of 1.5 ms
 * ```ts
 * import { formatPercentileSpectrum } from "./_hdr_spectrum.ts";
 * import { Stats } from "../stats/stats.ts";
 * import { assertEquals } from "@std/assert";
 * const stats = new Stats();
 * stats.record(1500);
 * assertEquals(formatPercentileSpectrum(stats, { ticksPerHalfDistance: 5, valueScale: 1000 }), [
 *   "       Value   Percentile   TotalCount 1/(1-Percentile)",
 *   "",
 *   "       1.500     0.000000            1         1.00",
 *   "       1.500     1.000000            1          inf",
 *   "#[Mean    =        1.500, StdDeviation   =        0.000]",
 *   "#[Max     =        1.500, Total count    =            1]",
 *   "#[Buckets =           27, SubBuckets     =         2048]",
 * ]);
 * ```
 */
export function formatPercentileSpectrum(stats: Stats, options: SpectrumOptions): string[] {
  const { valueScale } = options;
  const lines = [
    ["Value", "Percentile", "TotalCount", "1/(1-Percentile)"].map((head) => padLeft(head, 12)).join(" "),
    "",
  ];
  for (const step of hdrPercentileSteps(stats, options.ticksPerHalfDistance)) {
    lines.push(stepLine(step, valueScale));
  }
  const figures = hdrFigures(stats);
  const field = (value: number) => padLeft(formatFixed(value, 3), 12);
  lines.push(
    `#[Mean    = ${field(figures.mean / valueScale)}, StdDeviation   = ${field(figures.stdev / valueScale)}]`,
  );
  lines.push(
    `#[Max     = ${field(figures.max / valueScale)}, Total count    = ${
      padLeft(integer(figures.count), 12)
    }]`,
  );
  lines.push(
    `#[Buckets = ${padLeft(String(LAYOUT.buckets), 12)}, SubBuckets     = ${
      padLeft(String(LAYOUT.subBuckets), 12)
    }]`,
  );
  return lines;
}

/** One `%12.3f %12f %12d %12.2f` line; the fraction and its inverse are computed as wrk2 computes them. */
function stepLine(step: PercentileStep, valueScale: number): string {
  const fraction = step.percentile / 100;
  return [
    formatFixed(step.value / valueScale, 3),
    formatFixed(fraction, 6),
    integer(step.totalCount),
    formatFixed(1 / (1 - fraction), 2),
  ].map((text) => padLeft(text, 12)).join(" ");
}
