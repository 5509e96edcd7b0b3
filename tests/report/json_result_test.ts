/**
 * The `--json` result against its published schema (schemas/result-1.schema.json, checked by Ajv, a validator
 * that implements draft 2020-12), against the run it describes and the counting server behind it, and against
 * the report printed from the same run: the figures must be the ones the report prints, and each `hdr` must
 * decode back to them.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { Ajv2020 } from "ajv/dist/2020.js";
import ajvFormats from "ajv-formats";
import {
  formatJsonResult,
  formatRateReport,
  formatReport,
  type JsonContext,
  parseArgs,
  run,
  RunError,
  type RunResult,
  Stats,
  type ThresholdVerdict,
} from "../../mod.ts";
import { printUnits, statsRowLine } from "../../lib/report/_lines.ts";
import { formatFixed, padLeft } from "../../lib/report/_printf.ts";
import { formatMetric, formatTimeUs } from "../../lib/report/units.ts";
import { decodeStats } from "../../lib/stats/hdr_codec.ts";
import { hdrFigures, hdrValueAtPercentile } from "../../lib/stats/hdr_figures.ts";
import * as hdr from "hdr-histogram-js";
import { closedPort, ok, startServer } from "../helpers/server.ts";
import { publishedSchema, resultValidator } from "../helpers/result_schema.ts";

/**
 * ajv-formats is CommonJS with `exports.default` set to the plugin itself: its types see the default import as
 * the module, whose `default` is the plugin, at run time too.
 */
const addFormats = ajvFormats.default;

const SCHEMA_URL = new URL("../../schemas/result-1.schema.json", import.meta.url);
const FORMAT_DOC_URL = new URL("../../docs/result-format.md", import.meta.url);
const PERCENTILES = ["50", "75", "90", "99", "99.9", "99.99", "99.999"];
/** The fields that hold the run's figures: all null when the run failed to start. */
const FIGURE_FIELDS = [
  "start",
  "duration_us",
  "requests",
  "bytes",
  "requests_per_sec",
  "bytes_per_sec",
  "errors",
  "error_reasons",
  "status_codes",
  "latency",
  "requests_per_thread_sec",
  "uncorrected_latency",
  "rate",
  "unfinished_threads",
  "stopped_early",
];

// deno-lint-ignore no-explicit-any
type Json = any;

function readSchema(): Record<string, unknown> {
  return JSON.parse(Deno.readTextFileSync(SCHEMA_URL));
}

/** Ajv in strict mode (unknown keywords, ignored keywords and loose types are errors), unknown fields refused. */
const schema = resultValidator();

function assertValid(document: unknown): void {
  assert(schema.validate(document), `not valid against the schema:\n${schema.errors()}`);
}

function assertInvalid(document: unknown, why: string): void {
  assert(!schema.validate(document), `valid against the schema, though ${why}`);
}

function contextOf(command: string[], overrides: Partial<JsonContext> = {}): JsonContext {
  return {
    config: parseArgs(command),
    command,
    version: "0.1.0",
    testId: null,
    thresholds: null,
    error: null,
    ...overrides,
  };
}

/** A server that answers every fifth request with 503, the others with 200. */
function mixedServer() {
  return startServer((_request, index) => index % 5 === 4 ? ok("busy", 503) : ok());
}

/** What a `Stats` row of the report prints, from the document's figures. */
function rowFromDocument(name: string, figures: Json, format: (n: number) => string): string {
  return statsRowLine(
    name,
    { mean: figures.mean, stdev: figures.stdev, max: figures.max, withinStdev: figures.within_stdev },
    format,
  );
}

Deno.test("the published schema lets readers meet fields added within @1; our documents hold none it lacks", async () => {
  const server = startServer();
  try {
    const command = ["-t1", "-c2", "-d200ms", server.url];
    const result = await run(parseArgs(command));
    const document = JSON.parse(formatJsonResult(result, contextOf(command)));
    document.added_later = 1;
    document.latency.added_later = { any: "thing" };
    assert(
      resultValidator(publishedSchema()).validate(document),
      "the published schema refuses an added field",
    );
    assertInvalid(document, "our documents must hold no field the schema does not describe");
  } finally {
    await server.close();
  }
});

Deno.test("the schema is valid draft 2020-12 and compiles in Ajv's strict mode", () => {
  const ajv = new Ajv2020({ strict: true });
  addFormats(ajv);
  const document = readSchema();
  assert(ajv.validateSchema(document), ajv.errorsText(ajv.errors));
  assertEquals(document.$schema, "https://json-schema.org/draft/2020-12/schema");
  ajv.compile(document);
});

