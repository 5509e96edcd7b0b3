/**
 * The figures wrk2 reads off an HdrHistogram (giltene/wrk2, src/hdr_histogram.c and the histogram branch of
 * src/stats.c), computed the same way over a {@linkcode Stats}' bucket counts: the report of a `-R` run prints
 * them (docs/wrk-compat.md). They differ from `Stats`' own figures, which follow wrk: wrk2's standard deviation
 * divides by N, its maximum is the lowest value of the highest bucket, its percentiles the highest value of a
 * bucket, and its `+/- Stdev` counts whole buckets.
 *
 * `Stats` keeps HdrHistogram's layout for lowest value 1 and 3 significant digits (recorder.ts), which is the
 * layout of wrk2's `hdr_init(1, MAX_LATENCY, 3, …)`, so a bucket index here is wrk2's `counts_index` and every
 * walk below visits the buckets wrk2's `hdr_iter` visits, in the same order, with the same arithmetic.
 *
 * @module
 */

import { bucketWidthOf, lowestValueOf, medianValueOf } from "./recorder.ts";
import type { Stats } from "./stats.ts";

/** The figures of wrk2's `print_stats` for a histogram-backed stats object. */
export interface HdrFigures {
  /** Number of samples (`total_count`). */
  count: number;
  /** `hdr_mean`: the mean of the buckets' median-equivalent values; NaN without samples (wrk2 divides 0 by 0). */
  mean: number;
  /** `hdr_stddev`: the population standard deviation (divided by N) around `mean`; NaN without samples. */
  stdev: number;
  /** `hdr_max`: the lowest-equivalent value of the highest non-empty bucket; 0 without samples. */
  max: number;
  /** `hdr_min`: the lowest value of the lowest non-empty bucket; 0 without samples. */
  min: number;
  /**
   * `stats_within_stdev` over the histogram: the percentage of samples in the buckets between mean − stdev and
   * mean + stdev as wrk2 bounds them (below); 0 without samples.
   */
  withinStdev: number;
}

/** One line of wrk2's percentile spectrum (`hdr_percentiles_print` over `hdr_percentile_iter_next`). */
export interface PercentileStep {
  /** The highest-equivalent value of the bucket the step stopped at. */
  value: number;
  /** The percentile the step reports, 0–100: the iterator's target, not the bucket's own cumulative share. */
  percentile: number;
  /** Samples up to and including that bucket (`count_to_index`). */
  totalCount: number;
}

/**
 * wrk2's `print_stats` figures for a histogram: `hdr_mean`, `hdr_stddev`, `hdr_max`, `hdr_min` (which wrk2 gives
 * a script's `done()`) and the histogram branch of `stats_within_stdev`, exactly as wrk2 computes them.
 *
 * @example Three samples
 * ```ts
 * import { hdrFigures } from "./hdr_figures.ts";
 * import { Stats } from "./stats.ts";
 * import { assertEquals } from "@std/assert";
 * const stats = new Stats();
 * for (const us of [1, 2, 3]) stats.record(us);
 * const figures = hdrFigures(stats);
 * assertEquals(figures.mean, 2);
 * assertEquals(figures.stdev, Math.sqrt(2 / 3)); // divided by N, not N − 1
 * assertEquals(figures.max, 3);
 * assertEquals(figures.min, 1);
 * // mean ± stdev bounds to 1…2, and wrk2's walk counts the bucket above the upper bound too.
 * assertEquals(figures.withinStdev, 100);
 * ```
 */
export function hdrFigures(stats: Stats): HdrFigures {
  const counts = stats.bucketCounts();
  const total = stats.count;
  const mean = hdrMean(counts, total);
  const stdev = hdrStdev(counts, total, mean);
  return {
    count: total,
    mean,
    stdev,
    max: counts.length > 0 ? lowestValueOf(counts.length - 1) : 0,
    min: lowestNonEmpty(counts),
    withinStdev: withinStdev(counts, total, mean, stdev),
  };
}

/** The lowest value of the first bucket holding a sample; 0 when none does. */
function lowestNonEmpty(counts: ArrayLike<number>): number {
  for (let index = 0; index < counts.length; index++) if (counts[index] !== 0) return lowestValueOf(index);
  return 0;
}

/**
 * wrk2's `hdr_value_at_percentile`: the highest-equivalent value of the first bucket whose cumulative count
 * reaches the rank ⌊p / 100 × N + 0.5⌋ (at least 1; p above 100 counts as 100). 0 without samples.
 *
 * @example The median of 1…4 µs and the top
 * ```ts
 * import { hdrValueAtPercentile } from "./hdr_figures.ts";
 * import { Stats } from "./stats.ts";
 * import { assertEquals } from "@std/assert";
 * const stats = new Stats();
 * for (const us of [1, 2, 3, 4, 5000]) stats.record(us);
 * assertEquals(hdrValueAtPercentile(stats, 50), 3); // rank ⌊2.5 + 0.5⌋ = 3
 * assertEquals(hdrValueAtPercentile(stats, 100), 5003); // 5000 shares a bucket of width 4 with 5001…5003
 * ```
 */
