/**
 * Every refusal of `merge`'s input, with its exact one-line message: files that are not a shard's result
 * (lib/merge/read_shards.ts) and shards that do not make one test (lib/merge/merge_shards.ts).
 */
import { assertEquals, assertMatch, assertRejects, assertThrows } from "@std/assert";
import { mergeShards, missingShardsLine, parseShard, readShard, ShardInputError } from "../../mod.ts";
import { shardDocument, type ShardSpec } from "./_shards.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

const SPEC: ShardSpec = { index: 1, count: 3, latencyUs: [120, 340, 2900] };

async function validDocument(spec: ShardSpec = SPEC): Promise<Json> {
  return JSON.parse(await shardDocument(spec));
}

/** The message `parseShard` refuses `text` with. */
function refusal(text: string, path = "s1.json"): string {
  const error = assertThrows(() => parseShard(path, text), ShardInputError);
  return error.message;
}

function refusalOf(document: Json): string {
  return refusal(JSON.stringify(document));
}

Deno.test("a valid shard's document is read whole", async () => {
  const shard = parseShard("s1.json", JSON.stringify(await validDocument()));
  assertEquals([shard.shard.index, shard.shard.count, shard.requests, shard.latency.count], [1, 3, 3, 3]);
  assertEquals(shard.latency.percentile(50), 340);
});

Deno.test("text that is not a JSON document is refused naming the file: empty, truncated, not an object", async () => {
  const text = JSON.stringify(await validDocument(), null, 2);
  assertEquals(refusal(""), "s1.json: the file is empty");
  assertEquals(refusal(" \n"), "s1.json: the file is empty");
  const truncated = refusal(text.slice(0, text.length / 2));
  assertEquals(truncated.startsWith("s1.json: not JSON ("), true, truncated);
  assertEquals(truncated.endsWith("); is it truncated?"), true, truncated);
  assertEquals(truncated.includes("\n"), false);
  // Not truncated: one line, without V8's quote of the text (line breaks and all), and no talk of truncation.
  assertEquals(refusal("garbage\n"), "s1.json: not JSON (Unexpected token 'g')");
  assertEquals(refusal("<html>\n<body>\n"), "s1.json: not JSON (Unexpected token '<')");
  assertEquals(refusal("[1, 2]"), "s1.json: not a wrk-deno result (not a JSON object)");
  assertEquals(refusal("null"), "s1.json: not a wrk-deno result (not a JSON object)");
  // Two results in one file (`>>`), or a log after one: said as such, not as V8's position.
  const twice = `${text}\n${text}\n`;
  assertEquals(
    refusal(twice),
    `s1.json: has more after its JSON result (from byte ${
      text.length + 1
    }: two results in one file, or a log ` +
      "appended?): keep only one result per file",
  );
});

Deno.test("a result with a byte order mark is read as without one; empty standard input is named as such", async () => {
  const text = JSON.stringify(await validDocument());
  assertEquals(parseShard("s1.json", `\uFEFF${text}`).requests, 3);
  let message = "";
  try {
    parseShard("-", "");
  } catch (error) {
    message = (error as Error).message;
  }
  assertEquals(message, "-: standard input is empty");
});

Deno.test("another format, a whole test's result and a merged result are refused", async () => {
  const document = await validDocument();
  const { format: _format, ...withoutFormat } = document;
  assertEquals(refusalOf(withoutFormat), `s1.json: not a wrk-deno result (it has no "format")`);
  assertEquals(
    refusalOf({ ...document, format: "wrk-deno/result@2" }),
    `s1.json: format is "wrk-deno/result@2", not "wrk-deno/result@1"`,
  );
  assertEquals(
    refusalOf({ ...document, shard: null, merged_shards: null }),
    "s1.json: not a shard's result (its shard is null: the run had no --shard-index/--shard-count)",
  );
  assertEquals(
    refusalOf({ ...document, shard: null, merged_shards: [0, 2] }),
    "s1.json: already a merged result (of shards 0, 2)",
  );
});

Deno.test("a shard whose run did not start is refused with its error, one that failed after it started says so", async () => {
  const document = await validDocument();
  assertEquals(
    refusalOf({ ...document, start: null, error: "unable to connect to 127.0.0.1:8080 Connection refused" }),
    "s1.json: shard 1 did not run: unable to connect to 127.0.0.1:8080 Connection refused (--allow-partial leaves it out)",
  );
  assertEquals(
    refusalOf({ ...document, error: "broken.lua:4: in response(): shard one broke" }),
    "s1.json: shard 1 failed after it started: broken.lua:4: in response(): shard one broke (--allow-partial leaves " +
      "it out)",
  );
});

Deno.test("a shard file written as UTF-16 (PowerShell 5's >) is refused saying so", async () => {
  const text = JSON.stringify(await validDocument());
  const utf16 = new Uint8Array(2 + text.length * 2);
  utf16.set([0xff, 0xfe]);
  for (let i = 0; i < text.length; i++) utf16[2 + 2 * i] = text.charCodeAt(i);
  assertEquals(
    refusal(new TextDecoder().decode(utf16)),
    "s1.json: is UTF-16 (as PowerShell 5's > writes a file), not UTF-8: let --json write the file itself, or save " +
      "it as UTF-8",
  );
});

