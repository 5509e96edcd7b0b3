/**
 * A test split over processes, as it would be over machines: `--shard-index`/`--shard-count` share `-c` and `-R`
 * out exactly, `--start-at` starts the shards together, and `wrk.shard` tells scripts their part. Real
 * processes against one counting loopback server.
 */
import { assert, assertAlmostEquals, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { CLI_PERMISSIONS, runCli } from "./helpers/cli.ts";
import { ok, startServer } from "./helpers/server.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

const CLI = new URL("../cli.ts", import.meta.url).pathname;

/** Unix seconds `seconds` from now, with milliseconds, as `--start-at` takes them. */
function secondsFromNow(seconds: number): string {
  return ((Date.now() + seconds * 1000) / 1000).toFixed(3);
}

Deno.test("three shards of -c 7 -R 300 open exactly 7 connections between them and send 300 requests/s in all", async () => {
  const server = startServer();
  const dir = await Deno.makeTempDir({ prefix: "wrk-deno-shards-" });
  try {
    const startAt = secondsFromNow(3);
    const outcomes = await Promise.all([0, 1, 2].map((index) =>
      runCli([
        "-t1",
        "-c7",
        "-R300",
        "-d2s",
        "--shard-index",
        `${index}`,
        "--shard-count=3",
        "--start-at",
        startAt,
        "--json",
        `${dir}/shard-${index}.json`,
        server.url,
      ])
    ));
    for (const outcome of outcomes) assertEquals(outcome.code, 0, outcome.stderr);
    // Each shard also made wrk's test connection before its run (three more, without requests).
    assertEquals(new Set(server.requests.map((request) => request.connection)).size, 7);
    assertEquals(server.connections(), 7 + 3);
    const documents: Json[] = await Promise.all(
      [0, 1, 2].map(async (index) => JSON.parse(await Deno.readTextFile(`${dir}/shard-${index}.json`))),
    );
    assertEquals(documents.map((d) => d.config.connections), [3, 2, 2]);
    assertEquals(documents.map((d) => d.shard.first_connection), [0, 3, 5]);
    assertEquals(new Set(documents.map((d) => d.test_id)).size, 1);
    assertMatch(documents[0].test_id, /^[0-9a-f]{64}$/);
    const planned = documents.map((d) => d.rate.planned_per_sec);
    assertAlmostEquals(planned.reduce((a: number, b: number) => a + b, 0), 300, 1e-9);
    assertAlmostEquals(planned[0], 300 * 3 / 7, 1e-9);
    // Each shard kept its part of the rate; between them, the test's.
    for (const d of documents) {
      assertAlmostEquals(d.rate.achieved_per_sec, d.rate.planned_per_sec, d.rate.planned_per_sec * 0.05);
    }
    const requests = documents.reduce((sum: number, d: Json) => sum + d.requests, 0);
    assertAlmostEquals(requests, 600, 30);
    assert(requests <= server.requests.length && server.requests.length <= requests + 7);
    assertStringIncludes(
      outcomes[1].stdout,
      "\n  shard 1 of 3: connections 3-4 of 7, 85.71 of 300 requests/sec\n",
    );
    // Started together: the shards' clocks begin within a few milliseconds, and not before --start-at.
    const starts = documents.map((d) => Date.parse(d.start));
    assert(
      Math.max(...starts) - Math.min(...starts) <= 50,
      `starts spread over ${Math.max(...starts) - Math.min(...starts)} ms`,
    );
    assert(
      Math.min(...starts) >= Number(startAt) * 1000,
      `${Math.min(...starts)} before ${Number(startAt) * 1000}`,
    );
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("wrk.shard gives scripts their shard in every state, and 0 of 1 when the test is not split", async () => {
  const server = startServer((request) => ok(request.path));
  const dir = await Deno.makeTempDir({ prefix: "wrk-deno-shards-" });
  try {
    const script = `${dir}/shard.lua`;
    await Deno.writeTextFile(
      script,
      [
        `request = function() return wrk.format(nil, "/part/" .. wrk.shard.index .. "/" .. wrk.shard.count) end`,
        `done = function() print("shard " .. wrk.shard.index .. " of " .. wrk.shard.count) end`,
      ].join("\n") + "\n",
    );
    const sharded = await runCli([
      "-t1",
      "-c4",
      "-d300ms",
      "--shard-index=1",
      "--shard-count=2",
      "-s",
      script,
      server.url,
    ]);
    assertEquals(sharded.code, 0, sharded.stderr);
    assertStringIncludes(sharded.stdout, "\nshard 1 of 2\n");
    const whole = await runCli(["-t1", "-c1", "-d300ms", "-s", script, server.url]);
    assertEquals(whole.code, 0, whole.stderr);
    assertStringIncludes(whole.stdout, "\nshard 0 of 1\n");
    const paths = new Set(server.requests.map((request) => request.path));
    assert(paths.has("/part/1/2") && paths.has("/part/0/1"), [...paths].join(" "));
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a --start-at the run's preparation overran says so, and asks for more lead time, not a future time", async () => {
  const server = startServer();
  const dir = await Deno.makeTempDir();
  try {
    // init() takes 3 s; the start was 1.5 s ahead when the process began.
    await Deno.writeTextFile(
      `${dir}/slow.lua`,
      "function init() local t = os.clock() while os.clock() - t < 3 do end end\n",
    );
    const { code, stderr } = await runCli([
      "-t1",
      "-c1",
      "-d300ms",
      "--start-at",
      secondsFromNow(1.5),
      "-s",
      `${dir}/slow.lua`,
      server.url,
    ]);
    assertEquals(code, 1);
    assertMatch(
      stderr,
      /--start-at \S+Z passed while the run was being prepared \(the pre-flight, the script's top level, setup\(\) and init\(\) took [\d.]+s\): give it more lead time\n$/,
    );
    assertEquals(server.requests.length, 0);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a --start-at already past is one line and exit 1; within a second's grace the run starts at once", async () => {
  const server = startServer();
  try {
    const late = await runCli(["-t1", "-c1", "-d300ms", "--start-at", secondsFromNow(-30), server.url]);
    assertEquals(late.code, 1);
    assertMatch(
      late.stderr,
      /^--start-at \S+Z passed 3\d\.\ds ago \(a start may be up to 1s late\): give a time in the future\n$/,
    );
    assertEquals(server.requests.length, 0);
    const justPast = await runCli(["-t1", "-c1", "-d300ms", "--start-at", secondsFromNow(0.5), server.url]);
    assertEquals(justPast.code, 0, justPast.stderr);
    assert(server.requests.length > 0);
    // Ahead: where no live line counts down (not a terminal), one line says what the process waits for.
    const ahead = await runCli(["-t1", "-c1", "-d300ms", "--start-at", secondsFromNow(2), server.url]);
    assertEquals(ahead.code, 0, ahead.stderr);
    assertMatch(ahead.stderr, /^waiting for --start-at \S+Z to start\n$/);
    // A time over a day away is surely a wrong one (a shard would hang silently in CI logs).
    const far = await runCli(["-t1", "-c1", "-d300ms", "--start-at", secondsFromNow(3 * 86_400), server.url]);
    assertEquals(far.code, 1);
    assertMatch(
      far.stderr,
      /^--start-at \S+Z is 72\.0 hours away \(a shard waits at most 24 hours\): give a nearer time\n$/,
    );
  } finally {
    await server.close();
  }
});

Deno.test("shard flags that cannot describe a shard are usage errors naming what to change", async () => {
  const cases: [string[], string][] = [
    [["--shard-index", "1"], "--shard-index needs --shard-count (how many shards the test has)"],
    [["--shard-count", "2"], "--shard-count needs --shard-index (this process's shard, from 0)"],
    [
      ["--shard-index", "2", "--shard-count", "2"],
      "shard index must be below the shard count: 2 is not in 0…1",
    ],
    [
      ["-t2", "-c5", "--shard-index", "2", "--shard-count", "3"],
      "shard 2 of 3 gets 1 of the 5 connections, fewer than its 2 threads: raise -c to at least 6 or lower -t",
    ],
    [
      // Shard 0 alone would have its connection; shard 1 none, and the merge would refuse shard 0's result.
      ["-t1", "-c1", "--shard-index", "0", "--shard-count", "2"],
      "--shard-count 2 is more than the test's 1 connections, so some shards get none: raise -c to at least 2 " +
      "or lower --shard-count",
    ],
    [
      ["--start-at", "1794807312383"],
      "option '--start-at': invalid time: '1794807312383' looks like milliseconds; give Unix seconds (such as $(date +%s))",
    ],
    [
      ["--start-at", "2026-11-31T00:00:00Z"],
      "option '--start-at': invalid time: '2026-11-31T00:00:00Z' is no such date or time",
    ],
    [
      ["--start-at", "2026-12-06T24:00:00Z"],
      "option '--start-at': invalid time: '2026-12-06T24:00:00Z' is no such date or time",
    ],
    [
      ["--start-at", "tomorrow"],
      "option '--start-at': invalid time: 'tomorrow' (use RFC 3339 with a zone, such as 2026-12-06T12:00:00Z, or Unix seconds)",
    ],
  ];
  for (const [flags, message] of cases) {
    const outcome = await runCli([...flags, "http://127.0.0.1:1/"]);
    assertEquals(outcome.code, 1, flags.join(" "));
    assertEquals(outcome.stderr.split("\n")[0], message);
  }
});

Deno.test({
  name: "waiting for --start-at shows on a terminal's progress line",
  ignore: (() => {
    try {
      return !new Deno.Command("script", { args: ["--version"], stdout: "null", stderr: "null" }).outputSync()
        .success;
    } catch {
      return true;
    }
  })(),
  async fn() {
    const server = startServer();
    try {
      const args = [Deno.execPath(), "run", ...CLI_PERMISSIONS, CLI, "-t1", "-c1", "-d300ms"];
      const command = [...args, "--start-at", secondsFromNow(3), server.url].map((arg) => `'${arg}'`).join(
        " ",
      );
      const output = await new Deno.Command("script", {
        args: ["-qfec", command, "/dev/null"],
        stdin: "null",
        stdout: "piped",
        env: { NO_COLOR: "1", TERM: "xterm" },
      }).output();
      const seen = new TextDecoder().decode(output.stdout);
      assertEquals(output.code, 0, seen);
      // deno-lint-ignore no-control-regex -- the terminal's erase-line sequence is what is tested
      assertMatch(seen, /\r\x1b\[2K {2}starting in [12]\.\ds \(--start-at\)/);
      assertMatch(seen, /Requests\/sec:/);
    } finally {
      await server.close();
    }
  },
});

Deno.test("a shard with fewer connections than this machine's -t still writes --json and --summary saying why, which merge names", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const json = `${dir}/shard-0.json`;
    const summary = `${dir}/summary.md`;
    const args = [
      "-t4",
      "-c4",
      "-d1s",
      "--shard-index",
      "0",
      "--shard-count",
      "3",
      "--json",
      json,
      "--summary",
    ];
    const outcome = await runCli([...args, summary, "http://127.0.0.1:9/"]);
    const why =
      "shard 0 of 3 gets 2 of the 4 connections, fewer than its 4 threads: raise -c to at least 12 or lower -t";
    assertEquals(outcome.code, 1);
    assert(outcome.stderr.startsWith(`${why}\nUsage: wrk <options> <url>`), outcome.stderr);
    const document = JSON.parse(await Deno.readTextFile(json));
    assertEquals([document.error, document.start, document.shard.index], [why, null, 0]);
    assertStringIncludes(await Deno.readTextFile(summary), why);
    const merged = await runCli(["merge", json]);
    assertEquals(merged.code, 1);
    assertEquals(merged.stderr, `${json}: shard 0 did not run: ${why} (--allow-partial leaves it out)\n`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
