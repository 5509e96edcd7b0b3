/** `string.format`'s float conversions print what LuaJIT prints (lib/script/compat/_string_format.ts). */
import { assertEquals } from "@std/assert";
import { LUAJIT, underLuajit, underWrkDeno } from "../_luajit.ts";

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
