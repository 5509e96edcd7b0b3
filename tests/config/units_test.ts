import { assertEquals, assertMatch, assertThrows } from "@std/assert";
import { UsageError } from "../../lib/config/errors.ts";
import { parseCount, parseDurationMs } from "../../lib/config/units.ts";

Deno.test("parseCount() accepts whole numbers without a suffix", () => {
  assertEquals(parseCount("0"), 0);
  assertEquals(parseCount("1"), 1);
  assertEquals(parseCount("100"), 100);
  assertEquals(parseCount("007"), 7);
});

Deno.test("parseCount() accepts 1k, 1M and 1G", () => {
  assertEquals(parseCount("1k"), 1_000);
  assertEquals(parseCount("1M"), 1_000_000);
  assertEquals(parseCount("1G"), 1_000_000_000);
  assertEquals(parseCount("25k"), 25_000);
});

Deno.test("parseCount() reads suffixes case-insensitively, so 1m is a million", () => {
  assertEquals(parseCount("1K"), 1_000);
  assertEquals(parseCount("1m"), 1_000_000);
  assertEquals(parseCount("1g"), 1_000_000_000);
});

Deno.test("parseCount() rejects anything but a whole number with a known suffix", () => {
  for (const text of ["", " ", "abc", "k", "-1", "+1", "1.5", "1.5k", "1x", "1kb", "1 k", "1e3", "0x10"]) {
    assertThrows(() => parseCount(text), UsageError, undefined, text);
  }
});

Deno.test("parseCount() and parseDurationMs() take blanks around the value, as wrk's sscanf skips them", () => {
  assertEquals(parseCount(" 10"), 10);
  assertEquals(parseCount("10 "), 10);
  assertEquals(parseCount("\t2k\n"), 2_000);
  assertEquals(parseDurationMs(" 30s "), 30_000);
});

Deno.test("parseCount() names the bad text and the accepted form in its message", () => {
  const error = assertThrows(() => parseCount("abc"), UsageError);
  assertEquals(error.name, "UsageError");
  assertEquals(error.message, "invalid count: 'abc' (use a whole number, optionally with k, M or G)");
});

Deno.test("parseCount() rejects counts beyond the safe integer range", () => {
  assertThrows(() => parseCount("99999999999G"), UsageError, "too large");
});

Deno.test("parseDurationMs() reads a bare number as seconds", () => {
  assertEquals(parseDurationMs("0"), 0);
  assertEquals(parseDurationMs("1"), 1_000);
  assertEquals(parseDurationMs("30"), 30_000);
});

Deno.test("parseDurationMs() accepts 2s, 2m and 2h", () => {
  assertEquals(parseDurationMs("2s"), 2_000);
  assertEquals(parseDurationMs("2m"), 120_000);
  assertEquals(parseDurationMs("2h"), 7_200_000);
});

Deno.test("parseDurationMs() reads units case-insensitively, so 1M is a minute", () => {
  assertEquals(parseDurationMs("1S"), 1_000);
  assertEquals(parseDurationMs("1M"), 60_000);
  assertEquals(parseDurationMs("1H"), 3_600_000);
  assertEquals(parseDurationMs("5MS"), 5);
});

Deno.test("parseDurationMs() accepts ms and us, fractional below a millisecond", () => {
  assertEquals(parseDurationMs("500ms"), 500);
  assertEquals(parseDurationMs("250us"), 0.25);
  assertEquals(parseDurationMs("1us"), 0.001);
  assertEquals(parseDurationMs("1500us"), 1.5);
  assertEquals(parseDurationMs("3µs"), 0.003);
  // The Greek letter mu, which keyboards give as often as the micro sign.
  assertEquals(parseDurationMs("3μs"), 0.003);
});

Deno.test("units named like Object's own properties are unknown units, not numbers gone wrong", () => {
  for (const name of ["constructor", "toString", "valueOf", "hasOwnProperty"]) {
    assertThrows(() => parseDurationMs(`1${name}`), UsageError, "unknown unit", name);
    assertThrows(() => parseCount(`1${name}`), UsageError, "use a whole number", name);
  }
});

Deno.test("parseDurationMs() accepts fractional values without binary noise", () => {
  assertEquals(parseDurationMs("1.5s"), 1_500);
  assertEquals(parseDurationMs("0.5"), 500);
  assertEquals(parseDurationMs(".5"), 500);
  assertEquals(parseDurationMs("1.1s"), 1_100);
  assertEquals(parseDurationMs("0.25m"), 15_000);
  assertEquals(parseDurationMs("1.5ms"), 1.5);
});

Deno.test("parseDurationMs() names an unknown unit", () => {
  const error = assertThrows(() => parseDurationMs("3x"), UsageError);
  assertEquals(error.name, "UsageError");
  assertEquals(error.message, "cannot parse duration: '3x' has an unknown unit");
  assertThrows(() => parseDurationMs("3sec"), UsageError, "'3sec' has an unknown unit");
  assertThrows(() => parseDurationMs("1ns"), UsageError, "'1ns' has an unknown unit");
});

Deno.test("parseDurationMs() rejects text that is not a number", () => {
  for (const text of ["", "s", "abc", "-1", "-1s", "+1s", "1.", "1..5s", "1 s", "1e3", "1s2"]) {
    const error = assertThrows(() => parseDurationMs(text), UsageError, undefined, text);
    assertMatch(String(error), /^UsageError: cannot parse duration: /, text);
  }
});

Deno.test("parseDurationMs() rejects durations beyond the safe integer range", () => {
  assertThrows(() => parseDurationMs("99999999999999h"), UsageError, "too large");
});