Deno.test("a missing or mistyped field is named with what it holds", async () => {
  const document = await validDocument();
  const { latency: { hdr: _hdr, ...latencyWithoutHdr } } = document;
  assertEquals(refusalOf({ ...document, latency: latencyWithoutHdr }), "s1.json: latency.hdr is missing");
  const { requests: _requests, ...withoutRequests } = document;
  assertEquals(refusalOf(withoutRequests), "s1.json: requests is missing");
  assertEquals(
    refusalOf({ ...document, requests: "12" }),
    `s1.json: requests should be an integer of at least 0, not "12"`,
  );
  assertEquals(
    refusalOf({ ...document, duration_us: 1.5 }),
    "s1.json: duration_us should be an integer of at least 0, not 1.5",
  );
  assertEquals(
    refusalOf({ ...document, errors: { ...document.errors, timeout: -1 } }),
    "s1.json: errors.timeout should be an integer of at least 0, not -1",
  );
  assertEquals(refusalOf({ ...document, config: [] }), "s1.json: config should be an object, not []");
  assertEquals(
    refusalOf({ ...document, start: "yesterday" }),
    `s1.json: start "yesterday" is not a date and time`,
  );
  assertEquals(
    refusalOf({ ...document, test_id: "abc" }),
    `s1.json: test_id "abc" is not 64 hex digits`,
  );
  assertEquals(
    refusalOf({ ...document, shard: { ...document.shard, index: 3 } }),
    "s1.json: shard.index 3 is not below shard.count 3",
  );
  assertEquals(
    refusalOf({ ...document, error_reasons: [{ category: "dns", reason: "x", count: 1 }] }),
    `s1.json: error_reasons.0.category "dns" is not one of connect, read, write, status, timeout`,
  );
  assertEquals(
    refusalOf({ ...document, config: { ...document.config, headers: [["Host"]] } }),
    "s1.json: config.headers.0 is not a [name, value] pair",
  );
});

Deno.test("an hdr that does not decode, or decodes to another count, is refused", async () => {
  const document = await validDocument();
  const garbled = refusalOf({ ...document, latency: { ...document.latency, hdr: "not base64 at all" } });
  assertEquals(garbled.startsWith("s1.json: latency.hdr is not an encoded HdrHistogram ("), true, garbled);
  assertEquals(garbled.includes("\n"), false);
  const cut = document.requests_per_thread_sec.hdr.slice(0, 20);
  const truncated = refusalOf({
    ...document,
    requests_per_thread_sec: { ...document.requests_per_thread_sec, hdr: cut },
  });
  assertEquals(
    truncated.startsWith("s1.json: requests_per_thread_sec.hdr is not an encoded HdrHistogram ("),
    true,
    truncated,
  );
  assertEquals(
    refusalOf({ ...document, latency: { ...document.latency, count: 4 } }),
    "s1.json: latency.hdr holds 3 samples, but latency.count says 4",
  );
  const rate = await validDocument({ ...SPEC, rate: 90 });
  assertEquals(
    refusalOf({ ...rate, uncorrected_latency: null }),
    "s1.json: uncorrected_latency should be an object, not null",
  );
});

Deno.test("status codes that do not add up to the requests are refused (an edited or partial file)", async () => {
  const document = await validDocument();
  const [code, count] = Object.entries(document.status_codes)[0] as [string, number];
  assertEquals(
    refusalOf({ ...document, status_codes: { ...document.status_codes, [code]: count + 5 } }),
    `s1.json: status_codes add up to ${
      document.requests + 5
    } responses, not the ${document.requests} requests counted`,
  );
});

Deno.test("a shard count past the test's connections, and sums past 2^53, are refused (an edited file)", async () => {
  const document = await validDocument();
  // -c 7 over at most 7 shards: a count of 10^8 would have listed 10^8 missing shards.
  assertEquals(
    refusalOf({ ...document, shard: { ...document.shard, count: 100_000_000 } }),
    "s1.json: shard.count 100000000 is more than the test's 7 connections (shard.connections)",
  );
  const read = async (path: string, spec: ShardSpec) => parseShard(path, await shardDocument(spec));
  const a = await read("a.json", { ...SPEC, index: 0 });
  const huge = await read("huge.json", SPEC);
  huge.requests = Number.MAX_SAFE_INTEGER;
  assertEquals(
    assertThrows(() => mergeShards([a, huge]), ShardInputError).message,
    "huge.json: the shards' requests or bytes add up past 2^53 (9007199254740991), where counts are no longer " +
      "exact: not a real run's figures",
  );
});

Deno.test("a status code key that is not one is refused (an edited file)", async () => {
  const document = await validDocument();
  for (const key of ["abc", "0200", "20", "1000"]) {
    assertEquals(
      refusalOf({ ...document, status_codes: { [key]: document.requests } }),
      `s1.json: status_codes has ${JSON.stringify(key)}, not a status code`,
    );
  }
});

