/** A thread's state: init(args), the static request, the hooks behind RequestSource and ResponseSink. */

import { assert, assertEquals, assertMatch, assertStrictEquals, assertThrows } from "@std/assert";
import { responseView, text, threadScript } from "./_helpers.ts";

Deno.test("ThreadScript.init() passes the URL as args[0] and the script arguments after it, and sets wrk.thread", async () => {
  // wrk.thread is nil at the top level, as in wrk, which sets it as the thread starts (script_init).
  const { script, output } = await threadScript(
    `print(wrk.thread)
    function init(args) print(#args, args[0], args[1], args[2], wrk.thread ~= nil) end`,
    { url: "http://127.0.0.1:8080/x", args: ["a", "b c"] },
  );
  await script.init();
  assertEquals(output.text, "nil\n2\thttp://127.0.0.1:8080/x\ta\tb c\ttrue\n");
  script.close();
});

Deno.test("ThreadScript.init() sets the default Host header before init() runs", async () => {
  const cases: [string, [string, string][], string][] = [
    ["http://127.0.0.1:8080/", [], "127.0.0.1:8080"],
    ["http://example.test/", [], "example.test"],
    ["https://[::1]:8443/", [], "[::1]:8443"],
    ["http://example.test/", [["Host", "vhost"]], "vhost"],
  ];
  for (const [url, headers, host] of cases) {
    const { script, output } = await threadScript(
      `
      top = tostring(wrk.headers.Host)
      function init() print(top, wrk.headers.Host) end`,
      { url, headers },
    );
    await script.init();
    assertEquals(output.text, `${headers.length > 0 ? host : "nil"}\t${host}\n`);
    assertMatch(
      text(script.requestSource.nextRequest()),
      new RegExp(`\\r\\nHost: ${host.replace(/[[\]]/g, "\\$&")}\\r\\n`),
    );
    script.close();
  }
});

Deno.test("ThreadScript.init() builds the static request after init(), with its changes", async () => {
  const { script } = await threadScript(`
    function init()
      wrk.method = "PUT"
      wrk.path = "/changed"
      wrk.body = "{}"
      wrk.headers["X-Init"] = "yes"
    end`);
  await script.init();
  const source = script.requestSource;
  const request = text(source.nextRequest());
  assertMatch(request, /^PUT \/changed HTTP\/1\.1\r\n/);
  assertMatch(request, /\r\nX-Init: yes\r\n/);
  assert(request.endsWith("\r\nContent-Length: 2\r\n\r\n{}"));
  assertStrictEquals(source.nextRequest(), source.nextRequest());
  assertEquals(source.pipelineDepth, 1);
  script.close();
});

Deno.test("ThreadScript.requestSource.headFlags marks HEAD requests by position", async () => {
  const { script } = await threadScript(`wrk.method = "HEAD"`);
  await script.init();
  assertEquals(script.requestSource.headFlags, [true]);
  script.close();
  const piped = await threadScript(`
    function request()
      return wrk.format("GET", "/a") .. wrk.format("HEAD", "/b") .. wrk.format("POST", "/c", nil, "x")
    end`);
  await piped.script.init();
  assertEquals(piped.script.requestSource.pipelineDepth, 3);
  assertEquals(piped.script.requestSource.headFlags, [false, true, false]);
  piped.script.close();
});

Deno.test("ThreadScript.init() counts the pipeline with request()'s first result and sends that result first", async () => {
  const { script } = await threadScript(`
    calls = 0
    function request() calls = calls + 1; return wrk.format(nil, "/" .. calls) end`);
  await script.init();
  assertEquals(script.getGlobal("calls"), 1);
  assertMatch(text(script.requestSource.nextRequest()), /^GET \/1 /);
  assertEquals(script.getGlobal("calls"), 1);
  assertMatch(text(script.requestSource.nextRequest()), /^GET \/2 /);
  script.close();
});

Deno.test("wrk.request() returns the static request in a thread's state", async () => {
  const { script } = await threadScript(`function request() return wrk.request() end`);
  await script.init();
  assertMatch(
    text(script.requestSource.nextRequest()),
    /^GET \/ HTTP\/1\.1\r\nHost: 127\.0\.0\.1:8080\r\n\r\n$/,
  );
  script.close();
});

Deno.test("ThreadScript.responseSink passes status, headers (last value wins) and the body", async () => {
  const { script, output } = await threadScript(`
    function response(status, headers, body)
      local names = {}
      for name in pairs(headers) do names[#names + 1] = name end
      table.sort(names)
      print(status, math.type(status), table.concat(names, ","), headers["Set-Cookie"], headers["x-lower"], #body, body)
    end`);
  await script.init();
  const sink = script.responseSink;
  assert(sink !== null);
  sink.onResponse(responseView(
    404,
    [["Set-Cookie", "a=1"], ["x-lower", "v"], ["Set-Cookie", "b=2"], ["Content-Length", "5"]],
    "hello",
  ));
  sink.onResponse(responseView(204, []));
  assertEquals(
    output.text,
    "404\tinteger\tContent-Length,Set-Cookie,x-lower\tb=2\tv\t5\thello\n204\tinteger\t\tnil\tnil\t0\t\n",
  );
  script.close();
});

