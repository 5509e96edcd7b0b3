/**
 * `-R`: each connection's place in the run-wide order of slots (the connection index `laneIndex` takes,
 * lib/net/pacer.ts). Connections are shared out in contiguous blocks (shards, then threads: lib/config/share.ts),
 * and lane g's plan starts (g + ½) / R in; numbered by block, a thread's connections would take a contiguous
 * run of slots, so that with `-t2` one thread sends at twice its share for half of every round while the other
 * waits, then they swap. Here the blocks are interleaved instead: within a shard, every thread's connections
 * are spread evenly over the shard's places (connection j of a thread of n sits at (j + ½) / n of the way), and
 * the shards' places are spread evenly over the test's the same way. The places are still 0 … C − 1, each
 * once, so the test's slots are the same evenly spaced ones a single client would send on; only which
 * connection owns which slot changes. Every process computes its own connections' places from what all of
 * them know (the test's connections and the shard count), whatever `-t` the other shards run.
 *
 * @module
 */
import { shareOf } from "../config/share.ts";

/** Where a connection sits: its shard and thread, and its index in the thread's block. */
export interface ConnectionLayout {
  /** `-c` over the whole test (all shards). */
  testConnections: number;
  /** Shards of the test (1 without `--shard-count`), and this process's. */
  shards: number;
  shard: number;
  /** Threads of this process (`-t`), and the connection's. */
  threads: number;
  thread: number;
}

/**
 * The place of connection `index` (0-based, within its thread's block) over the whole test, 0 … C − 1.
 *
 * @example Two threads of four connections each take turns, not halves
 * ```ts
 * import { connectionPlace } from "./connection_place.ts";
 *
 * const layout = { testConnections: 8, shards: 1, shard: 0, threads: 2, thread: 0 };
 * console.log([0, 1, 2, 3].map((i) => connectionPlace(layout, i))); // [ 0, 2, 4, 6 ]
 * console.log([0, 1, 2, 3].map((i) => connectionPlace({ ...layout, thread: 1 }, i))); // [ 1, 3, 5, 7 ]
 * ```
 */
export function connectionPlace(layout: ConnectionLayout, index: number): number {
  const { testConnections, shards, shard, threads, thread } = layout;
  const shardConnections = shareOf(testConnections, shards, shard);
  const inShard = interleavedRank(shardConnections, threads, thread, index);
  return interleavedRank(testConnections, shards, shard, inShard);
}

/**
 * The rank of item `index` of block `block` when `total` items, shared over `blocks` contiguous blocks, are
 * ordered by their position within their block ((index + ½) / block size), earlier blocks first on a tie.
 */
function interleavedRank(total: number, blocks: number, block: number, index: number): number {
  const size = shareOf(total, blocks, block);
  let rank = 0;
  for (let other = 0; other < blocks; other++) {
    const otherSize = shareOf(total, blocks, other);
    // Items x of the other block with (2x + 1) / otherSize before (2·index + 1) / size.
    rank += countBefore(otherSize, size, (2 * index + 1) * otherSize, other < block);
  }
  return rank;
}

/**
 * How many x in 0 … n − 1 have (2x + 1) · a < b (≤ b with `orEqual`), in integers: (2x + 1) < b / a holds for
 * x < ⌈b / a⌉ / 2, and (2x + 1) ≤ b / a for x < (⌊b / a⌋ + 1) / 2.
 */
function countBefore(n: number, a: number, b: number, orEqual: boolean): number {
  const floor = floorDiv(b, a);
  const count = orEqual ? Math.floor((floor + 1) / 2) : Math.floor((floor * a < b ? floor + 1 : floor) / 2);
  return Math.min(Math.max(count, 0), n);
}

/** ⌊b / a⌋ for non-negative integers, exact where a float quotient could round across an integer. */
function floorDiv(b: number, a: number): number {
  let q = Math.floor(b / a);
  if (q * a > b) q--;
  else if ((q + 1) * a <= b) q++;
  return q;
}
