/**
 * HTTP/1.1 request bytes → HTTP/2 requests. A `RequestSource` gives what wrk scripts build with `wrk.format()`
 * (`wrk_format` in wrk's `wrk.lua`): one request, or several back to back that HTTP/1.1 would pipeline. Over
 * HTTP/2 each becomes a header list and a body: the request line and `Host` become the pseudo-header fields
 * `:method`, `:scheme`, `:authority` and `:path`, in that order and before the others (RFC 9113 §8.3.1); the
 * other names are lower-cased (RFC 9113 §8.2); the connection-specific fields are dropped (RFC 9113 §8.2.2); a
 * body framed by `Content-Length` is taken as it is, a chunked one de-chunked (RFC 9112 §6, §7.1).
 *
 * Anything that is not such a request throws a {@linkcode RequestTranslationError} naming what is wrong; the
 * caller counts it as the script's error. A static request is translated once: {@linkcode RequestTranslator}
 * keeps the last translation and gives it back for the same bytes, without parsing them again.
 *
 * @module
 */

/** One HTTP/2 request: its header list (pseudo-header fields first) and its body. */
export interface H2Request {
  /** `:method`, `:scheme`, `:authority`, `:path`, then the other fields, names lower-case, in request order. */
  headers: [string, string][];
  /** The body (de-chunked), or null when there is none (an empty body is none). */
  body: Uint8Array | null;
  /** A HEAD request: its response announces a body that never comes. */
  head: boolean;
  /**
   * Its HPACK header block, set by the connection the first time it sends the request: the encoder never
   * indexes, so one block serves every send of a cached translation, on any connection.
   */
  block?: Uint8Array;
}

/** The scheme of the connection the requests go on (`:scheme`). */
export type H2Scheme = "http" | "https";

/** The bytes are not HTTP/1.1 requests HTTP/2 can carry; the message is one line and says what is wrong. */
export class RequestTranslationError extends SyntaxError {
  /**
   * Creates the error for `reason` in request `request` of the batch (from 1), at line `line` of the bytes
   * (from 1): the message reads `<reason> (request <n>, line <l>)`.
   */
  constructor(readonly reason: string, readonly request: number, readonly line: number) {
    super(`${reason} (request ${request}, line ${line})`);
    this.name = "RequestTranslationError";
  }
}

const HTAB = 9;
const LF = 10;
const CR = 13;
const SP = 32;
const COLON = 58;
const DEL = 127;
/** RFC 9110 §5.6.2 tchar: what a method or a field name is made of. */
const TCHAR = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
  TCHAR[c.charCodeAt(0)] = 1;
}
/** Header values are text: invalid UTF-8 becomes U+FFFD rather than an error (HPACK encodes text). */
const decoder = new TextDecoder();
const ABSOLUTE_URI = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^#]*)/;
/** Fields that belong to one HTTP/1.1 connection, never sent over HTTP/2 (RFC 9113 §8.2.2). */
const CONNECTION_FIELDS = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
]);

