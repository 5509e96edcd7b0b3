/**
 * Builds request bytes exactly as wrk's `wrk.format()` does (docs/wrk-compat.md#wrkformat): request line, one `Name: value` line per
 * header in the given order, an empty line, then the body, all joined with CRLF.
 */

const encoder = new TextEncoder();

/** The bytes of one HTTP/1.1 request. Headers are written as given: callers add Host/Content-Length. */
export function formatRequest(
  method: string,
  path: string,
  headers: Iterable<readonly [string, string]>,
  body: Uint8Array | null = null,
): Uint8Array {
  let head = `${method} ${path} HTTP/1.1\r\n`;
  for (const [name, value] of headers) head += `${name}: ${value}\r\n`;
  head += "\r\n";
  const headBytes = encoder.encode(head);
  if (body === null || body.length === 0) return headBytes;
  const bytes = new Uint8Array(headBytes.length + body.length);
  bytes.set(headBytes);
  bytes.set(body, headBytes.length);
  return bytes;
}

/**
 * The request wrk sends without a script: `GET <path>` with `Host` (from `-H Host` or the URL) and the `-H`
 * headers in command-line order. As `wrk.format` builds it: one `Host`, the last `-H Host` (two would make
 * every request a 400), and no `Content-Length`, since the request has no body (a `-H Content-Length: 27` made
 * the server take the next request for the body).
 *
 * @example A pasted command line's headers
 * ```ts
 * import { defaultRequest } from "./request_bytes.ts";
 *
 * const bytes = defaultRequest("/", "127.0.0.1:8080", [["Content-Length", "27"], ["Accept", "text/plain"]]);
 * console.log(new TextDecoder().decode(bytes)); // "GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nAccept: text/plain\r\n\r\n"
 * ```
 */
export function defaultRequest(
  path: string,
  hostHeader: string,
  headers: readonly [string, string][],
): Uint8Array {
  const lastHost = headers.findLastIndex(([name]) => name.toLowerCase() === "host");
  const sent = headers.filter(([name], i) => {
    const lower = name.toLowerCase();
    return lower !== "content-length" && (lower !== "host" || i === lastHost);
  });
  return formatRequest("GET", path, lastHost >= 0 ? sent : [["Host", hostHeader], ...sent]);
}
