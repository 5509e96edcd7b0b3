import { assertEquals, assertThrows } from "@std/assert";
import { decodeStats, encodeStats } from "../../lib/stats/hdr_codec.ts";
import { Stats } from "../../lib/stats/stats.ts";
import { assertClose, distinctList, statsOf, TEXTBOOK } from "./_helpers.ts";

Deno.test("Stats.encode() and decodeStats() round-trip every sample", () => {
  const stats = statsOf([...TEXTBOOK, 0, 5000, 3_600_000_000]);
  stats.recordCount(12, 2 ** 40);
  const copy = decodeStats(encodeStats(stats));
  assertEquals(copy.count, stats.count);
  assertEquals(distinctList(copy), distinctList(stats));
  assertEquals(copy.mean, stats.mean);
  assertEquals(copy.stdev, stats.stdev);
});

Deno.test("decodeStats() returns an object that still accepts larger values", () => {
  const copy = decodeStats(encodeStats(statsOf([1, 2, 3])));
  copy.record(9e12);
  copy.add(statsOf([1e14]));
  assertEquals(copy.count, 5);
  assertClose(copy.max, 1e14, 0.001);
});

Deno.test("decodeStats() round-trips an empty object", () => {
  const copy = decodeStats(encodeStats(new Stats()));
  assertEquals(copy.count, 0);
  assertEquals(copy.max, 0);
});

Deno.test("decodeStats() throws a SyntaxError for text that is not an encoded histogram", () => {
  assertThrows(() => decodeStats("not a histogram"), SyntaxError);
});
