/** The main state: setup(thread) over a ThreadHandle and done(summary, latency, requests). */

import { assertEquals } from "@std/assert";
import { Stats } from "../../lib/stats/stats.ts";
import { FakeThreadHandle, mainScript, runResultOf, text } from "./_helpers.ts";

Deno.test("MainScript.hasSetup and hasDone reflect the script's functions", async () => {
  const { script } = await mainScript("function setup() end");
  assertEquals(script.hasSetup, true);
  assertEquals(script.hasDone, false);
  // setup without done: done() is a no-op.
  await script.done(runResultOf(new Stats(), new Stats()));
  script.close();
  const none = await mainScript("x = 1");
  assertEquals(none.script.hasSetup, false);
  await none.script.setup(new FakeThreadHandle());
  none.script.close();
});

Deno.test("MainScript.setup() passes a thread whose get, set and stop reach the handle", async () => {
  const { script, output } = await mainScript(`
    function setup(thread)
      thread:set("id", 7)
      thread:set("conf", { a = 1, b = { "x", "y" } })
      print(thread:get("id"), thread:get("missing"), thread.get == thread.get, thread.nothing)
      thread:stop()
    end`);
  const handle = new FakeThreadHandle(3);
  await script.setup(handle);
  assertEquals(output.text, "7\tnil\ttrue\tnil\n");
  assertEquals(handle.stopped, 1);
  assertEquals(handle.sets[0], ["id", 7]);
  const conf = handle.sets[1][1] as { table: [unknown, unknown][] };
  assertEquals(handle.sets[1][0], "conf");
  assertEquals(conf.table.length, 2);
  script.close();
});

Deno.test("MainScript.setup() rejects setting any field but addr on a thread", async () => {
  const { script, output } = await mainScript(`
    function setup(thread)
      print(pcall(function() thread.foo = 1 end))
      print(pcall(function() thread[1] = 1 end))
    end`);
  await script.setup(new FakeThreadHandle());
  assertEquals(
    output.text,
    "false\tscript.lua:3: cannot set 'foo' on thread\nfalse\tscript.lua:4: cannot set '1' on thread\n",
  );
  script.close();
});

Deno.test("MainScript.setup() calls are queued, so concurrent setups do not interleave", async () => {
  const { script, output } = await mainScript(`
    function setup(thread)
      local n = thread:get("n")
      print("start", n)
      print("end", thread:get("n"))
    end`);
  const handles = [1, 2, 3].map((n) => {
    const handle = new FakeThreadHandle(n);
    handle.globals.set("n", n);
    return handle;
  });
  await Promise.all(handles.map((handle) => script.setup(handle)));
  assertEquals(output.text, "start\t1\nend\t1\nstart\t2\nend\t2\nstart\t3\nend\t3\n");
  script.close();
});

Deno.test("MainScript.done() passes the summary as floats and stats userdata", async () => {
  const latency = new Stats();
  for (const us of [100, 200, 200, 300, 1500]) latency.record(us);
  const rate = new Stats();
  rate.record(1000);
  const { script, output } = await mainScript(`
    function done(summary, latency, requests)
      local e = summary.errors
      print(summary.duration, summary.requests, summary.bytes, math.type(summary.requests))
      print(e.connect, e.read, e.write, e.status, e.timeout, math.type(e.read))
      print(latency.min, latency.max, latency.mean, string.format("%.2f", latency.stdev))
      print(latency:percentile(50), latency:percentile(99), #latency, math.type(#latency))
      for i = 1, #latency do io.write(table.concat({ latency(i) }, "x"), " ") end
      print()
      print(latency(99), requests.min, #requests, latency.unknown, requests[2], type(latency[1.5]))
      print(summary.requests * 1000, string.format("%d", summary.bytes), "requests: " .. summary.requests)
    end`);
  await script.done(runResultOf(latency, rate));
  assertEquals(
    output.text,
    "10050123\t3000000000\t6000000000\tfloat\n" +
      "1\t2\t3\t4\t5\tfloat\n" +
      `100\t1500\t460\t${latency.stdev.toFixed(2)}\n` +
      `200\t1500\t4\tfloat\n` +
      "100x1 200x2 300x1 1500x1 \n" +
      // Another key reads as itself, a string, as wrk's script_stats_index returns it.
      "nil\t1000\t1\tunknown\t2\tstring\n" +
      "3000000000000\t6000000000\trequests: 3000000000\n",
  );
  script.close();
});

Deno.test("MainScript.done() can still call thread:get on threads kept from setup()", async () => {
  const { script, output } = await mainScript(`
    local threads = {}
    function setup(thread) table.insert(threads, thread) end
    function done() for _, t in ipairs(threads) do print(t:get("count")) end end`);
  const a = new FakeThreadHandle(0);
  const b = new FakeThreadHandle(1);
  a.globals.set("count", 10);
  b.globals.set("count", new TextEncoder().encode("eleven"));
  await script.setup(a);
  await script.setup(b);
  await script.done(runResultOf(new Stats(), new Stats()));
  assertEquals(output.text, "10\neleven\n");
  script.close();
});

Deno.test("loadMainScript() gives the main state a wrk table without thread", async () => {
  const { script, output } = await mainScript(
    `print(wrk.scheme, wrk.host, wrk.port, wrk.method, wrk.path, wrk.headers["X-A"], wrk.body, wrk.thread, wrk.headers.Host)`,
    { url: "https://example.test:8443/a/b?c=1", headers: [["X-A", "1"]] },
  );
  assertEquals(output.text, "https\texample.test\t8443\tGET\t/a/b?c=1\t1\tnil\tnil\tnil\n");
  script.close();
  const noPort = await mainScript(`print(wrk.port, require("wrk") == wrk)`, { url: "http://example.test/" });
  assertEquals(noPort.output.text, "nil\ttrue\n");
  noPort.script.close();
  assertEquals(text(new TextEncoder().encode("ok")), "ok");
});
