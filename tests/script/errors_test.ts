/** Script errors: one `<file>:<line>: …` line naming the hook (docs/wrk-compat.md#script-errors). */

import { assert, assertEquals, assertRejects, assertThrows } from "@std/assert";
import { ScriptError } from "../../lib/script/script_error.ts";
import type { TransferValue } from "../../lib/script/transfer.ts";
import { FakeThreadHandle, mainScript, responseView, threadScript } from "./_helpers.ts";

/** Asserts `promise` rejects with a ScriptError with exactly `message` (and `hook`). */
async function rejectsWith(promise: Promise<unknown>, message: string, hook: string | null) {
  const error = await assertRejects(() => promise);
  assert(error instanceof ScriptError, String(error));
  assertEquals(error.message, message);
  assertEquals(error.hook, hook);
  assert(!error.stack?.includes("fengari"), "no JS stack");
}

/** Asserts `fn` throws a ScriptError with exactly `message` (and `hook`). */
function throwsWith(fn: () => unknown, message: string, hook: string | null) {
  const error = assertThrows(fn);
  assert(error instanceof ScriptError, String(error));
  assertEquals(error.message, message);
  assertEquals(error.hook, hook);
}

Deno.test("loadThreadScript() reports a syntax error with file and line", async () => {
  await rejectsWith(threadScript("x = 1\n\ny = = 2\n"), "script.lua:3: unexpected symbol near '='", null);
});

Deno.test("loadMainScript() reports a syntax error with file and line", async () => {
  await rejectsWith(
    mainScript("function setup(\n", { path: "scripts/bad.lua" }),
    "scripts/bad.lua:2: <name> or '...' expected near <eof>",
    null,
  );
});

Deno.test("loadThreadScript() reports a runtime error in the top level", async () => {
  await rejectsWith(
    threadScript("local t = nil\nprint(t.x)"),
    "script.lua:2: attempt to index a nil value (local 't')",
    null,
  );
});

Deno.test("init() errors name init()", async () => {
  const { script } = await threadScript("function init(args)\n  error('bad args: ' .. #args)\nend");
  await rejectsWith(script.init(), "script.lua:2: in init(): bad args: 0", "init");
  script.close();
});

Deno.test("request() errors name request(), at start and later", async () => {
  const { script } = await threadScript(
    "n = 0\nfunction request()\n  n = n + 1\n  if n > 1 then return nil .. 1 end\n  return wrk.format()\nend",
  );
  await script.init();
  script.requestSource.nextRequest();
  throwsWith(
    () => script.requestSource.nextRequest(),
    "script.lua:4: in request(): attempt to concatenate a nil value",
    "request",
  );
  script.close();
});

Deno.test("request() returning nil is reported with its type", async () => {
  const { script } = await threadScript("function request() end");
  await rejectsWith(script.init(), "script.lua: request() must return a string, got nil", "request");
  script.close();
  const later = await threadScript(
    "n = 0\nfunction request() n = n + 1; if n == 1 then return wrk.format() end; return {} end",
  );
  await later.script.init();
  later.script.requestSource.nextRequest();
  throwsWith(
    () => later.script.requestSource.nextRequest(),
    "script.lua: request() must return a string, got table",
    "request",
  );
  later.script.close();
});

Deno.test("request() returning bytes that are not HTTP is reported where the parser stopped", async () => {
  const { script } = await threadScript(
    `function request() return "GET / HTTP/1.1\\r\\nbroken header\\r\\n\\r\\n" end`,
  );
  await rejectsWith(
    script.init(),
    "script.lua: request() returned an invalid HTTP request: invalid header at 2:7",
    "request",
  );
  script.close();
});

