/**
 * The merge of a test's shards (lib/merge/merge_shards.ts) on shard documents written by the real formatter:
 * histograms added bucket by bucket (checked through hdr-histogram-js, an independent decoder), percentiles
 * equal to those of one histogram holding every sample, counters summed, the test's time spanning the shards,
 * `-R`'s planned rates summed, unfinished threads numbered over the test, and the merged document valid.
 */
import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import * as hdr from "hdr-histogram-js";
import { resultValidator } from "../helpers/result_schema.ts";
import {
  formatJsonResult,
  formatRateReport,
  formatReport,
  mergedConfig,
  type MergedTest,
  mergeOptions,
  mergeShards,
  parseShard,
  ShardMerger,
  type ShardResult,
} from "../../mod.ts";
import { latencies, seededRandom, shardDocument, type ShardSpec, START_MS, statsOf } from "./_shards.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

const PERCENTILES = [50, 75, 90, 99, 99.9, 99.99, 99.999, 100];

/** hdr-histogram-js's own decoding (plain JavaScript, 64-bit counts), independent of lib/stats/hdr_codec.ts. */
function decode(text: string): hdr.JsHistogram {
  return hdr.decodeFromCompressedBase64(text, 64, false) as hdr.JsHistogram;
}

async function shard(spec: ShardSpec): Promise<ShardResult> {
  return parseShard(`shard-${spec.index}.json`, await shardDocument(spec));
}

/** Three shards of a closed-loop test with different latency spreads (one with a tail to seconds). */
async function closedLoopShards(): Promise<{ specs: ShardSpec[]; documents: string[] }> {
  const random = seededRandom(13);
  const specs: ShardSpec[] = [
    { index: 0, count: 3, latencyUs: latencies(4000, 180, random), requestRate: [900, 1100, 1000] },
    { index: 1, count: 3, latencyUs: latencies(2500, 450, random), requestRate: [700, 650] },
    { index: 2, count: 3, latencyUs: [...latencies(3000, 2500, random), 1_900_000, 7_300_000] },
  ];
  return { specs, documents: await Promise.all(specs.map(shardDocument)) };
}

function merged(documents: string[]): MergedTest {
  return mergeShards(documents.map((text, index) => parseShard(`shard-${index}.json`, text)));
}

function mergedDocument(test: MergedTest, command: string[] = ["merge", "a.json"]): Json {
  const options = mergeOptions({}, ["a.json"], command);
  return JSON.parse(formatJsonResult(test.result, {
    config: mergedConfig(test, options),
    command,
    version: "0.1.0",
    testId: test.testId,
    mergedShards: test.mergedShards,
    thresholds: null,
    error: null,
  }));
}

Deno.test("the merged histograms are the sums of the shards' histograms, bucket by bucket, as hdr-histogram-js decodes them", async () => {
  const { documents } = await closedLoopShards();
  const document = mergedDocument(merged(documents));
  const shards: Json[] = documents.map((text) => JSON.parse(text));
  for (const field of ["latency", "requests_per_thread_sec"]) {
    const total = decode(document[field].hdr);
    const parts = shards.map((s) => decode(s[field].hdr));
    assertEquals(total.totalCount, parts.reduce((sum, part) => sum + part.totalCount, 0), field);
    const length = Math.max(total.countsArrayLength, ...parts.map((part) => part.countsArrayLength));
    let differing = 0;
    for (let index = 0; index < length; index++) {
      const at = (h: hdr.JsHistogram) => index < h.countsArrayLength ? h.getCountAtIndex(index) : 0;
      const sum = parts.reduce((s, part) => s + at(part), 0);
      if (at(total) !== sum) differing++;
    }
    assertEquals(differing, 0, `${field}: ${differing} buckets differ from the shards' sum`);
  }
});

