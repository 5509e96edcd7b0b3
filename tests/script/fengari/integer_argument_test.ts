/**
 * Library arguments that must be integers take floats as wrk's LuaJIT takes them
 * (lib/script/fengari/_integer_argument_patch.ts): truncated toward zero, -2^31 beyond 32 bits or for NaN;
 * constant folding and `math.tointeger` keep Lua 5.3's answers; `math.max`/`math.min` place NaN and `n % 0` is
 * NaN as in LuaJIT. The expected output is LuaJIT's, checked again when `luajit` is installed.
 */
import { assertEquals } from "@std/assert";
import { assertLuajitPrints, LUAJIT, underWrkDeno } from "../_luajit.ts";

const SCRIPT = `
print(string.sub("abcdef", 1, 8 / 3), string.sub("abcdef", -2.7), string.rep("ab", 2.9), string.char(97.9))
print(("x"):byte(1.9), select(2.5, "a", "b", "c"), table.concat({ 1, 2, 3 }, ",", 1.5, 2.5))
print(string.sub("abcdef", 1, 1e10), string.sub("abcdef", 0 / 0), ("abc"):sub(2 ^ 31), ("abcdef"):sub("2.5"))
local t = {}
table.insert(t, 1.5, "x")
print(t[1], string.rep("x", -1.5), string.format("%d|%5.2s|%c", 2.5, "abc", 98.6))
local n = 0 / 0
print(math.max(1, n), math.max(n, 1), math.min(1, n), math.min(n, 1), math.max(1, 5, 2), math.min(3))
print(math.max(-0.0, 0), math.max(0, -0.0), math.min(-0.0, 0), math.min(0, -0.0), math.max("5", 3))
print(pcall(math.max), (pcall(math.min, "x")))
local zero, empty = 0, {}
print(5 % zero, -5 % #empty, 0 % zero, 5.5 % zero, 7 % 3, -7 % 3)
-- A load() reader is the script's own code: it runs as such while the chunk compiles.
local parts, i = { "return ", "string.sub('abcdef', 1, 29 / 6)" }, 0
print(load(function() i = i + 1 return parts[i] and string.sub(parts[i], 1, 1e2 / 2) end)())
`;

const EXPECTED = "ab\tef\tabab\ta\n" +
  "120\tb\t1,2\n" +
  "\tabcdef\tabc\tbcdef\n" +
  "x\t\t2|   ab|b\n" +
  "nan\t1\tnan\t1\t5\t3\n" +
  "0\t-0\t0\t-0\t5\n" +
  "false\tfalse\n" +
  "nan\tnan\tnan\tnan\t1\t2\n" +
  "abcd\n";

Deno.test("integer arguments take floats as LuaJIT does: truncated, -2^31 beyond 32 bits; max/min place NaN as it does", async () => {
  assertEquals(await underWrkDeno(SCRIPT), EXPECTED);
});

Deno.test("LuaJIT prints what the integer argument test expects", { ignore: LUAJIT === null }, async () => {
  await assertLuajitPrints(SCRIPT, EXPECTED);
});

Deno.test("constant folding and math.tointeger keep Lua 5.3's answers (LuaJIT has neither)", async () => {
  // The assertions of the Lua 5.3 suite's "testing floor & ceil" on math.tointeger, in a state of ours.
  const printed = await underWrkDeno(`
    local minint, maxint = math.mininteger, math.maxinteger
    assert(math.tointeger(minint) == minint and math.tointeger(minint .. "") == minint)
    assert(math.tointeger(maxint) == maxint and math.tointeger(maxint .. "") == maxint)
    assert(math.tointeger(minint + 0.0) == minint and math.type(math.tointeger(minint + 0.0)) == "integer")
    assert(math.tointeger(0.0 - minint) == nil)
    assert(math.tointeger(math.pi) == nil and math.tointeger(-math.pi) == nil)
    assert(math.tointeger(math.huge) == nil and math.tointeger(-math.huge) == nil)
    assert(math.tointeger("34.0") == 34 and math.tointeger("34.3") == nil)
    assert(math.tointeger({}) == nil and math.tointeger(0/0) == nil)
    print(pcall(function() return 1.5 | 0 end))
    print(pcall(load("return 2.5 & 1")))
    print(pcall(function() return "1.5" | 0 end))
    print(pcall(function() local a, b = 1.5, 1 return a | b end))`);
  assertEquals(
    printed,
    "false\tscript.lua:11: number has no integer representation\n" +
      'false\t[string "return 2.5 & 1"]:1: number has no integer representation\n' +
      "false\tscript.lua:13: number has no integer representation\n" +
      "false\tscript.lua:14: number (local 'a') has no integer representation\n",
  );
});
