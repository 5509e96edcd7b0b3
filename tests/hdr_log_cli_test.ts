/**
 * `--hdr-log FILE` from the command line, in real processes against loopback servers: the latency of each
 * second written as HdrHistogram's interval log while the run goes, read back with hdr-histogram-js's
 * HistogramLogReader (and with HdrHistogram's own Java HistogramLogProcessor when java and its jar are on the
 * machine), checked against the run's `--json` result; a stalling server seen in the right second; `-R`'s two
 * tags; a killed run's log; a path that cannot be written refused before the run.
 */
import { assert, assertEquals, assertMatch } from "@std/assert";
import * as hdr from "hdr-histogram-js";
import { decodeStats } from "../lib/stats/hdr_codec.ts";
import { Stats } from "../lib/stats/stats.ts";
import { runCli, spawnCli } from "./helpers/cli.ts";
import { withServerAndTempDir } from "./helpers/scoped.ts";
import { ok, startServer } from "./helpers/server.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

/** One interval line, its fields as written. */
interface LogLine {
  tag: string;
  startS: number;
  lengthS: number;
  maxMs: number;
  histogram: string;
}

/** The log's `#` lines and legend, and its interval lines. */
function parseLog(text: string): { header: string[]; lines: LogLine[] } {
  const all = text.split("\n");
  assertEquals(all.pop(), "", "the log ends with a newline");
  const header = all.filter((line) => line.startsWith("#") || line.startsWith('"'));
  const lines = all.filter((line) => line.startsWith("Tag=")).map((line) => {
    const [tag, start, length, max, histogram, ...rest] = line.split(",");
    assertEquals(rest, [], line);
    return {
      tag: tag.slice("Tag=".length),
      startS: Number(start),
      lengthS: Number(length),
      maxMs: Number(max),
      histogram,
    };
  });
  assertEquals(header.length + lines.length, all.length, "only header and interval lines");
  return { header, lines };
}

/** Every interval as hdr-histogram-js's HistogramLogReader gives it. */
function readIntervals(text: string): hdr.Histogram[] {
  const reader = new hdr.HistogramLogReader(text, 64);
  const intervals: hdr.Histogram[] = [];
  for (let h = reader.nextIntervalHistogram(); h !== null; h = reader.nextIntervalHistogram()) {
    intervals.push(h);
  }
  return intervals;
}

/** The log's `#[StartTime: …]`, in ms since the epoch. */
function startTimeMs(header: string[]): number {
  const line = header.find((l) => l.startsWith("#[StartTime: "));
  assert(line !== undefined, header.join("\n"));
  return Math.round(Number(line.split(" ")[1]) * 1000);
}

/** HdrHistogram's jar from the local Maven repository, when java can run it; null otherwise. */
async function hdrHistogramJar(): Promise<string | null> {
  const folder = `${Deno.env.get("HOME") ?? "/root"}/.m2/repository/org/hdrhistogram/HdrHistogram`;
  try {
    await new Deno.Command("java", { args: ["-version"], stdout: "null", stderr: "null" }).output();
    for await (const version of Deno.readDir(folder)) {
      const jar = `${folder}/${version.name}/HdrHistogram-${version.name}.jar`;
      if ((await Deno.stat(jar).catch(() => null))?.isFile) return jar;
    }
  } catch {
    // No java, or no jar.
  }
  return null;
}

const JAR = await hdrHistogramJar();

const TEMP_PREFIX = "wrk-deno-hdr-log-";

/**
 * Runs the CLI with `flags` and `--hdr-log <dir>/<name>.hlog --json <dir>/<name>.json` against `url`, and
 * checks that it exits 0; returns its outcome, the log's text and the JSON result.
 */
async function runLogged(flags: string[], dir: string, name: string, url: string) {
  const [log, json] = [`${dir}/${name}.hlog`, `${dir}/${name}.json`];
  const outcome = await runCli([...flags, "--hdr-log", log, "--json", json, url]);
  assertEquals(outcome.code, 0, outcome.stderr);
  const document: Json = JSON.parse(await Deno.readTextFile(json));
  return { outcome, text: await Deno.readTextFile(log), document };
}

