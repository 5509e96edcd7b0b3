/**
 * A loopback HTTP/2 server with prior knowledge (h2c) whose every frame is under the test's control: a
 * well-behaved mode and the misbehaviours an HTTP/2 client must survive (GOAWAY, RST_STREAM, a stream limit, a
 * window that never opens, a large body under flow control, 1xx and trailers, a malformed frame), and the
 * checks a strict server makes of the client (a stream limit enforced, HPACK table size updates, no DATA on
 * stream 0), recorded as `violations`. Built on the project's own frame writer and HPACK (tests/net/http2/
 * check those against the RFC's vectors).
 */
import { CLIENT_PREFACE, Flag, FrameType, FrameWriter, Setting } from "../../lib/net/http2/frames.ts";
import { HeaderList, HpackDecoder, HpackEncoder } from "../../lib/net/http2/hpack.ts";
import { acceptLoop } from "./accept_loop.ts";

/** How the server behaves. */
export interface H2cBehaviour {
  /** Its SETTINGS_MAX_CONCURRENT_STREAMS. */
  maxStreams?: number;
  /** Its SETTINGS_INITIAL_WINDOW_SIZE (0: request bodies can never be sent). */
  initialWindow?: number;
  /** After this many responses on a connection: GOAWAY (NO_ERROR) naming the last stream answered. */
  goawayAfter?: number;
  /** Every n-th stream is reset with this code instead of answered. */
  resetEvery?: { n: number; code: number };
  /** Every n-th stream gets a WINDOW_UPDATE of 0 (a stream error, RFC 9113 §6.9) instead of an answer. */
  zeroWindowUpdateEvery?: number;
  /** Every n-th stream gets a DATA frame before any HEADERS (a malformed response) instead of an answer. */
  dataFirstEvery?: number;
  /** Every response's `:status` value instead of 200 (null: no `:status` at all). */
  status?: string | null;
  /** Bytes of each response's body (sent in frames of at most 16 KiB, within the client's windows). */
  bodyBytes?: number;
  /** A 103 Early Hints before each response, and trailers after its body. */
  interimAndTrailers?: boolean;
  /** After this many responses, a frame of an unknown-length garbage payload: a PROTOCOL_ERROR. */
  garbageAfter?: number;
  /** Each response waits this long (ms) after its request, its stream open meanwhile: a slow server. */
  delayMs?: number;
  /** Every n-th request (over the server, from the first) waits `delayMs` before its answer: a slow tail. */
  slowEvery?: { n: number; delayMs: number };
  /** Refuse every stream: GOAWAY (NO_ERROR, last stream 0) at the first request, then close (a draining server). */
  refuseAll?: boolean;
  /**
   * Every n-th stream with a request body (counted per connection) is refused (RST_STREAM REFUSED_STREAM) when
   * its first DATA frame arrives, as a server that lowered its limit does; the DATA of a refused stream still
   * in flight is dropped, its connection window given back.
   */
  refuseBodyEvery?: number;
  /**
   * Its SETTINGS_HEADER_TABLE_SIZE. Below 4096 it checks, as nghttp2 does, that the client's first header block
   * after its SETTINGS ACK opens with a dynamic table size update no larger (RFC 7541 §4.2), and answers
   * GOAWAY COMPRESSION_ERROR otherwise.
   */
  headerTableSize?: number;
  /**
   * Answer each request as soon as its HEADERS arrive, before its body (as a 413 would). A stream counts as open
   * until the client ends its body or resets it; with `maxStreams`, a stream beyond it is refused
   * (REFUSED_STREAM), as nghttp2 does.
   */
  earlyResponse?: boolean;
  /**
   * After `after` responses on a connection: GOAWAY with `code` naming the next request's stream as the last
   * (as nginx does when a request's headers are over its limit), which is never answered, nor any other; the
   * connection is closed (`close`) or left open.
   */
  goawayError?: { after: number; code: number; close: boolean };
  /** After this many responses on a connection, the socket is closed without a GOAWAY, streams open (a crash). */
  closeAfter?: number;
  /** Every response is an informational `100` that ends its stream (a malformed response). */
  informationalEndsStream?: boolean;
  /**
   * After `after` responses on a connection, a connection error of one kind: a header block HPACK cannot decode
   * (`hpack`), a frame larger than the client's SETTINGS_MAX_FRAME_SIZE (`oversized`), or a connection window
   * pushed over 2^31-1 (`window`).
   */
  connectionError?: { after: number; kind: "hpack" | "oversized" | "window" };
}

