import { assert, assertEquals, assertMatch, assertThrows } from "@std/assert";
import { assertSnapshot } from "@std/testing/snapshot";
import type { Config } from "../../lib/config/config.ts";
import { HelpRequested, UsageError } from "../../lib/config/errors.ts";
import { parseArgs } from "../../lib/config/parse_args.ts";
import { USAGE, versionLine } from "../../lib/config/usage.ts";

const URL_TEXT = "http://localhost:8080/";

/** Assert that parsing `argv` throws a UsageError with exactly `message` and the given flags. */
function assertUsageError(
  argv: string[],
  message: string,
  expected: { showUsage?: boolean; printVersion?: boolean } = {},
) {
  const error = assertThrows(() => parseArgs(argv));
  assert(error instanceof UsageError, String(error));
  assertEquals(error.message, message);
  assertEquals(error.exitCode, 1);
  assertEquals(error.showUsage, expected.showUsage ?? true);
  assertEquals(error.printVersion, expected.printVersion ?? false);
  assert(!error.message.includes("\n"));
}

Deno.test("parseArgs() fills in every wrk default", () => {
  assertEquals(
    parseArgs([URL_TEXT]),
    {
      target: {
        url: URL_TEXT,
        scheme: "http",
        host: "localhost",
        port: 8080,
        portText: "8080",
        path: "/",
        hostHeader: "localhost:8080",
        service: "8080",
      },
      connections: 10,
      threads: 2,
      durationMs: 10_000,
      timeoutMs: 2_000,
      headers: [],
      scriptPath: null,
      scriptArgs: [],
      latency: false,
      printVersion: false,
      insecure: false,
      caFile: null,
      writePaths: [],
      rate: null,
      uncorrectedLatency: false,
      batchLatency: false,
      epoll: true,
      jsonPath: null,
      summaryPath: null,
      hdrLogPath: null,
      thresholds: [],
      progress: true,
      http2: false,
      streams: 1,
      shard: null,
      startAtEpochMs: null,
    } satisfies Config,
  );
});

Deno.test("parseArgs() accepts wrk's attached short values", () => {
  const config = parseArgs(["-t2", "-c100", "-d30s", "-H", "A: b", "-Hc: d", URL_TEXT]);
  assertEquals(config.threads, 2);
  assertEquals(config.connections, 100);
  assertEquals(config.durationMs, 30_000);
  assertEquals(config.headers, [["A", "b"], ["c", "d"]]);
});

Deno.test("parseArgs() accepts separate values and every long form", () => {
  const config = parseArgs([
    "--connections",
    "1k",
    "--duration=2m",
    "--threads=4",
    "--script",
    "post.lua",
    "--header=X-A: 1",
    "--latency",
    "--timeout",
    "500ms",
    "--insecure",
    "--cacert=ca.pem",
    "--version",
    URL_TEXT,
  ]);
  assertEquals(config.connections, 1_000);
  assertEquals(config.durationMs, 120_000);
  assertEquals(config.threads, 4);
  assertEquals(config.scriptPath, "post.lua");
  assertEquals(config.headers, [["X-A", "1"]]);
  assertEquals(config.latency, true);
  assertEquals(config.timeoutMs, 500);
  assertEquals(config.insecure, true);
  assertEquals(config.caFile, "ca.pem");
  assertEquals(config.printVersion, true);
});

Deno.test("parseArgs() leaves out -H 'Name:' with nothing after the colon, as wrk does, and keeps 'Name: '", () => {
  assertEquals(parseArgs(["-H", "X-E:", "-H", "X-F: ", "-H", "X-G:g", URL_TEXT]).headers, [["X-F", ""], [
    "X-G",
    "g",
  ]]);
});

Deno.test("parseArgs() accepts wrk's undocumented -L and -T for --latency and --timeout", () => {
  const config = parseArgs(["-L", "-T500ms", URL_TEXT]);
  assertEquals([config.latency, config.timeoutMs], [true, 500]);
  assertEquals(parseArgs(["-T", "3s", URL_TEXT]).timeoutMs, 3000);
});

