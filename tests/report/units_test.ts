import assert from "node:assert/strict";
import { formatBinary, formatMetric, formatSeconds, formatTimeUs } from "../../lib/report/units.ts";

Deno.test("formatTimeUs() prints microseconds below 850us", () => {
  assert.equal(formatTimeUs(0), "0.00us");
  assert.equal(formatTimeUs(301.88), "301.88us");
  assert.equal(formatTimeUs(849.99), "849.99us");
});

Deno.test("formatTimeUs() switches to ms at 850us", () => {
  assert.equal(formatTimeUs(850), "0.85ms");
  assert.equal(formatTimeUs(4230), "4.23ms");
});

Deno.test("formatTimeUs() never uses s below one second", () => {
  assert.equal(formatTimeUs(999_999), "1000.00ms");
  assert.equal(formatTimeUs(999_000), "999.00ms");
});

Deno.test("formatTimeUs() uses the seconds formatter from one second up", () => {
  assert.equal(formatTimeUs(1_000_000), "1.00s");
  assert.equal(formatTimeUs(1_500_000), "1.50s");
  assert.equal(formatTimeUs(2_099_650), "2.10s");
  assert.equal(formatTimeUs(50_990_000), "50.99s");
  assert.equal(formatTimeUs(51_000_000), "0.85m");
  assert.equal(formatTimeUs(70_000_000), "1.17m");
});

Deno.test("formatTimeUs() never reaches hours", () => {
  assert.equal(formatTimeUs(3_600_000_000), "60.00m");
  assert.equal(formatTimeUs(36_000_000_000), "600.00m");
});

Deno.test("formatTimeUs() prints 0 for NaN and Infinity", () => {
  assert.equal(formatTimeUs(Number.NaN), "0.00us");
  assert.equal(formatTimeUs(Number.POSITIVE_INFINITY), "0.00us");
});

Deno.test("formatSeconds() prints the duration line's 10s, 1m and 2m with no decimals", () => {
  assert.equal(formatSeconds(10, 0), "10s");
  assert.equal(formatSeconds(50, 0), "50s");
  assert.equal(formatSeconds(51, 0), "1m");
  assert.equal(formatSeconds(60, 0), "1m");
  assert.equal(formatSeconds(90, 0), "2m");
  assert.equal(formatSeconds(120, 0), "2m");
});

Deno.test("formatSeconds() rounds exact halves to even like glibc's %.0f", () => {
  // 150 s = 2.5 m and 270 s = 4.5 m; 210 s = 3.5 m rounds up to the even 4.
  assert.equal(formatSeconds(150, 0), "2m");
  assert.equal(formatSeconds(270, 0), "4m");
  assert.equal(formatSeconds(210, 0), "4m");
});

Deno.test("formatSeconds() keeps minutes for hours", () => {
  assert.equal(formatSeconds(3600, 0), "60m");
  assert.equal(formatSeconds(3600, 2), "60.00m");
});

Deno.test("formatBinary() scales by 1024 from 870.4 up", () => {
  assert.equal(formatBinary(0), "0.00");
  assert.equal(formatBinary(870), "870.00");
  assert.equal(formatBinary(871), "0.85K");
  assert.equal(formatBinary(1024), "1.00K");
  assert.equal(formatBinary(70531 * 43), "2.89M");
  assert.equal(formatBinary(1_444_454), "1.38M");
  assert.equal(formatBinary(1024 ** 3), "1.00G");
});

Deno.test("formatBinary() stops at T", () => {
  assert.equal(formatBinary(1024 ** 4), "1.00T");
  assert.equal(formatBinary(1024 ** 5), "1024.00T");
});

Deno.test("formatMetric() scales by 1000 from 850 up", () => {
  assert.equal(formatMetric(849), "849.00");
  assert.equal(formatMetric(612.4), "612.40");
  assert.equal(formatMetric(850), "0.85k");
  assert.equal(formatMetric(3980), "3.98k");
  assert.equal(formatMetric(16_890), "16.89k");
  assert.equal(formatMetric(24_960), "24.96k");
  assert.equal(formatMetric(1_500_000), "1.50M");
  assert.equal(formatMetric(2e9), "2.00G");
});

Deno.test("formatMetric() stops at T", () => {
  assert.equal(formatMetric(1e12), "1.00T");
  assert.equal(formatMetric(1e15), "1000.00T");
});

Deno.test("formatMetric() rounds an exact 2-decimal tie to even like glibc's %.2f", () => {
  // 1.125 and 1.375 are exact in binary; toFixed() would print 1.13 and 1.38.
  assert.equal(formatMetric(1.125), "1.12");
  assert.equal(formatMetric(1.375), "1.38");
  // Decimal-looking halves are not exact in binary, so they are not ties: 1.135 is 1.13500…0888 and
  // 2.675 is 2.67499…8224.
  assert.equal(formatMetric(1.135), "1.14");
  assert.equal(formatMetric(2.675), "2.67");
});
