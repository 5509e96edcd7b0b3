/**
 * `thread:get` from the main state through the real command line, with threads in Web Workers (`-t4` on this
 * machine's cores puts several threads in one worker): it waits for the worker's message where Lua can wait,
 * and blocks for it where Lua cannot (a `table.sort` comparator, a `gsub` callback, a coroutine of the
 * script's own, `__tostring`), as wrk's `thread:get` works everywhere; a value that cannot be copied is an
 * error at the call site either way.
 */
import { assert, assertEquals, assertMatch } from "@std/assert";
import { parseReport, runCli } from "./helpers/cli.ts";
import { withServerAndTempDir } from "./helpers/scoped.ts";
import { startServer } from "./helpers/server.ts";

const DONE_EVERYWHERE = `
local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
function init() responses = 0 end
function response() responses = responses + 1 end
function done()
  table.sort(threads, function(a, b) return a:get("id") > b:get("id") end)
  local ids = {}
  for _, t in ipairs(threads) do ids[#ids + 1] = t:get("id") end
  print("sorted " .. table.concat(ids, ","))
  print("gsub " .. (("1234"):gsub("%d", function(d) return threads[tonumber(d)]:get("id") end)))
  local total = coroutine.wrap(function()
    local n = 0
    for _, t in ipairs(threads) do n = n + t:get("responses") end
    return n
  end)()
  print("responses " .. total)
  print(tostring(setmetatable({}, { __tostring = function() return "last " .. threads[4]:get("id") end })))
end
`;

Deno.test("thread:get in done() works inside a table.sort comparator, a gsub callback, a coroutine and __tostring, with several threads per worker", async () => {
  await withServerAndTempDir(startServer(), "wrk-deno-get-", async (server, dir) => {
    await Deno.writeTextFile(`${dir}/done.lua`, DONE_EVERYWHERE);
    const { code, stdout, stderr } = await runCli([
      "-t4",
      "-c4",
      "-d300ms",
      "-s",
      `${dir}/done.lua`,
      server.url,
    ]);
    assertEquals(code, 0, stderr);
    const tail = stdout.slice(stdout.indexOf("sorted"));
    assertEquals(
      tail.replace(/responses \d+/, "responses N"),
      "sorted 4,3,2,1\ngsub 4321\nresponses N\nlast 1\n",
    );
    // The responses each thread's response() counted, read back: the report's, give or take one in flight per
    // connection at the end.
    const counted = Number(tail.match(/responses (\d+)/)![1]);
    const requests = parseReport(stdout).requests;
    assert(requests > 0 && Math.abs(counted - requests) <= 4, `${counted} counted, ${requests} reported`);
  });
});

Deno.test("thread:get of a function in done() is an error at the call site, in a comparator too, and the run exits 1", async () => {
  for (
    const [body, line] of [
      [`print(threads[1]:get("init"))`, 5],
      [`table.sort(threads, function(a, b) return a:get("init") ~= nil end)`, 5],
    ] as const
  ) {
    await withServerAndTempDir(startServer(), "wrk-deno-get-", async (server, dir) => {
      const script = `local threads = {}
function setup(thread) table.insert(threads, thread) end
function init() end
function done()
  ${body}
end
`;
      await Deno.writeTextFile(`${dir}/function.lua`, script);
      const { code, stdout, stderr } = await runCli([
        "-t2",
        "-c2",
        "-d200ms",
        "-s",
        `${dir}/function.lua`,
        server.url,
      ]);
      assertEquals(code, 1, stdout);
      assertMatch(stdout, /Requests\/sec/);
      assertEquals(stderr, `${dir}/function.lua:${line}: in done(): cannot transfer 'function' to thread\n`);
    });
  }
});
