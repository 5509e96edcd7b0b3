/**
 * wrk's nine example scripts (docs/wrk-compat.md#example-scripts), run end to end through the real CLI against loopback servers: what
 * the server received and what the script printed.
 */
import { assert, assertEquals, assertMatch } from "@std/assert";
import { parseReport, runCli } from "./helpers/cli.ts";
import { withServer, withServerAndTempDir } from "./helpers/scoped.ts";
import { ok, type Responder, startServer, type TestServer } from "./helpers/server.ts";
import { runWrk, WRK } from "./helpers/wrk.ts";

const fixture = (name: string) => new URL(`./script/fixtures/${name}.lua`, import.meta.url).pathname;

/**
 * Runs wrk's example `name`.lua with `flags` through the CLI against a new server answering with `responder`,
 * and checks that it exits 0; returns its stdout and the server (closed by then), with the requests it saw.
 */
function runExample(
  name: string,
  flags: string[],
  responder?: Responder,
): Promise<{ stdout: string; server: TestServer }> {
  return withServer(startServer(responder), async (server) => {
    const { code, stdout, stderr } = await runCli([...flags, "-s", fixture(name), server.url]);
    assertEquals(code, 0, stderr);
    return { stdout, server };
  });
}

Deno.test("example addr.lua: setup() gives each thread an address that accepts connections", async () => {
  const { stdout, server } = await runExample("addr", ["-t2", "-c2", "-d300ms"]);
  const lines = stdout.split("\n").filter((line) => line.startsWith("thread addr: "));
  assertEquals(lines, Array(2).fill(`thread addr: 127.0.0.1:${server.port}`));
  assert(parseReport(stdout).requests > 0);
});

Deno.test("example auth.lua: the token from a 200 response is sent with every later request", async () => {
  const { server } = await runExample(
    "auth",
    ["-t1", "-c1", "-d300ms"],
    (request) => request.path === "/authenticate" ? ok("", 200, "X-Token: secret-42\r\n") : ok("resource"),
  );
  assertEquals(server.requests[0].path, "/authenticate");
  const later = server.requests.slice(1);
  assert(later.length > 5);
  for (const request of later) {
    assertEquals(request.path, "/resource");
    assertEquals(request.headers.get("x-token"), "secret-42");
  }
});

Deno.test("example counter.lua: each thread numbers its requests in the path and a number header", async () => {
  const { server } = await runExample("counter", ["-t1", "-c1", "-d300ms"]);
  const seen = server.requests.slice(0, 20);
  seen.forEach((request, i) => {
    assertEquals(request.path, `/${i + 1}`);
    assertEquals(request.headers.get("x-counter"), String(i + 1));
  });
});

Deno.test("example delay.lua: 10-50 ms before each request caps one connection at 20-100 requests/s", async () => {
  const { stdout } = await runExample("delay", ["-t1", "-c1", "-d1s"]);
  const { requests } = parseReport(stdout);
  assert(requests >= 15 && requests <= 100, `${requests} requests`);
});

Deno.test("example pipeline.lua: three pipelined paths in equal numbers, each counted as a request", async () => {
  const { stdout, server } = await runExample("pipeline", ["-t1", "-c2", "-d300ms"]);
  const counts = new Map<string, number>();
  for (const { path } of server.requests) counts.set(path, (counts.get(path) ?? 0) + 1);
  assertEquals([...counts.keys()].sort(), ["/?bar", "/?baz", "/?foo"]);
  const [foo, bar, baz] = ["/?foo", "/?bar", "/?baz"].map((path) => counts.get(path)!);
  // At most one batch per connection is in flight when the run stops.
  assert(foo - baz <= 2 && foo - bar <= 2, JSON.stringify([...counts]));
  const { requests } = parseReport(stdout);
  // Every response counts (a batch cut by the stop counts the responses that arrived).
  assert(
    requests > 0 && server.requests.length - requests <= 6,
    `${requests} of ${server.requests.length}`,
  );
});

Deno.test("example post.lua: method, form body, Content-Type and Content-Length from the top level", async () => {
  const { server } = await runExample("post", ["-t1", "-c1", "-d200ms"]);
  const [first] = server.requests;
  assertEquals(first.method, "POST");
  assertEquals(first.body, "foo=bar&baz=quux");
  assertEquals(first.headers.get("content-type"), "application/x-www-form-urlencoded");
  assertEquals(first.headers.get("content-length"), "16");
});

Deno.test("example report.lua: done() prints latency percentiles after the report", async () => {
  const { stdout } = await runExample("report", ["-t1", "-c2", "-d300ms"]);
  const tail = stdout.slice(stdout.indexOf("Transfer/sec"));
  assertMatch(tail, /------------------------------\n50%,\d+\n90%,\d+\n99%,\d+\n99\.999%,\d+\n$/);
  const [p50, p90, p99] = [...tail.matchAll(/%,(\d+)/g)].map((m) => Number(m[1]));
  assert(p50 > 0 && p50 <= p90 && p90 <= p99);
});

Deno.test("example setup.lua: thread:set ids, per-thread counts read back with thread:get in done()", async () => {
  const { stdout, server } = await runExample("setup", ["-t4", "-c4", "-d300ms"]);
  // In thread order and before the header, as wrk prints them (each thread's init() in turn), however the
  // workers ran them.
  assertMatch(stdout, /^thread 1 created\nthread 2 created\nthread 3 created\nthread 4 created\nRunning /);
  const made = [...stdout.matchAll(/thread (\d) made (\d+) requests and got (\d+) responses/g)];
  assertEquals(made.map((m) => m[1]), ["1", "2", "3", "4"]);
  let total = 0;
  for (const [, , requests, responses] of made) {
    assert(Number(requests) - Number(responses) <= 1 && Number(responses) > 0);
    total += Number(requests);
  }
  // request() counts every request sent, including the first one, which init() uses to count the pipeline.
  assertEquals(total, server.requests.length);
});

