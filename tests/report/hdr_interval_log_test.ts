/**
 * The interval log's text (lib/report/hdr_interval_log.ts): the header and lines Java's HistogramLogWriter
 * writes, read back by hdr-histogram-js's HistogramLogReader with the histograms, tags and times we put in.
 */
import { assert, assertEquals, assertMatch } from "@std/assert";
import * as hdr from "hdr-histogram-js";
import type { LatencyInterval } from "../../lib/merge/interval_merge.ts";
import {
  formatHdrLogHeader,
  formatHdrLogInterval,
  LATENCY_TAG,
  UNCORRECTED_TAG,
} from "../../lib/report/hdr_interval_log.ts";
import { decodeStats } from "../../lib/stats/hdr_codec.ts";
import { Stats } from "../../lib/stats/stats.ts";

const START_EPOCH_MS = 1_700_000_000_250;

function stats(...latenciesUs: number[]): Stats {
  const result = new Stats();
  for (const us of latenciesUs) result.record(us);
  return result;
}

function interval(index: number, startMs: number, lengthMs: number, latency: Stats, uncorrected?: Stats) {
  return {
    index,
    startMs,
    lengthMs,
    latency,
    uncorrectedLatency: uncorrected ?? null,
  } satisfies LatencyInterval;
}

Deno.test("the header is format 1.3 with the start and base time in seconds since the epoch, then the legend", () => {
  assertEquals(
    formatHdrLogHeader(START_EPOCH_MS, "wrk-deno 0.1.0"),
    [
      "#[Logged with wrk-deno 0.1.0]",
      "#[Histogram log format version 1.3]",
      "#[StartTime: 1700000000.250 (seconds since epoch), 2023-11-14T22:13:20.250Z]",
      "#[BaseTime: 1700000000.250 (seconds since epoch)]",
      `"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"`,
      "",
    ].join("\n"),
  );
});

Deno.test("an interval line carries its tag, start, length, max in ms and the histogram, all µs values exact", () => {
  const line = formatHdrLogInterval(interval(2, 2000.2, 1000.1, stats(150, 150, 1999)));
  const [tag, start, length, max, base64, ...rest] = line.trimEnd().split(",");
  assertEquals([tag, start, length, max, rest], ["Tag=latency", "2.000", "1.000", "1.999", []]);
  assert(line.endsWith("\n") && !line.slice(0, -1).includes("\n"));
  assertEquals(decodeStats(base64).bucketCounts(), stats(150, 150, 1999).bucketCounts());
});

Deno.test("Interval_Max is the top of the largest sample's bucket, as HdrHistogram's getMaxValue() gives it", () => {
  // 5000 µs shares a bucket of width 4 (5000–5003) with its neighbours.
  const line = formatHdrLogInterval(interval(0, 0, 1000, stats(5000)));
  assertEquals(line.split(",")[3], "5.003");
  const empty = formatHdrLogInterval(interval(0, 0, 1000, new Stats()));
  assertEquals(empty.split(",").slice(1, 4), ["0.000", "1.000", "0.000"]);
});

Deno.test("consecutive intervals meet exactly: start and end rounded to the ms, the length their difference", () => {
  const first = formatHdrLogInterval(interval(0, 0, 999.6, stats(1)));
  const second = formatHdrLogInterval(interval(1, 999.6, 1000.8, stats(1)));
  assertEquals(first.split(",").slice(1, 3), ["0.000", "1.000"]);
  assertEquals(second.split(",").slice(1, 3), ["1.000", "1.000"]);
});

Deno.test("with -R an interval is two lines, latency then uncorrected, over the same time", () => {
  const lines = formatHdrLogInterval(interval(3, 3000, 512, stats(900, 1200), stats(100))).split("\n");
  assertEquals(lines.length, 3);
  assertMatch(lines[0], /^Tag=latency,3\.000,0\.512,1\.200,HISTF/);
  assertMatch(lines[1], /^Tag=uncorrected,3\.000,0\.512,0\.100,HISTF/);
  assertEquals(lines[2], "");
});

Deno.test("hdr-histogram-js's HistogramLogReader reads the log back: tags, times since the epoch, counts, values", () => {
  const log = formatHdrLogHeader(START_EPOCH_MS) +
    formatHdrLogInterval(interval(0, 0, 1000, stats(100, 200, 300), stats(50))) +
    formatHdrLogInterval(interval(1, 1000, 400, stats(7000), stats(60, 70)));
  assertEquals(hdr.listTags(log), [LATENCY_TAG, UNCORRECTED_TAG]);
  const reader = new hdr.HistogramLogReader(log, 64);
  const read: [string, number, number, number, number][] = [];
  for (let h = reader.nextIntervalHistogram(); h !== null; h = reader.nextIntervalHistogram()) {
    read.push([
      h.tag ?? "",
      h.startTimeStampMsec - START_EPOCH_MS,
      h.endTimeStampMsec - h.startTimeStampMsec,
      h.totalCount,
      h.getValueAtPercentile(100),
    ]);
  }
  const rounded = read.map((
    [tag, start, length, count, max],
  ) => [tag, Math.round(start), Math.round(length), count, max]);
  assertEquals(rounded, [
    [LATENCY_TAG, 0, 1000, 3, 300],
    [UNCORRECTED_TAG, 0, 1000, 1, 50],
    // 7000 µs: its bucket's highest equivalent value, as HdrHistogram reports percentiles.
    [LATENCY_TAG, 1000, 400, 1, 7003],
    [UNCORRECTED_TAG, 1000, 400, 2, 70],
  ]);
});
