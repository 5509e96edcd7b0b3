/**
 * The per-request fast paths of the scripted case (docs/benchmarks.md#the-scripted-case-2026-12-06): the
 * header table that `response()` gets filled again instead of made anew when the function cannot keep it
 * (`lib/script/_response_sink.ts`, `fengari/_kept_arguments.ts`), and `wrk.format`'s kept header lines
 * (`lib/script/_wrk_format.ts`). Each test shows that the fast path was taken (or not) and that the results are
 * those of the general path.
 */

import { assert, assertEquals, assertMatch } from "@std/assert";
import { responseView, text, threadScript, WRK_LUA_FORMAT } from "./_helpers.ts";
import { headerTableProbe } from "../../lib/script/_response_sink.ts";
import { wrkFormatProbe } from "../../lib/script/_wrk_format.ts";
import { argumentStaysInCall } from "../../lib/script/fengari/_kept_arguments.ts";
import { loadChunk, newState } from "../../lib/script/_state.ts";
import { lua, type LuaState, pcall, typeName } from "../../lib/script/fengari/_lua.ts";
import type { ResponseView } from "../../lib/net/request_source.ts";
import { ResponseParser } from "../../lib/net/http1/response_parser.ts";
import { forgetRepeatedHead } from "../../lib/net/http1/_repeated_head.ts";
import { nginxAnswer } from "../helpers/nginx_answer.ts";

const NGINX: [string, string][] = [
  ["Server", "nginx/1.22.1"],
  ["Date", "Sun, 06 Dec 2026 15:14:51 GMT"],
  ["Content-Type", "text/plain"],
  ["Content-Length", "5"],
  ["Connection", "keep-alive"],
];

/** Responses whose header sets change: values, names, order, count, a repeated name, none at all. */
const VARIED: ResponseView[] = [
  responseView(200, NGINX, "hello"),
  responseView(200, NGINX, "hello"),
  responseView(201, NGINX.map(([n, v]) => [n, n === "Date" ? "Sun, 06 Dec 2026 15:14:52 GMT" : v]), "hi"),
  responseView(200, [["content-type", "application/json"], ["x-id", "1"]], "{}"),
  responseView(200, [["content-type", "application/json"], ["x-id", "2"]], "{}"),
  responseView(200, [["content-type", "text/html"], ["x-b", "5"]], "<p>"),
  responseView(404, [["X-A", "1"], ["X-B", "2"], ["X-A", "3"]], ""),
  responseView(404, [["X-A", "1"], ["X-B", "2"], ["X-A", "3"]], ""),
  responseView(204, []),
  responseView(200, [["X-B", "2"], ["X-A", "1"]]),
  responseView(200, NGINX, "hello"),
];

/** Feeds `responses` to `response()` defined by `source`; returns what it printed and the probe's moves. */
async function feed(
  source: string,
  responses: ResponseView[],
): Promise<{ output: string; reused: number }> {
  const { script, output } = await threadScript(source);
  await script.init();
  const before = { ...headerTableProbe };
  for (const response of responses) script.responseSink!.onResponse(response);
  const reused = headerTableProbe.reused - before.reused;
  script.close();
  return { output: output.text, reused };
}

/** A response() body reading headers in several ways (exact, other case, absent, non-string key). */
const READS = `
  print(status, headers["Content-Type"], headers["content-type"], headers["X-A"], headers["x-b"],
    headers["X-Missing"], headers[1], #body, body)`;