Deno.test("example stop.lua: each thread stops itself after 100 responses and the run ends early", async () => {
  const { stdout, server } = await runExample("stop", ["-t2", "-c2", "-d10s"]);
  const report = parseReport(stdout);
  assertEquals(report.requests, 200);
  assert(report.runtimeS < 5, `ran ${report.runtimeS}s`);
  assertEquals(server.requests.length, 200);
});

Deno.test("os.exit(n) in a hook ends the run with exit code n and says where", async () => {
  await withServerAndTempDir(startServer(), "wrk-deno-lua-", async (server, dir) => {
    await Deno.writeTextFile(`${dir}/exit.lua`, "function response() os.exit(3) end\n");
    const { code, stderr } = await runCli(["-t1", "-c1", "-d2s", "-s", `${dir}/exit.lua`, server.url]);
    assertEquals(code, 3);
    assertEquals(stderr, `${dir}/exit.lua: os.exit(3) called in response()\n`);
  });
});

Deno.test("a top level that prints a message and exits says it once, not once per thread (as wrk's main state)", async () => {
  await withServerAndTempDir(startServer(), "wrk-deno-lua-", async (server, dir) => {
    await Deno.writeTextFile(
      `${dir}/check.lua`,
      `if not os.getenv("WRK_DENO_NO_SUCH_SETTING") then print("set WRK_DENO_NO_SUCH_SETTING") os.exit(2) end\n`,
    );
    const { code, stdout, stderr } = await runCli([
      "-t3",
      "-c3",
      "-d1s",
      "-s",
      `${dir}/check.lua`,
      server.url,
    ]);
    assertEquals(code, 2);
    assertEquals(stdout, "set WRK_DENO_NO_SUCH_SETTING\n");
    assertEquals(stderr, `${dir}/check.lua: os.exit(2) called\n`);
    assertEquals(server.requests.length, 0);
  });
});

Deno.test("the Running lines come after every thread's init() output and before any response() output", async () => {
  // Thread 2's init() takes 300 ms: thread 1, ready long before, must not send (and print) before the header.
  const script = `
    local n = 0
    function setup(thread) n = n + 1; thread:set("id", n) end
    function init(args)
      if id == 2 then local t = os.clock(); while os.clock() - t < 0.3 do end end
      print("init " .. id)
    end
    local printed = false
    function response()
      if not printed then printed = true; print("response " .. id) end
    end
  `;
  await withServerAndTempDir(startServer(), "wrk-deno-lua-", async (server, dir) => {
    await Deno.writeTextFile(`${dir}/order.lua`, script);
    const { code, stdout, stderr } = await runCli([
      "-t2",
      "-c2",
      "-d1s",
      "-s",
      `${dir}/order.lua`,
      server.url,
    ]);
    assertEquals(code, 0, stderr);
    const lines = stdout.split("\n").filter((line) => /^(init|response) \d|^Running/.test(line));
    assertEquals(lines.slice(0, 3).sort(), ["Running 1s test @ " + server.url, "init 1", "init 2"].sort());
    assertEquals(lines[2].startsWith("Running"), true, stdout);
    assertEquals(lines.slice(3).sort(), ["response 1", "response 2"], stdout);
  });
});

Deno.test("response() sees a chunked response's trailer fields in its headers, as wrk's does", async () => {
  const chunked =
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-Checksum: abc\r\n\r\n";
  await withServerAndTempDir(startServer(() => ({ send: chunked })), "wrk-deno-lua-", async (server, dir) => {
    await Deno.writeTextFile(
      `${dir}/trailer.lua`,
      `local n = 0\nresponse = function(s, h, b) n = n + 1 if n <= 2 then print(h["X-Checksum"], b) end end\n`,
    );
    const { code, stdout, stderr } = await runCli([
      "-t1",
      "-c1",
      "-d300ms",
      "-s",
      `${dir}/trailer.lua`,
      server.url,
    ]);
    assertEquals(code, 0, stderr);
    assertEquals(stdout.split("\n").filter((line) => line.startsWith("abc")), ["abc\thello", "abc\thello"]);
  });
});

Deno.test(
  "a script's output before the run comes in wrk's order: the main state's top level, then each thread's top level, setup() and init() in turn",
  {
    ignore: WRK === null,
  },
  async () => {
    const script = await Deno.makeTempFile({ suffix: ".lua" });
    try {
      await Deno.writeTextFile(
        script,
        'print("top")\nlocal n = 0\n' +
          'function setup(thread) n = n + 1; thread:set("id", n); print("setup " .. n) end\n' +
          'function init(args) print("init " .. id); io.stderr:write("init " .. id .. " on stderr\\n") end\n',
      );
      await withServer(startServer(), async (server) => {
        const args = ["-t3", "-c3", "-d1s", "-s", script, server.url];
        const ours = await runCli(args);
        const theirs = await runWrk(args);
        const beforeHeader = (stdout: string) => stdout.slice(0, stdout.indexOf("Running "));
        assertEquals(beforeHeader(ours.stdout), beforeHeader(theirs.stdout));
        assertEquals(
          beforeHeader(ours.stdout),
          "top\ntop\nsetup 1\ninit 1\ntop\nsetup 2\ninit 2\ntop\nsetup 3\ninit 3\n",
        );
        assertEquals(ours.stderr, "init 1 on stderr\ninit 2 on stderr\ninit 3 on stderr\n");
      });
    } finally {
      await Deno.remove(script);
    }
  },
);
