/**
 * The CLI's results for machines and CI, as a pipeline meets them: `--json` (a file or stdout), `--summary`,
 * `--threshold` and its exit code 99, runs that fail to start, output paths refused before the run, and the
 * live progress line, seen through a pseudo-terminal as a person sees it. Real processes against loopback
 * servers that count what they answer.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { resultValidator } from "./helpers/result_schema.ts";
import * as hdr from "hdr-histogram-js";
import { formatTimeUs } from "../lib/report/units.ts";
import { printUnits } from "../lib/report/_lines.ts";
import { padLeft } from "../lib/report/_printf.ts";
import { CLI_PERMISSIONS, parseReport, runCli } from "./helpers/cli.ts";
import { withServer, withServerAndTempDir, withTempDir } from "./helpers/scoped.ts";
import { closedPort, ok, startServer } from "./helpers/server.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

const CLI = new URL("../cli.ts", import.meta.url).pathname;

const validate = (() => {
  const schema = resultValidator();
  return (document: unknown) => assert(schema.validate(document), schema.errors());
})();

/** A server that answers every fourth request with 503, the others with 200. */
function mixedServer() {
  return startServer((_request, index) => index % 4 === 3 ? ok("busy", 503) : ok());
}

const TEMP_PREFIX = "wrk-deno-results-";

Deno.test("--json FILE: the document validates, and its counts and percentiles are the report's and the server's", async () => {
  await withServerAndTempDir(mixedServer(), TEMP_PREFIX, async (server, dir) => {
    const args = ["-t1", "-c2", "-d600ms", "--latency", "--json", `${dir}/r.json`, server.url];
    const outcome = await runCli(args);
    assertEquals(outcome.code, 0, outcome.stderr);
    const document: Json = JSON.parse(await Deno.readTextFile(`${dir}/r.json`));
    validate(document);
    const report = parseReport(outcome.stdout);
    assertEquals(document.requests, report.requests);
    assertEquals(document.errors.status, report.non2xx);
    assertEquals(document.status_codes["503"], report.non2xx);
    assertEquals(document.status_codes["200"] + document.status_codes["503"], document.requests);
    // The server answered every counted response; at most one per connection was cut off by the stop.
    assert(document.requests <= server.requests.length && server.requests.length <= document.requests + 2);
    assertEquals(document.command, args);
    // The full histogram, decoded by HdrHistogram's own JavaScript port, prints the report's percentiles.
    const histogram = hdr.decodeFromCompressedBase64(document.latency.hdr);
    for (const p of [50, 75, 90, 99]) {
      const line = `${padLeft(String(p), 7)}%${
        printUnits(histogram.getValueAtPercentile(p), formatTimeUs, 10)
      }`;
      assertStringIncludes(outcome.stdout, line + "\n");
    }
    assertEquals(histogram.totalCount, document.latency.count);
    // Nothing but the document is left in the folder: it was written whole, through a renamed temporary file.
    assertEquals([...Deno.readDirSync(dir)].map((entry) => entry.name), ["r.json"]);
  });
});

Deno.test("--json with a script from a pipe (-s <(…)): the script runs, and the test_id is its bytes' as from a file", async () => {
  await withServerAndTempDir(startServer(), TEMP_PREFIX, async (server, dir) => {
    await Deno.writeTextFile(`${dir}/path.lua`, 'wrk.path = "/from-script"\n');
    const options = ["-t1", "-c1", "-d200ms", server.url];
    // bash's process substitution is a pipe, which only its first reader finds full.
    const piped = await new Deno.Command("bash", {
      args: [
        "-c",
        `exec "$0" run "$@" --json "${dir}/piped.json" -s <(cat "${dir}/path.lua")`,
        Deno.execPath(),
        ...CLI_PERMISSIONS,
        CLI,
        ...options,
      ],
      env: { NO_COLOR: "1" },
      stdin: "null",
    }).output();
    assertEquals(piped.code, 0, new TextDecoder().decode(piped.stderr));
    assert(server.requests.length > 0);
    assertEquals(new Set(server.requests.map((request) => request.path)), new Set(["/from-script"]));
    const fromFile = await runCli([...options, "--json", `${dir}/file.json`, "-s", `${dir}/path.lua`]);
    assertEquals(fromFile.code, 0, fromFile.stderr);
    const [pipedId, fileId] = await Promise.all(
      ["piped", "file"].map(async (name) =>
        JSON.parse(await Deno.readTextFile(`${dir}/${name}.json`)).test_id
      ),
    );
    assertMatch(pipedId, /^[0-9a-f]{64}$/);
    assertEquals(pipedId, fileId);
  });
});

