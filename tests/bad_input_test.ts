/**
 * Every kind of bad input, through the real CLI: one line on stderr that says what is wrong (followed by the
 * usage text where wrk prints it), a non-zero exit code, and never a JavaScript stack trace.
 */
import { assertEquals, assertMatch, assertNotEquals, assertNotMatch } from "@std/assert";
import { USAGE } from "../lib/config/usage.ts";
import { runCli } from "./helpers/cli.ts";
import { startServer } from "./helpers/server.ts";

/** One bad input. `{url}` in an argument stands for a live loopback server's URL. */
interface Case {
  name: string;
  args: string[];
  /** The one line on stderr (without its newline), exactly or as a pattern. */
  error: string | RegExp;
  /** wrk prints the usage text after the line. */
  usage: boolean;
  /** Lua files to create in the working directory first. */
  scripts?: Record<string, string>;
  /** Run under `ulimit -n`. */
  openFiles?: number;
  /** Resolves to a reason to skip the case (honestly, when this machine cannot show it), or null. */
  skip?: () => Promise<string | null>;
}

const URL_ARG = "{url}";

/** A script whose hook fails at run time; the error must name the file, the line and the hook. */
function hookError(hook: string, source: string, line: number, message: string): Case {
  return {
    name: `${hook === "top level" ? "the top level" : `${hook}()`} failing at run time`,
    args: ["-t1", "-c1", "-d1s", "-s", "bad.lua", URL_ARG],
    scripts: { "bad.lua": source },
    error: hook === "top level" ? `bad.lua:${line}: ${message}` : `bad.lua:${line}: in ${hook}(): ${message}`,
    usage: false,
  };
}

const CASES: Case[] = [
  // Flags (docs/wrk-compat.md#validation-order-and-messages): a bad number, a zero, an unknown unit, a missing value, an unknown flag.
  {
    name: "-c x",
    args: ["-c", "x", URL_ARG],
    error: "option '-c': invalid count: 'x' (use a whole number, optionally with k, M or G)",
    usage: true,
  },
  {
    name: "-c 1.5",
    args: ["-c", "1.5", URL_ARG],
    error: "option '-c': invalid count: '1.5' (use a whole number, optionally with k, M or G)",
    usage: true,
  },
  {
    name: "-t x",
    args: ["-t", "x", URL_ARG],
    error: "option '-t': invalid count: 'x' (use a whole number, optionally with k, M or G)",
    usage: true,
  },
  { name: "-t 0", args: ["-t", "0", URL_ARG], error: "number of threads must be > 0", usage: true },
  {
    name: "-c 0",
    args: ["-c", "0", URL_ARG],
    error: "number of connections must be >= threads",
    usage: true,
  },
  {
    name: "fewer connections than threads",
    args: ["-t", "4", "-c", "2", URL_ARG],
    error: "number of connections must be >= threads",
    usage: true,
  },
  { name: "-d 0", args: ["-d", "0", URL_ARG], error: "duration must be > 0", usage: true },
  {
    name: "-d 600h",
    args: ["-d", "600h", URL_ARG],
    error: "duration must be at most 596h (24 days)",
    usage: true,
  },
  {
    name: "--timeout 597h",
    args: ["--timeout", "597h", URL_ARG],
    error: "timeout must be at most 596h (24 days)",
    usage: true,
  },
  {
    name: "-d 3x",
    args: ["-d", "3x", URL_ARG],
    error: "option '-d': cannot parse duration: '3x' has an unknown unit",
    usage: true,
  },
  {
    name: "--timeout abc",
    args: ["--timeout", "abc", URL_ARG],
    error:
      "option '--timeout': cannot parse duration: 'abc' (use a number with an optional unit: us, ms, s, m or h)",
    usage: true,
  },
  { name: "--timeout 0", args: ["--timeout", "0", URL_ARG], error: "timeout must be > 0", usage: true },
  {
    name: "-H without a colon",
    args: ["-H", "novalue", URL_ARG],
    error: `invalid header 'novalue' — use -H "Name: value"`,
    usage: false,
  },
  { name: "an unknown flag", args: ["--bogus", URL_ARG], error: "unknown option '--bogus'", usage: true },
  { name: "a missing value", args: [URL_ARG, "-c"], error: "option '-c' needs a value", usage: true },
  { name: "an empty -s", args: ["-s", "", URL_ARG], error: "option '-s' needs a value", usage: true },
  {
    name: "a value for a flag that takes none",
    args: ["--latency=yes", URL_ARG],
    error: "option '--latency' does not take a value",
    usage: true,
  },

  // URLs.
  { name: "no URL", args: ["-d1s"], error: "missing URL", usage: true },
  {
    name: "a URL without a scheme",
    args: ["localhost:8080/"],
    error: "invalid URL: localhost:8080/ — use http://host[:port]/path",
    usage: true,
  },
  {
    name: "an ftp:// URL",
    args: ["ftp://127.0.0.1/"],
    error: "invalid URL: ftp://127.0.0.1/ — only http and https are supported",
    usage: true,
  },
  {
    name: "a URL without a host",
    args: ["http://"],
    error: "invalid URL: http:// — missing host; use http://host[:port]/path",
    usage: true,
  },
  ...["0", "65536", "99999"].map((port): Case => ({
    name: `port ${port}`,
    args: [`http://127.0.0.1:${port}/`],
    error: `invalid URL: http://127.0.0.1:${port}/ — port must be a number from 1 to 65535`,
    usage: true,
  })),

  // Scripts.
  {
    name: "a missing script file",
    args: ["-s", "missing.lua", URL_ARG],
    error: "cannot read script missing.lua: No such file or directory",
    usage: false,
  },
  {
    name: "a directory as the script",
    args: ["-s", ".", URL_ARG],
    error: "cannot read script .: Is a directory",
    usage: false,
  },
  {
    name: "an unreadable script file",
    args: ["-s", "secret.lua", URL_ARG],
    scripts: { "secret.lua": "-- mode 000\n" },
    error: "cannot read script secret.lua: Permission denied",
    usage: false,
    // root (CAP_DAC_OVERRIDE) reads any file whatever its mode: then the case cannot be shown here.
    skip: async () =>
      (await canReadModeZeroFile()) ? "this user can read a file with mode 000 (root?)" : null,
  },
  {
    name: "a script with a syntax error",
    args: ["-s", "bad.lua", URL_ARG],
    scripts: { "bad.lua": "local x = 1\nfunction f(\n  return x\nend\n" },
    error: /^bad\.lua:3: .+$/,
    usage: false,
  },
  hookError("top level", "local x = 1\nerror('boom at the top')\n", 2, "boom at the top"),
  hookError(
    "init",
    "function init(args)\n  local t = nil\n  return t.x\nend\n",
    3,
    "attempt to index a nil value (local 't')",
  ),
  hookError(
    "request",
    "request = function()\n  local n = nil\n  return n + 1\nend\n",
    3,
    "attempt to perform arithmetic on a nil value (local 'n')",
  ),
  hookError(
    "response",
    "response = function(status, headers, body)\n\n  error('bad response')\nend\n",
    3,
    "bad response",
  ),
  hookError(
    "delay",
    "function delay()\n  return {} + 1\nend\n",
    2,
    "attempt to perform arithmetic on a table value",
  ),
  hookError("setup", "function setup(thread)\n  thread.nope = 1\nend\n", 2, "cannot set 'nope' on thread"),
  hookError("done", "function done(summary, latency, requests)\n  error('bad done')\nend\n", 2, "bad done"),
  {
    ...hookError(
      "setup",
      "function setup(thread)\n  thread:set('f', function() end)\nend\n",
      2,
      "cannot transfer 'function' to thread",
    ),
    name: "thread:set() of a function in setup()",
  },

  // Resources.
  {
    name: "-c beyond the open-file limit",
    args: ["-c", "1000", "-d1s", URL_ARG],
    openFiles: 256,
    error:
      /^-c 1000 needs about \d+ open files but only \d+ more can be opened \(ulimit -n is too low\); raise the limit with 'ulimit -n 2048', or lower -c to \d+$/,
    usage: false,
  },
];

