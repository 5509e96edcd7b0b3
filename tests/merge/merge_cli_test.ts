/**
 * `wrk-deno merge` end to end: shard processes run a test together against one counting loopback server, then
 * the merge's own process reads their `--json` results and prints the whole test's report, thresholds and
 * results; its refusals (missing, duplicate, foreign, corrupt and failed shards) are one line and exit 1.
 */
import { assert, assertAlmostEquals, assertEquals, assertStringIncludes } from "@std/assert";
import { parseReport, runCli } from "../helpers/cli.ts";
import { withServerAndTempDir, withTempDir } from "../helpers/scoped.ts";
import { closedPort, startServer } from "../helpers/server.ts";
import { printUnits, statsRowLine } from "../../lib/report/_lines.ts";
import { formatFixed, padLeft } from "../../lib/report/_printf.ts";
import { formatMetric, formatTimeUs } from "../../lib/report/units.ts";
import { shardDocument } from "./_shards.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

const TEMP_PREFIX = "wrk-deno-merge-";

/** Unix seconds `seconds` from now, with milliseconds, as `--start-at` takes them. */
function secondsFromNow(seconds: number): string {
  return ((Date.now() + seconds * 1000) / 1000).toFixed(3);
}

/**
 * Runs the three shards of `-t1 -c7 -d1s <extra>` concurrently, starting together, each writing
 * `<dir>/shard-<i>.json`; returns the files.
 */
async function runShards(dir: string, url: string, extra: string[] = []): Promise<string[]> {
  const startAt = secondsFromNow(4);
  const paths = [0, 1, 2].map((index) => `${dir}/shard-${index}.json`);
  const outcomes = await Promise.all(paths.map((path, index) =>
    runCli([
      "-t1",
      "-c7",
      "-d1s",
      ...extra,
      "--shard-index",
      `${index}`,
      "--shard-count",
      "3",
      "--start-at",
      startAt,
      "--json",
      path,
      url,
    ])
  ));
  for (const outcome of outcomes) assertEquals(outcome.code, 0, outcome.stderr);
  return paths;
}

async function readJson(path: string): Promise<Json> {
  return JSON.parse(await Deno.readTextFile(path));
}

/** The report's `Latency`/`Req/Sec` row as the document's figures print. */
function row(name: string, figures: Json, format: (n: number) => string): string {
  return statsRowLine(
    name,
    { mean: figures.mean, stdev: figures.stdev, max: figures.max, withinStdev: figures.within_stdev },
    format,
  );
}

