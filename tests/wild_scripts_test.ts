/**
 * What published wrk scripts do, in scripts of our own (tests/fixtures/wild/), through the real CLI on both
 * socket paths against a recording loopback server, and side by side with wrk where it is installed: seeded
 * random ids, a seed from /dev/urandom, a Host override, a log line per response, a JSON summary written in
 * done(), a stop inside request(), and the bytes of replies read after a stop.
 */
import { assert, assertEquals, assertMatch } from "@std/assert";
import { parseArgs, run } from "../mod.ts";
import { CLI_PERMISSIONS, DENO_SOCKETS_PERMISSIONS, parseReport, runCli } from "./helpers/cli.ts";
import { ok, startServer } from "./helpers/server.ts";
import { runWrk, WRK } from "./helpers/wrk.ts";

const fixture = (name: string) => new URL(`./fixtures/wild/${name}.lua`, import.meta.url).pathname;

const PATHS = [
  { name: "epoll loop", permissions: CLI_PERMISSIONS },
  { name: "Deno sockets", permissions: DENO_SOCKETS_PERMISSIONS },
];

for (const { name, permissions } of PATHS) {
  Deno.test(`${name}: a seeded script's random ids are LuaJIT's draws, hardly ever repeated`, async () => {
    const server = startServer();
    try {
      const { code, stdout, stderr } = await runCli([
        "-t1",
        "-c1",
        "-d500ms",
        "-s",
        fixture("random_ids"),
        server.url,
      ], {
        permissions,
      });
      assertEquals(code, 0, stderr);
      const ids = server.requests.map((request) => request.path);
      assert(ids.length > 100, `${ids.length} requests`);
      // 1000000 * d + 1 for LuaJIT's first draws after math.randomseed(42) (tests/script/compat covers the rest).
      assertEquals(ids.slice(0, 3), ["/item/956080", "/item/8956", "/item/538601"]);
      assert(new Set(ids).size > ids.length * 0.99, `${new Set(ids).size} distinct of ${ids.length}`);
      assert(parseReport(stdout).requests > 0);
    } finally {
      await server.close();
    }
  });

  Deno.test(`${name}: wrk.host set by the script makes the Host header, as wrk builds it`, async () => {
    const server = startServer();
    try {
      const { code, stderr } = await runCli([
        "-t1",
        "-c1",
        "-d200ms",
        "-s",
        fixture("host_override"),
        server.url,
      ], {
        permissions,
      });
      assertEquals(code, 0, stderr);
      assert(server.requests.length > 0);
      for (const request of server.requests) {
        assertEquals(request.headers.get("host"), "example.test:" + server.port);
      }
    } finally {
      await server.close();
    }
  });

  Deno.test(`${name}: a request() that alternates GET and HEAD reads each answer as its method says`, async () => {
    // A HEAD's answer has the Content-Length of the GET's, and no body.
    const server = startServer((request) =>
      request.method === "HEAD" ? { send: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n" } : ok("hello")
    );
    try {
      const { code, stdout, stderr } = await runCli(
        ["-t1", "-c1", "-d500ms", "--timeout", "1s", "-s", fixture("mixed_methods"), server.url],
        { permissions },
      );
      assertEquals(code, 0, stderr);
      const report = parseReport(stdout);
      assertEquals(report.errors, { connect: 0, read: 0, write: 0, timeout: 0 }, stdout);
      assert(report.requests >= 10, stdout);
      const methods = new Set(server.requests.map((request) => request.method));
      assertEquals([...methods].sort(), ["GET", "HEAD"]);
      assert(server.requests.length - report.requests <= 1, `${server.requests.length} requests seen`);
    } finally {
      await server.close();
    }
  });

  Deno.test(`${name}: wrk.thread:stop() in request() still sends the request it returns`, async () => {
    const server = startServer();
    try {
      const { code, stdout, stderr } = await runCli(
        ["-t1", "-c1", "-d5s", "-s", fixture("stop_in_request"), server.url],
        { permissions },
      );
      assertEquals(code, 0, stderr);
      assertEquals(server.requests.map((request) => request.path), ["/1", "/2", "/3", "/4", "/5"]);
      // The fifth was sent, but the thread stopped before its answer: four responses, and the run ended early.
      const report = parseReport(stdout);
      assertEquals(report.requests, 4);
      assert(report.runtimeS < 5);
    } finally {
      await server.close();
    }
  });
}

Deno.test({
  name: "the seeded ids are the ones wrk sends, one request later (wrk does not send the request it counts)",
  ignore: WRK === null,
  fn: async () => {
    const ours = startServer();
    const theirs = startServer();
    try {
      const args = ["-t1", "-c1", "-d1s", "-s", fixture("random_ids")];
      assertEquals((await runCli([...args, ours.url])).code, 0);
      assertEquals((await runWrk([...args, theirs.url])).code, 0);
      const sent = (server: typeof ours) => server.requests.map((request) => request.path).slice(0, 40);
      assertEquals(sent(ours).slice(1), sent(theirs).slice(0, sent(ours).length - 1));
    } finally {
      await ours.close();
      await theirs.close();
    }
  },
});

Deno.test("tostring() of a thread and of done()'s statistics reads userdata, as under wrk (LuaJIT has no __name)", async () => {
  const server = startServer();
  try {
    const args = ["-t1", "-c1", "-d1s", "-s", fixture("object_names"), server.url];
    const ours = await runCli(args);
    assertEquals(ours.code, 0, ours.stderr);
    const names = (stdout: string) => stdout.split("\n").filter((line) => /^(thread|stats)\t/.test(line));
    assertEquals(names(ours.stdout), ["thread\tuserdata", "stats\tuserdata\tuserdata"]);
    if (WRK !== null) assertEquals(names((await runWrk(args)).stdout), names(ours.stdout));
  } finally {
    await server.close();
  }
});

Deno.test({
  name: "wrk.host set by the script gives the Host header wrk sends",
  ignore: WRK === null,
  fn: async () => {
    const ours = startServer();
    const theirs = startServer();
    try {
      const args = ["-t1", "-c1", "-d1s", "-s", fixture("host_override")];
      await runCli([...args, ours.url]);
      await runWrk([...args, theirs.url]);
      const host = (server: typeof ours) => server.requests[0].headers.get("host")?.replace(/:\d+$/, ":PORT");
      assertEquals(host(ours), host(theirs));
    } finally {
      await ours.close();
      await theirs.close();
    }
  },
});

Deno.test("a seed read from /dev/urandom: the run starts at once and each thread draws its own ids", async () => {
  const server = startServer();
  try {
    const { code, stdout, stderr, wallMs } = await runCli(
      ["-t2", "-c2", "-d300ms", "-s", fixture("urandom_seed"), server.url],
    );
    assertEquals(code, 0, stderr);
    // Before reads were lazy the script read the device until the 15 s loading bound.
    assert(wallMs < 10_000, `took ${wallMs} ms`);
    const ids = server.requests.map((request) => request.path);
    assert(ids.length > 20);
    assert(new Set(ids).size > ids.length * 0.99, `${new Set(ids).size} distinct of ${ids.length}`);
    assert(parseReport(stdout).requests > 0);
  } finally {
    await server.close();
  }
});

Deno.test("a seed from a table's address (tostring({}):sub(8)): each thread draws its own e-mail addresses", async () => {
  const server = startServer();
  try {
    const { code, stderr } = await runCli([
      "-t4",
      "-c4",
      "-d300ms",
      "-s",
      fixture("address_seed"),
      server.url,
    ]);
    assertEquals(code, 0, stderr);
    const bodies = server.requests.map((request) => request.body);
    assert(bodies.length > 40);
    // Every state numbered its tables from 1: all four threads drew the same addresses, in step.
    assert(
      new Set(bodies).size > bodies.length * 0.99,
      `${new Set(bodies).size} distinct of ${bodies.length}`,
    );
  } finally {
    await server.close();
  }
});

Deno.test("a report written to /dev/stdout and /dev/stderr by name needs no --write; with --json - it keeps off stdout", async () => {
  const server = startServer();
  try {
    const plain = await runCli(["-t1", "-c1", "-d200ms", "-s", fixture("report_to_streams"), server.url]);
    assertEquals(plain.code, 0, plain.stderr);
    assertMatch(plain.stdout, /\nrequests \d+\n$/);
    assertEquals(plain.stderr, "report written\n");
    // stdout carries the JSON: the script's stdout goes to stderr, as its print does.
    const json = await runCli([
      "-t1",
      "-c1",
      "-d200ms",
      "--json",
      "-",
      "-s",
      fixture("report_to_streams"),
      server.url,
    ]);
    assertEquals(json.code, 0, json.stderr);
    assert(typeof JSON.parse(json.stdout).requests === "number");
    assertMatch(json.stderr, /requests \d+\n/);
  } finally {
    await server.close();
  }
});

Deno.test("a per-response log: with --write <dir>, one line per counted response, files complete after the run", async () => {
  const server = startServer(() => ok("hello"));
  const dir = await Deno.makeTempDir({ prefix: "wrk-deno-log-" });
  try {
    const { code, stdout, stderr } = await runCli(
      ["-t2", "-c4", "-d300ms", "--write", dir, "-s", fixture("response_log"), server.url, "--", dir],
    );
    assertEquals(code, 0, stderr);
    const lines: string[] = [];
    for (const id of [1, 2]) {
      const text = await Deno.readTextFile(`${dir}/responses-${id}.log`);
      lines.push(...text.split("\n").filter((line) => line !== ""));
    }
    assertEquals(lines.length, parseReport(stdout).requests);
    for (const line of lines) assertEquals(line, "200 5");
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a per-response log without --write (its script asserts the file opened) stops naming the option, exit 1", async () => {
  const server = startServer();
  const dir = await Deno.makeTempDir({ prefix: "wrk-deno-log-" });
  try {
    const { code, stdout, stderr } = await runCli(
      ["-t1", "-c1", "-d300ms", "-s", fixture("response_log"), server.url, "--", dir],
    );
    assertEquals(code, 1);
    assertEquals(stdout, "");
    // The refusal's warning, then the assert's error with io.open's message.
    assertMatch(
      stderr,
      /^wrk-deno: a script's io\.open\(".*responses-1\.log", "w"\) was refused: scripts write only under --write <dir>\n.*response_log\.lua:\d+: in init\(\): .*responses-1\.log: Permission denied \(scripts may only write under --write <dir>\)\n$/,
    );
    assertEquals([...Deno.readDirSync(dir)], []);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno run --allow-write=<dir> alone lets scripts write there (Deno's own paths, no --write)", async () => {
  const server = startServer(() => ok("hello"));
  const dir = await Deno.makeTempDir({ prefix: "wrk-deno-log-" });
  try {
    const permissions = [
      ...CLI_PERMISSIONS.filter((flag) => flag !== "--allow-write"),
      `--allow-write=${dir}`,
    ];
    const { code, stdout, stderr } = await runCli(
      ["-t1", "-c1", "-d300ms", "-s", fixture("response_log"), server.url, "--", dir],
      { permissions },
    );
    assertEquals(code, 0, stderr);
    const lines = (await Deno.readTextFile(`${dir}/responses-1.log`)).split("\n").filter((line) =>
      line !== ""
    );
    assertEquals(lines.length, parseReport(stdout).requests);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a JSON summary written in done() holds the run's figures", async () => {
  const server = startServer();
  const dir = await Deno.makeTempDir({ prefix: "wrk-deno-json-" });
  try {
    const path = `${dir}/summary.json`;
    const { code, stdout, stderr } = await runCli(
      ["-t2", "-c2", "-d300ms", "--write", dir, "-s", fixture("json_summary"), server.url, "--", path],
    );
    assertEquals(code, 0, stderr);
    const summary = JSON.parse(await Deno.readTextFile(path));
    const report = parseReport(stdout);
    assertEquals(summary.requests, report.requests);
    assertEquals(summary.errors, 0);
    assert(summary.p99_us >= summary.p50_us && summary.p50_us > 0, JSON.stringify(summary));
    assert(Math.abs(summary.duration_us / 1e6 - report.runtimeS) < 0.01, JSON.stringify(summary));
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

/**
 * A server that answers all the requests of one read with one write, so that a pipelined batch's replies
 * arrive together: a reply read after the stop is then in the same read as the reply that stopped the thread.
 */
function batchServer(response: string): { url: string; close: () => Promise<void> } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const connections: Deno.Conn[] = [];
  const serving = (async () => {
    for await (const conn of listener) {
      connections.push(conn);
      (async () => {
        const buffer = new Uint8Array(64 * 1024);
        try {
          for (;;) {
            const n = await conn.read(buffer);
            if (n === null) break;
            const requests = new TextDecoder().decode(buffer.subarray(0, n)).split("\r\n\r\n").length - 1;
            await conn.write(new TextEncoder().encode(response.repeat(requests)));
          }
        } catch { /* the client closed */ }
      })();
    }
  })();
  return {
    url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}/`,
    close: async () => {
      listener.close();
      for (const conn of connections) {
        try {
          conn.close();
        } catch { /* closed */ }
      }
      await serving.catch(() => {});
    },
  };
}

Deno.test("bytes read are the bytes of counted responses: none of the replies read after a stop", async () => {
  const response = "HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n" + "x".repeat(50);
  const server = batchServer(response);
  const dir = await Deno.makeTempDir({ prefix: "wrk-deno-stop-" });
  try {
    // Pipelined batches of four, answered in one write: the thread stops on the 10th response, with the 11th
    // and 12th in the same read.
    const script = `${dir}/stop.lua`;
    await Deno.writeTextFile(
      script,
      `local r = wrk.format(nil, "/")
      local batch = r .. r .. r .. r
      function request() return batch end
      local seen = 0
      function response() seen = seen + 1; if seen == 10 then wrk.thread:stop() end end`,
    );
    for (const epoll of [true, false]) {
      const result = await run({ ...parseArgs(["-t1", "-c1", "-d2s", "-s", script, server.url]), epoll });
      assertEquals(result.requests, 10, `epoll ${epoll}`);
      assertEquals(result.bytesRead, 10 * response.length, `epoll ${epoll}`);
    }
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});
