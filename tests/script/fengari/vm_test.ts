/**
 * fengari's interpreter as `lib/script/fengari/_vm.ts` replaces it (`..`, table reads and writes, method
 * lookups on strings), the call path of `_stack_patch.ts` (Lua frames in reused stack slots, `luaD_call`), and
 * the fast paths made with them for Lua-heavy scripts: `gsub` of one character class, `type()`, `tostring()`
 * of booleans, `string.format("%.Nf")`, `wrk.format()` with a body, `#`, `==` of two strings, the string
 * metatable's `__index` kept between lookups, Lua frames that set only their missing arguments to nil, call
 * records kept across tail calls, `pairs`'s border kept in front of its `WeakMap`. Each is in effect (its
 * probe counts its uses), gives LuaJIT's results on the same scripts (the expected outputs below are LuaJIT's,
 * checked again when `luajit` is installed), and fengari's copy of Lua 5.3's test suite passes on them
 * (lua_suite_test.ts).
 */

import { assert, assertEquals, assertGreater } from "@std/assert";
import { formatFixed } from "../../../lib/report/c_format.ts";
import { vmInEffect, vmProbe, vmTablePathsInEffect } from "../../../lib/script/fengari/_vm.ts";
import { preCallProbe, stackPatchInEffect } from "../../../lib/script/fengari/_stack_patch.ts";
import { patternProbe } from "../../../lib/script/fengari/_string_patterns.ts";
import { baseLibProbe } from "../../../lib/script/fengari/_base_lib.ts";
import { wrkFormatProbe } from "../../../lib/script/_wrk_format.ts";
import { borderProbe } from "../../../lib/script/compat/_ordered_next.ts";
import { assertLuajitPrints, LUAJIT, underWrkDeno } from "../_luajit.ts";

/** `underWrkDeno`, with how much each probe counter moved while the code ran. */
async function counting<T extends Record<string, number>>(
  probe: T,
  source: string,
): Promise<{ output: string; moved: Record<keyof T, number> }> {
  const before = { ...probe };
  const output = await underWrkDeno(source);
  const moved = {} as Record<keyof T, number>;
  for (const key of Object.keys(probe) as (keyof T)[]) moved[key] = probe[key] - before[key];
  return { output, moved };
}

Deno.test("fengari runs Lua code on the replaced interpreter, with its table paths and call path", () => {
  assert(vmInEffect());
  assert(vmTablePathsInEffect(), "fengari's tables hash strings as _fast_paths.ts does");
  assert(stackPatchInEffect());
});

const CONCAT = `
local values = { 0, 1, -1, 7, 42, 2147483647, -2147483648, 123456789012, 3.0, -0.0, 0.5, -1.5, 0.1, 1/3, 2/3,
  1e15, 1e14, 99999999999999, 1e100, -1e-7, 2^53, 2^63, 1/0, -1/0, 255.5, 1e-310, 5e-324, 1.7976931348623157e308 }
for i = 1, #values do
  local v = values[i]
  print(i, v .. "", "[" .. v .. "]", v .. v, "x" .. v .. "y" .. v .. "z")
end
local empty = ""
print(empty .. empty, "a" .. empty, empty .. "b", empty .. 1 .. empty, #(empty .. empty .. empty))
local long = string.rep("0123456789", 40)
print(#(long .. long), (long .. "|" .. long):sub(395, 410))
print(("\\0\\1\\255" .. "\\128"):byte(1, -1))
local log = {}
local mt = { __concat = function(a, b)
  local x = type(a) == "table" and a.name or a
  local y = type(b) == "table" and b.name or b
  log[#log + 1] = x .. "+" .. y
  return x .. y
end }
local t = setmetatable({ name = "T" }, mt)
local u = setmetatable({ name = "U" }, mt)
print("a" .. t .. "b" .. 1, t .. u, 1 .. t, t .. 2.5, "x" .. t .. u .. "y")
print(table.concat(log, " "))
print(pcall(function() return "a" .. {} end))
print(pcall(function() return "a" .. nil end))
print(pcall(function() return 1 .. true end))
`;