Deno.test("response() gets each response's own headers when the parser recognises repeated heads by version", async () => {
  const a = nginxAnswer("hello", { date: "Sun, 06 Dec 2026 15:14:51 GMT" });
  const b = nginxAnswer("hello", { date: "Sun, 06 Dec 2026 15:14:52 GMT" });
  const c = nginxAnswer("world", { date: "Sun, 06 Dec 2026 15:14:52 GMT" }).replace("200 OK", "201 Created");
  // Repeats, a Date that changes, heads in turn, a status that differs with the same header names.
  const texts = [a, a, a, b, b, a, b, a, a, c, c, b, a, a];
  const bytes = new TextEncoder().encode(texts.join(""));
  const run = async (source: string) => {
    const { script, output } = await threadScript(source);
    await script.init();
    const before = { ...headerTableProbe };
    forgetRepeatedHead();
    const parser = new ResponseParser(true);
    let pos = 0;
    while (pos < bytes.length) {
      parser.reset(false);
      pos = parser.execute(bytes, pos, bytes.length);
      assert(parser.done);
      script.responseSink!.onResponse(parser);
    }
    script.close();
    return {
      output: output.text,
      sameVersion: headerTableProbe.sameVersion - before.sameVersion,
      repeated: parser.repeatedHeads,
    };
  };
  const reads = `print(status, headers["Date"], headers["content-type"], headers["Content-Length"], body)`;
  const reusing = await run(`function response(status, headers, body) ${reads} end`);
  const general = await run(
    `local function keep(t) return t end
    function response(status, headers, body) keep(headers) ${reads} end`,
  );
  assertEquals(reusing.output, general.output);
  assertEquals(reusing.output.split("\n")[9], "201\tSun, 06 Dec 2026 15:14:52 GMT\ttext/plain\t5\tworld");
  assert(reusing.repeated > 0, "the parser recognised heads");
  // Every head recognised right after the same head: its version says the table stands.
  assert(reusing.sameVersion > 0);
  assertEquals(general.sameVersion, 0);
});

Deno.test("response()'s header table is filled again when response() only indexes it, with the same results", async () => {
  const reusing = await feed(`function response(status, headers, body) ${READS} end`, VARIED);
  // The same function, except that it passes the table to a function: a new table each time.
  const general = await feed(
    `local function keep(t) return t end
    function response(status, headers, body) keep(headers) ${READS} end`,
    VARIED,
  );
  assertEquals(general.reused, 0);
  // Same names in the same order as the response before: 200→200, 200→201 (Date changed), json→json. The 404s
  // with a repeated X-A (their tables have fewer entries than the responses have names) and the other changes are
  // rebuilt.
  assertEquals(reusing.reused, 3);
  assertEquals(reusing.output, general.output);
  assertMatch(reusing.output, /^200\ttext\/plain\ttext\/plain\tnil\tnil\tnil\tnil\t5\thello\n/);
  assert(reusing.output.includes("404\tnil\tnil\t3\t2\tnil\tnil\t0\t\n"), reusing.output);
  assert(reusing.output.includes("200\ttext/html\ttext/html\tnil\t5\tnil\tnil\t3\t<p>\n"), reusing.output);
});

/** A state whose top holds `function(status, headers, body) <body> end`, compiled. */
function responseFunction(body: string): LuaState {
  const { L } = newState({ write: () => {} });
  loadChunk(L, "f.lua", new TextEncoder().encode(`return function(status, headers, body) ${body} end`));
  assertEquals(lua.lua_pcall(L, 0, 1, 0), lua.LUA_OK);
  return L;
}

Deno.test("response()'s header table is made anew for a function that can keep or change it", () => {
  const keepers = [
    "kept = headers", // stored in a global
    "local copy = headers; kept = copy", // moved to another register
    "local t = {}; t[1] = headers", // stored in a table
    "f = function() return headers end", // captured by a closure
    "for k, v in pairs(headers) do end", // passed to a function
    "local n = headers:len()", // a method call gets the table as self (fails, but after reading it)
    "headers.extra = 1", // written to
    "local t = { headers }", // put in a list
    "return headers", // returned
    'local s = "" .. tostring(headers)', // passed to a function
  ];
  for (const keep of keepers) {
    const L = responseFunction(keep);
    assertEquals(argumentStaysInCall(L, -1, 2), false, keep);
    lua.lua_close(L);
  }
  const readers = [
    'local v = headers["Content-Type"]',
    "if headers then x = 1 end",
    'local k = "X-A"; local v = headers[k]',
    "local v = headers[status]",
    'print(headers["A"], status)',
    "for i = 1, 3 do local v = headers[i] end",
  ];
  for (const read of readers) {
    const L = responseFunction(read);
    assertEquals(argumentStaysInCall(L, -1, 2), true, read);
    lua.lua_close(L);
  }
});

