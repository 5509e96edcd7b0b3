/**
 * The replacements for fengari primitives (lib/script/fengari/_fast_paths.ts, fengari/_stack_patch.ts): in
 * effect, and giving the same results as Lua should, including where the originals were wrong.
 */

import { assert, assertEquals, assertMatch, assertNotEquals } from "@std/assert";
import { fastPathsInEffect, newBytes, stringKey } from "../../../lib/script/fengari/_fast_paths.ts";
import { stackPatchInEffect } from "../../../lib/script/fengari/_stack_patch.ts";
import { threadScript } from "../_helpers.ts";
import { densifyStack, jsText, lua } from "../../../lib/script/fengari/_lua.ts";
import { loadChunk, newState } from "../../../lib/script/_state.ts";

/** Runs `code` inside `init()` of a thread script and returns what it printed. */
async function run(code: string): Promise<string> {
  const { script, output } = await threadScript(`function init()\n${code}\nend`);
  await script.init();
  script.close();
  return output.text;
}

Deno.test("the replacements are the ones fengari's modules call", () => {
  assertEquals(fastPathsInEffect(), true);
  assertEquals(stackPatchInEffect(), true);
});

Deno.test("string keys are one per byte sequence (fengari's hex keys made \\1# and \\18\\3 the same key)", async () => {
  assertNotEquals(stringKey(new Uint8Array([1, 0x23])), stringKey(new Uint8Array([0x12, 3])));
  assertEquals(
    await run(`local t = {}; t["\\1#"] = "a"; t["\\18\\3"] = "b"; print(t["\\1#"], t["\\18\\3"])`),
    "a\tb\n",
  );
});

Deno.test("string keys longer than one String.fromCharCode chunk still tell strings apart", async () => {
  const long = new Uint8Array(20000).fill(120);
  const other = long.slice();
  other[19999] = 121;
  assertNotEquals(stringKey(long), stringKey(other));
  assertEquals(
    await run(`local a = string.rep("x", 20000); local b = string.rep("x", 19999) .. "y"
      local t = { [a] = 1, [b] = 2 }; print(t[a], t[b], t[string.rep("x", 20000)])`),
    "1\t2\t1\n",
  );
});

Deno.test("strings carved from shared blocks keep their bytes while many more are made", async () => {
  const first = newBytes(10);
  first.fill(7);
  for (let i = 0; i < 2000; i++) newBytes(100).fill(1);
  assertEquals([...first], new Array(10).fill(7));
  const medium = newBytes(300);
  medium.fill(9);
  for (let i = 0; i < 500; i++) newBytes(1000).fill(1);
  assertEquals([...medium], new Array(300).fill(9));
  assertEquals(medium.buffer.byteLength, 32768, "strings up to 2 KiB come from 32 KiB blocks");
  assertEquals(
    newBytes(3000).byteLength,
    newBytes(3000).buffer.byteLength,
    "longer strings get their own buffer",
  );
  assertEquals(
    await run(`local kept = {}
      for i = 1, 20000 do kept[i] = "k" .. i .. string.rep("z", i % 3000) end
      local ok = 0
      for i = 1, 20000 do if kept[i] == "k" .. i .. string.rep("z", i % 3000) then ok = ok + 1 end end
      print(ok, kept[7], #kept[299], #kept[2999])`),
    `20000\tk7zzzzzzz\t${"k299".length + 299}\t${"k2999".length + 2999}\n`,
  );
});

Deno.test("numbers and non-ASCII text convert to the same bytes as before", async () => {
  assertEquals(
    await run(`print(1 .. "", -42 .. "", 2^31 .. "", 0.5 .. "", "é" .. 1)`),
    "1\t-42\t2147483648\t0.5\té1\n",
  );
  const { script } = await threadScript(`x = "héllo"`);
  assertEquals(script.getGlobal("x"), new TextEncoder().encode("héllo"));
  script.close();
});

Deno.test("calls return the number of values their callers want", async () => {
  assertEquals(
    await run(`
      local function none() end
      local function one() return 1 end
      local function three() return 1, 2, 3 end
      local a, b, c = one()
      local d, e = three()
      local t = { three() }
      local u = { three(), three() }
      print(a, b, c, d, e, #t, #u, select("#", none()), select("#", three()), (three()))
      print(pcall(three))
      print(pcall(error, "boom", 0))
      print(string.format("%s-%s", three()))
      local function deep(n) if n == 0 then return "bottom" end return deep(n - 1) end
      print(deep(5000), coroutine.wrap(function() coroutine.yield(1, 2) end)())`),
    "1\tnil\tnil\t1\t2\t3\t4\t0\t3\t1\ntrue\t1\t2\t3\nfalse\tboom\n1-2\nbottom\t1\t2\n",
  );
});

