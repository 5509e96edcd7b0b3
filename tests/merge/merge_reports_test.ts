import { assertEquals } from "@std/assert";
import { parseArgs } from "../../lib/config/parse_args.ts";
import { mergeReports } from "../../lib/merge/merge_reports.ts";
import { Recorder } from "../../lib/stats/recorder.ts";
import type { ThreadReport } from "../../lib/worker/protocol.ts";

function report(
  threadIndex: number,
  requests: number,
  latencies: number[],
  streamLimit: number | null = null,
): ThreadReport {
  const latency = new Recorder();
  for (const us of latencies) latency.record(us);
  const rate = new Recorder();
  rate.record(requests * 10);
  return {
    threadIndex,
    stoppedAtEpochMs: 0,
    requests,
    bytesRead: requests * 100,
    errors: { connect: 1, read: 2, write: 3, status: 4, timeout: 5 },
    errorReasons: [{ category: "read", reason: "ECONNRESET", count: 2 }],
    statusCodes: { "200": requests - 4, "503": 4 },
    latency: latency.counts(),
    requestRate: rate.counts(),
    streamLimit,
    rate: null,
  };
}

Deno.test("mergeReports() sums counters, merges histograms and lists threads that did not report", () => {
  const config = parseArgs(["-t3", "-c3", "-d1s", "http://127.0.0.1:1/"]);
  const result = mergeReports(config, [report(0, 2, [100, 200]), null, report(2, 1, [300])], 1_000_000);
  assertEquals(result.requests, 3);
  assertEquals(result.bytesRead, 300);
  assertEquals(result.errors, { connect: 2, read: 4, write: 6, status: 8, timeout: 10 });
  assertEquals(result.latency.count, 3);
  assertEquals(result.latency.max, 300);
  assertEquals(result.requestRate.count, 2);
  assertEquals(result.unfinishedThreads, [2]);
});

Deno.test("mergeReports() applies wrk's latency correction with interval = runtime / (requests / connections)", () => {
  const config = parseArgs(["-t1", "-c1", "-d1s", "http://127.0.0.1:1/"]);
  // 10 requests on 1 connection in 5 ms: interval 500 µs, so a 2000 µs sample adds 1500 and 1000 (values below
  // 2048 µs are exact in the histogram).
  const result = mergeReports(config, [report(0, 10, [2000, ...Array(9).fill(100)])], 5_000);
  assertEquals(result.latency.count, 12);
  assertEquals([result.latency.distinct(2), result.latency.distinct(3)], [[1000, 1], [1500, 1]]);
});

Deno.test("mergeReports() counts each HTTP/2 stream as a lane in the correction: answers of a steady server add nothing", () => {
  // 24 requests on 1 connection of 4 streams in 2 s, each answered in 300 ms: a lane's interval is 333 ms, so
  // nothing is at twice it. Counting the connection alone (83 ms) would add samples down to 134 ms.
  const config = parseArgs(["--http2", "--streams", "4", "-t1", "-c1", "-d2s", "http://127.0.0.1:1/"]);
  const result = mergeReports(config, [report(0, 24, Array(24).fill(300_000))], 2_000_000);
  assertEquals(result.latency.count, 24);
  assertEquals(result.latency.percentile(50), result.latency.max);
  // Over HTTP/1.1 the same run's connection is the lane: the correction applies, as in wrk.
  const http1 = mergeReports(parseArgs(["-t1", "-c1", "-d2s", "http://127.0.0.1:1/"]), [
    report(0, 24, Array(24).fill(300_000)),
  ], 2_000_000);
  assertEquals(http1.latency.count > 24, true);
});

Deno.test("mergeReports() counts the streams a server's MAX_CONCURRENT_STREAMS allowed as the lanes, not --streams", () => {
  // 24 requests in 2 s on 1 connection the server capped at 2 streams: each lane carried 12, one per 167 ms, so
  // a 1 s answer adds samples as it would on 2 lanes; the 8 streams it did not allow would have added none.
  const samples = [1_000_000, ...Array(23).fill(1_000)];
  const capped = parseArgs(["--http2", "--streams", "10", "-t1", "-c1", "-d2s", "http://127.0.0.1:1/"]);
  const asAllowed = mergeReports(capped, [report(0, 24, samples, 2)], 2_000_000);
  const twoStreams = parseArgs(["--http2", "--streams", "2", "-t1", "-c1", "-d2s", "http://127.0.0.1:1/"]);
  const asked = mergeReports(twoStreams, [report(0, 24, samples)], 2_000_000);
  assertEquals(asAllowed.latency.count, asked.latency.count);
  assertEquals(asAllowed.latency.count > 24, true);
  assertEquals(asAllowed.streamLimit, 2);
  // Without the server's limit, --streams 10 lanes: one per 833 ms, a 1 s answer adds nothing below it.
  assertEquals(mergeReports(capped, [report(0, 24, samples)], 2_000_000).latency.count, 24);
  // A limit of 0 still let one batch wait: one lane, not none.
  assertEquals(
    mergeReports(capped, [report(0, 24, samples, 0)], 2_000_000).latency.count > asked.latency.count,
    true,
  );
});
