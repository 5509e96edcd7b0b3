/**
 * The target URL, split the way wrk splits it (docs/wrk-compat.md#target-url).
 * @module
 */

import type { Target } from "./config.ts";
import { UsageError } from "./errors.ts";

/** Default ports, used when the URL names none. */
const DEFAULT_PORTS = { http: 80, https: 443 } as const;

/**
 * Scheme, authority and the rest, from the text as typed. `URL` alone cannot answer what wrk needs: it
 * drops a default port that was written (`http://h:80/` has `port` ""), skips missing slashes and hosts
 * (`http:///x` becomes `http://x/`), and normalises paths (`/a/../b` becomes `/b`).
 * A backslash ends the authority because `URL` treats it as `/` in http(s) URLs.
 */
const RAW_URL_PATTERN = /^([a-z][a-z0-9+.-]*):\/\/([^/?#\\]*)(.*)$/is;

const HINT_FORM = "use http://host[:port]/path";

/**
 * Parse the target URL of a run.
 *
 * `host` has no IPv6 brackets; `port` is the effective port; `portText` is the port as written (wrk's
 * `wrk.port`), kept even when it is the scheme's default; `hostHeader` is what wrk sends as `Host`;
 * `path` is the path and query as typed (fragment dropped, "/" when empty).
 *
 * @throws {UsageError} `invalid URL: <url> — <hint>` for a missing scheme, a scheme other than http or
 * https, a missing host, a port outside 1..65535, or anything else `URL` rejects.
 *
 * @example An IPv6 target with a port
 * ```ts
 * import { parseTarget } from "./url.ts";
 *
 * const target = parseTarget("http://[::1]:8080/x?y");
 * console.log(target.host, target.port, target.hostHeader, target.path); // ::1 8080 [::1]:8080 /x?y
 * ```
 */
export function parseTarget(url: string): Target {
  const invalid = (hint: string) => new UsageError(`invalid URL: ${url} — ${hint}`);

  // A blank pasted along with the URL: `URL` would drop a leading one and send a trailing one as %20 (wrk
  // refuses both). Blanks inside are a path's own, encoded below.
  if (/^\s|\s$/.test(url)) throw invalid("it starts or ends with a blank: leave it out");
  const raw = RAW_URL_PATTERN.exec(url);
  if (!raw) throw invalid(HINT_FORM);
  const scheme = raw[1].toLowerCase();
  if (scheme !== "http" && scheme !== "https") throw invalid("only http and https are supported");

  const authority = raw[2];
  const hostPort = authority.slice(authority.lastIndexOf("@") + 1);
  // `http://::1:8080/`, `http://fe80::1/`: an IPv6 address without its brackets reads as a host and a bad port.
  if (!hostPort.startsWith("[") && (hostPort.match(/:/g)?.length ?? 0) > 1) {
    throw invalid("an IPv6 address goes in brackets: http://[::1]:8080/");
  }
  const split = splitHostPort(hostPort);
  if (!split) throw invalid(HINT_FORM);
  const { hostText, portText } = split;
  if (hostText === "") throw invalid(`missing host; ${HINT_FORM}`);
  if (portText !== null) {
    // Port 0 would ask the OS for any port on connect; `URL` allows it, wrk's users never mean it.
    const port = /^\d+$/.test(portText) ? Number(portText) : NaN;
    if (!(port >= 1 && port <= 65535)) throw invalid("port must be a number from 1 to 65535");
  }

  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(HINT_FORM);
  }

  // `URL` gives IPv6 hosts in brackets, in canonical form; a Host header keeps them (RFC 9110 §7.2).
  const bracketedHost = parsed.hostname;
  const host = bracketedHost.startsWith("[") ? bracketedHost.slice(1, -1) : bracketedHost;
  return {
    url,
    scheme,
    host,
    port: portText === null ? DEFAULT_PORTS[scheme] : Number(portText),
    portText,
    path: requestPath(raw[3]),
    hostHeader: portText === null ? bracketedHost : `${bracketedHost}:${portText}`,
    service: portText ?? scheme,
  };
}

/**
 * Split `host[:port]` or `[v6]:port` as typed. An empty port (`http://h:/`) counts as none, as `URL` does.
 * Returns null for an unclosed bracket or text after `]` that is not a port.
 */
function splitHostPort(hostPort: string): { hostText: string; portText: string | null } | null {
  let hostText: string;
  let rest: string;
  if (hostPort.startsWith("[")) {
    const close = hostPort.indexOf("]");
    if (close < 0) return null;
    hostText = hostPort.slice(0, close + 1);
    rest = hostPort.slice(close + 1);
    if (rest !== "" && !rest.startsWith(":")) return null;
  } else {
    const colon = hostPort.indexOf(":");
    hostText = colon < 0 ? hostPort : hostPort.slice(0, colon);
    rest = colon < 0 ? "" : hostPort.slice(colon);
  }
  const portText = rest.slice(1);
  return { hostText, portText: portText === "" ? null : portText };
}

/**
 * The request target as typed: wrk sends the URL "from its path on" unchanged (docs/wrk-compat.md#target-url), so dots and
 * escapes reach the server as written. Only bytes that cannot appear in an HTTP request line (controls,
 * space, non-ASCII; RFC 9112 §3.2) are percent-encoded. The fragment is never sent (RFC 9110 §7.1).
 */
function requestPath(rest: string): string {
  const hash = rest.indexOf("#");
  const pathAndQuery = hash < 0 ? rest : rest.slice(0, hash);
  const path = pathAndQuery.startsWith("/") ? pathAndQuery : `/${pathAndQuery}`;
  return path.replace(/[^\x21-\x7e]+/g, (run) => encodeURIComponent(run.toWellFormed()));
}
