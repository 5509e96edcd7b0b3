/** The LuaJIT compatibility shim (lua/compat.lua plus its JS half). */

import { assert, assertEquals, assertMatch, assertRejects } from "@std/assert";
import { relative } from "@std/path";
import process from "node:process";
import { ScriptError } from "../../../lib/script/script_error.ts";
import { formatNumber } from "../../../lib/script/fengari/_number_text.ts";
import { NUMBER_SPELLING_PATCHED } from "../../../lib/script/fengari/_number_spelling_patch.ts";
import { threadScript } from "../_helpers.ts";
import { underWrkDeno } from "../_luajit.ts";
import { tableConcatProbe } from "../../../lib/script/compat/_compat.ts";

const fixtures = new URL("../fixtures/", import.meta.url);
const dataPath = new URL("data.txt", fixtures).pathname;
const modulesDir = new URL("modules/", fixtures).pathname;

/** Runs `code` as a script's top level and returns what it printed. */
async function lua(code: string, globals: Record<string, string> = {}): Promise<string> {
  // Globals are set before the code runs: init() holds the code, the top level is empty.
  const { script, output } = await threadScript(`function init()\n${code}\nend`);
  for (const [name, value] of Object.entries(globals)) script.setGlobal(name, value);
  await script.init();
  script.close();
  return output.text;
}

Deno.test("unpack() is table.unpack", async () => {
  assertEquals(await lua(`print(unpack({1, 2, 3}))`), "1\t2\t3\n");
});

Deno.test("loadstring() compiles a chunk", async () => {
  assertEquals(await lua(`print(loadstring("return 1 + 1")())`), "2\n");
  assertMatch(
    await lua(`print(loadstring("return +"))`),
    /^nil\t\[string "return \+"\]:1: unexpected symbol/,
  );
});

Deno.test("setfenv() and getfenv() change and read a function's environment", async () => {
  const out = await lua(`
    local function f() return x end
    local env = { x = "sandboxed" }
    print(setfenv(f, env) == f, f(), getfenv(f) == env, getfenv(print) == _G, getfenv() == _G, getfenv(0) == _G)`);
  assertEquals(out, "true\tsandboxed\ttrue\ttrue\ttrue\ttrue\n");
});

Deno.test("table.getn(), table.maxn(), table.foreach() and table.foreachi() behave as in Lua 5.1", async () => {
  const out = await lua(`
    print(table.getn({1, 2, 3}), table.maxn({[1] = 1, [7] = 2, x = 3}), table.maxn({}))
    table.foreachi({"a", "b"}, function(i, v) io.write(i, v, " ") end)
    print(table.foreach({k = "v"}, function(k, v) return k .. v end))`);
  assertEquals(out, "3\t7\t0\n1a 2b kv\n");
});

Deno.test("math.pow(), math.log10(), math.mod() and friends are back", async () => {
  const out = await lua(`
    print(math.pow(2, 10), math.log10(1000), math.mod(7, 3), math.mod(-7, 3))
    print(math.atan2(1, 1) == math.atan(1, 1), math.cosh(0), math.sinh(0), math.tanh(0))
    local m, e = math.frexp(8)
    print(m, e, math.ldexp(0.5, 4), math.frexp(0))`);
  assertEquals(out, "1024\t3\t1\t-1\ntrue\t1\t0\t0\n0.5\t4\t8\t0\t0\n");
});

Deno.test("bit.* follows LuaJIT's bitop semantics", async () => {
  const out = await lua(`
    print(bit.tobit(0xffffffff), bit.tobit(2^32 + 5), bit.tobit(1.5), bit.tobit(2.5), bit.tobit(-1.5))
    print(bit.tohex(255), bit.tohex(-1, -4), bit.tohex(0x12345678, 2), bit.tohex(1, 12))
    print(bit.bnot(0), bit.band(0xff, 0x0f, 0x3), bit.bor(1, 2, 4), bit.bxor(5, 3))
    print(bit.lshift(1, 31), bit.lshift(1, 32), bit.rshift(-1, 28), bit.arshift(-256, 4))
    print(bit.rol(0x12345678, 8), bit.ror(0x12345678, 8), bit.bswap(0x12345678), bit.rol(1, 0))`);
  assertEquals(
    out,
    "-1\t5\t2\t2\t-2\n" +
      "000000ff\tFFFF\t78\t00000001\n" +
      "-1\t3\t7\t6\n" +
      "-2147483648\t1\t15\t-16\n" +
      `${0x34567812}\t${0x78123456}\t${0x78563412}\t1\n`,
  );
});

