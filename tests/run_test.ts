import { assert, assertEquals, assertMatch, assertRejects } from "@std/assert";
import { parseArgs, Run, run, RunError } from "../mod.ts";
import { closedPort, ok, startServer } from "./helpers/server.ts";

const reply = ok();
const OK_RESPONSE_BYTES = "send" in reply && typeof reply.send === "string" ? reply.send.length : NaN;

Deno.test("run() measures a loopback server and returns the report's figures", async () => {
  const server = startServer();
  try {
    const result = await run(parseArgs(["-t2", "-c4", "-d500ms", server.url]));
    assert(result.requests > 50);
    assert(server.requests.length - result.requests <= 4);
    // Every answer is the same 40-byte "HTTP/1.1 200 X ... ok" response.
    assertEquals(result.bytesRead, result.requests * OK_RESPONSE_BYTES);
    assert(result.latency.count > 0 && result.latency.percentile(99) >= result.latency.percentile(50));
    assert(result.runtimeUs >= 500_000 && result.runtimeUs < 600_000, `${result.runtimeUs} µs`);
    assertEquals(result.unfinishedThreads, []);
  } finally {
    await server.close();
  }
});

Deno.test("run() takes every report of a host that sends hundreds one after another, however short the grace", async () => {
  const server = startServer();
  try {
    // 800 threads in one worker, which reports them in turn: all of it takes a second or more, while the host
    // is never silent for 250 ms (before, a thread was given up 250 ms after the stop: hundreds were). A second's
    // run: in 300 ms, on a loaded machine, some of the 800 connections had opened but got no answer yet, and a
    // thread without one has no Req/Sec sample to show its report came (303–1,524 samples in 300 ms, 3,400 and
    // more in 1 s).
    const config = parseArgs(["-t800", "-c800", "-d1s", server.url]);
    const result = await run(config, { maxWorkers: 1, graceMs: 250 });
    assertEquals(result.unfinishedThreads, []);
    assert(result.requestRate.count >= 800, "Req/Sec samples from every thread");
  } finally {
    await server.close();
  }
});

Deno.test("Run.stop() ends a run early and the result covers the time actually run", async () => {
  const server = startServer();
  try {
    const started = await Run.start(parseArgs(["-t1", "-c2", "-d30s", server.url]));
    setTimeout(() => started.stop(), 300);
    const result = await started.result;
    started.close();
    assert(result.runtimeUs >= 300_000 && result.runtimeUs < 1_000_000, `${result.runtimeUs} µs`);
    assert(result.requests > 0);
  } finally {
    await server.close();
  }
});

Deno.test("Run.start() rejects with RunError when nothing listens", async () => {
  const port = closedPort();
  const error = await assertRejects(
    () => Run.start(parseArgs(["-d1s", `http://127.0.0.1:${port}/`])),
    RunError,
  );
  assertEquals(error.message, `unable to connect to 127.0.0.1:${port} Connection refused`);
});

Deno.test("Run.start() rejects with RunError when -c cannot fit under the open-file limit", async () => {
  const server = startServer();
  try {
    const error = await assertRejects(
      () => Run.start(parseArgs(["-t1", "-c200", "-d1s", server.url]), { openFileLimit: 100 }),
      RunError,
    );
    assertMatch(
      error.message,
      /^-c 200 needs about \d+ open files but the limit is 100; raise it with 'ulimit -n 256', or lower -c to \d+$/,
    );
    assertEquals(server.connections(), 0, "checked before connecting");
  } finally {
    await server.close();
  }
});

Deno.test("Run.start() with a signal aborted as the threads start ends the run at once, with its result", async () => {
  const server = startServer();
  try {
    const abort = new AbortController();
    // Where the command line starts listening for Ctrl-C.
    const started = await Run.start(parseArgs(["-t1", "-c1", "-d30s", server.url]), {
      signal: abort.signal,
      onInitialized: () => abort.abort(),
    });
    const result = await started.result;
    started.close();
    assert(result.runtimeUs < 1_000_000, `${result.runtimeUs} µs`);
  } finally {
    await server.close();
  }
});