const CONCAT_PRINTS = `1	0	[0]	00	x0y0z
2	1	[1]	11	x1y1z
3	-1	[-1]	-1-1	x-1y-1z
4	7	[7]	77	x7y7z
5	42	[42]	4242	x42y42z
6	2147483647	[2147483647]	21474836472147483647	x2147483647y2147483647z
7	-2147483648	[-2147483648]	-2147483648-2147483648	x-2147483648y-2147483648z
8	123456789012	[123456789012]	123456789012123456789012	x123456789012y123456789012z
9	3	[3]	33	x3y3z
10	-0	[-0]	-0-0	x-0y-0z
11	0.5	[0.5]	0.50.5	x0.5y0.5z
12	-1.5	[-1.5]	-1.5-1.5	x-1.5y-1.5z
13	0.1	[0.1]	0.10.1	x0.1y0.1z
14	0.33333333333333	[0.33333333333333]	0.333333333333330.33333333333333	x0.33333333333333y0.33333333333333z
15	0.66666666666667	[0.66666666666667]	0.666666666666670.66666666666667	x0.66666666666667y0.66666666666667z
16	1e+15	[1e+15]	1e+151e+15	x1e+15y1e+15z
17	1e+14	[1e+14]	1e+141e+14	x1e+14y1e+14z
18	99999999999999	[99999999999999]	9999999999999999999999999999	x99999999999999y99999999999999z
19	1e+100	[1e+100]	1e+1001e+100	x1e+100y1e+100z
20	-1e-07	[-1e-07]	-1e-07-1e-07	x-1e-07y-1e-07z
21	9.007199254741e+15	[9.007199254741e+15]	9.007199254741e+159.007199254741e+15	x9.007199254741e+15y9.007199254741e+15z
22	9.2233720368548e+18	[9.2233720368548e+18]	9.2233720368548e+189.2233720368548e+18	x9.2233720368548e+18y9.2233720368548e+18z
23	inf	[inf]	infinf	xinfyinfz
24	-inf	[-inf]	-inf-inf	x-infy-infz
25	255.5	[255.5]	255.5255.5	x255.5y255.5z
26	1e-310	[1e-310]	1e-3101e-310	x1e-310y1e-310z
27	4.9406564584125e-324	[4.9406564584125e-324]	4.9406564584125e-3244.9406564584125e-324	x4.9406564584125e-324y4.9406564584125e-324z
28	1.7976931348623e+308	[1.7976931348623e+308]	1.7976931348623e+3081.7976931348623e+308	x1.7976931348623e+308y1.7976931348623e+308z
	a	b	1	0
800	456789|012345678
0	1	255	128
aTb1	TU	1T	T2.5	xTUy
T+b1 T+U 1+T T+2.5 U+y T+Uy
false	script.lua:24: attempt to concatenate a table value
false	script.lua:25: attempt to concatenate a nil value
false	script.lua:26: attempt to concatenate a boolean value
`;

Deno.test("'..' gives LuaJIT's text for numbers, empty and long strings, and calls __concat in Lua's order", async () => {
  const { output, moved } = await counting(vmProbe, CONCAT);
  assertEquals(output, CONCAT_PRINTS);
  assertGreater(moved.concatFast, 100, "strings and numbers are joined by the replacement");
  assertGreater(moved.concatSlow, 4, "operands with __concat (or none) go to fengari's luaV_concat");
});

Deno.test("LuaJIT prints what the '..' test expects", { ignore: LUAJIT === null }, async () => {
  await assertLuajitPrints(CONCAT, CONCAT_PRINTS);
});

Deno.test("'..' spells a number as tostring() does, NaN and -0 included", async () => {
  const output = await underWrkDeno(`
    local values = { 0/0, -(0/0), -0.0, 0.0, 1e300 * 1e10, 2^31, -2^31, 2147483647, 1.25e-5, 12345678901234567 }
    for _, v in ipairs(values) do
      local joined = v .. ""
      print(joined == tostring(v), joined == string.format("%s", v), joined)
    end`);
  for (const line of output.trim().split("\n")) assert(line.startsWith("true\ttrue\t"), line);
});