Deno.test("string.format('%d') truncates floats and prints big numbers like LuaJIT", async () => {
  const out = await lua(`
    print(string.format("%d|%d|%i", 3.7, -3.7, 2.0))
    print(string.format("[%5d|%-5d|%05d|%+d|%.3d]", 2.5, 2.5, 2.5, 7.9, 4))
    print(string.format("%d %d %x %X %o", 2^40, -2^40, 2^32, 2^32 + 10, 2^33))
    print(string.format("[%15d|%-15d|%015d]", 2^40, 2^40, -2^40))
    print(string.format("%s %s %s %5.1f %g%%", 3.0, 1/0, 2^63, 2.26, 99.999))
    print(string.format("%d%%,%s", 5, "x"))`);
  assertEquals(
    out,
    "3|-3|2\n" +
      "[    2|2    |00002|+7|004]\n" +
      "1099511627776 -1099511627776 100000000 10000000A 100000000000\n" +
      "[  1099511627776|1099511627776  |-01099511627776]\n" +
      "3 inf 9.2233720368548e+18   2.3 99.999%\n" +
      "5%,x\n",
  );
});

Deno.test("tostring() and print() spell numbers as LuaJIT does", async () => {
  const out = await lua(`
    print(tostring(3.0), tostring(-0.0), tostring(1/0), tostring(-1/0), tostring(0/0) == "nan" or tostring(0/0) == "-nan")
    print(0.1, 1e100, 123456789012345678, 2^53, 1e15, 1e14 - 1, 5 // 2, 7 / 2)`);
  assertEquals(
    out,
    "3\t-0\tinf\t-inf\ttrue\n0.1\t1e+100\t1.2345678901235e+17\t9.007199254741e+15\t1e+15\t99999999999999\t2\t3.5\n",
  );
});

Deno.test("'..' and implicit conversions spell floats as LuaJIT does", async () => {
  const out = await lua(`
    local t = os.time()
    print("x" .. 3.0, 1/0 .. "", -1/0 .. "", 2^53 .. "", 0.1 .. "", string.rep(2.0, 2), #tostring(t) == #(t .. ""))
    print(("n=%s"):format(10 / 2), 5 .. "", 7 // 2 .. "", 7 / 2 .. "")`);
  assertEquals(out, "x3\tinf\t-inf\t9.007199254741e+15\t0.1\t22\ttrue\nn=5\t5\t3\t3.5\n");
  assertEquals(NUMBER_SPELLING_PATCHED, true);
});

Deno.test("formatNumber() matches C's %.14g", () => {
  const cases: [number, string][] = [
    [0, "0"],
    [1, "1"],
    [-2.5, "-2.5"],
    [1e-5, "1e-05"],
    [0.0001, "0.0001"],
    [123456.789, "123456.789"],
    [1 / 3, "0.33333333333333"],
    [1e21, "1e+21"],
    [1.5e300, "1.5e+300"],
    [99999999999999.9, "1e+14"],
  ];
  for (const [n, expected] of cases) assertEquals(formatNumber(n), expected, String(n));
});

Deno.test("pairs() visits list items in order, then the other keys", async () => {
  const out = await lua(`
    for _, v in pairs({50, 90, 99, 99.999}) do io.write(v, " ") end
    print()
    local t = {1, 2, 3, a = "x"}
    t.b = "y"
    for k, v in pairs(t) do io.write(k, "=", v, " ") end
    print()
    print(next({}), next({7}), next({7}, 1))
    local n = 0
    local big = {}
    for i = 1, 120 do big[#big + 1] = i end
    local prev = 0
    local ordered = true
    for k in pairs(big) do ordered = ordered and k == prev + 1; prev = k; n = n + 1 end
    print(n, ordered)
    local removed = {1, 2, 3, x = 1}
    for k in pairs(removed) do removed[k] = nil end
    print(next(removed))`);
  assertEquals(out, "50 90 99 99.999 \n1=1 2=2 3=3 a=x b=y \nnil\t1\tnil\n120\ttrue\nnil\n");
});