const STACK_FRAME = /\bat .*\.(ts|js):\d+/;

/** Whether this process can read a file whose mode is 000 (root can). */
async function canReadModeZeroFile(): Promise<boolean> {
  const path = await Deno.makeTempFile();
  try {
    await Deno.chmod(path, 0o000);
    await Deno.readFile(path);
    return true;
  } catch {
    return false;
  } finally {
    await Deno.remove(path);
  }
}

Deno.test("bad input: every case prints one line, the usage where wrk does, and exits non-zero", async (t) => {
  const server = startServer();
  try {
    for (const testCase of CASES) {
      const reason = (await testCase.skip?.()) ?? null;
      await t.step({
        name: testCase.name,
        ignore: reason !== null,
        fn: async () => {
          const dir = await Deno.makeTempDir({ prefix: "bad_input_" });
          try {
            for (const [name, source] of Object.entries(testCase.scripts ?? {})) {
              await Deno.writeTextFile(`${dir}/${name}`, source);
              if (name === "secret.lua") await Deno.chmod(`${dir}/${name}`, 0o000);
            }
            const args = testCase.args.map((arg) => arg === URL_ARG ? server.url : arg);
            const cli = await runCli(args, { cwd: dir, openFiles: testCase.openFiles });
            assertNotEquals(cli.code, 0, "exit code");
            assertEquals(cli.code, 1, cli.stderr);
            assertNotMatch(cli.stderr, STACK_FRAME, "no stack trace");
            assertNotMatch(cli.stderr, /error: Uncaught/);
            const [line, ...rest] = cli.stderr.split("\n");
            if (typeof testCase.error === "string") assertEquals(line, testCase.error);
            else assertMatch(line, testCase.error);
            assertEquals(
              rest.join("\n"),
              testCase.usage ? USAGE : "",
              "nothing but the usage after the line",
            );
          } finally {
            await Deno.remove(dir, { recursive: true });
          }
        },
      });
    }
  } finally {
    await server.close();
  }
});