Deno.test("a return hook (debug.sethook) still sees every return", async () => {
  assertEquals(
    await run(`
      local returns = 0
      local function f(x) return x + 1 end
      debug.sethook(function() returns = returns + 1 end, "r")
      for i = 1, 10 do f(i) end
      debug.sethook()
      print(returns >= 10)`),
    "true\n",
  );
});

Deno.test("calls with many results, then few, leave the stack usable", async () => {
  assertEquals(
    await run(`local function f(...) return ... end
      local n = 0
      for i = 1, 200 do n = n + select("#", f(table.unpack({}, 1, i))) + select("#", f()) end
      print(n, f(1, 2))`),
    `${(200 * 201) / 2}\t1\t2\n`,
  );
});

Deno.test("reused call frames keep tracebacks, errors, tail calls and coroutines right", async () => {
  const output = await run(`
    local function depth(n) if n == 0 then return debug.traceback("here", 1) end return (depth(n - 1)) end
    local trace = depth(3)
    print("depth frames", select(2, trace:gsub("in upvalue 'depth'", "")), select(2, trace:gsub("in local 'depth'", "")))
    print("init frame", trace:find("in function 'init'", 1, true) ~= nil)
    local function fail(n) if n == 0 then error("deep", 0) end return fail(n - 1) + 1 end
    print(pcall(fail, 5))
    local function tail(n) if n == 0 then return "tail done" end return tail(n - 1) end
    print(tail(50))
    local co = coroutine.wrap(function(a)
      local b = coroutine.yield(a + 1)
      local ok, e = pcall(function() coroutine.yield(b * 2); error("after yield", 0) end)
      return ok, e
    end)
    print(co(1), co(10), co())
    print(select("#", pcall(error)), (pcall(string.rep)))
    local sum = 0
    for i = 1, 200 do sum = sum + select(2, pcall(function(x) return x end, i)) end
    print("sum", sum)
  `);
  assertEquals(
    output,
    "depth frames\t3\t1\ninit frame\ttrue\nfalse\tdeep\ntail done\n2\t20\tfalse\tafter yield\n2\tfalse\nsum\t20100\n",
  );
});

Deno.test("calls to JS functions return their results and are seen by call and return hooks", async () => {
  const output = await run(`
    local calls, rets = 0, 0
    local function hook(event) if event == "call" then calls = calls + 1 elseif event == "return" then rets = rets + 1 end end
    local len = string.len
    debug.sethook(hook, "cr")
    for i = 1, 10 do len("x") end
    debug.sethook()
    print(calls, rets)
    print(select("#", string.byte("abc", 1, 3)), string.byte("abc", 1, 3))
    print(pcall(string.rep))
    local t = setmetatable({}, { __call = function(self, a) return a * 2 end })
    print(t(21), select("#", (string.byte("abc", 1, 3))))
  `);
  // As Lua 5.3 prints it (the hook also sees the call that turns it off: 11 calls and returns).
  assertEquals(
    output,
    "11\t11\n3\t97\t98\t99\nfalse\tbad argument #1 to 'string.rep' (string expected, got no value)\n42\t1\n",
  );
});

Deno.test("a deep recursion in a hook leaves no call records behind once the stack was made dense again", () => {
  const { L } = newState({ write: () => {} });
  try {
    loadChunk(
      L,
      "deep.lua",
      new TextEncoder().encode(`
      local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
      function deep() return depth(20000) end`),
    );
    assertEquals(lua.lua_pcall(L, 0, 0, 0), lua.LUA_OK);
    const records = () => {
      let count = 0;
      for (let ci = (L as unknown as { base_ci: { next: unknown } }).base_ci.next; ci; count++) {
        ci = (ci as { next: unknown }).next;
      }
      return count;
    };
    lua.lua_getglobal(L, "deep");
    assertEquals(lua.lua_pcall(L, 0, 1, 0), lua.LUA_OK);
    assertEquals(lua.lua_tonumberx(L, -1), 20000);
    lua.lua_pop(L, 1);
    assert(records() > 20000, `${records()} records kept for reuse`);
    densifyStack(L);
    assertEquals(records(), 0);
  } finally {
    lua.lua_close(L);
  }
});

Deno.test("a JS function returning more values than it pushed is an error, as in fengari", () => {
  const { L } = newState({ write: () => {} });
  try {
    lua.lua_pushjsfunction(L, () => 5);
    lua.lua_setglobal(L, "bad");
    loadChunk(L, "bad.lua", new TextEncoder().encode("return pcall(bad)"));
    assertEquals(lua.lua_pcall(L, 0, 2, 0), lua.LUA_OK);
    assertEquals(lua.lua_toboolean(L, -2), false);
    assertMatch(jsText(lua.lua_tolstring(L, -1) as Uint8Array), /not enough elements/);
  } finally {
    lua.lua_close(L);
  }
});