Deno.test("io.open() reads files with Lua 5.1 formats", async () => {
  const out = await lua(
    `
    local f = assert(io.open(path))
    print(io.type(f), f:read("*l"), f:read("L"), f:read("n"), f:read("*n"), f:read(1), f:read("*a"), f:read("a"), f:read("l"))
    print(f:seek("set", 5), f:read(3), f:seek("cur"), f:seek("end"))
    print(f:close(), io.type(f), tostring(f), pcall(f.read, f))
    f = io.open(path, "rb")
    local n = 0
    for line in f:lines() do n = n + 1 end
    print(n, f:write("x"))`,
    { path: dataPath },
  );
  assertEquals(
    out,
    "file\tline one\tline two\n\t42\t3.5\t\n\t\t\tnil\n" +
      "5\tone\t8\t25\n" +
      "true\tclosed file\tfile (closed)\tfalse\tattempt to use a closed file\n" +
      // As LuaJIT: writing to a file opened for reading fails with EBADF.
      "3\tnil\tBad file descriptor\t9\n",
  );
});

Deno.test("io.lines() iterates a file's lines and fails for a missing file", async () => {
  const out = await lua(
    `
    for line in io.lines(path) do io.write("[", line, "]") end
    print()
    print(pcall(io.lines, "no/such/file.txt"))`,
    { path: dataPath },
  );
  assertEquals(out, "[line one][line two][42 3.5]\nfalse\tno/such/file.txt: No such file or directory\n");
});

Deno.test("io.open() resolves relative paths from the working directory", async () => {
  const out = await lua(`local f = assert(io.open(path)); print(f:read("l"))`, {
    path: relative(Deno.cwd(), dataPath),
  });
  assertEquals(out, "line one\n");
});

Deno.test("io.open() returns nil, a message naming the flag and EACCES where writing was not allowed, and reports missing files", async () => {
  // This test file runs with --allow-write=/tmp only: the fixture is outside it, and no --write path is given.
  const out = await lua(
    `
    print(io.open(path, "w"))
    print(io.open(path, "a+"))
    print(io.open("missing.txt"))
    print(pcall(io.open, path, "rw"))`,
    { path: dataPath },
  );
  const refusal = `nil\t${dataPath}: Permission denied (scripts may only write under --write <dir>)\t13`;
  assertEquals(
    out,
    `${refusal}\n` +
      `${refusal}\n` +
      "nil\tmissing.txt: No such file or directory\t2\n" +
      "false\tbad argument #2 to 'open' (invalid mode)\n",
  );
});

Deno.test("io.write() and print() go to the write option, not the process's stdout", async () => {
  const out = await lua(`
    io.write("a", 1, 2.5, "\\n")
    print("x", nil, true, 3.0, {} ~= nil)
    io.write("c"):write("d\\n")
    io.stdout:write("e", "\\n")
    print(pcall(io.write, {}))`);
  assertEquals(
    out,
    "a12.5\nx\tnil\ttrue\t3\ttrue\ncd\ne\nfalse\tbad argument #1 to 'io.write' (string expected, got table)\n",
  );
});

Deno.test("os.getenv() reads the environment and gives nil for unset names", async () => {
  const home = Deno.env.get("HOME") ?? "";
  const out = await lua(`print(os.getenv("HOME"), os.getenv("WRK_DENO_SURELY_UNSET_VARIABLE"))`);
  assertEquals(out, `${home}\tnil\n`);
});

Deno.test("os.time() is a float so arithmetic on it does not wrap", async () => {
  const before = Math.floor(Date.now() / 1000);
  const out = await lua(`local t = os.time(); print(math.type(t), t * 1000 > 1e12, t)`);
  const [type, big, seconds] = out.trim().split("\t");
  assertEquals(type, "float");
  assertEquals(big, "true");
  assert(Math.abs(Number(seconds) - before) <= 2);
});

