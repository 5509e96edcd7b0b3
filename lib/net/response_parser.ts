/**
 * An incremental HTTP/1.1 response parser that reuses its buffers: one instance per connection, reset between
 * responses, so the per-request path allocates nothing once the buffers have grown to the responses seen.
 */
import type { ResponseView } from "./request_source.ts";

/** wrk's http_parser limit on a response head (HTTP_MAX_HEADER_SIZE). */
const MAX_HEAD_BYTES = 80 * 1024;
const MAX_HEADERS = 256;

const LF = 10;
const CR = 13;

const enum State {
  Head,
  BodyLength,
  BodyUntilClose,
  ChunkSize,
  ChunkExtension,
  ChunkData,
  ChunkDataEnd,
  Trailer,
  Done,
}

/** `execute()`'s return value when the bytes are not HTTP: the caller counts a read error. */
export const PARSE_ERROR = -1;

// Lower-case header names the connection cycle must understand, compared without allocating.
const CONTENT_LENGTH = bytesOf("content-length");
const TRANSFER_ENCODING = bytesOf("transfer-encoding");
const CONNECTION = bytesOf("connection");
const CHUNKED = bytesOf("chunked");
const CLOSE = bytesOf("close");
const KEEP_ALIVE = bytesOf("keep-alive");

