/**
 * wrk's stats object (`stats.c`) over HdrHistogram's bucket layout (see recorder.ts), so that any value fits in a
 * small, fixed amount of memory and the threads' samples merge exactly (docs/wrk-compat.md#histograms). The standard HDR
 * encoding, for exchanging histograms with other tools or machines, is in hdr_codec.ts.
 *
 * @module
 */

import { bucketIndexOf, lowestValueOf, medianValueOf, toSample } from "./recorder.ts";

/** Buckets for values up to ~16 s in µs up front, so a normal run never grows the array while recording. */
const INITIAL_BUCKETS = 24 * 1024;

/** Distinct values in ascending order with their counts, and the figures derived from them. */
interface Summary {
  readonly values: number[];
  readonly counts: number[];
  readonly mean: number;
  readonly stdev: number;
}

/**
 * A distribution of non-negative integer samples (latency in µs, or requests/second) with wrk's derived
 * figures: mean, sample standard deviation, share within ±1 stdev, rank-based percentiles, and the distinct
 * values that Lua's `#stats` and `stats(i)` see.
 *
 * Values below 2048 are exact. Larger values share a histogram bucket with their neighbours (within 0.1 %);
 * every figure (`min`, `max`, `mean`, `stdev`, `percentile`, `distinct`) then uses the bucket's
 * **median-equivalent value**, the middle of the bucket, which keeps the error of each figure at most half a
 * bucket (≤ 0.05 %) and makes all figures agree with one another (`percentile(100) === max`).
 *
 * @example Recording latencies and reading wrk's figures
 * ```ts
 * import { Stats } from "./stats.ts";
 * import { assertEquals } from "@std/assert";
 * const latency = new Stats();
 * for (const us of [2, 4, 4, 4, 5, 5, 7, 9]) latency.record(us);
 * assertEquals(latency.mean, 5);
 * assertEquals(latency.percentile(50), 5);
 * assertEquals(latency.withinStdev(), 75);
 * assertEquals(latency.distinct(2), [4, 3]);
 * ```
 */
export class Stats {
  /** Sample counts per HdrHistogram bucket (see recorder.ts for the layout). */
  #counts = new Float64Array(INITIAL_BUCKETS);
  #total = 0;
  #summary: Summary | undefined = undefined;

  /**
   * Records one sample. Called once per request, so it allocates nothing once the histogram covers the value.
   * The value is rounded to an integer; negative values and NaN count as 0.
   */
  record(value: number): void {
    this.#addToBucket(bucketIndexOf(toSample(value)), 1);
  }

  /** Records `count` samples of `value` (rounded like {@linkcode Stats.record}); a count below 1 records nothing. */
  recordCount(value: number, count: number): void {
    const times = Math.round(count);
    if (!(times >= 1)) return;
    this.#addToBucket(bucketIndexOf(toSample(value)), times);
  }

  /**
   * Rebuilds stats from a {@linkcode Recorder}'s bucket counts (how worker threads ship their samples). The
   * recorder uses this histogram's bucket layout, so every sample lands in the bucket it would have had.
   *
   * @example From a recorder
   * ```ts
   * import { Recorder } from "./recorder.ts";
   * import { Stats } from "./stats.ts";
   * import { assertEquals } from "@std/assert";
   * const recorder = new Recorder();
   * for (const us of [100, 200, 300]) recorder.record(us);
   * assertEquals(Stats.fromBucketCounts(recorder.counts()).mean, 200);
   * ```
   */
  static fromBucketCounts(counts: Float64Array): Stats {
    const stats = new Stats();
    stats.#addCounts(counts);
    return stats;
  }

