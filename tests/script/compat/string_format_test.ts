/** `string.format`'s float conversions print what LuaJIT prints (lib/script/compat/_string_format.ts). */
import { assertEquals } from "@std/assert";
import { assertLuajitPrints, LUAJIT, underLuajit, underWrkDeno } from "../_luajit.ts";

const FORMAT_SCRIPT = new URL("../fixtures/format_numbers.lua", import.meta.url).pathname;
const SPECS_SCRIPT = new URL("../fixtures/format_specs.lua", import.meta.url).pathname;

/** What Debian's LuaJIT (2.1.0~beta3+git20220320) prints for `format_numbers.lua`. */
const LUAJIT_OUTPUT = "[nan| nan|  nan|  nan|nan  |nan]\n" +
  "[+inf| inf|  inf|inf   |-INF|-inf]\n" +
  "[+0003.14|+3.14   |-3.14e+01|-0.000123|0xff|100.0%]\n" +
  "0.10000000000000001 1.23e+06 1.234568e+06 1.23E-04 100 0.333333 3 0.13 1e+300\n" +
  "12 -0 4.94066e-324 9.007199254741e+15 1e+15\n";

Deno.test("string.format() prints %e, %f and %g with C's digits and LuaJIT's rounding, flags and spelling", async () => {
  assertEquals(await underWrkDeno(Deno.readTextFileSync(FORMAT_SCRIPT)), LUAJIT_OUTPUT);
});

Deno.test({
  name: "string.format() prints what the installed luajit prints for the same script",
  ignore: LUAJIT === null,
  fn: async () => {
    assertEquals(await underWrkDeno(Deno.readTextFileSync(FORMAT_SCRIPT)), await underLuajit(FORMAT_SCRIPT));
  },
});

Deno.test({
  name:
    "string.format() prints what luajit prints for every flag, width and precision on numbers and strings",
  ignore: LUAJIT === null,
  fn: async () => {
    const ours = await underWrkDeno(Deno.readTextFileSync(SPECS_SCRIPT));
    assertEquals(ours.split("\n").length, 1258);
    assertEquals(ours, await underLuajit(SPECS_SCRIPT));
  },
});

const QUOTED_SCRIPT = `
local t = setmetatable({}, { __tostring = function() return "T\\n" end })
print(string.format("[%q] %q %q %q", t, 12.5, "x\\0001\\r", 1 / 3))
print(string.format("%q %q %q %q %q %q", 2 ^ 31, -2 ^ 63, 1e15, 0 / 0, -1 / 0, -0.0))
print(string.format("%q %q %q", true, nil, 42), (string.format("%q", {}):gsub("0x%x+", "ADDR")))
`;

/** What Debian's LuaJIT prints for QUOTED_SCRIPT. */
const QUOTED_OUTPUT = '["T\\\n"] "12.5" "x\\0001\\13" "0.33333333333333"\n' +
  '"2147483648" "-9.2233720368548e+18" "1e+15" "nan" "-inf" "-0"\n' +
  '"true" "nil" "42"\t"table: ADDR"\n';

Deno.test("string.format('%q') quotes the tostring of numbers, booleans, nil and tables as LuaJIT does", async () => {
  assertEquals(await underWrkDeno(QUOTED_SCRIPT), QUOTED_OUTPUT);
});

Deno.test("LuaJIT prints what the %q test expects", { ignore: LUAJIT === null }, async () => {
  await assertLuajitPrints(QUOTED_SCRIPT, QUOTED_OUTPUT);
});

const INT64_SCRIPT = `
print(string.format("%d %d %d %x %X %o %5d|%i|", 0/0, 1/0, -1/0, 0/0, 1/0, 0/0, 1e300, 2^63))
print(string.format("%d %x", 2^64, 2^64), string.format("%d %d %x %.3d %x", 1e21, 2^62, -1, 2.5, 2^63))
print(string.format("%d", 1e15), string.format("%d", 123456789012.7))
`;

/** What Debian's LuaJIT prints for INT64_SCRIPT. */
const INT64_OUTPUT = "-9223372036854775808 -9223372036854775808 -9223372036854775808 8000000000000000 " +
  "8000000000000000 1000000000000000000000 -9223372036854775808|-9223372036854775808|\n" +
  "-9223372036854775808 0\t-9223372036854775808 4611686018427387904 ffffffffffffffff 002 8000000000000000\n" +
  "1000000000000000\t123456789012\n";

Deno.test("string.format('%d') of NaN, infinities and numbers past 64 bits gives LuaJIT's 64-bit integers", async () => {
  assertEquals(await underWrkDeno(INT64_SCRIPT), INT64_OUTPUT);
});

Deno.test("LuaJIT prints what the 64-bit %d test expects", { ignore: LUAJIT === null }, async () => {
  await assertLuajitPrints(INT64_SCRIPT, INT64_OUTPUT);
});
