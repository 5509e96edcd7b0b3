/**
 * The usage text and version line, as wrk prints them (docs/wrk-compat.md#usage-and-version), with our options added.
 * @module
 */

/** wrk pads every usage line to this width with trailing spaces; we keep that so output diffs cleanly. */
const WRK_USAGE_WIDTH = 54;

/**
 * wrk's lines in wrk's order and columns; ours (`-k`, `--cacert`, the last note line, the subcommands) slot in
 * beside what they relate to and keep the description column at 27.
 */
const USAGE_LINES = [
  "Usage: wrk <options> <url>",
  "  Options:",
  "    -c, --connections <N>  Connections to keep open",
  "    -d, --duration    <T>  Duration of test",
  "    -t, --threads     <N>  Number of threads to use",
  "",
  "    -s, --script      <S>  Load Lua script file",
  "    -H, --header      <H>  Add header to request",
  "        --latency          Print latency statistics",
  "        --timeout     <T>  Socket/request timeout",
  "    -k, --insecure         Skip TLS certificate checks",
  "        --cacert      <F>  Trust the CA in PEM file F",
  "        --write       <P>  Let scripts write under P",
  "",
  "    -R, --rate        <N>  Requests/sec over all conns",
  "    -U, --u_latency        Print uncorrected latency",
  "    -B, --batch_latency    With -R: latency per batch",
  "",
  "        --json        <F>  Write the result as JSON",
  "        --summary     <F>  Append a Markdown summary",
  "        --hdr-log     <F>  Log latency per second to F",
  "        --threshold   <X>  Exit 99 unless X holds",
  "        --no-progress      No live progress line",
  "",
  "        --http2            HTTP/2 (h2 by ALPN, or h2c)",
  "        --streams     <N>  With --http2: streams/conn",
  "        --shard-index <I>  Run shard I of the test",
  "        --shard-count <N>  Split -c and -R in N shards",
  "        --start-at    <T>  Start at T (RFC 3339/Unix)",
  "    -v, --version          Print version details",
  "",
  "  Numeric arguments may include a SI unit (1k, 1M, 1G)",
  "  Time arguments may include a time unit (2s, 2m, 2h)",
  "  or a sub-second unit and fractions (500ms, 1.5s)",
  "",
  "  Commands (wrk-deno <command> --help for more):",
  "    demo [options]         Benchmark a built-in server",
  "    merge <files>          Merge shards' --json files",
  "    completions <shell>    bash, zsh or fish script",
];

/**
 * The usage text printed for `-h` and after every argument error, ending in a newline.
 *
 * @example Printing the usage after an error
 * ```ts
 * import { USAGE } from "./usage.ts";
 *
 * console.error("missing URL");
 * console.error(USAGE.trimEnd());
 * ```
 */
export const USAGE: string = USAGE_LINES.map((line) => line.padEnd(WRK_USAGE_WIDTH)).join("\n") + "\n";

/**
 * The line `-v` prints. wrk prints `wrk 4.1.0 [epoll] Copyright (C) 2012 Will Glozer`; ours names itself,
 * the runtime and the Lua implementation, and the wrk version whose behaviour it keeps.
 *
 * @example
 * ```ts
 * import { versionLine } from "./usage.ts";
 *
 * console.log(versionLine("0.1.0")); // wrk-deno 0.1.0 (Deno 2.9.6, fengari Lua 5.3) — wrk 4.1 compatible
 * ```
 */
export function versionLine(version: string): string {
  return `wrk-deno ${version} (Deno ${Deno.version.deno}, fengari Lua 5.3) — wrk 4.1 compatible`;
}
