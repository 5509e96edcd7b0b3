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

/** Powers of ten up to 10^9, for {@linkcode integerLength}. */
const POWERS_OF_TEN = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000];

/**
 * The length of `String(n)` for an integer of fengari's range (-2^31 to 2^31 - 1, as Lua integers are
 * there): the digits and a sign, counted without making the text ({@linkcode writeInteger} writes them). No
 * branch on the size: a chain of comparisons (`m < 10 ? 1 : m < 100 ? 2 : …`) reaches a new comparison each
 * time a counter gains a digit, and V8 then throws away the optimized code of every function it was inlined
 * into (`..`, `wrk.format`) and compiles it again.
 */
export function integerLength(n: number): number {
  const m = n < 0 ? -n : n === 0 ? 1 : n;
  // floor(log10(m)) or one less (1233 / 4096 ≈ log10(2)), corrected by one comparison.
  const estimate = ((32 - Math.clz32(m)) * 1233) >>> 12;
  return estimate + (m < POWERS_OF_TEN[estimate] ? 0 : 1) + (n >>> 31);
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

/**
 * The text of number `n` for {@linkcode writeNumber}, when it is one to make: null for an integer (fengari's are
 * all 32-bit: {@linkcode writeInteger} writes its digits, {@linkcode integerLength} counts them), else
 * {@linkcode formatNumber}'s text of the float.
 */
export function floatText(n: number, isInteger: boolean): string | null {
  return isInteger ? null : formatNumber(n);
}

/** The length of number `n` as {@linkcode writeNumber} writes it, `text` from {@linkcode floatText}. */
export function numberLength(n: number, text: string | null): number {
  return text === null ? integerLength(n) : text.length;
}

/**
 * Writes number `n` as `tostring` spells it into `bytes` at `at` (room for {@linkcode numberLength} bytes), `text`
 * from {@linkcode floatText}; returns the index after it. How `..` and `wrk.format` write numbers.
 */
export function writeNumber(bytes: Uint8Array, at: number, n: number, text: string | null): number {
  if (text === null) return writeInteger(bytes, at, n);
  const length = text.length;
  for (let i = 0; i < length; i++) bytes[at + i] = text.charCodeAt(i);
  return at + length;
}
