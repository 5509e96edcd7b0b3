/**
 * `lib/script/fengari/_number_text.ts`'s integer writer (what `..` and `wrk.format` write numbers with) against
 * `String(n)`, at every digit boundary and sign of fengari's 32-bit integers, and floats through `writeNumber`.
 */

import { assertEquals } from "@std/assert";
import {
  floatText,
  formatNumber,
  integerLength,
  numberLength,
  writeInteger,
  writeNumber,
} from "../../../lib/script/fengari/_number_text.ts";

/** Every power of ten and of two in range, one either side, and both ends of the range, with both signs. */
function boundaries(): number[] {
  const values = new Set<number>([0, 2147483647, -2147483648]);
  for (let p = 1; p <= 1e9; p *= 10) for (const n of [p - 1, p, p + 1]) values.add(n).add(-n);
  for (let e = 0; e < 31; e++) for (const n of [2 ** e - 1, 2 ** e, 2 ** e + 1]) values.add(n).add(-n);
  return [...values].filter((n) => n >= -2147483648 && n <= 2147483647);
}

Deno.test("integerLength and writeInteger give String(n) at every digit boundary of 32-bit integers", () => {
  const bytes = new Uint8Array(16);
  for (const n of boundaries()) {
    assertEquals(integerLength(n), String(n).length, `length of ${n}`);
    const end = writeInteger(bytes, 3, n);
    assertEquals(new TextDecoder().decode(bytes.subarray(3, end)), String(n));
  }
});

Deno.test("writeNumber writes integers by their digits and floats as formatNumber spells them", () => {
  const bytes = new Uint8Array(32);
  for (const [n, isInteger] of [[42, true], [-7, true], [3, false], [0.5, false], [1e15, false]] as const) {
    const text = floatText(n, isInteger);
    assertEquals(text === null, isInteger);
    const end = writeNumber(bytes, 0, n, text);
    assertEquals(end, numberLength(n, text));
    assertEquals(new TextDecoder().decode(bytes.subarray(0, end)), isInteger ? String(n) : formatNumber(n));
  }
});