export function hdrValueAtPercentile(stats: Stats, percentile: number): number {
  const counts = stats.bucketCounts();
  const total = stats.count;
  const rank = percentileRank(percentile, total);
  const walk = new BucketWalk(counts, total);
  let cumulative = 0;
  while (walk.next()) {
    cumulative += walk.countAtIndex;
    if (cumulative >= rank) return walk.highestEquivalentValue;
  }
  return 0;
}

/** `hdr_value_at_percentile`'s rank: the sample a percentile names, at least the first (100 and over: the last). */
function percentileRank(percentile: number, total: number): number {
  const requested = percentile < 100 ? percentile : 100;
  // C's (int64_t) conversion truncates.
  return Math.max(Math.trunc((requested / 100) * total + 0.5), 1);
}

/**
 * `hdrValueAtPercentile` for many percentiles of one histogram: the cumulative counts of its non-empty buckets
 * are summed once, and each lookup is a binary search over them rather than a walk of every bucket (wrk2's
 * `latency[i]` in a `for i = 1, #latency` loop asks once per sample). The same value for every percentile.
 *
 * @example
 * ```ts
 * import { Stats } from "./stats.ts";
 * import { hdrPercentileLookup, hdrValueAtPercentile } from "./hdr_figures.ts";
 * import { assertEquals } from "@std/assert";
 * const stats = new Stats();
 * for (const us of [1, 2, 3, 4, 5000]) stats.record(us);
 * const valueAt = hdrPercentileLookup(stats);
 * for (const p of [0, 20, 50, 99, 100]) assertEquals(valueAt(p), hdrValueAtPercentile(stats, p));
 * ```
 */
export function hdrPercentileLookup(stats: Stats): (percentile: number) => number {
  const counts = stats.bucketCounts();
  const total = stats.count;
  const cumulative: number[] = [];
  const values: number[] = [];
  let sum = 0;
  for (let index = 0; index < counts.length; index++) {
    if (counts[index] === 0) continue;
    sum += counts[index];
    cumulative.push(sum);
    values.push(lowestValueOf(index) + bucketWidthOf(index) - 1);
  }
  return (percentile) => {
    const rank = percentileRank(percentile, total);
    // The first bucket whose cumulative count reaches the rank, as hdrValueAtPercentile's walk stops at.
    let low = 0;
    let high = cumulative.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (cumulative[middle] >= rank) high = middle;
      else low = middle + 1;
    }
    return low < values.length ? values[low] : 0;
  };
}

/**
 * The lines of wrk2's percentile spectrum (`hdr_percentiles_print` driven by `hdr_percentile_iter_init` and
 * `hdr_percentile_iter_next`): one step at percentile 0, then targets that move up by 100 / (ticks × 2^(k+1)),
 * where 2^k is the largest power of two not above 100 / (100 − target) (so with 5 ticks: every 10 % up to 50,
 * every 5 % up to 75, and the step halves each time the distance to 100 halves); each target is reported at
 * the first non-empty bucket whose cumulative share reaches it, so a large bucket can report several targets.
 * The last step is always percentile 100 at the highest bucket. Without samples it is the only step, value 0.
 *
 * @example Two buckets
 * ```ts
 * import { hdrPercentileSteps } from "./hdr_figures.ts";
 * import { Stats } from "./stats.ts";
 * import { assertEquals } from "@std/assert";
 * const stats = new Stats();
 * stats.recordCount(10, 3);
 * stats.record(20);
 * const steps = hdrPercentileSteps(stats, 5);
 * assertEquals(steps.map((s) => s.percentile), [0, 10, 20, 30, 40, 50, 55, 60, 65, 70, 75, 77.5, 100]);
 * assertEquals(steps[10], { value: 10, percentile: 75, totalCount: 3 }); // 10 µs holds 75 %
 * assertEquals(steps[11], { value: 20, percentile: 77.5, totalCount: 4 });
 * assertEquals(steps[12], { value: 20, percentile: 100, totalCount: 4 });
 * ```
 */