Deno.test("a response() that keeps its header tables gets a table of its own for each response", async () => {
  const { output, reused } = await feed(
    `tables = {}
    function response(status, headers, body)
      tables[#tables + 1] = headers
      if #tables == 3 then
        print(tables[1] ~= tables[2], tables[2] ~= tables[3], tables[1]["Date"], tables[3]["Date"])
      end
    end`,
    VARIED.slice(0, 3),
  );
  assertEquals(reused, 0);
  assertEquals(output, "true\ttrue\tSun, 06 Dec 2026 15:14:51 GMT\tSun, 06 Dec 2026 15:14:52 GMT\n");
});

Deno.test("response() functions without the table among their named parameters", async () => {
  // `function(status)`: the table is dropped on entry, so it may be filled again.
  const dropped = await feed(`n = 0; function response(status) n = n + status end`, VARIED.slice(0, 2));
  assertEquals(dropped.reused, 1);
  // `function(...)`: `...` can reach it.
  const varargs = await feed(
    `kept = {}; function response(...) local s, h = ... kept[#kept + 1] = h; print(h["Content-Type"]) end`,
    VARIED.slice(0, 2),
  );
  assertEquals(varargs.reused, 0);
  assertEquals(varargs.output, "text/plain\ntext/plain\n");
});

Deno.test("debug.getlocal reaching response()'s table ends the reuse, and the table it took stays as it was", async () => {
  const { output, reused } = await feed(
    `local function steal() local _, t = debug.getlocal(2, 2); return t end
    function response(status, headers, body)
      if status == 201 then stolen = steal() end
      if stolen then print(stolen["Date"], stolen["Content-Type"], headers["content-type"]) end
    end`,
    VARIED.slice(0, 4),
  );
  // Responses 1→2 and 2→3 reused the table (steal() took it during the third); the fourth got a new one,
  // and the stolen table kept the third response's headers.
  assertEquals(reused, 2);
  assertEquals(
    output,
    "Sun, 06 Dec 2026 15:14:52 GMT\ttext/plain\ttext/plain\n" +
      "Sun, 06 Dec 2026 15:14:52 GMT\ttext/plain\tapplication/json\n",
  );
});

Deno.test("a response() whose header metatable was replaced through debug.getregistry gets new tables", async () => {
  // The registry holds the metatable every header table shares: an __index put there sees each table.
  const { output, reused } = await feed(
    `seen = {}
    function response(status, headers, body)
      if status == 201 then
        for _, v in pairs(debug.getregistry()) do
          if type(v) == "table" and type(rawget(v, "__index")) == "function" then
            local index = v.__index
            v.__index = function(t, k) seen[#seen + 1] = t; return index(t, k) end
          end
        end
      end
      local v = headers["X-Missing"]
      if #seen == 2 then print(seen[1] ~= seen[2], seen[1]["Date"], seen[2]["content-type"]) end
    end`,
    VARIED.slice(0, 4),
  );
  // 1→2 and 2→3 reused; the fourth response, after debug.getregistry(), got a table of its own.
  assertEquals(reused, 2);
  assertEquals(output, "true\tSun, 06 Dec 2026 15:14:52 GMT\tapplication/json\n");
});

