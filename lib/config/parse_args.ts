/**
 * argv → validated {@linkcode Config}, accepting every wrk command line as
 * wrk's `parse_args` does (docs/wrk-compat.md#command-line).
 * @module
 */

import { parseArgs as parseNodeArgs } from "node:util";
import type { Config, Shard } from "./config.ts";
import { HelpRequested, UsageError, type UsageErrorOptions } from "./errors.ts";
import { ShardTooSmall } from "./shard_too_small.ts";
import { OPTION_SPECS } from "./options.ts";
import { standardStream, summaryBesideJson, summaryPathOf } from "./standard_streams.ts";
import { parseThreshold } from "../thresholds/threshold.ts";
import { parseCount, parseDurationMs, parseStartAt } from "./units.ts";
import { shareOf, shareStart } from "./share.ts";
import { parseTarget } from "./url.ts";
import { MAX_DURATION_MS } from "./check_config.ts";

/** `OPTION_SPECS` in `node:util`'s form. Values stay strings here and are parsed below with units. */
const OPTIONS = Object.fromEntries(
  OPTION_SPECS.map(({ name, short, value, multiple }) => [
    name,
    // node:util refuses keys that are present but undefined.
    {
      type: value === undefined ? "boolean" : "string",
      ...(short && { short }),
      ...(multiple && { multiple }),
    },
  ]),
) as Record<string, { type: "boolean" | "string"; short?: string; multiple?: boolean }>;

/** The values `node:util` gives back: a string (or strings) for valued options, true for flags. */
type Values = Record<string, string | string[] | boolean | undefined>;

type OptionName = string;

/** wrk's defaults (docs/wrk-compat.md#flags-and-defaults). */
const DEFAULT_CONNECTIONS = 10;
const DEFAULT_THREADS = 2;
const DEFAULT_DURATION_MS = 10_000;
const DEFAULT_TIMEOUT_MS = 2_000;
/**
 * The most `-R` may ask of one connection: a request every microsecond, the resolution of the plan. A
 * connection carries one request (or batch) at a time (over HTTP/2, one per stream: lib/net/pacer.ts), so far
 * less is reachable in practice.
 */
const MAX_RATE_PER_CONNECTION = 1_000_000;

/**
 * The most `--streams` per connection: servers allow about a hundred (nginx 128, h2o and nghttp2 100), and a
 * server that sets no limit would have every one opened in one go (a million of them held the thread past -d).
 */
const MAX_STREAMS = 65_536;

/** An option as `node:util` saw it: `rawName` is how it was typed, `-c` or `--connections`. */
type OptionToken = {
  kind: "option";
  index: number;
  name: string;
  rawName: string;
  value?: string;
  inlineValue?: boolean;
};

/** One token of `node:util`'s parse, as both its strict and its lenient mode give them. */
type Token =
  | OptionToken
  | { kind: "positional"; index: number; value: string }
  | { kind: "option-terminator"; index: number };

/**
 * Parse wrk's command line (without the program name) into a validated {@linkcode Config}.
 *
 * Options may come before or after the URL; short options take attached values (`-t2 -c100 -d30s`) and long
 * ones `--threads=2`. `--` ends the options: the URL may follow it, and whatever follows the URL after `--`
 * becomes `scriptArgs`. Validation and its order follow wrk.
 *
 * @throws {HelpRequested} for `-h/--help` (wrk prints the usage and exits 1).
 * @throws {UsageError} for anything wrk rejects: an unknown option, a missing or bad value, no URL, a bad URL,
 * zero threads, duration or timeout, or fewer connections than threads.
 *
 * @example wrk's classic command line
 * ```ts
 * import { parseArgs } from "./parse_args.ts";
 *
 * const config = parseArgs(["-t2", "-c100", "-d30s", "-H", "Connection: close", "http://localhost:8080/"]);
 * console.log(config.threads, config.connections, config.durationMs); // 2 100 30000
 * console.log(config.headers); // [["Connection", "close"]]
 * ```
 */
