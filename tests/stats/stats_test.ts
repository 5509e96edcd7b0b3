import { assert, assertEquals } from "@std/assert";
import { Stats } from "../../lib/stats/stats.ts";
import { assertClose, distinctList, statsOf, TEXTBOOK } from "./_helpers.ts";

Deno.test("Stats.mean is the arithmetic mean", () => {
  assertEquals(statsOf(TEXTBOOK).mean, 5);
  assertEquals(statsOf([1, 2]).mean, 1.5);
});

Deno.test("Stats.stdev is the sample standard deviation (count − 1)", () => {
  assertEquals(statsOf(TEXTBOOK).stdev, Math.sqrt(32 / 7));
  // 1 and 3: mean 2, squared deviations 1 + 1, divided by 1.
  assertEquals(statsOf([1, 3]).stdev, Math.sqrt(2));
});

Deno.test("Stats.stdev is 0 with fewer than two samples", () => {
  assertEquals(statsOf([]).stdev, 0);
  assertEquals(statsOf([42]).stdev, 0);
});

Deno.test("Stats.min and Stats.max are the extreme samples", () => {
  const stats = statsOf(TEXTBOOK);
  assertEquals(stats.min, 2);
  assertEquals(stats.max, 9);
  assertEquals(statsOf([0, 7]).min, 0);
});

Deno.test("Stats.count counts every sample", () => {
  assertEquals(statsOf(TEXTBOOK).count, 8);
});

Deno.test("Stats.withinStdev() is the share of samples within mean ± stdev", () => {
  // mean 5 ± 2.138 = [2.862, 7.138] holds 4, 4, 4, 5, 5, 7: 6 of 8.
  assertEquals(statsOf(TEXTBOOK).withinStdev(), 75);
  // One sample: stdev 0, the sample equals the mean.
  assertEquals(statsOf([3]).withinStdev(), 100);
  // 100, 200, 300, 400: mean 250, stdev 129.10, so [120.90, 379.10] holds 200 and 300.
  assertEquals(statsOf([100, 200, 300, 400]).withinStdev(), 50);
});

Deno.test("Stats.percentile() uses wrk's rank round(p / 100 × count + 0.5)", () => {
  const stats = statsOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  // Ranks: p0 → round(0.5) = 1, p25 → round(3) = 3, p50 → round(5.5) = 6, p90 → round(9.5) = 10.
  assertEquals(stats.percentile(0), 1);
  assertEquals(stats.percentile(25), 3);
  assertEquals(stats.percentile(50), 6);
  assertEquals(stats.percentile(75), 8);
  assertEquals(stats.percentile(90), 10);
  assertEquals(stats.percentile(99), 10);
});

Deno.test("Stats.percentile() counts repeated values by their count", () => {
  // Cumulative counts: 2 → 1, 4 → 4, 5 → 6, 7 → 7, 9 → 8.
  const stats = statsOf(TEXTBOOK);
  assertEquals(stats.percentile(10), 2); // rank round(1.3) = 1
  assertEquals(stats.percentile(20), 4); // rank round(2.1) = 2
  assertEquals(stats.percentile(50), 5); // rank round(4.5) = 5
  assertEquals(stats.percentile(80), 7); // rank round(6.9) = 7
  assertEquals(stats.percentile(95), 9); // rank round(8.1) = 8
});

Deno.test("Stats.percentile() clamps the rank to 1..count", () => {
  const stats = statsOf([10, 20, 30]);
  // p100 → rank round(3.5) = 4, clamped to 3 (wrk 4.1 would return 0).
  assertEquals(stats.percentile(100), 30);
  assertEquals(stats.percentile(150), 30);
  assertEquals(stats.percentile(-10), 10);
  assertEquals(stats.percentile(Number.NaN), 10);
});

Deno.test("Stats.percentile() is 0 when empty", () => {
  assertEquals(new Stats().percentile(50), 0);
});

Deno.test("Stats figures are 0 when empty, and withinStdev() NaN as wrk's 0/0", () => {
  const stats = new Stats();
  assertEquals(stats.count, 0);
  assertEquals(stats.min, 0);
  assertEquals(stats.max, 0);
  assertEquals(stats.mean, 0);
  assertEquals(stats.stdev, 0);
  assertEquals(stats.withinStdev(), Number.NaN);
  assertEquals(stats.distinctCount(), 0);
  assertEquals(stats.distinct(1), undefined);
});

Deno.test("Stats.record() rounds to integers and clamps negatives and NaN to 0", () => {
  const stats = statsOf([1.4, 1.6, -5, Number.NaN]);
  assertEquals(distinctList(stats), [[0, 2], [1, 1], [2, 1]]);
});

Deno.test("Stats.record() accepts Infinity without throwing", () => {
  const stats = statsOf([5, Number.POSITIVE_INFINITY]);
  assertEquals(stats.count, 2);
  assert(stats.max > 1e15);
});

Deno.test("Stats.recordCount() records a value several times", () => {
  const stats = new Stats();
  stats.recordCount(7, 3);
  stats.recordCount(9, 0);
  stats.recordCount(9, -2);
  assertEquals(distinctList(stats), [[7, 3]]);
  assertEquals(stats.count, 3);
});

