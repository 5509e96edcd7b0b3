/** Helpers shared by the stats tests. */
import { assert } from "@std/assert";
import { Stats } from "../../lib/stats/stats.ts";

/** Stats holding `values`. */
export function statsOf(values: readonly number[]): Stats {
  const stats = new Stats();
  for (const value of values) stats.record(value);
  return stats;
}

/** Every distinct value and its count, ascending. */
export function distinctList(stats: Stats): [number, number][] {
  const list: [number, number][] = [];
  for (let i = 1; i <= stats.distinctCount(); i++) list.push(stats.distinct(i)!);
  return list;
}

export function assertClose(actual: number, expected: number, relative: number): void {
  assert(
    Math.abs(actual - expected) <= Math.abs(expected) * relative,
    `${actual} is not within ${relative * 100}% of ${expected}`,
  );
}

// 2, 4, 4, 4, 5, 5, 7, 9: sum 40, mean 5; squared deviations 9+1+1+1+0+0+4+16 = 32.
export const TEXTBOOK = [2, 4, 4, 4, 5, 5, 7, 9];
