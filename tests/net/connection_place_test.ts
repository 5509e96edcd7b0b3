/**
 * `-R`'s connection places (lib/net/connection_place.ts): every layout of shards and threads gives each place of
 * the test exactly once, and spreads every thread's connections evenly over the test's slots, whatever `-t`
 * each shard runs.
 */
import { assert, assertEquals } from "@std/assert";
import { connectionPlace } from "../../lib/net/connection_place.ts";
import { shareOf } from "../../lib/config/share.ts";

/** Every place of a test of `connections` over shards running `threadsOf(shard)` threads: by shard and thread. */
function allPlaces(connections: number, shards: number, threadsOf: (shard: number) => number): number[][] {
  const byThread: number[][] = [];
  for (let shard = 0; shard < shards; shard++) {
    const threads = threadsOf(shard);
    const shardConnections = shareOf(connections, shards, shard);
    for (let thread = 0; thread < threads; thread++) {
      const layout = { testConnections: connections, shards, shard, threads, thread };
      const count = shareOf(shardConnections, threads, thread);
      byThread.push(Array.from({ length: count }, (_, i) => connectionPlace(layout, i)));
    }
  }
  return byThread;
}

Deno.test("connection places are 0 … C − 1, each once, for any shards and threads (several -t per shard)", () => {
  for (const connections of [1, 2, 3, 7, 10, 64, 101, 1000]) {
    for (const shards of [1, 2, 3, 5]) {
      if (shards > connections) continue;
      for (const threadsOf of [() => 1, () => 2, (s: number) => 1 + (s % 3), () => 8]) {
        if (
          Array.from({ length: shards }, (_, s) => threadsOf(s) > shareOf(connections, shards, s)).some(
            Boolean,
          )
        ) {
          continue;
        }
        const places = allPlaces(connections, shards, threadsOf).flat().sort((a, b) => a - b);
        assertEquals(
          places,
          Array.from({ length: connections }, (_, i) => i),
          `${connections} over ${shards}`,
        );
      }
    }
  }
});

Deno.test("each thread's connections are spread evenly: consecutive places of a thread of n are at most C / n (rounded up) plus one apart", () => {
  for (
    const [connections, shards, threads] of [[1000, 1, 2], [1000, 1, 3], [400, 1, 8], [1000, 3, 2], [
      97,
      2,
      4,
    ]]
  ) {
    for (const places of allPlaces(connections, shards, () => threads)) {
      // Consecutive places of one thread are never further apart than its fair gap rounded up, plus one.
      const gap = Math.ceil(connections / places.length) + 1;
      for (let i = 1; i < places.length; i++) {
        assert(
          places[i] - places[i - 1] <= gap,
          `${connections}/${shards}/${threads}: ${places[i - 1]} → ${places[i]}`,
        );
      }
      // The first place is within the first gap: no thread waits half a round for its first slot.
      assert(places[0] < gap, `first place ${places[0]}`);
    }
  }
});

Deno.test("equal blocks are dealt in turn, as cards: -t2 -c8 gives 0 2 4 6 and 1 3 5 7", () => {
  assertEquals(allPlaces(8, 1, () => 2), [[0, 2, 4, 6], [1, 3, 5, 7]]);
  assertEquals(allPlaces(6, 2, () => 1), [[0, 2, 4], [1, 3, 5]]);
  // Two shards of two threads: shard 0's threads on places 0 4 / 2 6, shard 1's on 1 5 / 3 7.
  assertEquals(allPlaces(8, 2, () => 2), [[0, 4], [2, 6], [1, 5], [3, 7]]);
});
