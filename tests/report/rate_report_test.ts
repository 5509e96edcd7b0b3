import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { formatRateReport } from "../../lib/report/rate_report.ts";
import { formatHeader, formatReport } from "../../lib/report/text_report.ts";
import type { RunResult } from "../../lib/run_result.ts";
import type { ErrorCounts } from "../../lib/stats/error_counts.ts";
import { Stats } from "../../lib/stats/stats.ts";
import { classify, type LineTemplate, template } from "./_printf_template.ts";

const NO_ERRORS: ErrorCounts = { connect: 0, read: 0, write: 0, status: 0, timeout: 0 };
const RULE = "-".repeat(58);
const UNCORRECTED = "Uncorrected Latency (measured without taking delayed starts into account)";

function readGolden(name: string): string {
  return Deno.readTextFileSync(new URL(`./golden/${name}`, import.meta.url));
}

/**
 * Every line wrk2 prints for a `-R` run, as the `printf` calls of its source print it (src/wrk.c `main`,
 * `print_stats_header`, `print_stats`, `print_hdr_latency`; src/hdr_histogram.c `hdr_percentiles_print`).
 */
function wrk2Templates(url: string): LineTemplate[] {
  return [
    template("running", "Running %T test @ %s", url),
    template("threads", "  %d threads and %d connections"),
    template("calibration", "  Thread calibration: mean lat.: %.3fms, rate sampling interval: %dms"),
    template("stats header", "  Thread Stats%6s%11s%8s%12s", "Avg", "Stdev", "Max", "+/- Stdev"),
    template("latency row", "    %-10s%8U%10U%9U%8.2f%%", "Latency"),
    template("req/sec row", "    %-10s%8U%10U%9U%8.2f%%", "Req/Sec"),
    template("recorded title", "  Latency Distribution (HdrHistogram - %s)", "Recorded Latency"),
    template("uncorrected title", "  Latency Distribution (HdrHistogram - %s)", UNCORRECTED),
    template("distribution", "%7.3f%%%10U"),
    template("blank", ""),
    template("spectrum title", "%s", "  Detailed Percentile spectrum:"),
    template("spectrum head", "%12s %12s %12s %12s", "Value", "Percentile", "TotalCount", "1/(1-Percentile)"),
    template("spectrum", "%12.3f %12f %12d %12.2f"),
    template("mean footer", "#[Mean    = %12.3f, StdDeviation   = %12.3f]"),
    template("max footer", "#[Max     = %12.3f, Total count    = %12d]"),
    template("buckets footer", "#[Buckets = %12d, SubBuckets     = %12d]"),
    template("rule", "%s", RULE),
    template("requests", "  %d requests in %T, %TB read"),
    template("socket errors", "  Socket errors: connect %d, read %d, write %d, timeout %d"),
    template("non-2xx", "  Non-2xx or 3xx responses: %d"),
    template("requests/sec", "Requests/sec: %9.2f"),
    template("transfer/sec", "Transfer/sec: %10TB"),
  ];
}

/**
 * The template of each line, with a run of spectrum lines as one entry (how many steps there are depends on
 * the samples). Lines of `Thread calibration` are left out: wrk2 prints them during the run, not in its report.
 */
function shape(text: string, url: string): string[] {
  const templates = wrk2Templates(url);
  const names = text.replace(/\n$/, "").split("\n").map((line) => classify(line, templates));
  return names.filter((name, i) =>
    name !== "calibration" && !(name === "spectrum" && names[i - 1] === "spectrum")
  );
}

/** A deterministic spread of latencies like a loopback run's: most under 2 ms, a tail to 40 ms. */
function syntheticLatency(): Stats {
  const stats = new Stats();
  let seed = 12345;
  for (let i = 0; i < 1500; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const u = seed / 2147483648;
    stats.record(40 + 1800 * u ** 2 + (u > 0.995 ? 40_000 * (u - 0.995) * 200 : 0));
  }
  return stats;
}

function syntheticRates(): Stats {
  const stats = new Stats();
  for (const rate of [240, 250, 250, 260, 250, 230, 270, 250]) stats.record(rate);
  return stats;
}