Deno.test("a closed-loop run: the document validates, its counts are the run's and the server's, its figures the report's", async () => {
  const server = mixedServer();
  try {
    const command = ["-t2", "-c4", "-d400ms", "--latency", "-H", "X-Test: yes", server.url, "--", "arg"];
    const context = contextOf(command);
    const result = await run(context.config);
    const text = formatJsonResult(result, context);
    assert(text.endsWith("}\n"));
    assertEquals(text, JSON.stringify(JSON.parse(text), null, 2) + "\n");
    const document: Json = JSON.parse(text);
    assertValid(document);

    assertEquals(document.format, "wrk-deno/result@1");
    assertEquals(document.version, "0.1.0");
    assertEquals(document.command, command);
    assertEquals(document.config, {
      url: server.url,
      threads: 2,
      connections: 4,
      duration_ms: 400,
      timeout_ms: 2000,
      rate: null,
      script: null,
      script_args: ["arg"],
      headers: [["X-Test", "yes"]],
      latency: true,
      u_latency: false,
      batch_latency: false,
      http2: false,
      streams: 1,
    });
    assertEquals(document.error, null);
    assertEquals(document.start, result.startedAt);
    assertEquals(document.duration_us, result.runtimeUs);

    // Counts: the run's, within what the server saw, and every response counted by status code.
    assert(result.requests > 10, `${result.requests} requests`);
    assertEquals(document.requests, result.requests);
    assert(document.requests <= server.requests.length, `${document.requests} > ${server.requests.length}`);
    assertEquals(document.bytes, result.bytesRead);
    assertEquals(document.errors, result.errors);
    assertEquals(document.error_reasons, result.errorReasons);
    assertEquals(document.status_codes, result.statusCodes);
    const byCode = document.status_codes as Record<string, number>;
    assertEquals(Object.values(byCode).reduce((a, b) => a + b, 0), document.requests);
    assert(byCode["503"] > 0 && byCode["200"] > 0, JSON.stringify(byCode));
    assertEquals(document.errors.status, byCode["503"]);
    assertEquals(document.unfinished_threads, []);
    // It ran its -d: not stopped early. A run has it true or false, never null; older documents lack it.
    assertEquals(document.stopped_early, false);
    assertInvalid({ ...document, stopped_early: null }, "a run's stopped_early null");
    const { stopped_early: _stoppedEarly, ...older } = document;
    assertValid(older);
    assertEquals([document.uncorrected_latency, document.rate, document.thresholds], [null, null, null]);

    // Figures: the report's, to the last digit it prints.
    const report = formatReport(result, { latency: true }).split("\n");
    assert(report.includes(`Requests/sec: ${padLeft(formatFixed(document.requests_per_sec, 2), 9)}`));
    assertEquals(document.bytes_per_sec, result.bytesRead / (result.runtimeUs / 1e6));
    assert(report.includes(rowFromDocument("Latency", document.latency, formatTimeUs)), report.join("\n"));
    assert(report.includes(rowFromDocument("Req/Sec", document.requests_per_thread_sec, formatMetric)));
    for (const p of ["50", "75", "90", "99"]) {
      const line = `${padLeft(p, 7)}%${printUnits(document.latency.percentiles[p], formatTimeUs, 10)}`;
      assert(report.includes(line), `${line} not in\n${report.join("\n")}`);
    }

    // The histograms decode back to the same figures.
    const latency = decodeStats(document.latency.hdr);
    assertEquals(latency.count, result.latency.count);
    assertEquals(document.latency.count, result.latency.count);
    assertEquals(
      [latency.min, latency.mean, latency.stdev, latency.max, latency.withinStdev()],
      [
        document.latency.min,
        document.latency.mean,
        document.latency.stdev,
        document.latency.max,
        document.latency.within_stdev,
      ],
    );
    for (const p of PERCENTILES) assertEquals(latency.percentile(Number(p)), document.latency.percentiles[p]);
    const rate = decodeStats(document.requests_per_thread_sec.hdr);
    assertEquals(document.requests_per_thread_sec.count, result.requestRate.count);
    assertEquals(
      [rate.count, rate.mean, rate.stdev, rate.max, rate.withinStdev()],
      [
        document.requests_per_thread_sec.count,
        document.requests_per_thread_sec.mean,
        document.requests_per_thread_sec.stdev,
        document.requests_per_thread_sec.max,
        document.requests_per_thread_sec.within_stdev,
      ],
    );
  } finally {
    await server.close();
  }
});

