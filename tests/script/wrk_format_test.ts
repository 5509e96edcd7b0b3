/** `wrk.format()` byte for byte (docs/wrk-compat.md#wrkformat). */

import { assert, assertEquals, assertMatch, assertRejects } from "@std/assert";
import type { TransferValue } from "../../lib/script/transfer.ts";
import { text, threadScript, WRK_LUA_FORMAT } from "./_helpers.ts";

/** Runs `body` inside init() (after the default Host is set) and returns the named globals. */
async function run(body: string, names: string[], headers: [string, string][] = []) {
  const { script } = await threadScript(`function init(args)\n${body}\nend`, { headers });
  await script.init();
  const values = Object.fromEntries(names.map((name) => [name, script.getGlobal(name)]));
  script.close();
  return values;
}

/** A transferred table as a plain object (string keys, text values). */
function record(value: TransferValue): Record<string, unknown> {
  assert(value !== null && typeof value === "object" && "table" in value);
  return Object.fromEntries(
    value.table.map(([k, v]) => [text(k as Uint8Array), v instanceof Uint8Array ? text(v) : v]),
  );
}

Deno.test("wrk.format() builds a GET that ends in CRLF CRLF", async () => {
  const { r } = await run(`r = wrk.format("GET", "/x", { ["X-A"] = "1" })`, ["r"]);
  assertEquals(text(r as Uint8Array), "GET /x HTTP/1.1\r\nX-A: 1\r\nHost: 127.0.0.1:8080\r\n\r\n");
});

Deno.test("wrk.format() adds wrk.headers.Host to the passed table when it has none", async () => {
  const { r, h } = await run(`h = {}; r = wrk.format("GET", "/", h)`, ["r", "h"]);
  assertEquals(text(r as Uint8Array), "GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n");
  assertEquals(record(h), { Host: "127.0.0.1:8080" });
});

Deno.test("wrk.format() keeps a Host the passed table already has", async () => {
  const { r } = await run(`r = wrk.format("GET", "/", { Host = "example.org" })`, ["r"]);
  assertEquals(text(r as Uint8Array), "GET / HTTP/1.1\r\nHost: example.org\r\n\r\n");
});

Deno.test("wrk.format() takes Host from -H over the URL's", async () => {
  const { r } = await run(`r = wrk.format()`, ["r"], [["Host", "vhost.test"]]);
  assertEquals(text(r as Uint8Array), "GET / HTTP/1.1\r\nHost: vhost.test\r\n\r\n");
});

Deno.test("wrk.format() adds Content-Length for a body, in the passed table too", async () => {
  const { r, h } = await run(`h = { Host = "a" }; r = wrk.format("POST", "/p", h, "hello")`, ["r", "h"]);
  assertEquals(text(r as Uint8Array), "POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
  assertEquals(record(h), { Host: "a", "Content-Length": 5 });
});

Deno.test("wrk.format() removes Content-Length when there is no body, in the passed table too", async () => {
  const { r, h } = await run(
    `h = { Host = "a", ["Content-Length"] = "99" }; r = wrk.format("GET", "/", h)`,
    ["r", "h"],
  );
  assertEquals(text(r as Uint8Array), "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  assertEquals(record(h), { Host: "a" });
});

Deno.test("wrk.format() falls back to wrk.method, wrk.path, wrk.headers and wrk.body for nil arguments", async () => {
  const { r, cl } = await run(
    `wrk.method = "PUT"; wrk.path = "/p?q=1"; wrk.body = "zz"; wrk.headers["X-B"] = "b"
     r = wrk.format(nil, nil, nil, nil); cl = wrk.headers["Content-Length"]`,
    ["r", "cl"],
  );
  const request = text(r as Uint8Array);
  assertMatch(request, /^PUT \/p\?q=1 HTTP\/1\.1\r\n/);
  assertMatch(request, /\r\nX-B: b\r\n/);
  assertMatch(request, /\r\nContent-Length: 2\r\n\r\nzz$/);
  // wrk.headers itself was the table used, so it now holds Content-Length.
  assertEquals(cl, 2);
});

Deno.test("wrk.format() prints number header values as LuaJIT does", async () => {
  const { r } = await run(
    `r = wrk.format("GET", "/", { Host = "h", ["X-N"] = 42, ["X-F"] = 1.5, ["X-I"] = 2^31, ["X-W"] = 3.0 })`,
    ["r"],
  );
  assertEquals(
    text(r as Uint8Array),
    "GET / HTTP/1.1\r\nHost: h\r\nX-N: 42\r\nX-F: 1.5\r\nX-I: 2147483648\r\nX-W: 3\r\n\r\n",
  );
});

Deno.test("wrk.format() gives the same bytes as wrk's Lua implementation", async () => {
  // wrk 4.1's wrk.lua format, run on the same tables in the same state.
  const { same, count } = await run(
    `
    ${WRK_LUA_FORMAT}
    local cases = {
      { nil, nil, nil, nil },
      { "POST", "/a", { A = "1", B = 2 }, "body" },
      { "HEAD", "/b?c=d", { ["Content-Length"] = "7" }, nil },
      { nil, "/c", { Host = "x", Z = "z", Y = 1.25 }, "" },
      -- Without a body, plain tables and string or number values: the direct path (fengari/_direct.ts).
      { "GET", "/d", { A = "x", N = 42, F = 0.5, Big = 2^40 }, nil },
      { nil, "/e", {}, nil },
      { nil, nil, nil, false },
      { "GET", "/f", { ["Content-Length"] = "3" }, nil },
    }
    wrk.headers["X-Counter"] = 7
    same, count = true, 0
    for _, c in ipairs(cases) do
      local h1, h2 = {}, {}
      if c[3] then
        for k, v in pairs(c[3]) do h1[k] = v end
        for k, v in pairs(c[3]) do h2[k] = v end
      end
      local a = wrk.format(c[1], c[2], c[3] and h1, c[4])
      local b = lua_format(c[1], c[2], c[3] and h2, c[4])
      if a ~= b then same = false; print(a, b) end
      for k, v in pairs(h1) do if h2[k] ~= v then same = false; print(k, v, h2[k]) end end
      count = count + 1
    end`,
    ["same", "count"],
  );
  assertEquals(count, 8);
  assertEquals(same, true);
});

Deno.test("wrk.format() gives the same bytes for tables with a metatable (the API path) as for plain ones", async () => {
  const { plain, meta, inherited } = await run(
    `local h = { A = "1", B = 2 }
    plain = wrk.format("GET", "/", h)
    meta = wrk.format("GET", "/", setmetatable({ A = "1", B = 2 }, {}))
    -- __index is honoured for Host, as wrk's Lua code would: no Host in the table, one through __index.
    inherited = wrk.format("GET", "/", setmetatable({}, { __index = { Host = "via-index" } }))`,
    ["plain", "meta", "inherited"],
  );
  assertEquals(text(plain as Uint8Array), text(meta as Uint8Array));
  assertEquals(text(inherited as Uint8Array), "GET / HTTP/1.1\r\n\r\n");
});

Deno.test("wrk.format() rejects a headers argument that is not a table", async () => {
  await assertRejects(
    () => run(`wrk.format("GET", "/", "nope")`, []),
    Error,
    "script.lua:2: in init(): bad argument #3 to 'format' (table expected, got string)",
  );
});
