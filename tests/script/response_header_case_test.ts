/**
 * `response()`'s header table answers a lookup in any case (lib/script/_header_lookup.ts): names spelled as an
 * HTTP/1.1 server sends them and lower-cased as HTTP/2 sends them, read as wrk scripts write them, while
 * `pairs()` still gives the names as received. The last test goes through the real CLI and a real server.
 */

import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { responseView, threadScript } from "./_helpers.ts";
import { runCli } from "../helpers/cli.ts";
import { ok, startServer } from "../helpers/server.ts";

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