  /** The sample counts by bucket index, trimmed after the last non-empty bucket (`fromBucketCounts`'s input). */
  bucketCounts(): Float64Array {
    let end = this.#counts.length;
    while (end > 0 && this.#counts[end - 1] === 0) end--;
    return this.#counts.slice(0, end);
  }

  /** Adds every sample of `other` to this object (merging the threads' figures); `other` is unchanged. */
  add(other: Stats): void {
    if (other.count === 0) return;
    this.#addCounts(other.#counts);
  }

  /**
   * wrk's coordinated-omission correction (`stats_correct`, docs/wrk-compat.md#latency-correction): every recorded value `n ≥ 2 × interval`
   * seen `c` times adds `c` samples at `n − interval`, `n − 2·interval`, … while they stay above `interval`.
   *
   * The interval is truncated to whole µs, as wrk's integer division gives it; an interval below 1 (or NaN)
   * does nothing. Only the values recorded before the call are corrected, never the samples it adds.
   */
  correct(expectedInterval: number): void {
    const interval = Math.floor(expectedInterval);
    if (!(interval >= 1)) return;
    // Snapshot first: the synthetic samples must not be corrected again.
    const { values, counts } = this.#getSummary();
    for (let i = values.length - 1; i >= 0; i--) {
      const n = values[i];
      if (n < 2 * interval) break;
      const count = counts[i];
      // Terms n − k·interval for k = 1..terms are the ones above `interval`.
      let remaining = Math.floor((n - interval - 1) / interval);
      let value = n - interval;
      while (remaining > 0) {
        // All terms that land in this value's bucket are added at once: the same counts as one record per term,
        // but the loop runs at most once per bucket instead of once per term (n / interval can be millions).
        const index = bucketIndexOf(value);
        const inBucket = Math.min(remaining, Math.floor((value - lowestValueOf(index)) / interval) + 1);
        this.#addToBucket(index, count * inBucket);
        value -= inBucket * interval;
        remaining -= inBucket;
      }
    }
  }

  /** Number of samples. */
  get count(): number {
    return this.#total;
  }

  /** Smallest sample (its bucket's median-equivalent value), 0 when empty. */
  get min(): number {
    const { values } = this.#getSummary();
    return values.length > 0 ? values[0] : 0;
  }

  /** Largest sample (its bucket's median-equivalent value), 0 when empty. */
  get max(): number {
    const { values } = this.#getSummary();
    return values.length > 0 ? values[values.length - 1] : 0;
  }

  /** Arithmetic mean, 0 when empty. */
  get mean(): number {
    return this.#getSummary().mean;
  }

  /** Sample standard deviation as wrk computes it (divides by count − 1), 0 with fewer than two samples. */
  get stdev(): number {
    return this.#getSummary().stdev;
  }

  /**
   * Percentage (0–100) of samples within mean ± 1 stdev, inclusive: the report's `+/- Stdev` column
   * (`stats_within_stdev` with n = 1). NaN when empty: wrk divides 0 by 0 there and prints `-nan%`.
   */
  withinStdev(): number {
    const { values, counts, mean, stdev } = this.#getSummary();
    const total = this.count;
    if (total === 0) return Number.NaN;
    const lower = mean - stdev;
    const upper = mean + stdev;
    let within = 0;
    for (let i = 0; i < values.length; i++) {
      if (values[i] >= lower && values[i] <= upper) within += counts[i];
    }
    return (within / total) * 100;
  }

  /**
   * The value at percentile `p` by wrk's rank formula: the smallest value whose cumulative count reaches
   * `round(p / 100 × count + 0.5)`. The rank is clamped to 1..count, so `percentile(100)` is the max (wrk 4.1
   * returns 0 there). 0 when empty.
   */
  percentile(p: number): number {
    const { values, counts } = this.#getSummary();
    const total = this.count;
    if (total === 0) return 0;
    let rank = Math.round((p / 100) * total + 0.5);
    if (!(rank >= 1)) rank = 1;
    if (rank > total) rank = total;
    let cumulative = 0;
    for (let i = 0; i < values.length; i++) {
      cumulative += counts[i];
      if (cumulative >= rank) return values[i];
    }
    return values[values.length - 1];
  }

  /** Number of distinct recorded values (`#stats` in Lua). */
  distinctCount(): number {
    return this.#getSummary().values.length;
  }

  /** The `i`-th smallest distinct value and its count, 1-based like Lua's `stats(i)`; undefined out of range. */
  distinct(i: number): [value: number, count: number] | undefined {
    const { values, counts } = this.#getSummary();
    if (!Number.isInteger(i) || i < 1 || i > values.length) return undefined;
    return [values[i - 1], counts[i - 1]];
  }

  #addToBucket(index: number, count: number): void {
    if (index >= this.#counts.length) this.#grow(index + 1);
    this.#counts[index] += count;
    this.#total += count;
    this.#summary = undefined;
  }

  #addCounts(counts: Float64Array): void {
    if (counts.length > this.#counts.length) this.#grow(counts.length);
    for (let index = 0; index < counts.length; index++) {
      const count = counts[index];
      if (count > 0) {
        this.#counts[index] += count;
        this.#total += count;
      }
    }
    this.#summary = undefined;
  }

  #grow(length: number): void {
    const grown = new Float64Array(Math.max(length, this.#counts.length * 2));
    grown.set(this.#counts);
    this.#counts = grown;
  }

  #getSummary(): Summary {
    if (this.#summary !== undefined) return this.#summary;
    const bucketCounts = this.#counts;
    const values: number[] = [];
    const counts: number[] = [];
    let sum = 0;
    let total = 0;
    for (let index = 0; index < bucketCounts.length; index++) {
      const count = bucketCounts[index];
      if (count === 0) continue;
      const value = medianValueOf(index);
      values.push(value);
      counts.push(count);
      sum += value * count;
      total += count;
    }
    const mean = total > 0 ? sum / total : 0;
    let squares = 0;
    for (let i = 0; i < values.length; i++) {
      const deviation = values[i] - mean;
      squares += deviation * deviation * counts[i];
    }
    const stdev = total >= 2 ? Math.sqrt(squares / (total - 1)) : 0;
    this.#summary = { values, counts, mean, stdev };
    return this.#summary;
  }
}