/** A `-t2 -c10 -d3s -R500` run with synthetic histograms. */
function rateResult(url: string): RunResult {
  return {
    url,
    threads: 2,
    connections: 10,
    durationMs: 3000,
    runtimeUs: 3_000_250,
    requests: 1500,
    bytesRead: 229_500,
    errors: NO_ERRORS,
    errorReasons: [],
    statusCodes: {},
    startedAt: "2026-12-04T12:00:00.000Z",
    latency: syntheticLatency(),
    uncorrectedLatency: syntheticLatency(),
    requestRate: syntheticRates(),
    rate: { plannedPerSec: 500, batches: 1500, lateBatches: 0, requestsSent: 1500 },
    unfinishedThreads: [],
  };
}

function fullReport(result: RunResult, options: { latency: boolean; uncorrected: boolean }): string {
  return formatHeader(result.url, result.durationMs, result.threads, result.connections) +
    formatRateReport(result, options);
}

Deno.test("the line templates describe every line of the real wrk2 reports", () => {
  for (const name of ["wrk2_rate_latency.txt", "wrk2_rate_u_latency.txt", "wrk2_rate_non2xx.txt"]) {
    const golden = readGolden(name);
    const url = golden.split("\n")[0].replace(/^Running \S+ test @ /, "");
    // classify() throws on a line no template matches.
    const names = shape(golden, url);
    assert(names.includes("spectrum"), name);
  }
});

Deno.test("formatRateReport() with latency has the line layout of wrk2 -L (a real wrk2 run as the oracle)", () => {
  const golden = readGolden("wrk2_rate_latency.txt");
  const url = "http://127.0.0.1:18431/";
  const ours = fullReport(rateResult(url), { latency: true, uncorrected: false });
  assertEquals(shape(ours, url), shape(golden, url));
});

Deno.test("formatRateReport() with uncorrected has the line layout of wrk2 -L -U (a real wrk2 run)", () => {
  const golden = readGolden("wrk2_rate_u_latency.txt");
  const url = "http://127.0.0.1:18431/";
  const ours = fullReport(rateResult(url), { latency: true, uncorrected: true });
  assertEquals(shape(ours, url), shape(golden, url));
});

Deno.test("formatRateReport() prints the non-2xx line where wrk2 does (a real 12 s wrk2 run answered 404)", () => {
  const golden = readGolden("wrk2_rate_non2xx.txt");
  const url = "http://127.0.0.1:18431/missing";
  const result: RunResult = {
    ...rateResult(url),
    durationMs: 12_000,
    errors: { ...NO_ERRORS, status: 1500 },
    errorReasons: [],
    statusCodes: {},
    startedAt: "2026-12-04T12:00:00.000Z",
    rate: { plannedPerSec: 125, batches: 1500, lateBatches: 0, requestsSent: 1500 },
  };
  assertEquals(shape(fullReport(result, { latency: true, uncorrected: false }), url), shape(golden, url));
});

/** 1…1000 µs once each, then 2500, 12345, 250000 and 1500000 µs: N = 1004. */
function knownSamples(): Stats {
  const stats = new Stats();
  for (let us = 1; us <= 1000; us++) stats.record(us);
  for (const us of [2500, 12_345, 250_000, 1_500_000]) stats.record(us);
  return stats;
}

Deno.test("formatRateReport() prints exactly what wrk2's own code prints for known samples", () => {
  const result: RunResult = { ...rateResult("http://x/"), latency: knownSamples() };
  const lines = formatRateReport(result, { latency: true, uncorrected: false }).split("\n");
  const end = lines.indexOf(RULE);
  // The oracle: wrk2's print_stats, print_hdr_latency (its hdr_percentiles_print) and rule for these samples,
  // printed by wrk2's own src/hdr_histogram.c, stats.c and units.c compiled outside this repository
  // (tests/report/golden/README.md).
  assertEquals([lines[1], ...lines.slice(3, end + 1)].join("\n") + "\n", readGolden("wrk2_hdr_samples.txt"));
});

