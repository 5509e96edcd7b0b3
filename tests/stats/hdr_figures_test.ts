import { assertEquals } from "@std/assert";
import {
  hdrFigures,
  hdrPercentileLookup,
  hdrPercentileSteps,
  hdrValueAtPercentile,
} from "../../lib/stats/hdr_figures.ts";
import { Stats } from "../../lib/stats/stats.ts";
import { statsOf, TEXTBOOK } from "./_helpers.ts";

Deno.test("hdrFigures: the mean and the population standard deviation (N, not N − 1)", () => {
  const figures = hdrFigures(statsOf(TEXTBOOK));
  assertEquals(figures.count, 8);
  assertEquals(figures.mean, 5);
  // Squared deviations 32, divided by 8 (wrk's Stats divides by 7).
  assertEquals(figures.stdev, 2);
});

Deno.test("hdrFigures: values above 2047 count as their bucket's median-equivalent value", () => {
  // 5000 and 5001 share the bucket 5000…5003 (width 4), whose median is 5002.
  const figures = hdrFigures(statsOf([5000, 5001]));
  assertEquals(figures.mean, 5002);
  assertEquals(figures.stdev, 0);
});

Deno.test("hdrFigures: the max is the lowest value of the highest bucket (hdr_max)", () => {
  assertEquals(hdrFigures(statsOf([7, 5003])).max, 5000);
  assertEquals(hdrFigures(statsOf([7, 2047])).max, 2047);
});

Deno.test("hdrFigures: within-stdev truncates the bounds and counts one bucket past the upper bound", () => {
  // 1, 2, 3: mean 2, stdev 0.82; bounds truncate to 1 and 2; the walk stops at the bucket of 3 (the first
  // whose highest value exceeds 2), counting it.
  assertEquals(hdrFigures(statsOf([1, 2, 3])).withinStdev, 100);
  // TEXTBOOK: bounds 3 and 7; below: 2 (1 sample); the walk stops at the empty bucket of 8: 7 samples.
  assertEquals(hdrFigures(statsOf(TEXTBOOK)).withinStdev, 75);
  // 1, 1, 1, 10: mean 3.25, stdev 3.90; bounds 0 (−0.65 truncates toward zero) and 7; stop at the empty 8.
  assertEquals(hdrFigures(statsOf([1, 1, 1, 10])).withinStdev, 75);
});

Deno.test("hdrFigures: without samples, wrk2's 0 / 0 mean and deviation, a max of 0 and 0 % within", () => {
  const figures = hdrFigures(new Stats());
  assertEquals(figures.count, 0);
  assertEquals(figures.mean, Number.NaN);
  assertEquals(figures.stdev, Number.NaN);
  assertEquals(figures.max, 0);
  assertEquals(figures.withinStdev, 0);
});

Deno.test("hdrValueAtPercentile: rank ⌊p/100 × N + 0.5⌋, at least 1, then the bucket's highest value", () => {
  const stats = statsOf([10, 20, 30, 40]);
  assertEquals(hdrValueAtPercentile(stats, 0), 10);
  // 0.49 × 4 + 0.5 = 2.46: rank 2.
  assertEquals(hdrValueAtPercentile(stats, 49), 20);
  // 62.5 % of 4 + 0.5 = 3: rank 3.
  assertEquals(hdrValueAtPercentile(stats, 62.5), 30);
  assertEquals(hdrValueAtPercentile(stats, 100), 40);
  assertEquals(hdrValueAtPercentile(stats, 150), 40);
  assertEquals(hdrValueAtPercentile(statsOf([4097]), 50), 4099);
  assertEquals(hdrValueAtPercentile(new Stats(), 50), 0);
});

Deno.test("hdrPercentileSteps: targets every 10 % to 50, then the step halves as the distance to 100 halves", () => {
  const stats = new Stats();
  for (let us = 1; us <= 100_000; us++) stats.record(us);
  const targets = hdrPercentileSteps(stats, 5).map((step) => step.percentile);
  assertEquals(targets.slice(0, 23), [
    0,
    10,
    20,
    30,
    40,
    50,
    55,
    60,
    65,
    70,
    75,
    77.5,
    80,
    82.5,
    85,
    87.5,
    88.75,
    90,
    91.25,
    92.5,
    93.75,
    94.375,
    95,
  ]);
  assertEquals(targets.at(-1), 100);
});

Deno.test("hdrPercentileSteps: each target at the first non-empty bucket whose share reaches it", () => {
  const stats = new Stats();
  stats.recordCount(100, 9);
  stats.recordCount(200, 1);
  const steps = hdrPercentileSteps(stats, 5);
  // 100 holds 90 %: targets 0…90 all report it; the next target (91.25) is reached only at 200, then 100.
  assertEquals(steps.filter((step) => step.value === 100).at(-1), {
    value: 100,
    percentile: 90,
    totalCount: 9,
  });
  assertEquals(steps.slice(-2), [
    { value: 200, percentile: 91.25, totalCount: 10 },
    { value: 200, percentile: 100, totalCount: 10 },
  ]);
});

Deno.test("hdrPercentileSteps: without samples, one step at 100 with value and count 0", () => {
  assertEquals(hdrPercentileSteps(new Stats(), 5), [{ value: 0, percentile: 100, totalCount: 0 }]);
});

Deno.test("hdrPercentileLookup gives hdrValueAtPercentile's value at every rank, empty histograms and odd percentiles too", () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const spreads = [
    Array.from({ length: 1000 }, () => Math.floor(random() * 3000)),
    Array.from({ length: 5000 }, () => Math.floor(random() ** 4 * 5_000_000)),
    [1, 1, 1, 7_300_000],
    [],
  ];
  for (const values of spreads) {
    const stats = new Stats();
    for (const value of values) stats.record(value);
    const lookup = hdrPercentileLookup(stats);
    const count = values.length;
    // wrk2's latency[i]: the percentile 100·i/count for i = 0 … count + 1, and a few others.
    const percentiles = [
      ...Array.from({ length: count + 2 }, (_, i) => (100 * i) / count),
      -5,
      0.001,
      33.3,
      99.9999,
      150,
      Number.NaN,
    ];
    for (const p of percentiles) {
      assertEquals(lookup(p), hdrValueAtPercentile(stats, p), `p ${p} of ${count}`);
    }
  }
});