const TABLES = `
local t = {}
t.a = 1; t["b"] = "two"; t[1] = "one"; t[2.0] = "two (float key)"; t[-3] = "minus three"; t[0.5] = "half"
t[true] = "yes"
print(t.a, t.b, t[1], t[2], t[2.0], t[-3], t[0.5], t[true], t.missing, t[3], #t)
t.a = nil; t[1] = nil
print(t.a, t[1], rawget(t, "b"), t[2])
local base = { inherited = "from base", shadowed = "base" }
local obj = setmetatable({ shadowed = "own" }, { __index = base })
print(obj.inherited, obj.shadowed, obj.nothing, rawget(obj, "inherited"))
local calls = {}
local fn = setmetatable({}, { __index = function(_, k) calls[#calls + 1] = k; return k .. "!" end })
print(fn.x, fn[7], fn.x, #calls)
local writes = {}
local guarded = setmetatable({ present = 1 }, {
  __newindex = function(t2, k, v) writes[#writes + 1] = k; rawset(t2, k, v * 10) end })
guarded.present = 2; guarded.fresh = 3; guarded.fresh = 4
print(guarded.present, guarded.fresh, table.concat(writes, ","))
local proxy_target = {}
local proxy = setmetatable({}, { __newindex = proxy_target, __index = proxy_target })
proxy.k = "v"
print(rawget(proxy, "k"), proxy_target.k, proxy.k)
local mtonly = setmetatable({}, {})
mtonly.x = 1
print(mtonly.x, mtonly.y)
local d = {}
for i = 1, 10 do d["k" .. i] = i end
local seen, sum = 0, 0
for k, v in pairs(d) do d[k] = nil; seen = seen + 1; sum = sum + v end
print(seen, sum, next(d))
local o = {}
o.z = 1; o.y = 2; o.x = 3; o.y = 20
local names = {}
for k, v in pairs(o) do names[#names + 1] = k .. "=" .. v end
table.sort(names)
print(table.concat(names, " "))
print(pcall(function() local q = {}; q[nil] = 1 end))
print(pcall(function() local q = {}; q[0/0] = 1 end))
print(select("#", pcall(function() return ({}).x end)))
local s = "Hello"
print(s:upper(), s:len(), ("x"):rep(3, ","), s:sub(2, 3), type(s.len), s.nope, s[1])
string.shout = function(str) return str:upper() .. "!" end
print(s:shout())
local smt = getmetatable("")
local old = smt.__index
smt.__index = function(str, k) return old[k] or ("<" .. k .. ">") end
print(s:upper(), s.whatever)
smt.__index = old
print(s:lower(), s.whatever)
setmetatable(_G, { __index = function(_, k) error("undefined global " .. k, 2) end,
  __newindex = function(g, k, v) rawset(g, k, v .. "!") end })
newglobal = 5
print(newglobal, pcall(function() return undefined_thing end))
setmetatable(_G, nil)
`;

const TABLES_PRINTS = `1	two	one	two (float key)	two (float key)	minus three	half	yes	nil	nil	2
nil	nil	two	two (float key)
from base	own	nil	nil
x!	7!	x!	3
2	4	fresh
nil	v	v
1	nil
10	55	nil
x=3 y=20 z=1
false	script.lua:37: table index is nil
false	script.lua:38: table index is NaN
2
HELLO	5	x,x,x	el	function	nil	nil
HELLO!
HELLO	<whatever>
hello	nil
5!	false	script.lua:53: undefined global undefined_thing
`;

Deno.test("table reads and writes honour metatables, key kinds, deletion and strict globals as LuaJIT does", async () => {
  const { output, moved } = await counting(vmProbe, TABLES);
  assertEquals(output, TABLES_PRINTS);
  assertGreater(moved.getFast, 20);
  assertGreater(moved.setFast, 10);
  assertGreater(moved.stringMethodFast, 5);
});

Deno.test("LuaJIT prints what the table test expects", { ignore: LUAJIT === null }, async () => {
  await assertLuajitPrints(TABLES, TABLES_PRINTS);
});

