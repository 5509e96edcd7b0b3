/** Copying values between states (`thread:get` / `thread:set`, docs/wrk-compat.md#copying-values-between-states). */

import { assert, assertEquals, assertRejects, assertThrows } from "@std/assert";
import { TransferError, type TransferValue } from "../../lib/script/transfer.ts";
import { LocalThreadHandle, mainScript, text, threadScript } from "./_helpers.ts";

const encoder = new TextEncoder();

Deno.test("readTransfer() reads nil, booleans, numbers and strings", async () => {
  const { script } = await threadScript(`a = true; b = 42; c = 1.5; d = "hi"; e = "\\0\\255"`);
  assertEquals(script.getGlobal("missing"), null);
  assertEquals(script.getGlobal("a"), true);
  assertEquals(script.getGlobal("b"), 42);
  assertEquals(script.getGlobal("c"), 1.5);
  assertEquals(script.getGlobal("d"), encoder.encode("hi"));
  assertEquals(script.getGlobal("e"), Uint8Array.of(0, 255));
  script.close();
});

Deno.test("readTransfer() output survives structuredClone and pushes back as equal tables", async () => {
  const { script } = await threadScript(
    `t = { 1, 2, x = { y = { z = "deep" } }, [true] = false, [2.5] = "f" }`,
  );
  const copy = structuredClone(script.getGlobal("t"));
  const { script: other, output } = await threadScript(`function init()
    print(t[1], t[2], t.x.y.z, t[true], t[2.5], math.type(t[1]))
  end`);
  other.setGlobal("t", copy);
  await other.init();
  assertEquals(output.text, "1\t2\tdeep\tfalse\tf\tinteger\n");
  other.close();
  script.close();
});

Deno.test("thread:get() and thread:set() copy nested tables both ways", async () => {
  const { script: thread } = await threadScript(
    `data = { list = { 10, 20, 30 }, name = "t1", nested = { a = { b = 1 } } }`,
  );
  const { script: main, output } = await mainScript(`
    function setup(thread)
      local d = thread:get("data")
      print(d.name, d.list[1], d.list[2], d.list[3], d.nested.a.b)
      d.list[4] = 40
      thread:set("data2", d)
      thread:set("n", 7)
    end`);
  await main.setup(new LocalThreadHandle(0, thread));
  assertEquals(output.text, "t1\t10\t20\t30\t1\n");
  const { script: check, output: checkOutput } = await threadScript(`function init()
    print(#data2.list, data2.list[4], data2.nested.a.b, n, math.type(n))
  end`);
  check.setGlobal("data2", thread.getGlobal("data2"));
  check.setGlobal("n", thread.getGlobal("n"));
  await check.init();
  assertEquals(checkOutput.text, "4\t40\t1\t7\tinteger\n");
  for (const script of [thread, main, check]) script.close();
});

Deno.test("readTransfer() refuses a function with wrk's message", async () => {
  const { script } = await threadScript(`f = function() end; co = coroutine.create(f); t = { f }`);
  const error = assertThrows(() => script.getGlobal("f"));
  assert(error instanceof TransferError);
  assertEquals(error.message, "cannot transfer 'function' to thread");
  assertThrows(() => script.getGlobal("co"), TransferError, "cannot transfer 'thread' to thread");
  assertThrows(() => script.getGlobal("t"), TransferError, "cannot transfer 'function' to thread");
  // The state is still usable afterwards.
  assertEquals(script.getGlobal("missing"), null);
  script.close();
});

Deno.test("readTransfer() refuses a table that contains itself", async () => {
  const { script } = await threadScript(`t = { a = {} }; t.a.back = t; shared = {}; u = { shared, shared }`);
  assertThrows(
    () => script.getGlobal("t"),
    TransferError,
    "cannot transfer a table that contains itself to thread",
  );
  // The same table twice (not a cycle) is fine.
  const u = script.getGlobal("u") as { table: [TransferValue, TransferValue][] };
  assertEquals(u.table.length, 2);
  script.close();
});

Deno.test("thread:set() raises a Lua error for a function value", async () => {
  const { script: thread } = await threadScript(`x = 1`);
  const { script: main } = await mainScript(`function setup(thread) thread:set("f", print) end`);
  await assertRejects(
    () => main.setup(new LocalThreadHandle(0, thread)),
    Error,
    "script.lua:1: in setup(): cannot transfer 'function' to thread",
  );
  thread.close();
  main.close();
});

Deno.test("pushTransfer() accepts JS strings and Uint8Array alike", async () => {
  const { script, output } = await threadScript(`function init() print(a, b, a == b) end`);
  script.setGlobal("a", "héllo");
  script.setGlobal("b", encoder.encode("héllo"));
  await script.init();
  assertEquals(output.text, "héllo\théllo\ttrue\n");
  assertEquals(text(script.getGlobal("a") as Uint8Array), "héllo");
  script.close();
});