Deno.test("a request target without a leading slash is refused before the run, as wrk's script_verify_request refuses it", async () => {
  // wrk prints `invalid URL at 1:8` and exits 1; sent, every request would come back 400.
  const target = '"api/users" must start with "/" (or be an absolute URL "http://…", or "*") at 1:5';
  const path = await threadScript(`wrk.path = "api/users"`);
  await rejectsWith(
    path.script.init(),
    `script.lua: wrk.format() built an invalid HTTP request: request target ${target}`,
    "init",
  );
  path.script.close();
  const formatted = await threadScript(`request = function() return wrk.format("GET", "users/1") end`);
  await rejectsWith(
    formatted.script.init(),
    "script.lua: request() returned an invalid HTTP request: request target " +
      '"users/1" must start with "/" (or be an absolute URL "http://…", or "*") at 1:5',
    "request",
  );
  formatted.script.close();
});

Deno.test("response() errors name response()", async () => {
  const { script } = await threadScript(
    "function response(status, headers, body)\n  local t = nil\n  return t.x\nend",
  );
  await script.init();
  const sink = script.responseSink;
  assert(sink !== null);
  throwsWith(
    () => sink.onResponse(responseView(200, [])),
    "script.lua:3: in response(): attempt to index a nil value (local 't')",
    "response",
  );
  // The state stays usable for the next response.
  throwsWith(
    () => sink.onResponse(responseView(200, [])),
    "script.lua:3: in response(): attempt to index a nil value (local 't')",
    "response",
  );
  script.close();
});

Deno.test("delay() errors and non-numbers name delay(); returning nothing is no delay, as in wrk", async () => {
  const { script } = await threadScript(
    "n = 0\nfunction delay()\n  n = n + 1\n  if n == 1 then return '15' end\n  if n == 2 then return 'soon' end\n  if n == 3 then return end\n  error('no delay')\nend",
  );
  await script.init();
  const delayMs = script.requestSource.delayMs;
  assert(delayMs !== null);
  assertEquals(delayMs(), 15);
  throwsWith(delayMs, "script.lua: delay() must return a number or nothing, got string", "delay");
  assertEquals(delayMs(), 0);
  throwsWith(delayMs, "script.lua:7: in delay(): no delay", "delay");
  script.close();
});

Deno.test("setup() and done() errors name their hook", async () => {
  const { script } = await mainScript(
    "function setup(thread)\n  thread.id = 1\nend\nfunction done(s, l, r)\n  error('done failed')\nend",
  );
  await rejectsWith(
    script.setup(new FakeThreadHandle()),
    "script.lua:2: in setup(): cannot set 'id' on thread",
    "setup",
  );
  await rejectsWith(
    script.done({
      url: "",
      threads: 1,
      connections: 1,
      durationMs: 1,
      runtimeUs: 1,
      requests: 0,
      bytesRead: 0,
      errors: { connect: 0, read: 0, write: 0, status: 0, timeout: 0 },
      errorReasons: [],
      statusCodes: {},
      startedAt: "2026-12-04T12:00:00.000Z",
      latency: fakeStats,
      requestRate: fakeStats,
      uncorrectedLatency: null,
      rate: null,
      unfinishedThreads: [],
    }),
    "script.lua:5: in done(): done failed",
    "done",
  );
  script.close();
});

// deno-lint-ignore no-explicit-any
const fakeStats: any = {
  min: 0,
  max: 0,
  mean: 0,
  stdev: 0,
  percentile: () => 0,
  distinctCount: () => 0,
  distinct: () => undefined,
};

Deno.test("error values without a position get the file name", async () => {
  const { script } = await threadScript("function init() error('plain', 0) end");
  await rejectsWith(script.init(), "script.lua: in init(): plain", "init");
  script.close();
  const table = await threadScript("function init() error({}) end");
  await rejectsWith(table.script.init(), "script.lua: in init(): (error object is a table value)", "init");
  table.script.close();
  const custom = await threadScript(
    "function init() error(setmetatable({}, { __tostring = function() return 'custom' end })) end",
  );
  await rejectsWith(custom.script.init(), "script.lua: in init(): custom", "init");
  custom.script.close();
});

Deno.test("a library argument error points at the script's line", async () => {
  const { script } = await threadScript("function init()\n  io.write({})\nend");
  await rejectsWith(
    script.init(),
    "script.lua:2: in init(): bad argument #1 to 'write' (string expected, got table)",
    "init",
  );
  script.close();
});