Deno.test("an index error names the variable as Lua 5.3 does", async () => {
  const output = await underWrkDeno(`
    print(pcall(function() local n = nil; return n.field end))
    print(pcall(function() return undefined_global.field end))
    print(pcall(function() local s = "x"; return s.a.b end))`);
  assertEquals(
    output,
    "false\tscript.lua:2: attempt to index a nil value (local 'n')\n" +
      "false\tscript.lua:3: attempt to index a nil value (global 'undefined_global')\n" +
      "false\tscript.lua:4: attempt to index a nil value (field 'a')\n",
  );
});

const CALLS = `
local function args(a, b, c) return a, b, c end
print(args(1), args(1, 2, 3, 4), (args(1, 2)))
local function va(...) return select("#", ...), ... end
print(va(), va(nil), va(1, nil, 3), va(va(1, 2)))
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print(fib(20))
local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
print(depth(5000))
local function loop(n, acc) if n == 0 then return acc end return loop(n - 1, acc + 1) end
print(loop(200000, 0))
local function make(x) local y = x * 2; return function(d) x = x + d; return x, y end end
local fs = {}
for i = 1, 10 do fs[i] = make(i) end
local function clobber(a, b, c, d, e, f, g, h) local i, j, k = a, b, c; return h end
for i = 1, 10 do clobber(100, 200, 300, 400, 500, 600, 700, 800) end
local ok = true
for i = 1, 10 do local a, b = fs[i](1); if a ~= i + 1 or b ~= 2 * i then ok = false end end
print(ok, fs[3](10))
local counters = {}
for i = 1, 3 do local n = 0; counters[i] = function() n = n + i; return n end end
print(counters[1](), counters[1](), counters[2](), counters[3](), counters[3]())
local function three(a, b, c) return a, b, c end
clobber(1, 2, 3, 4, 5, 6, 7, 8)
print(three(), three(1))
local function locals() local a, b, c; return a, b, c end
clobber(1, 2, 3, 4, 5, 6, 7, 8)
print(locals())
local co = coroutine.wrap(function(a)
  local b = coroutine.yield(a + 1)
  local c, d = coroutine.yield(b * 2)
  return c .. d
end)
print(co(1), co(10), co("x", "y"))
local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i, fib(i + 5)) end end)
print(gen(), gen(), gen())
local function boom(n) if n == 0 then error({ code = 7 }) end return boom(n - 1) end
local okb, err = pcall(boom, 50)
print(okb, type(err), err.code, fib(10))
print(pcall(error, "plain", 0))
print(select("#", pcall(function() return 1, 2, 3 end)))
print(xpcall(function() local x = nil; return x() end, function(m) return "handled: " .. tostring(m ~= nil) end))
local list = { 10, 20, 30 }
local total = 0
for i, v in ipairs(list) do total = total + i * v end
local function range(n) local i = 0; return function() i = i + 1; if i <= n then return i end end end
for i in range(4) do total = total + i end
print(total)
local callable = setmetatable({}, { __call = function(self, a, b) return a + b, self end })
print((callable(2, 3)))
local acct = { balance = 0 }
function acct:deposit(v) self.balance = self.balance + v; return self end
acct:deposit(5):deposit(7)
print(acct.balance)
print(7 % 3, -7 % 3, 7 % -3, 2^10, 7 / 2, math.floor(7 / 2), 1 < 2, "a" < "b", "abc" <= "abd", 1 == 1.0)
print(pcall(function() return {} < {} end))
`;

const CALLS_PRINTS = `1	1	1
0	1	3	3	2	1	2
6765
5000
200000
true	14	6
1	2	2	3	6
nil	1	nil	nil
nil	nil	nil
2	20	xy
1	2	3	21
false	table	7	55
false	plain
4
false	handled: true
150
5
12
1	2	-2	1024	3.5	3	true	true	true	true
false	script.lua:56: attempt to compare two table values
`;

Deno.test("calls, closures over reused stack slots, coroutines and errors give LuaJIT's results", async () => {
  const { output, moved } = await counting(vmProbe, CALLS);
  assertEquals(output, CALLS_PRINTS);
  assertGreater(moved.getFast, 10);
});