export function parseArgs(argv: string[]): Config {
  const { values, tokens, preferred } = parseStrict(argv);
  const text = (name: OptionName) => values[name] as string | undefined;
  const printVersion = values.version === true;
  const fail = (message: string, options: UsageErrorOptions = {}) =>
    new UsageError(message, { printVersion, ...options });

  if (values.help) throw new HelpRequested({ printVersion });

  // The flag as the user typed it (`-c` or `--connections`), for messages; the last one wins, as its value does.
  const rawName = (name: OptionName) =>
    tokens.findLast((t): t is OptionToken => t.kind === "option" && t.name === name)?.rawName;
  const parsed = <T>(name: OptionName, text: string | undefined, parse: (text: string) => T, fallback: T) => {
    if (text === undefined) return fallback;
    const read = (value: string, flag: string | undefined) => {
      try {
        return parse(value);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        const hint = preferred.get(name);
        throw fail(`option '${flag}': ${error.message}${hint === undefined ? "" : `; ${hint}`}`, {
          cause: error,
        });
      }
    };
    // Every occurrence is read, as wrk's getopt loop reads each in turn: a bad one before the last is an error
    // too (`-c abc -c 2`); the last one's value is the option's.
    let value: T | undefined;
    for (const token of tokens) {
      if (token.kind === "option" && token.name === name && token.value !== undefined) {
        value = read(token.value, token.rawName);
      }
    }
    return value === undefined ? read(text, rawName(name)) : value;
  };
  const nonEmpty = (name: OptionName, text: string | undefined) => {
    if (text === "") throw fail(`option '${rawName(name)}' needs a value`);
    return text ?? null;
  };

  const connections = parsed("connections", text("connections"), parseCount, DEFAULT_CONNECTIONS);
  const threads = parsed("threads", text("threads"), parseCount, DEFAULT_THREADS);
  const durationMs = parsed("duration", text("duration"), parseDurationMs, DEFAULT_DURATION_MS);
  const timeoutMs = parsed("timeout", text("timeout"), parseDurationMs, DEFAULT_TIMEOUT_MS);
  const scriptPath = nonEmpty("script", text("script"));
  const caFile = nonEmpty("cacert", text("cacert"));
  const rate = parsed("rate", text("rate"), parseCount, null);
  // `--json /dev/stdout` is `--json -`: the report then goes to stderr, as the document has stdout.
  const jsonPath = standardStream(text("json") ?? null) === "stdout" ? "-" : nonEmpty("json", text("json"));
  const summaryPath = summaryPathOf(nonEmpty("summary", text("summary")));
  const hdrLogPath = nonEmpty("hdr-log", text("hdr-log"));
  // `--json -` means stdout; a log of intervals there would interleave with the report as it runs.
  if (hdrLogPath === "-" || standardStream(hdrLogPath) !== null) {
    throw fail(`option '${rawName("hdr-log")}' needs a file: the standard streams carry the report`);
  }
  const summaryProblem = summaryBesideJson(jsonPath, summaryPath, rawName("summary") ?? "--summary");
  if (summaryProblem !== null) throw fail(summaryProblem);
  const thresholds = ((values.threshold ?? []) as string[]).map((expression) => {
    try {
      return parseThreshold(expression);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      throw fail(error.message, { showUsage: false, cause: error });
    }
  });
  const http2 = values.http2 === true;
  const streams = parsed("streams", text("streams"), parseCount, null);
  const shardIndex = parsed("shard-index", text("shard-index"), parseCount, null);
  const shardCount = parsed("shard-count", text("shard-count"), parseCount, null);
  const startAtEpochMs = parsed("start-at", text("start-at"), parseStartAt, null);
  const uncorrectedLatency = values.u_latency === true;
  const batchLatency = values.batch_latency === true;
  const headers = ((values.header ?? []) as string[]).flatMap((header): [string, string][] => {
    // `Name:` with nothing after the colon: wrk leaves it out (curl's way to remove a header), and so does ours.
    if (/^[^:]+:$/.test(header)) return [];
    const split = splitHeader(header);
    // Ours: wrk silently ignores such a header; a typo should not go unnoticed (docs/wrk-compat.md#header-flags).
    if (!split) throw fail(`invalid header '${header}' — use -H "Name: value"`, { showUsage: false });
    return [split];
  });
  const { url, scriptArgs } = splitPositionals(tokens, fail);

  // wrk's order: no URL, no threads or no duration first, then the URL, then the connection count.
  // wrk's `-v` alone prints the version line and the usage, nothing in between.
  if (url === undefined) throw fail(printVersion ? "" : "missing URL");
  if (threads === 0) throw fail("number of threads must be > 0");
  // A value with a digit other than 0 that still reads 0 was under a microsecond, the smallest time kept.
  const belowOneUs = (value: string | undefined) =>
    value !== undefined && /[1-9]/.test(value) ? ` ('${value}' is under a microsecond)` : "";
  if (durationMs === 0) throw fail(`duration must be > 0${belowOneUs(text("duration"))}`);
  // The longest a timer waits (2^31 - 1 ms): a longer run would end at once.
  if (durationMs > MAX_DURATION_MS) throw fail("duration must be at most 596h (24 days)");
  if (timeoutMs === 0) throw fail(`timeout must be > 0${belowOneUs(text("timeout"))}`);
  if (timeoutMs > MAX_DURATION_MS) throw fail("timeout must be at most 596h (24 days)");
  let target;
  try {
    target = parseTarget(url);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw fail(error.message, { cause: error });
  }
  if (connections === 0 || connections < threads) throw fail("number of connections must be >= threads");
  if (rate === 0) throw fail("rate must be > 0 (requests per second over all connections)");
  if (rate !== null && rate / connections > MAX_RATE_PER_CONNECTION) {
    throw fail(
      `rate ${rate}/s cannot be planned over ${connections} connection${
        connections === 1 ? "" : "s"
      }: at most ` +
        `${MAX_RATE_PER_CONNECTION} requests/s per connection (raise -c)`,
    );
  }
  if (rate === null && (uncorrectedLatency || batchLatency)) {
    const flag = uncorrectedLatency ? "-U/--u_latency" : "-B/--batch_latency";
    throw fail(`${flag} applies to rate mode: add -R <requests/sec>`);
  }
  if (streams !== null && !http2) throw fail("--streams applies to HTTP/2: add --http2");
  if (streams === 0) throw fail("streams must be > 0");
  if (streams !== null && streams > MAX_STREAMS) {
    throw fail(`streams must be at most ${MAX_STREAMS} per connection (servers allow about 100: raise -c)`);
  }
  const shard = shardOf(connections, threads, rate, shardIndex, shardCount, (message) => fail(message));

  const config: Config = {
    target,
    connections: shard === null ? connections : shareOf(connections, shard.count, shard.index),
    threads,
    durationMs,
    timeoutMs,
    headers,
    scriptPath,
    scriptArgs,
    // wrk2: -U prints the uncorrected distribution beside the recorded one, so it implies --latency.
    latency: values.latency === true || uncorrectedLatency,
    printVersion,
    insecure: values.insecure === true,
    caFile,
    writePaths: ((values.write ?? []) as string[]).flatMap((paths) => {
      const list = paths.split(",").filter((path) => path !== "");
      // An empty --write (a variable that was not set) must not pass for a run whose script may write.
      if (list.length === 0) throw fail(`option '${rawName("write")}' needs a value`);
      return list;
    }),
    rate: shard === null || rate === null
      ? rate
      : rate * shareOf(connections, shard.count, shard.index) / connections,
    uncorrectedLatency,
    batchLatency,
    jsonPath,
    summaryPath,
    hdrLogPath,
    thresholds,
    progress: values["no-progress"] !== true,
    http2,
    streams: streams ?? 1,
    shard,
    startAtEpochMs,
    epoll: true,
  };
  // This machine's -t is its own (machines of different sizes take part): a shard whose part of -c is smaller is
  // refused once the rest was read, with the configuration, so that its --json and --summary still say why.
  if (shard !== null && config.connections < threads) {
    throw new ShardTooSmall(
      `shard ${shard.index} of ${shard.count} gets ${config.connections} of the ${connections} connections, ` +
        `fewer than its ${threads} threads: raise -c to at least ${threads * shard.count} or lower -t`,
      config,
      { printVersion },
    );
  }
  return config;
}