Deno.test("os.clock() measures CPU time, not wall time", async () => {
  const out = await lua(`
    local a = os.clock()
    local x = 0
    for i = 1, 200000 do x = x + i end
    local b = os.clock()
    print(b > a, a > 0)`);
  assertEquals(out, "true\ttrue\n");
  // node:process, as os.clock() itself: Deno's public API has no CPU time of the process.
  const usage = process.cpuUsage();
  const cpuSeconds = (usage.user + usage.system) / 1e6;
  const clock = Number(await lua(`print(os.clock())`));
  // CPU time of this process, close to what node:process reports (and far below wall time since boot).
  assert(clock >= cpuSeconds && clock < cpuSeconds + 5, `${clock} vs ${cpuSeconds}`);
});

Deno.test("os.date() honours the '!' prefix for UTC", async () => {
  const out = await lua(`
    print(os.date("!%Y-%m-%d %H:%M:%S", 0))
    print(os.date("!%H", 86400 + 3600 * 5), os.date("!*t", 3600).hour, type(os.date()))`);
  assertEquals(out, "1970-01-01 00:00:00\n05\t1\tstring\n");
});

Deno.test("collectgarbage() reports the heap size and accepts the other options", async () => {
  const out = await lua(`
    local kib = collectgarbage("count")
    print(type(kib), kib > 0, collectgarbage(), collectgarbage("collect"), collectgarbage("step"), collectgarbage("isrunning"))
    print(pcall(collectgarbage, "bogus"))`);
  assertEquals(
    out,
    "number\ttrue\t0\t0\ttrue\ttrue\nfalse\tbad argument #1 to 'collectgarbage' (invalid option 'bogus')\n",
  );
});

Deno.test("os.exit() raises a ScriptError carrying the exit code instead of ending the process", async () => {
  const { script, output } = await threadScript(`print("before"); os.exit(3); print("after")`).catch(
    (error) => {
      assert(error instanceof ScriptError);
      assertEquals(error.exitCode, 3);
      assertEquals(error.message, "script.lua: os.exit(3) called");
      return { script: null, output: null };
    },
  );
  assertEquals(script, null);
  assertEquals(output, null);
  const { script: later } = await threadScript(`function init() os.exit(true) end`);
  const error = await assertRejects(() => later.init());
  assert(error instanceof ScriptError);
  assertEquals(error.exitCode, 0);
  assertEquals(error.hook, "init");
  assertEquals(error.message, "script.lua: os.exit(0) called in init()");
  later.close();
});

Deno.test("require() loads Lua modules and never JavaScript", async () => {
  const out = await lua(
    `
    package.path = dir .. "?.lua;" .. package.path
    print(require("greet").hello("wrk"), #package.searchers, package.jspath, package.loadlib, fengari)
    package.jspath = dir .. "?.js"
    local ok, err = pcall(require, "jsmod")
    print(ok, err:match("module 'jsmod' not found") ~= nil)`,
    { dir: modulesDir },
  );
  assertEquals(out, "hello wrk\t2\tnil\tnil\tnil\ntrue\ttrue\n".replace("true\ttrue", "false\ttrue"));
  assertEquals((globalThis as Record<string, unknown>).__wrkJsModuleLoaded, undefined);
});

Deno.test("package.path starts as LuaJIT's (its 5.1 directories), then Lua 5.3's", async () => {
  const out = await lua(`print(package.path)`);
  assertEquals(
    out,
    "./?.lua;/usr/share/luajit-2.1.0-beta3/?.lua;/usr/share/luajit-2.1/?.lua;/usr/local/share/lua/5.1/?.lua;" +
      "/usr/local/share/lua/5.1/?/init.lua;/usr/share/lua/5.1/?.lua;/usr/share/lua/5.1/?/init.lua;" +
      "/usr/local/share/lua/5.3/?.lua;/usr/local/share/lua/5.3/?/init.lua;/usr/share/lua/5.3/?.lua;" +
      "/usr/share/lua/5.3/?/init.lua;./?/init.lua\n",
  );
});