Deno.test("a -R run: uncorrected latency and rate are there, with wrk2's figures as the rate report prints them", async () => {
  const server = mixedServer();
  try {
    const command = ["-t1", "-c2", "-d600ms", "-R", "200", "-U", "--latency", server.url];
    const context = contextOf(command);
    const result = await run(context.config);
    const document: Json = JSON.parse(formatJsonResult(result, context));
    assertValid(document);
    assertEquals(document.config.rate, 200);
    assertEquals(document.config.u_latency, true);
    assert(document.uncorrected_latency !== null);
    assertEquals(document.rate, {
      planned_per_sec: 200,
      achieved_per_sec: document.requests_per_sec,
      batches: result.rate!.batches,
      late_batches: result.rate!.lateBatches,
      requests_sent: result.rate!.requestsSent,
      requests_due: result.rate!.requestsDue,
      errors_after_timeout: result.rate!.errorsAfterTimeout,
    });
    assert(document.rate.batches >= document.requests);
    assert(document.rate.requests_sent >= document.requests);
    // 600 ms at 200/s: the plan's slots every 5 ms from 2.5 ms, those in the run's last millisecond not counted.
    assert(
      document.rate.requests_due >= 118 && document.rate.requests_due <= 120,
      `${document.rate.requests_due}`,
    );
    // Documents written before the requests sent were counted have no requests_sent, and stay valid; a merge
    // of such a document has it null (unknown).
    const { requests_sent: _sent, requests_due: _due, ...olderRate } = document.rate;
    assertValid({ ...document, rate: olderRate });
    assertValid({ ...document, rate: { ...document.rate, requests_sent: null } });
    assertInvalid(
      { ...document, rate: { ...document.rate, requests_sent: 1.5 } },
      "requests_sent is fractional",
    );
    // Likewise for the requests due, counted later still.
    const { requests_due: _dueOnly, ...withoutDue } = document.rate;
    assertValid({ ...document, rate: withoutDue });
    assertValid({ ...document, rate: { ...document.rate, requests_due: null } });
    assertInvalid({ ...document, rate: { ...document.rate, requests_due: -1 } }, "requests_due is negative");

    const report = formatRateReport(result, { latency: true, uncorrected: true }).split("\n");
    assert(report.includes(rowFromDocument("Latency", document.latency, formatTimeUs)), report.join("\n"));
    assert(report.includes(rowFromDocument("Req/Sec", document.requests_per_thread_sec, formatMetric)));
    for (
      const [field, stats] of [["latency", result.latency], [
        "uncorrected_latency",
        result.uncorrectedLatency!,
      ]] as const
    ) {
      const figures = document[field];
      const decoded = decodeStats(figures.hdr);
      assertEquals(decoded.count, stats.count);
      const wrk2 = hdrFigures(decoded);
      assertEquals([wrk2.mean, wrk2.stdev, wrk2.max, wrk2.withinStdev], [
        figures.mean,
        figures.stdev,
        figures.max,
        figures.within_stdev,
      ]);
      for (const p of PERCENTILES) {
        assertEquals(hdrValueAtPercentile(decoded, Number(p)), figures.percentiles[p]);
        const line = `${padLeft(formatFixed(Number(p), 3), 7)}%${
          printUnits(figures.percentiles[p], formatTimeUs, 10)
        }`;
        assert(report.includes(line), `${field} ${line} not in\n${report.join("\n")}`);
      }
      assert(figures.min <= figures.percentiles["50"]);
    }
    const requestRate = decodeStats(document.requests_per_thread_sec.hdr);
    assertEquals(hdrFigures(requestRate).mean, document.requests_per_thread_sec.mean);
  } finally {
    await server.close();
  }
});

Deno.test("a run that failed to start: the document validates, with its message and every figure null", async () => {
  const command = ["-t1", "-c1", "-d1s", "-R", "100", `http://127.0.0.1:${closedPort()}/`];
  const context = contextOf(command);
  const error = await run(context.config).then(() => null, (error: unknown) => error);
  assert(error instanceof RunError, String(error));
  const document: Json = JSON.parse(formatJsonResult(null, { ...context, error: error.message }));
  assertValid(document);
  assertEquals(document.error, error.message);
  assertEquals(document.config.rate, 100);
  for (const field of FIGURE_FIELDS) assertEquals(document[field], null, field);

  // The schema ties the figures to the error: neither half of the rule may drift.
  assertInvalid({ ...document, requests: 0 }, "a failed run has a request count");
  assertInvalid({ ...document, stopped_early: true }, "a failed run stopped early");
  assertInvalid({ ...document, error: null }, "a run without an error has no figures");
});