Deno.test("three shard processes of -c 7, merged: the server's requests and 7 connections, and a report that is the merged JSON's", async (t) => {
  await withServerAndTempDir(startServer(), TEMP_PREFIX, async (server, dir) => {
    const paths = await runShards(dir, server.url);
    // Each shard's process also made wrk's test connection before its run (three more, without requests).
    assertEquals(new Set(server.requests.map((request) => request.connection)).size, 7);
    assertEquals(server.connections(), 7 + 3);
    const shards: Json[] = await Promise.all(paths.map(readJson));

    await t.step("the merge prints wrk's report of the whole test and writes its result", async () => {
      const merged = `${dir}/merged.json`;
      const summary = `${dir}/summary.md`;
      const args = ["merge", "--latency", "--json", merged, "--summary", summary, "--threshold", "p99 < 10s"];
      const outcome = await runCli([...args, ...paths]);
      assertEquals([outcome.code, outcome.stderr], [0, ""]);
      const document = await readJson(merged);
      const report = parseReport(outcome.stdout);
      const lines = outcome.stdout.split("\n");
      assertEquals(lines.slice(0, 2), [`Running 1s test @ ${server.url}`, "  3 threads and 7 connections"]);

      // Every response the shards counted reached the server; those in flight at the deadline were not counted.
      const requests = shards.reduce((sum, shard) => sum + shard.requests, 0);
      assertEquals([report.requests, document.requests], [requests, requests]);
      assert(requests <= server.requests.length, `${requests} > ${server.requests.length}`);
      assert(requests >= server.requests.length - 7, `${requests} < ${server.requests.length} - 7`);
      assertEquals(document.bytes, shards.reduce((sum, shard) => sum + shard.bytes, 0));
      assertEquals(document.status_codes, { "200": requests });
      assertEquals(document.latency.count, shards.reduce((sum, shard) => sum + shard.latency.count, 0));

      // The report's figures are the document's, to the last digit printed.
      assertAlmostEquals(report.runtimeS, document.duration_us / 1e6, 0.006);
      assertEquals(report.requestsPerSec, Number(formatFixed(document.requests_per_sec, 2)));
      assert(lines.includes(row("Latency", document.latency, formatTimeUs)), outcome.stdout);
      assert(lines.includes(row("Req/Sec", document.requests_per_thread_sec, formatMetric)), outcome.stdout);
      for (const p of ["50", "75", "90", "99"]) {
        const line = `${padLeft(p, 7)}%${printUnits(document.latency.percentiles[p], formatTimeUs, 10)}`;
        assert(lines.includes(line), `${line} not in\n${outcome.stdout}`);
      }
      // The test's span: from the first shard's start to the last shard's end.
      const starts = shards.map((shard) => Date.parse(shard.start) * 1000);
      const ends = shards.map((shard, i) => starts[i] + shard.duration_us);
      assertEquals(document.duration_us, Math.max(...ends) - Math.min(...starts));
      assertEquals(document.start, new Date(Math.min(...starts) / 1000).toISOString());

      assertEquals([document.shard, document.merged_shards, document.test_id], [
        null,
        [0, 1, 2],
        shards[0].test_id,
      ]);
      assertEquals([document.config.threads, document.config.connections], [3, 7]);
      assertEquals(document.command, [...args, ...paths]);
      assertEquals(document.thresholds.map((verdict: Json) => verdict.passed), [true]);
      assertStringIncludes(outcome.stdout, "  Thresholds:\n    ✓ p99 < 10s");
      const markdown = await Deno.readTextFile(summary);
      assertStringIncludes(markdown, "wrk-deno merge --latency");
      assertStringIncludes(markdown, "3 threads and 7 connections");
    });

    await t.step("a failed threshold exits 99, and --json - puts the document alone on stdout", async () => {
      const outcome = await runCli(["merge", "--json", "-", "--threshold", "rps > 1G", ...paths]);
      assertEquals(outcome.code, 99, outcome.stderr);
      const document = JSON.parse(outcome.stdout);
      assertEquals(document.thresholds[0].passed, false);
      assertStringIncludes(outcome.stderr, "  3 threads and 7 connections\n");
      assertStringIncludes(outcome.stderr, "✗ rps > 1G");
    });

    await t.step("-s runs the script's done() on the merged figures", async () => {
      const script = `${dir}/report.lua`;
      await Deno.writeTextFile(
        script,
        [
          "function done(summary, latency, requests)",
          '  io.write(string.format("merged %d requests in %d us, p99 %d us, max %d us, %d errors, %s:%s\\n",',
          "    summary.requests, summary.duration, latency:percentile(99), latency.max,",
          "    summary.errors.status + summary.errors.read, wrk.host, wrk.port))",
          "end",
        ].join("\n") + "\n",
      );
      const outcome = await runCli(["merge", "--json", `${dir}/scripted.json`, "-s", script, ...paths]);
      assertEquals([outcome.code, outcome.stderr], [0, ""]);
      const document = await readJson(`${dir}/scripted.json`);
      assertStringIncludes(
        outcome.stdout,
        `\nmerged ${document.requests} requests in ${document.duration_us} us, p99 ${
          document.latency.percentiles["99"]
        } us, max ${document.latency.max} us, 0 errors, 127.0.0.1:${server.port}\n`,
      );
    });

    await t.step("a script that does not load stops the merge before the report, in one line", async () => {
      const script = `${dir}/broken.lua`;
      await Deno.writeTextFile(script, "function done(\n");
      const outcome = await runCli(["merge", "-s", script, ...paths]);
      assertEquals(outcome.code, 1);
      assertEquals(outcome.stdout, "");
      assertEquals(outcome.stderr.split("\n").length, 2, outcome.stderr);
      assertStringIncludes(outcome.stderr, `${script}:`);
    });

    await t.step(
      "a missing shard is named and exits 1; --allow-partial merges the others with a warning",
      async () => {
        const missing = await runCli(["merge", paths[0], paths[2]]);
        assertEquals([missing.code, missing.stdout], [1, ""]);
        assertEquals(missing.stderr, "shard 1 of 3 is missing (--allow-partial merges the shards given)\n");

        const partial = await runCli([
          "merge",
          "--allow-partial",
          "--json",
          `${dir}/partial.json`,
          "--summary",
          `${dir}/partial.md`,
          paths[2],
          paths[0],
        ]);
        assertEquals(partial.code, 0, partial.stderr);
        const line = "shard 1 of 3 is missing: the figures are those of shards 0, 2 (--allow-partial)";
        assertEquals(partial.stderr, `${line}\n`);
        // -c 7 over three shards is 3, 2, 2: shards 0 and 2 ran 5 of them.
        assertStringIncludes(partial.stdout, "  2 threads and 5 connections\n");
        // Both results say it is partial: the document by its shard count, the summary in words.
        const document = await readJson(`${dir}/partial.json`);
        assertEquals([document.merged_shards, document.shard_count], [[0, 2], 3]);
        assertStringIncludes(await Deno.readTextFile(`${dir}/partial.md`), `\n⚠️ ${line}\n`);
        assertEquals(document.requests, shards[0].requests + shards[2].requests);
      },
    );

    await t.step(
      "the same shard twice, a shard of another test, a corrupt file and a failed shard are refused by name; --allow-partial leaves the failed one out",
      async () => {
        const copy = `${dir}/copy-of-0.json`;
        await Deno.copyFile(paths[0], copy);
        const twice = await runCli(["merge", paths[0], copy, paths[1], paths[2]]);
        assertEquals([twice.code, twice.stdout, twice.stderr], [
          1,
          "",
          `${copy}: shard 0 again (also in ${paths[0]})\n`,
        ]);
        // The same file (or standard input) twice is a slip of the command line, said so.
        const sameFile = await runCli(["merge", paths[0], paths[1], paths[0], paths[2]]);
        assertEquals([sameFile.code, sameFile.stdout, sameFile.stderr], [
          1,
          "",
          `${paths[0]}: given twice\n`,
        ]);
        const stdinTwice = await runCli(["merge", "-", "-", paths[2]]);
        assertEquals([stdinTwice.code, stdinTwice.stderr], [1, "-: given twice\n"]);

        const foreign = `${dir}/foreign.json`;
        await Deno.writeTextFile(
          foreign,
          await shardDocument({ index: 1, count: 3, latencyUs: [100], url: `${server.url}other` }),
        );
        const foreignId = (await readJson(foreign)).test_id;
        const other = await runCli(["merge", paths[0], foreign, paths[2]]);
        assertEquals([other.code, other.stdout], [1, ""]);
        assertEquals(
          other.stderr,
          `${foreign}: test_id ${foreignId.slice(0, 12)}… differs from ${paths[0]}'s ${
            shards[0].test_id.slice(0, 12)
          }…: ` +
            `not the same test (the URL: "${server.url}other", but "${server.url}" there)\n`,
        );

        const corrupt = `${dir}/corrupt.json`;
        const text = await Deno.readTextFile(paths[1]);
        await Deno.writeTextFile(corrupt, text.slice(0, Math.floor(text.length * 0.6)));
        const truncated = await runCli(["merge", paths[0], corrupt, paths[2]]);
        assertEquals([truncated.code, truncated.stdout], [1, ""]);
        assert(truncated.stderr.startsWith(`${corrupt}: not JSON (`), truncated.stderr);
        assert(truncated.stderr.endsWith("); is it truncated?\n"), truncated.stderr);
        assertEquals(truncated.stderr.split("\n").length, 2);

        const absent = await runCli(["merge", paths[0], `${dir}/absent.json`]);
        assertEquals([absent.code, absent.stderr], [
          1,
          `${dir}/absent.json: cannot read it (no such file)\n`,
        ]);

        // Shard 1 of the same test, started too late (its pod came after the common start): it did not run.
        const failedPath = `${dir}/failed.json`;
        const failedRun = await runCli([
          "-t1",
          "-c7",
          "-d1s",
          "--shard-index",
          "1",
          "--shard-count",
          "3",
          "--start-at",
          secondsFromNow(-5),
          "--json",
          failedPath,
          server.url,
        ]);
        assertEquals(failedRun.code, 1, failedRun.stderr);
        const failed = await runCli(["merge", paths[0], failedPath, paths[2]]);
        assertEquals([failed.code, failed.stdout], [1, ""]);
        const notRun = `${failedPath}: shard 1 did not run: ${(await readJson(failedPath)).error}`;
        assert(notRun.includes(" did not run: --start-at "), notRun);
        assertEquals(failed.stderr, `${notRun} (--allow-partial leaves it out)\n`);
        // With --allow-partial it is a missing shard, as a pod that left no result is.
        const partial = await runCli(["merge", "--allow-partial", paths[0], failedPath, paths[2]]);
        assertEquals(partial.code, 0, partial.stderr);
        assertEquals(
          partial.stderr,
          `${notRun}: left out (--allow-partial)\n` +
            "shard 1 of 3 is missing: the figures are those of shards 0, 2 (--allow-partial)\n",
        );
        assertStringIncludes(partial.stdout, "  2 threads and 5 connections\n");
        // Only shards that did not run: said so, not "no shard to merge" as if none had been given.
        const none = await runCli(["merge", "--allow-partial", failedPath]);
        assertEquals([none.code, none.stdout], [1, ""]);
        assertEquals(
          none.stderr,
          `${notRun}: left out (--allow-partial)\n` +
            "no shard ran: each was left out (above), and there is nothing to merge\n",
        );
      },
    );

    await t.step(
      "a shard file of another run of the same test merges with a warning that names it",
      async () => {
        // The same test run an hour earlier has the same identity, and no moment in common with these shards.
        const stale = `${dir}/stale.json`;
        await Deno.writeTextFile(
          stale,
          await shardDocument({
            index: 1,
            count: 3,
            latencyUs: [100],
            url: server.url,
            startMs: Date.parse(shards[0].start) - 3_600_000,
          }),
        );
        assertEquals((await readJson(stale)).test_id, shards[0].test_id);
        const outcome = await runCli(["merge", paths[0], stale, paths[2]]);
        assertEquals(outcome.code, 0, outcome.stderr);
        assertEquals(outcome.stderr.split("\n").length, 2, outcome.stderr);
        assertStringIncludes(outcome.stderr, `after shard 1 (${stale}) had ended at `);
        assert(
          outcome.stderr.endsWith(
            ": not one run? The test's time spans the gap (start shards together with --start-at)\n",
          ),
          outcome.stderr,
        );
        assertStringIncludes(outcome.stdout, "requests in 60.");
        // The summary and the result say it too: a CI job's readers look there, not at stderr.
        const summary = `${dir}/stale-summary.md`;
        const json = `${dir}/stale-merged.json`;
        const kept = await runCli(["merge", "--summary", summary, "--json", json, paths[0], stale, paths[2]]);
        assertEquals(kept.code, 0, kept.stderr);
        const warning = kept.stderr.trim();
        assertStringIncludes(await Deno.readTextFile(summary), `⚠️ ${warning.replaceAll("_", "\\_")}`);
        assertEquals((await readJson(json)).merge_warnings, [warning]);
      },
    );

    await t.step(
      "bad arguments and an output that cannot be written are refused before reading anything",
      async () => {
        const none = await runCli(["merge"]);
        assertEquals([none.code, none.stderr], [
          1,
          "merge: Missing argument(s): shards (see 'wrk-deno merge --help')\n",
        ]);
        // Files after `--` are files too (a name may start with -): none is lost, and one that is not there is named.
        const literal = await runCli(["merge", paths[0], "--", ...paths.slice(1)]);
        assertEquals(literal.code, 0, literal.stderr);
        const all = await runCli(["merge", ...paths]);
        assertEquals(literal.stdout, all.stdout);
        // -U with shards that ran without -R is refused, as a run refuses it.
        const uncorrected = await runCli(["merge", "-U", ...paths]);
        assertEquals([uncorrected.code, uncorrected.stdout], [1, ""]);
        assertEquals(
          uncorrected.stderr,
          "-U/--u_latency applies to rate mode, and the shards ran without -R: leave out -U (or give --latency)\n",
        );
        const extra = await runCli(["merge", ...paths, "--", `${dir}/-x.json`]);
        assertEquals(extra.code, 1);
        assertStringIncludes(extra.stderr, `${dir}/-x.json`);
        const onlyLiteral = await runCli(["merge", "--"]);
        assertEquals(
          onlyLiteral.stderr,
          "merge: Missing argument(s): shards (see 'wrk-deno merge --help')\n",
        );
        // A run's option given to merge: no suggestion of -h, which cliffy finds closest; a typo gets its option.
        const runOption = await runCli(["merge", "-d1s", ...paths]);
        assertEquals(runOption.stderr, `merge: Unknown option "-d" (see 'wrk-deno merge --help')\n`);
        const typo = await runCli(["merge", "--allow-partal", ...paths]);
        assertStringIncludes(typo.stderr, `Did you mean option "--allow-partial"?`);
        const threshold = await runCli(["merge", "--threshold", "p99 < soon", ...paths]);
        assertEquals(threshold.code, 1);
        assertStringIncludes(threshold.stderr, "merge: threshold 'p99 < soon': ");
        const unwritable = await runCli(["merge", "--json", `${dir}/no/such/folder/m.json`, ...paths]);
        assertEquals([unwritable.code, unwritable.stdout], [1, ""]);
        assertEquals(
          unwritable.stderr,
          `--json ${dir}/no/such/folder/m.json: the folder ${dir}/no/such/folder does not exist\n`,
        );
      },
    );
  });
});