Deno.test("parseArgs() takes long options abbreviated as getopt_long takes them, and refuses ambiguous ones", () => {
  const config = parseArgs([
    "--lat",
    "--conn",
    "20",
    "--dur=3s",
    "--head",
    "X-A: 1",
    "--timeo",
    "1s",
    URL_TEXT,
  ]);
  assertEquals(config.latency, true);
  assertEquals(config.connections, 20);
  assertEquals(config.durationMs, 3000);
  assertEquals(config.headers, [["X-A", "1"]]);
  assertEquals(config.timeoutMs, 1000);
  // An option's value and what follows -- are never expanded.
  assertEquals(parseArgs(["-H", "X-B: --lat", URL_TEXT, "--", "--lat"]).scriptArgs, ["--lat"]);
  assertEquals(parseArgs(["--header=X-C: 2", URL_TEXT]).headers, [["X-C", "2"]]);
  // In a group of short flags, the last letter's value is the next word, never expanded.
  assertUsageError(["-kH", "--t", URL_TEXT], "option '-H' needs a value");
  assertEquals(parseArgs(["-kLH", "X-D: 3", "--lat", URL_TEXT]).headers, [["X-D", "3"]]);
  assertUsageError(
    ["--t", "2", URL_TEXT],
    "option '--t' is ambiguous; possibilities: '--threads' '--timeout' '--threshold'",
  );
  assertUsageError(["--bogus", URL_TEXT], "unknown option '--bogus'");
});

Deno.test("parseArgs() reads a prefix as wrk read it when one of wrk's own options starts it, whatever ours start so", () => {
  // wrk's --c, --s and --r: --connections, --script and --rate (wrk2), not --cacert, --summary or --streams.
  const config = parseArgs(["--c", "5", "--s", "post.lua", "--r", "100", URL_TEXT]);
  assertEquals(config.connections, 5);
  assertEquals(config.scriptPath, "post.lua");
  assertEquals(config.rate, 100);
  // Two of wrk's own: ambiguous there too.
  assertUsageError(["--he", URL_TEXT], "option '--he' is ambiguous; possibilities: '--header' '--help'");
  // None of wrk's: ours are told apart as before.
  assertUsageError(
    ["--sh", "1", URL_TEXT],
    "option '--sh' is ambiguous; possibilities: '--shard-index' '--shard-count'",
  );
});

Deno.test("parseArgs() accepts short boolean flags, grouped or not", () => {
  const config = parseArgs(["-k", "-v", URL_TEXT]);
  assertEquals(config.insecure, true);
  assertEquals(config.printVersion, true);
  const grouped = parseArgs(["-kvt3", "-c3", URL_TEXT]);
  assertEquals(grouped.insecure, true);
  assertEquals(grouped.printVersion, true);
  assertEquals(grouped.threads, 3);
});

Deno.test("parseArgs() accepts options after the URL", () => {
  const config = parseArgs([URL_TEXT, "-t", "1", "-c", "5", "--latency", "-s", "x.lua"]);
  assertEquals(config.target.url, URL_TEXT);
  assertEquals(config.threads, 1);
  assertEquals(config.connections, 5);
  assertEquals(config.latency, true);
  assertEquals(config.scriptPath, "x.lua");
});

Deno.test("parseArgs() lets the last of a repeated value option win, and reads every one, as wrk's getopt loop", () => {
  assertEquals(parseArgs(["-c", "5", "-c", "7", URL_TEXT]).connections, 7);
  assertUsageError(
    ["-c", "abc", "--connections=2", URL_TEXT],
    "option '-c': invalid count: 'abc' (use a whole number, optionally with k, M or G)",
  );
  assertUsageError(
    ["-d", "3x", "-d", "1s", URL_TEXT],
    "option '-d': cannot parse duration: '3x' has an unknown unit",
  );
});

Deno.test("parseArgs() keeps repeated -H headers in command-line order", () => {
  const config = parseArgs(["-H", "B: 2", URL_TEXT, "-H", "A: 1", "--header", "B: 3"]);
  assertEquals(config.headers, [["B", "2"], ["A", "1"], ["B", "3"]]);
});

