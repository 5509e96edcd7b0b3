/**
 * The one table of the command line's options: wrk's flags (`parse_args` in wrk.c, including the short forms
 * `-L` and `-T` its usage text does not list) plus ours. The argument parser (`parse_args.ts`) and the command
 * tree's declarations (completions, in `cli.ts`) are both derived from it, so they cannot drift apart. The usage
 * text stays wrk's literal text (`usage.ts`).
 *
 * @module
 */

/** What an option's value is, for parsing and for shell completion. */
export type OptionValue =
  /** A count with an optional SI suffix (`10k`). */
  | "count"
  /** A time with an optional unit (`30s`, `500ms`). */
  | "time"
  /** A path to a file. */
  | "file"
  /** Free text. */
  | "text";

/** One command-line option. */
export interface OptionSpec {
  /** The long name, without dashes; also the key in the parsed values. */
  readonly name: string;
  /** The one-letter short form, without the dash. */
  readonly short?: string;
  /** What the option takes; none for a flag. */
  readonly value?: OptionValue;
  /** The option may be given more than once, each value kept (`-H`). */
  readonly multiple?: boolean;
  /** One line for help and completions. */
  readonly description: string;
  /** Values a shell offers on TAB (typical ones; any value of the kind is accepted). */
  readonly suggestions?: readonly string[];
}

/**
 * wrk's options in the order of its usage text, then ours.
 *
 * @example Listing the options that take a time
 * ```ts
 * import { OPTION_SPECS } from "./options.ts";
 *
 * console.log(OPTION_SPECS.filter((o) => o.value === "time").map((o) => o.name)); // [ "duration", "timeout" ]
 * ```
 */
export const OPTION_SPECS: readonly OptionSpec[] = [
  {
    name: "connections",
    short: "c",
    value: "count",
    description: "Connections to keep open",
    suggestions: ["10", "50", "100", "400", "1k"],
  },
  {
    name: "duration",
    short: "d",
    value: "time",
    description: "Duration of test",
    suggestions: ["10s", "30s", "1m", "5m"],
  },
  {
    name: "threads",
    short: "t",
    value: "count",
    description: "Number of threads to use",
    suggestions: ["1", "2", "4", "8"],
  },
  { name: "script", short: "s", value: "file", description: "Load Lua script file" },
  { name: "header", short: "H", value: "text", multiple: true, description: "Add header to request" },
  { name: "latency", short: "L", description: "Print latency statistics" },
  {
    name: "timeout",
    short: "T",
    value: "time",
    description: "Socket/request timeout",
    suggestions: ["500ms", "2s", "5s", "10s"],
  },
  { name: "version", short: "v", description: "Print version details" },
  { name: "help", short: "h", description: "Print the usage" },
  { name: "insecure", short: "k", description: "Skip TLS certificate checks" },
  { name: "cacert", value: "file", description: "Trust the CA in this PEM file" },
  { name: "write", value: "file", multiple: true, description: "Let scripts write files under this path" },
  {
    name: "rate",
    short: "R",
    value: "count",
    description: "Total requests/second, paced (wrk2's open model)",
    suggestions: ["100", "1k", "10k", "50k"],
  },
  { name: "u_latency", short: "U", description: "With -R, also print the uncorrected latency" },
  { name: "batch_latency", short: "B", description: "With -R, one latency per pipelined batch" },
  { name: "json", value: "file", description: "Write the result as JSON to this file (- for stdout)" },
  { name: "summary", value: "file", description: "Append a Markdown summary to this file" },
  {
    name: "hdr-log",
    value: "file",
    description: "Write each second's latency to this file as an HdrHistogram interval log",
  },
  {
    name: "threshold",
    value: "text",
    multiple: true,
    description: "Fail (exit 99) unless '<metric> <op> <value>' holds",
    suggestions: ["p99 < 100ms", "errors < 1%", "rps > 1000"],
  },
  { name: "no-progress", description: "No live progress line on a terminal" },
  { name: "http2", description: "Speak HTTP/2 (h2 by ALPN over https, h2c over http)" },
  {
    name: "streams",
    value: "count",
    description: "With --http2, concurrent requests per connection",
    suggestions: ["1", "10", "100"],
  },
  { name: "shard-index", value: "count", description: "This process runs shard i (from 0) of the test" },
  { name: "shard-count", value: "count", description: "Split -c and -R over this many shards" },
  {
    name: "start-at",
    value: "text",
    description: "Start at this time (RFC 3339 or Unix seconds)",
  },
];

/** The subcommands; any other first argument starts wrk's command line. */
export const SUBCOMMANDS = ["demo", "merge", "completions"] as const;