Deno.test("three shard processes of -c 7 -R 300, merged: the planned rates sum to 300 and the report is wrk2's", async () => {
  await withServerAndTempDir(startServer(), TEMP_PREFIX, async (server, dir) => {
    const paths = await runShards(dir, server.url, ["-R", "300"]);
    const shards: Json[] = await Promise.all(paths.map(readJson));
    assertAlmostEquals(shards.reduce((sum, shard) => sum + shard.rate.planned_per_sec, 0), 300, 1e-9);
    const merged = `${dir}/merged.json`;
    const outcome = await runCli(["merge", "-U", "--json", merged, ...paths]);
    assertEquals([outcome.code, outcome.stderr], [0, ""]);
    const document = await readJson(merged);
    assertEquals([document.config.rate, document.rate.planned_per_sec], [300, 300]);
    assertEquals(document.rate.batches, shards.reduce((sum, shard) => sum + shard.rate.batches, 0));
    assertEquals(
      document.uncorrected_latency.count,
      shards.reduce((sum, s) => sum + s.uncorrected_latency.count, 0),
    );
    const requests = shards.reduce((sum, shard) => sum + shard.requests, 0);
    assertEquals(document.requests, requests);
    assertAlmostEquals(requests, 300, 30);
    assert(requests <= server.requests.length && server.requests.length <= requests + 7);
    assertEquals(new Set(server.requests.map((request) => request.connection)).size, 7);
    // wrk2's layout: the recorded and the uncorrected distributions with their spectra.
    assertStringIncludes(outcome.stdout, "  3 threads and 7 connections\n");
    assertStringIncludes(outcome.stdout, "  Latency Distribution (HdrHistogram - Recorded Latency)\n");
    assertStringIncludes(outcome.stdout, "  Latency Distribution (HdrHistogram - Uncorrected Latency");
    const lines = outcome.stdout.split("\n");
    const p99 = `${padLeft(formatFixed(99, 3), 7)}%${
      printUnits(document.latency.percentiles["99"], formatTimeUs, 10)
    }`;
    assert(lines.includes(p99), `${p99} not in\n${outcome.stdout}`);
    assertEquals(parseReport(outcome.stdout).requests, requests);
  });
});

