/**
 * The typed seam between the connection loop and whatever produces requests and consumes responses (a Lua
 * script, or nothing). `net/` depends only on these interfaces, never on `script/`.
 */

/** Produces the bytes each connection sends. */
export interface RequestSource {
  /** Requests held by every batch `nextRequest()` returns; counted once at start, as wrk does (docs/wrk-compat.md#pipelining). */
  readonly pipelineDepth: number;
  /** For each position in a batch: is that request a HEAD (its response has no body)? */
  readonly headFlags: readonly boolean[];
  /** Milliseconds to wait before each request on a connection, or null when there is no delay hook. */
  readonly delayMs: (() => number) | null;
  /**
   * True when `nextRequest()` runs code (a `request()` hook), as wrk's `cfg.dynamic`: a request's latency then
   * starts after it. Otherwise a request may start at the instant the previous response completed.
   */
  readonly dynamic: boolean;
  /** The next batch to write. May return the same array every time; the caller never mutates it. */
  nextRequest(): Uint8Array;
}

/**
 * A parsed response, valid only during `ResponseSink.onResponse` (its buffers are reused).
 * Header i's name is `head[nameStart[i], nameEnd[i])`, its value `head[valueStart[i], valueEnd[i])`.
 */
export interface ResponseView {
  readonly status: number;
  readonly headerCount: number;
  readonly head: Uint8Array;
  readonly nameStart: Int32Array;
  readonly nameEnd: Int32Array;
  readonly valueStart: Int32Array;
  readonly valueEnd: Int32Array;
  /** Body bytes are `body[0, bodyLength)` (chunked bodies arrive de-chunked). */
  readonly body: Uint8Array;
  readonly bodyLength: number;
}

/** Receives every complete response. Only given to the loop when a `response()` hook exists. */
export interface ResponseSink {
  onResponse(response: ResponseView): void;
}