Deno.test("the merged percentiles are those of one histogram holding every shard's samples", async () => {
  const { specs, documents } = await closedLoopShards();
  const test = merged(documents);
  const all = statsOf(specs.flatMap((spec) => spec.latencyUs));
  for (const p of PERCENTILES) assertEquals(test.result.latency.percentile(p), all.percentile(p), `p${p}`);
  assertEquals(
    [test.result.latency.count, test.result.latency.mean, test.result.latency.stdev, test.result.latency.max],
    [all.count, all.mean, all.stdev, all.max],
  );
  // And the document says so, in the report's figures.
  const document = mergedDocument(test);
  assertEquals(document.latency.percentiles["99"], all.percentile(99));
  assertEquals(document.latency.percentiles["99.999"], all.percentile(99.999));
  const rates = statsOf(specs.flatMap((spec) => spec.requestRate ?? [1000]));
  assertEquals(test.result.requestRate.percentile(50), rates.percentile(50));
  assertEquals(test.result.requestRate.count, 6);
});

Deno.test("counters, error reasons and status codes are summed; the test runs from the first start to the last end", async () => {
  const base = { count: 3, connections: 12, latencyUs: [100, 200] };
  const documents = await Promise.all([
    shardDocument({
      ...base,
      index: 0,
      threads: 2,
      requests: 10,
      bytesRead: 1000,
      startMs: START_MS + 20,
      runtimeUs: 1_000_100,
      errors: { connect: 1, read: 2, write: 0, status: 3, timeout: 0 },
      errorReasons: [
        { category: "read", reason: "ECONNRESET", count: 2 },
        { category: "connect", reason: "ECONNREFUSED", count: 1 },
      ],
      statusCodes: { "200": 7, "503": 3 },
    }),
    shardDocument({
      ...base,
      index: 1,
      threads: 3,
      requests: 20,
      bytesRead: 2500,
      startMs: START_MS,
      runtimeUs: 1_000_000,
      errors: { connect: 0, read: 1, write: 0, status: 1, timeout: 4 },
      errorReasons: [
        { category: "read", reason: "ECONNRESET", count: 1 },
        { category: "timeout", reason: "no response within --timeout", count: 4 },
      ],
      statusCodes: { "200": 19, "404": 1 },
    }),
    shardDocument({ ...base, index: 2, requests: 5, startMs: START_MS + 5, runtimeUs: 990_000 }),
  ]);
  const { result, mergedShards, missingShards } = merged(documents);
  assertEquals([mergedShards, missingShards], [[0, 1, 2], []]);
  assertEquals([result.requests, result.bytesRead], [35, 1000 + 2500 + 500]);
  assertEquals(result.errors, { connect: 1, read: 3, write: 0, status: 4, timeout: 4 });
  assertEquals(result.errorReasons, [
    { category: "timeout", reason: "no response within --timeout", count: 4 },
    { category: "read", reason: "ECONNRESET", count: 3 },
    { category: "connect", reason: "ECONNREFUSED", count: 1 },
  ]);
  assertEquals(result.statusCodes, { "200": 31, "404": 1, "503": 3 });
  assertEquals(result.startedAt, new Date(START_MS).toISOString());
  // Shard 0 ends last: 20 ms after the first start plus its 1.0001 s.
  assertEquals(result.runtimeUs, 20_000 + 1_000_100);
  assertEquals([result.threads, result.connections, result.durationMs], [6, 12, 1000]);
  assertEquals([result.rate, result.uncorrectedLatency, result.unfinishedThreads], [null, null, []]);
});

Deno.test("-R shards: planned rates, batches and late batches are summed, to the test's -R exactly", async () => {
  const random = seededRandom(7);
  const specs = [0, 1, 2].map((index): ShardSpec => ({
    index,
    count: 3,
    rate: 300,
    latencyUs: latencies(500, 300 * (index + 1), random),
    uncorrectedUs: latencies(500, 150, random),
    batches: 100 + index,
    lateBatches: index,
  }));
  const shards = await Promise.all(specs.map(shard));
  // 7 connections shared 3, 2, 2: 300 × 3/7 + 2 × 300 × 2/7, which a plain sum gets wrong in the last bit.
  assertAlmostEquals(shards.reduce((sum, s) => sum + s.rate!.plannedPerSec, 0), 300, 1e-9);
  const test = mergeShards(shards);
  assertEquals(test.result.rate, {
    plannedPerSec: 300,
    batches: 303,
    lateBatches: 3,
    requestsSent: 303,
    requestsDue: null,
    errorsAfterTimeout: null,
  });
  const uncorrected = statsOf(specs.flatMap((spec) => spec.uncorrectedUs!));
  assertEquals(test.result.uncorrectedLatency!.percentile(99), uncorrected.percentile(99));
  assertEquals(test.result.uncorrectedLatency!.count, 1500);
  const document = mergedDocument(test);
  assertEquals([document.config.rate, document.rate.planned_per_sec], [300, 300]);
  const report = formatRateReport(test.result, { latency: true, uncorrected: true });
  assert(report.includes("Latency Distribution (HdrHistogram - Uncorrected Latency"), report);
});

