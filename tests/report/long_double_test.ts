import { assert, assertEquals, assertThrows } from "@std/assert";
import { atLeast, divide, formatFixed, longDouble } from "../../lib/report/_long_double.ts";

/** `format_units`' arithmetic for one amount: divide while at least 0.85 × scale (at most `maxSteps` times). */
function formatUnitsDigits(amount: number, scale: number, maxSteps: number): string {
  let x = longDouble(amount);
  for (let i = 0; i < maxSteps && atLeast(x, scale * 0.85); i++) x = divide(x, scale);
  return formatFixed(x, 2);
}

Deno.test("long double: format_units' digits as wrk2's units.c prints them", () => {
  // The oracle: wrk2's format_time_us, format_metric and format_binary (src/units.c, compiled outside this
  // repository) for these amounts. Each of the µs amounts is a tie at two decimals in decimal; a long double
  // quotient lands on one side of it, a double quotient on the other for most of them.
  const timeUs: [number, string][] = [
    [855, "0.86"],
    [865, "0.87"],
    [885, "0.88"],
    [895, "0.89"],
    [905, "0.90"],
    [975, "0.98"],
    [985, "0.99"],
    [995, "1.00"],
    [1235, "1.24"],
    [76_735, "76.74"],
  ];
  for (const [us, expected] of timeUs) assertEquals(formatUnitsDigits(us, 1000, 1), expected, `${us} µs`);
  const doublesDiffer = timeUs.filter(([us, expected]) => (us / 1000).toFixed(2) !== expected).length;
  assert(doublesDiffer >= 5, "these amounts should tell a long double from a double");
  // format_time_us from one second: n /= 1000000.0, then the seconds table (scale 60).
  assertEquals(formatFixed(divide(longDouble(1_500_159), 1_000_000), 2), "1.50");
  assertEquals(formatFixed(divide(longDouble(2_565_000), 1_000_000), 2), "2.57");
  assertEquals(formatFixed(divide(divide(longDouble(89_999_999), 1_000_000), 60), 2), "1.50");
  assertEquals(formatUnitsDigits(16_885, 1000, 4), "16.89");
  assertEquals(formatUnitsDigits(1_234_565, 1000, 4), "1.23");
  assertEquals(formatUnitsDigits(1055, 1024, 4), "1.03");
});

Deno.test("long double: division rounds to 64 bits, to nearest, ties to even", () => {
  // 1 / 3 = 0.010101…₂: the 64 bits from the first 1 are 1010…10, and the rest (0.101…₂ of a unit) rounds up.
  assertEquals(divide(longDouble(1), 3), { significand: (2n ** 65n + 1n) / 3n, exponent: -65 });
  assertEquals(divide(longDouble(2 ** 60), 4), { significand: 1n, exponent: 58 });
  // A quotient of 65 bits ending in 1 is an exact tie: to the even neighbour, 2^64 (not 2^64 + 2) …
  assertEquals(divide({ significand: 2n ** 65n + 2n, exponent: 0 }, 2), { significand: 1n, exponent: 64 });
  // … and 2^64 + 4 (not 2^64 + 2) for 2^64 + 3.
  assertEquals(divide({ significand: 2n ** 65n + 6n, exponent: 0 }, 2), {
    significand: 2n ** 62n + 1n,
    exponent: 2,
  });
  assertEquals(divide(longDouble(0), 1000), { significand: 0n, exponent: 0 });
});

Deno.test("long double: %.Lf rounds the exact value, exact ties to even", () => {
  assertEquals(formatFixed(longDouble(2.5), 0), "2");
  assertEquals(formatFixed(longDouble(3.5), 0), "4");
  assertEquals(formatFixed(longDouble(0.125), 2), "0.12");
  assertEquals(formatFixed(longDouble(0.375), 2), "0.38");
  assertEquals(formatFixed(longDouble(0), 2), "0.00");
  assertEquals(formatFixed(longDouble(1e21), 2), "1000000000000000000000.00");
  assertEquals(formatFixed(longDouble(0.001), 2), "0.00");
});

Deno.test("long double: atLeast compares exactly with a double threshold", () => {
  assert(atLeast(longDouble(850), 850));
  assert(!atLeast(longDouble(849.9999999999999), 850));
  assert(atLeast(longDouble(870.4), 1024 * 0.85));
  assert(atLeast(longDouble(0), 0));
  assert(!atLeast(longDouble(0), 0.5));
});

Deno.test("long double: only format_units amounts (finite, non-negative) are accepted", () => {
  assertThrows(() => longDouble(-1), RangeError);
  assertThrows(() => longDouble(Number.NaN), RangeError);
  assertThrows(() => divide(longDouble(1), 0), RangeError);
});