/**
 * Translates HTTP/1.1 request bytes (one request, or several back to back) into HTTP/2 requests for a
 * connection of `scheme`. The bodies are views of `bytes` (a copy when a chunked body has several chunks):
 * `bytes` must not change afterwards, which Lua strings never do.
 *
 * `:authority` is the `Host` header (which wrk.format always adds); a request target in absolute form
 * (`GET http://example.test/x HTTP/1.1`) gives `:scheme`, `:authority` and `:path` itself, as RFC 9112 §3.2.2
 * has a server do. `te` stays only as `te: trailers` (RFC 9113 §8.2.2); the fields that `Connection` names go
 * with it (RFC 9110 §7.6.1). `content-length` stays where it was; a chunked body gets one, after the other
 * fields, with its de-chunked length. A chunked body's trailer fields are dropped.
 *
 * @throws {RequestTranslationError} when the bytes are not complete HTTP/1.x requests, or a request has no
 *   `Host`, several, a `CONNECT`, a `Transfer-Encoding` other than chunked, or both `Content-Length` and
 *   `Transfer-Encoding`.
 *
 * @example A POST from wrk.format() and a pipelined HEAD
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { translateRequests } from "./request_translation.ts";
 *
 * const bytes = new TextEncoder().encode(
 *   "POST /submit HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nX-Trace: 7\r\nContent-Length: 5\r\n\r\nhello" +
 *     "HEAD / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nConnection: keep-alive\r\n\r\n",
 * );
 * const [post, head] = translateRequests(bytes, "https");
 * assertEquals(post.headers, [
 *   [":method", "POST"],
 *   [":scheme", "https"],
 *   [":authority", "127.0.0.1:8080"],
 *   [":path", "/submit"],
 *   ["x-trace", "7"],
 *   ["content-length", "5"],
 * ]);
 * assertEquals(new TextDecoder().decode(post.body!), "hello");
 * assertEquals(head.headers.map(([name]) => name), [":method", ":scheme", ":authority", ":path"]);
 * assertEquals([head.body, head.head], [null, true]);
 * ```
 *
 * @example What is wrong, in one line
 * ```ts
 * import { assertThrows } from "@std/assert";
 * import { RequestTranslationError, translateRequests } from "./request_translation.ts";
 *
 * const bytes = new TextEncoder().encode("GET / HTTP/1.1\r\nAccept: text/plain\r\n\r\n");
 * assertThrows(
 *   () => translateRequests(bytes, "http"),
 *   RequestTranslationError,
 *   "missing Host header (request 1, line 1)",
 * );
 * ```
 */
export function translateRequests(bytes: Uint8Array, scheme: H2Scheme): H2Request[] {
  const reader = new Reader(bytes);
  if (bytes.length === 0) reader.fail("empty request", 0);
  const requests: H2Request[] = [];
  while (reader.pos < bytes.length) {
    reader.request = requests.length + 1;
    requests.push(readRequest(reader, scheme));
  }
  return requests;
}

/**
 * {@linkcode translateRequests} for one connection's sends, remembering the last translation: the same
 * `Uint8Array` (a static request, a string a script keeps) or equal bytes (a script formatting the same
 * request again), for the same scheme, give the previous result, the very same objects, without parsing. The
 * arrays and requests returned are shared between calls: callers must not change them (they may key caches
 * of their own on them, such as encoded header blocks).
 *
 * @example A static request is parsed once
 * ```ts
 * import { assert } from "@std/assert";
 * import { RequestTranslator } from "./request_translation.ts";
 *
 * const translator = new RequestTranslator();
 * const request = new TextEncoder().encode("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
 * const first = translator.translate(request, "http");
 * assert(translator.translate(request, "http") === first);
 * assert(translator.translate(request.slice(), "http") === first); // equal bytes, another array
 * ```
 */
export class RequestTranslator {
  #lastBytes: Uint8Array | null = null;
  #lastScheme: H2Scheme = "http";
  #lastRequests: H2Request[] = [];