Deno.test("LuaJIT prints what the calls test expects", { ignore: LUAJIT === null }, async () => {
  await assertLuajitPrints(CALLS, CALLS_PRINTS);
});

Deno.test("gsub with a pattern of one character class gives what the general matcher gives", async () => {
  const { output, moved } = await counting(
    patternProbe,
    `
    local subjects = { "", "a", "hello world", 'say "hi"\\n\\tand\\\\go', "\\0\\1\\2abc\\255", "]]-^%%.*", "aaaa" }
    local patterns = { ".", "a", "%a", "%c", "%W", '[%c"\\\\]', "[^a-c]", "[]]", "[a-]", "%%", "*", "]", "[%]x]", "-" }
    local repls = { "<%0>", "<%1>", "%%", "", { a = "A", h = false }, function(c) if c ~= "a" then return "(" .. c .. ")" end end }
    local limits = { nil, 0, 1, 2, -1 }
    local same, cases = true, 0
    for _, s in ipairs(subjects) do
      for _, p in ipairs(patterns) do
        for _, r in ipairs(repls) do
          for li = 1, 5 do
            local n = limits[li]
            local a, an = s:gsub(p, r, n)
            local b, bn = s:gsub("(" .. p .. ")", r, n)
            cases = cases + 1
            if a ~= b or an ~= bn then same = false; print(s, p, a, b, an, bn) end
          end
        end
      end
    end
    print(same, cases)
    print(pcall(string.gsub, "abc", "%a", "%2"))
    print(pcall(string.gsub, "abc", "(%a)", "%2"))
    print(pcall(string.gsub, "abc", "%a", function() return {} end))
    print(("x"):gsub("^x", "y"), ("ab"):gsub("$", "!"), ("a.b"):gsub("%.", "%%"))`,
  );
  assertEquals(
    output,
    "true\t2940\n" +
      "false\tinvalid capture index %2\n" +
      "false\tinvalid capture index %2\n" +
      "false\tinvalid replacement value (a table)\n" +
      "y\tab!\ta%b\t1\n",
  );
  assertGreater(moved.gsubSingleClass, 1470, "every single-class pattern took the byte-table path");
});

Deno.test("type() answers every type, inline or called, and fengari's error without an argument", async () => {
  const typeCalls = baseLibProbe.typeCalls;
  const { output, moved } = await counting(
    vmProbe,
    `print(type(nil), type(true), type(1), type(1.5), type("s"), type({}), type(print), type(function() end),
      type(coroutine.create(function() end)))
    local t = type("x")
    print(t == "string", #t, t .. "!", ({ string = 1 })[t])
    print(pcall(type))`,
  );
  assertEquals(
    output,
    "nil\tboolean\tnumber\tnumber\tstring\ttable\tfunction\tfunction\tthread\n" +
      "true\t6\tstring!\t1\n" +
      "false\tbad argument #1 to 'type' (value expected)\n",
  );
  assertEquals(moved.typeInline, 9, "type(v) with one result is answered by the interpreter");
  assertEquals(
    baseLibProbe.typeCalls - typeCalls,
    1,
    "the last argument of print (all its results) calls it",
  );
});

Deno.test("ipairs steps run inline on plain tables, and call the iterator under a call hook or __index", async () => {
  const { output, moved } = await counting(
    vmProbe,
    `local function walk(t)
      local out = {}
      for i, v in ipairs(t) do out[#out + 1] = i .. "=" .. tostring(v) end
      for i in ipairs(t) do out[#out + 1] = i end
      for i, v, extra in ipairs(t) do out[#out + 1] = tostring(extra) end
      return table.concat(out, " ")
    end
    print(walk({ 10, 20, nil, 40 }), walk({}), walk({ [1] = "a", [2.0] = "b", x = "y" }))
    print(walk(setmetatable({}, { __index = function(_, k) if k < 3 then return k * 100 end end })))
    local calls = 0
    debug.sethook(function() calls = calls + 1 end, "c")
    local hooked = walk({ "h" })
    debug.sethook()
    print(hooked, calls > 3)
    print(pcall(function() for i, v in ipairs() do end end))
    local iter, state, first = ipairs({ "z" })
    print(pcall(iter, state, "x"))`,
  );
  assertEquals(
    output,
    "1=10 2=20 1 2 nil nil\t\t1=a 2=b 1 2 nil nil\n" +
      "1=100 2=200 1 2 nil nil\n" +
      "1=h 1 nil\ttrue\n" +
      "false\tscript.lua:15: bad argument #1 to 'ipairs' (value expected)\n" +
      "false\tbad argument #2 to '?' (number expected, got string)\n",
  );
  assertGreater(moved.ipairsInline, 15);
});

