import assert from "node:assert/strict";
import { formatFixed, padLeft } from "../../lib/report/_printf.ts";

Deno.test("formatFixed() matches toFixed() away from exact ties", () => {
  assert.equal(formatFixed(301.88, 2), "301.88");
  assert.equal(formatFixed(33591.78910770843, 2), "33591.79");
  assert.equal(formatFixed(0.004999, 2), "0.00");
  assert.equal(formatFixed(97.85, 2), "97.85");
  assert.equal(formatFixed(2.6, 0), "3");
});

Deno.test("formatFixed() rounds exact ties to even like glibc", () => {
  assert.equal(formatFixed(0.5, 0), "0");
  assert.equal(formatFixed(1.5, 0), "2");
  assert.equal(formatFixed(2.5, 0), "2");
  assert.equal(formatFixed(0.125, 2), "0.12");
  assert.equal(formatFixed(0.375, 2), "0.38");
  assert.equal(formatFixed(10.625, 2), "10.62");
  assert.equal(formatFixed(0.25, 1), "0.2");
});

Deno.test("formatFixed() prints 0 for NaN and infinities", () => {
  assert.equal(formatFixed(Number.NaN, 2), "0.00");
  assert.equal(formatFixed(Number.POSITIVE_INFINITY, 2), "0.00");
  assert.equal(formatFixed(Number.NEGATIVE_INFINITY, 0), "0");
});

Deno.test("formatFixed() keeps the sign of negative amounts", () => {
  assert.equal(formatFixed(-1.5, 0), "-2");
  assert.equal(formatFixed(-0.125, 2), "-0.12");
});

Deno.test("padLeft() right-aligns without truncating", () => {
  assert.equal(padLeft("1.38M", 10), "     1.38M");
  assert.equal(padLeft("12345678901", 10), "12345678901");
});
