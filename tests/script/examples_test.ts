/** wrk's nine example scripts (docs/wrk-compat.md#example-scripts), exercised at the script-API level (no HTTP engine). */

import { assert, assertEquals, assertMatch, assertStrictEquals } from "@std/assert";
import { Stats } from "../../lib/stats/stats.ts";
import { loadThreadScript } from "../../lib/script/thread_script.ts";
import { loadMainScript } from "../../lib/script/main_script.ts";
import {
  FakeThreadHandle,
  fixture,
  LocalThreadHandle,
  mainScript,
  Output,
  responseView,
  runResultOf,
  targetOf,
  text,
  threadScript,
} from "./_helpers.ts";

Deno.test("counter.lua sends /1, /2, /3 with a numeric X-Counter header", async () => {
  const { script } = await threadScript(fixture("counter.lua"));
  await script.init();
  const source = script.requestSource;
  assertEquals(source.pipelineDepth, 1);
  assertEquals(source.headFlags, [false]);
  assertEquals(source.delayMs, null);
  assertEquals(script.responseSink, null);
  const requests = [1, 2, 3].map(() => text(source.nextRequest()));
  requests.forEach((request, i) => {
    assertMatch(request, new RegExp(`^GET /${i + 1} HTTP/1\\.1\\r\\n`));
    assertMatch(request, new RegExp(`\\r\\nX-Counter: ${i + 1}\\r\\n`));
    assertMatch(request, /\r\nHost: 127\.0\.0\.1:8080\r\n/);
    assert(request.endsWith("\r\n\r\n"));
  });
  script.close();
});

Deno.test("counter.lua keeps one counter per thread state", async () => {
  const a = await threadScript(fixture("counter.lua"));
  const b = await threadScript(fixture("counter.lua"));
  await a.script.init();
  await b.script.init();
  a.script.requestSource.nextRequest();
  a.script.requestSource.nextRequest();
  assertMatch(text(b.script.requestSource.nextRequest()), /^GET \/1 /);
  assertMatch(text(a.script.requestSource.nextRequest()), /^GET \/3 /);
  a.script.close();
  b.script.close();
});

Deno.test("pipeline.lua has a pipeline depth of 3 with the three paths in order", async () => {
  const { script } = await threadScript(fixture("pipeline.lua"));
  await script.init();
  const source = script.requestSource;
  assertEquals(source.pipelineDepth, 3);
  assertEquals(source.headFlags, [false, false, false]);
  for (let i = 0; i < 2; i++) {
    const batch = text(source.nextRequest());
    const lines = batch.split("\r\n").filter((line) => line.startsWith("GET "));
    assertEquals(lines, ["GET /?foo HTTP/1.1", "GET /?bar HTTP/1.1", "GET /?baz HTTP/1.1"]);
  }
  script.close();
});

Deno.test("post.lua sends a POST with its body, Content-Type and Content-Length", async () => {
  const { script } = await threadScript(fixture("post.lua"));
  await script.init();
  const request = text(script.requestSource.nextRequest());
  assertMatch(request, /^POST \/ HTTP\/1\.1\r\n/);
  assertMatch(request, /\r\nContent-Type: application\/x-www-form-urlencoded\r\n/);
  assertMatch(request, /\r\nContent-Length: 16\r\n/);
  assert(request.endsWith("\r\n\r\nfoo=bar&baz=quux"));
  // Without request() the same prebuilt bytes are reused.
  assertStrictEquals(script.requestSource.nextRequest(), script.requestSource.nextRequest());
  script.close();
});

Deno.test("auth.lua carries the X-Token of a 200 response into the next requests", async () => {
  const { script } = await threadScript(fixture("auth.lua"));
  await script.init();
  const source = script.requestSource;
  const sink = script.responseSink;
  assert(sink !== null);
  assertMatch(text(source.nextRequest()), /^GET \/authenticate /);
  sink.onResponse(responseView(401, [["Content-Length", "0"]]));
  assertMatch(text(source.nextRequest()), /^GET \/authenticate /);
  sink.onResponse(responseView(200, [["X-Token", "secret-42"], ["Content-Length", "2"]], "ok"));
  const request = text(source.nextRequest());
  assertMatch(request, /^GET \/resource /);
  assertMatch(request, /\r\nX-Token: secret-42\r\n/);
  script.close();
});