Deno.test("parseArgs() splits -H at the first colon and trims only leading blanks of the value", () => {
  const config = parseArgs([
    "-H",
    "Name:value",
    "-H",
    "Time: 12:30:00",
    "-H",
    "Tabbed:\t \tv ",
    "-H",
    "Empty: ",
    URL_TEXT,
  ]);
  assertEquals(config.headers, [["Name", "value"], ["Time", "12:30:00"], ["Tabbed", "v "], [
    "Empty",
    "",
  ]]);
});

Deno.test("parseArgs() rejects a -H value without a colon, without the usage", () => {
  assertUsageError(["-H", "X", URL_TEXT], `invalid header 'X' — use -H "Name: value"`, { showUsage: false });
  assertUsageError(["-H", ": v", URL_TEXT], `invalid header ': v' — use -H "Name: value"`, {
    showUsage: false,
  });
});

Deno.test("parseArgs() passes what follows the URL after -- to the script", () => {
  const config = parseArgs(["-t1", URL_TEXT, "--", "a", "-c", "--latency", "--"]);
  assertEquals(config.scriptArgs, ["a", "-c", "--latency", "--"]);
  assertEquals(config.connections, 10);
  assertEquals(config.latency, false);
});

Deno.test("parseArgs() takes the URL from after -- when none comes before it", () => {
  const config = parseArgs(["-c", "4", "--", URL_TEXT, "x", "-y"]);
  assertEquals(config.target.url, URL_TEXT);
  assertEquals(config.scriptArgs, ["x", "-y"]);
  assertEquals(parseArgs([URL_TEXT, "--"]).scriptArgs, []);
  // Options after -- are the script's: with no URL before it, an option there is what npm's habit put there.
  assertUsageError(
    ["--", "-t1", URL_TEXT],
    "'-t1' comes after --, where the script's arguments go: put options and the URL before -- (deno task start takes them without it)",
  );
});

Deno.test("parseArgs() rejects a second positional before --, naming the one that is not the URL", () => {
  const hint = "put script arguments after --, and quote a header with spaces (-H 'Name: value')";
  assertUsageError([URL_TEXT, "extra"], `unexpected argument 'extra' — ${hint}`);
  // A pasted line's stray word comes before the URL: an unquoted header value, a unit after a space.
  assertUsageError(["-H", "Connection:", "close", URL_TEXT], `unexpected argument 'close' — ${hint}`);
  assertUsageError(["-d", "10", "s", URL_TEXT], `unexpected argument 's' — ${hint}`);
  // Without a URL among them, the second is the stray one.
  assertUsageError(["localhost:8080", "extra"], `unexpected argument 'extra' — ${hint}`);
  assertUsageError(
    ["\u2013latency", URL_TEXT],
    "unexpected argument '\u2013latency' — an option with a typographic dash? type it with -",
  );
});

Deno.test("parseArgs() requires a URL", () => {
  assertUsageError([], "missing URL");
  assertUsageError(["-t", "2"], "missing URL");
  assertUsageError(["--"], "missing URL");
});

Deno.test("parseArgs() rejects zero threads, duration and timeout", () => {
  assertUsageError(["-t", "0", URL_TEXT], "number of threads must be > 0");
  assertUsageError(["-d", "0", URL_TEXT], "duration must be > 0");
  assertUsageError(["-d", "0s", URL_TEXT], "duration must be > 0");
  // Longer than a timer can wait (2^31 - 1 ms): refused, not a run that ends at once.
  assertUsageError(["-d", "600h", URL_TEXT], "duration must be at most 596h (24 days)");
  assertEquals(parseArgs(["-d", "596h", URL_TEXT]).durationMs, 596 * 3_600_000);
  assertUsageError(["--timeout", "0", URL_TEXT], "timeout must be > 0");
  assertUsageError(["--timeout", "0.1us", URL_TEXT], "timeout must be > 0 ('0.1us' is under a microsecond)");
  assertUsageError(
    ["-d", "0.0000001", URL_TEXT],
    "duration must be > 0 ('0.0000001' is under a microsecond)",
  );
  // As -d: a timer waits no longer (Node's TimeoutOverflowWarning, then a thread said to be stuck loading).
  assertUsageError(["--timeout", "597h", URL_TEXT], "timeout must be at most 596h (24 days)");
  assertEquals(parseArgs(["--timeout", "596h", URL_TEXT]).timeoutMs, 596 * 3_600_000);
});

