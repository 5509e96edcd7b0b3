import { assertEquals } from "@std/assert";
import { formatFixed, padLeft } from "../../lib/report/_printf.ts";

Deno.test("formatFixed() matches toFixed() away from exact ties", () => {
  assertEquals(formatFixed(301.88, 2), "301.88");
  assertEquals(formatFixed(33591.78910770843, 2), "33591.79");
  assertEquals(formatFixed(0.004999, 2), "0.00");
  assertEquals(formatFixed(97.85, 2), "97.85");
  assertEquals(formatFixed(2.6, 0), "3");
});

Deno.test("formatFixed() rounds exact ties to even like glibc", () => {
  assertEquals(formatFixed(0.5, 0), "0");
  assertEquals(formatFixed(1.5, 0), "2");
  assertEquals(formatFixed(2.5, 0), "2");
  assertEquals(formatFixed(0.125, 2), "0.12");
  assertEquals(formatFixed(0.375, 2), "0.38");
  assertEquals(formatFixed(10.625, 2), "10.62");
  assertEquals(formatFixed(0.25, 1), "0.2");
});

Deno.test("formatFixed() spells NaN and infinities as glibc does for wrk: -nan, inf, -inf", () => {
  assertEquals(formatFixed(Number.NaN, 2), "-nan");
  assertEquals(formatFixed(Number.POSITIVE_INFINITY, 2), "inf");
  assertEquals(formatFixed(Number.NEGATIVE_INFINITY, 0), "-inf");
});

Deno.test("formatFixed() keeps the sign of negative amounts", () => {
  assertEquals(formatFixed(-1.5, 0), "-2");
  assertEquals(formatFixed(-0.125, 2), "-0.12");
});

Deno.test("padLeft() right-aligns without truncating", () => {
  assertEquals(padLeft("1.38M", 10), "     1.38M");
  assertEquals(padLeft("12345678901", 10), "12345678901");
});