Deno.test("with shards missing, the merge says which, and its connections and rate are those of the shards merged", async () => {
  const specs = [0, 2].map((index): ShardSpec => ({
    index,
    count: 4,
    connections: 10,
    rate: 100,
    latencyUs: [250],
  }));
  const test = mergeShards(await Promise.all(specs.map(shard)));
  assertEquals([test.mergedShards, test.missingShards, test.shardCount], [[0, 2], [1, 3], 4]);
  // -c 10 over 4 shards is 3, 3, 2, 2; -R 100 follows the connections.
  assertEquals(test.result.connections, 3 + 2);
  assertEquals(test.result.rate!.plannedPerSec, 50);
});

Deno.test("shards with no moment in common (files of two runs of the test), or started far apart, merge with a warning", async () => {
  const spec: ShardSpec = { index: 0, count: 2, latencyUs: [100] };
  const monday = parseShard("monday.json", await shardDocument({ ...spec, startMs: START_MS }));
  const tuesday = parseShard(
    "tuesday.json",
    await shardDocument({ ...spec, index: 1, startMs: START_MS + 86_400_000 }),
  );
  // A test's identity is the same every time it is run.
  assertEquals(monday.testId, tuesday.testId);
  const apart = mergeShards([monday, tuesday]);
  assertEquals(apart.warnings, [
    "tuesday.json: shard 1 started at 2026-12-05T12:00:00.000Z, after shard 0 (monday.json) had ended at " +
    "2026-12-04T12:00:01.000Z: not one run? The test's time spans the gap (start shards together with --start-at)",
  ]);
  assertEquals(apart.result.runtimeUs, 86_401_000_000);
  // Shards that start apart but overlap are one run: the test's time spans the skew, which is said once it is
  // more than 5 % of -d (here 1 s).
  const later = parseShard("s1.json", await shardDocument({ ...spec, index: 1, startMs: START_MS + 900 }));
  const overlapping = mergeShards([monday, later]);
  assertEquals([overlapping.warnings, overlapping.result.runtimeUs], [[
    "shard 1 (s1.json) started 0.90s after shard 0 (monday.json), 90% of -d: the test's time spans the skew and " +
    "its rates read lower than the load was (start shards together with --start-at)",
  ], 1_900_000]);
  const together = parseShard("s1.json", await shardDocument({ ...spec, index: 1, startMs: START_MS + 30 }));
  assertEquals(mergeShards([monday, together]).warnings, []);
});

Deno.test("unfinished threads are numbered over the test, shard by shard in index order", async () => {
  const documents = await Promise.all([
    shardDocument({ index: 1, count: 2, threads: 2, latencyUs: [1], unfinishedThreads: [2] }),
    shardDocument({ index: 0, count: 2, threads: 3, latencyUs: [1], unfinishedThreads: [1] }),
  ]);
  const merger = new ShardMerger();
  merger.add(parseShard("b.json", documents[0]));
  merger.add(parseShard("a.json", documents[1]));
  const test = merger.finish();
  assertEquals(test.result.unfinishedThreads, [1, 5]);
  assertEquals(test.unfinishedShards, [
    "a.json: shard 0's thread 1 (1 of the test) did not finish in time; its figures are missing",
    "b.json: shard 1's thread 2 (5 of the test) did not finish in time; its figures are missing",
  ]);
  assert(formatReport(test.result, { latency: false }).includes("Threads that did not finish: 1, 5"));
});

