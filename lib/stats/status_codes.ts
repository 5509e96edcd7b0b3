/**
 * Responses counted by status code, as a thread reports them and a run or a merge of shards adds them up: a
 * record from the three-digit code (as text, the JSON result's form) to how many responses had it. Every
 * listing of the codes (the report's `Status codes` line, the JSON result, the Markdown summary) is in numeric
 * order.
 *
 * @module
 */

/** Responses by status code: `{ "200": 9800, "503": 12 }`. */
export type StatusCodes = Record<string, number>;

/**
 * Adds `more`'s counts to `total`.
 *
 * @example Two threads' codes
 * ```ts
 * import { addStatusCodes } from "./status_codes.ts";
 *
 * const total = { "200": 5 };
 * addStatusCodes(total, { "200": 2, "404": 1 });
 * console.log(total); // { "200": 7, "404": 1 }
 * ```
 */
export function addStatusCodes(total: StatusCodes, more: Readonly<StatusCodes>): void {
  for (const [code, count] of Object.entries(more)) total[code] = (total[code] ?? 0) + count;
}

/**
 * The codes and their counts in numeric order.
 *
 * @example
 * ```ts
 * import { statusCodeEntries } from "./status_codes.ts";
 *
 * console.log(statusCodeEntries({ "503": 1, "200": 9 })); // [["200", 9], ["503", 1]]
 * ```
 */
export function statusCodeEntries(codes: Readonly<StatusCodes>): [string, number][] {
  return Object.entries(codes).sort(([a], [b]) => Number(a) - Number(b));
}