/**
 * The shard this process runs, from `--shard-index` and `--shard-count` (both or neither): a contiguous range
 * of the test's connections, which must give each of this machine's threads at least one.
 */
function shardOf(
  connections: number,
  threads: number,
  rate: number | null,
  index: number | null,
  count: number | null,
  fail: (message: string) => UsageError,
): Shard | null {
  if (index === null && count === null) return null;
  if (index === null) throw fail("--shard-count needs --shard-index (this process's shard, from 0)");
  if (count === null) throw fail("--shard-index needs --shard-count (how many shards the test has)");
  if (count === 0) throw fail("shard count must be > 0");
  if (index >= count) {
    throw fail(`shard index must be below the shard count: ${index} is not in 0…${count - 1}`);
  }
  // Checked for every shard, not only this one: shard 0 of two over -c1 would run, and its result could never
  // be merged (the last shard gets none).
  if (count > connections) {
    throw fail(
      `--shard-count ${count} is more than the test's ${connections} connections, so some shards get none: ` +
        `raise -c to at least ${threads * count} or lower --shard-count`,
    );
  }
  return { index, count, connections, rate, firstConnection: shareStart(connections, count, index) };
}

/**
 * Let `node:util` parse strictly; when it rejects the line, parse it again leniently to find the offending
 * token and say what is wrong in one line of ours (node's messages span lines and name node's syntax).
 */