Deno.test("pairs steps run inline and visit what next() visits: list items in order, then the other keys", async () => {
  const traversals = `
    local function keys(t)
      local out = {}
      for k, v in pairs(t) do out[#out + 1] = tostring(k) .. "=" .. tostring(v) end
      for k in pairs(t) do out[#out + 1] = type(k) end
      return table.concat(out, " ")
    end
    local shared = {}
    local t = { 10, 20, 30, x = 1, y = 2, [2.5] = "f", [true] = "b", [shared] = "t", [-1] = "neg", [100] = "far" }
    print(keys(t))
    print(keys({}), keys({ nil, 2 }), keys({ a = 1 }), keys(setmetatable({ 1, z = 2 }, { __index = function() return 0 end })))
    local holes = { 1, 2, 3, 4, 5 }
    holes[3] = nil
    print(keys(holes))
    local d = { 1, 2, 3, a = 1, b = 2, c = 3 }
    local visited = {}
    for k in pairs(d) do visited[#visited + 1] = tostring(k); d[k] = nil end
    print(table.concat(visited, " "), next(d))
    local u = { a = 1, b = 2, c = 3 }
    for k, v in pairs(u) do u[k] = v * 10 end
    print(keys(u))
    local outer = {}
    local n = { 5, 6, p = 1, q = 2 }
    for k1 in pairs(n) do for k2 in pairs(n) do outer[#outer + 1] = tostring(k1) .. tostring(k2) end end
    print(table.concat(outer, " "))
    print(next({}), next({ 7 }), next({ 7, 8 }, 1), next({ a = 1 }, "a"))
    print(pcall(function() for k in pairs(nil) do end end))
    print(pcall(next, { a = 1 }, "missing"))`;
  const { output, moved } = await counting(vmProbe, traversals);
  const called = await underWrkDeno(`debug.sethook(function() end, "c")\n${traversals}`);
  // The same text, but for the addresses of tables (another state) and the error's line (one more line).
  const normal = (text: string) =>
    text.replaceAll(/table: 0x[0-9a-f]+/g, "table").replaceAll(/script.lua:\d+:/g, "");
  assertEquals(normal(output), normal(called));
  assert(output.startsWith("1=10 2=20 3=30 x=1 y=2 2.5=f true=b table: "), output);
  assertGreater(moved.nextInline, 60);
});

Deno.test("tostring() of booleans and nil, and of a boolean with a __tostring metamethod", async () => {
  const output = await underWrkDeno(`
    print(tostring(true), tostring(false), tostring(nil), tostring(true) .. "|" .. tostring(nil))
    debug.setmetatable(true, { __tostring = function(b) return b and "yes" or "no" end })
    print(tostring(true), tostring(false), tostring(nil))
    debug.setmetatable(true, nil)
    print(tostring(true), string.format("%s", false))`);
  assertEquals(output, "true\tfalse\tnil\ttrue|nil\nyes\tno\tnil\ntrue\tfalse\n");
});

