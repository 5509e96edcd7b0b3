import { assertEquals } from "@std/assert";
import { bucketIndexOf, lowestValueOf, Recorder } from "../../lib/stats/recorder.ts";
import { Stats } from "../../lib/stats/stats.ts";

Deno.test("bucketIndexOf() is exact below 2048 and inverted by lowestValueOf() at every bucket edge", () => {
  for (let v = 0; v < 2048; v++) assertEquals(bucketIndexOf(v), v);
  for (let index = 0; index < 40 * 1024; index++) {
    const low = lowestValueOf(index);
    assertEquals(bucketIndexOf(low), index, `index ${index} (value ${low})`);
    if (index > 0) assertEquals(bucketIndexOf(low - 1), index - 1, `below index ${index}`);
  }
});

Deno.test("Recorder buckets samples exactly as Stats does, so rebuilt stats equal directly recorded ones", () => {
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const recorder = new Recorder();
  const direct = new Stats();
  for (let i = 0; i < 20_000; i++) {
    // Latencies from 1 µs to ~1 hour, spread over every magnitude.
    const value = Math.floor(Math.exp(random() * Math.log(3.6e9)));
    recorder.record(value);
    direct.record(value);
  }
  const rebuilt = Stats.fromBucketCounts(recorder.counts());
  assertEquals(rebuilt.count, direct.count);
  assertEquals(rebuilt.distinctCount(), direct.distinctCount());
  for (const p of [0, 1, 50, 90, 99, 99.9, 100]) {
    assertEquals(rebuilt.percentile(p), direct.percentile(p), `p${p}`);
  }
  assertEquals(rebuilt.mean, direct.mean);
  assertEquals(rebuilt.stdev, direct.stdev);
  assertEquals(rebuilt.max, direct.max);
});

Deno.test("Recorder rounds samples and counts NaN and negatives as 0", () => {
  const recorder = new Recorder();
  for (const v of [1.4, 1.6, -5, NaN]) recorder.record(v);
  assertEquals([...recorder.counts()], [2, 1, 1]);
});

Deno.test("Recorder.maxValue is -1 when empty, then the highest value the highest sample's bucket holds", () => {
  const recorder = new Recorder();
  assertEquals(recorder.maxValue(), -1);
  recorder.record(7);
  recorder.record(1500);
  assertEquals(recorder.maxValue(), 1500);
  // Above 2047 buckets are wider: from 4096 four values share one, so 5000 stands for 5000 to 5003.
  recorder.record(5000);
  assertEquals(recorder.maxValue(), 5003);
});

Deno.test("Recorder.recordRun records a falling run of values as one record() each would, a bucket at a time", () => {
  for (
    const [first, step, count] of [[5_000_000, 37.5, 100_000], [3000.4, 1, 2500], [10, 3, 9], [
      1e9,
      1e3,
      50_000,
    ]]
  ) {
    const byRun = new Recorder();
    byRun.recordRun(first, step, count);
    const oneByOne = new Recorder();
    for (let i = 0; i < count; i++) oneByOne.record(first - i * step);
    assertEquals(byRun.counts(), oneByOne.counts(), `${first} - k·${step}, ${count} of them`);
  }
});