Deno.test("formatRateReport(): the known samples' figures follow from wrk2's C by hand", () => {
  const result: RunResult = { ...rateResult("http://x/"), latency: knownSamples() };
  const lines = formatRateReport(result, { latency: true, uncorrected: false }).split("\n");
  // hdr_mean: the medians of the buckets: 1…1000 sum to 500500; 2500 sits in a bucket of width 2 (median
  // 2501), 12345 in one of width 8 from 12344 (12348), 250000 of width 128 from 249984 (250048), 1500000 of
  // width 1024 from 1499136 (1499648): 2265045 / 1004 = 2256.02 µs. hdr_max: the lowest value of the top bucket,
  // 1499136 µs = 1.50s. stats_within_stdev: mean ± stdev truncates to −45677…50190; the walk stops at the
  // (empty) bucket holding 50191, having counted 1002 of 1004 samples: 99.80%.
  assertEquals(lines[1], "    Latency     2.26ms   47.93ms   1.50s    99.80%");
  // hdr_value_at_percentile: rank ⌊p/100 × 1004 + 0.5⌋ (502, 753, 904, 994, 1003, 1004, 1004, 1004), and the
  // highest value of that rank's bucket: 250000's bucket ends at 250111, 1500000's at 1500159.
  assertEquals(lines.slice(3, 12), [
    "  Latency Distribution (HdrHistogram - Recorded Latency)",
    " 50.000%  502.00us",
    " 75.000%  753.00us",
    " 90.000%    0.90ms",
    " 99.000%    0.99ms",
    " 99.900%  250.11ms",
    " 99.990%    1.50s ",
    " 99.999%    1.50s ",
    "100.000%    1.50s ",
  ]);
  // The spectrum: percentile 0 at the first sample; then targets every 10 % to 50, every 5 % to 75, 2.5 % to
  // 87.5, … each reported at the first bucket whose cumulative share reaches it (10 % of 1004 = 100.4: the
  // 101st sample). The value column is the bucket's highest value in ms.
  const spectrum = lines.slice(lines.indexOf("  Detailed Percentile spectrum:") + 1);
  assertEquals(spectrum.slice(0, 4), [
    "       Value   Percentile   TotalCount 1/(1-Percentile)",
    "",
    "       0.001     0.000000            1         1.00",
    "       0.101     0.100000          101         1.11",
  ]);
  assertStringIncludes(
    lines.join("\n"),
    "\n       0.502     0.500000          502         2.00\n       0.553     0.550000",
  );
  assertStringIncludes(
    lines.join("\n"),
    "\n       0.753     0.750000          753         4.00\n       0.779     0.775000",
  );
  // The last step repeats the top bucket at percentile 1 (inverse inf); the footer's max is hdr_max (the
  // bucket's lowest value) and the bucket counts are those of hdr_init(1, one day in µs, 3 digits).
  const footer = lines.indexOf(RULE);
  assertEquals(lines.slice(footer - 5, footer), [
    "    1500.159     0.999023         1004      1024.00",
    "    1500.159     1.000000         1004          inf",
    "#[Mean    =        2.256, StdDeviation   =       47.934]",
    "#[Max     =     1499.136, Total count    =         1004]",
    "#[Buckets =           27, SubBuckets     =         2048]",
  ]);
});

Deno.test("formatRateReport() computes the Req/Sec row wrk2's way from our 100 ms samples", () => {
  const requestRate = new Stats();
  for (const rate of [900, 1000, 1100]) requestRate.record(rate);
  const result: RunResult = { ...rateResult("http://x/"), requestRate };
  const row = formatRateReport(result, { latency: false, uncorrected: false }).split("\n")[2];
  // Mean 1000; population stdev √(20000 / 3) = 81.65; within: bounds 918…1081, 900 is below, and the walk
  // stops at the empty bucket of 1082 having counted 900 and 1000: (2 − 1) / 3.
  assertEquals(row, "    Req/Sec     1.00k    81.65     1.10k    33.33%");
});

