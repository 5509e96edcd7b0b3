/**
 * Integer numerals read whole, as LuaJIT's doubles hold them: `tonumber(s, base)` (compat/_tonumber.ts) and
 * hexadecimal numerals past 32 bits (`_integer_overflow_patch.ts`), where fengari keeps only their low 32 bits.
 *
 * @module
 */

/** ASCII whitespace as Lua's `isspace`: space, \t, \n, \v, \f, \r. */
export function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** A digit's value in bases up to 36 (`0`–`9`, `a`–`z` in either case), or 36 for anything else. */
function digitValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x7a ? lower - 0x57 : 36;
}

/**
 * The value of `text` in `base` (2–36), a double: optional spaces, a sign, at least one digit, optional
 * spaces; else null.
 */
export function valueInBase(text: Uint8Array, base: number): number | null {
  let i = 0;
  while (i < text.length && isSpace(text[i])) i++;
  const negative = text[i] === 0x2d;
  if (negative || text[i] === 0x2b) i++;
  const first = i;
  let value = 0;
  for (; i < text.length && !isSpace(text[i]); i++) {
    const digit = digitValue(text[i]);
    if (digit >= base) return null;
    value = value * base + digit;
  }
  if (i === first) return null;
  while (i < text.length && isSpace(text[i])) i++;
  if (i !== text.length) return null;
  return negative ? -value : value;
}