Deno.test("require() of a C module wrk scripts use fails with one line naming it and a pure-Lua replacement", async () => {
  const out = await lua(`
    print(select(2, pcall(require, "cjson")))
    package.path = "./?.lua;/opt/lua/?.lua"
    print(select(2, pcall(require, "no_such_module")))`);
  assertEquals(
    out,
    "module 'cjson' not found: wrk-deno loads Lua modules only, no C modules; use a pure-Lua JSON module such " +
      "as rxi's json.lua or dkjson.lua, in the working directory\n" +
      "module 'no_such_module' not found: no Lua file for it on package.path (./?.lua;/opt/lua/?.lua, relative " +
      "to the working directory)\n",
  );
});

Deno.test("table.concat() spells numbers as LuaJIT does", async () => {
  const out = await lua(`
    print(table.concat({ 1, 2.0, 2.5, "x" }, ","), table.concat({}, ","), table.concat({ "a", "b", "c" }, "-", 2, 3))
    print(pcall(table.concat, { 1, {} }))`);
  assertEquals(out, "1,2,2.5,x\t\tb-c\nfalse\tinvalid value (table) at index 2 in table for 'concat'\n");
});

Deno.test("string.gfind() is string.gmatch", async () => {
  assertEquals(await lua(`for w in string.gfind("a b", "%a") do io.write(w) end print()`), "ab\n");
});

Deno.test("os.execute() and os.tmpname() raise a clear error whatever the permissions", async () => {
  // This test file runs with --allow-run: the refusal must come from the script layer.
  const out = await lua(`
    for _, call in ipairs({
      function() os.execute("touch /tmp/wrk-deno-must-not-exist") end,
      function() os.tmpname() end,
    }) do
      local ok, err = pcall(call)
      print(ok, err)
    end`);
  const lines = out.trim().split("\n");
  assertEquals(lines.length, 2);
  ["execute", "tmpname"].forEach((name, i) => {
    assertMatch(lines[i], new RegExp(`^false\t.*os\\.${name}\\(\\) is not supported in wrk-deno`));
  });
  assertEquals(await Deno.stat("/tmp/wrk-deno-must-not-exist").catch(() => null), null);
});

Deno.test("os.remove() and os.rename() refuse paths where writing was not allowed as Lua fails: nil, the flag, 13", async () => {
  const out = await lua(
    `
    print(os.remove(path))
    print(os.rename(path, "/tmp/wrk-deno-renamed"))`,
    { path: dataPath },
  );
  const refused = `${dataPath}: Permission denied (scripts may only write under --write <dir>)`;
  assertEquals(out, `nil\t${refused}\t13\n`.repeat(2));
  assertEquals((await Deno.stat(dataPath)).isFile, true);
});

Deno.test("table.concat() reads a table without a metatable directly and gives what the API path gives", async () => {
  const direct = tableConcatProbe.direct;
  const output = await underWrkDeno(`
    local t = { "a", 1, 2.5, 3.0, "", "z", key = "ignored" }
    print(table.concat(t), table.concat(t, ", "), table.concat(t, "-", 2, 4), table.concat(t, "-", 5, 4) == "")
    print(table.concat({}), table.concat({ "only" }, ","), table.concat(t, "", 3, 2) == "")
    print(pcall(table.concat, { "a", {}, "b" }, ","))
    print(pcall(table.concat, { "a" }, ",", 1, 2))
    local proxied = setmetatable({ "x" }, { __index = function(_, i) return "i" .. i end, __len = function() return 3 end })
    print(table.concat(proxied, "+"))`);
  assertEquals(
    output,
    "a12.53z\ta, 1, 2.5, 3, , z\t1-2.5-3\ttrue\n" +
      "\tonly\ttrue\n" +
      "false\tinvalid value (table) at index 2 in table for 'concat'\n" +
      "false\tinvalid value (nil) at index 2 in table for 'concat'\n" +
      "x+i2+i3\n",
  );
  assertEquals(
    tableConcatProbe.direct - direct,
    9,
    "every call on a table without a metatable read it directly",
  );
});
