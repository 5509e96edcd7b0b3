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
 * headers in command-line order.
 */
export function defaultRequest(
  path: string,
  hostHeader: string,
  headers: readonly [string, string][],
): Uint8Array {
  const hasHost = headers.some(([name]) => name.toLowerCase() === "host");
  return formatRequest("GET", path, hasHost ? headers : [["Host", hostHeader], ...headers]);
}