Deno.test("--json -: stdout holds the document alone; the report and the script's print go to stderr", async () => {
  await withServerAndTempDir(startServer(), TEMP_PREFIX, async (server, dir) => {
    const script = `${dir}/done.lua`;
    await Deno.writeTextFile(script, 'function done(s) print("done with " .. s.requests) end\n');
    const outcome = await runCli(["-t1", "-c1", "-d300ms", "-s", script, "--json", "-", server.url]);
    assertEquals(outcome.code, 0, outcome.stderr);
    // One line, for log collectors.
    assertEquals(outcome.stdout.indexOf("\n"), outcome.stdout.length - 1);
    assert(outcome.stdout.startsWith('{"format":"wrk-deno/result@1",'), outcome.stdout.slice(0, 80));
    const document: Json = JSON.parse(outcome.stdout);
    validate(document);
    assertEquals(parseReport(outcome.stderr).requests, document.requests);
    assertStringIncludes(outcome.stderr, `done with ${document.requests}\n`);
    assertEquals(document.config.script, script);
  });
});

Deno.test("--threshold: the block after the report marks each condition, and one failure exits 99", async () => {
  await withServer(mixedServer(), async (server) => {
    const failing = await runCli([
      "-t1",
      "-c2",
      "-d300ms",
      "--threshold",
      "p99 < 10s",
      "--threshold",
      "non2xx < 1",
      server.url,
    ]);
    assertEquals(failing.code, 99, failing.stderr);
    const report = parseReport(failing.stdout);
    assertMatch(failing.stdout, /Transfer\/sec: +\S+\n {2}Thresholds:\n/);
    assertMatch(failing.stdout, /\n {4}✓ p99 < 10s {3}\(actual [\d.]+(us|ms)\)\n/);
    assertStringIncludes(failing.stdout, `\n    ✗ non2xx < 1  (actual ${report.non2xx})\n`);

    const passing = await runCli(["-t1", "-c2", "-d300ms", "--threshold", "rps > 1", server.url]);
    assertEquals(passing.code, 0, passing.stderr);
    assertMatch(passing.stdout, /\n {2}Thresholds:\n {4}✓ rps > 1 {2}\(actual [\d.]+k?\)\n$/);
  });
});

/** A `-R` run whose answers may come after its 200 ms timeout (they are still awaited, as in wrk2). */
const LATE_ANSWERS_RUN = ["-t1", "-c2", "-d2s", "-R", "10", "--timeout", "200ms"];

Deno.test("--threshold with -R: requests that timed out and were answered late are a percentage of those sent, once", async () => {
  // Every answer takes 500 ms against a 200 ms timeout: each request times out, and is still awaited (wrk2).
  await withServer(startServer(() => ({ ...ok(), delayMs: 500 })), async (server) => {
    const outcome = await runCli([...LATE_ANSWERS_RUN, "--threshold", "timeouts > 80%", server.url]);
    // Counted against responses plus timeouts, each late answer twice, it read about half.
    assertEquals(outcome.code, 0, outcome.stdout + outcome.stderr);
    assertMatch(outcome.stdout, /\n {4}✓ timeouts > 80% {2}\(actual (8\d|9\d|100)[.\d]*%\)\n/);
  });
});

Deno.test("--threshold with -R: a request that timed out and was then answered 504 is one failed attempt, not two", async () => {
  // Every other request waits 500 ms (past the 200 ms timeout) for a 504; the others are answered at once.
  const slow504 = startServer((_request, index) =>
    index % 2 === 1 ? { ...ok("late", 504), delayMs: 500 } : ok()
  );
  await withServerAndTempDir(slow504, TEMP_PREFIX, async (server, dir) => {
    const outcome = await runCli([
      ...LATE_ANSWERS_RUN,
      "--json",
      `${dir}/r.json`,
      "--threshold",
      "errors < 70%",
      server.url,
    ]);
    const document: Json = JSON.parse(await Deno.readTextFile(`${dir}/r.json`));
    validate(document);
    // Counted twice (a timeout and a 504), they read as every request failing: 100 %.
    assertEquals(outcome.code, 0, outcome.stdout + outcome.stderr);
    assert(
      document.errors.status > 0 && document.rate.errors_after_timeout === document.errors.status,
      outcome.stdout,
    );
    const actual = document.thresholds[0].actual;
    assert(actual > 30 && actual < 70, `${actual} %`);
  });
});