Deno.test("parseArgs() takes at most 65536 --streams per connection", () => {
  assertEquals(parseArgs(["--http2", "--streams", "64k", URL_TEXT]).streams, 64_000);
  assertUsageError(
    ["--http2", "--streams", "1M", URL_TEXT],
    "streams must be at most 65536 per connection (servers allow about 100: raise -c)",
  );
});

Deno.test("parseArgs() rejects zero connections or fewer connections than threads", () => {
  assertUsageError(["-c", "0", "-t", "1", URL_TEXT], "number of connections must be >= threads");
  assertUsageError(["-c", "1", URL_TEXT], "number of connections must be >= threads");
  assertUsageError(["-c", "3", "-t", "4", URL_TEXT], "number of connections must be >= threads");
  assertEquals(parseArgs(["-c", "4", "-t", "4", URL_TEXT]).connections, 4);
});

Deno.test("parseArgs() checks the URL before the connection count, as wrk does", () => {
  assertUsageError(["-c", "1", "ftp://h/"], "invalid URL: ftp://h/ — only http and https are supported");
});

Deno.test("parseArgs() reports an invalid URL with wrk's message", () => {
  assertUsageError(["localhost:8080"], "invalid URL: localhost:8080 — use http://host[:port]/path");
  assertUsageError(["http://h:0/"], "invalid URL: http://h:0/ — port must be a number from 1 to 65535");
});

Deno.test("parseArgs() names the option whose value does not parse", () => {
  assertUsageError(
    ["-c", "abc", URL_TEXT],
    "option '-c': invalid count: 'abc' (use a whole number, optionally with k, M or G)",
  );
  assertUsageError(
    ["--threads=1.5", URL_TEXT],
    "option '--threads': invalid count: '1.5' (use a whole number, optionally with k, M or G)",
  );
  assertUsageError(["-d", "3x", URL_TEXT], "option '-d': cannot parse duration: '3x' has an unknown unit");
  assertUsageError(
    ["-tv", URL_TEXT],
    "option '-t': invalid count: 'v' (use a whole number, optionally with k, M or G)",
  );
});

Deno.test("parseArgs() rejects unknown options in one line of its own", () => {
  assertUsageError(["-x", URL_TEXT], "unknown option '-x'");
  assertUsageError([URL_TEXT, "--foo=1"], "unknown option '--foo'");
  assertUsageError(["-kq", URL_TEXT], "unknown option '-q'");
});

Deno.test("parseArgs() says an abbreviation it took for wrk's option was meant for ours, when the value is bad", () => {
  assertUsageError(
    ["--thre", "p99<1s", URL_TEXT],
    "option '--threads': invalid count: 'p99<1s' (use a whole number, optionally with k, M or G); --thre is " +
      "wrk's --threads: for --threshold, spell it out",
  );
  assertEquals(parseArgs(["--thr", "3", "-c6", URL_TEXT]).threads, 3);
});

Deno.test("parseArgs() rejects an option without its value", () => {
  assertUsageError([URL_TEXT, "-c"], "option '-c' needs a value");
  assertUsageError(["--connections", "--latency", URL_TEXT], "option '--connections' needs a value");
  assertUsageError(["-c", "-t", "2", URL_TEXT], "option '-c' needs a value");
  assertUsageError(["-c", "-5", URL_TEXT], "option '-c': '-5' is negative");
  assertUsageError(["-R", "-.5", URL_TEXT], "option '-R': '-.5' is negative");
  assertUsageError(["-s", "-1.lua", URL_TEXT], "option '-s' needs a value");
  assertUsageError(["-s", "", URL_TEXT], "option '-s' needs a value");
  assertUsageError(["--cacert=", URL_TEXT], "option '--cacert' needs a value");
  // An empty --write (an unset variable) does not pass for paths a script may write.
  assertUsageError(["--write", "", URL_TEXT], "option '--write' needs a value");
  assertUsageError(["--write", ",", URL_TEXT], "option '--write' needs a value");
  assertEquals(parseArgs(["--write", "a,,b", URL_TEXT]).writePaths, ["a", "b"]);
});

