/**
 * `deno run -A bench/merge_bench.ts [shards] [minutes]`: how long `wrk-deno merge` takes, and how much memory,
 * for the results of a test split over many machines (default 100 shards of a 10-minute run). It writes the
 * shards' `--json` results with the real formatter (lib/report/json_result.ts) from histograms shaped as long
 * runs' are (log-normal latency with a tail to seconds, every shard with its own median and spread, coordinated
 * omission corrected; one Req/Sec sample per thread every 100 ms), then runs the merge as users do: its own
 * process under GNU time (`/usr/bin/time -v`, for the peak RSS), with the documented permissions. A one-shard
 * merge gives the fixed cost of starting the process. Figures go to docs/benchmarks.md by hand.
 *
 * Needs GNU time (`apt-get install time`).
 */

import { PERMISSIONS } from "../scripts/compile.ts";
import { formatJsonResult, parseArgs, type RunResult, Stats } from "../mod.ts";
import { testIdentity } from "../lib/config/test_identity.ts";
import { bucketIndexOf, lowestValueOf } from "../lib/stats/recorder.ts";
import { seededRandom } from "../tests/merge/_shards.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const decoder = new TextDecoder();

/**
 * `total` samples spread log-normally around `median` (σ `sigma` in log space) from `low` to `high`, counted
 * bucket by bucket (recording millions of samples one by one would take longer than the merge measured).
 */
function logNormal(total: number, median: number, sigma: number, low: number, high: number): Stats {
  const stats = new Stats();
  const first = bucketIndexOf(low);
  const last = bucketIndexOf(high);
  const density = (x: number) => Math.exp(-((Math.log(x / median) ** 2) / (2 * sigma * sigma))) / x;
  const masses: number[] = [];
  let sum = 0;
  for (let index = first; index <= last; index++) {
    const width = lowestValueOf(index + 1) - lowestValueOf(index);
    const mass = density(lowestValueOf(index) + width / 2) * width;
    masses.push(mass);
    sum += mass;
  }
  masses.forEach((mass, i) => stats.recordCount(lowestValueOf(first + i), Math.round((mass / sum) * total)));
  return stats;
}

/** Shard `index` of `count` of `-t4 -c(40 × count) -d<minutes>m`, as its process would have written it. */
async function shardJson(index: number, count: number, minutes: number, startMs: number): Promise<string> {
  const random = seededRandom(index + 1);
  const command = [
    "-t4",
    "-c",
    `${40 * count}`,
    "-d",
    `${minutes}m`,
    "--latency",
    "--shard-index",
    `${index}`,
    "--shard-count",
    `${count}`,
    "https://staging.example.com/api/items",
  ];
  const config = parseArgs(command);
  const runtimeUs = minutes * 60_000_000 + Math.round(random() * 20_000);
  const perSecond = 12_000 + random() * 6_000;
  const requests = Math.round(perSecond * runtimeUs / 1e6);
  const medianUs = 600 + random() * 2_400;
  const latency = logNormal(requests, medianUs, 0.5 + random() * 0.5, 40, 2_500_000);
  // wrk's correction, as the shard's process applies it (lib/merge/merge_reports.ts).
  latency.correct(Math.floor(runtimeUs / Math.floor(requests / config.connections)));
  const samplesPerThread = minutes * 600;
  const requestRate = logNormal(4 * samplesPerThread, perSecond / 40, 0.15, 100, 20_000);
  const errors = {
    connect: 0,
    read: Math.round(random() * 30),
    write: 0,
    status: Math.round(random() * 900),
    timeout: 2,
  };
  const result: RunResult = {
    url: config.target.url,
    threads: config.threads,
    connections: config.connections,
    durationMs: config.durationMs,
    runtimeUs,
    requests,
    bytesRead: requests * 412,
    errors,
    errorReasons: [
      { category: "read", reason: "ECONNRESET", count: errors.read },
      { category: "timeout", reason: "no response within --timeout", count: errors.timeout },
    ],
    statusCodes: { "200": requests - errors.status, "429": errors.status },
    startedAt: new Date(startMs + Math.round(random() * 5)).toISOString(),
    latency,
    uncorrectedLatency: null,
    requestRate,
    rate: null,
    unfinishedThreads: [],
  };
  return formatJsonResult(result, {
    config,
    command,
    version: "0.1.0",
    testId: await testIdentity(config, null),
    thresholds: null,
    error: null,
  });
}

interface Measured {
  wallS: number;
  maxRssMiB: number;
  userS: number;
  systemS: number;
}

/** Runs `cli.ts merge <args>` under GNU time; its report is checked, its figures returned. */
async function timedMerge(args: string[]): Promise<Measured> {
  const output = await new Deno.Command("/usr/bin/time", {
    args: ["-v", Deno.execPath(), "run", ...PERMISSIONS, `${ROOT}cli.ts`, "merge", ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = decoder.decode(output.stderr);
  if (output.code !== 0) throw new Error(`merge failed (${output.code}):\n${stderr}`);
  if (!/requests in /.test(decoder.decode(output.stdout))) throw new Error("no report");
  const field = (name: string) => {
    const match = stderr.match(new RegExp(`${name}: (.+)`));
    if (match === null) throw new Error(`no "${name}" in GNU time's output`);
    return match[1].trim();
  };
  const wall = field("Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\)").split(":").map(Number);
  return {
    wallS: wall.reduce((total, part) => total * 60 + part, 0),
    maxRssMiB: Number(field("Maximum resident set size \\(kbytes\\)")) / 1024,
    userS: Number(field("User time \\(seconds\\)")),
    systemS: Number(field("System time \\(seconds\\)")),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const shards = Number(Deno.args[0] ?? 100);
const minutes = Number(Deno.args[1] ?? 10);
const dir = await Deno.makeTempDir({ prefix: "wrk-deno-merge-bench-" });
try {
  const startMs = Date.now() - minutes * 60_000 - 60_000;
  const paths: string[] = [];
  let bytes = 0;
  for (let index = 0; index < shards; index++) {
    const path = `${dir}/shard-${index}.json`;
    const text = await shardJson(index, shards, minutes, startMs);
    bytes += text.length;
    await Deno.writeTextFile(path, text);
    paths.push(path);
  }
  console.log(
    `${shards} shards of a ${minutes}-minute run: ${(bytes / 1024).toFixed(0)} KiB of JSON in ${dir}`,
  );
  const rounds = 5;
  const cases: [string, string[]][] = [
    [`merge of ${shards} shards (--latency --json)`, ["--latency", "--json", `${dir}/merged.json`, ...paths]],
    ["merge of 1 shard (--allow-partial): the process's fixed cost", ["--allow-partial", paths[0]]],
  ];
  for (const [name, args] of cases) {
    const samples: Measured[] = [];
    for (let round = 0; round < rounds; round++) samples.push(await timedMerge(args));
    console.log(
      `${name}: wall ${median(samples.map((s) => s.wallS)).toFixed(2)} s, user ${
        median(samples.map((s) => s.userS)).toFixed(2)
      } s, sys ${median(samples.map((s) => s.systemS)).toFixed(2)} s, max RSS ${
        median(samples.map((s) => s.maxRssMiB)).toFixed(1)
      } MiB (medians of ${rounds})`,
    );
  }
  const merged = JSON.parse(await Deno.readTextFile(`${dir}/merged.json`));
  console.log(
    `merged: ${merged.requests} requests, ${merged.latency.count} latency samples, p99 ${
      merged.latency.percentiles["99"]
    } µs, ${merged.config.threads} threads and ${merged.config.connections} connections`,
  );
} finally {
  await Deno.remove(dir, { recursive: true });
}
