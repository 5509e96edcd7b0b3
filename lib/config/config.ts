/** The validated configuration of one run: what `parseArgs()` returns and `run()` takes. */

/** Where requests go, parsed from the URL as wrk does (spec §1, §3 `wrk` table). */
export interface Target {
  /** The URL exactly as given on the command line. */
  url: string;
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

/** Everything a run needs, validated. Times are in milliseconds. */
export interface Config {
  target: Target;
  connections: number;
  threads: number;
  durationMs: number;
  timeoutMs: number;
  /** `-H` headers in command-line order, split at the first colon, value trimmed of leading spaces. */
  headers: [string, string][];
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
}
