/**
 * How a total (connections, and later a request rate) is shared out: evenly, with the remainder spread one by
 * one over the first parts, so the parts add up to what was asked. wrk's `main` divides the connections by
 * the threads and drops the remainder (`-t3 -c10` opens 9); we keep it (docs/wrk-compat.md, "Where we differ").
 *
 * @module
 */

/**
 * Part `index` (0-based) of `total` shared over `parts`.
 *
 * @example Ten connections over three threads
 * ```ts
 * import { shareOf } from "./share.ts";
 *
 * console.log([0, 1, 2].map((thread) => shareOf(10, 3, thread))); // [ 4, 3, 3 ]
 * ```
 */
export function shareOf(total: number, parts: number, index: number): number {
  return Math.floor(total / parts) + (index < total % parts ? 1 : 0);
}

/**
 * Where part `index` starts when `total` is shared over `parts`: the sum of the parts before it.
 *
 * @example The first connection of each of three threads over ten connections
 * ```ts
 * import { shareStart } from "./share.ts";
 *
 * console.log([0, 1, 2].map((thread) => shareStart(10, 3, thread))); // [ 0, 4, 7 ]
 * ```
 */
export function shareStart(total: number, parts: number, index: number): number {
  return Math.floor(total / parts) * index + Math.min(index, total % parts);
}
