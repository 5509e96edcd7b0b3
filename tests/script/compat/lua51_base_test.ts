/**
 * LuaJIT's base library where real wrk scripts met Lua 5.3's instead: `tonumber` of a number with a base,
 * `ipairs` of what is not a table, and Lua 5.1's `gcinfo` and `newproxy`. The expected
 * output is LuaJIT's, checked again when `luajit` is installed.
 */
import { assertEquals } from "@std/assert";
import { assertLuajitPrints, LUAJIT, underWrkDeno } from "../_luajit.ts";

const TONUMBER = `
print(tonumber(10, 16), tonumber(-10, 16), tonumber(10.0, 16), tonumber(255, 2), tonumber(1e20, 16))
print(tonumber(2.5, 10), tonumber("0x10", 10), tonumber("ff", 10), tonumber({}, 10))
print((pcall(tonumber, true, 16)))
print(tonumber("inf"), tonumber("-inf"), tonumber(" +Infinity "), tonumber("NaN"), tonumber("inf", 10))
print(tonumber("infx"), tonumber("in"), tonumber("inf", 16), tonumber("- inf"))
`;
const TONUMBER_EXPECTED = "16\t-16\t16\tnil\tnil\n" + "2.5\t16\tnil\tnil\n" + "false\n" +
  "inf\t-inf\tinf\tnan\tinf\n" + "nil\tnil\tnil\tnil\n";

Deno.test("tonumber() with a base takes a number as its string, base 10 is the call without a base, and inf and nan are numbers, as in LuaJIT", async () => {
  assertEquals(await underWrkDeno(TONUMBER), TONUMBER_EXPECTED);
});

Deno.test("LuaJIT prints what the tonumber test expects", { ignore: LUAJIT === null }, async () => {
  await assertLuajitPrints(TONUMBER, TONUMBER_EXPECTED);
});

const LUA51 = `
local p = newproxy(true)
print(type(p), type(getmetatable(p)), next(getmetatable(p)))
getmetatable(p).__len = function() return 7 end
print(#p, #newproxy(p), getmetatable(newproxy()), getmetatable(newproxy(false)))
print((pcall(newproxy, {})), (pcall(newproxy, newproxy(false))))
local kib = gcinfo()
print(type(kib), kib > 0, kib == math.floor(kib))
print((pcall(ipairs, p)), (pcall(ipairs, "abc")), (pcall(ipairs, setmetatable({}, {__index = function(_, k) return k end}))))
`;
const LUA51_EXPECTED = "userdata\ttable\tnil\n" + "7\t7\tnil\tnil\n" + "false\tfalse\n" +
  "number\ttrue\ttrue\n" + "false\tfalse\ttrue\n";

Deno.test("newproxy() and gcinfo() are there, and ipairs() takes tables only, as in LuaJIT", async () => {
  assertEquals(await underWrkDeno(LUA51), LUA51_EXPECTED);
});

Deno.test("LuaJIT prints what the newproxy test expects", { ignore: LUAJIT === null }, async () => {
  await assertLuajitPrints(LUA51, LUA51_EXPECTED);
});

/** Lua 5.1 modules, as they sit next to older wrk scripts: `module(name, package.seeall)` and `module(...)`. */
const MODULE_FILES: Record<string, string> = {
  "oldmod.lua": `module("oldmod", package.seeall)
local prefix = "v"
function version() return prefix .. tostring(1) end
`,
  "plain.lua": `module(...)
function answer() return 42 end
`,
  "dotted.lua": `module("a.b.c", package.seeall)
function where() return _NAME .. " in " .. _PACKAGE end
`,
};

function moduleSource(dir: string): string {
  return `
package.path = "${dir}/?.lua;" .. package.path
local m = require("oldmod")
print(m.version(), oldmod.version(), m._NAME, m._PACKAGE == "", m._M == m, version)
local p = require("plain")
print(p.answer(), package.loaded.plain == p, p._NAME, getmetatable(p))
require("dotted")
print(a.b.c.where(), package.loaded["a.b.c"] == a.b.c)
print((pcall(function() module({}) end)), (pcall(function() module(1) end)))
`;
}
const MODULE_EXPECTED = "v1\tv1\toldmod\ttrue\ttrue\tnil\n" + "42\ttrue\tplain\tnil\n" +
  "a.b.c in a.b.\ttrue\n" + "false\ttrue\n";

async function withModules(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "wrk-deno-modules-" });
  try {
    for (const [name, text] of Object.entries(MODULE_FILES)) await Deno.writeTextFile(`${dir}/${name}`, text);
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("module() and package.seeall make Lua 5.1 modules work: the module's table is the rest of its file's globals", async () => {
  await withModules(async (dir) => assertEquals(await underWrkDeno(moduleSource(dir)), MODULE_EXPECTED));
});

Deno.test("LuaJIT prints what the module test expects", { ignore: LUAJIT === null }, async () => {
  await withModules((dir) => assertLuajitPrints(moduleSource(dir), MODULE_EXPECTED));
});