Deno.test("wrk.format() keeps the lines of header values that stay, with the bytes of wrk's Lua version", async () => {
  // The same changes to wrk.headers and to a copy, then wrk.format() on one and wrk's Lua version on the other.
  const { script, output } = await threadScript(`
    ${WRK_LUA_FORMAT}
    local steps = {
      function(h) end,
      function(h) end,
      function(h) h["X-Counter"] = 1 end,
      function(h) h["X-Counter"] = 2 end,
      function(h) h["X-Counter"] = 2 end,
      function(h) h["X-Counter"] = 2.5 end,
      function(h) h["X-Counter"] = 0 end,
      function(h) h["X-Counter"] = 0.0 end,
      function(h) h["X-Counter"] = -0.0 end,
      function(h) h["X-Counter"] = 0/0 end,
      function(h) h["X-Counter"] = 0/0 end,
      function(h) h["X-Counter"] = "two" end,
      function(h) h["X-Counter"] = "two" end,
      function(h) h.Host = "other.test" end,
      function(h) h["X-Counter"] = nil end,
      function(h) h["X-Counter"] = "back" end,
      function(h) h.Accept = "*/*"; h["X-Counter"] = 3 end,
      function(h) h.Accept = "*/*" end,
      function(h) h.Accept = nil end,
      function(h) h.Accept = "*/*" end,
    }
    function init(args)
      local copy = { Host = wrk.headers.Host }
      same, count = true, 0
      for i, step in ipairs(steps) do
        step(wrk.headers)
        step(copy)
        local a = wrk.format(nil, "/item/" .. i)
        local saved = wrk.headers
        wrk.headers = copy
        local b = lua_format(nil, "/item/" .. i)
        wrk.headers = saved
        if a ~= b then same = false; print(i, a, b) end
        count = count + 1
      end
    end`);
  const before = { ...wrkFormatProbe };
  await script.init();
  assertEquals(output.text, "");
  assertEquals(script.getGlobal("same"), true);
  assertEquals(script.getGlobal("count"), 20);
  // 20 direct calls (init's) and one more for the static request; kept lines found from the second call on.
  assertEquals(wrkFormatProbe.direct - before.direct, 21);
  assert(wrkFormatProbe.cachedLines - before.cachedLines > 20);
  script.close();
});

Deno.test("wrk.format() in request(): a header that changes on every call is written, one that stays is kept", async () => {
  const { script } = await threadScript(`
    local n = 0
    function request()
      n = n + 1
      if n % 3 == 0 then wrk.headers["X-Counter"] = n end
      return wrk.format(nil, "/item/" .. n)
    end`);
  await script.init(); // calls request() once (n = 1): its result is the first request
  const before = { ...wrkFormatProbe };
  const requests = Array.from({ length: 6 }, () => text(script.requestSource.nextRequest()));
  for (const [i, request] of requests.entries()) {
    const n = i + 1;
    const counter = n >= 3 ? `X-Counter: ${n - (n % 3)}\r\n` : "";
    assertEquals(request, `GET /item/${n} HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n${counter}\r\n`);
  }
  // Calls for n = 2…6; Host kept each time (5), X-Counter when it had not changed (n = 4, 5).
  assertEquals(wrkFormatProbe.direct - before.direct, 5);
  assertEquals(wrkFormatProbe.cachedLines - before.cachedLines, 7);
  script.close();
});

Deno.test("wrk.format()'s kept header lines spell numbers as tostring() does", async () => {
  const { script, output } = await threadScript(`
    function init(args)
      local values = { 0, 7, -7, 1023, 1024, 12345, math.mininteger, math.maxinteger, 2^31, 2^53, 2^63, 3.0,
        -0.0, 1.5, -2.25, 0.1, 1e15, 1e16, 1e100, 1/0, -1/0 }
      local h = { Host = "h" }
      for _, v in ipairs(values) do
        h.N = v
        -- The first call writes the value, the second keeps its line (made then), the third reuses it.
        local lines = {}
        for i = 1, 3 do lines[i] = wrk.format("GET", "/", h):match("N: ([^\\r]*)") end
        print(lines[1] == tostring(v), lines[2] == tostring(v), lines[3] == tostring(v), tostring(v))
      end
    end`);
  const before = { ...wrkFormatProbe };
  await script.init();
  const lines = output.text.trimEnd().split("\n");
  assertEquals(lines.length, 21);
  for (const line of lines) assertMatch(line, /^true\ttrue\ttrue\t/);
  // Host kept in every call after the first (3 × 21 − 1), N in each value's second and third calls (2 × 21).
  assertEquals(wrkFormatProbe.cachedLines - before.cachedLines, 3 * 21 - 1 + 2 * 21);
  script.close();
});

