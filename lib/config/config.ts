/**
 * The validated configuration of one run: what `parseArgs()` returns and `run()` takes.
 *
 * @module
 */

import type { Threshold } from "../thresholds/threshold.ts";

/**
 * Where requests go, parsed from the URL as wrk does (docs/wrk-compat.md#target-url).
 *
 * @example Reading the target of a command line
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import type { Target } from "./config.ts";
 * import { parseArgs } from "./parse_args.ts";
 *
 * const target: Target = parseArgs(["http://example.com:8080/search?q=1"]).target;
 * assertEquals([target.host, target.port, target.path], ["example.com", 8080, "/search?q=1"]);
 * ```
 */
export interface Target {
  /** The URL exactly as given on the command line. */
  url: string;
  /** `http` or `https` (wrk.scheme); anything else is rejected by `parseArgs()`. */
  scheme: "http" | "https";
  /** Host name or IP literal, without IPv6 brackets. */
  host: string;
  /** Effective TCP port (URL port, else 80/443). */
  port: number;
  /** The port as written in the URL (`wrk.port`), null when the URL has none. */
  portText: string | null;
  /** Path and query, "/" when absent (`wrk.path`). */
  path: string;
  /** Default `Host` header: host (bracketed when IPv6) plus `:port` when the URL names a port. */
  hostHeader: string;
  /** The URL's port text, else its scheme: what wrk prints in `unable to connect to host:service`. */
  service: string;
}

/**
 * Everything a run needs, validated. Times are in milliseconds. Build it with `parseArgs()` and adjust the
 * copy: the fields are plain data; `run()` checks the counts and times again (lib/config/check_config.ts:
 * threads, connections, duration, timeout, rate, streams) and rejects with a `UsageError` naming a field out
 * of range, but trusts the rest (the target, headers, paths) as `parseArgs()` made them.
 *
 * @example A parsed configuration with a programmatic change
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import type { Config } from "./config.ts";
 * import { parseArgs } from "./parse_args.ts";
 *
 * const parsed = parseArgs(["-t2", "-c10", "-d5s", "http://127.0.0.1:8080/"]);
 * const config: Config = { ...parsed, headers: [...parsed.headers, ["Accept", "application/json"]] };
 * assertEquals(config.durationMs, 5000);
 * assertEquals(config.connections, 10);
 * ```
 */
export interface Config {
  /** The URL to load, parsed. */
  target: Target;
  /**
   * `-c`: connections this process keeps open, spread over its threads: the whole `-c`, or with `--shard-count`
   * this shard's part of it (the test's total is in `shard`).
   */
  connections: number;
  /** `-t`: worker threads, each with its own Lua state. */
  threads: number;
  /** `-d`: how long the run lasts. */
  durationMs: number;
  /** `--timeout`: how long a connect or a request may take before it counts as an error. */
  timeoutMs: number;
  /** `-H` headers in command-line order, split at the first colon, value trimmed of leading spaces. */
  headers: [string, string][];
  /** `-s`: the Lua script to load, null for none. */
  scriptPath: string | null;
  /** Arguments after `--` (script's `init(args)` gets them as `args[1..n]`). */
  scriptArgs: string[];
  /** `--latency`: print the latency distribution. */
  latency: boolean;
  /** `-v`: print the version line, then keep going. */
  printVersion: boolean;
  /** `-k/--insecure`: skip TLS certificate verification. */
  insecure: boolean;
  /** `--cacert FILE`: extra CA certificate (PEM) trusted for TLS. */
  caFile: string | null;
  /** `--write PATH` (repeatable): where scripts may write, remove and rename files; empty: nowhere. */
  writePaths: string[];
  /**
   * `-R/--rate`: the requests per second over this process's threads and connections, each connection sending
   * on its own fixed plan (wrk2's open model); null for wrk's closed loop. With `--shard-count`, this shard's
   * part of the test's rate (`shard.rate`), in proportion to its connections (so possibly fractional).
   */
  rate: number | null;
  /** `-U/--u_latency`: also print the latency measured from each actual write (needs `-R`). */
  uncorrectedLatency: boolean;
  /** `-B/--batch_latency`: with pipelined requests, one latency sample per batch instead of per response. */
  batchLatency: boolean;
  /** `--json FILE`: where the machine-readable result goes (`-`: stdout, the report then on stderr); null: none. */
  jsonPath: string | null;
  /** `--summary FILE`: a Markdown summary appended there (GitHub's `$GITHUB_STEP_SUMMARY`); null: none. */
  summaryPath: string | null;
  /**
   * `--hdr-log FILE`: the latency of each second of the run, written there as it goes as an HdrHistogram
   * interval log (docs/scale-out.md#latency-over-time---hdr-log); null: none.
   */
  hdrLogPath: string | null;
  /** `--threshold EXPR` (repeatable): pass/fail conditions on the result; any failure exits 99. */
  thresholds: Threshold[];
  /** Show the live progress line when stderr is a terminal (`--no-progress` turns it off). */
  progress: boolean;
  /** `--http2`: HTTP/2, negotiated by ALPN over `https`, with prior knowledge (h2c) over `http`. */
  http2: boolean;
  /** `--streams`: with `--http2`, requests in flight at once on each connection (capped by the server). */
  streams: number;
  /** `--shard-index`/`--shard-count`: this process runs one part of a test split over machines; null: all of it. */
  shard: Shard | null;
  /** `--start-at`: when the run starts (ms since the Unix epoch), so that shards start together; null: now. */
  startAtEpochMs: number | null;
  /**
   * Plain-HTTP connections on each thread's own epoll loop through libc (Linux, with `--allow-ffi`): no op
   * call and no promise per read or write, so less client CPU per request than Deno's sockets
   * (docs/benchmarks.md#measurements-behind-the-code). `parseArgs()` sets it; false keeps Deno's sockets
   * (as does a missing FFI permission, another OS, or https).
   */
  epoll: boolean;
}

/**
 * One part of a test split over several processes or machines (`--shard-index i --shard-count n`): `-c` and
 * `-R` are the test's totals, shared out exactly (the first shards take the remainder, as threads do); each
 * shard's connections are a contiguous range of the test's, and with `-R` the shards are dealt the test's slots
 * in turn, the slots a single client would have sent on (lib/net/connection_place.ts).
 *
 * @example Shard 1 of 3 of `-c 10 -R 1000`
 * ```ts
 * import type { Shard } from "./config.ts";
 *
 * const shard: Shard = { index: 1, count: 3, connections: 10, rate: 1000, firstConnection: 4 };
 * console.log(shard.firstConnection); // 4: shard 0 has connections 0–3, this one 4–6
 * ```
 */
export interface Shard {
  /** This shard, from 0 (Kubernetes' `JOB_COMPLETION_INDEX`). */
  index: number;
  /** How many shards the test has. */
  count: number;
  /** `-c`: the test's connections over all shards. */
  connections: number;
  /** `-R`: the test's requests per second over all shards; null for the closed loop. */
  rate: number | null;
  /** The index, over the whole test, of this shard's first connection. */
  firstConnection: number;
}