Deno.test("a file that cannot be read is one line naming it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "wrk-deno-merge-" });
  try {
    await assertRejects(
      () => readShard(`${dir}/nothing.json`),
      ShardInputError,
      `${dir}/nothing.json: cannot read it (no such file)`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("shards of different tests, of different shard counts, or the same shard twice are refused naming the file", async () => {
  const read = async (path: string, spec: ShardSpec) => parseShard(path, await shardDocument(spec));
  const a = await read("a.json", { ...SPEC, index: 0 });
  const other = await read("other.json", { ...SPEC, url: "http://127.0.0.1:9090/" });
  const otherMessage = assertThrows(() => mergeShards([a, other]), ShardInputError).message;
  assertEquals(
    otherMessage,
    `other.json: test_id ${other.testId.slice(0, 12)}… differs from a.json's ${a.testId.slice(0, 12)}…: ` +
      'not the same test (the URL: "http://127.0.0.1:9090/", but "http://127.0.0.1:8080/" there)',
  );
  const ofFour = await read("four.json", { ...SPEC, count: 4 });
  assertEquals(
    assertThrows(() => mergeShards([a, ofFour]), ShardInputError).message,
    "four.json: shard 1 of 4, but a.json is of 3: not the same test",
  );
  const again = await read("again.json", { ...SPEC, index: 0 });
  assertEquals(
    assertThrows(() => mergeShards([a, again]), ShardInputError).message,
    "again.json: shard 0 again (also in a.json)",
  );
  assertEquals(assertThrows(() => mergeShards([]), ShardInputError).message, "no shard to merge");
});

Deno.test("shards that ran another protocol, or another --streams, are refused in one line naming both files", async () => {
  const read = async (path: string, spec: ShardSpec) => parseShard(path, await shardDocument(spec));
  const h2 = await read("h2.json", { ...SPEC, index: 0, http2: true, streams: 4 });
  const h1 = await read("h1.json", SPEC);
  const streams2 = await read("s2.json", { ...SPEC, http2: true, streams: 2 });
  assertEquals(
    assertThrows(() => mergeShards([h2, h1]), ShardInputError).message,
    "h1.json: ran HTTP/1.1, but h2.json ran HTTP/2 with --streams 4: not the same test " +
      "(give every shard the same --http2 and --streams)",
  );
  assertEquals(
    assertThrows(() => mergeShards([h1, h2]), ShardInputError).message,
    "h2.json: ran HTTP/2 with --streams 4, but h1.json ran HTTP/1.1: not the same test " +
      "(give every shard the same --http2 and --streams)",
  );
  assertEquals(
    assertThrows(() => mergeShards([h2, streams2]), ShardInputError).message,
    "s2.json: ran HTTP/2 with --streams 2, but h2.json ran HTTP/2 with --streams 4: not the same test " +
      "(give every shard the same --http2 and --streams)",
  );
  const sameProtocol = await read("h2-1.json", { ...SPEC, http2: true, streams: 4 });
  assertEquals(mergeShards([h2, sameProtocol]).config.streams, 4);
});

Deno.test("a document from before the protocol was recorded does not say it: its test_id decides", async () => {
  const today = parseShard("s0.json", await shardDocument({ ...SPEC, index: 0 }));
  const document = await validDocument();
  const { http2: _http2, streams: _streams, ...olderConfig } = document.config;
  const older = parseShard("s1.json", JSON.stringify({ ...document, config: olderConfig }));
  assertEquals([older.config.http2, older.config.streams], [null, null]);
  // An HTTP/1.1 test kept its test_id: its older shards merge with today's, which say HTTP/1.1.
  assertEquals(older.testId, today.testId);
  const merged = mergeShards([today, older]);
  assertEquals(merged.mergedShards, [0, 1]);
  assertEquals([merged.config.http2, merged.config.streams], [false, 1]);
  assertEquals(mergeShards([older, today]).config.http2, false);
  // An HTTP/2 test did not: the test_id, not a protocol the older document cannot state, refuses it.
  const h2 = parseShard("h2.json", await shardDocument({ ...SPEC, index: 0, http2: true }));
  assertMatch(
    assertThrows(() => mergeShards([h2, older]), ShardInputError).message,
    /^s1\.json: test_id \S+ differs from h2\.json's \S+: not the same test/,
  );
});

Deno.test("a mistyped protocol field is named with what it holds", async () => {
  const document = await validDocument();
  assertEquals(
    refusalOf({ ...document, config: { ...document.config, http2: "yes" } }),
    `s1.json: config.http2 should be true or false, not "yes"`,
  );
  assertEquals(
    refusalOf({ ...document, config: { ...document.config, streams: 0 } }),
    "s1.json: config.streams should be an integer of at least 1, not 0",
  );
});

Deno.test("missing shards are named in one line", () => {
  assertEquals(missingShardsLine([2], 4), "shard 2 of 4 is missing");
  assertEquals(missingShardsLine([0, 3], 4), "shards 0, 3 of 4 are missing");
  assertEquals(missingShardsLine([1, 2, 3, 4, 5, 6, 7, 8, 9], 10), "shards 1-9 of 10 are missing");
});
