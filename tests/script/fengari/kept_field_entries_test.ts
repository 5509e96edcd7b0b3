/**
 * Reads of a constant key (`t.name`, globals, `obj:method()`) keep the table and entry they found in their
 * instruction (`getField`, lib/script/fengari/_vm.ts) and read that entry again while it is the table's. Each
 * script below runs with the kept entries and without them (`vmSwitches.keepFieldEntries`), and both print
 * the same, which is LuaJIT's output where `luajit` is installed; the probe shows the kept entries were read.
 */

import { assertEquals, assertGreater } from "@std/assert";
import { vmProbe, vmSwitches } from "../../../lib/script/fengari/_vm.ts";
import { headerTableProbe } from "../../../lib/script/_response_sink.ts";
import { assertLuajitPrints, LUAJIT, underWrkDeno } from "../_luajit.ts";
import { responseView, threadScript } from "../_helpers.ts";

/** The script's output with entries kept and without, and how many reads the kept entries answered. */
async function bothWays(source: string): Promise<{ kept: string; general: string; keptReads: number }> {
  const before = vmProbe.getKept;
  const kept = await underWrkDeno(source);
  const keptReads = vmProbe.getKept - before;
  vmSwitches.keepFieldEntries = false;
  try {
    const general = await underWrkDeno(source);
    return { kept, general, keptReads };
  } finally {
    vmSwitches.keepFieldEntries = true;
  }
}

// Every read is in a loop, so that each instruction reads its kept entry after a change.
const CHANGES = `
local t = { a = 1, b = "x" }
local out = {}
local function read() return tostring(t.a) .. "/" .. tostring(t.b) end
for round = 1, 3 do out[#out + 1] = read() end
t.a = 2                                  -- a new value, in the same entry
out[#out + 1] = read()
t.a = nil                                -- removed: the entry is dead
out[#out + 1] = read()
t.a = 3                                  -- set again: a new entry
out[#out + 1] = read()
rawset(t, "b", nil)                      -- removed without the interpreter
out[#out + 1] = read()
rawset(t, "b", "y")
out[#out + 1] = read()
for i = 1, 40 do t["k" .. i] = i end     -- the table grows
for i = 1, 40 do t["k" .. i] = nil end   -- and shrinks
out[#out + 1] = read()
local other = { a = "other" }
local function readFrom(x) return tostring(x.a) end
out[#out + 1] = readFrom(t) .. readFrom(other) .. readFrom(t) .. readFrom({}) .. readFrom(t)
print(table.concat(out, " "))
`;

const CHANGES_PRINTS = "1/x 1/x 1/x 2/x nil/x 3/x 3/nil 3/y 3/y 3other3nil3\n";

Deno.test("a kept entry gives a field's new value, and a removed or re-set key is looked up again", async () => {
  const { kept, general, keptReads } = await bothWays(CHANGES);
  assertEquals(kept, CHANGES_PRINTS);
  assertEquals(general, CHANGES_PRINTS);
  assertGreater(keptReads, 5);
});

Deno.test("LuaJIT prints what the field test expects", { ignore: LUAJIT === null }, async () => {
  await assertLuajitPrints(CHANGES, CHANGES_PRINTS);
});

const METATABLES = `
local base = { inherited = "base" }
local obj = setmetatable({ own = "own" }, { __index = base })
local calls = 0
local counted = setmetatable({}, { __index = function(_, k) calls = calls + 1 return k .. "?" end })
local out = {}
local function read()
  out[#out + 1] = tostring(obj.own) .. "," .. tostring(obj.inherited) .. "," .. tostring(counted.x)
end
read(); read()
obj.inherited = "shadow"                  -- the table's own key now
read()
obj.inherited = nil                       -- back to __index
read()
base.inherited = "changed"                -- __index's table changed
read()
rawset(counted, "x", "raw")               -- own key: no __index call
read()
counted.x = nil
read()
setmetatable(obj, nil)
read()
print(table.concat(out, " "), calls)
`;

const METATABLES_PRINTS =
  "own,base,x? own,base,x? own,shadow,x? own,base,x? own,changed,x? own,changed,raw own,changed,x? own,nil,x?\t7\n";