Deno.test("--hdr-log writes one line a second from the run's start and a last partial one, holding every sample", async (t) => {
  await withServerAndTempDir(startServer(), TEMP_PREFIX, async (server, dir) => {
    const { outcome, text, document } = await runLogged(["-t2", "-c4", "-d3.5s"], dir, "run", server.url);
    assertEquals(outcome.stderr, "");
    const { header, lines } = parseLog(text);

    assertMatch(header[0], /^#\[Logged with wrk-deno \d+\.\d+\.\d+\]$/);
    assertEquals(header[1], "#[Histogram log format version 1.3]");
    assertMatch(header[2], /^#\[StartTime: \d+\.\d{3} \(seconds since epoch\), \d{4}-\d\d-\d\dT[\d:.]+Z\]$/);
    assertEquals(
      header[3],
      header[2].replace(/^#\[StartTime: (\S+) .*$/, "#[BaseTime: $1 (seconds since epoch)]"),
    );
    assertEquals(
      header[4],
      '"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"',
    );
    // The log's start is the run's (the JSON result's `start`, to the millisecond).
    assertEquals(startTimeMs(header), Date.parse(document.start));

    // 3.5 s: three whole seconds and a half one; each cut within a few ms of its second, the lines meeting exactly.
    assertEquals(lines.map((line) => line.tag), ["latency", "latency", "latency", "latency"]);
    lines.forEach((line, k) =>
      assert(Math.abs(line.startS - k) < 0.1, `interval ${k} starts at ${line.startS}`)
    );
    assertEquals(lines[0].startS, 0);
    for (let k = 1; k < lines.length; k++) {
      assertEquals(
        Math.round(lines[k].startS * 1000),
        Math.round((lines[k - 1].startS + lines[k - 1].lengthS) * 1000),
      );
    }
    assert(Math.abs(lines[3].lengthS - 0.5) < 0.1, `the last interval lasts ${lines[3].lengthS} s`);
    const endS = lines[3].startS + lines[3].lengthS;
    assert(Math.abs(endS - document.duration_us / 1e6) <= 0.002, `the log ends at ${endS} s`);

    // hdr-histogram-js's reader: the same intervals, at the run's start plus k seconds.
    const intervals = readIntervals(text);
    assertEquals(intervals.length, 4);
    intervals.forEach((interval, k) => {
      assertEquals(interval.tag, "latency");
      assert(Math.abs(interval.startTimeStampMsec - startTimeMs(header) - k * 1000) < 100);
      assert(interval.totalCount > 0, `interval ${k} has samples`);
    });
    // Closed loop: the log holds the samples as measured, one per response (no timeouts here), while the
    // report's histogram adds wrk's correction samples once, after the run. So the log's total is the
    // responses, and the log's histograms merged and corrected as the run corrects them are the report's.
    assertEquals(document.errors.timeout, 0);
    const total = intervals.reduce((sum, interval) => sum + interval.totalCount, 0);
    assertEquals(total, document.requests);
    const merged = new Stats();
    for (const line of lines) merged.add(decodeStats(line.histogram));
    assertEquals(merged.count, total);
    merged.correct(Math.floor(document.duration_us / Math.floor(document.requests / 4)));
    assertEquals(merged.bucketCounts(), decodeStats(document.latency.hdr).bucketCounts());
    assertEquals(merged.count, document.latency.count);

    await t.step({
      name: "HdrHistogram's own HistogramLogProcessor (Java) reads the log: the same total count",
      ignore: JAR === null,
      fn: async () => {
        const output = await new Deno.Command("java", {
          args: [
            "-cp",
            JAR!,
            "org.HdrHistogram.HistogramLogProcessor",
            "-i",
            `${dir}/run.hlog`,
            "-tag",
            "latency",
            "-outputValueUnitRatio",
            "1000",
            "-o",
            `${dir}/processed`,
          ],
          stdout: "piped",
          stderr: "piped",
        }).output();
        assertEquals(output.code, 0, new TextDecoder().decode(output.stderr));
        const summary = await Deno.readTextFile(`${dir}/processed.hgrm`);
        const max = summary.match(/#\[Max\s+=\s+([\d.]+), Total count\s+=\s+(\d+)\]/);
        assert(max !== null, summary);
        assertEquals(Number(max[2]), total);
        // In ms with -outputValueUnitRatio 1000 (the histograms hold µs): the largest of the lines' maxima.
        assertEquals(Number(max[1]), Math.max(...lines.map((line) => line.maxMs)));
        const intervalLines = (await Deno.readTextFile(`${dir}/processed`)).split("\n")
          .filter((line) => /^\d+\.\d+: I:/.test(line));
        assertEquals(intervalLines.length, 4);
      },
    });
  });
});

Deno.test("--hdr-log: a server that stalls for a second shows a high max in the interval that saw it, and only there", async () => {
  let firstMs: number | null = null;
  let stalled = false;
  // One stall, for the first request that arrives 1.3 s after the first: answered at about 2.3 s.
  const stalling = startServer(() => {
    const nowMs = performance.now();
    firstMs ??= nowMs;
    if (stalled || nowMs - firstMs < 1300) return ok();
    stalled = true;
    return { ...ok(), delayMs: 1000 };
  });
  await withServerAndTempDir(stalling, TEMP_PREFIX, async (server, dir) => {
    const outcome = await runCli(["-t1", "-c1", "-d3.5s", "--hdr-log", `${dir}/stall.hlog`, server.url]);
    assertEquals(outcome.code, 0, outcome.stderr);
    assert(stalled);
    const text = await Deno.readTextFile(`${dir}/stall.hlog`);
    const { lines } = parseLog(text);
    assertEquals(lines.length, 4);
    // A latency is recorded when its response completes: the stalled one in the third second.
    assert(lines[2].maxMs >= 950 && lines[2].maxMs < 1500, `interval 2's max: ${lines[2].maxMs} ms`);
    for (const k of [0, 1, 3]) assert(lines[k].maxMs < 300, `interval ${k}'s max: ${lines[k].maxMs} ms`);
    const intervals = readIntervals(text);
    assert(intervals[2].getValueAtPercentile(100) >= 950_000);
    for (const k of [0, 1, 3]) assert(intervals[k].getValueAtPercentile(100) < 300_000);
  });
});

Deno.test("--hdr-log with -R writes the recorded latency under 'latency' and the uncorrected under 'uncorrected'", async () => {
  await withServerAndTempDir(startServer(), TEMP_PREFIX, async (server, dir) => {
    const { text, document } = await runLogged(
      ["-t2", "-c4", "-d2.5s", "-R", "400"],
      dir,
      "rate",
      server.url,
    );
    const { lines } = parseLog(text);
    assertEquals(lines.map((line) => line.tag), [
      "latency",
      "uncorrected",
      "latency",
      "uncorrected",
      "latency",
      "uncorrected",
    ]);
    for (let k = 0; k < lines.length; k += 2) {
      assertEquals([lines[k + 1].startS, lines[k + 1].lengthS], [lines[k].startS, lines[k].lengthS]);
    }
    assertEquals(hdr.listTags(text), ["latency", "uncorrected"]);
    // With -R no correction is added after the run: both logs hold exactly the result's samples.
    const intervals = readIntervals(text);
    const count = (tag: string) =>
      intervals.filter((h) => h.tag === tag).reduce((sum, h) => sum + h.totalCount, 0);
    assertEquals(count("latency"), document.latency.count);
    assertEquals(count("uncorrected"), document.uncorrected_latency.count);
    assert(document.latency.count > 0);
  });
});

Deno.test("--hdr-log: a run that is killed leaves a readable log of the seconds it ran", async () => {
  await withServerAndTempDir(startServer(), TEMP_PREFIX, async (server, dir) => {
    const path = `${dir}/killed.hlog`;
    const cli = spawnCli(["-t1", "-c2", "-d30s", "--hdr-log", path, server.url]);
    const deadline = performance.now() + 15_000;
    let text = "";
    while (performance.now() < deadline) {
      text = await Deno.readTextFile(path).catch(() => "");
      if ((text.match(/^Tag=/gm)?.length ?? 0) >= 2) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    cli.kill("SIGKILL");
    await cli.outcome();
    text = await Deno.readTextFile(path);
    const { lines } = parseLog(text);
    assert(lines.length >= 2, text);
    const intervals = readIntervals(text);
    assertEquals(intervals.length, lines.length);
    assert(intervals.every((interval) => interval.totalCount > 0));
  });
});

Deno.test("--hdr-log to a path that cannot be written is refused before the run, in one line, exit 1", async () => {
  await withServerAndTempDir(startServer(), TEMP_PREFIX, async (server, dir) => {
    for (
      const [path, problem] of [
        ["/no/such/folder/run.hlog", "the folder /no/such/folder does not exist"],
        [dir, "is a folder; name a file"],
      ]
    ) {
      const outcome = await runCli(["-t1", "-c1", "-d1s", "--hdr-log", path, server.url]);
      assertEquals(outcome.code, 1);
      assertEquals(outcome.stderr, `--hdr-log ${path}: ${problem}\n`);
      assertEquals(outcome.stdout, "");
    }
    assertEquals(server.requests.length, 0);
  });
});

Deno.test({
  name:
    "--hdr-log to a FIFO nobody reads is refused in one line after a few seconds; with a reader it is written",
  ignore: Deno.build.os === "windows",
  async fn() {
    await withServerAndTempDir(startServer(), TEMP_PREFIX, async (server, dir) => {
      const fifo = `${dir}/intervals`;
      await new Deno.Command("mkfifo", { args: [fifo] }).output();
      // Its open waits for a reader: on the run's thread, that held the process past its signals for good.
      const alone = await runCli(["-t1", "-c1", "-d1s", "--hdr-log", fifo, server.url]);
      assertEquals([alone.code, alone.stdout], [1, ""]);
      assertEquals(
        alone.stderr,
        `--hdr-log ${fifo}: nothing reads this FIFO (its open waited 3s): start its reader first\n`,
      );
      assertEquals(server.requests.length, 0);
      const reader = new Deno.Command("cat", { args: [fifo], stdout: "piped" }).spawn();
      try {
        const read = await runCli(["-t1", "-c1", "-d1200ms", "--hdr-log", fifo, server.url]);
        assertEquals(read.code, 0, read.stderr);
        const log = new TextDecoder().decode((await reader.output()).stdout);
        assertMatch(log, /^#\[Logged with wrk-deno /);
        assertMatch(log, /^Tag=latency,/m);
      } finally {
        // A run that failed before it opened the FIFO leaves the reader waiting for ever.
        try {
          reader.kill();
        } catch { /* it ended */ }
      }
    });
  },
});