Deno.test("--summary appends GitHub's Markdown to the file, run after run", async () => {
  await withServerAndTempDir(mixedServer(), TEMP_PREFIX, async (server, dir) => {
    const summary = `${dir}/summary.md`;
    // An earlier command of the step left its last line without a line end.
    await Deno.writeTextFile(summary, "# Earlier step\nno line end");
    for (let i = 0; i < 2; i++) {
      const outcome = await runCli([
        "-t1",
        "-c2",
        "-d300ms",
        "--summary",
        summary,
        "--threshold",
        "p99 < 5s",
        server.url,
      ]);
      assertEquals(outcome.code, 0, outcome.stderr);
    }
    const text = await Deno.readTextFile(summary);
    assert(text.startsWith("# Earlier step\nno line end\n### ✅ wrk-deno"), text);
    assertEquals(text.match(/^### ✅ wrk-deno `http:\/\/127\.0\.0\.1:\d+\/`$/gm)?.length, 2, text);
    assertEquals(text.match(/^\| 503 \| \d+ \|$/gm)?.length, 2, text);
    assertEquals(text.match(/^\| ✅ \| `p99 < 5s` \| [\d.]+(us|ms) \|$/gm)?.length, 2, text);
  });
});

Deno.test("two outputs on one file are refused before the run, and neither is written", async () => {
  const dir = await Deno.makeTempDir({ prefix: "wrk-deno-same-file-" });
  try {
    for (const [flag, path] of [["--summary", `${dir}/r.out`], ["--hdr-log", `${dir}/./r.out`]]) {
      const { code, stdout, stderr } = await runCli([
        "-d1s",
        "--json",
        `${dir}/r.out`,
        flag,
        path,
        "http://127.0.0.1:1/",
      ]);
      assertEquals([code, stdout], [1, ""]);
      assertEquals(stderr, `--json and ${flag} name the same file ${path}: give each its own\n`);
    }
    assertEquals([...Deno.readDirSync(dir)], []);
    // Through a link to the file, a hard link, or a link to its folder: still one file.
    await Deno.writeTextFile(`${dir}/real.out`, "kept\n");
    // `ln`, not Deno.symlink(), which the test task's path-scoped --allow-write does not allow.
    for (
      const args of [["-s", `${dir}/real.out`, `${dir}/link.out`], [`${dir}/real.out`, `${dir}/hard.out`], [
        "-s",
        dir,
        `${dir}/folder`,
      ]]
    ) {
      assert((await new Deno.Command("ln", { args }).output()).success, args.join(" "));
    }
    for (
      const [flag, path] of [["--summary", "link.out"], ["--hdr-log", "hard.out"], [
        "--summary",
        "folder/real.out",
      ]]
    ) {
      const { code, stdout, stderr } = await runCli([
        "-d1s",
        "--json",
        `${dir}/real.out`,
        flag,
        `${dir}/${path}`,
        "http://127.0.0.1:1/",
      ]);
      assertEquals([code, stdout], [1, ""]);
      assertEquals(stderr, `--json and ${flag} name the same file ${dir}/${path}: give each its own\n`);
    }
    // A file not there yet, named through a link to its folder.
    const { code, stderr } = await runCli([
      "-d1s",
      "--json",
      `${dir}/new.out`,
      "--summary",
      `${dir}/folder/new.out`,
      "http://127.0.0.1:1/",
    ]);
    assertEquals(code, 1);
    assertEquals(
      stderr,
      `--json and --summary name the same file ${dir}/folder/new.out: give each its own\n`,
    );
    assertEquals(await Deno.readTextFile(`${dir}/real.out`), "kept\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a refused host still leaves a JSON with the error and a summary, every threshold failed, exit 1", async () => {
  await withTempDir(TEMP_PREFIX, async (dir) => {
    const url = `http://127.0.0.1:${closedPort()}/`;
    const outcome = await runCli([
      "-d1s",
      "--json",
      `${dir}/r.json`,
      "--summary",
      `${dir}/s.md`,
      "--threshold",
      "errors < 1",
      url,
    ]);
    assertEquals(outcome.code, 1);
    assertEquals(outcome.stdout, "");
    assertMatch(
      outcome.stderr,
      /^unable to connect to 127\.0\.0\.1:\d+ Connection refused\n {2}Thresholds:\n/,
    );
    assertStringIncludes(outcome.stderr, "    ✗ errors < 1  (no run)\n");
    const document: Json = JSON.parse(await Deno.readTextFile(`${dir}/r.json`));
    validate(document);
    assertMatch(document.error, /^unable to connect to 127\.0\.0\.1:\d+ Connection refused$/);
    assertEquals(document.requests, null);
    assertEquals(document.thresholds.map((t: Json) => [t.expression, t.passed]), [["errors < 1", false]]);
    const summary = await Deno.readTextFile(`${dir}/s.md`);
    assertMatch(
      summary,
      /\*\*The run did not start:\*\* `unable to connect to 127\.0\.0\.1:\d+ Connection refused`/,
    );
    assertStringIncludes(summary, "`errors < 1`");
  });
});

Deno.test("a script error in response() after the run started: the summary says the run failed after it started, exit 1", async () => {
  await withServerAndTempDir(startServer(), TEMP_PREFIX, async (server, dir) => {
    const script = `${dir}/fails.lua`;
    await Deno.writeTextFile(script, 'function response() error("x") end\n');
    const outcome = await runCli([
      "-t1",
      "-c2",
      "-d1s",
      "-s",
      script,
      "--json",
      `${dir}/r.json`,
      "--summary",
      `${dir}/s.md`,
      server.url,
    ]);
    assertEquals(outcome.code, 1, outcome.stderr);
    // The run had started: its header was printed, then the first response failed it.
    assertEquals(outcome.stdout, `Running 1s test @ ${server.url}\n  1 threads and 2 connections\n`);
    assertEquals(outcome.stderr, `${script}:1: in response(): x\n`);
    assert(server.requests.length > 0);
    const document: Json = JSON.parse(await Deno.readTextFile(`${dir}/r.json`));
    validate(document);
    assertEquals(document.error, `${script}:1: in response(): x`);
    const summary = await Deno.readTextFile(`${dir}/s.md`);
    assertMatch(summary, /\n1 threads and 2 connections, started \d{4}-\d\d-\d\dT[\d:.]+Z\n/);
    assertStringIncludes(
      summary,
      `\n**The run failed after it started:** \`${script}:1: in response(): x\`\n`,
    );
    assert(!summary.includes("did not start"), summary);
  });
});

Deno.test("an output path that cannot be written is refused before any request, in one line, exit 1", async () => {
  await withServerAndTempDir(startServer(), TEMP_PREFIX, async (server, dir) => {
    const cases: [string[], RegExp, (readonly string[])?][] = [
      [
        ["--json", `${dir}/missing/r.json`],
        /^--json \S+\/missing\/r\.json: the folder \S+\/missing does not exist\n$/,
      ],
      [["--summary", dir], /^--summary \S+: is a folder; name a file\n$/],
      [
        ["--json", `${dir}/r.json`],
        /^--json \S+\/r\.json: no permission to write there \(run Deno with --allow-write\)\n$/,
        CLI_PERMISSIONS.filter((flag) => flag !== "--allow-write"),
      ],
      [
        // Permission for the file alone: the result is written beside it, then renamed.
        ["--json", `${dir}/r.json`],
        /^--json \S+\/r\.json: Deno may write the file but not its folder, where the result is written first and then renamed into place: run Deno with --allow-write=\S+\n$/,
        [...CLI_PERMISSIONS.filter((flag) => flag !== "--allow-write"), `--allow-write=${dir}/r.json`],
      ],
    ];
    for (const [flags, message, permissions] of cases) {
      const outcome = await runCli(["-t1", "-c1", "-d5s", ...flags, server.url], { permissions });
      assertEquals(outcome.code, 1, outcome.stderr);
      assertMatch(outcome.stderr, message);
      assertEquals(outcome.stdout, "");
    }
    assertEquals(server.requests.length, 0);
  });
});

Deno.test("results to /dev/stdout, /dev/stderr, /dev/null or a link: written there, the device or link never replaced", async () => {
  await withServerAndTempDir(startServer(), TEMP_PREFIX, async (server, dir) => {
    // /dev/stdout and /dev/stderr are the streams themselves (Deno opens them by name only with --allow-all).
    const toStdout = await runCli(["-t1", "-c1", "-d300ms", "--json", "/dev/stdout", server.url]);
    assertEquals(toStdout.code, 0, toStdout.stderr);
    validate(JSON.parse(toStdout.stdout));
    assertStringIncludes(toStdout.stderr, "Requests/sec:");
    const summary = await runCli([
      "-t1",
      "-c1",
      "-d300ms",
      "--summary",
      "/dev/stderr",
      "--json",
      "/dev/null",
      server.url,
    ]);
    assertEquals(summary.code, 0, summary.stderr);
    assertStringIncludes(summary.stderr, "| Status | Responses |");
    assertEquals((await Deno.lstat("/dev/null")).isCharDevice, true);
    // A link is written through, and stays a link.
    await Deno.writeTextFile(`${dir}/target.json`, "an older result");
    // `ln`, not Deno.symlink(), which the test task's path-scoped --allow-write does not allow.
    const made = await new Deno.Command("ln", { args: ["-s", `${dir}/target.json`, `${dir}/link.json`] })
      .output();
    assert(made.success);
    const linked = await runCli(["-t1", "-c1", "-d300ms", "--json", `${dir}/link.json`, server.url]);
    assertEquals(linked.code, 0, linked.stderr);
    assertEquals((await Deno.lstat(`${dir}/link.json`)).isSymlink, true);
    validate(JSON.parse(await Deno.readTextFile(`${dir}/target.json`)));
  });
});

Deno.test("a threshold that does not parse is a usage error naming its part, before any request", async () => {
  await withServer(startServer(), async (server) => {
    const outcome = await runCli(["-d5s", "--threshold", "p99 <= soon", server.url]);
    assertEquals(outcome.code, 1);
    assertEquals(
      outcome.stderr,
      "threshold 'p99 <= soon': cannot read the value 'soon' (use a time such as 200ms)\n",
    );
    assertEquals(server.requests.length, 0);
  });
});

/**
 * Runs the CLI under `script`, in a pseudo-terminal, as a person at a terminal runs it: its whole output.
 * `columns` sets the terminal's width first; `term` its TERM.
 */
async function runInTerminal(
  args: string[],
  terminal: { columns?: number; term?: string } = {},
): Promise<string> {
  const quoted = [Deno.execPath(), "run", ...CLI_PERMISSIONS, CLI, ...args].map((arg) => `'${arg}'`).join(
    " ",
  );
  const sized = terminal.columns === undefined ? quoted : `stty cols ${terminal.columns}; ${quoted}`;
  const output = await new Deno.Command("script", {
    args: ["-qfec", sized, "/dev/null"],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", TERM: terminal.term ?? "xterm" },
  }).output();
  assertEquals(output.code, 0, new TextDecoder().decode(output.stderr));
  return new TextDecoder().decode(output.stdout).replaceAll("\r\n", "\n");
}

const HAS_SCRIPT = (() => {
  try {
    return new Deno.Command("script", { args: ["--version"], stdout: "null", stderr: "null" }).outputSync()
      .success;
  } catch {
    return false;
  }
})();

Deno.test({
  name: "on a terminal a progress line is rewritten during the run and erased before the report",
  ignore: !HAS_SCRIPT,
  async fn() {
    await withServer(startServer(), async (server) => {
      const seen = await runInTerminal(["-t1", "-c2", "-d1500ms", server.url]);
      const lines = [
        // deno-lint-ignore no-control-regex -- the terminal's erase-line sequence is what is tested
        ...seen.matchAll(/\r\x1b\[2K( {2}[\d.]+s \/ 1\.5s {3}\S+ req\/s {3}\S+ requests {3}\d+ errors?)/g),
      ];
      assert(lines.length >= 4, `${lines.length} progress lines in:\n${JSON.stringify(seen)}`);
      const lastSeconds = Number(lines.at(-1)![1].trim().split("s")[0]);
      assert(lastSeconds >= 1 && lastSeconds <= 1.5, lines.at(-1)![1]);
      // The last line is erased, and the report starts on a clean line.
      // deno-lint-ignore no-control-regex -- the erase before the report
      assertMatch(seen, /\r\x1b\[2K {2}Thread Stats {3}Avg/);
      const report = seen.slice(seen.indexOf("  Thread Stats"));
      assert(!report.includes("\x1b"), report);
      assert(parseReport(report).requests > 0);
    });
  },
});

Deno.test({
  name: "on a terminal a script's output during the run erases the progress line, which is drawn no more",
  ignore: !HAS_SCRIPT,
  async fn() {
    await withServerAndTempDir(startServer(), TEMP_PREFIX, async (server, dir) => {
      // Prints from response() once the run is well under way, progress lines drawn by then: two changes of
      // os.time() after the first response are 1–2 s into the run.
      const script = `${dir}/prints.lua`;
      await Deno.writeTextFile(
        script,
        [
          "local start, printed = nil, 0",
          "response = function()",
          "  start = start or os.time()",
          "  if os.time() >= start + 2 and printed < 3 then",
          "    printed = printed + 1",
          // Standard error shares the terminal with the line too.
          "    if printed == 2 then io.stderr:write('from the script 2\\n')",
          "    else print('from the script ' .. printed) end",
          "  end",
          "end",
        ].join("\n") + "\n",
      );
      const seen = await runInTerminal(["-t2", "-c2", "-d2500ms", "-s", script, server.url]);
      const first = seen.indexOf("from the script");
      assert(first > 0, JSON.stringify(seen));
      assert(/ req\/s {3}/.test(seen.slice(0, first)), "a progress line came before the script's output");
      // Each script line starts a line of its own: after a newline, or after the erase of the progress line.
      for (const match of seen.matchAll(/from the script \d+/g)) {
        const before = seen.slice(Math.max(0, match.index - 5), match.index);
        assert(before.endsWith("\n") || before.endsWith("\r\x1b[2K"), JSON.stringify(before + match[0]));
      }
      // No progress line after the script's first output; the report is clean.
      assertEquals(
        [...seen.slice(first).matchAll(/ req\/s {3}/g)].length,
        0,
        JSON.stringify(seen.slice(first)),
      );
      const report = seen.slice(seen.indexOf("  Thread Stats"));
      assert(!report.includes("\x1b"), report);
    });
  },
});

Deno.test({
  name: "on a narrow terminal the progress line is cut to one row; with TERM=dumb there is none",
  ignore: !HAS_SCRIPT,
  async fn() {
    await withServer(startServer(), async (server) => {
      // A line that wraps leaves a row behind at each redraw: the erase reaches the last row only.
      const narrow = await runInTerminal(["-t1", "-c2", "-d800ms", server.url], { columns: 30 });
      // deno-lint-ignore no-control-regex -- the erase-line sequence starts each drawn line
      const drawn = [...narrow.matchAll(/\r\x1b\[2K( {2}[\d.]+s \/[^\r\n\x1b]*)/g)].map((match) => match[1]);
      assert(drawn.some((line) => line.includes("s / 0.8s")), JSON.stringify(narrow));
      for (const line of drawn) assert(line.length < 30, JSON.stringify(line));
      const dumb = await runInTerminal(["-t1", "-c2", "-d600ms", server.url], { term: "dumb" });
      assert(!dumb.includes("\x1b"), JSON.stringify(dumb));
      assert(parseReport(dumb).requests > 0);
    });
  },
});

Deno.test({
  name: "no progress line with --no-progress on a terminal, nor when stderr is not a terminal",
  ignore: !HAS_SCRIPT,
  async fn() {
    await withServer(startServer(), async (server) => {
      const seen = await runInTerminal(["-t1", "-c2", "-d600ms", "--no-progress", server.url]);
      assert(!seen.includes("\x1b"), JSON.stringify(seen));
      assert(parseReport(seen).requests > 0);
      const piped = await runCli(["-t1", "-c2", "-d600ms", server.url]);
      assert(!piped.stderr.includes("\x1b") && !piped.stdout.includes("\x1b"), piped.stderr);
      assertEquals(piped.stderr, "");
    });
  },
});

Deno.test("os.exit(n) in done() keeps the results already written; os.exit(0) does not hide a failed threshold", async () => {
  await withServerAndTempDir(startServer(), TEMP_PREFIX, async (server, dir) => {
    for (const [code, expected] of [[0, 99], [5, 5]]) {
      const script = `${dir}/exit.lua`;
      await Deno.writeTextFile(script, `function done(s) os.exit(${code}) end\n`);
      const json = `${dir}/r-${code}.json`;
      const summary = `${dir}/s-${code}.md`;
      const args = ["-t1", "-c1", "-d300ms", "-s", script, "--json", json, "--summary", summary];
      const outcome = await runCli([...args, "--threshold", "rps > 1G", server.url]);
      assertEquals(outcome.code, expected, outcome.stderr);
      const document: Json = JSON.parse(await Deno.readTextFile(json));
      assertEquals(document.error, null);
      assertEquals(document.requests, parseReport(outcome.stdout).requests);
      assertEquals(outcome.stdout.match(/ {2}Thresholds:/g)?.length, 1, outcome.stdout);
      assertEquals((await Deno.readTextFile(summary)).match(/^### /gm)?.length, 1);
    }
  });
});
