/**
 * The per-thread sample recorder: HdrHistogram's bucket layout (lowest discernible value 1, 3 significant
 * digits) in a plain `Float64Array`, so worker threads record without loading the npm histogram package (a
 * CommonJS module that costs each thread memory and start-up time; docs/benchmarks.md). The main thread
 * rebuilds a `Stats` from the counts; every value lands in the bucket hdr-histogram-js would give it, so
 * merging stays exact.
 */

/** log2 of half the sub-bucket count for 3 significant digits (2 × 10³ → 2048 sub-buckets). */
const SUB_BUCKET_HALF_MAGNITUDE = 10;
const SUB_BUCKET_HALF_COUNT = 1 << SUB_BUCKET_HALF_MAGNITUDE;
const SUB_BUCKET_COUNT = SUB_BUCKET_HALF_COUNT * 2;

/** The bucket index of a non-negative integer sample (HdrHistogram's countsArrayIndex with unit 1). */
export function bucketIndexOf(value: number): number {
  if (value < SUB_BUCKET_COUNT) return value;
  if (value <= 0xffffffff) {
    // Integer bit operations for every realistic sample (latencies below 71 minutes in µs): Math.log2 and 2 **
    // n are calls into the C library, per request.
    const shift = 31 - Math.clz32(value) - SUB_BUCKET_HALF_MAGNITUDE;
    return shift * SUB_BUCKET_HALF_COUNT + (value >>> shift);
  }
  // The top bit of `value` decides the bucket; the sub-bucket keeps the next 10 bits.
  const magnitude = Math.floor(Math.log2(value)) - SUB_BUCKET_HALF_MAGNITUDE;
  let shift = magnitude;
  let sub = Math.floor(value / 2 ** shift);
  // log2 of values just below a power of two can round up; keep sub within [1024, 2048).
  if (sub < SUB_BUCKET_HALF_COUNT) sub = Math.floor(value / 2 ** --shift);
  return shift * SUB_BUCKET_HALF_COUNT + sub;
}

/** The lowest value that lands in bucket `index` (the inverse of `bucketIndexOf`). */
export function lowestValueOf(index: number): number {
  if (index < SUB_BUCKET_COUNT) return index;
  const shift = Math.floor(index / SUB_BUCKET_HALF_COUNT) - 1;
  const sub = (index % SUB_BUCKET_HALF_COUNT) + SUB_BUCKET_HALF_COUNT;
  return sub * 2 ** shift;
}

/** How many consecutive values share bucket `index` (1 below 2048, then doubling per half-bucket range). */
export function bucketWidthOf(index: number): number {
  return index < SUB_BUCKET_COUNT ? 1 : 2 ** (Math.floor(index / SUB_BUCKET_HALF_COUNT) - 1);
}

/** The value that stands for bucket `index` in every figure: its middle (HdrHistogram's median-equivalent). */
export function medianValueOf(index: number): number {
  return lowestValueOf(index) + Math.floor(bucketWidthOf(index) / 2);
}

/** Rounds and clamps a sample to the non-negative integers the buckets hold (NaN becomes 0). */
export function toSample(value: number): number {
  return value > 0 ? Math.round(Math.min(value, Number.MAX_SAFE_INTEGER)) : 0;
}

/** Counts samples per bucket; `record` allocates only when a sample is larger than any before. */
export class Recorder {
  #counts = new Float64Array(SUB_BUCKET_COUNT * 8);

  /** Records one sample, rounded to a non-negative integer (NaN and negatives count as 0). */
  record(value: number): void {
    const index = bucketIndexOf(toSample(value));
    if (index >= this.#counts.length) this.#grow(index);
    this.#counts[index]++;
  }

  /**
   * Records `count` samples `first`, `first - step`, `first - 2·step`, … (`step` > 0), as `record` would, but a
   * bucket at a time: a run of millions costs what its buckets do.
   */
  recordRun(first: number, step: number, count: number): void {
    let value = first;
    let left = count;
    while (left > 0) {
      const index = bucketIndexOf(toSample(value));
      if (index >= this.#counts.length) this.#grow(index);
      // The values that round into this bucket: down to its lowest value, less half a unit.
      const inBucket = value <= 0
        ? left
        : Math.min(left, Math.floor((value - lowestValueOf(index) + 0.5) / step) + 1);
      this.#counts[index] += inBucket;
      left -= inBucket;
      value -= inBucket * step;
    }
  }

  /** The highest value a recorded sample may have had: its bucket's highest; -1 when nothing was recorded. */
  maxValue(): number {
    let end = this.#counts.length;
    while (end > 0 && this.#counts[end - 1] === 0) end--;
    return end === 0 ? -1 : lowestValueOf(end - 1) + bucketWidthOf(end - 1) - 1;
  }

  /** The counts by bucket index, trimmed after the last non-empty bucket (cheap to post between threads). */
  counts(): Float64Array {
    let end = this.#counts.length;
    while (end > 0 && this.#counts[end - 1] === 0) end--;
    return this.#counts.slice(0, end);
  }

  #grow(index: number): void {
    const grown = new Float64Array(Math.max(index + 1, this.#counts.length * 2));
    grown.set(this.#counts);
    this.#counts = grown;
  }
}