Deno.test("the merged document validates against the schema, with merged_shards, no shard and the test's totals", async () => {
  const { documents } = await closedLoopShards();
  const command = ["merge", "--latency", "s0.json", "s1.json", "s2.json"];
  const document = mergedDocument(merged(documents), command);
  const { validate, errors } = resultValidator();
  // A copy: the validator is a type guard, and would narrow `document` itself to unknown.
  const valid = validate(structuredClone(document));
  assert(valid, errors());
  assertEquals(document.merged_shards, [0, 1, 2]);
  assertEquals(document.shard, null);
  assertEquals(document.command, command);
  assertEquals(document.test_id, JSON.parse(documents[0]).test_id);
  assertEquals([document.config.connections, document.config.threads, document.config.rate], [7, 3, null]);
  // A merged document is not a shard's, and is not merged again.
  const text = JSON.stringify(document);
  let message = "";
  try {
    parseShard("merged.json", text);
  } catch (error) {
    message = (error as Error).message;
  }
  assertEquals(message, "merged.json: already a merged result (of shards 0, 1, 2)");
});

Deno.test("shards written by different wrk-deno versions merge with one warning naming who wrote what", async () => {
  const spec: ShardSpec = { index: 0, count: 3, latencyUs: [100] };
  const shards = await Promise.all([
    shardDocument({ ...spec, version: "0.1.0" }),
    shardDocument({ ...spec, index: 1, version: "0.2.0" }),
    shardDocument({ ...spec, index: 2, version: "0.1.0" }),
  ]);
  const test = mergeShards(shards.map((document, i) => parseShard(`s${i}.json`, document)));
  assertEquals(test.warnings, [
    "shards written by different versions (wrk-deno 0.1.0 wrote shards 0, 2; wrk-deno 0.2.0 wrote shard 1): " +
    "their figures may not be comparable",
  ]);
  // One version: no warning.
  const same = await Promise.all([0, 1, 2].map((index) => shardDocument({ ...spec, index })));
  assertEquals(mergeShards(same.map((document, i) => parseShard(`s${i}.json`, document))).warnings, []);
});

/** Three -R shards, each sending its 100 requests of 1 s on plan (-R 300), of which `answered` were answered. */
async function rateShardDocuments(answered: number): Promise<string[]> {
  return await Promise.all([0, 1, 2].map((index) =>
    shardDocument({
      index,
      count: 3,
      rate: 300,
      latencyUs: Array.from({ length: answered }, (_, i) => 200_000 + i),
      batches: 100,
      requestsSent: 100,
    })
  ));
}

Deno.test("-R shards: the requests sent are summed, and tell the merged report the rate was kept", async () => {
  const documents = await rateShardDocuments(80);
  assertEquals(JSON.parse(documents[0]).rate.requests_sent, 100);
  const test = merged(documents);
  assertEquals(test.result.rate!.requestsSent, 300);
  assertEquals(mergedDocument(test).rate.requests_sent, 300);
  const report = formatRateReport(test.result, { latency: false, uncorrected: false });
  assert(
    report.includes(
      "  Rate: 240.00 of 300 requests/sec asked (20.0% short): 60 requests sent got no answer (in flight at the " +
        "end, or lost with a connection closed in the middle of a pipelined batch): the requests went out at the rate asked\n",
    ),
    report,
  );
});

Deno.test("-R shards that kept their plans, started apart: the requests due are summed and the merged report blames no one", async () => {
  // -R 1000 in two shards of 1 s, the second started 16 ms after the first: each sent and got the 500 requests
  // its plan had due, none late; the merged time spans both, 1.016 s, which -R × time would want 1016 of.
  const documents = await Promise.all([0, 1].map((index) =>
    shardDocument({
      index,
      count: 2,
      rate: 1000,
      latencyUs: Array.from({ length: 500 }, (_, i) => 100 + i),
      startMs: START_MS + 16 * index,
      requestsDue: 500,
    })
  ));
  assertEquals(JSON.parse(documents[0]).rate.requests_due, 500);
  const test = merged(documents);
  assertEquals(test.result.runtimeUs, 1_016_000);
  assertEquals(test.result.rate!.requestsDue, 1000);
  assertEquals(mergedDocument(test).rate.requests_due, 1000);
  const report = formatRateReport(test.result, { latency: false, uncorrected: false });
  assert(
    report.includes(
      "  Rate: 984.25 of 1000 requests/sec asked (1.6% short): the run took 1.02s for 1.00s of -d (threads that " +
        "stopped late, or shards started apart), and the rate counts the time run: the requests due were answered\n",
    ),
    report,
  );
  // One shard whose version did not count them makes the sum unknown, as for the requests sent.
  const old = JSON.parse(documents[1]);
  delete old.rate.requests_due;
  assertEquals(merged([documents[0], JSON.stringify(old)]).result.rate!.requestsDue, null);
});