Deno.test("delay.lua gives a delay of 10 to 50 ms before each request", async () => {
  const { script } = await threadScript(fixture("delay.lua"));
  await script.init();
  const delayMs = script.requestSource.delayMs;
  assert(delayMs !== null);
  for (let i = 0; i < 50; i++) {
    const ms = delayMs();
    assert(ms >= 10 && ms <= 50 && Number.isInteger(ms), `delay ${ms}`);
  }
  script.close();
});

Deno.test("stop.lua calls onStop once after 100 responses", async () => {
  const { script, stops } = await threadScript(fixture("stop.lua"));
  await script.init();
  const sink = script.responseSink;
  assert(sink !== null);
  const response = responseView(200, [["Content-Length", "0"]]);
  for (let i = 1; i < 100; i++) sink.onResponse(response);
  assertEquals(stops(), 0);
  sink.onResponse(response);
  assertEquals(stops(), 1);
  for (let i = 0; i < 10; i++) sink.onResponse(response);
  assertEquals(stops(), 1);
  script.close();
});

Deno.test("report.lua prints latency percentiles from a real Stats", async () => {
  const latency = new Stats();
  for (let us = 1; us <= 1000; us++) latency.record(us);
  const { script, output } = await mainScript(fixture("report.lua"));
  assertEquals(script.hasSetup, false);
  assertEquals(script.hasDone, true);
  await script.done(runResultOf(latency));
  const lines = [50, 90, 99, 99.999].map((p) => `${p}%,${latency.percentile(p)}\n`);
  assertEquals(output.text, `------------------------------\n${lines.join("")}`);
  assertEquals(lines[0], "50%,501\n");
  script.close();
});

Deno.test("setup.lua numbers threads with thread:set and reads their counts back in done()", async () => {
  const path = "setup.lua";
  const source = fixture(path);
  const target = targetOf("http://127.0.0.1:8080/");
  const output = new Output();
  const main = await loadMainScript({ path, source, target, headers: [], write: output.write });
  assertEquals(main.hasSetup, true);
  const handles: LocalThreadHandle[] = [];
  for (let i = 0; i < 2; i++) {
    const thread = await loadThreadScript({
      path,
      source,
      target,
      headers: [],
      args: [],
      write: output.write,
      onStop: () => {},
    });
    const handle = new LocalThreadHandle(i, thread);
    await main.setup(handle);
    await thread.init();
    handles.push(handle);
  }
  assertEquals(output.text, "thread 1 created\nthread 2 created\n");
  // Thread 1: the counted first request plus two more, three responses; thread 2: one request.
  const [first, second] = handles.map((handle) => handle.script);
  first.requestSource.nextRequest();
  first.requestSource.nextRequest();
  first.requestSource.nextRequest();
  for (let i = 0; i < 3; i++) first.responseSink?.onResponse(responseView(200, []));
  second.requestSource.nextRequest();
  await main.done(runResultOf(new Stats()));
  assertEquals(
    output.text,
    "thread 1 created\nthread 2 created\n" +
      "thread 1 made 3 requests and got 3 responses\n" +
      "thread 2 made 1 requests and got 0 responses\n",
  );
  for (const handle of handles) handle.script.close();
  main.close();
});

Deno.test("addr.lua gives each thread a looked-up address that accepts connections", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  const url = `http://127.0.0.1:${port}/`;
  const { script: main } = await mainScript(fixture("addr.lua"), { url });
  const handle = new FakeThreadHandle(0);
  handle.addr = { address: "192.0.2.1", port: 1, family: 4 };
  await main.setup(handle);
  assertEquals(handle.addr, { address: "127.0.0.1", port, family: 4 });
  // The thread's own state sees the chosen address as wrk.thread.addr.
  const { script: thread, output } = await threadScript(fixture("addr.lua"), {
    path: "addr.lua",
    url,
    getAddr: () => handle.addr,
  });
  await thread.init();
  assertEquals(output.text, `thread addr: 127.0.0.1:${port}\n`);
  thread.close();
  main.close();
});