function parseStrict(argv: string[]) {
  const preferred = new Map<string, string>();
  const config = {
    args: expandPrefixes(argv, preferred),
    options: OPTIONS,
    allowPositionals: true,
    tokens: true,
  } as const;
  try {
    const { values, tokens } = parseNodeArgs({ ...config, strict: true });
    return { values: values as Values, tokens: tokens as Token[], preferred };
  } catch (error) {
    if (!isNodeParseError(error)) throw error;
    const tokens = parseNodeArgs({ ...config, strict: false }).tokens as Token[];
    const printVersion = tokens.some((t) => t.kind === "option" && t.name === "version");
    throw new UsageError(describeBadOption(tokens) ?? firstLine(error.message), {
      printVersion,
      cause: error,
    });
  }
}

/**
 * wrk's and wrk2's own long options (their `getopt_long` tables): a prefix that one of them alone starts means
 * it, as it did in wrk, although options of ours start so too (`--s` is `--script`, not `--summary`).
 */
const WRK_LONG_OPTIONS: ReadonlySet<string> = new Set([
  "connections",
  "duration",
  "threads",
  "script",
  "header",
  "latency",
  "u_latency",
  "batch_latency",
  "timeout",
  "rate",
  "help",
  "version",
]);

/**
 * Long options abbreviated as `getopt_long` takes them (wrk parses its command line with it): `--lat` is
 * `--latency`, `--conn=10` is `--connections=10`, when one option starts so, or one of wrk's own
 * (`WRK_LONG_OPTIONS`) among several: a pasted wrk command line means what it meant there (`preferred` gets a
 * hint for the option's errors: `--thre 'p99<1s'` was meant for `--threshold`). Another prefix that several
 * start is refused as getopt refuses it. An option's value (the word after `-H` or `--header`) and
 * everything after `--` are left as they are.
 */
function expandPrefixes(argv: string[], preferred: Map<string, string>): string[] {
  const names = Object.keys(OPTIONS);
  const expanded: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      expanded.push(...argv.slice(i));
      break;
    }
    let name: string | null = null;
    let word = arg;
    if (arg.startsWith("--")) {
      const equals = arg.indexOf("=");
      const typed = arg.slice(2, equals === -1 ? undefined : equals);
      name = typed;
      if (!(typed in OPTIONS) && typed !== "") {
        let matches = names.filter((candidate) => candidate.startsWith(typed));
        const wrkMatches = matches.filter((candidate) => WRK_LONG_OPTIONS.has(candidate));
        if (matches.length > 1 && wrkMatches.length === 1) {
          const others = matches.filter((candidate) => candidate !== wrkMatches[0]).map((m) => `--${m}`);
          preferred.set(
            wrkMatches[0],
            `--${typed} is wrk's --${wrkMatches[0]}: for ${others.join(" or ")}, spell it out`,
          );
          matches = wrkMatches;
        }
        if (matches.length > 1) {
          throw new UsageError(
            `option '--${typed}' is ambiguous; possibilities: ${matches.map((m) => `'--${m}'`).join(" ")}`,
          );
        }
        if (matches.length === 1) {
          name = matches[0];
          word = `--${name}${equals === -1 ? "" : arg.slice(equals)}`;
        }
      }
      if (equals !== -1) name = null;
    } else if (/^-[^-]/.test(arg)) {
      // A group of short flags (`-kH`): a letter that takes a value takes the rest of the word, or the next word
      // when it is the group's last letter.
      for (let letter = 1; letter < arg.length; letter++) {
        const short = names.find((candidate) => OPTIONS[candidate].short === arg[letter]);
        if (short === undefined || OPTIONS[short].type !== "string") continue;
        if (letter === arg.length - 1) name = short;
        break;
      }
    }
    expanded.push(word);
    // The word after an option that takes a value is that value, whatever it looks like.
    if (name !== null && OPTIONS[name]?.type === "string" && i + 1 < argv.length) expanded.push(argv[++i]);
  }
  return expanded;
}

