import assert from "node:assert/strict";
import { decodeStats, encodeStats } from "../../lib/stats/hdr_codec.ts";
import { Stats } from "../../lib/stats/stats.ts";

const TEXTBOOK = [2, 4, 4, 4, 5, 5, 7, 9];

function statsOf(values: readonly number[]): Stats {
  const stats = new Stats();
  for (const value of values) stats.record(value);
  return stats;
}

function distinctList(stats: Stats): [number, number][] {
  const list: [number, number][] = [];
  for (let i = 1; i <= stats.distinctCount(); i++) list.push(stats.distinct(i)!);
  return list;
}

function assertClose(actual: number, expected: number, relative: number): void {
  assert.ok(
    Math.abs(actual - expected) <= Math.abs(expected) * relative,
    `${actual} is not within ${relative} of ${expected}`,
  );
}

Deno.test("Stats.encode() and decodeStats() round-trip every sample", () => {
  const stats = statsOf([...TEXTBOOK, 0, 5000, 3_600_000_000]);
  stats.recordCount(12, 2 ** 40);
  const copy = decodeStats(encodeStats(stats));
  assert.equal(copy.count, stats.count);
  assert.deepEqual(distinctList(copy), distinctList(stats));
  assert.equal(copy.mean, stats.mean);
  assert.equal(copy.stdev, stats.stdev);
});

Deno.test("decodeStats() returns an object that still accepts larger values", () => {
  const copy = decodeStats(encodeStats(statsOf([1, 2, 3])));
  copy.record(9e12);
  copy.add(statsOf([1e14]));
  assert.equal(copy.count, 5);
  assertClose(copy.max, 1e14, 0.001);
});

Deno.test("decodeStats() round-trips an empty object", () => {
  const copy = decodeStats(encodeStats(new Stats()));
  assert.equal(copy.count, 0);
  assert.equal(copy.max, 0);
});

Deno.test("decodeStats() throws a SyntaxError for text that is not an encoded histogram", () => {
  assert.throws(() => decodeStats("not a histogram"), SyntaxError);
});