Deno.test("formatRateReport() prints an empty run as wrk2 does, but for the table rows", () => {
  const url = "http://127.0.0.1:18432/";
  const result: RunResult = {
    url,
    threads: 1,
    connections: 1,
    durationMs: 1000,
    runtimeUs: 2_010_000,
    requests: 0,
    bytesRead: 0,
    errors: { ...NO_ERRORS, timeout: 1 },
    errorReasons: [],
    statusCodes: {},
    startedAt: "2026-12-04T12:00:00.000Z",
    latency: new Stats(),
    uncorrectedLatency: new Stats(),
    requestRate: new Stats(),
    rate: { plannedPerSec: 10, batches: 0, lateBatches: 0, requestsSent: 0 },
    unfinishedThreads: [],
  };
  const ours = fullReport(result, { latency: true, uncorrected: false });
  // wrk2 against a server that accepts and never answers: its rows divide 0 by 0 for the mean and deviation
  // (`-nanus`) and return 0.00% within. Ours print those rows as the wrk report prints an empty run.
  const expected = readGolden("wrk2_rate_empty.txt")
    .replace(
      "    Latency     -nanus    -nanus   0.00us    0.00%\n",
      "    Latency     0.00us    0.00us   0.00us    -nan%\n",
    )
    .replace(
      "    Req/Sec       -nan      -nan   0.00      0.00%\n",
      "    Req/Sec     0.00      0.00     0.00      -nan%\n",
    ) +
    "  Rate: 0.00 of 10 requests/sec asked (100.0% short): errors cut the rate (see above)\n";
  assertEquals(ours, expected);
  // NaN appears only as wrk's `-nan%` in the two rows and as wrk2's `-nan` mean and deviation in the footer.
  assertEquals(ours.match(/nan/g)?.length, 4);
  assertStringIncludes(ours, "#[Mean    =         -nan, StdDeviation   =         -nan]\n");
  assert(!/NaN|Infinity|undefined/.test(ours));
  assert(!/nan/.test(formatRateReport(result, { latency: false, uncorrected: false }).replace(/-nan%/g, "")));
});

Deno.test("formatRateReport() prints the uncorrected block only when asked and measured", () => {
  const result = rateResult("http://x/");
  const both = formatRateReport(result, { latency: true, uncorrected: true });
  assertStringIncludes(both, `${RULE}\n\n  Latency Distribution (HdrHistogram - ${UNCORRECTED})\n`);
  assertEquals(both.split(RULE).length, 3);
  const recordedOnly = formatRateReport(result, { latency: true, uncorrected: false });
  assert(!recordedOnly.includes("Uncorrected"));
  const none = formatRateReport({ ...result, uncorrectedLatency: null }, {
    latency: true,
    uncorrected: true,
  });
  assertEquals(none, recordedOnly);
  const neither = formatRateReport(result, { latency: false, uncorrected: false });
  assert(!neither.includes("Latency Distribution"));
  assert(!neither.includes(RULE));
});

Deno.test("formatRateReport() ends with the wrk report's lines from the requests line on", () => {
  const result: RunResult = {
    ...rateResult("http://x/"),
    errors: { connect: 1, read: 2, write: 3, timeout: 4, status: 5 },
    errorReasons: [],
    statusCodes: {},
    startedAt: "2026-12-04T12:00:00.000Z",
    rate: null,
    unfinishedThreads: [1],
  };
  const tail = (text: string) => text.slice(text.indexOf("  1500 requests in"));
  const ours = formatRateReport(result, { latency: true, uncorrected: true });
  assertEquals(tail(ours), tail(formatReport(result, { latency: false })));
  assert(ours.endsWith("  Threads that did not finish: 1 (their figures are missing)\n"));
});

/**
 * A run asked for 1000 requests/s for 1 s that completed `requests` of `requestsSent` sent (by default all it
 * sent: none was in flight at the end).
 */
function shortRun(
  requests: number,
  errors: Partial<ErrorCounts>,
  lateBatches: number,
  requestsSent: number | null = requests,
): RunResult {
  return {
    ...rateResult("http://x/"),
    // Enough connections for the requests in flight of these cases (a 200 ms answer at 1000/s holds 200).
    connections: 1000,
    runtimeUs: 1_000_000,
    requests,
    errors: { ...NO_ERRORS, ...errors },
    errorReasons: [],
    statusCodes: {},
    startedAt: "2026-12-04T12:00:00.000Z",
    rate: { plannedPerSec: 1000, batches: requests, lateBatches, requestsSent },
  };
}

const rateLine = (result: RunResult) =>
  formatRateReport(result, { latency: false, uncorrected: false }).split("\n").find((line) =>
    line.startsWith("  Rate:")
  );

Deno.test("formatRateReport() adds a Rate line only when the run is more than 1 % short", () => {
  assertEquals(rateLine(shortRun(990, {}, 0)), undefined);
  assertEquals(rateLine(shortRun(1000, {}, 500)), undefined);
  assertEquals(rateLine({ ...shortRun(100, {}, 0), rate: null }), undefined);
  assertEquals(
    rateLine(shortRun(989, {}, 0)),
    "  Rate: 989.00 of 1000 requests/sec asked (1.1% short): the client could not keep pace: add -t, or run on more cores",
  );
});