function isNodeParseError(error: unknown): error is Error {
  return error instanceof Error && String((error as { code?: unknown }).code).startsWith("ERR_PARSE_ARGS_");
}

/** The options whose value is a count or a time: a value like `-5` is one, but negative. */
const NUMERIC_OPTIONS: ReadonlySet<string> = new Set(
  OPTION_SPECS.filter(({ value }) => value === "count" || value === "time").map(({ name }) => name),
);

/** Repeat `node:util`'s strict checks on the lenient tokens, in command-line order. */
function describeBadOption(tokens: Token[]): string | null {
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const spec = OPTIONS[token.name];
    if (!spec) return `unknown option '${token.rawName}'`;
    if (spec.type === "boolean" && token.value !== undefined) {
      return `option '${token.rawName}' does not take a value`;
    }
    // Node refuses `-c -t` rather than take "-t" as the count: for the user, -c simply has no value. `-c -5`
    // has one, and a negative value is what is wrong with it.
    if (
      spec.type === "string" &&
      (token.value === undefined || (!token.inlineValue && token.value.startsWith("-")))
    ) {
      if (token.value !== undefined && NUMERIC_OPTIONS.has(token.name) && /^-[\d.]/.test(token.value)) {
        return `option '${token.rawName}': '${token.value}' is negative`;
      }
      return `option '${token.rawName}' needs a value`;
    }
  }
  return null;
}

function firstLine(text: string): string {
  return text.split("\n", 1)[0];
}

/**
 * The URL is the one positional before `--`, or else the first one after it; what follows the URL after
 * `--` belongs to the script. Without `--`, a second positional is a mistake (wrk would quietly pass it to
 * the script, where it is easy to miss).
 */
function splitPositionals(
  tokens: Token[],
  fail: (message: string) => UsageError,
): { url: string | undefined; scriptArgs: string[] } {
  const terminator = tokens.findIndex((t) => t.kind === "option-terminator");
  const positionals = (from: number, to: number) =>
    tokens.slice(from, to).flatMap((t) => t.kind === "positional" ? [t.value] : []);
  const before = positionals(0, terminator < 0 ? tokens.length : terminator);
  const after = terminator < 0 ? [] : positionals(terminator + 1, tokens.length);
  if (before.length > 1) {
    // The one to name is the one that is not the URL, wherever it stands: a pasted line's stray word (a header
    // value with a space, left unquoted; a unit after a space) usually comes before the URL.
    const stray = before.some((argument) => argument.includes("://"))
      ? before.find((argument) => !argument.includes("://")) ?? before[1]
      : before[1];
    throw fail(`unexpected argument '${stray}' — ${strayHint(stray)}`);
  }
  if (before.length === 1) return { url: before[0], scriptArgs: after };
  // `deno task start -- -t1 …` (npm's habit): everything after `--` is the script's, options too.
  if (after.length > 0 && after[0].startsWith("-")) {
    throw fail(
      `'${after[0]}' comes after --, where the script's arguments go: put options and the URL before -- ` +
        "(deno task start takes them without it)",
    );
  }
  return { url: after[0], scriptArgs: after.slice(1) };
}

/** Dashes a word processor puts where `-` was typed (a blog's `–latency`). */
const TYPOGRAPHIC_DASH = /^[\u2010-\u2015\u2212]/;

/** What to do about a stray positional argument `stray`. */
function strayHint(stray: string): string {
  if (TYPOGRAPHIC_DASH.test(stray)) return "an option with a typographic dash? type it with -";
  return "put script arguments after --, and quote a header with spaces (-H 'Name: value')";
}

/**
 * Split a `-H` value at the first colon, trimming spaces and tabs before the value. wrk needs `": "`;
 * ours also takes `Name:value` (docs/wrk-compat.md#header-flags). Null when there is no colon or no name.
 */
function splitHeader(header: string): [string, string] | null {
  const colon = header.indexOf(":");
  if (colon <= 0) return null;
  return [header.slice(0, colon), header.slice(colon + 1).replace(/^[ \t]+/, "")];
}
