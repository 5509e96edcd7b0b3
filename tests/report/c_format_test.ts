/** C's %f, %e and %g (lib/report/c_format.ts), against glibc's and LuaJIT's rounding of exact halves. */
import { assertEquals } from "@std/assert";
import { formatExponential, formatFixed, formatGeneral } from "../../lib/report/c_format.ts";

Deno.test("formatFixed() prints the exact value's digits, ties to even (glibc) or away from zero (LuaJIT)", () => {
  assertEquals([formatFixed(2.5, 0), formatFixed(3.5, 0), formatFixed(0.125, 2)], ["2", "4", "0.12"]);
  const away = { ties: "away" as const };
  assertEquals([formatFixed(2.5, 0, away), formatFixed(0.125, 2, away)], ["3", "0.13"]);
  // 0.1 is not a tie: its double is slightly above 0.1.
  assertEquals(formatFixed(0.15, 1), "0.1");
  assertEquals(formatFixed(1e22, 0), "10000000000000000000000");
  assertEquals(formatFixed(-0, 2), "-0.00");
  assertEquals(formatFixed(0.5, 0, { alternate: true }), "0.");
});

Deno.test("formatExponential() prints at least two exponent digits and carries into the exponent", () => {
  assertEquals(formatExponential(1234567.891, 6), "1.234568e+06");
  assertEquals(formatExponential(9.96, 1), "1.0e+01");
  assertEquals(formatExponential(5e-324, 2), "4.94e-324");
  assertEquals(formatExponential(0, 0), "0e+00");
  assertEquals(formatExponential(0.000123, 2, { upper: true }), "1.23E-04");
});

Deno.test("formatGeneral() chooses %e or %f as C does and drops trailing zeros unless #", () => {
  assertEquals(formatGeneral(1234567.891, 6), "1.23457e+06");
  assertEquals(formatGeneral(0.0001234, 6), "0.0001234");
  assertEquals(formatGeneral(0.00001234, 6), "1.234e-05");
  assertEquals(formatGeneral(100, 6), "100");
  assertEquals(formatGeneral(100, 2), "1e+02");
  assertEquals(formatGeneral(0.1, 17), "0.10000000000000001");
  assertEquals(formatGeneral(2 ** 53, 14), "9.007199254741e+15");
  assertEquals(formatGeneral(100, 6, { alternate: true }), "100.000");
  assertEquals(formatGeneral(0.5, 0), "0.5");
});