Deno.test("a shard written before the requests sent were counted (no rate.requests_sent) reads and merges: unknown", async () => {
  const documents = await rateShardDocuments(80);
  const old = JSON.parse(documents[1]);
  delete old.rate.requests_sent;
  delete old.rate.requests_due;
  old.version = "0.0.9";
  const shards = [documents[0], JSON.stringify(old), documents[2]].map((text, i) =>
    parseShard(`s${i}.json`, text)
  );
  assertEquals(shards.map((shard) => shard.rate!.requestsSent), [100, null, 100]);
  const test = mergeShards(shards);
  // The other figures merge as before; the requests sent are unknown, not the known shards' sum.
  assertEquals(test.result.rate, {
    plannedPerSec: 300,
    batches: 300,
    lateBatches: 0,
    requestsSent: null,
    requestsDue: null,
    errorsAfterTimeout: null,
  });
  assertEquals(test.result.requests, 240);
  // Unknown, the report keeps the reasons that need no count of the requests sent.
  const report = formatRateReport(test.result, { latency: false, uncorrected: false });
  assert(report.includes("(20.0% short): the client could not keep pace"), report);
  // The merged document says so with null, and is valid, as is the old shard's document.
  const document = mergedDocument(test);
  assertEquals(document.rate.requests_sent, null);
  const { validate, errors } = resultValidator();
  for (const checked of [document, old]) {
    assert(validate(structuredClone(checked)), errors());
  }
  // A field that is there must still be a count.
  const wrong = JSON.parse(documents[2]);
  wrong.rate.requests_sent = -1;
  let message = "";
  try {
    parseShard("wrong.json", JSON.stringify(wrong));
  } catch (error) {
    message = (error as Error).message;
  }
  assertEquals(message, "wrong.json: rate.requests_sent should be an integer of at least 0, not -1");
});

Deno.test("HTTP/2 shards merge into a result whose config keeps their --http2 and --streams, and validates", async () => {
  const spec: ShardSpec = { index: 0, count: 2, latencyUs: [100, 200], http2: true, streams: 4 };
  const documents = await Promise.all([shardDocument(spec), shardDocument({ ...spec, index: 1 })]);
  assertEquals(documents.map((text) => JSON.parse(text).config.streams), [4, 4]);
  const document = mergedDocument(merged(documents));
  assertEquals([document.config.http2, document.config.streams], [true, 4]);
  const http1 = mergedDocument(
    merged(
      await Promise.all(
        [0, 1].map((index) => shardDocument({ ...spec, index, http2: undefined, streams: undefined })),
      ),
    ),
  );
  assertEquals([http1.config.http2, http1.config.streams], [false, 1]);
  const { validate, errors } = resultValidator();
  for (const checked of [document, http1]) {
    assert(validate(structuredClone(checked)), errors());
  }
});

Deno.test("a shard a signal stopped early is named, as a shard with unfinished threads is, and the merge says it stopped early", async () => {
  const spec: ShardSpec = { index: 0, count: 2, latencyUs: [100, 200] };
  const [stopped, whole] = await Promise.all([shardDocument(spec), shardDocument({ ...spec, index: 1 })]);
  const evicted = JSON.stringify({ ...JSON.parse(stopped), stopped_early: true });
  const test = mergeShards([parseShard("s0.json", evicted), parseShard("s1.json", whole)]);
  assertEquals(test.stoppedShards, [
    "s0.json: shard 0 was stopped before its -d (a signal, or its caller): its figures cover less time",
  ]);
  assertEquals(test.warnings, []);
  assertEquals(test.result.stoppedEarly, true);
  assertEquals(mergedDocument(test).stopped_early, true);
  // Documents of versions before the field: not stopped early.
  const old = JSON.parse(whole);
  delete old.stopped_early;
  const before = mergeShards([parseShard("s0.json", stopped), parseShard("s1.json", JSON.stringify(old))]);
  assertEquals([before.stoppedShards, before.result.stoppedEarly], [[], false]);
});