/** A running server. */
export interface H2cServer {
  readonly url: string;
  /** Requests received (HEADERS decoded), over all connections. */
  readonly requests: { path: string; method: string; bodyBytes: number; connection: number }[];
  /** Connections accepted. */
  connections(): number;
  /** The most streams open at once on one connection. */
  maxConcurrentSeen(): number;
  /** What the client did that a strict server rejects, one line each (none from a correct client). */
  readonly violations: string[];
  /** Error codes of the RST_STREAM frames the client sent. */
  readonly resetsReceived: number[];
  /** Error codes of the GOAWAY frames the client sent. */
  readonly goawaysReceived: number[];
  /** Streams refused by `refuseBodyEvery` or `earlyResponse`'s limit. */
  refused(): number;
  close(): Promise<void>;
}

const encoder = new TextEncoder();

/** Starts the server on 127.0.0.1:0. */
export function startH2cServer(behaviour: H2cBehaviour = {}): H2cServer {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const requests: H2cServer["requests"] = [];
  const violations: string[] = [];
  const resetsReceived: number[] = [];
  const goawaysReceived: number[] = [];
  let refused = 0;
  let maxConcurrent = 0;
  /** Requests come to answer so far, over all connections (`slowEvery`). */
  let received = 0;
  /** Responses still being written (or waiting out `delayMs`): close() waits for them, timers included. */
  const responding = new Set<Promise<void>>();

  const serve = async (conn: Deno.TcpConn, connection: number) => {
    const hpackIn = new HpackDecoder();
    const hpackOut = new HpackEncoder();
    const list = new HeaderList();
    const streams = new Map<number, { path: string; method: string; body: number }>();
    let answered = 0;
    let sendWindow = 65_535;
    let clientStreamWindow = 65_535;
    const streamWindows = new Map<number, number>();
    const waiters: (() => void)[] = [];
    const pendingResponses: number[] = [];
    let buffered = new Uint8Array(0);
    let prefaceSeen = false;
    let closed = false;
    let goaway = false;
    /** Streams with a body seen, for `refuseBodyEvery`; the streams to refuse at their first DATA. */
    let bodyStreams = 0;
    const refuseAtData = new Set<number>();
    /** `earlyResponse`: answered streams whose body the client has neither ended nor reset. */
    const halfOpen = new Set<number>();
    /** `headerTableSize`: the client acknowledged it, and its next header block must open with a size update. */
    let expectSizeUpdate = false;
    let lastStream = 0;
    const out = new FrameWriter();
    // Writes go one after another (responses are written concurrently), each frame whole.
    let writing = Promise.resolve();
    const flush = () => {
      if (out.length === 0) return writing;
      if (closed) {
        // Our side is closed (after GOAWAY): what the client's frames would make us say is not sent.
        out.clear();
        return writing;
      }
      const bytes = out.bytes().slice();
      out.clear();
      writing = writing.then(async () => {
        let written = 0;
        while (written < bytes.length) written += await conn.write(bytes.subarray(written));
      });
      return writing;
    };
    const settings: [number, number][] = [];
    if (behaviour.maxStreams !== undefined) {
      settings.push([Setting.MAX_CONCURRENT_STREAMS, behaviour.maxStreams]);
    }
    if (behaviour.initialWindow !== undefined) {
      settings.push([Setting.INITIAL_WINDOW_SIZE, behaviour.initialWindow]);
    }
    if (behaviour.headerTableSize !== undefined) {
      settings.push([Setting.HEADER_TABLE_SIZE, behaviour.headerTableSize]);
    }
    out.settings(settings);
    /** A connection error of ours: GOAWAY with `code`, then nothing more is said (the client closes). */
    const connectionError = (code: number) => {
      out.goaway(lastStream, code);
      flush();
      closed = true;
      goaway = true;
    };

    const respond = async (id: number) => {
      const request = streams.get(id)!;
      // A stream counts as open until its response is written (maxConcurrentSeen).
      await Promise.resolve();
      if (behaviour.refuseAll) {
        if (goaway) return;
        goaway = true;
        out.goaway(0, 0);
        await flush();
        closed = true;
        writing = writing.then(() => conn.closeWrite()).catch(() => {});
        return;
      }
      const delayMs = behaviour.slowEvery !== undefined && (received++ % behaviour.slowEvery.n === 0)
        ? behaviour.slowEvery.delayMs
        : behaviour.delayMs;
      if (delayMs !== undefined) {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        if (closed) return;
      }
      // After a GOAWAY of an error (ours or the client's fault), nothing more is answered; a graceful one
      // (`goawayAfter`) still answers the streams the client sent before it.
      if (goaway && behaviour.goawayAfter === undefined) return;
      const number = ++answered;
      if (behaviour.goawayError !== undefined && number > behaviour.goawayError.after) {
        goaway = true;
        out.goaway(id, behaviour.goawayError.code);
        await flush();
        if (behaviour.goawayError.close) {
          closed = true;
          writing = writing.then(() => conn.closeWrite()).catch(() => {});
        }
        return;
      }
      if (behaviour.closeAfter !== undefined && number > behaviour.closeAfter) {
        if (!closed) {
          closed = true;
          writing = writing.then(() => conn.close()).catch(() => {});
        }
        return;
      }
      if (behaviour.informationalEndsStream) {
        out.headers(id, hpackOut.encodeHeaderBlock([[":status", "100"]]), true, 16_384);
        streams.delete(id);
        await flush();
        return;
      }
      if (behaviour.connectionError !== undefined && number > behaviour.connectionError.after) {
        const kind = behaviour.connectionError.kind;
        if (kind === "hpack") {
          // An indexed field of index 0 (RFC 7541 §6.1).
          out.headers(id, Uint8Array.of(0x80), true, 16_384);
        } else if (kind === "oversized") {
          out.header(16_385, FrameType.DATA, Flag.END_STREAM, id);
          out.payload(new Uint8Array(16_385));
        } else {
          out.windowUpdate(0, 0x7fffffff);
        }
        goaway = true;
        await flush();
        return;
      }
      if (behaviour.resetEvery && id % (2 * behaviour.resetEvery.n) === 2 * behaviour.resetEvery.n - 1) {
        out.rstStream(id, behaviour.resetEvery.code);
        streams.delete(id);
        await flush();
        return;
      }
      const zeroEvery = behaviour.zeroWindowUpdateEvery;
      if (zeroEvery !== undefined && id % (2 * zeroEvery) === 2 * zeroEvery - 1) {
        out.windowUpdate(id, 0);
        await flush();
        return;
      }
      const dataEvery = behaviour.dataFirstEvery;
      if (dataEvery !== undefined && id % (2 * dataEvery) === 2 * dataEvery - 1) {
        out.data(id, new Uint8Array(2), 0, 2, false);
        await flush();
        return;
      }
      if (behaviour.interimAndTrailers) {
        out.headers(
          id,
          hpackOut.encodeHeaderBlock([[":status", "103"], ["link", "</a.css>; rel=preload"]]),
          false,
          16_384,
        );
      }
      const bodyBytes = behaviour.bodyBytes ?? 2;
      const status: [string, string][] = behaviour.status === null
        ? []
        : [[":status", behaviour.status ?? (request.path === "/missing" ? "404" : "200")]];
      const block = hpackOut.encodeHeaderBlock([
        ...status,
        ["content-type", "text/plain"],
        ["content-length", String(bodyBytes)],
      ]);
      out.headers(id, block, bodyBytes === 0 && !behaviour.interimAndTrailers, 16_384);
      await flush();
      let sent = 0;
      const body = new Uint8Array(Math.min(bodyBytes, 16_384)).fill(0x6f);
      while (sent < bodyBytes) {
        const window = Math.min(sendWindow, streamWindows.get(id) ?? clientStreamWindow);
        if (window <= 0) {
          await new Promise<void>((resolve) => waiters.push(resolve));
          if (closed) return;
          continue;
        }
        const chunk = Math.min(bodyBytes - sent, 16_384, window);
        sent += chunk;
        sendWindow -= chunk;
        streamWindows.set(id, (streamWindows.get(id) ?? clientStreamWindow) - chunk);
        out.data(id, body, 0, chunk, sent === bodyBytes && !behaviour.interimAndTrailers);
        await flush();
      }
      streamWindows.delete(id);
      streams.delete(id);
      if (behaviour.interimAndTrailers) {
        out.headers(id, hpackOut.encodeHeaderBlock([["x-checksum", "abc"]]), true, 16_384);
      }
      if (behaviour.garbageAfter !== undefined && number === behaviour.garbageAfter) {
        out.header(3, FrameType.SETTINGS, 0, 1);
        out.payload(new Uint8Array(3));
      }
      if (behaviour.goawayAfter !== undefined && number === behaviour.goawayAfter) {
        out.goaway(id, 0);
        goaway = true;
      }
      await flush();
      if (goaway && streams.size === 0 && !closed) {
        // A graceful close: our FIN after the last frame queued, then reading on until the client closes
        // (closing with its bytes unread would reset the connection and lose the GOAWAY).
        closed = true;
        writing = writing.then(() => conn.closeWrite()).catch(() => {});
      }
    };

    const frame = (type: number, flags: number, id: number, payload: Uint8Array) => {
      if (type === FrameType.SETTINGS && flags & Flag.ACK) {
        if (behaviour.headerTableSize !== undefined && behaviour.headerTableSize < 4096) {
          expectSizeUpdate = true;
        }
      } else if (type === FrameType.GOAWAY) {
        goawaysReceived.push(new DataView(payload.buffer, payload.byteOffset + 4, 4).getUint32(0));
      } else if (type === FrameType.SETTINGS) {
        for (let at = 0; at + 6 <= payload.length; at += 6) {
          const key = payload[at] << 8 | payload[at + 1];
          const value = new DataView(payload.buffer, payload.byteOffset + at + 2, 4).getUint32(0);
          if (key === Setting.INITIAL_WINDOW_SIZE) clientStreamWindow = value;
        }
        out.settingsAck();
      } else if (type === FrameType.PING && !(flags & Flag.ACK)) {
        out.ping(payload, true);
      } else if (type === FrameType.WINDOW_UPDATE) {
        const increment = new DataView(payload.buffer, payload.byteOffset, 4).getUint32(0) & 0x7fffffff;
        if (id === 0) sendWindow += increment;
        else streamWindows.set(id, (streamWindows.get(id) ?? clientStreamWindow) + increment);
        for (const wake of waiters.splice(0)) wake();
      } else if (type === FrameType.HEADERS) {
        if (goaway) return;
        lastStream = id;
        if (expectSizeUpdate) {
          expectSizeUpdate = false;
          // A size update is 001xxxxx, its value an integer on a 5-bit prefix (RFC 7541 §5.1, §6.3).
          let size = payload[0] & 0x1f;
          if (size === 0x1f) {
            for (let at = 1, shift = 0; at < payload.length; at++, shift += 7) {
              size += (payload[at] & 0x7f) * 2 ** shift;
              if (!(payload[at] & 0x80)) break;
            }
          }
          if ((payload[0] & 0xe0) !== 0x20 || size > behaviour.headerTableSize!) {
            violations.push("header block after a lower SETTINGS_HEADER_TABLE_SIZE without a size update");
            connectionError(0x9);
            return;
          }
        }
        list.reset();
        hpackIn.decode(payload, 0, payload.length, list);
        const fields = new Map<string, string>();
        for (let i = 0; i < list.count; i++) {
          const text = (start: number, end: number) =>
            new TextDecoder().decode(list.bytes.subarray(start, end));
          fields.set(text(list.nameStart[i], list.nameEnd[i]), text(list.valueStart[i], list.valueEnd[i]));
        }
        const request = { path: fields.get(":path") ?? "", method: fields.get(":method") ?? "", body: 0 };
        if (behaviour.earlyResponse && !(flags & Flag.END_STREAM)) {
          if (behaviour.maxStreams !== undefined && halfOpen.size >= behaviour.maxStreams) {
            refused++;
            out.rstStream(id, 0x7);
            return;
          }
          halfOpen.add(id);
          maxConcurrent = Math.max(maxConcurrent, halfOpen.size);
          streams.set(id, request);
          requests.push({ path: request.path, method: request.method, bodyBytes: 0, connection });
          pendingResponses.push(id);
          return;
        }
        if (behaviour.refuseBodyEvery !== undefined && !(flags & Flag.END_STREAM)) {
          if (++bodyStreams % behaviour.refuseBodyEvery === 0) refuseAtData.add(id);
        }
        streams.set(id, request);
        maxConcurrent = Math.max(maxConcurrent, streams.size);
        if (flags & Flag.END_STREAM) {
          requests.push({ path: request.path, method: request.method, bodyBytes: 0, connection });
          pendingResponses.push(id);
        }
      } else if (type === FrameType.DATA) {
        if (id === 0) {
          violations.push("DATA on stream 0");
          return;
        }
        if (behaviour.earlyResponse) {
          if (payload.length > 0) out.windowUpdate(0, payload.length);
          if (flags & Flag.END_STREAM) halfOpen.delete(id);
          return;
        }
        const request = streams.get(id);
        if (request === undefined || refuseAtData.has(id)) {
          // A stream closed (or refused now): its DATA still counts against the connection's window.
          if (refuseAtData.delete(id)) {
            refused++;
            streams.delete(id);
            out.rstStream(id, 0x7);
          }
          if (payload.length > 0) out.windowUpdate(0, payload.length);
          return;
        }
        request.body += payload.length;
        // Give the client its window back, so that bodies larger than a window get through.
        out.windowUpdate(0, payload.length || 1);
        out.windowUpdate(id, payload.length || 1);
        if (flags & Flag.END_STREAM) {
          requests.push({ path: request.path, method: request.method, bodyBytes: request.body, connection });
          pendingResponses.push(id);
        }
      } else if (type === FrameType.RST_STREAM) {
        resetsReceived.push(new DataView(payload.buffer, payload.byteOffset, 4).getUint32(0));
        halfOpen.delete(id);
        streams.delete(id);
      }
    };

    conn.setNoDelay(true);
    try {
      await flush();
      const chunk = new Uint8Array(64 * 1024);
      for (;;) {
        const n = await conn.read(chunk);
        if (n === null) break;
        const joined = new Uint8Array(buffered.length + n);
        joined.set(buffered);
        joined.set(chunk.subarray(0, n), buffered.length);
        buffered = joined;
        if (!prefaceSeen) {
          if (buffered.length < CLIENT_PREFACE.length) continue;
          buffered = buffered.subarray(CLIENT_PREFACE.length);
          prefaceSeen = true;
        }
        while (buffered.length >= 9) {
          const length = buffered[0] << 16 | buffered[1] << 8 | buffered[2];
          if (buffered.length < 9 + length) break;
          const id = new DataView(buffered.buffer, buffered.byteOffset + 5, 4).getUint32(0) & 0x7fffffff;
          frame(buffered[3], buffered[4], id, buffered.slice(9, 9 + length));
          buffered = buffered.subarray(9 + length);
        }
        await flush();
        // Every request of this read is open before any is answered.
        for (const id of pendingResponses.splice(0)) {
          const response = respond(id).catch(() => {});
          responding.add(response);
          response.finally(() => responding.delete(response));
        }
      }
    } finally {
      // The connection ended (acceptLoop closes it): responses waiting for a window give up.
      closed = true;
      for (const wake of waiters.splice(0)) wake();
    }
  };
  const connections = acceptLoop(listener, serve);

  return {
    url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}/`,
    requests,
    connections: connections.accepted,
    maxConcurrentSeen: () => maxConcurrent,
    violations,
    resetsReceived,
    goawaysReceived,
    refused: () => refused,
    async close() {
      await connections.close();
      await Promise.allSettled([...responding]);
    },
  };
}

/** UTF-8 bytes of `text`. */
export function bytesOf(text: string): Uint8Array {
  return encoder.encode(text);
}