Deno.test("Run.start() aborted before the threads start stops waiting: a pre-flight on a silent server, a long init(), a signal aborted already", async () => {
  // Accepts connections and never says a word: the TLS pre-flight would wait its whole --timeout.
  const silent = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of silent) held.push(conn);
  })();
  const script = await Deno.makeTempFile({ suffix: ".lua" });
  // Busy for 2 s, then done: a worker busy in Lua cannot be terminated, and one that never ended would load the
  // cores for the tests after this one.
  await Deno.writeTextFile(
    script,
    "function init() local t = os.clock() while os.clock() - t < 2 do end end\n",
  );
  const server = startServer();
  try {
    const cases = [
      ["--timeout", "20s", `https://127.0.0.1:${silent.addr.port}/`],
      ["-s", script, server.url],
    ];
    for (const args of cases) {
      const abort = new AbortController();
      setTimeout(() => abort.abort(), 300);
      const startedAt = performance.now();
      const error = await assertRejects(
        () => Run.start(parseArgs(["-t1", "-c1", "-d30s", ...args]), { signal: abort.signal }),
        RunError,
        "stopped before the run started",
      );
      assertEquals(error.exitCode, 130);
      const tookMs = performance.now() - startedAt;
      assert(tookMs < 1500, `${args.join(" ")}: rejected after ${tookMs} ms`);
    }
    await assertRejects(
      () => Run.start(parseArgs(["-t1", "-c1", "-d30s", server.url]), { signal: AbortSignal.abort() }),
      RunError,
      "stopped before the run started",
    );
  } finally {
    silent.close();
    for (const conn of held) conn.close();
    await accepting.catch(() => {});
    await server.close();
    await Deno.remove(script);
  }
});

/** Runs against a server that answers every request `serverDelayMs` after reading it; `script` is Lua source. */
async function latencyRun(serverDelayMs: number, script: string | null) {
  const server = startServer(() => {
    const reply = ok();
    return "send" in reply ? { ...reply, delayMs: serverDelayMs } : reply;
  });
  const path = script === null
    ? null
    : await Deno.makeTempFile({ prefix: "wrk-deno-latency-", suffix: ".lua" });
  try {
    if (path !== null && script !== null) await Deno.writeTextFile(path, script);
    return await run(
      // One connection: with two, one's response() would delay the other's response, inside its latency.
      parseArgs(["-t1", "-c1", "-d800ms", ...(path === null ? [] : ["-s", path]), server.url]),
    );
  } finally {
    await server.close();
    if (path !== null) await Deno.remove(path);
  }
}

Deno.test("run() measures a request from its write to its response, with or without hooks", async () => {
  for (
    const script of [
      null,
      "function request() return wrk.format(nil, '/x') end",
      "function delay() return 60 end",
      // 30 ms of response() per response: wrk reads the clock before calling it.
      "function response() local t = os.clock() while os.clock() - t < 0.03 do end end",
    ]
  ) {
    const result = await latencyRun(25, script);
    const { latency } = result;
    assert(latency.count >= 4, `${script}: ${latency.count} samples`);
    // Never less than the server's delay; never the time spent before the write (a delay() of 60 ms, the
    // previous request) or after the response (in response()).
    assert(latency.min >= 25_000, `${script}: min ${latency.min} µs`);
    assert(latency.percentile(50) < 45_000, `${script}: median ${latency.percentile(50)} µs`);
  }
});

Deno.test("delay() holds each request back by its milliseconds: never less, and on the epoll loop barely more", async () => {
  const server = startServer();
  const path = await Deno.makeTempFile({ prefix: "wrk-deno-delay-", suffix: ".lua" });
  try {
    await Deno.writeTextFile(path, "function delay() return 2 end\n");
    for (const epoll of [true, false]) {
      const result = await run({ ...parseArgs(["-t1", "-c1", "-d1s", "-s", path, server.url]), epoll });
      const cycleMs = result.runtimeUs / 1000 / result.requests;
      assert(cycleMs >= 2, `epoll ${epoll}: a request every ${cycleMs} ms`);
      // The loop's own timers fire to a fraction of a millisecond; Deno's setTimeout fires late, and later under
      // load (docs/benchmarks.md#clocks-and-timers), so only the epoll loop is held to a cycle close to the delay.
      if (epoll) assert(cycleMs < 2.9, `a request every ${cycleMs} ms with a 2 ms delay()`);
    }
  } finally {
    await server.close();
    await Deno.remove(path);
  }
});