Deno.test("string.format('%.Nf') rounds halves away from zero from the exact value, as LuaJIT", async () => {
  const values = [
    0,
    0.5,
    1.5,
    2.5,
    0.125,
    0.375,
    1.005,
    2.675,
    0.045,
    1.45,
    123456.785,
    999.995,
    1e20,
    1e21,
    5e-324,
    1.7976931348623157e308,
    1 / 3,
    4.35,
    8.345,
  ];
  // Also dyadic values (exact halves at many precisions) and random ones across magnitudes.
  let seed = 7;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  for (let i = 0; i < 300; i++) {
    values.push(Math.floor(random() * 1e6) / 2 ** Math.floor(random() * 12));
    values.push(random() * 10 ** (Math.floor(random() * 30) - 15));
  }
  const precisions = [0, 1, 2, 3, 6, 10];
  const signed = values.flatMap((v) => v === 0 ? [v] : [v, -v]);
  const list = signed.map((v) => String(v)).join(", ");
  const output = await underWrkDeno(`
    local values = { ${list} }
    local precisions = { ${precisions.join(", ")} }
    for _, v in ipairs(values) do
      for _, p in ipairs(precisions) do io.write(string.format("%." .. p .. "f", v), "\\n") end
    end`);
  const expected: string[] = [];
  for (const v of signed) {
    for (const p of precisions) {
      const text = formatFixed(Math.abs(v), p, { ties: "away" });
      expected.push((v < 0 || Object.is(v, -0) ? "-" : "") + text);
    }
  }
  assertEquals(output.split("\n").slice(0, -1), expected);
  assert(expected.includes("0.13") && expected.includes("3") && expected.includes("-0.13"), "halves go up");
});

Deno.test("wrk.format() with a string or number body builds the request directly", async () => {
  const { output, moved } = await counting(
    wrkFormatProbe,
    `wrk.headers.Host = "h"
    local headers = { A = "1" }
    io.write(wrk.format("POST", "/p", headers, "body"), "|")
    io.write(wrk.format("PUT", "/q", headers, 12.5), "|")
    io.write(tostring(headers["Content-Length"]), "|", math.type(headers["Content-Length"]))`,
  );
  assertEquals(
    output,
    "POST /p HTTP/1.1\r\nA: 1\r\nHost: h\r\nContent-Length: 4\r\n\r\nbody|" +
      "PUT /q HTTP/1.1\r\nA: 1\r\nHost: h\r\nContent-Length: 4\r\n\r\n12.5|4|integer",
  );
  assertEquals(moved.direct, 2);
});

Deno.test("'#' gives fengari's border (rawlen's) for tables with holes, strings' lengths, and calls __len", async () => {
  const { output, moved } = await counting(
    vmProbe,
    `local seed = 7
    local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n + 1 end
    local same, sizes = 0, 0
    for case = 1, 300 do
      local t = {}
      for i = 1, rnd(30) - 1 do t[i] = i end
      for _ = 1, rnd(10) do t[rnd(48) - 4] = true end
      for _ = 1, rnd(6) - 1 do t[rnd(40)] = nil end
      if case % 3 == 0 then t.name = "x"; t[2.5] = 1 end
      if #t == rawlen(t) then same = same + 1 end
      sizes = sizes + #t
    end
    local big = {}
    for i = 1, 1000 do big[i] = i end
    big[1000] = nil
    print(same, sizes > 300, #big, #"", #"h\\0llo", #{ n = 1 }, #{ 1, 2, nil, 4 } == rawlen({ 1, 2, nil, 4 }))
    local counted = setmetatable({}, { __len = function() return 42 end })
    local plain = setmetatable({ 1, 2, 3 }, {})
    print(#counted, #plain, pcall(function() return #5 end))`,
  );
  assertEquals(
    output,
    "300\ttrue\t999\t0\t5\t0\ttrue\n42\t3\tfalse\tscript.lua:19: attempt to get length of a number value\n",
  );
  assertGreater(moved.lenFast, 600);
});

Deno.test("string method lookups follow the string metatable's __index when a script replaces or removes it", async () => {
  const { output, moved } = await counting(
    vmProbe,
    `local s = "abc"
    local smt = getmetatable("")
    local original = smt.__index
    print(s:upper())
    smt.__index = { upper = function() return "mine" end }
    print(s:upper())
    smt.__index = nil
    print(pcall(function() return s:upper() end))
    smt.__index = original
    print(s:upper(), s:len())`,
  );
  assertEquals(
    output,
    "ABC\nmine\nfalse\tscript.lua:8: attempt to index a string value (upvalue 's')\nABC\t3\n",
  );
  assertGreater(moved.stringMethodFast, 3);
});

