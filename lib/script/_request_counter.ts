/**
 * Counts the HTTP/1.1 requests in a `request()` result, to learn the pipeline depth once at start (docs/wrk-compat.md#pipelining)
 * and which positions are HEAD requests (their responses have no body).
 *
 * @module
 */

/** The requests found in one batch, in order. */
export interface CountedRequests {
  count: number;
  methods: string[];
}

/** The bytes are not a sequence of complete HTTP requests; `line`/`column` are 1-based. */
export class RequestFormatError extends SyntaxError {
  /** Creates the error; the message ends with ` at <line>:<column>`, as wrk prints parser errors. */
  constructor(reason: string, readonly line: number, readonly column: number) {
    super(`${reason} at ${line}:${column}`);
    this.name = "RequestFormatError";
  }
}

const CR = 13;
const LF = 10;
const SP = 32;
const COLON = 58;
/** RFC 9110 tchar: what a method or header name may contain. */
const TCHAR = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
  TCHAR[c.charCodeAt(0)] = 1;
}
const decoder = new TextDecoder();
const SLASH = 47;
const STAR = 42;

/**
 * Whether a request target (not CONNECT's) has a form wrk's http_parser accepts (RFC 9112 §3.2): origin form
 * `/…`, asterisk form `*…`, or absolute form, letters then `://` and at least one more byte. Anything else
 * (`api/users`, `?q=1`) wrk refuses with `invalid URL` before the run, where the server would answer every
 * request with 400 and the run measure nothing.
 */
function validTarget(target: Uint8Array): boolean {
  if (target[0] === SLASH || target[0] === STAR) return true;
  let i = 0;
  while (i < target.length && ((target[i] | 32) >= 97 && (target[i] | 32) <= 122)) i++;
  return i > 0 && decoder.decode(target.subarray(i, i + 3)) === "://" && target.length > i + 3;
}

/** The target starting at `from`, up to the next space or line end, quoted for a message. */
function quote(bytes: Uint8Array, from: number): string {
  let to = from;
  while (to < bytes.length && bytes[to] !== SP && bytes[to] !== CR && bytes[to] !== LF) to++;
  return JSON.stringify(decoder.decode(bytes.subarray(from, to)));
}

/**
 * Parses `bytes` as back-to-back HTTP/1.x requests (bodies framed by Content-Length or chunked encoding).
 *
 * @throws {RequestFormatError} when they are not, or the last one is incomplete.
 */
export function countRequests(bytes: Uint8Array): CountedRequests {
  const methods: string[] = [];
  let pos = 0;
  const fail = (reason: string, at: number): never => {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at && i < bytes.length; i++) {
      if (bytes[i] === LF) {
        line++;
        lineStart = i + 1;
      }
    }
    throw new RequestFormatError(reason, line, at - lineStart + 1);
  };
  /** End of the line starting at `from` (index of its CR or LF) and where the next line starts. */
  const lineAt = (from: number): [end: number, next: number] => {
    const lf = bytes.indexOf(LF, from);
    if (lf < 0) return fail("incomplete request", bytes.length);
    return [lf > from && bytes[lf - 1] === CR ? lf - 1 : lf, lf + 1];
  };

  if (bytes.length === 0) fail("empty request", 0);
  while (pos < bytes.length) {
    const [end, next] = lineAt(pos);
    let i = pos;
    while (i < end && TCHAR[bytes[i]]) i++;
    if (i === pos || bytes[i] !== SP) fail("invalid method", i);
    const method = decoder.decode(bytes.subarray(pos, i));
    const targetStart = ++i;
    while (i < end && bytes[i] > SP && bytes[i] < 127) i++;
    if (i === targetStart || bytes[i] !== SP) {
      if (i < end && bytes[i] > 127) {
        fail(`request target ${quote(bytes, targetStart)} must be ASCII (percent-encode other bytes)`, i);
      }
      fail("invalid URL", i);
    }
    if (method !== "CONNECT" && !validTarget(bytes.subarray(targetStart, i))) {
      fail(
        `request target ${quote(bytes, targetStart)} must start with "/" ` +
          `(or be an absolute URL "http://…", or "*")`,
        targetStart,
      );
    }
    const version = decoder.decode(bytes.subarray(i + 1, end));
    if (!/^HTTP\/\d\.\d$/.test(version)) fail("invalid HTTP version", i + 1);
    pos = next;

    let contentLength = 0;
    let chunked = false;
    for (;;) {
      const [lineEnd, lineNext] = lineAt(pos);
      if (lineEnd === pos) {
        pos = lineNext;
        break;
      }
      let c = pos;
      while (c < lineEnd && TCHAR[bytes[c]]) c++;
      if (c === pos || bytes[c] !== COLON) fail("invalid header", c);
      const name = decoder.decode(bytes.subarray(pos, c)).toLowerCase();
      const value = decoder.decode(bytes.subarray(c + 1, lineEnd)).trim();
      if (name === "content-length") {
        if (!/^\d+$/.test(value)) fail("invalid Content-Length", c + 1);
        contentLength = Number(value);
      } else if (name === "transfer-encoding") {
        chunked = /(^|,)\s*chunked\s*$/i.test(value);
      }
      pos = lineNext;
    }

    if (chunked) {
      for (;;) {
        const [sizeEnd, sizeNext] = lineAt(pos);
        const sizeText = decoder.decode(bytes.subarray(pos, sizeEnd)).split(";")[0].trim();
        if (!/^[0-9a-fA-F]+$/.test(sizeText)) fail("invalid chunk size", pos);
        const size = parseInt(sizeText, 16);
        pos = sizeNext;
        if (size === 0) {
          // Trailer fields, then the empty line.
          for (;;) {
            const [trailerEnd, trailerNext] = lineAt(pos);
            const empty = trailerEnd === pos;
            pos = trailerNext;
            if (empty) break;
          }
          break;
        }
        if (pos + size > bytes.length) fail("incomplete body", bytes.length);
        pos += size;
        const [dataEnd, dataNext] = lineAt(pos);
        if (dataEnd !== pos) fail("invalid chunk", pos);
        pos = dataNext;
      }
    } else {
      if (pos + contentLength > bytes.length) fail("incomplete body", bytes.length);
      pos += contentLength;
    }
    methods.push(method);
  }
  return { count: methods.length, methods };
}
