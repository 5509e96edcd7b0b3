/**
 * Numbers as LuaJIT prints them (`%.14g`: `3` not `3.0`, `inf` not `Infinity`): wrk scripts were written for
 * LuaJIT, and fengari's own spelling (Lua 5.3's `3.0`, JS's `Infinity`) shows up in their output. Used by
 * `print`, `io.write`, `tostring`, `string.format("%s")`, `table.concat`, `wrk.format`, and by
 * `_number_spelling_patch.ts` for `..` and every other implicit conversion.
 *
 * @module
 */

/** Text of `n` as C's `printf("%.14g", n)` gives it (LuaJIT's `tostring`). */
export function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e14) return Object.is(n, -0) ? "-0" : String(n);
  if (n !== n) return "nan";
  if (n === Infinity) return "inf";
  if (n === -Infinity) return "-inf";
  return formatG(n, 14);
}

/** `%.<precision>g` for a finite number. */
function formatG(n: number, precision: number): string {
  const exponential = n.toExponential(precision - 1);
  const e = exponential.indexOf("e");
  const exponent = Number(exponential.slice(e + 1));
  if (exponent < -4 || exponent >= precision) {
    const mantissa = stripZeros(exponential.slice(0, e));
    const sign = exponent < 0 ? "-" : "+";
    const digits = String(Math.abs(exponent)).padStart(2, "0");
    return `${mantissa}e${sign}${digits}`;
  }
  return stripZeros(n.toFixed(precision - 1 - exponent));
}

function stripZeros(text: string): string {
  if (!text.includes(".")) return text;
  let end = text.length;
  while (text.charCodeAt(end - 1) === 48) end--;
  if (text.charCodeAt(end - 1) === 46) end--;
  return text.slice(0, end);
}

/**
 * The length of `String(n)` for an integer of fengari's range (-2^31 to 2^31 - 1, as Lua integers are
 * there): the digits and a sign, counted without making the text ({@linkcode writeInteger} writes them).
 */
export function integerLength(n: number): number {
  const m = n < 0 ? -n : n;
  const digits = m < 10
    ? 1
    : m < 100
    ? 2
    : m < 1000
    ? 3
    : m < 10000
    ? 4
    : m < 100000
    ? 5
    : m < 1000000
    ? 6
    : m < 10000000
    ? 7
    : m < 100000000
    ? 8
    : m < 1000000000
    ? 9
    : 10;
  return n < 0 ? digits + 1 : digits;
}

/**
 * Writes `String(n)` for an integer of fengari's range (as above) into `bytes` at `at` (there must be room for
 * {@linkcode integerLength} bytes); returns the index after it. No string is made: `String(n)` of a new number
 * allocates one and costs several times as much.
 */
export function writeInteger(bytes: Uint8Array, at: number, n: number): number {
  const end = at + integerLength(n);
  let m = n < 0 ? -n : n;
  let i = end;
  do {
    bytes[--i] = 48 + (m % 10);
    m = (m / 10) | 0;
  } while (m > 0);
  if (n < 0) bytes[at] = 45; // '-'
  return end;
}
