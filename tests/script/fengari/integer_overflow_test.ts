/**
 * Integer arithmetic past 32 bits gives the exact float, as wrk's LuaJIT gives (its numbers are doubles), in
 * the interpreter (`_vm.ts`) and in constant folding and `lua_arith` (`_integer_overflow_patch.ts`): a script
 * that sums byte counts or counts past 2^31 must not turn negative, and a `for` loop up to or past 2^31 - 1
 * must end (`forlimit` and the loop's step in `_vm.ts`). The expected output is LuaJIT's, checked
 * again when `luajit` is installed.
 */
import { assertEquals } from "@std/assert";
import { assertLuajitPrints, LUAJIT, underWrkDeno } from "../_luajit.ts";

const SCRIPT = `
local big, billion = 2147483647, 1000000000
-- Folded when the chunk compiles.
print(2147483647 + 1, -2147483648 - 1, 65536 * 65536, -(-2147483647 - 1))
-- Computed when it runs.
print(big + 1, billion + billion + billion, big * 2, -(-big - 1), big * big)
local bytes = 0
for _ = 1, 5 do bytes = bytes + 1073741824 end
print(bytes, bytes > 0, bytes - 5368709120 == 0)
-- Results that fit stay what they were.
print(big + 0, -big, 3 * -7, 7 % 3, math.floor(2^31))
local counts = { [big + 1] = "past" }
print(counts[2147483648], string.format("%d %.0f", big + 1, big * 4))
-- Numeric for loops whose index or limit reaches past 32 bits end, as LuaJIT's do.
local n, last = 0, nil
for i = 2147483640, 3e9 do n = n + 1; if n > 20 then break end end
for i = 2147483645, 2147483647 do last = i end
local down
for i = -2147483646, -2147483648, -1 do down = i end
local c = 0
for i = 2147483646, 2147483647 + 2 do c = c + 1 end
print(n, last, down, c)
`;

const EXPECTED = "2147483648\t-2147483649\t4294967296\t2147483648\n" +
  "2147483648\t3000000000\t4294967294\t2147483648\t4.6116860141324e+18\n" +
  "5368709120\ttrue\ttrue\n" +
  "2147483647\t-2147483647\t-21\t1\t2147483648\n" +
  "past\t2147483648 8589934588\n" +
  "21\t2147483647\t-2147483648\t4\n";

Deno.test("integer +, -, * and unary - past 32 bits give LuaJIT's exact numbers, folded or computed, and loops end", async () => {
  assertEquals(await underWrkDeno(SCRIPT), EXPECTED);
});

/** Hexadecimal numerals and `tonumber` with a base past 32 bits, and a hash over 32 bits as load scripts compute one. */
const HEX_SCRIPT = `
print(0xffffffff, 0xffffffff + 1, 0x100000000, 0xdeadbeef, -0x80000000, 0x7fffffff, " 0X1f " + 0)
print(tonumber("0xffffffff"), "0xffffffff" + 0, string.format("%x %d", 0xdeadbeef, 0xffffffff))
print(bit.band(0xF0F0F0F0, 0xFFFFFFFF), bit.bnot(0xffffffff), (2166136261 * 16777619) % 0x100000000)
print(tonumber("ff", 16), tonumber("ffffffff", 16), tonumber("-ffffffff", 16), tonumber("100000000", 16))
print(tonumber("zz", 36), tonumber(" 10 ", 2), tonumber("12", 2), tonumber("", 10), tonumber("-", 10))
-- FNV-1a, as load scripts hash ids.
local h = 2166136261
for _, c in ipairs({ 104, 105, 33 }) do h = (bit.bxor(h, c) * 16777619) % 2^32 end
print(h)
math.randomseed(7)
local r = math.random(0, tonumber("ffffffff", 16))
print(r >= 0 and r <= 4294967295, math.random(2^31) > 0)
`;

const HEX_EXPECTED = "4294967295\t4294967296\t4294967296\t3735928559\t-2147483648\t2147483647\t31\n" +
  "4294967295\t4294967295\tdeadbeef 4294967295\n" +
  "-252645136\t0\t84696352\n" +
  "255\t4294967295\t-4294967295\t4294967296\n" +
  "1295\t2\tnil\tnil\tnil\n" +
  "2679228712\n" +
  "true\ttrue\n";

Deno.test("hexadecimal numerals and tonumber with a base past 32 bits give LuaJIT's whole values", async () => {
  assertEquals(await underWrkDeno(HEX_SCRIPT), HEX_EXPECTED);
});

Deno.test("LuaJIT prints what the hexadecimal test expects", { ignore: LUAJIT === null }, async () => {
  await assertLuajitPrints(HEX_SCRIPT, HEX_EXPECTED);
});

Deno.test("LuaJIT prints what the integer test expects", { ignore: LUAJIT === null }, async () => {
  await assertLuajitPrints(SCRIPT, EXPECTED);
});

Deno.test("the bitwise operators take a float with an integral value by its low 32 bits, as bit.band does", async () => {
  assertEquals(
    await underWrkDeno(`print(0xF0F0F0F0 & 0xFFFFFFFF, ~0xffffffff, 0xff | 0x100000000, 2^40 >> 8, 1 << 31)
      print(pcall(function() return 1.5 | 0 end))`),
    "-252645136\t0\t255\t0\t-2147483648\nfalse\tscript.lua:2: number has no integer representation\n",
  );
});
