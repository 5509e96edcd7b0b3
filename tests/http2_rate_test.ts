/**
 * `-R` over HTTP/2: each connection has `--streams` lanes, each on its own plan (docs/wrk-compat.md, "Pacing"),
 * so a slow server is held at the rate by few connections with many streams, as wrk2 would hold it with that
 * many connections; with one stream per connection the same run cannot keep the rate. Against the loopback h2c
 * server of tests/helpers/h2c_server.ts, answering every request after a fixed delay.
 */
import { assert, assertEquals } from "@std/assert";
import { formatRateReport, parseArgs, run } from "../mod.ts";
import { startH2cServer } from "./helpers/h2c_server.ts";

/** Runs `args` with `--http2` against a server answering each request `delayMs` late. */
async function slowRun(delayMs: number, args: string[], maxStreams?: number) {
  const server = startH2cServer({ delayMs, maxStreams });
  try {
    const result = await run(parseArgs(["--http2", ...args, server.url]));
    const achieved = result.requests / (result.runtimeUs / 1e6);
    return { result, achieved, maxConcurrent: server.maxConcurrentSeen() };
  } finally {
    await server.close();
  }
}

Deno.test("-R with --http2: --streams lanes per connection keep the rate against a slow server, one stream cannot", async () => {
  // 50 ms per answer: at 200/s, 10 requests are in flight at any time. Two connections of ten lanes each hold
  // that; two connections of one lane carry at most 2 / 50 ms = 40/s.
  const lanes = await slowRun(50, ["-t1", "-c2", "--streams", "10", "-d2s", "-R", "200"]);
  assertEquals(lanes.result.errors, { connect: 0, read: 0, write: 0, status: 0, timeout: 0 });
  // The requests of the last 50 ms are still in flight at the stop: the run's rate is a little under 200.
  assert(
    lanes.achieved > 190 && lanes.achieved < 204,
    `--streams 10: achieved ${lanes.achieved.toFixed(1)}/s`,
  );
  // The lanes kept their plans: a lane has twice its answer time between its slots, so only a hiccup of the
  // (shared) machine sends a batch behind its slot.
  const rate = lanes.result.rate!;
  assert(rate.lateBatches < rate.batches * 0.2, JSON.stringify(rate));
  // Every lane sent on plan, each request counted once: the shortfall, if the report shows one, is the answers
  // still in flight at the end, not the client nor the streams.
  const planned = 200 * lanes.result.runtimeUs / 1e6;
  assert(
    rate.requestsSent !== null && Math.abs(rate.requestsSent - planned) <= planned * 0.01 + 1,
    JSON.stringify({ planned, ...rate }),
  );
  const line = formatRateReport(lanes.result, { latency: false, uncorrected: false, http2: true })
    .split("\n").find((line) => line.startsWith("  Rate:"));
  assert(line === undefined || line.endsWith("in flight at the end (not counted): the rate was kept"), line);
  // Each connection carried several requests at once, never more than --streams.
  assert(lanes.maxConcurrent >= 3 && lanes.maxConcurrent <= 10, `${lanes.maxConcurrent} streams at once`);

  const single = await slowRun(50, ["-t1", "-c2", "--streams", "1", "-d2s", "-R", "200"]);
  assert(single.achieved < 45, `--streams 1: achieved ${single.achieved.toFixed(1)}/s`);
  assertEquals(single.maxConcurrent, 1);
  // Its batches went behind their plans, and the recorded latency shows the wait.
  assert(
    single.result.rate!.lateBatches > single.result.rate!.batches / 2,
    JSON.stringify(single.result.rate),
  );
  assert(single.result.latency.percentile(50) > 200_000, `p50 ${single.result.latency.percentile(50)} µs`);
});

Deno.test("-R with --http2: a busy connection holds up to --streams streams open at once, never more", async () => {
  // 100 ms per answer at 400/s asks for 40 in flight, more than the 2 × 10 lanes: every lane is busy.
  const { maxConcurrent, result } = await slowRun(100, [
    "-t1",
    "-c2",
    "--streams",
    "10",
    "-d1s",
    "-R",
    "400",
  ]);
  assertEquals(maxConcurrent, 10);
  assertEquals(result.errors, { connect: 0, read: 0, write: 0, status: 0, timeout: 0 });
  // Two connections of ten lanes, 100 ms each: about 200/s, and the report's late batches say why.
  assert(result.rate!.lateBatches > result.rate!.batches / 2, JSON.stringify(result.rate));
});

