import { assertEquals } from "@std/assert";
import { formatBinary, formatMetric, formatSeconds, formatTimeUs } from "../../lib/report/units.ts";

Deno.test("formatTimeUs() prints microseconds below 850us", () => {
  assertEquals(formatTimeUs(0), "0.00us");
  assertEquals(formatTimeUs(301.88), "301.88us");
  assertEquals(formatTimeUs(849.99), "849.99us");
});

Deno.test("formatTimeUs() switches to ms at 850us", () => {
  assertEquals(formatTimeUs(850), "0.85ms");
  assertEquals(formatTimeUs(4230), "4.23ms");
});

Deno.test("formatTimeUs() never uses s below one second", () => {
  assertEquals(formatTimeUs(999_999), "1000.00ms");
  assertEquals(formatTimeUs(999_000), "999.00ms");
});

Deno.test("formatTimeUs() uses the seconds formatter from one second up", () => {
  assertEquals(formatTimeUs(1_000_000), "1.00s");
  assertEquals(formatTimeUs(1_500_000), "1.50s");
  assertEquals(formatTimeUs(2_099_650), "2.10s");
  assertEquals(formatTimeUs(50_990_000), "50.99s");
  assertEquals(formatTimeUs(51_000_000), "0.85m");
  assertEquals(formatTimeUs(70_000_000), "1.17m");
});

Deno.test("formatTimeUs() never reaches hours", () => {
  assertEquals(formatTimeUs(3_600_000_000), "60.00m");
  assertEquals(formatTimeUs(36_000_000_000), "600.00m");
});

Deno.test("formatTimeUs() prints 0 for NaN and Infinity", () => {
  assertEquals(formatTimeUs(Number.NaN), "0.00us");
  assertEquals(formatTimeUs(Number.POSITIVE_INFINITY), "0.00us");
});

Deno.test("formatSeconds() prints the duration line's 10s, 1m and 2m with no decimals", () => {
  assertEquals(formatSeconds(10, 0), "10s");
  assertEquals(formatSeconds(50, 0), "50s");
  assertEquals(formatSeconds(51, 0), "1m");
  assertEquals(formatSeconds(60, 0), "1m");
  assertEquals(formatSeconds(90, 0), "2m");
  assertEquals(formatSeconds(120, 0), "2m");
});

Deno.test("formatSeconds() rounds exact halves to even like glibc's %.0f", () => {
  // 150 s = 2.5 m and 270 s = 4.5 m; 210 s = 3.5 m rounds up to the even 4.
  assertEquals(formatSeconds(150, 0), "2m");
  assertEquals(formatSeconds(270, 0), "4m");
  assertEquals(formatSeconds(210, 0), "4m");
});

Deno.test("formatSeconds() keeps minutes for hours", () => {
  assertEquals(formatSeconds(3600, 0), "60m");
  assertEquals(formatSeconds(3600, 2), "60.00m");
});

Deno.test("formatBinary() scales by 1024 from 870.4 up", () => {
  assertEquals(formatBinary(0), "0.00");
  assertEquals(formatBinary(870), "870.00");
  assertEquals(formatBinary(871), "0.85K");
  assertEquals(formatBinary(1024), "1.00K");
  assertEquals(formatBinary(70531 * 43), "2.89M");
  assertEquals(formatBinary(1_444_454), "1.38M");
  assertEquals(formatBinary(1024 ** 3), "1.00G");
});

Deno.test("formatBinary() stops at T", () => {
  assertEquals(formatBinary(1024 ** 4), "1.00T");
  assertEquals(formatBinary(1024 ** 5), "1024.00T");
});

Deno.test("formatMetric() scales by 1000 from 850 up", () => {
  assertEquals(formatMetric(849), "849.00");
  assertEquals(formatMetric(612.4), "612.40");
  assertEquals(formatMetric(850), "0.85k");
  assertEquals(formatMetric(3980), "3.98k");
  assertEquals(formatMetric(16_890), "16.89k");
  assertEquals(formatMetric(24_960), "24.96k");
  assertEquals(formatMetric(1_500_000), "1.50M");
  assertEquals(formatMetric(2e9), "2.00G");
});

Deno.test("formatMetric() stops at T", () => {
  assertEquals(formatMetric(1e12), "1.00T");
  assertEquals(formatMetric(1e15), "1000.00T");
});

Deno.test("formatMetric() rounds an exact 2-decimal tie to even like glibc's %.2f", () => {
  // 1.125 and 1.375 are exact in binary; toFixed() would print 1.13 and 1.38.
  assertEquals(formatMetric(1.125), "1.12");
  assertEquals(formatMetric(1.375), "1.38");
  // Decimal-looking halves are not exact in binary, so they are not ties: 1.135 is 1.13500…0888 and
  // 2.675 is 2.67499…8224.
  assertEquals(formatMetric(1.135), "1.14");
  assertEquals(formatMetric(2.675), "2.67");
});
