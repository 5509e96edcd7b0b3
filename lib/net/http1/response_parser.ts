/**
 * An incremental HTTP/1.1 response parser that reuses its buffers: one instance per connection, reset between
 * responses, so the per-request path allocates nothing once the buffers have grown to the responses seen.
 */
import type { ResponseView } from "../request_source.ts";
import { isRepeatedHead, keepRepeatedHead, repeatedHead } from "./_repeated_head.ts";

/** wrk's http_parser limit on a response head (HTTP_MAX_HEADER_SIZE). */
const MAX_HEAD_BYTES = 80 * 1024;
/** Header offsets a parser keeps room for at first (for a `response()` hook); more grow them. */
const FIRST_HEADER_ROOM = 64;

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
/** `#parseHead()`'s return value when the head continues past the bytes given. */
const INCOMPLETE = -2;

// Lower-case header names the connection cycle must understand, compared without allocating.
const CONTENT_LENGTH = bytesOf("content-length");
const TRANSFER_ENCODING = bytesOf("transfer-encoding");
const CONNECTION = bytesOf("connection");
const CHUNKED = bytesOf("chunked");
const CLOSE = bytesOf("close");
const KEEP_ALIVE = bytesOf("keep-alive");

// Shared empty arrays: each typed array, even an empty one, costs ~200 bytes of heap (with its ArrayBuffer), and
// a parser per connection kept five of its own (docs/benchmarks.md#memory-per-thread).
const EMPTY = new Uint8Array(0);
/** A chunk size of 2^48 or more (13 significant hex digits) is refused: past any body this tool could count. */
const MAX_CHUNK_BYTES = 2 ** 48;
const NO_WORDS = new Int32Array(0);
/**
 * The last read buffer viewed as 32-bit words, and the view: a thread's connections share one read buffer
 * (`Transport.readBuffer`), so they share its view too instead of holding one each.
 */
let viewedBytes: Uint8Array = EMPTY;
let viewedWords: Int32Array = NO_WORDS;
/** The same buffer's memory as a DataView, for `isRepeatedHead`'s reads at any alignment. */
let viewedData: DataView = new DataView(new ArrayBuffer(0));
/** The first `#headCopy` (a typical head fits): grown by doubling from there. */
const FIRST_HEAD_COPY_BYTES = 1024;

// A byte repeated in the four bytes of a word, for the scans four bytes at a time (`lineFeedAt`, `colonOrLfAt`).
const LF_WORD = 0x0a0a0a0a;
const COLON_WORD = 0x3a3a3a3a;
const ONES_WORD = 0x01010101;
const HIGH_BITS_WORD = 0x80808080 | 0;