Deno.test("-R with --http2: lanes beyond the server's MAX_CONCURRENT_STREAMS wait for a free stream, a wait in the recorded latency only", async () => {
  const { maxConcurrent, result, achieved } = await slowRun(
    50,
    ["-t1", "-c1", "--streams", "10", "-d1s", "-R", "100"],
    2,
  );
  assert(maxConcurrent <= 2, `${maxConcurrent} streams at once`);
  assertEquals(result.errors, { connect: 0, read: 0, write: 0, status: 0, timeout: 0 });
  // Two streams of 50 ms carry 40/s: the waiting shows in the recorded latency, not as errors.
  assert(achieved < 45, `achieved ${achieved.toFixed(1)}/s`);
  assert(result.latency.percentile(90) > 100_000, `p90 ${result.latency.percentile(90)} µs`);
  // The uncorrected latency runs from each stream's HEADERS going out, not from the lane's wait for a stream:
  // about the server's 50 ms (the wait had put its median above 100 ms).
  const uncorrected = result.uncorrectedLatency!.percentile(50);
  assert(uncorrected >= 50_000 && uncorrected < 90_000, `uncorrected p50 ${uncorrected} µs`);
});

Deno.test("-R with --http2: a response slower than --timeout is in the figures all the same, its stream kept, one timeout each", async () => {
  // Every 25th request answered after 1.2 s, four times the timeout.
  const server = startH2cServer({ slowEvery: { n: 25, delayMs: 1200 } });
  try {
    const result = await run(
      parseArgs([
        "--http2",
        "-t1",
        "-c2",
        "--streams",
        "5",
        "-d3s",
        "-R",
        "100",
        "--timeout",
        "300ms",
        server.url,
      ]),
    );
    assert(
      result.uncorrectedLatency!.max >= 1_200_000,
      `uncorrected max ${result.uncorrectedLatency!.max} µs`,
    );
    assert(result.latency.max >= result.uncorrectedLatency!.max, `recorded max ${result.latency.max} µs`);
    const slow = Math.ceil(server.requests.length / 25);
    assert(
      result.errors.timeout >= 5 && result.errors.timeout <= slow,
      `${result.errors.timeout} of ${slow}`,
    );
    assertEquals(server.resetsReceived.length, 0, "no stream was reset");
  } finally {
    await server.close();
  }
});

Deno.test("-R with --http2: streams unanswered at the end, and requests queued behind them, are in the latency at their wait", async () => {
  // Every answer would come 3 s late, after the run: nothing is answered, nothing times out.
  const server = startH2cServer({ delayMs: 3000 });
  try {
    const result = await run(
      parseArgs([
        "--http2",
        "-t1",
        "-c2",
        "--streams",
        "2",
        "-d1s",
        "-R",
        "40",
        "--timeout",
        "10s",
        server.url,
      ]),
    );
    assertEquals(result.requests, 0);
    assertEquals(result.errors.timeout, 0);
    // The first requests went out at the start and waited the whole second; the rest of the plan's 40 waited
    // behind them, each recorded once, from its slot.
    assert(result.latency.max >= 800_000, `recorded max ${result.latency.max} µs`);
    assert(result.uncorrectedLatency!.max >= 800_000, `uncorrected max ${result.uncorrectedLatency!.max} µs`);
    assert(result.latency.count >= 30 && result.latency.count <= 40, `${result.latency.count} samples`);
    assertEquals(result.uncorrectedLatency!.count, 4, "the four streams sent");
  } finally {
    await server.close();
  }
});

Deno.test("-R with --http2: a response() hook that runs past the end records its answer once, not also as unanswered", async () => {
  // One stream: at most one request in flight, and each hook busy for 10 ms, so the end comes inside one.
  const dir = await Deno.makeTempDir();
  const server = startH2cServer({});
  try {
    const script = `${dir}/busy.lua`;
    await Deno.writeTextFile(
      script,
      "function response()\n  local t = os.clock() + 0.01\n  while os.clock() < t do end\nend\n",
    );
    // The end falls inside a hook in most runs, not all: four of them.
    for (let i = 0; i < 4; i++) {
      const result = await run(
        parseArgs([
          "--http2",
          "--streams",
          "1",
          "-t1",
          "-c1",
          "-d1s",
          "-R",
          "200",
          "-s",
          script,
          server.url,
        ]),
      );
      // Every request sent was answered or is the one in flight: never more samples than requests sent.
      const sent = result.rate!.requestsSent!;
      assert(
        result.uncorrectedLatency!.count <= sent,
        `${result.uncorrectedLatency!.count} samples, ${sent} sent`,
      );
    }
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});