Deno.test("a shard's unfinished thread is named over the test and exits 1, or is a warning with --allow-partial", async () => {
  await withTempDir(TEMP_PREFIX, async (dir) => {
    const paths = [0, 1].map((index) => `${dir}/shard-${index}.json`);
    for (const index of [0, 1]) {
      await Deno.writeTextFile(
        paths[index],
        await shardDocument({
          index,
          count: 2,
          threads: 2,
          connections: 8,
          latencyUs: [150, 250],
          unfinishedThreads: index === 1 ? [2] : [],
        }),
      );
    }
    const line = `${
      paths[1]
    }: shard 1's thread 2 (4 of the test) did not finish in time; its figures are missing\n`;
    const strict = await runCli(["merge", ...paths]);
    assertEquals([strict.code, strict.stderr], [1, line]);
    assertStringIncludes(strict.stdout, "  4 threads and 8 connections\n");
    assertStringIncludes(strict.stdout, "  Threads that did not finish: 4 (their figures are missing)\n");
    const partial = await runCli(["merge", "--allow-partial", ...paths]);
    assertEquals([partial.code, partial.stderr], [0, line]);
  });
});

Deno.test("merge never overwrites or appends to a shard's result: --json shard-*.json (the output's name forgotten), --summary on a shard, an output that is an input", async () => {
  await withTempDir(TEMP_PREFIX, async (dir) => {
    const paths = [0, 1].map((index) => `${dir}/shard-${index}.json`);
    const documents = await Promise.all(
      [0, 1].map((index) => shardDocument({ index, count: 2, latencyUs: [150] })),
    );
    for (const index of [0, 1]) await Deno.writeTextFile(paths[index], documents[index]);
    const cases: [string[], string][] = [
      [
        ["--allow-partial", "--json", ...paths],
        `--json ${
          paths[0]
        } holds a shard's result, which the merge would overwrite: name a file of the merge's ` +
        "own (wrk-deno merge --json merged.json shard-*.json)\n",
      ],
      [
        ["--summary", ...paths],
        `--summary ${paths[0]} holds a shard's result, which the merge would append to: name a file of the ` +
        "merge's own (wrk-deno merge --json merged.json shard-*.json)\n",
      ],
      [
        ["--json", paths[1], ...paths],
        `--json and a shard to merge name the same file ${paths[1]}: give each its own\n`,
      ],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await runCli(["merge", ...args]);
      assertEquals([code, stderr], [1, message], args.join(" "));
    }
    // A shard's result saved with a byte order mark is one all the same.
    const marked = `${dir}/marked.json`;
    await Deno.writeTextFile(marked, `\uFEFF${documents[0]}`);
    const bom = await runCli(["merge", "--allow-partial", "--json", marked, paths[1]]);
    assertEquals(bom.code, 1, bom.stderr);
    assertStringIncludes(bom.stderr, `--json ${marked} holds a shard's result`);
    assertEquals(await Deno.readTextFile(marked), `\uFEFF${documents[0]}`);
    // Untouched, and a merged result of its own may be written (and written again).
    for (const index of [0, 1]) assertEquals(await Deno.readTextFile(paths[index]), documents[index]);
    for (let round = 0; round < 2; round++) {
      const merged = await runCli(["merge", "--json", `${dir}/merged.json`, ...paths]);
      assertEquals(merged.code, 0, merged.stderr);
    }
  });
});