Deno.test("a Lua call sets only its missing arguments to nil, and its locals never show a caller's old registers", async () => {
  const FRAMES = `local function dirty(a, b, c, d, e, f, g, h) local x, y, z = a, b, c; return h, x, y, z end
    local function params(a, b, c, d) return a, b, c, d end
    local function locals(a) local b, c; local d = a; return b, c, d end
    local function one(a) return a end
    local function deep(n, a, b) if n == 0 then return a, b end return deep(n - 1, a) end
    for _ = 1, 3 do dirty("p", "q", "r", "s", "t", "u", "v", "w") end
    print(params())
    print(params(1))
    print(params(1, 2, 3, 4, 5))
    dirty("p", "q", "r", "s", "t", "u", "v", "w")
    print(locals(9))
    print(select("#", params(5)), one(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18))
    print(deep(50, "a", "b"))
    print(dirty(1))`;
  const FRAMES_PRINTS = "nil\tnil\tnil\tnil\n1\tnil\tnil\tnil\n1\t2\t3\t4\n" +
    "nil\tnil\t9\n4\t1\na\tnil\nnil\t1\tnil\tnil\n";
  const frames = preCallProbe.luaFrames;
  assertEquals(await underWrkDeno(FRAMES), FRAMES_PRINTS);
  assertGreater(preCallProbe.luaFrames - frames, 60);
  if (LUAJIT !== null) await assertLuajitPrints(FRAMES, FRAMES_PRINTS);
});

Deno.test("'==' of two strings compares their bytes, and a string never equals another type", async () => {
  const { output, moved } = await counting(
    vmProbe,
    `local a, b = "abc", "ab" .. "c"
    print(a == b, a ~= b, a == "abd", "" == "", a == "ab", "1" == 1, type(a) == "string", type(1) == "string")
    print(("x"):rep(300) == ("x"):rep(299) .. "x", "a\\0b" == "a\\0c", "a\\0b" == "a\\0" .. "b")`,
  );
  assertEquals(output, "true\tfalse\tfalse\ttrue\tfalse\tfalse\ttrue\tfalse\ntrue\tfalse\ttrue\n");
  assertGreater(moved.eqStrings, 8);
});

Deno.test("pairs keeps each traversal's border through nested loops, loops left early and deletions", async () => {
  const hits = borderProbe.lastTableHits;
  const output = await underWrkDeno(
    `local outer = { 1, 2, 3, x = "a", y = "b" }
    local inner = { 10, 20, z = "c" }
    local out = {}
    for k in pairs(outer) do
      for k2 in pairs(inner) do out[#out + 1] = tostring(k) .. tostring(k2) end
      for _ in pairs(inner) do break end
      for _ in pairs({}) do end
    end
    print(#out, out[1], out[3], out[4], out[15])
    local t = { 1, 2, 3, a = 1, b = 2 }
    local seen = {}
    for k in pairs(t) do seen[#seen + 1] = tostring(k); t[k] = nil end
    print(#seen, seen[1], seen[2], seen[3], next(t))
    local u = { 1, 2, 3, 4, k = 1 }
    local visited = 0
    for k in pairs(u) do visited = visited + 1; if k == 1 then u[4] = nil; u[3] = nil end end
    print(visited)`,
  );
  assertEquals(output, "15\t11\t1z\t21\tyz\n5\t1\t2\t3\tnil\n3\n");
  assertGreater(borderProbe.lastTableHits - hits, 10, "most steps found their border without the WeakMap");
});

Deno.test("tail calls leave their call records for the next calls to reuse", async () => {
  const made = preCallProbe.newCallInfos;
  const output = await underWrkDeno(`local function leaf(x) return x end
    local function tail(x) return leaf(x) end
    local function viaJs(x) return tostring(x) end
    local sum = 0
    for i = 1, 5000 do sum = sum + tail(i) + #viaJs(i) end
    print(sum)`);
  assertEquals(output, "12521393\n");
  assert(preCallProbe.newCallInfos - made < 100, "records were reused, not made per call");
});