Deno.test("a kept entry is only a table's own key: __index still runs for absent keys", async () => {
  const { kept, general, keptReads } = await bothWays(METATABLES);
  assertEquals(kept, METATABLES_PRINTS);
  assertEquals(general, METATABLES_PRINTS);
  assertGreater(keptReads, 0);
});

Deno.test("LuaJIT prints what the metatable test expects", { ignore: LUAJIT === null }, async () => {
  await assertLuajitPrints(METATABLES, METATABLES_PRINTS);
});

const GLOBALS = `
local out = {}
local function read() out[#out + 1] = tostring(string.upper ~= nil) .. tostring(value) end
value = 1
read(); read()
value = nil
read()
_G.value = 2
read()
local saved = string
string = { upper = nil }
read()
string = saved
read()
local loaded = load("local t = ... local r = {} for i = 1, 3 do r[i] = t.v end t.v = nil r[4] = tostring(t.v) return r")
local dumped = load(string.dump(loaded))
out[#out + 1] = table.concat(loaded({ v = "a" }), ",") .. ";" .. table.concat(dumped({ v = "b" }), ",")
print(table.concat(out, " "))
`;

const GLOBALS_PRINTS = "true1 true1 truenil true2 false2 true2 a,a,a,nil;b,b,b,nil\n";

Deno.test("kept globals follow assignments, removal and a replaced library table; loaded chunks keep too", async () => {
  const { kept, general, keptReads } = await bothWays(GLOBALS);
  assertEquals(kept, GLOBALS_PRINTS);
  assertEquals(general, GLOBALS_PRINTS);
  assertGreater(keptReads, 3);
});

Deno.test("LuaJIT prints what the globals test expects", { ignore: LUAJIT === null }, async () => {
  await assertLuajitPrints(GLOBALS, GLOBALS_PRINTS);
});

Deno.test("a header table refilled for the next response is read again, not from a kept entry", async () => {
  const { script, output } = await threadScript(`
    function response(status, headers, body) print(headers["Server"], headers["X-Id"]) end`);
  await script.init();
  const sink = script.responseSink!;
  const reusedBefore = headerTableProbe.reused;
  sink.onResponse(responseView(200, [["Server", "a"], ["X-Id", "1"]]));
  sink.onResponse(responseView(200, [["Server", "b"], ["X-Id", "2"]])); // same names: values refilled
  sink.onResponse(responseView(200, [["X-Id", "3"]])); // other names: the table emptied and filled again
  sink.onResponse(responseView(200, [["Server", "d"]]));
  assertEquals(output.text, "a\t1\nb\t2\nnil\t3\nd\tnil\n");
  assertGreater(headerTableProbe.reused, reusedBefore);
  script.close();
});

const STRING_METHODS = `
local out = {}
local s = "abc"
local function read() out[#out + 1] = tostring(s:upper()) end
local function probe() return pcall(function() return s:upper() end) end
read(); read()
local upper = string.upper
string.upper = function(x) return "mine:" .. x end   -- a new value, in the same entry
read()
string.upper = nil                                   -- removed
out[#out + 1] = tostring(select(1, probe()))
string.upper = upper                                 -- set again: a new entry
read()
local smt = getmetatable("")
local methods = smt.__index
smt.__index = { upper = function() return "other table" end }
read()
smt.__index = function(_, k) return function() return "fn:" .. k end end
read()
smt.__index = methods
read()
print(table.concat(out, " "))
`;

const STRING_METHODS_PRINTS = "ABC ABC mine:abc false ABC other table fn:upper ABC\n";

Deno.test("a kept string method follows the string table and a replaced string metatable __index", async () => {
  const { kept, general, keptReads } = await bothWays(STRING_METHODS);
  assertEquals(kept, STRING_METHODS_PRINTS);
  assertEquals(general, STRING_METHODS_PRINTS);
  assertGreater(keptReads, 2);
});

Deno.test("LuaJIT prints what the string method test expects", { ignore: LUAJIT === null }, async () => {
  await assertLuajitPrints(STRING_METHODS, STRING_METHODS_PRINTS);
});