Deno.test("merge --allow-partial does not leave out, as its own, a failed shard of another test", async () => {
  await withTempDir(TEMP_PREFIX, async (dir) => {
    await Deno.writeTextFile(`${dir}/s0.json`, await shardDocument({ index: 0, count: 2, latencyUs: [150] }));
    // Shard 1 of another test (another URL) that could not connect: its document has its test_id and error.
    const failed = await runCli([
      "-t1",
      "-c2",
      "-d1s",
      "--shard-index",
      "1",
      "--shard-count",
      "2",
      "--json",
      `${dir}/f1.json`,
      `http://127.0.0.1:${closedPort()}/`,
    ]);
    assertEquals(failed.code, 1, failed.stderr);
    const { code, stderr } = await runCli(["merge", "--allow-partial", `${dir}/s0.json`, `${dir}/f1.json`]);
    assertEquals(code, 1, stderr);
    assertStringIncludes(stderr, `${dir}/f1.json: shard 1 did not run: unable to connect`);
    assertStringIncludes(
      stderr,
      `${dir}/f1.json: shard 1 did not run, and is not of the same test (its test_id `,
    );
    // A failed shard of the same test beside a result of the same index: one of them is not what it says.
    await Deno.writeTextFile(`${dir}/s1.json`, await shardDocument({ index: 1, count: 2, latencyUs: [150] }));
    const failedSame = JSON.parse(await Deno.readTextFile(`${dir}/s1.json`));
    failedSame.error = "unable to connect";
    await Deno.writeTextFile(`${dir}/g1.json`, JSON.stringify(failedSame));
    const twice = await runCli([
      "merge",
      "--allow-partial",
      `${dir}/s0.json`,
      `${dir}/s1.json`,
      `${dir}/g1.json`,
    ]);
    assertEquals(twice.code, 1, twice.stderr);
    assertStringIncludes(twice.stderr, `${dir}/g1.json: shard 1 again (also in ${dir}/s1.json)\n`);
  });
});

Deno.test("a shard stopped before its -d fails the merge, as an unfinished thread does, or is merged as it is with --allow-partial", async () => {
  await withTempDir(TEMP_PREFIX, async (dir) => {
    const paths = [0, 1].map((index) => `${dir}/shard-${index}.json`);
    for (const index of [0, 1]) {
      const document = JSON.parse(await shardDocument({ index, count: 2, latencyUs: [150, 250] }));
      // Shard 1's pod was evicted (SIGTERM) half-way.
      if (index === 1) Object.assign(document, { stopped_early: true, duration_us: 500_000 });
      await Deno.writeTextFile(paths[index], JSON.stringify(document));
    }
    const line = `${
      paths[1]
    }: shard 1 was stopped before its -d (a signal, or its caller): its figures cover less time\n`;
    const strict = await runCli(["merge", "--json", `${dir}/merged.json`, ...paths]);
    assertEquals([strict.code, strict.stderr], [1, line]);
    // The results are written all the same, and say so.
    assertEquals((await readJson(`${dir}/merged.json`)).stopped_early, true);
    const partial = await runCli(["merge", "--allow-partial", ...paths]);
    assertEquals([partial.code, partial.stderr], [0, line]);
  });
});