Deno.test("Stats.distinct() lists distinct values ascending, 1-based, with their counts", () => {
  const stats = statsOf([5, 4, 9, 4, 2, 7, 4, 5]);
  assertEquals(stats.distinctCount(), 5);
  assertEquals(distinctList(stats), [[2, 1], [4, 3], [5, 2], [7, 1], [9, 1]]);
  assertEquals(stats.distinct(0), undefined);
  assertEquals(stats.distinct(6), undefined);
  assertEquals(stats.distinct(1.5), undefined);
});

Deno.test("Stats.distinct() sees samples recorded after an earlier call", () => {
  const stats = statsOf([1, 2]);
  assertEquals(stats.distinctCount(), 2);
  stats.record(3);
  assertEquals(stats.distinctCount(), 3);
  assertEquals(stats.distinct(3), [3, 1]);
  assertEquals(stats.max, 3);
  stats.recordCount(3, 2);
  assertEquals(stats.distinct(3), [3, 3]);
});

Deno.test("Stats.add() merges another object's samples", () => {
  const a = statsOf([1, 2, 2]);
  const b = statsOf([2, 3, 5000]);
  assertEquals(a.distinctCount(), 2);
  a.add(b);
  assertEquals(a.count, 6);
  assertEquals(distinctList(a).slice(0, 3), [[1, 1], [2, 3], [3, 1]]);
  assertClose(a.max, 5000, 0.001);
  // The other object is unchanged.
  assertEquals(b.count, 3);
});

Deno.test("Stats.add() merges into an empty object and from an empty object", () => {
  const merged = new Stats();
  merged.add(statsOf(TEXTBOOK));
  merged.add(new Stats());
  assertEquals(merged.count, 8);
  assertEquals(merged.mean, 5);
  assertEquals(merged.stdev, Math.sqrt(32 / 7));
});

Deno.test("Stats.correct() adds wrk's synthetic samples below each slow value", () => {
  // Interval 10: 35 (twice) adds 25 and 15 twice each (5 is not above 10); 21 adds 11; 20 adds nothing
  // (20 − 10 = 10 is not above 10); 5 is below 2 × 10.
  const stats = new Stats();
  stats.recordCount(35, 2);
  stats.record(21);
  stats.record(20);
  stats.record(5);
  stats.correct(10);
  assertEquals(distinctList(stats), [[5, 1], [11, 1], [15, 2], [20, 1], [21, 1], [25, 2], [35, 2]]);
  assertEquals(stats.count, 10);
});

Deno.test("Stats.correct() does not correct the samples it adds", () => {
  // 45 with interval 10 adds 35, 25 and 15 once; correcting the added 35 again would add a second 25 and 15.
  const stats = statsOf([45]);
  stats.correct(10);
  assertEquals(distinctList(stats), [[15, 1], [25, 1], [35, 1], [45, 1]]);
});

Deno.test("Stats.correct() truncates the interval to whole units like wrk's integer division", () => {
  const stats = statsOf([45]);
  stats.correct(10.9);
  assertEquals(distinctList(stats), [[15, 1], [25, 1], [35, 1], [45, 1]]);
});

Deno.test("Stats.correct() does nothing for an interval below 1", () => {
  for (const interval of [0, -5, 0.5, Number.NaN]) {
    const stats = statsOf([100, 200]);
    stats.correct(interval);
    assertEquals(distinctList(stats), [[100, 1], [200, 1]]);
  }
});

Deno.test("Stats.correct() matches one record per synthetic sample for large values", () => {
  // 1,000,000 µs with a 7 µs interval spans buckets of width up to 512: grouping per bucket must give the
  // same histogram as recording each of the 142,855 terms one by one.
  const interval = 7;
  const corrected = new Stats();
  corrected.recordCount(1_000_000, 3);
  corrected.record(40);
  const n = corrected.max;
  corrected.correct(interval);

  const expected = new Stats();
  expected.recordCount(n, 3);
  expected.record(40);
  for (let m = n - interval; m > interval; m -= interval) expected.recordCount(m, 3);
  for (let m = 40 - interval; m > interval; m -= interval) expected.record(m);

  assertEquals(corrected.count, expected.count);
  assertEquals(distinctList(corrected), distinctList(expected));
});

Deno.test("Stats keeps values below 2048 exact and larger ones within 0.05%", () => {
  assertEquals(statsOf([2047]).max, 2047);
  const stats = statsOf([3_600_000_000, 3_600_000_000, 1_000_000]);
  assertClose(stats.max, 3_600_000_000, 0.0005);
  assertClose(stats.min, 1_000_000, 0.0005);
  assertClose(stats.mean, (2 * 3_600_000_000 + 1_000_000) / 3, 0.0005);
  assertEquals(stats.percentile(100), stats.max);
  assertEquals(stats.percentile(0), stats.min);
  assertEquals(stats.distinctCount(), 2);
});

Deno.test("Stats reports a bucketed value as its bucket's median-equivalent value", () => {
  // From 2048 to 4095 buckets are 2 wide: 3000 and 3001 share [3000, 3001], whose median equivalent is 3001.
  const stats = statsOf([3000, 3001]);
  assertEquals(distinctList(stats), [[3001, 2]]);
  assertEquals(stats.min, 3001);
  assertEquals(stats.max, 3001);
  assertEquals(stats.mean, 3001);
});
