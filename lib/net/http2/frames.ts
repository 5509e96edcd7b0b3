/**
 * HTTP/2 framing (RFC 9113 §4, §6): the frame types, flags, settings and error codes a client needs, the
 * 9-byte frame header, and a writer that lays frames out in one reusable buffer, so that a batch of frames is
 * one socket write with no allocation per request.
 *
 * @module
 */

/** The connection preface a client sends first (RFC 9113 §3.4). */
export const CLIENT_PREFACE: Uint8Array = new TextEncoder().encode("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

/** The size of every frame's header. */
export const FRAME_HEADER_BYTES = 9;

/** Frame types (RFC 9113 §6). */
export const FrameType = {
  DATA: 0x0,
  HEADERS: 0x1,
  PRIORITY: 0x2,
  RST_STREAM: 0x3,
  SETTINGS: 0x4,
  PUSH_PROMISE: 0x5,
  PING: 0x6,
  GOAWAY: 0x7,
  WINDOW_UPDATE: 0x8,
  CONTINUATION: 0x9,
} as const;

/** Frame flags (RFC 9113 §6). */
export const Flag = {
  END_STREAM: 0x1,
  ACK: 0x1,
  END_HEADERS: 0x4,
  PADDED: 0x8,
  PRIORITY: 0x20,
} as const;

/** Settings identifiers (RFC 9113 §6.5.2). */
export const Setting = {
  HEADER_TABLE_SIZE: 0x1,
  ENABLE_PUSH: 0x2,
  MAX_CONCURRENT_STREAMS: 0x3,
  INITIAL_WINDOW_SIZE: 0x4,
  MAX_FRAME_SIZE: 0x5,
  MAX_HEADER_LIST_SIZE: 0x6,
} as const;

/** The error codes of RST_STREAM and GOAWAY (RFC 9113 §7), by value, as reasons name them. */
export const ERROR_CODE_NAMES: readonly string[] = [
  "NO_ERROR",
  "PROTOCOL_ERROR",
  "INTERNAL_ERROR",
  "FLOW_CONTROL_ERROR",
  "SETTINGS_TIMEOUT",
  "STREAM_CLOSED",
  "FRAME_SIZE_ERROR",
  "REFUSED_STREAM",
  "CANCEL",
  "COMPRESSION_ERROR",
  "CONNECT_ERROR",
  "ENHANCE_YOUR_CALM",
  "INADEQUATE_SECURITY",
  "HTTP_1_1_REQUIRED",
];

/** Error codes we send. */
export const ErrorCode = {
  NO_ERROR: 0x0,
  PROTOCOL_ERROR: 0x1,
  FLOW_CONTROL_ERROR: 0x3,
  FRAME_SIZE_ERROR: 0x6,
  REFUSED_STREAM: 0x7,
  CANCEL: 0x8,
  COMPRESSION_ERROR: 0x9,
  ENHANCE_YOUR_CALM: 0xb,
} as const;

/**
 * The name of an error code (`REFUSED_STREAM`), or its number in hex for codes the RFC does not name.
 *
 * @example
 * ```ts
 * import { errorCodeName } from "./frames.ts";
 *
 * console.log(errorCodeName(7), errorCodeName(0x42)); // REFUSED_STREAM 0x42
 * ```
 */
export function errorCodeName(code: number): string {
  return ERROR_CODE_NAMES[code] ?? `0x${code.toString(16)}`;
}

/** The largest frame payload every peer must accept, and what we advertise (RFC 9113 §4.2). */
export const DEFAULT_MAX_FRAME_BYTES = 16_384;

/** A flow-control window's start (RFC 9113 §6.9.2) and its largest size. */
export const DEFAULT_WINDOW_BYTES = 65_535;
export const MAX_WINDOW_BYTES = 2 ** 31 - 1;

/** Payloads at most this long are copied byte by byte; longer ones with `set` (which costs a view). */
const SHORT_COPY_BYTES = 64;

/**
 * The payload length in the frame header at `bytes[at]` (24 bits, RFC 9113 §4.1).
 *
 * @example
 * ```ts
 * import { frameLength } from "./frames.ts";
 *
 * console.log(frameLength(Uint8Array.of(0x00, 0x40, 0x00, 0x0), 0)); // 16384
 * ```
 */
export function frameLength(bytes: Uint8Array, at: number): number {
  return bytes[at] << 16 | bytes[at + 1] << 8 | bytes[at + 2];
}

/**
 * The unsigned 32-bit big-endian integer at `bytes[at]` (a SETTINGS value, an error code, a window increment).
 *
 * @example
 * ```ts
 * import { readUint32 } from "./frames.ts";
 *
 * console.log(readUint32(Uint8Array.of(0xff, 0xff, 0xff, 0xfe), 0)); // 4294967294
 * ```
 */
export function readUint32(bytes: Uint8Array, at: number): number {
  return (bytes[at] << 24 | bytes[at + 1] << 16 | bytes[at + 2] << 8 | bytes[at + 3]) >>> 0;
}

/**
 * Lays out frames in one growing buffer: append frames, take `bytes()` (a view of what was appended) and write
 * it in one go, then `clear()`. The buffer is reused, so a caller must be done with a view before appending.
 *
 * @example A SETTINGS frame and a PING acknowledgement in one write
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { FrameType, FrameWriter, Setting } from "./frames.ts";
 *
 * const writer = new FrameWriter();
 * writer.settings([[Setting.ENABLE_PUSH, 0]]);
 * writer.ping(new Uint8Array(8), true);
 * const bytes = writer.bytes();
 * assertEquals(bytes.length, 9 + 6 + 9 + 8);
 * assertEquals([bytes[3], bytes[9 + 6 + 3]], [FrameType.SETTINGS, FrameType.PING]);
 * ```
 */
export class FrameWriter {
  #buffer = new Uint8Array(1024);
  #length = 0;

  /** Bytes appended since the last `clear()`. */
  get length(): number {
    return this.#length;
  }

  /** A view of the frames appended since the last `clear()`. */
  bytes(): Uint8Array {
    return this.#buffer.subarray(0, this.#length);
  }

  /** Forgets the frames appended (the buffer is kept). */
  clear(): void {
    this.#length = 0;
  }

  #reserve(bytes: number): number {
    const at = this.#length;
    const needed = at + bytes;
    if (needed > this.#buffer.length) {
      const grown = new Uint8Array(Math.max(needed, this.#buffer.length * 2));
      grown.set(this.#buffer.subarray(0, at));
      this.#buffer = grown;
    }
    this.#length = needed;
    return at;
  }

  /** Appends a frame header; the payload follows with the next calls or `payload()`. */
  header(payloadBytes: number, type: number, flags: number, streamId: number): void {
    const at = this.#reserve(FRAME_HEADER_BYTES);
    const b = this.#buffer;
    b[at] = payloadBytes >>> 16;
    b[at + 1] = (payloadBytes >>> 8) & 0xff;
    b[at + 2] = payloadBytes & 0xff;
    b[at + 3] = type;
    b[at + 4] = flags;
    b[at + 5] = (streamId >>> 24) & 0x7f;
    b[at + 6] = (streamId >>> 16) & 0xff;
    b[at + 7] = (streamId >>> 8) & 0xff;
    b[at + 8] = streamId & 0xff;
  }

  /** Appends `bytes[start, end)`. */
  payload(bytes: Uint8Array, start = 0, end = bytes.length): void {
    const at = this.#reserve(end - start);
    const b = this.#buffer;
    if (end - start > SHORT_COPY_BYTES) {
      b.set(bytes.subarray(start, end), at);
      return;
    }
    // A request's header block is usually this short: copied without a view.
    for (let i = start, to = at; i < end; i++, to++) b[to] = bytes[i];
  }

  #uint32(value: number): void {
    const at = this.#reserve(4);
    const b = this.#buffer;
    b[at] = (value >>> 24) & 0xff;
    b[at + 1] = (value >>> 16) & 0xff;
    b[at + 2] = (value >>> 8) & 0xff;
    b[at + 3] = value & 0xff;
  }

  /** A SETTINGS frame with these `[identifier, value]` pairs. */
  settings(pairs: readonly (readonly [number, number])[]): void {
    this.header(pairs.length * 6, FrameType.SETTINGS, 0, 0);
    for (const [id, value] of pairs) {
      const at = this.#reserve(2);
      this.#buffer[at] = id >>> 8;
      this.#buffer[at + 1] = id & 0xff;
      this.#uint32(value);
    }
  }

  /** Acknowledges the peer's SETTINGS. */
  settingsAck(): void {
    this.header(0, FrameType.SETTINGS, 0x1, 0);
  }

  /** A PING with its 8 bytes of opaque data (an acknowledgement echoes the peer's). */
  ping(data: Uint8Array, ack: boolean): void {
    this.header(8, FrameType.PING, ack ? 0x1 : 0, 0);
    this.payload(data, 0, 8);
  }

  /** Adds `increment` to the window of `streamId` (0: the connection's). */
  windowUpdate(streamId: number, increment: number): void {
    this.header(4, FrameType.WINDOW_UPDATE, 0, streamId);
    this.#uint32(increment & 0x7fffffff);
  }

  /** Resets one stream with `code`. */
  rstStream(streamId: number, code: number): void {
    this.header(4, FrameType.RST_STREAM, 0, streamId);
    this.#uint32(code);
  }

  /** Tells the peer the connection ends: no stream above `lastStreamId` was processed. */
  goaway(lastStreamId: number, code: number): void {
    this.header(8, FrameType.GOAWAY, 0, 0);
    this.#uint32(lastStreamId & 0x7fffffff);
    this.#uint32(code);
  }

  /**
   * A request's header block on `streamId`: one HEADERS frame, continued in CONTINUATION frames when the block
   * is larger than `maxFrameBytes`; END_STREAM when the request has no body.
   */
  headers(streamId: number, block: Uint8Array, endStream: boolean, maxFrameBytes: number): void {
    let start = 0;
    let type: number = FrameType.HEADERS;
    do {
      const end = Math.min(block.length, start + maxFrameBytes);
      const last = end === block.length;
      let flags = last ? Flag.END_HEADERS : 0;
      if (type === FrameType.HEADERS && endStream) flags |= Flag.END_STREAM;
      this.header(end - start, type, flags, streamId);
      this.payload(block, start, end);
      start = end;
      type = FrameType.CONTINUATION;
    } while (start < block.length);
  }

  /** One DATA frame with `bytes[start, end)` (at most the peer's frame size; the caller splits). */
  data(streamId: number, bytes: Uint8Array, start: number, end: number, endStream: boolean): void {
    this.header(end - start, FrameType.DATA, endStream ? Flag.END_STREAM : 0, streamId);
    this.payload(bytes, start, end);
  }
}