function bytesOf(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Parses one response at a time; see `execute()`. Implements the view handed to `response()` hooks. */
export class ResponseParser implements ResponseView {
  status = 0;
  headerCount = 0;
  // Small until a response needs more: at -c10000 every byte per connection counts.
  head: Uint8Array = new Uint8Array(1024);
  // Header offsets exist only for a response() hook; without one they are never read.
  readonly nameStart: Int32Array;
  readonly nameEnd: Int32Array;
  readonly valueStart: Int32Array;
  readonly valueEnd: Int32Array;
  body: Uint8Array = new Uint8Array(0);
  bodyLength = 0;
  /** False when the server will close (or wants us to close) the connection after this response. */
  keepAlive = true;

  /** Keep header offsets and body bytes for a `response()` hook; otherwise only scan them. */
  readonly collect: boolean;

  #state = State.Head;
  #headLength = 0;
  #lineLength = 0;
  #remaining = 0;
  #chunkDigits = 0;
  #isHeadRequest = false;
  #chunked = false;
  #contentLength = -1;
  #connectionClose = false;
  #connectionKeepAlive = false;

  constructor(collect: boolean) {
    this.collect = collect;
    const slots = collect ? MAX_HEADERS : 0;
    this.nameStart = new Int32Array(slots);
    this.nameEnd = new Int32Array(slots);
    this.valueStart = new Int32Array(slots);
    this.valueEnd = new Int32Array(slots);
  }

  /** True once a whole response has been parsed; call `reset()` before the next one. */
  get done(): boolean {
    return this.#state === State.Done;
  }

  /** True while a response has started arriving (so a closed connection now loses it). */
  get inProgress(): boolean {
    return this.#headLength > 0 && this.#state !== State.Done;
  }

  /** Prepares for the next response; `isHeadRequest` says its request was a HEAD (no body follows). */
  reset(isHeadRequest: boolean): void {
    this.#state = State.Head;
    this.#headLength = 0;
    this.#lineLength = 0;
    this.#isHeadRequest = isHeadRequest;
    this.status = 0;
    this.headerCount = 0;
    this.bodyLength = 0;
    this.keepAlive = true;
  }

  /**
   * Consumes `bytes[start, end)` until the end of the current response. Returns the index of the first byte
   * not consumed (`end` when all were), or `PARSE_ERROR`. Check `done` after each call.
   */
  execute(bytes: Uint8Array, start: number, end: number): number {
    let pos = start;
    while (pos < end) {
      switch (this.#state) {
        case State.Head:
          pos = this.#headLength === 0 && !this.collect
            ? this.#parseHeadInPlace(bytes, pos, end)
            : this.#readHead(bytes, pos, end);
          if (pos === PARSE_ERROR) return PARSE_ERROR;
          break;
        case State.BodyLength: {
          const n = Math.min(this.#remaining, end - pos);
          if (this.collect) this.#appendBody(bytes, pos, n);
          pos += n;
          this.#remaining -= n;
          if (this.#remaining === 0) this.#state = State.Done;
          break;
        }
        case State.BodyUntilClose:
          if (this.collect) this.#appendBody(bytes, pos, end - pos);
          pos = end;
          break;
        case State.ChunkSize:
          pos = this.#readChunkSize(bytes, pos, end);
          if (pos === PARSE_ERROR) return PARSE_ERROR;
          break;
        case State.ChunkExtension: {
          const lf = bytes.indexOf(LF, pos);
          if (lf < 0 || lf >= end) return end;
          pos = lf + 1;
          this.#endChunkSizeLine();
          break;
        }
        case State.ChunkData: {
          const n = Math.min(this.#remaining, end - pos);
          if (this.collect) this.#appendBody(bytes, pos, n);
          pos += n;
          this.#remaining -= n;
          if (this.#remaining === 0) {
            this.#state = State.ChunkDataEnd;
            this.#lineLength = 0;
          }
          break;
        }
        case State.ChunkDataEnd: {
          const b = bytes[pos++];
          if (b === LF) {
            this.#state = State.ChunkSize;
            this.#chunkDigits = 0;
          } else if (b !== CR || this.#lineLength++ > 0) {
            return PARSE_ERROR;
          }
          break;
        }
        case State.Trailer:
          pos = this.#readTrailer(bytes, pos, end);
          break;
        case State.Done:
          return pos;
      }
      if (this.#state === State.Done) return pos;
    }
    return pos;
  }

  /** The connection reached EOF: true when that ends the current response (a close-delimited body). */
  finishAtEof(): boolean {
    if (this.#state !== State.BodyUntilClose) return false;
    this.#state = State.Done;
    return true;
  }

  /**
   * The common case without a `response()` hook: the whole head arrived in this read, so parse it where it lies
   * instead of copying it. Falls back to `#readHead` when the head continues past `end`.
   */
  #parseHeadInPlace(bytes: Uint8Array, start: number, end: number): number {
    let line = start;
    for (;;) {
      const lf = bytes.indexOf(LF, line);
      if (lf < 0 || lf >= end) return this.#readHead(bytes, start, end);
      if (lf === line || (lf === line + 1 && bytes[line] === CR)) {
        // Blank lines before the status line are tolerated (RFC 9112 §2.2).
        if (line === start) return this.#parseHeadInPlace(bytes, lf + 1, end);
        return this.#endHead(bytes, start, lf + 1, lf + 1);
      }
      line = lf + 1;
    }
  }

  #readHead(bytes: Uint8Array, start: number, end: number): number {
    let head = this.head;
    let length = this.#headLength;
    let line = this.#lineLength;
    for (let i = start; i < end; i++) {
      const b = bytes[i];
      if (length === head.length) {
        if (length >= MAX_HEAD_BYTES) return PARSE_ERROR;
        head = this.#growHead();
      }
      if (b === LF) {
        // Blank lines before the status line are tolerated (RFC 9112 §2.2); a blank line after it ends the head.
        if (line === 0 && length > 0) {
          head[length++] = b;
          this.#headLength = length;
          this.#lineLength = 0;
          return this.#endHead(head, 0, length, i + 1);
        }
        if (length > 0 || line > 0) head[length++] = b;
        line = 0;
      } else {
        head[length++] = b;
        if (b !== CR) line++;
      }
      if (length === 1 && line === 0) length = 0; // a lone CR before the status line
    }
    this.#headLength = length;
    this.#lineLength = line;
    return end;
  }

  #growHead(): Uint8Array {
    const grown = new Uint8Array(Math.min(this.head.length * 2, MAX_HEAD_BYTES));
    grown.set(this.head);
    this.head = grown;
    return grown;
  }

  /** Parses a complete head lying in `head[from, to)`; returns `next` or PARSE_ERROR. */
  #endHead(head: Uint8Array, from: number, to: number, next: number): number {
    const f = from;
    // "HTTP/1.x SSS" at least.
    if (
      to - f < 12 || head[f] !== 72 || head[f + 1] !== 84 || head[f + 2] !== 84 || head[f + 3] !== 80 ||
      head[f + 4] !== 47 || head[f + 5] !== 49 || head[f + 6] !== 46 || head[f + 8] !== 32
    ) return PARSE_ERROR;
    const minor = head[f + 7] - 48;
    const s0 = head[f + 9] - 48, s1 = head[f + 10] - 48, s2 = head[f + 11] - 48;
    if (minor < 0 || minor > 9 || s0 < 1 || s0 > 5 || s1 < 0 || s1 > 9 || s2 < 0 || s2 > 9) {
      return PARSE_ERROR;
    }
    const after = head[f + 12];
    if (to - f > 12 && after !== 32 && after !== CR && after !== LF) return PARSE_ERROR;
    const status = s0 * 100 + s1 * 10 + s2;

    this.#chunked = false;
    this.#contentLength = -1;
    this.#connectionClose = false;
    this.#connectionKeepAlive = false;
    let count = 0;
    let pos = head.indexOf(LF, f) + 1;
    while (pos < to) {
      let eol = head.indexOf(LF, pos);
      if (eol < 0 || eol >= to) eol = to;
      let lineEnd = eol;
      if (lineEnd > pos && head[lineEnd - 1] === CR) lineEnd--;
      if (lineEnd > pos) {
        let colon = pos;
        while (colon < lineEnd && head[colon] !== 58) colon++;
        if (colon === lineEnd || colon === pos) return PARSE_ERROR;
        let valueStart = colon + 1;
        while (valueStart < lineEnd && (head[valueStart] === 32 || head[valueStart] === 9)) valueStart++;
        let valueEnd = lineEnd;
        while (valueEnd > valueStart && (head[valueEnd - 1] === 32 || head[valueEnd - 1] === 9)) valueEnd--;
        if (!this.#noteHeader(head, pos, colon, valueStart, valueEnd)) return PARSE_ERROR;
        if (this.collect) {
          if (count === MAX_HEADERS) return PARSE_ERROR;
          this.nameStart[count] = pos;
          this.nameEnd[count] = colon;
          this.valueStart[count] = valueStart;
          this.valueEnd[count] = valueEnd;
        }
        count++;
      }
      pos = eol + 1;
    }
    this.status = status;
    this.headerCount = this.collect ? count : 0;
    this.keepAlive = minor >= 1
      ? !this.#connectionClose
      : this.#connectionKeepAlive && !this.#connectionClose;

    if (status < 200 && status !== 101) {
      // Interim responses (100 Continue, 103 Early Hints) precede the real one (RFC 9110 §15.2).
      this.reset(this.#isHeadRequest);
      return next;
    }
    if (this.#isHeadRequest || status === 204 || status === 304 || status === 101) {
      this.#state = State.Done;
    } else if (this.#chunked) {
      this.#state = State.ChunkSize;
      this.#chunkDigits = 0;
      this.#remaining = 0;
    } else if (this.#contentLength >= 0) {
      this.#remaining = this.#contentLength;
      this.#state = this.#contentLength === 0 ? State.Done : State.BodyLength;
    } else {
      // No framing: the body runs until the server closes (RFC 9112 §6.3, rule 8).
      this.keepAlive = false;
      this.#state = State.BodyUntilClose;
    }
    return next;
  }

  /** Records what framing and persistence headers say; false when a value is invalid. */
  #noteHeader(
    head: Uint8Array,
    nameStart: number,
    nameEnd: number,
    valueStart: number,
    valueEnd: number,
  ): boolean {
    const nameLength = nameEnd - nameStart;
    if (nameLength === CONTENT_LENGTH.length && equalsLower(head, nameStart, CONTENT_LENGTH)) {
      if (valueStart === valueEnd) return false;
      let value = 0;
      for (let i = valueStart; i < valueEnd; i++) {
        const d = head[i] - 48;
        if (d < 0 || d > 9) return false;
        value = value * 10 + d;
      }
      if (value > Number.MAX_SAFE_INTEGER) return false;
      // Differing repeated Content-Length values make the framing ambiguous (RFC 9112 §6.3, rule 5).
      if (this.#contentLength >= 0 && this.#contentLength !== value) return false;
      this.#contentLength = value;
    } else if (nameLength === TRANSFER_ENCODING.length && equalsLower(head, nameStart, TRANSFER_ENCODING)) {
      // Chunked must be the final coding; anything else leaves the body close-delimited.
      this.#chunked = valueEnd - valueStart >= CHUNKED.length &&
        equalsLower(head, valueEnd - CHUNKED.length, CHUNKED);
    } else if (nameLength === CONNECTION.length && equalsLower(head, nameStart, CONNECTION)) {
      if (containsToken(head, valueStart, valueEnd, CLOSE)) this.#connectionClose = true;
      if (containsToken(head, valueStart, valueEnd, KEEP_ALIVE)) this.#connectionKeepAlive = true;
    }
    return true;
  }

  #readChunkSize(bytes: Uint8Array, start: number, end: number): number {
    for (let i = start; i < end; i++) {
      const b = bytes[i];
      const digit = hexValue(b);
      if (digit >= 0) {
        if (++this.#chunkDigits > 12) return PARSE_ERROR;
        this.#remaining = this.#remaining * 16 + digit;
        continue;
      }
      if (this.#chunkDigits === 0) return PARSE_ERROR;
      if (b === LF) {
        this.#endChunkSizeLine();
        return i + 1;
      }
      if (b === CR || b === 59 || b === 32 || b === 9) {
        this.#state = State.ChunkExtension;
        return i + 1;
      }
      return PARSE_ERROR;
    }
    return end;
  }

  #endChunkSizeLine(): void {
    if (this.#remaining === 0) {
      this.#state = State.Trailer;
      this.#lineLength = 0;
    } else {
      this.#state = State.ChunkData;
    }
  }

  #readTrailer(bytes: Uint8Array, start: number, end: number): number {
    let line = this.#lineLength;
    for (let i = start; i < end; i++) {
      const b = bytes[i];
      if (b === LF) {
        if (line === 0) {
          this.#state = State.Done;
          return i + 1;
        }
        line = 0;
      } else if (b !== CR) {
        line++;
      }
    }
    this.#lineLength = line;
    return end;
  }

  #appendBody(bytes: Uint8Array, start: number, count: number): void {
    const needed = this.bodyLength + count;
    if (needed > this.body.length) {
      const grown = new Uint8Array(Math.max(needed, this.body.length * 2, 1024));
      grown.set(this.body.subarray(0, this.bodyLength));
      this.body = grown;
    }
    this.body.set(bytes.subarray(start, start + count), this.bodyLength);
    this.bodyLength = needed;
  }
}

function hexValue(b: number): number {
  if (b >= 48 && b <= 57) return b - 48;
  const lower = b | 0x20;
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -1;
}

/** `bytes[at, at + lower.length)` equals `lower` ignoring ASCII case. */
function equalsLower(bytes: Uint8Array, at: number, lower: Uint8Array): boolean {
  for (let i = 0; i < lower.length; i++) {
    if ((bytes[at + i] | 0x20) !== lower[i] && bytes[at + i] !== lower[i]) return false;
  }
  return true;
}

/** A comma-separated header value `bytes[start, end)` holds `token`, ignoring case and spaces. */
function containsToken(bytes: Uint8Array, start: number, end: number, token: Uint8Array): boolean {
  let i = start;
  while (i < end) {
    while (i < end && (bytes[i] === 32 || bytes[i] === 9 || bytes[i] === 44)) i++;
    let j = i;
    while (j < end && bytes[j] !== 44) j++;
    let k = j;
    while (k > i && (bytes[k - 1] === 32 || bytes[k - 1] === 9)) k--;
    if (k - i === token.length && equalsLower(bytes, i, token)) return true;
    i = j + 1;
  }
  return false;
}
