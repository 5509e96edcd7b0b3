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
