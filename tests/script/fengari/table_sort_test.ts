/**
 * table.sort on plain arrays sorted in JavaScript (lib/script/fengari/_table_sort.ts): installed behind its
 * probe, giving the orders Lua 5.3's sort.lua expects, and leaving every other case to fengari's sort.
 */

import { assertEquals } from "@std/assert";
import { lauxlib, lua, lualib } from "../../../lib/script/fengari/_lua.ts";
import { installTableSort, sortProbe } from "../../../lib/script/fengari/_table_sort.ts";
import { underWrkDeno } from "../_luajit.ts";

Deno.test("table.sort is replaced once, only where it is still fengari's own", () => {
  const L = lauxlib.luaL_newstate();
  lualib.luaL_openlibs(L);
  assertEquals(installTableSort(L), true);
  assertEquals(installTableSort(L), false);
  lua.lua_close(L);
});

Deno.test("sorted arrays come out in Lua's order (cases from Lua 5.3's sort.lua)", async () => {
  assertEquals(
    await underWrkDeno(`
      local function check(a, f)
        f = f or function(x, y) return x < y end
        for n = #a, 2, -1 do assert(not f(a[n], a[n - 1]), n) end
      end
      local a = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" }
      table.sort(a)
      check(a)
      print(table.concat(a, " "))
      local limit = 5000
      local b = {}
      for i = 1, limit do b[i] = math.random() end
      table.sort(b); check(b)
      for i = 1, limit do b[i] = math.floor(math.random() * 1000) end
      table.sort(b); check(b)
      local ints = {}
      for i = 1, 200 do ints[i] = (i * 7919) % 211 - 100 end
      table.sort(ints); check(ints)
      print(ints[1], ints[200], math.type(ints[1]))
      local bytes = { "b", "a\\0b", "a", "\\255", "A", "", "a\\0a", "ab" }
      table.sort(bytes)
      for i, s in ipairs(bytes) do bytes[i] = string.format("%q", s) end
      print(table.concat(bytes, " "))
      local same = {}
      for i = 1, 100 do same[i] = "x" end
      table.sort(same); check(same)
      local mixed = { 3, 1.5, 2 }
      table.sort(mixed)
      print(mixed[1], mixed[2], mixed[3], math.type(mixed[3]))
      local zeros = { 1, -0.0, 0.0, -1 }
      table.sort(zeros)
      print(zeros[1], zeros[4])
      local down = { 1, 3, 2 }
      table.sort(down, function(x, y) return x > y end)
      print(down[1], down[2], down[3])
      local proxied = setmetatable({}, { __index = { "b", "c", "a" }, __len = function() return 3 end,
        __newindex = function(t, k, v) rawset(t, k, v .. "!") end })
      table.sort(proxied)
      print(rawget(proxied, 1), rawget(proxied, 2), rawget(proxied, 3))
      print(pcall(table.sort, { 1, "x" }))
      print(pcall(table.sort, { 1, 2, nil, 4 }))
      print(pcall(table.sort, { 0 / 0, 1 }))`),
    "Apr Aug Dec Feb Jan Jul Jun Mar May Nov Oct Sep\n" +
      "-99\t110\tinteger\n" + // as LuaJIT prints it
      '"" "A" "a" "a\\0a" "a\\0b" "ab" "b" "\uFFFD"\n' + // byte order: "\255" last (LuaJIT's order too)
      // From here on, cases fengari's own sort handles (mixed kinds, -0, a comparator, metamethods, errors):
      "1.5\t2\t3\tinteger\n" +
      "-1\t1\n" +
      "3\t2\t1\n" +
      "a!\tb!!\tc\n" +
      "false\tattempt to compare string with number\n" +
      "false\tattempt to compare nil with number\n" +
      "true\n",
  );
});

Deno.test("plain arrays are sorted in the table's own entries, keeping each element's kind and other keys", async () => {
  const direct = sortProbe.direct;
  const output = await underWrkDeno(`
    local words = { "pear", "apple", "fig", name = "fruit" }
    table.sort(words)
    local ints = { 3, -1, 2 }
    table.sort(ints)
    local floats = { 2.5, 0.5, 1.0 }
    table.sort(floats)
    print(words[1], words[2], words[3], words.name, #words)
    print(ints[1], ints[2], ints[3], math.type(ints[1]))
    print(floats[1], floats[2], floats[3], math.type(floats[3]))
    local seen = {}
    for k, v in pairs(words) do seen[#seen + 1] = tostring(k) .. "=" .. v end
    print(table.concat(seen, " "))
    words[4] = "kiwi"
    words[1] = nil
    print(pcall(table.sort, words), words[2], words[4])
    print(pcall(table.sort, { "b", "a" }, nil), pcall(table.sort, { "b", 1 }))`);
  assertEquals(
    output,
    "apple\tfig\tpear\tfruit\t3\n" +
      "-1\t2\t3\tinteger\n" +
      "0.5\t1\t2.5\tfloat\n" +
      "1=apple 2=fig 3=pear name=fruit\n" +
      "false\tfig\tkiwi\n" + // a hole: fengari's sort, and its error
      "true\tfalse\tattempt to compare number with string\n",
  );
  assertEquals(sortProbe.direct - direct, 4, "the three plain arrays and the explicit nil comparator");
});
