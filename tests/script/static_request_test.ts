/**
 * The static `request()` fast path (lib/script/_static_request.ts): which hooks are read in place of being
 * called (the probe: `ThreadScript.requestHookCalls`), and that what is read is what a call would return.
 */

import { assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { responseView, text, threadScript } from "./_helpers.ts";

const batch = `
  local req
  function init() req = wrk.format(nil, "/a") .. wrk.format(nil, "/b") end
  request = function() return req end`;

Deno.test("a request() that returns an upvalue is called once, then read", async () => {
  const { script } = await threadScript(batch);
  await script.init();
  const source = script.requestSource;
  const first = source.nextRequest();
  for (let i = 0; i < 5; i++) assertStrictEquals(source.nextRequest(), first);
  assertEquals(source.pipelineDepth, 2);
  assertEquals(source.dynamic, true);
  assertEquals(script.requestHookCalls, 1);
  script.close();
});

Deno.test("a request() that returns a string constant is read", async () => {
  const { script } = await threadScript(
    `function request() return "GET /k HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n" end`,
  );
  await script.init();
  const source = script.requestSource;
  for (let i = 0; i < 3; i++) assertEquals(text(source.nextRequest()), "GET /k HTTP/1.1\r\nHost: x\r\n\r\n");
  assertEquals(script.requestHookCalls, 1);
  script.close();
});

Deno.test("the upvalue is read afresh: response() reassigning it changes the next request", async () => {
  const { script } = await threadScript(`
    local req = wrk.format(nil, "/one")
    function request() return req end
    function response() req = wrk.format(nil, "/two") end`);
  await script.init();
  const source = script.requestSource;
  assertEquals(text(source.nextRequest()).split(" ")[1], "/one");
  assertEquals(text(source.nextRequest()).split(" ")[1], "/one");
  script.responseSink!.onResponse(responseView(200, []));
  assertEquals(text(source.nextRequest()).split(" ")[1], "/two");
  assertEquals(script.requestHookCalls, 1);
  script.close();
});

Deno.test("a static request() whose value stops being a string is called, and fails as before", async () => {
  const { script } = await threadScript(`
    local req = wrk.format()
    function request() return req end
    function response() req = "" end`);
  await script.init();
  const source = script.requestSource;
  source.nextRequest();
  source.nextRequest();
  script.responseSink!.onResponse(responseView(200, []));
  assertThrows(() => source.nextRequest(), Error, "request() returned an empty string");
  assertEquals(script.requestHookCalls, 2);
  script.close();
});

Deno.test("request() hooks that do anything else are called every time", async () => {
  const hooks = [
    `local n = 0; function request() n = n + 1; return wrk.format(nil, "/" .. n) end`,
    `local req = wrk.format(); function request() return wrk.format() end`,
    `local req = wrk.format(); function request(...) local r = req; return r, 1 end`,
    `req = wrk.format(); function request() return req end`,
  ];
  for (const hook of hooks) {
    const { script } = await threadScript(hook);
    await script.init();
    for (let i = 0; i < 3; i++) script.requestSource.nextRequest(); // the first is init()'s call
    assertEquals(script.requestHookCalls, 3, hook);
    script.close();
  }
});

Deno.test("bench/pipeline16.lua's request() is read, not called, per batch", async () => {
  const source = await Deno.readTextFile(new URL("../../bench/pipeline16.lua", import.meta.url));
  const { script } = await threadScript(source);
  await script.init();
  const requests = script.requestSource;
  const first = requests.nextRequest();
  assertStrictEquals(requests.nextRequest(), first);
  assertEquals(requests.pipelineDepth, 16);
  assertEquals(script.requestHookCalls, 1);
  script.close();
});
