import assert from "node:assert/strict";
import { UsageError } from "../../lib/config/errors.ts";
import { parseCount, parseDurationMs } from "../../lib/config/units.ts";

Deno.test("parseCount() accepts whole numbers without a suffix", () => {
  assert.equal(parseCount("0"), 0);
  assert.equal(parseCount("1"), 1);
  assert.equal(parseCount("100"), 100);
  assert.equal(parseCount("007"), 7);
});

Deno.test("parseCount() accepts 1k, 1M and 1G", () => {
  assert.equal(parseCount("1k"), 1_000);
  assert.equal(parseCount("1M"), 1_000_000);
  assert.equal(parseCount("1G"), 1_000_000_000);
  assert.equal(parseCount("25k"), 25_000);
});

Deno.test("parseCount() reads suffixes case-insensitively, so 1m is a million", () => {
  assert.equal(parseCount("1K"), 1_000);
  assert.equal(parseCount("1m"), 1_000_000);
  assert.equal(parseCount("1g"), 1_000_000_000);
});

Deno.test("parseCount() rejects anything but a whole number with a known suffix", () => {
  for (const text of ["", "abc", "k", "-1", "+1", "1.5", "1.5k", "1x", "1kb", "1 k", " 1", "1e3", "0x10"]) {
    assert.throws(() => parseCount(text), UsageError, text);
  }
});

Deno.test("parseCount() names the bad text and the accepted form in its message", () => {
  assert.throws(() => parseCount("abc"), {
    name: "UsageError",
    message: "invalid count: 'abc' (use a whole number, optionally with k, M or G)",
  });
});

Deno.test("parseCount() rejects counts beyond the safe integer range", () => {
  assert.throws(() => parseCount("99999999999G"), /too large/);
});

Deno.test("parseDurationMs() reads a bare number as seconds", () => {
  assert.equal(parseDurationMs("0"), 0);
  assert.equal(parseDurationMs("1"), 1_000);
  assert.equal(parseDurationMs("30"), 30_000);
});

Deno.test("parseDurationMs() accepts 2s, 2m and 2h", () => {
  assert.equal(parseDurationMs("2s"), 2_000);
  assert.equal(parseDurationMs("2m"), 120_000);
  assert.equal(parseDurationMs("2h"), 7_200_000);
});

Deno.test("parseDurationMs() reads units case-insensitively, so 1M is a minute", () => {
  assert.equal(parseDurationMs("1S"), 1_000);
  assert.equal(parseDurationMs("1M"), 60_000);
  assert.equal(parseDurationMs("1H"), 3_600_000);
  assert.equal(parseDurationMs("5MS"), 5);
});

Deno.test("parseDurationMs() accepts ms and us, fractional below a millisecond", () => {
  assert.equal(parseDurationMs("500ms"), 500);
  assert.equal(parseDurationMs("250us"), 0.25);
  assert.equal(parseDurationMs("1us"), 0.001);
  assert.equal(parseDurationMs("1500us"), 1.5);
  assert.equal(parseDurationMs("3µs"), 0.003);
});

Deno.test("parseDurationMs() accepts fractional values without binary noise", () => {
  assert.equal(parseDurationMs("1.5s"), 1_500);
  assert.equal(parseDurationMs("0.5"), 500);
  assert.equal(parseDurationMs(".5"), 500);
  assert.equal(parseDurationMs("1.1s"), 1_100);
  assert.equal(parseDurationMs("0.25m"), 15_000);
  assert.equal(parseDurationMs("1.5ms"), 1.5);
});

Deno.test("parseDurationMs() names an unknown unit", () => {
  assert.throws(() => parseDurationMs("3x"), {
    name: "UsageError",
    message: "Cannot parse duration: '3x' has an unknown unit",
  });
  assert.throws(() => parseDurationMs("3sec"), /'3sec' has an unknown unit/);
  assert.throws(() => parseDurationMs("1ns"), /'1ns' has an unknown unit/);
});

Deno.test("parseDurationMs() rejects text that is not a number", () => {
  for (const text of ["", "s", "abc", "-1", "-1s", "+1s", "1.", "1..5s", "1 s", "1e3", "1s2"]) {
    assert.throws(() => parseDurationMs(text), /^UsageError: Cannot parse duration: /, text);
  }
});

Deno.test("parseDurationMs() rejects durations beyond the safe integer range", () => {
  assert.throws(() => parseDurationMs("99999999999999h"), /too large/);
});