Deno.test("async calls in per-request hooks raise a clean error", async () => {
  const { script } = await threadScript(
    "function request() wrk.lookup('localhost', '80') return wrk.format() end",
  );
  await rejectsWith(
    script.init(),
    "script.lua:1: in request(): wrk.lookup() cannot wait here (only at the top level and in init, setup and done)",
    "request",
  );
  script.close();
});

Deno.test("thread:get inside table.sort comparators, gsub callbacks, metamethods and script coroutines blocks for the value; the network calls there raise a clean error", async () => {
  const { script, output } = await mainScript(`
    function setup(thread)
      local t = {3, 1, 2}
      table.sort(t, function(a, b) return a * thread:get("x") < b * thread:get("x") end)
      print(table.concat(t, ","))
      print((("a"):gsub("a", function() return thread:get("x") end)))
      print(tostring(setmetatable({}, { __tostring = function() return "x=" .. thread:get("x") end })))
      local co = coroutine.create(function() return thread:get("x") end)
      print(coroutine.resume(co))
      print(pcall(table.sort, {3, 1, 2}, function(a, b) wrk.lookup("localhost", "80"); return a < b end))
      print(coroutine.resume(coroutine.create(function() return wrk.lookup("localhost", "80") end)))
      print(thread:get("x"))
    end`);
  const handle = new FakeThreadHandle();
  handle.globals.set("x", -5);
  await script.setup(handle);
  assertEquals(
    output.text,
    "3,2,1\n-5\nx=-5\ntrue\t-5\n" +
      "false\tscript.lua:10: wrk.lookup() cannot wait here (only at the top level and in init, setup and done)\n" +
      "false\tscript.lua:11: wrk.lookup() cannot wait here (only at the top level and in init, setup and done)\n" +
      "-5\n",
  );
  // Two per comparison (at least two), then the gsub callback, __tostring and the coroutine: 7 or more.
  assert(handle.nowGets.length >= 7, `${handle.nowGets.length} blocking gets`);
  script.close();
});

Deno.test("coroutine.yield() at the top level is an error, not a hang", async () => {
  await rejectsWith(
    threadScript("coroutine.yield()"),
    "script.lua: attempt to yield from outside a coroutine",
    null,
  );
});

Deno.test("a rejected thread:get() raises at the call site and later calls still work", async () => {
  const { script, output } = await mainScript(`
    function setup(thread)
      print(pcall(thread.get, thread, "broken"))
      print(thread:get("fine"))
    end`);
  const handle = new FakeThreadHandle();
  handle.globals.set("fine", 42);
  const get = handle.get.bind(handle);
  handle.get = (name: string): Promise<TransferValue> =>
    name === "broken" ? Promise.reject(new Error("worker is gone")) : get(name);
  await script.setup(handle);
  assertEquals(output.text, "false\tworker is gone\n42\n");
  script.close();
});

Deno.test("a hook error does not break the next hook call", async () => {
  const { script, output } = await mainScript(`
    function setup(thread)
      if thread:get("fail") then error("failing " .. thread:get("n")) end
      print("ok " .. thread:get("n"))
    end`);
  const bad = new FakeThreadHandle(0);
  bad.globals.set("fail", true);
  bad.globals.set("n", 1);
  const good = new FakeThreadHandle(1);
  good.globals.set("n", 2);
  await rejectsWith(script.setup(bad), "script.lua:3: in setup(): failing 1", "setup");
  await script.setup(good);
  assertEquals(output.text, "ok 2\n");
  script.close();
});

Deno.test("a JS exception inside a wrk function becomes a Lua error at the script's line", async () => {
  const { script, output } = await mainScript(`
    function setup(thread)
      print(pcall(thread.set, thread, "x", 1))
      thread:set("x", 2)
    end`);
  const handle = new FakeThreadHandle();
  handle.set = () => {
    throw new Error("thread 0 is gone");
  };
  await rejectsWith(script.setup(handle), "script.lua:4: in setup(): thread 0 is gone", "setup");
  assertEquals(output.text, "false\tthread 0 is gone\n");
  script.close();
});
