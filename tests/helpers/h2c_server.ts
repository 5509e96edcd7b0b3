/**
 * A loopback HTTP/2 server with prior knowledge (h2c) whose every frame is under the test's control: a
 * well-behaved mode and the misbehaviours an HTTP/2 client must survive (GOAWAY, RST_STREAM, a stream limit, a
 * window that never opens, a large body under flow control, 1xx and trailers, a malformed frame). Built on the
 * project's own frame writer and HPACK (tests/net/http2/ check those against the RFC's vectors).
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
  /** Bytes of each response's body (sent in frames of at most 16 KiB, within the client's windows). */
  bodyBytes?: number;
  /** A 103 Early Hints before each response, and trailers after its body. */
  interimAndTrailers?: boolean;
  /** After this many responses, a frame of an unknown-length garbage payload: a PROTOCOL_ERROR. */
  garbageAfter?: number;
  /** Each response waits this long (ms) after its request, its stream open meanwhile: a slow server. */
  delayMs?: number;
  /** Refuse every stream: GOAWAY (NO_ERROR, last stream 0) at the first request, then close (a draining server). */
  refuseAll?: boolean;
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
  close(): Promise<void>;
}

const encoder = new TextEncoder();

/** Starts the server on 127.0.0.1:0. */
export function startH2cServer(behaviour: H2cBehaviour = {}): H2cServer {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const requests: H2cServer["requests"] = [];
  let maxConcurrent = 0;
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
    out.settings(settings);

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
      if (behaviour.delayMs !== undefined) {
        await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
        if (closed) return;
      }
      const number = ++answered;
      if (behaviour.resetEvery && id % (2 * behaviour.resetEvery.n) === 2 * behaviour.resetEvery.n - 1) {
        out.rstStream(id, behaviour.resetEvery.code);
        streams.delete(id);
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
      const block = hpackOut.encodeHeaderBlock([
        [":status", request.path === "/missing" ? "404" : "200"],
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
      if (type === FrameType.SETTINGS && !(flags & Flag.ACK)) {
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
        list.reset();
        hpackIn.decode(payload, 0, payload.length, list);
        const fields = new Map<string, string>();
        for (let i = 0; i < list.count; i++) {
          const text = (start: number, end: number) =>
            new TextDecoder().decode(list.bytes.subarray(start, end));
          fields.set(text(list.nameStart[i], list.nameEnd[i]), text(list.valueStart[i], list.valueEnd[i]));
        }
        const request = { path: fields.get(":path") ?? "", method: fields.get(":method") ?? "", body: 0 };
        streams.set(id, request);
        maxConcurrent = Math.max(maxConcurrent, streams.size);
        if (flags & Flag.END_STREAM) {
          requests.push({ path: request.path, method: request.method, bodyBytes: 0, connection });
          pendingResponses.push(id);
        }
      } else if (type === FrameType.DATA) {
        const request = streams.get(id);
        if (request === undefined) return;
        request.body += payload.length;
        // Give the client its window back, so that bodies larger than a window get through.
        out.windowUpdate(0, payload.length || 1);
        out.windowUpdate(id, payload.length || 1);
        if (flags & Flag.END_STREAM) {
          requests.push({ path: request.path, method: request.method, bodyBytes: request.body, connection });
          pendingResponses.push(id);
        }
      } else if (type === FrameType.RST_STREAM) {
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