Deno.test("wrk.format() with a metatable on wrk.headers takes the general path, with the same bytes", async () => {
  const { script } = await threadScript(`
    local n = 0
    local plain = {}
    setmetatable(wrk.headers, { __index = function(t, k) return nil end })
    function request()
      n = n + 1
      wrk.headers["X-Counter"] = n
      plain.Host = wrk.headers.Host
      plain["X-Counter"] = n
      local a = wrk.format(nil, "/item/" .. n)
      local b = wrk.format(nil, "/item/" .. n, plain)
      if a ~= b then error("differ: " .. a .. " / " .. b) end
      return a
    end`);
  await script.init();
  const before = wrkFormatProbe.direct;
  // The first is request()'s call from init(); three more calls.
  for (let i = 0; i < 4; i++) script.requestSource.nextRequest();
  // Only the plain table's calls were direct.
  assertEquals(wrkFormatProbe.direct - before, 3);
  script.close();
});

Deno.test("the hooks' protected call returns what lua_pcall returns, and leaves the state as it does", () => {
  const cases = [
    "return 1, 'two'",
    "error('boom')",
    "error({ code = 7 })",
    "local function f(n) return f(n + 1) + 1 end return f(1)", // stack overflow
    "return string.rep('x', -1, {})",
    "return wrk_missing.field",
  ];
  for (const body of cases) {
    const seen: string[] = [];
    for (const call of [(L: LuaState) => lua.lua_pcall(L, 1, 2, 0), (L: LuaState) => pcall(L, 1, 2)]) {
      const { L } = newState({ write: () => {} });
      loadChunk(L, "p.lua", new TextEncoder().encode(body));
      lua.lua_pushinteger(L, 5);
      const status = call(L);
      const top = lua.lua_gettop(L);
      const values = [];
      for (let i = 1; i <= top; i++) {
        values.push(
          `${typeName(L, i)}:${
            lua.lua_type(L, i) === lua.LUA_TSTRING ? text(lua.lua_tolstring(L, i) as Uint8Array) : ""
          }`,
        );
      }
      const state = L as unknown as {
        nCcalls: number;
        nny: number;
        errfunc: number;
        ci: unknown;
        base_ci: unknown;
      };
      seen.push(
        JSON.stringify({
          status,
          top,
          values,
          nCcalls: state.nCcalls,
          nny: state.nny,
          errfunc: state.errfunc,
          ci: state.ci === state.base_ci,
        }),
      );
      lua.lua_close(L);
    }
    assertEquals(seen[1], seen[0], body);
  }
});

Deno.test("integers in .. and in wrk.format() header values are written as tostring() spells them", async () => {
  const { script, output } = await threadScript(`
    function init(args)
      local values = { 0, 7, -7, 9, 10, 99, 100, 12345, -100000, 999999999, 1000000000, -1000000000,
        2147483647, -2147483647, math.mininteger, math.maxinteger, 2^31, -2^31, 2^53, 3.0, -0.0, 1e15 }
      for _, v in ipairs(values) do
        local h = { Host = "h", N = v }
        local line = wrk.format("GET", "/", h):match("N: ([^\\r]*)")
        print(math.type(v), "<" .. v .. ">" == "<" .. tostring(v) .. ">", line == tostring(v), tostring(v))
      end
    end`);
  await script.init();
  const lines = output.text.trimEnd().split("\n");
  assertEquals(lines.length, 22);
  for (const line of lines) assertMatch(line, /^(integer|float)\ttrue\ttrue\t/);
  assert(lines.includes("integer\ttrue\ttrue\t-2147483648"), output.text);
  assert(lines.includes("integer\ttrue\ttrue\t2147483647"), output.text);
  script.close();
});