Deno.test("formatRateReport() gives socket errors, then late batches, as the reason a run fell short", () => {
  assertEquals(
    rateLine(shortRun(800, { timeout: 3 }, 400)),
    "  Rate: 800.00 of 1000 requests/sec asked (20.0% short): errors cut the rate (see above)",
  );
  // Non-2xx responses are completed requests: they do not cut the rate.
  assertEquals(
    rateLine(shortRun(800, { status: 800 }, 400)),
    "  Rate: 800.00 of 1000 requests/sec asked (20.0% short): requests waited for busy connections: the server " +
      "answers slower than -c connections can carry at this rate; add -c, unless the server is at its capacity " +
      "(more connections then only wait longer)",
  );
  // 8 late batches of 800 is exactly 1 %: not more than 1 %.
  assertStringIncludes(rateLine(shortRun(800, {}, 8))!, "(20.0% short): the client could not keep pace");
  assertStringIncludes(
    rateLine(shortRun(800, {}, 9))!,
    "(20.0% short): requests waited for busy connections",
  );
});

Deno.test("formatRateReport() with --http2 names the streams as the lanes that were busy: add -c or --streams", () => {
  const line = formatRateReport(shortRun(800, {}, 400), { latency: false, uncorrected: false, http2: true })
    .split("\n").find((line) => line.startsWith("  Rate:"));
  assertEquals(
    line,
    "  Rate: 800.00 of 1000 requests/sec asked (20.0% short): requests waited for busy streams: the server " +
      "answers slower than -c connections of --streams streams can carry at this rate; add -c or --streams, " +
      "unless the server is at its capacity (more connections then only wait longer)",
  );
  // The other reasons do not depend on the protocol.
  assertStringIncludes(
    formatRateReport(shortRun(800, {}, 0), { latency: false, uncorrected: false, http2: true }),
    "(20.0% short): the client could not keep pace",
  );
});

Deno.test("formatRateReport() puts the Rate line before the unfinished-threads line", () => {
  const report = formatRateReport({ ...shortRun(500, {}, 0), unfinishedThreads: [0] }, {
    latency: false,
    uncorrected: false,
  });
  assert(report.endsWith(
    "Transfer/sec:" + report.split("Transfer/sec:")[1].split("\n")[0] + "\n" +
      "  Rate: 500.00 of 1000 requests/sec asked (50.0% short): a thread did not finish (see below): its figures " +
      "are missing\n  Threads that did not finish: 0 (their figures are missing)\n",
  ));
});

Deno.test("formatRateReport() says the rate was kept when the requests sent met the plan and only answers in flight at the end are missing", () => {
  // A server answering in 200 ms at 1000/s: all 1000 requests went, the last 200 were unanswered at the stop.
  assertEquals(
    rateLine(shortRun(800, {}, 0, 1000)),
    "  Rate: 800.00 of 1000 requests/sec asked (20.0% short): 200 requests were still in flight at the end " +
      "(not counted): the rate was kept",
  );
  // Within 1 % of the plan is kept, as for the completed requests; and one is "a request".
  assertStringIncludes(rateLine(shortRun(989, {}, 0, 990))!, "(1.1% short): 1 request was still in flight");
  // Late batches that caught up before the end do not matter once the plan was kept.
  assertStringIncludes(rateLine(shortRun(800, {}, 400, 1000))!, "200 requests were still in flight");
  // Socket errors come first: failed requests are neither completed nor in flight.
  assertStringIncludes(rateLine(shortRun(800, { read: 5 }, 0, 1000))!, "errors cut the rate");
});

Deno.test("formatRateReport() blames the client or the lanes only when the requests sent fell short of the plan", () => {
  // 989 sent of 1000 planned: more than 1 % short, so the sending did not keep the rate.
  assertStringIncludes(rateLine(shortRun(900, {}, 0, 989))!, "(10.0% short): the client could not keep pace");
  assertStringIncludes(
    rateLine(shortRun(900, {}, 100, 989))!,
    "(10.0% short): requests waited for busy connections",
  );
  // The plan counts over the time actually run: 1000/s over 1.2 s is 1200 requests, and 1000 sent is short.
  assertStringIncludes(
    rateLine({ ...shortRun(800, {}, 0, 1000), runtimeUs: 1_200_000 })!,
    "the client could not keep pace",
  );
  // Unknown (a merge of an older version's result files): the reasons from before the requests sent were counted.
  assertStringIncludes(
    rateLine(shortRun(800, {}, 0, null))!,
    "(20.0% short): the client could not keep pace",
  );
  assertStringIncludes(
    rateLine(shortRun(800, {}, 400, null))!,
    "(20.0% short): requests waited for busy connections",
  );
});