export function hdrPercentileSteps(stats: Stats, ticksPerHalfDistance: number): PercentileStep[] {
  const walk = new BucketWalk(stats.bucketCounts(), stats.count);
  const total = stats.count;
  const steps: PercentileStep[] = [];
  let started = false;
  let target = 0;
  let percentile = 0;
  const emit = () =>
    steps.push({ value: walk.highestEquivalentValue, percentile, totalCount: walk.countToIndex });
  for (;;) {
    // `hdr_percentile_iter_next`: once the walk has seen every sample, one last step at 100, then the end.
    if (!walk.hasNext()) {
      percentile = 100;
      emit();
      return steps;
    }
    if (!started) {
      started = true;
      walk.next();
    }
    do {
      const current = (100 * walk.countToIndex) / total;
      if (walk.countAtIndex !== 0 && target <= current) {
        percentile = target;
        // log(x) / log(2) rather than log2(x), truncated, as wrk2 computes it: the results must agree at the
        // exact powers of two where the step halves.
        const halfDistance = 2 ** (Math.trunc(Math.log(100 / (100 - target)) / Math.log(2)) + 1);
        target += 100 / (ticksPerHalfDistance * halfDistance);
        break;
      }
    } while (walk.next());
    // When the walk runs out without reaching the target, wrk2 still reports a step (with the last target).
    emit();
  }
}

/** `hdr_mean`: integer sum of count × median-equivalent value, divided once. */
function hdrMean(counts: Float64Array, total: number): number {
  let sum = 0;
  for (let index = 0; index < counts.length; index++) {
    if (counts[index] !== 0) sum += counts[index] * medianValueOf(index);
  }
  return sum / total;
}

/** `hdr_stddev`: squared deviations summed bucket by bucket in ascending order, divided by N. */
function hdrStdev(counts: Float64Array, total: number, mean: number): number {
  let squares = 0;
  for (let index = 0; index < counts.length; index++) {
    if (counts[index] === 0) continue;
    const deviation = medianValueOf(index) - mean;
    squares += deviation * deviation * counts[index];
  }
  return Math.sqrt(squares / total);
}

/**
 * The histogram branch of wrk2's `stats_within_stdev` with n = 1. The bounds are truncated to integers; the
 * samples below are those of every bucket whose lowest value is under the lower bound, and the walk stops at
 * the first bucket whose highest value is over the upper bound, that bucket included (so one bucket past the
 * bound counts as within).
 */
function withinStdev(counts: Float64Array, total: number, mean: number, stdev: number): number {
  if (total === 0) return 0;
  const upperValue = truncatedSum(mean, stdev);
  const lowerValue = truncatedSum(mean, -stdev);
  const walk = new BucketWalk(counts, total);
  let lowerCount = 0;
  let upperCount = total;
  while (walk.next()) {
    if (lowerValue > walk.valueFromIndex) lowerCount = walk.countToIndex;
    if (upperValue < walk.highestEquivalentValue) {
      upperCount = walk.countToIndex;
      break;
    }
  }
  return (100 * (upperCount - lowerCount)) / total;
}

/**
 * `(int64_t)(a + b)` where wrk2 adds in `long double`: the truncation of the exact sum. A double sum can round up
 * to an integer that the exact sum stays below; the rounding error (Knuth's two-sum) tells.
 */
function truncatedSum(a: number, b: number): number {
  const sum = a + b;
  const bVirtual = sum - a;
  const error = (a - (sum - bVirtual)) + (b - bVirtual);
  const truncated = Math.trunc(sum);
  if (truncated !== sum || error === 0) return truncated;
  if (sum > 0 && error < 0) return truncated - 1;
  if (sum < 0 && error > 0) return truncated + 1;
  return truncated;
}

/**
 * wrk2's `hdr_iter` over bucket counts: it visits every bucket from the first, empty ones too, and stops after
 * the bucket where the cumulative count reaches the total (`has_next`).
 */
class BucketWalk {
  readonly #counts: Float64Array;
  readonly #total: number;
  #index = -1;
  /** `count_at_index`. */
  countAtIndex = 0;
  /** `count_to_index`. */
  countToIndex = 0;
  /** `value_from_index`: the bucket's lowest value. */
  valueFromIndex = 0;
  /** `highest_equivalent_value`: 0 before the first bucket, as `hdr_iter_init` leaves it. */
  highestEquivalentValue = 0;

  constructor(counts: Float64Array, total: number) {
    this.#counts = counts;
    this.#total = total;
  }

  hasNext(): boolean {
    return this.countToIndex < this.#total;
  }

  /** `hdr_iter_next`: moves to the next bucket, or answers false once every sample has been seen. */
  next(): boolean {
    if (!this.hasNext()) return false;
    const index = ++this.#index;
    this.countAtIndex = index < this.#counts.length ? this.#counts[index] : 0;
    this.countToIndex += this.countAtIndex;
    this.valueFromIndex = lowestValueOf(index);
    this.highestEquivalentValue = this.valueFromIndex + bucketWidthOf(index) - 1;
    return true;
  }
}
