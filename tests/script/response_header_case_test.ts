/**
 * `response()`'s header table answers a lookup in any case (lib/script/_header_lookup.ts): names spelled as an
 * HTTP/1.1 server sends them and lower-cased as HTTP/2 sends them, read as wrk scripts write them, while
 * `pairs()` still gives the names as received. The last test goes through the real CLI and a real server.
 */

import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { responseView, threadScript } from "./_helpers.ts";
import { runCli } from "../helpers/cli.ts";
import { ok, startServer } from "../helpers/server.ts";
import { vmIntrinsics, vmProbe } from "../../lib/script/fengari/_vm.ts";

const READ_THREE_CASES = `
  function response(status, headers, body)
    print(headers["content-type"], headers["Content-Type"], headers["CONTENT-TYPE"])
  end`;

Deno.test("a header sent as Content-Type is found as content-type, Content-Type and CONTENT-TYPE", async () => {
  const { script, output } = await threadScript(READ_THREE_CASES);
  await script.init();
  script.responseSink!.onResponse(responseView(200, [["Content-Type", "text/plain"]], "ok"));
  assertEquals(output.text, "text/plain\ttext/plain\ttext/plain\n");
  script.close();
});

Deno.test("a header sent lower-case, as HTTP/2 sends every name, is found in all three cases", async () => {
  const { script, output } = await threadScript(READ_THREE_CASES);
  await script.init();
  script.responseSink!.onResponse(responseView(200, [["content-type", "application/json"]], "{}"));
  assertEquals(output.text, "application/json\tapplication/json\tapplication/json\n");
  script.close();
});

Deno.test("pairs() gives the names exactly as received, and nothing more", async () => {
  const { script, output } = await threadScript(`
    function response(status, headers, body)
      local _ = headers["content-type"] -- a lookup adds nothing to the table
      for name, value in pairs(headers) do print(name, value) end
    end`);
  await script.init();
  script.responseSink!.onResponse(responseView(200, [["Content-Type", "text/html"], ["x-request-id", "7"]]));
  assertEquals(output.text, "Content-Type\ttext/html\nx-request-id\t7\n");
  script.close();
});

Deno.test("an absent header, a name that only shares a prefix and a non-string key are nil", async () => {
  const { script, output } = await threadScript(`
    function response(status, headers, body)
      print(headers["X-Missing"], headers["content"], headers["content-type-x"], headers[1], headers[true])
    end`);
  await script.init();
  script.responseSink!.onResponse(responseView(200, [["Content-Type", "text/plain"]]));
  assertEquals(output.text, "nil\tnil\tnil\tnil\tnil\n");
  script.close();
});

Deno.test("only letters are matched without case: ~ and ^ stay distinct", async () => {
  const { script, output } = await threadScript(`
    function response(status, headers, body) print(headers["x~y"], headers["X~Y"], headers["x^y"]) end`);
  await script.init();
  script.responseSink!.onResponse(responseView(200, [["X~y", "tilde"]]));
  assertEquals(output.text, "tilde\ttilde\tnil\n");
  script.close();
});

Deno.test("a value the script stores is what a lookup in another case finds, and removed names are gone", async () => {
  const { script, output } = await threadScript(`
    function response(status, headers, body)
      headers["Server"] = "changed"
      headers["Date"] = nil
      print(headers["server"], headers["date"], headers["DATE"])
    end`);
  await script.init();
  script.responseSink!.onResponse(responseView(200, [["Server", "nginx"], ["Date", "Mon"]]));
  assertEquals(output.text, "changed\tnil\tnil\n");
  script.close();
});

Deno.test("every header table of a state shares one metatable, which a script may replace", async () => {
  const { script, output } = await threadScript(`
    local first
    function response(status, headers, body)
      if first == nil then first = getmetatable(headers) return end
      print(getmetatable(headers) == first, first ~= nil)
      setmetatable(headers, nil)
      print(headers["content-type"], headers["Content-Type"])
    end`);
  await script.init();
  const sink = script.responseSink!;
  sink.onResponse(responseView(200, [["Content-Type", "a"]]));
  sink.onResponse(responseView(200, [["Content-Type", "b"]]));
  assertEquals(output.text, "true\ttrue\nnil\tb\n");
  script.close();
});