/** `result` with the requests its plan had due before the end (`RateOutcome.requestsDue`). */
function withDue(result: RunResult, requestsDue: number): RunResult {
  return { ...result, rate: { ...result.rate!, requestsDue } };
}

Deno.test("formatRateReport() does not blame the client when the time run held fewer of the plan's slots than -R × the time", () => {
  // -R 1 -d1500ms: one slot, at 0.5 s (the next, at 1.5 s, is on the run's edge); its answer came back.
  assertEquals(
    rateLine(
      withDue({
        ...shortRun(1, {}, 0),
        runtimeUs: 1_500_000,
        rate: { ...shortRun(1, {}, 0).rate!, plannedPerSec: 1 },
      }, 1),
    ),
    "  Rate: 0.67 of 1 requests/sec asked (33.3% short): the plan had only 1 request due in the time run: the rate " +
      "was kept",
  );
  // A shard whose one lane has no slot in the time run (-R 2 -c3 -d1s, shard 2 of 3: its slot is at 1.25 s).
  const shard = withDue({
    ...shortRun(0, {}, 0),
    rate: { ...shortRun(0, {}, 0).rate!, plannedPerSec: 2 / 3 },
  }, 0);
  assertEquals(
    rateLine(shard),
    "  Rate: 0.00 of 0.67 requests/sec asked (100.0% short): the plan had no request due in the time run: the rate " +
      "was kept",
  );
  // A merge of two shards that started 16 ms apart: each sent and got its plan, the merged time spans both.
  assertEquals(
    rateLine(withDue({ ...shortRun(1000, {}, 0, 1000), runtimeUs: 1_016_000 }, 1000)),
    "  Rate: 984.25 of 1000 requests/sec asked (1.6% short): the plan had only 1000 requests due in the time run: " +
      "the rate was kept",
  );
  // Within 1 % of the requests due counts as kept, as against -R.
  assertStringIncludes(
    rateLine(withDue({ ...shortRun(990, {}, 0), runtimeUs: 1_100_000 }, 1000))!,
    "the plan had only 1000 requests due",
  );
  // The answers, not the sends, must meet the plan for this reason.
  assertStringIncludes(
    rateLine(withDue(shortRun(800, {}, 0, 1000), 1000))!,
    "200 requests were still in flight",
  );
});

Deno.test("formatRateReport() judges the requests sent against the requests due, keeping the reasons for real shortfalls", () => {
  // 1.2 s run whose plan had 1000 due (not 1200): all 1000 went, 200 answers were on their way.
  assertStringIncludes(
    rateLine(withDue({ ...shortRun(800, {}, 0, 1000), runtimeUs: 1_200_000 }, 1000))!,
    "(33.3% short): 200 requests were still in flight at the end (not counted): the rate was kept",
  );
  // Sent short of the requests due: the lanes, or the client.
  assertStringIncludes(
    rateLine(withDue(shortRun(900, {}, 0, 900), 1000))!,
    "(10.0% short): the client could not keep pace: add -t, or run on more cores",
  );
  assertStringIncludes(
    rateLine(withDue(shortRun(900, {}, 100, 900), 1000))!,
    "(10.0% short): requests waited for busy connections",
  );
  // A server that never answered (within a --timeout longer than the run): one batch per lane, none late, the
  // rest of the plan never sent. More connections would only hold more unanswered requests: the server is named.
  const unanswered = withDue(shortRun(0, {}, 0, 1), 100);
  assertStringIncludes(
    rateLine({ ...unanswered, rate: { ...unanswered.rate!, busiestThreadShare: 0.01 } })!,
    "(100.0% short): the server answered none of the 1 request sent",
  );
  // Its requests timed out (counted once each, -R keeping them awaited): still the server, not "errors".
  const timedOut = withDue(shortRun(0, { timeout: 1 }, 0, 1), 100);
  assertStringIncludes(rateLine(timedOut)!, "(100.0% short): the server answered none of the 1 request sent");
  // Reset instead: the errors say more.
  assertStringIncludes(rateLine(withDue(shortRun(0, { read: 1 }, 0, 1), 100))!, "errors cut the rate");
  assertStringIncludes(
    rateLine(withDue(shortRun(800, { connect: 2 }, 0, 1000), 1000))!,
    "errors cut the rate",
  );
});

