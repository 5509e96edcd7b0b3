/**
 * A thread stops counting at the run's end by its own clock (`ThreadLoop.stopAt`), as wrk's threads stop at
 * `stop_at`: the run's time ends there, not when the main thread's `stop` reaches a busy worker.
 */
import { assert, assertEquals } from "@std/assert";
import { epochNowMs } from "../../lib/net/clock.ts";
import { createTransport } from "../../lib/net/transport.ts";
import { staticRequestSource } from "../../lib/net/request_source.ts";
import { ThreadLoop, type ThreadLoopOptions } from "../../lib/worker/thread_loop.ts";
import { startServer } from "../helpers/server.ts";

const SOURCE = staticRequestSource(new TextEncoder().encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));

/** A thread of `threadConnections` connections to 127.0.0.1:`port`, without a script or a rate. */
function threadLoop(port: number, threadConnections: number, epoll: boolean): ThreadLoop {
  return new ThreadLoop({
    threadIndex: 0,
    threadConnections,
    timeoutMs: 2000,
    transport: createTransport({ address: "127.0.0.1", port, family: 4 }, null, epoll),
    source: SOURCE,
    sink: null,
    rate: null,
  });
}

for (const epoll of [true, false]) {
  Deno.test(`${epoll ? "epoll loop" : "Deno sockets"}: stopAt() stops counting at its time, not at stop()`, async () => {
    const server = startServer();
    const loop = threadLoop(server.port, 2, epoll);
    try {
      loop.start();
      const endEpochMs = epochNowMs() + 200;
      loop.stopAt(endEpochMs);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const report = loop.stop();
      // Stopped at its deadline (give or take a busy machine's timers), 300 ms before stop() was called.
      const lateMs = report.stoppedAtEpochMs - endEpochMs;
      assert(lateMs >= 0 && lateMs < 50, `stopped ${lateMs} ms after its deadline`);
      // And nothing went out after: what the server saw is what was counted, but for the requests in flight.
      assert(report.requests > 0);
      assert(
        server.requests.length - report.requests <= 2,
        `${server.requests.length} seen, ${report.requests} counted`,
      );
    } finally {
      await loop.close();
      await server.close();
    }
  });
}

Deno.test("epoll loop: stopAt() stops a thread that has no socket open at its time", async () => {
  // Every connect refused: the thread's sockets come and go, and at the deadline none may be open. The loop's
  // timers run without sockets too (EpollLoop.timer), so the thread stops on time all the same.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  for (const threadConnections of [0, 2]) {
    const loop = threadLoop(port, threadConnections, true);
    try {
      loop.start();
      const endEpochMs = epochNowMs() + 100;
      loop.stopAt(endEpochMs);
      await new Promise((resolve) => setTimeout(resolve, 400));
      const report = loop.stop();
      const lateMs = report.stoppedAtEpochMs - endEpochMs;
      assert(
        lateMs >= 0 && lateMs < 50,
        `${threadConnections} connections: stopped ${lateMs} ms after its deadline`,
      );
    } finally {
      await loop.close();
    }
  }
});

/**
 * A thread of 1000 connections to `port` whose connects each cost 1 ms of the thread's time (a slow VM's system
 * calls): opened in one go, they held the thread, and its deadline, for a second. `rate`: a `-R` plan.
 */
function slowConnectsLoop(port: number, rate: ThreadLoopOptions["rate"]): ThreadLoop {
  const transport = createTransport({ address: "127.0.0.1", port, family: 4 }, null, true);
  const slow = new Proxy(transport, {
    get(target, key) {
      const value = Reflect.get(target, key);
      if (typeof value !== "function") return value;
      if (key !== "open") return value.bind(target);
      return (...args: unknown[]) => {
        const until = performance.now() + 1;
        while (performance.now() < until) { /* a slow connect */ }
        return value.apply(target, args);
      };
    },
  });
  return new ThreadLoop({
    threadIndex: 0,
    threadConnections: 1000,
    timeoutMs: 2000,
    transport: slow,
    source: SOURCE,
    sink: null,
    rate,
  });
}

Deno.test("epoll loop: a thread whose connects are slow still stops at its time: they open in slices", async () => {
  // (The server shares this thread: what it answers is not looked at.)
  const server = startServer();
  const loop = slowConnectsLoop(server.port, null);
  try {
    const endEpochMs = epochNowMs() + 200;
    loop.stopAt(endEpochMs);
    loop.start();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const report = loop.stop();
    // At most a slice's connects late (128 ms here), not the rest of the 1000.
    const lateMs = report.stoppedAtEpochMs - endEpochMs;
    assert(lateMs >= 0 && lateMs < 400, `stopped ${lateMs} ms after its deadline`);
  } finally {
    await loop.close();
    await server.close();
  }
});

Deno.test("epoll loop: with -R, the lanes of connections a stop left unopened still count their slots as due", async () => {
  const server = startServer();
  // 5000/s over 1000 lanes: each lane's slots 200 ms apart, so a 300 ms run has about 1500 due over all lanes.
  const plan = { totalPerSec: 5000, connections: 1000, lanesPerConnection: 1 };
  const loop = slowConnectsLoop(server.port, {
    plan,
    layout: { testConnections: plan.connections, shards: 1, shard: 0, threads: 1, thread: 0 },
    batchLatency: false,
  });
  try {
    loop.stopAt(epochNowMs() + 300);
    loop.start();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const report = loop.stop();
    // The slots due before the deadline (the stop itself may come a slice late): about 5000/s × 300 ms over
    // all lanes. Most connections were never opened (1 ms each): had their lanes no plan, a third or less.
    const due = report.rate!.requestsDue;
    assert(due >= 5000 * 0.3 * 0.8 && due <= 5000 * 0.3 + 1, `${due} due`);
  } finally {
    await loop.close();
    await server.close();
  }
});

/** How many samples `counts` (a `Recorder.counts()`) holds. */
function sampleCount(counts: Float64Array): number {
  return counts.reduce((sum, count) => sum + count, 0);
}

for (const epoll of [true, false]) {
  Deno.test(`${epoll ? "epoll loop" : "Deno sockets"}: a thread samples its rate every 100 ms, ten times in a 1 s run as wrk's`, async () => {
    const server = startServer();
    const loop = threadLoop(server.port, 2, epoll);
    try {
      loop.start();
      loop.stopAt(epochNowMs() + 1000);
      await new Promise((resolve) => setTimeout(resolve, 1200));
      const report = loop.stop();
      assert(report.requests > 0);
      // Ticks at 100 … 900 ms and the tenth at the stop; one may be lost to a machine too busy to tick.
      const samples = sampleCount(report.requestRate);
      assert(samples >= 9 && samples <= 10, `${samples} samples`);
    } finally {
      await loop.close();
      await server.close();
    }
  });
}

Deno.test("a thread stopped before its first tick records its rate once, from the responses it got", async () => {
  const server = startServer();
  const loop = threadLoop(server.port, 1, true);
  try {
    loop.start();
    loop.stopAt(epochNowMs() + 50);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const report = loop.stop();
    assert(report.requests > 0);
    assertEquals(sampleCount(report.requestRate), 1);
  } finally {
    await loop.close();
    await server.close();
  }
});