Deno.test("parseArgs() rejects a value given to a flag", () => {
  assertUsageError(["--latency=yes", URL_TEXT], "option '--latency' does not take a value");
});

Deno.test("parseArgs() reads --json, --summary, repeated --threshold and --no-progress", () => {
  const config = parseArgs([
    "--json",
    "-",
    "--summary=/tmp/summary.md",
    "--threshold",
    "p99 < 100ms",
    "--threshold=errors < 1%",
    "--no-progress",
    URL_TEXT,
  ]);
  assertEquals(config.jsonPath, "-");
  assertEquals(config.summaryPath, "/tmp/summary.md");
  assertEquals(config.thresholds.map((threshold) => threshold.expression), ["p99 < 100ms", "errors < 1%"]);
  assertEquals(config.progress, false);
});

Deno.test("parseArgs() rejects a threshold it cannot read, naming the part, without the usage", () => {
  assertUsageError(
    ["--threshold", "p99 < fast", URL_TEXT],
    "threshold 'p99 < fast': cannot read the value 'fast' (use a time such as 200ms)",
    { showUsage: false },
  );
  assertUsageError(
    ["--threshold", "latency < 1s", URL_TEXT],
    "threshold 'latency < 1s': unknown metric 'latency' (use p50, p99.9 or any percentile, mean, stdev, max, rps, errors, non2xx or timeouts)",
    { showUsage: false },
  );
});

Deno.test("parseArgs() throws HelpRequested for -h and --help", () => {
  for (const argv of [["-h"], ["--help"], ["-t", "2", URL_TEXT, "-h"], ["-c", "0", "-h"]]) {
    const error = assertThrows(() => parseArgs(argv));
    assert(error instanceof HelpRequested);
    assert(error instanceof UsageError);
    assertEquals(error.name, "HelpRequested");
    assertEquals(error.message, "");
    assertEquals(error.exitCode, 1);
    assertEquals(error.showUsage, true);
  }
});

Deno.test("parseArgs() carries -v into the error when there is no URL, as wrk prints it first", () => {
  // wrk prints the version, then the usage: no "missing URL" between them.
  assertUsageError(["-v"], "", { printVersion: true });
  assertUsageError(["-v", "-x"], "unknown option '-x'", { printVersion: true });
  const help = assertThrows(() => parseArgs(["-v", "-h"]), HelpRequested);
  assertEquals(help.name, "HelpRequested");
  assertEquals(help.printVersion, true);
});

Deno.test("USAGE keeps wrk's lines and 54-column padding", () => {
  const lines = USAGE.split("\n");
  assertEquals(lines.at(-1), "");
  assertEquals(lines[0], "Usage: wrk <options> <url>".padEnd(54));
  assert(lines.slice(0, -1).every((line) => line.length === 54));
  for (
    const wrkLine of [
      "    -c, --connections <N>  Connections to keep open",
      "    -d, --duration    <T>  Duration of test",
      "    -t, --threads     <N>  Number of threads to use",
      "    -s, --script      <S>  Load Lua script file",
      "    -H, --header      <H>  Add header to request",
      "        --latency          Print latency statistics",
      "        --timeout     <T>  Socket/request timeout",
      "    -v, --version          Print version details",
      "  Numeric arguments may include a SI unit (1k, 1M, 1G)",
      "  Time arguments may include a time unit (2s, 2m, 2h)",
    ]
  ) {
    assert(lines.includes(wrkLine.padEnd(54)), wrkLine);
  }
  assertMatch(USAGE, /-k, --insecure {9}\S/);
  assertMatch(USAGE, /--cacert {6}<F> {2}\S/);
  assertMatch(USAGE, /500ms/);
});

Deno.test("USAGE as a whole: our lines, their order and padding, reviewed through the snapshot", async (t) => {
  await assertSnapshot(t, USAGE);
});

Deno.test("versionLine() names the version, Deno and wrk compatibility", () => {
  assertEquals(
    versionLine("0.1.0"),
    `wrk-deno 0.1.0 (Deno ${Deno.version.deno}, fengari Lua 5.3) — wrk 4.1 compatible`,
  );
});