Deno.test("formatRateReport() never says the rate was kept when threads did not finish: their figures are missing", () => {
  // -R 10 -d1s with a response() that never returns: no request counted, and the plan's slots held by it.
  const stuck = { ...withDue(shortRun(0, {}, 0, 0), 0), unfinishedThreads: [1] };
  assertStringIncludes(
    rateLine(stuck)!,
    "(100.0% short): a thread did not finish (see below): its figures are missing",
  );
  const merged = { ...withDue(shortRun(500, {}, 0, 500), 500), unfinishedThreads: [3, 4] };
  assertStringIncludes(rateLine(merged)!, "2 threads did not finish (see below): their figures are missing");
  const report = formatRateReport(stuck, { latency: false, uncorrected: false });
  assert(report.indexOf("  Rate: ") < report.indexOf("  Threads that did not finish: 1"));
});

Deno.test("formatRateReport() blames a client thread busy nearly all the time before the connections", () => {
  const late = withDue(shortRun(900, {}, 100, 900), 1000);
  const busy = { ...late, rate: { ...late.rate!, busiestThreadShare: 0.974 } };
  assertStringIncludes(
    rateLine(busy)!,
    "(10.0% short): the client could not keep pace (a thread was busy 97% of the time): add -t, or run on more " +
      "cores",
  );
  const idle = { ...late, rate: { ...late.rate!, busiestThreadShare: 0.4 } };
  assertStringIncludes(rateLine(idle)!, "requests waited for busy connections");
});

Deno.test("formatRateReport() blames a client thread that waited for a core, and says more threads would not help", () => {
  const late = withDue(shortRun(900, {}, 100, 900), 1000);
  const starved = {
    ...late,
    rate: { ...late.rate!, busiestThreadShare: 0.42, busiestThreadCoreWaitShare: 0.55 },
  };
  assertStringIncludes(
    rateLine(starved)!,
    "(10.0% short): the client could not keep pace (a thread was busy 42% of the time and waited 55% for a " +
      "core): other work shares the client's cores; give it cores of its own",
  );
  // Busy more than waiting: the advice for a busy thread; a little waiting is not worth a word.
  const busy = {
    ...late,
    rate: { ...late.rate!, busiestThreadShare: 0.75, busiestThreadCoreWaitShare: 0.2 },
  };
  assertStringIncludes(
    rateLine(busy)!,
    "(a thread was busy 75% of the time and waited 20% for a core): add -t, or run on more cores",
  );
  const busier = {
    ...late,
    rate: { ...late.rate!, busiestThreadShare: 0.88, busiestThreadCoreWaitShare: 0.05 },
  };
  assertStringIncludes(
    rateLine(busier)!,
    "(a thread was busy 88% of the time): add -t, or run on more cores",
  );
  // Neither on a core nor waiting for one much of the time: the connections were the limit.
  const idle = { ...late, rate: { ...late.rate!, busiestThreadShare: 0.4, busiestThreadCoreWaitShare: 0.3 } };
  assertStringIncludes(rateLine(idle)!, "requests waited for busy connections");
});

Deno.test("formatRateReport() does not call requests in flight what no connection could still hold, nor blame a full plan for a run that overran -d", () => {
  // 4 connections sent 900 and 756 came back: nginx's keepalive_requests closed connections in the middle of
  // pipelined batches, and the rest of each batch was lost, uncounted, as in wrk.
  assertEquals(
    rateLine(withDue({ ...shortRun(756, {}, 0, 900), connections: 4, runtimeUs: 900_000 }, 900)),
    "  Rate: 840.00 of 1000 requests/sec asked (16.0% short): 144 requests sent got no answer (in flight at the " +
      "end, or lost with a connection closed in the middle of a pipelined batch): the requests went out at the rate asked",
  );
  // -d1s whose threads stopped 40 ms late: every request of the full plan answered, the rate over 1.04 s.
  assertEquals(
    rateLine(withDue({ ...shortRun(1000, {}, 0, 1000), durationMs: 1000, runtimeUs: 1_040_000 }, 1000)),
    "  Rate: 961.54 of 1000 requests/sec asked (3.8% short): the run took 1.04s for 1.00s of -d (threads that " +
      "stopped late, or shards started apart), and the rate counts the time run: the requests due were answered",
  );
});
