import assert from "node:assert/strict";
import { decodeStats, encodeStats } from "../../lib/stats/hdr_codec.ts";
import { Stats } from "../../lib/stats/stats.ts";
import { assertClose, distinctList, statsOf, TEXTBOOK } from "./_helpers.ts";

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
