/**
 * `done(summary, latency, requests)` after a `-R` run reads the latency figures the report prints, as wrk2's
 * `done()` does (its stats object is the histogram: `hdr_min`, `hdr_max`, `hdr_mean`, `hdr_stddev`,
 * `hdr_value_at_percentile`; lib/script/_stats_userdata.ts `rateModeStatsView`), and a closed-loop run's
 * `done()` keeps wrk's figures: in both, `done()` and `--json` (which follows the report) agree.
 */
import { assert, assertEquals } from "@std/assert";
import { runCli } from "../helpers/cli.ts";
import { ok, startServer } from "../helpers/server.ts";

const DONE = `
function done(summary, latency, requests)
  io.write(string.format("%.17g %.17g %.17g %.17g", latency.min, latency.max, latency.mean, latency.stdev))
  for _, p in ipairs({ 50, 75, 90, 99, 99.9 }) do io.write(string.format(" %.17g", latency:percentile(p))) end
  io.write("\\n")
end`;

interface LatencyJson {
  min: number;
  max: number;
  mean: number;
  stdev: number;
  percentiles: Record<string, number>;
}

/** Runs `args` against a server whose answers take 0–6 ms (values past 2048 µs share buckets). */
async function doneAgainstJson(args: string[]): Promise<{ printed: number[]; json: LatencyJson }> {
  const server = startServer((_, index) => ({ ...ok(), delayMs: index % 7 }));
  const dir = await Deno.makeTempDir({ dir: "/tmp", prefix: "wrk-deno-done-rate-" });
  try {
    const script = `${dir}/done.lua`;
    await Deno.writeTextFile(script, DONE);
    const json = `${dir}/result.json`;
    const { code, stdout, stderr } = await runCli([...args, "-s", script, "--json", json, server.url]);
    assertEquals(code, 0, stderr);
    const line = stdout.split("\n").find((text) => /^[\d.e+-]+( [\d.e+-]+){8}$/.test(text));
    assert(line !== undefined, stdout);
    const result = JSON.parse(await Deno.readTextFile(json)) as { latency: LatencyJson };
    return { printed: line.split(" ").map(Number), json: result.latency };
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
}

function expected(json: LatencyJson): number[] {
  return [
    json.min,
    json.max,
    json.mean,
    json.stdev,
    ...["50", "75", "90", "99", "99.9"].map((p) => json.percentiles[p]),
  ];
}

Deno.test("done() after a -R run reads wrk2's latency figures, the report's and --json's", async () => {
  const { printed, json } = await doneAgainstJson(["-t1", "-c4", "-d1s", "-R", "400"]);
  assertEquals(printed, expected(json));
});

Deno.test("done() after a closed-loop run reads wrk's latency figures, the report's and --json's", async () => {
  const { printed, json } = await doneAgainstJson(["-t1", "-c4", "-d1s"]);
  assertEquals(printed, expected(json));
});

const INDEXING = `
function done(summary, latency, requests)
  local walked, sorted = 0, true
  for i = 1, #latency do
    walked = walked + latency[i]
    if i > 1 and latency[i] < latency[i - 1] then sorted = false end
  end
  io.write(string.format("count %d requests %d first %s %s last %s %s sorted %s mean %.6g %.6g type %s\\n",
    #latency, summary.requests, latency[1], latency:percentile(100 / #latency), latency[#latency],
    latency:percentile(100), tostring(sorted), walked / #latency, latency.mean, type(latency[1])))
end`;

Deno.test("done() after a -R run indexes latency as wrk2 does: #latency samples, latency[i] the value at rank i, in order; a closed-loop run keeps wrk's", async () => {
  const server = startServer((_, index) => ({ ...ok(), delayMs: index % 5 }));
  const dir = await Deno.makeTempDir({ dir: "/tmp", prefix: "wrk-deno-done-index-" });
  try {
    await Deno.writeTextFile(`${dir}/index.lua`, INDEXING);
    const rate = await runCli(["-t1", "-c4", "-d1s", "-R", "200", "-s", `${dir}/index.lua`, server.url]);
    assertEquals(rate.code, 0, rate.stderr);
    const line = rate.stdout.split("\n").find((text) => text.startsWith("count "))!;
    const [, count, requests, first, firstAt, last, lastAt, sorted, walkedMean, mean, type] = line.match(
      /^count (\d+) requests (\d+) first (\S+) (\S+) last (\S+) (\S+) sorted (\S+) mean (\S+) (\S+) type (\S+)$/,
    )!;
    // One sample per response: the count is the requests', not the distinct values'.
    assertEquals(count, requests);
    assert(Number(count) > 150, line);
    assertEquals([first, last, sorted, type], [firstAt, lastAt, "true", "number"]);
    // Walking the ranks visits every sample's bucket once: the mean of the walk is the histogram's.
    assert(Math.abs(Number(walkedMean) - Number(mean)) <= Number(mean) * 0.01, line);

    const closed = await runCli(["-t1", "-c4", "-d300ms", "-s", `${dir}/index.lua`, server.url]);
    assertEquals(closed.code, 0, closed.stderr);
    const closedLine = closed.stdout.split("\n").find((text) => text.startsWith("count "))!;
    // wrk's: #latency counts distinct values, and latency[i] reads the key itself, a string.
    assert(closedLine.endsWith(" type string"), closedLine);
    assert(/ first 1 /.test(closedLine), closedLine);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});
