/**
 * `-R` through the real CLI: wrk2's report, and each wrk2 bug users report pinned as fixed: Req/Sec `-nan` on
 * runs under 10 s (giltene/wrk2#90, #117), `-R` not matching the reported rate (#127), `-R` below `-t`
 * (#147), timeouts counted over and over (#105), runs that overrun their duration.
 */
import { assert, assertEquals, assertMatch, assertNotMatch } from "@std/assert";
import { acceptLoop } from "./helpers/accept_loop.ts";
import { parseReport, runCli } from "./helpers/cli.ts";
import { ok, startServer } from "./helpers/server.ts";

Deno.test("cli -R prints wrk2's report: Req/Sec from the start, the HdrHistogram block with -L, the uncorrected one with -U", async () => {
  const server = startServer();
  try {
    const { code, stdout, stderr } = await runCli(["-t2", "-c4", "-d1s", "-R", "200", "-U", server.url]);
    assertEquals(code, 0, stderr);
    // A one-second run: wrk2 would print `-nan` for Req/Sec (its 10 s calibration never happened).
    assertMatch(stdout, /^ {4}Req\/Sec +\d+\.\d+ +\d/m);
    assertNotMatch(stdout, /nan/);
    assertMatch(stdout, /^ {2}Latency Distribution \(HdrHistogram - Recorded Latency\)\n 50\.000% /m);
    assertMatch(stdout, /^ {2}Latency Distribution \(HdrHistogram - Uncorrected Latency \(measured without/m);
    assertEquals(stdout.match(/^#\[Buckets = +27, SubBuckets += +2048\]$/gm)?.length, 2);
    const report = parseReport(stdout);
    // The Requests/sec line is the achieved rate over the time actually run, and that is -R.
    assert(Math.abs(report.requestsPerSec - 200) < 200 * 0.03, `${report.requestsPerSec}/s`);
    assert(report.runtimeS < 1.1, `ran ${report.runtimeS} s`);
  } finally {
    await server.close();
  }
});

Deno.test("cli -R below -t and -c works: each connection gets its share, below one request per second", async () => {
  const server = startServer();
  try {
    // 2 requests/s over 4 connections: one every 2 s each, the four staggered by 0.5 s, so in 2 s each sends
    // once (at 0.25, 0.75, 1.25 and 1.75 s).
    const { code, stdout, stderr } = await runCli(["-t4", "-c4", "-d2s", "-R", "2", server.url]);
    assertEquals(code, 0, stderr);
    assertEquals(server.requests.length, 4);
    assertEquals(parseReport(stdout).requests, 4);
  } finally {
    await server.close();
  }
});

Deno.test("cli -R against a server that never answers counts each request's timeout once", async () => {
  const server = startServer(() => ({ hang: true }));
  try {
    const { code, stdout, stderr } = await runCli([
      "-t1",
      "-c2",
      "-d3s",
      "-R",
      "20",
      "--timeout",
      "500ms",
      server.url,
    ]);
    assertEquals(code, 0, stderr);
    const report = parseReport(stdout);
    // Every request sent hangs; each counts one timeout once it is late (it stays awaited, as in wrk2), and no
    // request is counted twice (wrk2 added one per connection at every 2 s check for as long as it stayed late).
    assert(report.errors.timeout > 0);
    assert(
      report.errors.timeout <= server.requests.length,
      `${report.errors.timeout} timeouts, ${server.requests.length} requests`,
    );
    assert(report.runtimeS < 3.2, `ran ${report.runtimeS} s`);
    assertMatch(
      stdout,
      /^ {2}Rate: 0\.00 of 20 requests\/sec asked \(100\.0% short\): the server answered none of the \d+ requests? sent$/m,
    );
  } finally {
    await server.close();
  }
});

Deno.test("cli -R with more connections than requests: the threads take turns on the slots, not one the first half", async () => {
  const server = startServer();
  const dir = await Deno.makeTempDir();
  try {
    // Each thread counts its responses; done() reads them back.
    await Deno.writeTextFile(
      `${dir}/count.lua`,
      `local threads = {}
function setup(thread) table.insert(threads, thread) end
function init() responses = 0 end
function response() responses = responses + 1 end
function done() io.write("per thread: ", threads[1]:get("responses"), " ", threads[2]:get("responses"), "\\n") end
`,
    );
    // 1000 lanes of one request per 100 s: the run's 20 slots are the first 20 places. Numbered by block, all
    // 20 were thread 1's connections; dealt in turn, each thread has 10.
    const { code, stdout, stderr } = await runCli([
      "-t2",
      "-c1000",
      "-d1s",
      "-R",
      "20",
      "-s",
      `${dir}/count.lua`,
      server.url,
    ]);
    assertEquals(code, 0, stderr);
    const [, first, second] = stdout.match(/^per thread: (\d+) (\d+)$/m)!.map(Number);
    assert(first + second >= 18 && Math.abs(first - second) <= 2, `${first} and ${second}`);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cli -R with a script that defines delay() warns once that delay() is not called", async () => {
  const server = startServer();
  const script = await Deno.makeTempFile({ suffix: ".lua" });
  try {
    await Deno.writeTextFile(script, "function delay() return 1000 end\n");
    const { code, stdout, stderr } = await runCli([
      "-t1",
      "-c2",
      "-d500ms",
      "-R",
      "100",
      "-s",
      script,
      server.url,
    ]);
    assertEquals(code, 0, stderr);
    assertEquals(
      stderr,
      `${script}: delay() is not called with -R: the rate decides when each request goes\n`,
    );
    // A 1 s delay() would have allowed at most 2 requests.
    assert(parseReport(stdout).requests > 30, stdout);
  } finally {
    await server.close();
    await Deno.remove(script);
  }
});

Deno.test("cli -R: done() sees the recorded latency, and wrk.time_us() is wall-clock microseconds", async () => {
  const server = startServer();
  const script = await Deno.makeTempFile({ suffix: ".lua" });
  try {
    await Deno.writeTextFile(
      script,
      `local started = wrk.time_us()
      function done(summary, latency)
        print("count", latency.min >= 0, math.abs(started / 1e6 - os.time()) < 5)
      end`,
    );
    const { code, stdout, stderr } = await runCli([
      "-t1",
      "-c2",
      "-d300ms",
      "-R",
      "100",
      "-s",
      script,
      server.url,
    ]);
    assertEquals(code, 0, stderr);
    assertMatch(stdout, /^count\ttrue\ttrue$/m);
  } finally {
    await server.close();
    await Deno.remove(script);
  }
});

Deno.test("cli refuses -R 0, -R abc, a rate too high to plan, and -U or -B without -R, in one line each", async () => {
  for (
    const [args, message] of [
      [["-R", "0"], "rate must be > 0 (requests per second over all connections)"],
      [["-R", "abc"], "option '-R': invalid count"],
      [["-R", "20G", "-c", "2"], "cannot be planned over 2 connections"],
      [["-R", "20G", "-c", "1", "-t", "1"], "cannot be planned over 1 connection: at most"],
      [["-U"], "-U/--u_latency applies to rate mode: add -R <requests/sec>"],
      [["-B"], "-B/--batch_latency applies to rate mode: add -R <requests/sec>"],
    ] as const
  ) {
    const { code, stderr } = await runCli([...args, "http://127.0.0.1:1/"]);
    assertEquals(code, 1, args.join(" "));
    assert(stderr.split("\n")[0].includes(message), `${args.join(" ")}: ${stderr.split("\n")[0]}`);
  }
});

Deno.test("cli -R against a server answering in 200 ms: the rate was kept, the answers in flight at the end are named, not the client", async () => {
  const server = startServer(() => ({ ...ok(), delayMs: 200 }));
  const dir = await Deno.makeTempDir({ prefix: "wrk-deno-rate-" });
  try {
    // 100 lanes of 2 requests/s: free 300 ms before each next slot. The last 200 ms of requests (~40) are
    // unanswered at the stop, and wrk and wrk2 count completed responses only: ~10 % short.
    const { code, stdout, stderr } = await runCli([
      "-t2",
      "-c100",
      "-d2s",
      "-R",
      "200",
      "--json",
      `${dir}/r.json`,
      server.url,
    ]);
    assertEquals(code, 0, stderr);
    const document = JSON.parse(await Deno.readTextFile(`${dir}/r.json`));
    // The plan had 400 requests due in the 2 s, and they all went.
    const planned = document.rate.requests_due;
    assert(Math.abs(planned - 400) <= 400 * 0.01 + 1, `${planned} due`);
    const sent = document.rate.requests_sent;
    assert(Math.abs(sent - planned) <= planned * 0.01 + 1, `${sent} sent, ${planned} planned`);
    // The achieved rate keeps its meaning: completed responses over the time run.
    assertEquals(document.rate.achieved_per_sec, document.requests_per_sec);
    assertEquals(parseReport(stdout).requests, document.requests);
    assertMatch(
      stdout,
      new RegExp(
        `^ {2}Rate: [\\d.]+ of 200 requests/sec asked \\([\\d.]+% short\\): ${
          sent - document.requests
        } requests were still in flight at the end \\(not counted\\): the rate was kept$`,
        "m",
      ),
    );
    assertNotMatch(stdout, /could not keep pace|busy/);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cli -R 1 -d1500ms sends the one request its plan had due and says so, without blaming the client", async () => {
  const server = startServer();
  try {
    // Slots at 0.5 s and 1.5 s: the second is on the run's edge, so the plan had one request due.
    const { code, stdout, stderr } = await runCli(["-t1", "-c1", "-d1500ms", "-R", "1", server.url]);
    assertEquals(code, 0, stderr);
    assertEquals(parseReport(stdout).requests, 1);
    assertMatch(
      stdout,
      /^ {2}Rate: 0\.\d\d of 1 requests\/sec asked \([\d.]+% short\): the plan had only 1 request due in the time run: the rate was kept$/m,
    );
    assertNotMatch(stdout, /could not keep pace/);
  } finally {
    await server.close();
  }
});

Deno.test("cli shard whose lanes have no slot in its time sends nothing and says the plan had none due", async () => {
  const server = startServer();
  const dir = await Deno.makeTempDir();
  try {
    // -R 2 over 3 connections: lane 2's first slot is at 1.25 s, after this 1 s run.
    const { code, stdout, stderr } = await runCli([
      "-t1",
      "-c3",
      "-d1s",
      "-R",
      "2",
      "--shard-index",
      "2",
      "--shard-count",
      "3",
      "--json",
      `${dir}/r.json`,
      server.url,
    ]);
    assertEquals(code, 0, stderr);
    assertEquals(server.requests.length, 0);
    assertMatch(
      stdout,
      /^ {2}Rate: 0\.00 of 0\.67 requests\/sec asked \(100\.0% short\): the plan had no request due in the time run: the rate was kept$/m,
    );
    const document = JSON.parse(await Deno.readTextFile(`${dir}/r.json`));
    assertEquals([document.rate.requests_sent, document.rate.requests_due], [0, 0]);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cli -R with a request() that keeps its thread busy: the Rate line says add -t, not -c", async () => {
  const server = startServer();
  const script = await Deno.makeTempFile({ suffix: ".lua" });
  try {
    // 5 ms of Lua per request at 400/s is two seconds of work a second for one thread.
    await Deno.writeTextFile(
      script,
      "request = function()\n  local t = os.clock()\n  while os.clock() - t < 0.005 do end\n" +
        "  return wrk.format()\nend\n",
    );
    const { code, stdout, stderr } = await runCli([
      "-t1",
      "-c40",
      "-d1s",
      "-R",
      "400",
      "-s",
      script,
      server.url,
    ]);
    assertEquals(code, 0, stderr);
    assertMatch(
      stdout,
      // On cores shared with other work (the server, other tests), the thread also waits for a core.
      /^ {2}Rate: [\d.]+ of 400 requests\/sec asked \([\d.]+% short\): the client could not keep pace \(a thread was busy \d+% of the time( and waited \d+% for a core)?\): (add -t, or run on more cores|other work shares the client's cores; give it cores of its own)$/m,
    );
  } finally {
    await server.close();
    await Deno.remove(script);
  }
});

/** A server that answers every request and closes a connection left idle for `idleMs` (a keep-alive timeout). */
function idleClosingServer(idleMs: number) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const response = new TextEncoder().encode("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  const connections = acceptLoop(listener, async (conn) => {
    const buffer = new Uint8Array(4096);
    let timer = setTimeout(() => conn.close(), idleMs);
    try {
      while ((await conn.read(buffer)) !== null) {
        clearTimeout(timer);
        await conn.write(response);
        timer = setTimeout(() => conn.close(), idleMs);
      }
    } finally {
      clearTimeout(timer);
    }
  });
  return { url: `http://127.0.0.1:${listener.addr.port}/`, close: () => connections.close() };
}

Deno.test("-R: a server's keep-alive timeout closing a connection between slots is no error; it is replaced", async () => {
  const server = idleClosingServer(100);
  try {
    // Four requests a second over two connections: each idles 500 ms between its slots, and the server closes it.
    const outcome = await runCli(["-t1", "-c2", "-d2s", "-R", "4", server.url]);
    assertEquals(outcome.code, 0, outcome.stderr);
    const report = parseReport(outcome.stdout);
    assert(report.requests >= 6, outcome.stdout);
    // Each close read as "read closed while idle": as many errors as requests, a run that looked broken.
    assertNotMatch(outcome.stdout, /Socket errors/);
  } finally {
    await server.close();
  }
});

Deno.test("cli -R: a server that goes down mid-run is asked to connect once per slot, not thousands of times", async () => {
  const server = startServer();
  // 20 requests/s over 10 connections: a slot every 500 ms for each; the server is gone after 600 ms.
  const running = runCli(["-t1", "-c10", "-d2s", "-R", "20", server.url]);
  await new Promise((resolve) => setTimeout(resolve, 600));
  await server.close();
  const outcome = await running;
  assertEquals(outcome.code, 0, outcome.stderr);
  const report = parseReport(outcome.stdout);
  // Each connection has at most four slots left in the run: with the first refused reconnect, at most 50
  // connects are refused (18,000–30,000 in 2 s when each was tried again a macrotask later).
  assert(report.errors.connect > 0, outcome.stdout);
  assert(report.errors.connect <= 50, outcome.stdout);
});

Deno.test("cli -R: a server that stops answering less than --timeout before the end shows in the latency and fails its thresholds", async () => {
  // Answers at once for 500 ms, then holds every request past the end of the run.
  const startedMs = Date.now();
  const server = startServer(() => Date.now() - startedMs < 500 ? ok() : { hang: true });
  try {
    const outcome = await runCli([
      "-t1",
      "-c4",
      "-d2s",
      "-R",
      "40",
      "--timeout",
      "5s",
      "--threshold",
      "p99 < 100ms",
      server.url,
    ]);
    // No timeout, no error: only the latency can tell, and it does (the requests never answered waited up
    // to ~1.5 s by the end; wrk2 leaves them out, and reports a clean run).
    assertEquals(outcome.code, 99, outcome.stdout + outcome.stderr);
    const report = parseReport(outcome.stdout);
    assertEquals(report.errors, { connect: 0, read: 0, write: 0, timeout: 0 });
    assert(report.latencyMaxUs > 1_000_000, outcome.stdout);
    assertMatch(outcome.stdout, /✗ p99 < 100ms +\(actual 1\.\d+s\)/);
  } finally {
    await server.close();
  }
});