Deno.test("through the CLI, a script reads Content-Type in three cases from a real HTTP/1.1 server", async () => {
  const server = startServer(() => ok("ok", 200, "Content-Type: text/plain\r\n"));
  const script = await Deno.makeTempFile({ suffix: ".lua" });
  try {
    await Deno.writeTextFile(
      script,
      `local printed = false
       function response(status, headers, body)
         if printed then return end
         printed = true
         print(headers["content-type"], headers["Content-Type"], headers["CONTENT-TYPE"])
       end`,
    );
    const { code, stdout, stderr } = await runCli(["-t1", "-c1", "-d200ms", "-s", script, server.url]);
    assertEquals(code, 0, stderr);
    assertStringIncludes(stdout, "text/plain\ttext/plain\ttext/plain\n");
    assert(server.requests.length > 0);
  } finally {
    await server.close();
    await Deno.remove(script);
  }
});

/** A script's output for two responses, and how many reads the interpreter answered without `__index`. */
async function readHeaders(source: string): Promise<{ text: string; inline: number }> {
  const before = vmProbe.headerIndexInline;
  const { script, output } = await threadScript(source);
  await script.init();
  const sink = script.responseSink!;
  sink.onResponse(responseView(200, [["Content-Type", "text/plain"], ["X-Id", "7"], ["x-id", "lower"]]));
  sink.onResponse(responseView(200, [["content-type", "application/json"]], "{}"));
  script.close();
  return { text: output.text, inline: vmProbe.headerIndexInline - before };
}

const EVERY_KIND_OF_READ = `
  local n = 0
  function response(status, headers, body)
    n = n + 1
    local out = {}
    local function add(v) out[#out + 1] = tostring(v) end
    add(headers["content-type"]); add(headers["CONTENT-TYPE"]); add(headers["Content-Type"])
    add(headers["x-id"]); add(headers["X-ID"]); add(headers["missing"]); add(headers[1]); add(headers[true])
    local key = "CONTENT-type"
    add(headers[key]); add(rawget(headers, "content-type"))
    local names = {}
    for name in pairs(headers) do names[#names + 1] = name end
    add(table.concat(names, ","))
    local mt = getmetatable(headers)
    if n == 2 then
      local saved = mt.__index
      mt.__index = function(t, k) return "replaced:" .. tostring(k) end
      add(headers["content-type"]); add(headers["X-Other"])
      mt.__index = { ["X-Other"] = "from a table" }
      add(headers["X-Other"]); add(headers["x-other"])
      mt.__index = saved
      add(headers["CONTENT-TYPE"])
      setmetatable(headers, { __index = function() return "own" end })
      add(headers["CONTENT-TYPE"])
      setmetatable(headers, nil)
      add(headers["CONTENT-TYPE"])
      setmetatable(headers, mt)
    end
    print(table.concat(out, " "))
  end`;

const EVERY_KIND_OF_READ_PRINTS = "text/plain text/plain text/plain lower 7 nil nil nil text/plain nil " +
  "Content-Type,X-Id,x-id\n" +
  "application/json application/json application/json nil nil nil nil nil application/json application/json " +
  "content-type application/json replaced:X-Other from a table nil application/json own nil\n";

Deno.test("the interpreter's own case-insensitive reads answer as the __index call does, until it is replaced", async () => {
  const inline = await readHeaders(EVERY_KIND_OF_READ);
  const saved = vmIntrinsics.headerIndex;
  vmIntrinsics.headerIndex = null;
  try {
    const called = await readHeaders(EVERY_KIND_OF_READ);
    assertEquals(called, { text: EVERY_KIND_OF_READ_PRINTS, inline: 0 });
  } finally {
    vmIntrinsics.headerIndex = saved;
  }
  assertEquals(inline.text, EVERY_KIND_OF_READ_PRINTS);
  assertEquals(inline.inline, 12);
});

Deno.test("under a call hook a case-insensitive read calls __index, which the hook sees", async () => {
  const { text, inline } = await readHeaders(`
    local calls = 0
    function response(status, headers, body)
      calls = 0
      debug.sethook(function() calls = calls + 1 end, "c")
      local v = headers["content-type"]
      debug.sethook()
      print(v, calls)
    end`);
  // The __index function, then debug.sethook; the second response has the name in that case: no __index.
  assertEquals(text, "text/plain\t2\napplication/json\t1\n");
  assertEquals(inline, 0);
});