function bytesOf(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Parses one response at a time; see `execute()`. Implements the view handed to `response()` hooks. */
export class ResponseParser implements ResponseView {
  status = 0;
  headerCount = 0;
  /** The bytes the current head lies in: the read buffer (parsed in place) or `#headCopy`. */
  head: Uint8Array = EMPTY;
  // None until a head must be copied (split over reads, or kept past its read for response()), then small until
  // a response needs more: at -c10000 every byte per connection counts.
  #headCopy: Uint8Array = EMPTY;
  /** `#headCopy` as 32-bit words, for `#parseHead`'s scans. */
  #headCopyWords: Int32Array = NO_WORDS;
  // Header offsets exist only for a response() hook; without one they are never read.
  nameStart: Int32Array;
  nameEnd: Int32Array;
  valueStart: Int32Array;
  valueEnd: Int32Array;
  body: Uint8Array = EMPTY;
  bodyLength = 0;
  /** False when the server will close (or wants us to close) the connection after this response. */
  keepAlive = true;
  /** The head's version when it is the one kept in `_repeated_head.ts` (equal heads, equal versions), else 0. */
  headVersion = 0;
  /** After `PARSE_ERROR`: why, when it is a limit rather than malformed bytes (the read error's reason). */
  limitReached: string | null = null;

  /** Keep header offsets and body bytes for a `response()` hook; otherwise only scan them. */
  readonly collect: boolean;

  #state = State.Head;
  /** Bytes of the head copied so far (0: none, the head may still be parsed in place). */
  #headLength = 0;
  /**
   * While copying a head: bytes of its unfinished line, whether it holds a byte other than CR (1; looked for only
   * where that decides whether the line is blank), and the non-blank lines before it.
   */
  #lineBytes = 0;
  #lineNonCr = 0;
  #headLines = 0;
  /** Where a head parsed in place lies in the read buffer. */
  #inPlaceStart = 0;
  #inPlaceEnd = 0;
  /** Chunk and trailer lines: bytes seen of the current line. */
  #lineLength = 0;
  #remaining = 0;
  #chunkDigits = 0;
  #isHeadRequest = false;
  #chunked = false;
  #contentLength = -1;
  #connectionClose = false;
  #connectionKeepAlive = false;
  /** The read buffer last parsed in place, and a 32-bit view of it (empty when it is not 4-byte aligned). */
  #wordBytes: Uint8Array = EMPTY;
  #words: Int32Array = NO_WORDS;
  #data: DataView = viewedData;
  /**
   * Heads scanned four bytes at a time: the probe of that fast path (tests check it is taken where it should
   * be). Heads parsed in place in a 4-byte-aligned buffer (a connection's read buffer) are, and copied heads;
   * heads parsed in place in a buffer at an odd offset are scanned byte by byte.
   */
  wordScannedHeads = 0;
  /**
   * Heads found equal to the last one parsed (`lib/net/http1/_repeated_head.ts`) and not parsed again: the probe
   * of that fast path.
   */
  repeatedHeads = 0;

  constructor(collect: boolean) {
    this.collect = collect;
    this.nameStart = collect ? new Int32Array(FIRST_HEADER_ROOM) : NO_WORDS;
    this.nameEnd = collect ? new Int32Array(FIRST_HEADER_ROOM) : NO_WORDS;
    this.valueStart = collect ? new Int32Array(FIRST_HEADER_ROOM) : NO_WORDS;
    this.valueEnd = collect ? new Int32Array(FIRST_HEADER_ROOM) : NO_WORDS;
  }

  /** True once a whole response has been parsed; call `reset()` before the next one. */
  get done(): boolean {
    return this.#state === State.Done;
  }

  /** True while a response has started arriving (so a closed connection now loses it). */
  get inProgress(): boolean {
    return (this.#headLength > 0 || this.#state !== State.Head) && this.#state !== State.Done;
  }

  /**
   * Says again whether the next response answers a HEAD, after `reset()` and before any of it is read: the
   * connection learns it once `request()` has built that request.
   */
  expectHead(isHeadRequest: boolean): void {
    this.#isHeadRequest = isHeadRequest;
  }

  /** Prepares for the next response; `isHeadRequest` says its request was a HEAD (no body follows). */
  reset(isHeadRequest: boolean): void {
    this.#state = State.Head;
    this.limitReached = null;
    this.#trailerLength = 0;
    this.head = EMPTY;
    this.#headLength = 0;
    this.#lineBytes = 0;
    this.#lineNonCr = 0;
    this.#headLines = 0;
    this.#lineLength = 0;
    this.#isHeadRequest = isHeadRequest;
    this.status = 0;
    this.headerCount = 0;
    this.headVersion = 0;
    this.bodyLength = 0;
    this.keepAlive = true;
  }

  /**
   * Consumes `bytes[start, end)` until the end of the current response. Returns the index of the first byte
   * not consumed (`end` when all were), or `PARSE_ERROR`. Check `done` after each call.
   */
  execute(bytes: Uint8Array, start: number, end: number): number {
    const pos = this.#execute(bytes, start, end);
    // A head parsed in place lies in the caller's read buffer, which the next read overwrites.
    if (this.head === bytes && this.collect && this.#state !== State.Done) this.#detachHead(bytes);
    return pos;
  }

  #execute(bytes: Uint8Array, start: number, end: number): number {
    let pos = start;
    while (pos < end) {
      switch (this.#state) {
        case State.Head: {
          const next = this.#headLength === 0
            ? this.#parseHeadInPlace(bytes, pos, end)
            : this.#readHead(bytes, pos, end);
          // A head step consumes bytes or fails; one that did neither would spin here forever.
          if (next === PARSE_ERROR || (next <= pos && this.#state === State.Head)) return PARSE_ERROR;
          pos = next;
          break;
        }
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
   * The common case: the whole head arrived in this read, so parse it where it lies instead of copying it (the
   * `response()` hook then reads it from the read buffer, which stays untouched until the hook returns). Falls
   * back to `#readHead` when the head continues past `end`.
   */
  #parseHeadInPlace(bytes: Uint8Array, start: number, end: number): number {
    if (bytes !== this.#wordBytes) this.#viewWords(bytes);
    // A head kept without header offsets cannot stand in for one a response() hook reads.
    if (
      this.#isHeadRequest === repeatedHead.isHeadRequest &&
      (!this.collect || repeatedHead.headerCount >= 0) &&
      isRepeatedHead(bytes, this.#data, start, end)
    ) return this.#repeatHead(bytes, start);
    const next = this.#parseHead(bytes, this.#words, start, end);
    if (next === PARSE_ERROR) return next;
    if (next !== INCOMPLETE) {
      // An interim response reset the parser: the final head is still to come.
      if (this.#state === State.Head) return next;
      this.head = bytes;
      this.#inPlaceStart = start;
      this.#inPlaceEnd = next;
      this.headVersion = keepRepeatedHead(
        bytes,
        this.#data,
        start,
        next,
        this.#isHeadRequest,
        this.status,
        this.keepAlive,
        this.#state,
        this.#state === State.BodyLength ? this.#remaining : 0,
        this.collect ? this : null,
      );
      return next;
    }
    return this.#readHead(bytes, start, end);
  }

  /** The head at `start` is the last one parsed (`isRepeatedHead`): takes what its parse decided. */
  #repeatHead(bytes: Uint8Array, start: number): number {
    const next = start + repeatedHead.length;
    this.repeatedHeads++;
    this.status = repeatedHead.status;
    this.keepAlive = repeatedHead.keepAlive;
    this.#state = repeatedHead.state;
    this.#remaining = repeatedHead.remaining;
    this.#chunkDigits = 0;
    this.head = bytes;
    this.headVersion = repeatedHead.version;
    if (this.collect) {
      const count = repeatedHead.headerCount;
      if (count > this.nameStart.length) this.#growHeaderRoom(count);
      for (let i = 0; i < count; i++) {
        this.nameStart[i] = repeatedHead.nameStart[i] + start;
        this.nameEnd[i] = repeatedHead.nameEnd[i] + start;
        this.valueStart[i] = repeatedHead.valueStart[i] + start;
        this.valueEnd[i] = repeatedHead.valueEnd[i] + start;
      }
      this.headerCount = count;
    }
    this.#inPlaceStart = start;
    this.#inPlaceEnd = next;
    return next;
  }

  /**
   * Copies head bytes up to the blank line that ends the head, then parses the copy. Scans only the new bytes
   * (`#lineBytes`/`#lineNonCr` carry the unfinished line over), line by line as `#parseHead` does (four bytes
   * at a time in an aligned read buffer), and copies none past the head: a head that trickles in a byte at a time
   * costs one pass, and the copy stays the size of the head.
   */
  #readHead(bytes: Uint8Array, start: number, end: number): number {
    if (bytes !== this.#wordBytes) this.#viewWords(bytes);
    const words = this.#words;
    let lineBytes = this.#lineBytes;
    let lineNonCr = this.#lineNonCr;
    let stop = -1;
    let i = start;
    while (i < end) {
      const lf = lineFeedAt(bytes, words, i, end);
      // As `#parseHead` sees lines: before the status line, any run of CRs is blank (RFC 9112 §2.2 tolerates
      // blank lines there); after it, only an empty line or a lone CR ends the head. So only there, or in a line
      // of at most one byte, does a byte other than CR matter.
      if (lineNonCr === 0 && (this.#headLines === 0 || lineBytes + lf - i <= 1)) {
        for (let j = i; j < lf; j++) {
          if (bytes[j] !== CR) {
            lineNonCr = 1;
            break;
          }
        }
      }
      lineBytes += lf - i;
      if (lf === end) break;
      const blank = this.#headLines === 0
        ? lineNonCr === 0
        : lineBytes === 0 || (lineBytes === 1 && lineNonCr === 0);
      lineBytes = 0;
      lineNonCr = 0;
      i = lf + 1;
      if (!blank) this.#headLines++;
      else if (this.#headLines > 0) {
        stop = i;
        break;
      }
    }
    const old = this.#headLength;
    const count = (stop < 0 ? end : stop) - start;
    if (old + count > MAX_HEAD_BYTES) {
      this.limitReached = `response head over ${MAX_HEAD_BYTES / 1024} KiB`;
      return PARSE_ERROR;
    }
    let copy = this.#headCopy;
    if (old + count > copy.length) copy = this.#growHead(old + count);
    copyBytes(bytes, start, count, copy, old);
    this.#headLength = old + count;
    if (stop < 0) {
      this.#lineBytes = lineBytes;
      this.#lineNonCr = lineNonCr;
      return end;
    }
    this.head = copy;
    // An interim response resets the parser, and the final one starts after it. The copy is the whole head,
    // so the parse cannot find it incomplete; if it did, that is an error, never a reason to read on.
    const next = this.#parseHead(copy, this.#headCopyWords, 0, this.#headLength);
    return next < 0 ? PARSE_ERROR : stop;
  }

  /**
   * Views `bytes` as 32-bit words for the head scans; once per read buffer (a thread's connections share one,
   * and share its view), so nothing is allocated per response. A buffer that does not start on a 4-byte
   * boundary is scanned byte by byte.
   */
  #viewWords(bytes: Uint8Array): void {
    if (bytes !== viewedBytes) {
      viewedBytes = bytes;
      viewedWords = (bytes.byteOffset & 3) === 0 && bytes.length >= 4
        ? new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2)
        : NO_WORDS;
      viewedData = new DataView(bytes.buffer);
    }
    this.#wordBytes = bytes;
    this.#words = viewedWords;
    this.#data = viewedData;
  }

  /** Moves a head parsed in place into `#headCopy`, with its header offsets. */
  #detachHead(bytes: Uint8Array): void {
    const from = this.#inPlaceStart;
    const length = this.#inPlaceEnd - from;
    const copy = length > this.#headCopy.length ? this.#growHead(length) : this.#headCopy;
    copy.set(bytes.subarray(from, from + length));
    for (let i = 0; i < this.headerCount; i++) {
      this.nameStart[i] -= from;
      this.nameEnd[i] -= from;
      this.valueStart[i] -= from;
      this.valueEnd[i] -= from;
    }
    this.head = copy;
  }

  /** Room for `size` header offsets, those kept (wrk has no limit on a head's fields, only on its bytes). */
  #growHeaderRoom(size: number): void {
    const grow = (offsets: Int32Array) => {
      const grown = new Int32Array(size);
      grown.set(offsets);
      return grown;
    };
    this.nameStart = grow(this.nameStart);
    this.nameEnd = grow(this.nameEnd);
    this.valueStart = grow(this.valueStart);
    this.valueEnd = grow(this.valueEnd);
  }

  #growHead(needed: number): Uint8Array {
    let size = Math.max(FIRST_HEAD_COPY_BYTES, this.#headCopy.length * 2);
    while (size < needed) size *= 2;
    const grown = new Uint8Array(Math.min(size, MAX_HEAD_BYTES));
    grown.set(this.#headCopy.subarray(0, this.#headLength));
    this.#headCopy = grown;
    this.#headCopyWords = new Int32Array(grown.buffer, 0, grown.length >> 2);
    return grown;
  }

  /**
   * Parses a head starting at `bytes[start]` (after optional blank lines) and ending before `end`. Returns the
   * index after its blank line, `INCOMPLETE` when that line is not before `end`, or `PARSE_ERROR`. One pass over
   * the bytes, no copies: each header line is scanned for its colon, then its line feed, four bytes at a time
   * through `words` (the same bytes as 32-bit words; empty: byte by byte).
   */
  #parseHead(bytes: Uint8Array, words: Int32Array, start: number, end: number): number {
    let f = start;
    // Blank lines before the status line are tolerated (RFC 9112 §2.2).
    while (f < end && (bytes[f] === CR || bytes[f] === LF)) f++;
    let lf = lineFeedAt(bytes, words, f, end);
    if (lf === end) return INCOMPLETE;
    // "HTTP/1.x SSS" at least.
    let lineEnd = bytes[lf - 1] === CR ? lf - 1 : lf;
    if (
      lineEnd - f < 12 || bytes[f] !== 72 || bytes[f + 1] !== 84 || bytes[f + 2] !== 84 ||
      bytes[f + 3] !== 80 || bytes[f + 4] !== 47 || bytes[f + 5] !== 49 || bytes[f + 6] !== 46 ||
      bytes[f + 8] !== 32
    ) return PARSE_ERROR;
    const minor = bytes[f + 7] - 48;
    const s0 = bytes[f + 9] - 48, s1 = bytes[f + 10] - 48, s2 = bytes[f + 11] - 48;
    // Any three digits from 100 (wrk's http_parser takes 600-999 too: LinkedIn's 999 is a real one).
    if (minor < 0 || minor > 9 || s0 < 1 || s0 > 9 || s1 < 0 || s1 > 9 || s2 < 0 || s2 > 9) {
      return PARSE_ERROR;
    }
    if (lineEnd - f > 12 && bytes[f + 12] !== 32) return PARSE_ERROR;
    const status = s0 * 100 + s1 * 10 + s2;

    this.#chunked = false;
    this.#contentLength = -1;
    this.#connectionClose = false;
    this.#connectionKeepAlive = false;
    const collect = this.collect;
    let count = 0;
    let pos = lf + 1;
    // JS loops over the bytes (or words) beat native indexOf here: lines are short, and each indexOf call costs
    // more than scanning one (docs/benchmarks.md).
    for (;;) {
      // The name up to its colon (or the line's end), then the value up to LF.
      let i = colonOrLfAt(bytes, words, pos, end);
      if (i >= end) return INCOMPLETE;
      const colon = bytes[i] === 58 ? i : -1;
      if (colon >= 0) {
        i = lineFeedAt(bytes, words, i + 1, end);
        if (i >= end) return INCOMPLETE;
      }
      lf = i;
      lineEnd = lf > pos && bytes[lf - 1] === CR ? lf - 1 : lf;
      if (lineEnd === pos) break;
      if (bytes[pos] === 32 || bytes[pos] === 9) {
        // obs-fold (RFC 9112 §5.2): the line continues the previous field's value, which a user agent must
        // take, with the line break read as spaces. Before any field there is nothing to continue.
        if (count === 0) return PARSE_ERROR;
        if (collect) this.#unfold(bytes, count - 1, lineEnd);
        pos = lf + 1;
        continue;
      }
      // No whitespace between a field's name and its colon (RFC 9112 §5.1): `Content-Length : 5` is refused
      // rather than taken for another field, which would leave the body unframed.
      if (colon <= pos || colon >= lineEnd || bytes[colon - 1] === 32 || bytes[colon - 1] === 9) {
        return PARSE_ERROR;
      }
      const nameLength = colon - pos;
      // Only content-length (14), transfer-encoding (17) and connection (10) matter to the framing: the length
      // check skips the others without comparing bytes.
      const framing = nameLength === 14 || nameLength === 17 || nameLength === 10;
      if (framing || collect) {
        let valueStart = colon + 1;
        while (valueStart < lineEnd && (bytes[valueStart] === 32 || bytes[valueStart] === 9)) valueStart++;
        let valueEnd = lineEnd;
        while (valueEnd > valueStart && (bytes[valueEnd - 1] === 32 || bytes[valueEnd - 1] === 9)) valueEnd--;
        if (framing && !this.#noteHeader(bytes, pos, colon, valueStart, valueEnd, minor)) return PARSE_ERROR;
        if (collect) {
          if (count === this.nameStart.length) this.#growHeaderRoom(count * 2);
          this.nameStart[count] = pos;
          this.nameEnd[count] = colon;
          this.valueStart[count] = valueStart;
          this.valueEnd[count] = valueEnd;
        }
      }
      count++;
      pos = lf + 1;
    }
    const next = lf + 1;
    if (words.length > 0) this.wordScannedHeads++;
    this.status = status;
    this.headerCount = collect ? count : 0;
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

  /**
   * Extends header `index`'s value over a folded line ending at `lineEnd`: the bytes from its old end up to the
   * line's text become spaces, in place (the head's bytes are the parser's to read until the next response).
   */
  #unfold(bytes: Uint8Array, index: number, lineEnd: number): void {
    let end = lineEnd;
    while (end > this.valueEnd[index] && (bytes[end - 1] === 32 || bytes[end - 1] === 9)) end--;
    for (let i = this.valueEnd[index]; i < end && (bytes[i] <= 32); i++) bytes[i] = 32;
    if (this.valueStart[index] === this.valueEnd[index]) {
      // An empty first line: the value starts on the folded one.
      let start = this.valueEnd[index];
      while (start < end && bytes[start] === 32) start++;
      this.valueStart[index] = start;
    }
    this.valueEnd[index] = Math.max(end, this.valueStart[index]);
  }

  /** Records what framing and persistence headers say; false when a value is invalid. */
  #noteHeader(
    head: Uint8Array,
    nameStart: number,
    nameEnd: number,
    valueStart: number,
    valueEnd: number,
    minor: number,
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
      // Only HTTP/1.0 needs `keep-alive` to persist (see `keepAlive`): HTTP/1.1 responses skip that scan.
      if (minor === 0 && containsToken(head, valueStart, valueEnd, KEEP_ALIVE)) {
        this.#connectionKeepAlive = true;
      }
    }
    return true;
  }

  #readChunkSize(bytes: Uint8Array, start: number, end: number): number {
    for (let i = start; i < end; i++) {
      const b = bytes[i];
      const digit = hexValue(b);
      if (digit >= 0) {
        this.#chunkDigits++;
        this.#remaining = this.#remaining * 16 + digit;
        // At most 12 hex digits' worth (256 TiB): leading zeros are allowed, as many as the server sends.
        if (this.#remaining >= MAX_CHUNK_BYTES) return PARSE_ERROR;
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
          if (this.collect) {
            this.#keepTrailer(bytes, start, i + 1);
            if (this.#trailerLength > 2) this.#addTrailerFields();
          }
          this.#state = State.Done;
          return i + 1;
        }
        line = 0;
      } else if (b !== CR) {
        line++;
      }
    }
    if (this.collect) this.#keepTrailer(bytes, start, end);
    this.#lineLength = line;
    return end;
  }

  /** The trailer section's bytes so far (for `response()`), up to the head's limit; the rest is read, not kept. */
  #trailer: Uint8Array = EMPTY;
  #trailerLength = 0;

  #keepTrailer(bytes: Uint8Array, start: number, end: number): void {
    const count = Math.min(end - start, MAX_HEAD_BYTES - this.#trailerLength);
    if (count <= 0) return;
    if (this.#trailerLength + count > this.#trailer.length) {
      const grown = new Uint8Array(Math.max(this.#trailerLength + count, this.#trailer.length * 2, 256));
      grown.set(this.#trailer.subarray(0, this.#trailerLength));
      this.#trailer = grown;
    }
    copyBytes(bytes, start, count, this.#trailer, this.#trailerLength);
    this.#trailerLength += count;
  }

  /**
   * The trailer's fields join the head's, as wrk's header callbacks add them to `response()`'s `headers`: the
   * head moves into `#headCopy` (if it still lies in the read buffer) with the trailer after it, and the head is
   * no longer the kept one (`headVersion` 0: the sink's same-head table would lack these fields).
   */
  #addTrailerFields(): void {
    if (this.head !== this.#headCopy) this.#detachHead(this.head);
    const headLength = this.#headLength > 0 ? this.#headLength : this.#inPlaceEnd - this.#inPlaceStart;
    const needed = headLength + this.#trailerLength;
    if (needed > this.#headCopy.length) {
      // A whole number of 32-bit words: `#growHead` doubles it later, and its word view must fit.
      const grown = new Uint8Array((needed + 3) & ~3);
      grown.set(this.#headCopy.subarray(0, headLength));
      this.#headCopy = grown;
      this.#headCopyWords = new Int32Array(grown.buffer, 0, grown.length >> 2);
    }
    const head = this.#headCopy;
    head.set(this.#trailer.subarray(0, this.#trailerLength), headLength);
    this.head = head;
    this.headVersion = 0;
    let count = this.headerCount;
    let pos = headLength;
    const end = headLength + this.#trailerLength;
    while (pos < end) {
      let lf = head.indexOf(LF, pos);
      if (lf < 0 || lf >= end) lf = end;
      const lineEnd = lf > pos && head[lf - 1] === CR ? lf - 1 : lf;
      const colon = head.indexOf(58, pos);
      if (colon > pos && colon < lineEnd) {
        let valueStart = colon + 1;
        while (valueStart < lineEnd && (head[valueStart] === 32 || head[valueStart] === 9)) valueStart++;
        let valueEnd = lineEnd;
        while (valueEnd > valueStart && (head[valueEnd - 1] === 32 || head[valueEnd - 1] === 9)) valueEnd--;
        if (count === this.nameStart.length) this.#growHeaderRoom(count * 2);
        this.nameStart[count] = pos;
        this.nameEnd[count] = colon;
        this.valueStart[count] = valueStart;
        this.valueEnd[count] = valueEnd;
        count++;
      }
      pos = lf + 1;
    }
    this.headerCount = count;
  }

  #appendBody(bytes: Uint8Array, start: number, count: number): void {
    const needed = this.bodyLength + count;
    if (needed > this.body.length) {
      const grown = new Uint8Array(Math.max(needed, this.body.length * 2, 1024));
      grown.set(this.body.subarray(0, this.bodyLength));
      this.body = grown;
    }
    copyBytes(bytes, start, count, this.body, this.bodyLength);
    this.bodyLength = needed;
  }
}

/** Copies `from[start, start + count)` to `to[at...]`; a few bytes by hand (subarray() makes an object). */
function copyBytes(from: Uint8Array, start: number, count: number, to: Uint8Array, at: number): void {
  if (count < 64) {
    for (let i = 0; i < count; i++) to[at + i] = from[start + i];
  } else {
    to.set(from.subarray(start, start + count), at);
  }
}

/**
 * The index of the first LF in `bytes[from, end)`, or `end`. Whole words of `words` (the same memory as 32-bit
 * words) are tested four bytes at a time, with the classic test for a zero byte in a word (`(x - 0x01010101) &
 * ~x & 0x80808080`, non-zero exactly when one is) on the word XOR LF in every byte; the bytes before the first
 * whole word, and from the word that matched, one by one.
 */
function lineFeedAt(bytes: Uint8Array, words: Int32Array, from: number, end: number): number {
  let i = from;
  const wordEnd = Math.min(end >> 2, words.length);
  if ((i + 3) >> 2 < wordEnd) {
    while ((i & 3) !== 0) {
      if (bytes[i] === LF) return i;
      i++;
    }
    let w = i >> 2;
    while (w < wordEnd) {
      const x = words[w] ^ LF_WORD;
      if ((((x - ONES_WORD) | 0) & ~x & HIGH_BITS_WORD) !== 0) break;
      w++;
    }
    i = w << 2;
  }
  while (i < end && bytes[i] !== LF) i++;
  return i;
}

/** As `lineFeedAt`, for the first colon or LF. */
function colonOrLfAt(bytes: Uint8Array, words: Int32Array, from: number, end: number): number {
  let i = from;
  const wordEnd = Math.min(end >> 2, words.length);
  if ((i + 3) >> 2 < wordEnd) {
    while ((i & 3) !== 0) {
      const b = bytes[i];
      if (b === 58 || b === LF) return i;
      i++;
    }
    let w = i >> 2;
    while (w < wordEnd) {
      const word = words[w];
      const x = word ^ LF_WORD;
      const y = word ^ COLON_WORD;
      if (((((x - ONES_WORD) | 0) & ~x) | (((y - ONES_WORD) | 0) & ~y)) & HIGH_BITS_WORD) break;
      w++;
    }
    i = w << 2;
  }
  while (i < end) {
    const b = bytes[i];
    if (b === 58 || b === LF) break;
    i++;
  }
  return i;
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