  /**
   * The HTTP/2 requests in `bytes` for a connection of `scheme`; `bytes` must not change afterwards (Lua
   * strings never do).
   *
   * @throws {RequestTranslationError} as {@linkcode translateRequests}; a failed translation is not kept.
   */
  translate(bytes: Uint8Array, scheme: H2Scheme): H2Request[] {
    const last = this.#lastBytes;
    if (bytes === last && scheme === this.#lastScheme) return this.#lastRequests;
    if (last !== null && scheme === this.#lastScheme && equalBytes(last, bytes)) {
      // The newest array: a script that returns one string object repeatedly then hits by reference.
      this.#lastBytes = bytes;
      return this.#lastRequests;
    }
    const requests = translateRequests(bytes, scheme);
    this.#lastBytes = bytes;
    this.#lastScheme = scheme;
    this.#lastRequests = requests;
    return requests;
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  const length = a.length;
  if (length !== b.length) return false;
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A position in the bytes, and the request being read (for messages). */
class Reader {
  pos = 0;
  request = 1;
  constructor(readonly bytes: Uint8Array) {}

  /** Throws for `reason` at byte `at`, giving its line. */
  fail(reason: string, at: number): never {
    const bytes = this.bytes;
    let line = 1;
    for (let i = 0; i < at && i < bytes.length; i++) if (bytes[i] === LF) line++;
    throw new RequestTranslationError(reason, this.request, line);
  }

  /** The line at `pos`: where its content ends (its CR or LF) and where the next one starts. */
  line(): [end: number, next: number] {
    const bytes = this.bytes;
    const lf = bytes.indexOf(LF, this.pos);
    if (lf < 0) this.fail("incomplete request", bytes.length);
    return [lf > this.pos && bytes[lf - 1] === CR ? lf - 1 : lf, lf + 1];
  }

  text(from: number, to: number): string {
    return decoder.decode(this.bytes.subarray(from, to));
  }
}

function readRequest(reader: Reader, scheme: H2Scheme): H2Request {
  const bytes = reader.bytes;
  const start = reader.pos;

  // Request line (RFC 9112 §3): method SP request-target SP HTTP-version.
  const [lineEnd, lineNext] = reader.line();
  let i = start;
  while (i < lineEnd && TCHAR[bytes[i]]) i++;
  if (i === start || bytes[i] !== SP) reader.fail("invalid method", i);
  const method = reader.text(start, i);
  const targetStart = ++i;
  while (i < lineEnd && bytes[i] > SP && bytes[i] !== DEL) i++;
  if (i === targetStart || bytes[i] !== SP) reader.fail("invalid request target", i);
  const target = reader.text(targetStart, i);
  if (!/^HTTP\/\d\.\d$/.test(reader.text(i + 1, lineEnd))) reader.fail("invalid HTTP version", i + 1);
  if (method === "CONNECT") reader.fail("CONNECT is not supported over HTTP/2", start);
  reader.pos = lineNext;

  // Header fields (RFC 9112 §5).
  const fields: [string, string][] = [];
  let host: string | null = null;
  let contentLength: string | null = null;
  let transferEncoding: string | null = null;
  let connectionTokens: string[] | null = null;
  for (;;) {
    const fieldStart = reader.pos;
    const [end, next] = reader.line();
    if (end === fieldStart) {
      reader.pos = next;
      break;
    }
    if (bytes[fieldStart] === SP || bytes[fieldStart] === HTAB) {
      reader.fail("obsolete line folding", fieldStart);
    }
    let c = fieldStart;
    while (c < end && TCHAR[bytes[c]]) c++;
    if (c === fieldStart || bytes[c] !== COLON) reader.fail("invalid header name", c);
    let valueStart = c + 1;
    let valueEnd = end;
    while (valueStart < valueEnd && (bytes[valueStart] === SP || bytes[valueStart] === HTAB)) valueStart++;
    while (valueEnd > valueStart && (bytes[valueEnd - 1] === SP || bytes[valueEnd - 1] === HTAB)) valueEnd--;
    for (let v = valueStart; v < valueEnd; v++) {
      // HTTP/2 forbids NUL, CR and LF in a value (RFC 9113 §8.2.1); LF already ended the line.
      if (bytes[v] === 0 || bytes[v] === CR) reader.fail("invalid character in header value", v);
    }
    const name = reader.text(fieldStart, c).toLowerCase();
    const value = reader.text(valueStart, valueEnd);
    reader.pos = next;

    if (name === "host") {
      if (host !== null) reader.fail("more than one Host header", fieldStart);
      host = value;
    } else if (name === "content-length") {
      if (!/^\d+$/.test(value)) reader.fail(`invalid Content-Length "${value}"`, fieldStart);
      if (contentLength === null) {
        contentLength = value;
        fields.push([name, value]);
      } else if (Number(value) !== Number(contentLength)) {
        reader.fail("conflicting Content-Length headers", fieldStart);
      }
    } else if (name === "transfer-encoding") {
      transferEncoding = transferEncoding === null ? value : `${transferEncoding}, ${value}`;
    } else if (name === "connection") {
      connectionTokens ??= [];
      for (const token of value.split(",")) connectionTokens.push(token.trim().toLowerCase());
    } else if (name === "te") {
      if (value.toLowerCase() === "trailers") fields.push([name, value]);
    } else if (!CONNECTION_FIELDS.has(name)) {
      fields.push([name, value]);
    }
  }

  // Body (RFC 9112 §6.3): chunked, or Content-Length bytes, or none.
  let body: Uint8Array | null = null;
  if (transferEncoding !== null) {
    if (contentLength !== null) reader.fail("both Content-Length and Transfer-Encoding", start);
    if (transferEncoding.toLowerCase() !== "chunked") {
      reader.fail(`unsupported Transfer-Encoding "${transferEncoding}" (only chunked)`, start);
    }
    body = readChunked(reader);
    fields.push(["content-length", String(body?.length ?? 0)]);
  } else if (contentLength !== null) {
    const length = Number(contentLength);
    if (reader.pos + length > bytes.length) reader.fail("incomplete body", bytes.length);
    if (length > 0) body = bytes.subarray(reader.pos, reader.pos + length);
    reader.pos += length;
  }

  // Pseudo-header fields (RFC 9113 §8.3.1).
  let authority = host;
  let path = target;
  let targetScheme: string = scheme;
  if (target[0] !== "/") {
    const absolute = ABSOLUTE_URI.exec(target);
    if (target === "*" && method === "OPTIONS") {
      // OPTIONS * keeps "*" as :path.
    } else if (absolute !== null && absolute[0] === target) {
      targetScheme = absolute[1].toLowerCase();
      // Without userinfo (RFC 9113 §8.3.1).
      authority = absolute[2].slice(absolute[2].lastIndexOf("@") + 1);
      path = absolute[3] === "" || absolute[3][0] === "?" ? `/${absolute[3]}` : absolute[3];
    } else {
      reader.fail(`invalid request target "${target}"`, start);
    }
  }
  if (authority === null) reader.fail("missing Host header", start);
  if (authority === "") reader.fail("empty Host header", start);

  const headers: [string, string][] = [
    [":method", method],
    [":scheme", targetScheme],
    [":authority", authority],
    [":path", path],
  ];
  for (const field of fields) {
    if (connectionTokens === null || !connectionTokens.includes(field[0])) headers.push(field);
  }
  return { headers, body, head: method === "HEAD" };
}

/** A chunked body de-chunked (RFC 9112 §7.1), trailer fields skipped; null when it is empty. */
function readChunked(reader: Reader): Uint8Array | null {
  const bytes = reader.bytes;
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const sizeStart = reader.pos;
    const [sizeEnd, sizeNext] = reader.line();
    let s = sizeStart;
    while (s < sizeEnd && isHexDigit(bytes[s])) s++;
    const afterSize = bytes[s];
    if (
      s === sizeStart || (s < sizeEnd && afterSize !== 59 /* ; */ && afterSize !== SP && afterSize !== HTAB)
    ) {
      reader.fail("invalid chunk size", sizeStart);
    }
    if (s - sizeStart > 8) reader.fail("chunk size too large", sizeStart);
    const size = parseInt(reader.text(sizeStart, s), 16);
    reader.pos = sizeNext;
    if (size === 0) break;
    if (reader.pos + size > bytes.length) reader.fail("incomplete body", bytes.length);
    chunks.push(bytes.subarray(reader.pos, reader.pos + size));
    total += size;
    reader.pos += size;
    const dataEnd = reader.pos;
    const [end, next] = reader.line();
    if (end !== dataEnd) reader.fail("missing CRLF after chunk data", dataEnd);
    reader.pos = next;
  }
  // Trailer fields, up to the empty line.
  for (;;) {
    const trailerStart = reader.pos;
    const [end, next] = reader.line();
    reader.pos = next;
    if (end === trailerStart) break;
  }
  if (total === 0) return null;
  if (chunks.length === 1) return chunks[0];
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  return body;
}

function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}