Deno.test("threshold verdicts are embedded as given and validate", async () => {
  const server = startServer();
  try {
    const thresholds: ThresholdVerdict[] = [
      {
        expression: "p99 < 100ms",
        metric: "p99",
        op: "<",
        limit: 100_000,
        unit: "us",
        actual: 812,
        passed: true,
      },
      {
        expression: "rps >= 1M",
        metric: "rps",
        op: ">=",
        limit: 1e6,
        unit: "rps",
        actual: 5321.5,
        passed: false,
      },
      {
        expression: "errors < 1%",
        metric: "errors",
        op: "<",
        limit: 1,
        unit: "percent",
        actual: 0,
        passed: true,
      },
      {
        expression: "timeouts <= 0",
        metric: "timeouts",
        op: "<=",
        limit: 0,
        unit: "count",
        actual: null,
        passed: false,
      },
    ];
    const command = ["-t1", "-c1", "-d200ms", server.url];
    const context = contextOf(command, { thresholds });
    const document: Json = JSON.parse(formatJsonResult(await run(context.config), context));
    assertValid(document);
    assertEquals(document.thresholds, thresholds);
    assertInvalid(
      { ...document, thresholds: [{ ...thresholds[0], unit: "ms" }] },
      "a verdict's unit is not one of the four",
    );
  } finally {
    await server.close();
  }
});

Deno.test("the schema rejects drift: an unknown field, a missing one, a wrong format or a fractional count", () => {
  const document: Json = JSON.parse(formatJsonResult(emptyResult(), contextOf(["http://127.0.0.1:8080/"])));
  assertValid(document);
  assertInvalid({ ...document, extra: 1 }, "it has a field the format does not define");
  const { bytes: _bytes, ...withoutBytes } = document;
  assertInvalid(withoutBytes, "bytes is missing");
  assertInvalid({ ...document, format: "wrk-deno/result@2" }, "its format is another");
  assertInvalid({ ...document, requests: 1.5 }, "a count is fractional");
  assertInvalid({ ...document, latency: { ...document.latency, p50: 1 } }, "latency has an unknown field");
  assertInvalid({ ...document, start: "yesterday" }, "start is no date-time");
});

Deno.test("no samples and no time give null figures, never NaN or Infinity", () => {
  const text = formatJsonResult(emptyResult(), contextOf(["http://127.0.0.1:8080/"]));
  assert(!/NaN|Infinity/.test(text));
  const document: Json = JSON.parse(text);
  assertValid(document);
  assertEquals([document.requests_per_sec, document.bytes_per_sec], [null, null]);
  assertEquals(document.latency.count, 0);
  for (const figure of ["min", "mean", "stdev", "max", "within_stdev"]) {
    assertEquals(document.latency[figure], null, figure);
    assertEquals(document.requests_per_thread_sec[figure], null, figure);
  }
  for (const p of PERCENTILES) assertEquals(document.latency.percentiles[p], null);
  assertEquals(decodeStats(document.latency.hdr).count, 0);
});

Deno.test("formatJsonResult() takes a result or an error, not both nor neither", () => {
  const context = contextOf(["http://127.0.0.1:8080/"]);
  assertThrows(() => formatJsonResult(null, context), TypeError);
  assertThrows(() => formatJsonResult(emptyResult(), { ...context, error: "refused" }), TypeError);
});