Deno.test("ThreadScript.responseSink gives each response its own table, in the server's order", async () => {
  const { script, output } = await threadScript(`
    tables = {}
    function response(status, headers, body)
      tables[#tables + 1] = headers
      local line = {}
      for name, value in pairs(headers) do line[#line + 1] = name .. "=" .. value end
      print(table.concat(line, " "), body)
      if #tables == 3 then
        tables[1]["Date"] = "changed"
        separate = tables[1] ~= tables[2] and tables[2]["Date"] == "Tue" and tables[1]["X-Id"] == "1"
      end
    end`);
  await script.init();
  const sink = script.responseSink!;
  // Same names and same-length values at the same positions: the per-position cache must still compare bytes.
  sink.onResponse(responseView(200, [["Date", "Mon"], ["X-Id", "1"], ["Server", "s"]], "ab"));
  sink.onResponse(responseView(200, [["Date", "Tue"], ["X-Id", "2"], ["Server", "s"]], "cd"));
  sink.onResponse(responseView(200, [["Server", "s"], ["Date", "Tue"]], "cd"));
  assertEquals(
    output.text,
    "Date=Mon X-Id=1 Server=s\tab\nDate=Tue X-Id=2 Server=s\tcd\nServer=s Date=Tue\tcd\n",
  );
  assertEquals(script.getGlobal("separate"), true);
  script.close();
});

Deno.test("ThreadScript.responseSink keeps header values and bodies byte-exact", async () => {
  const { script } = await threadScript(`
    function response(status, headers, body) last_body = body; last_value = headers["X-Bin"] end`);
  await script.init();
  const view = responseView(200, [["X-Bin", "caf\u00e9"]], "");
  const body = Uint8Array.of(0, 255, 10, 13, 128);
  const withBody = { ...view, body: Uint8Array.of(...body, 9, 9, 9), bodyLength: body.length };
  script.responseSink?.onResponse(withBody);
  assertEquals(script.getGlobal("last_body"), body);
  assertEquals(script.getGlobal("last_value"), new TextEncoder().encode("caf\u00e9"));
  script.close();
});

Deno.test("ThreadScript.responseSink copes with more distinct header names than it caches", async () => {
  const { script } = await threadScript(`
    seen = 0
    function response(status, headers) for name, value in pairs(headers) do if name == "H-" .. value then seen = seen + 1 end end end`);
  await script.init();
  for (let batch = 0; batch < 40; batch++) {
    const headers: [string, string][] = [];
    for (let i = 0; i < 10; i++) headers.push([`H-${batch * 10 + i}`, String(batch * 10 + i)]);
    script.responseSink?.onResponse(responseView(200, headers));
    script.responseSink?.onResponse(responseView(200, headers));
  }
  assertEquals(script.getGlobal("seen"), 800);
  script.close();
});

Deno.test("wrk.thread:get() and :set() copy the thread's own globals", async () => {
  const { script, output } = await threadScript(`
    t = { 1, 2 }
    function init()
      local copy = wrk.thread:get("t")
      copy[1] = 99
      wrk.thread:set("u", copy)
      print(t[1], u[1], rawequal(u, copy), wrk.thread.addr)
      print(pcall(function() wrk.thread.addr = nil end))
    end`);
  await script.init();
  assertEquals(
    output.text,
    "1\t99\tfalse\tnil\nfalse\tscript.lua:8: cannot set 'addr' on a running thread (set it in setup())\n",
  );
  script.close();
});

Deno.test("ThreadScript.getGlobal() and setGlobal() read and write globals", async () => {
  const { script } = await threadScript(`x = 5`);
  assertEquals(script.getGlobal("x"), 5);
  script.setGlobal("y", { table: [["k", 1.5]] });
  script.setGlobal("x", null);
  assertEquals(script.getGlobal("x"), null);
  assertEquals(script.getGlobal("y"), { table: [[new TextEncoder().encode("k"), 1.5]] });
  script.close();
  assertThrows(() => script.getGlobal("y"), Error, "closed");
});

Deno.test("ThreadScript.requestSource is unavailable before init()", async () => {
  const { script } = await threadScript(`x = 1`);
  assertThrows(() => script.requestSource, Error, "after init()");
  assertThrows(() => script.responseSink, Error, "after init()");
  script.close();
});
