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
  /**
   * What makes the requests, for a message about one that cannot be sent (`script.lua: request()`); absent
   * for the command line's own request.
   */
  readonly origin?: string;
}

/**
 * The source of a run without a `request()` hook: the same bytes every time, holding `pipelineDepth` requests
 * none of which is a HEAD (wrk's static request, or a batch built once).
 *
 * @example wrk's default request
 * ```ts
 * import { staticRequestSource } from "./request_source.ts";
 *
 * const source = staticRequestSource(new TextEncoder().encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
 * console.log(source.pipelineDepth, source.dynamic); // 1 false
 * ```
 */
export function staticRequestSource(bytes: Uint8Array, pipelineDepth = 1): RequestSource {
  return {
    pipelineDepth,
    headFlags: new Array<boolean>(pipelineDepth).fill(false),
    delayMs: null,
    dynamic: false,
    nextRequest: () => bytes,
  };
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
  /**
   * Not 0: heads parsed in this isolate with the same version are byte for byte the same (so are their headers); 0:
   * not known (lib/net/http1/_repeated_head.ts).
   */
  readonly headVersion: number;
  /** Body bytes are `body[0, bodyLength)` (chunked bodies arrive de-chunked). */
  readonly body: Uint8Array;
  readonly bodyLength: number;
}

/** Receives every complete response. Only given to the loop when a `response()` hook exists. */
export interface ResponseSink {
  onResponse(response: ResponseView): void;
}