Deno.test("merged_shards, shard_count and merge_warnings are null for a run and say a merge's shards, count and warnings, right after shard", () => {
  const context = contextOf(["http://127.0.0.1:8080/"]);
  const run: Json = JSON.parse(formatJsonResult(emptyResult(), context));
  assertValid(run);
  assertEquals([run.merged_shards, run.shard_count], [null, null]);
  assertEquals(Object.keys(run).slice(4, 9), [
    "shard",
    "merged_shards",
    "shard_count",
    "merge_warnings",
    "config",
  ]);
  assertEquals(run.merge_warnings, null);
  const merged: Json = JSON.parse(
    formatJsonResult(emptyResult(), { ...context, mergedShards: [0, 1, 3], shardCount: 4 }),
  );
  assertValid(merged);
  // A partial merge: shard 2 of 4 is not in it, and the document says so.
  assertEquals([merged.merged_shards, merged.shard_count], [[0, 1, 3], 4]);
  // Documents written before merge (and the shard count) existed have neither, and stay valid.
  const warned: Json = JSON.parse(
    formatJsonResult(emptyResult(), {
      ...context,
      mergedShards: [0, 1],
      shardCount: 2,
      mergeWarnings: ["apart"],
    }),
  );
  assertValid(warned);
  assertEquals(warned.merge_warnings, ["apart"]);
  const { merged_shards: _mergedShards, shard_count: _shardCount, merge_warnings: _warnings, ...older } = run;
  assertValid(older);
  assertInvalid({ ...run, shard_count: 0 }, "a merge of no shard count");
  assertInvalid({ ...run, merged_shards: [] }, "a merge of no shard");
  assertInvalid({ ...run, merged_shards: [1, 1] }, "a shard merged twice");
  assertInvalid({ ...run, merged_shards: [-1] }, "a negative shard index");
});

Deno.test("config records the protocol: HTTP/1.1 is http2 false with 1 stream, --http2 --streams 4 as given", () => {
  const url = "https://127.0.0.1:8443/";
  const http1: Json = JSON.parse(formatJsonResult(emptyResult(), contextOf([url])));
  const http2: Json = JSON.parse(
    formatJsonResult(emptyResult(), contextOf(["--http2", "--streams", "4", url])),
  );
  const defaultStreams: Json = JSON.parse(formatJsonResult(emptyResult(), contextOf(["--http2", url])));
  for (const document of [http1, http2, defaultStreams]) assertValid(document);
  assertEquals([http1.config.http2, http1.config.streams], [false, 1]);
  assertEquals([http2.config.http2, http2.config.streams], [true, 4]);
  assertEquals([defaultStreams.config.http2, defaultStreams.config.streams], [true, 1]);
  // Last in config, after the options that were there before them.
  assertEquals(Object.keys(http2.config).slice(-3), ["batch_latency", "http2", "streams"]);
  // Documents written before the protocol was recorded have neither field, and stay valid.
  const { http2: _http2, streams: _streams, ...olderConfig } = http1.config;
  assertValid({ ...http1, config: olderConfig });
  assertInvalid({ ...http2, config: { ...http2.config, streams: 0 } }, "no stream per connection");
  assertInvalid({ ...http2, config: { ...http2.config, http2: "h2" } }, "http2 is not a boolean");
});

Deno.test("docs/result-format.md: its example documents validate, and its small hdr decodes as it says", () => {
  const markdown = Deno.readTextFileSync(FORMAT_DOC_URL);
  const examples = [...markdown.matchAll(/```json\n([\s\S]*?)```/g)].map(([, text]) => JSON.parse(text));
  assertEquals(examples.length, 2);
  for (const example of examples) assertValid(example);
  const [ran, failed] = examples;
  assertEquals(ran.thresholds.map((t: ThresholdVerdict) => t.passed), [true, false]);
  assertEquals(Object.values(ran.status_codes).reduce((a: number, b) => a + Number(b), 0), ran.requests);
  assertEquals(decodeStats(ran.latency.hdr).count, ran.latency.count);
  assert(failed.error !== null);

  const small = markdown.match(/is\n\n```\n(HISTF\S+)\n```/);
  assert(small !== null, "no small hdr example");
  const stats = decodeStats(small[1]);
  assertEquals([stats.count, stats.min, stats.percentile(50)], [4, 100, 300]);
  assertEquals(stats.distinct(3), [300, 1]);
  assert(Math.abs(stats.max - 5000) <= 2, `max ${stats.max}`);
  // The text says hdr-histogram-js's own median of the same histogram is 200 µs.
  assertEquals(hdr.decodeFromCompressedBase64(small[1]).getValueAtPercentile(50), 200);
});

/** A run that lasted no time and got nothing. */
function emptyResult(): RunResult {
  return {
    url: "http://127.0.0.1:8080/",
    threads: 1,
    connections: 1,
    durationMs: 10_000,
    runtimeUs: 0,
    requests: 0,
    bytesRead: 0,
    errors: { connect: 0, read: 0, write: 0, status: 0, timeout: 0 },
    errorReasons: [],
    statusCodes: {},
    startedAt: "2026-12-04T12:00:00.000Z",
    latency: new Stats(),
    uncorrectedLatency: null,
    requestRate: new Stats(),
    rate: null,
    unfinishedThreads: [],
  };
}
