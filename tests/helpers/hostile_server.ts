/**
 * Misbehaving loopback servers for tests, on raw `Deno.listen` (127.0.0.1, port 0): every byte and every close
 * is under the test's control, and each server counts what it saw so that a test can hold the client's
 * counters against it. Always `close()` a server, even after a failed assertion.
 */

/** How the server treats each connection (see each member). */
export type HostileBehaviour =
  /** Read requests, never answer (a hung back end). */
  | { kind: "silent" }
  /** Never read at all: once the socket buffers fill, the client's writes block. */
  | { kind: "noRead" }
  /** Answer each request correctly, but one byte every `byteIntervalMs`. */
  | { kind: "slow"; byteIntervalMs: number }
  /** Send the start of a response head, then close (FIN) before the head ends. */
  | { kind: "closeMidHeaders" }
  /**
   * Send the start of a response head, then close with the request still unread, which makes the kernel send
   * a reset (RST) instead of a FIN.
   */
  | { kind: "resetMidHeaders" }
  /** Answer with bytes that are not HTTP and keep the connection open. */
  | { kind: "notHttp" }
  /** Answer with a `Content-Length` that is not a number. */
  | { kind: "badContentLength" }
  /** Promise `promisedBytes` in `Content-Length`, send fewer, then close. */
  | { kind: "shortBody"; promisedBytes: number }
  /** Answer with a chunked body whose chunk size is not hexadecimal. */
  | { kind: "brokenChunked" }
  /**
   * Send a line of CRs and a blank line, then, `gapMs` later, a correct answer: junk before the status line
   * that HTTP parsers skip (RFC 9112 §2.2), split across reads.
   */
  | { kind: "junkBeforeStatus"; gapMs: number }
  /**
   * Answer `requests` requests per connection, then close it. With `announce`, the last answer says
   * `Connection: close` (a polite server); without, the server just closes (a keep-alive timeout race).
   */
  | { kind: "closeAfter"; requests: number; announce: boolean }
  /** Answer 200 with a body of `bodyBytes` bytes. */
  | { kind: "bigBody"; bodyBytes: number }
  /** Answer with this status (and a short body), keep-alive. */
  | { kind: "status"; status: number }
  /**
   * Answer 200 as soon as a request's head has arrived, then read (and check) the body its `Content-Length`
   * announced, as servers that reject a request early do. A request head that does not start right where the
   * previous body ended counts in `misframed()`, and the connection is closed.
   */
  | { kind: "answerEarly" }
  /**
   * Read a request's head, then close with its body still arriving: the kernel resets the connection (RST), so
   * the client's write of the body fails.
   */
  | { kind: "resetDuringBody" }
  /**
   * Read a request's head, answer 413 with `Connection: close`, then close with its body still arriving (a
   * server refusing a large upload): the client's write of the body fails on the reset, the answer waiting.
   */
  | { kind: "rejectEarly" }
  /** Answer each request, then `gapMs` later send a CRLF of its own (RFC 9112 §2.2: to be ignored). */
  | { kind: "lineBreakAfterAnswer"; gapMs: number };

/** A running hostile server. */
export interface HostileServer {
  readonly port: number;
  readonly url: string;
  /** Connections accepted (including the client's up-front connect test, which sends nothing). */
  readonly accepted: () => number;
  /** Request heads received (0 for `noRead`, which never reads). */
  readonly requests: () => number;
  /** Complete, well-formed responses written (for the behaviours that send any). */
  readonly responses: () => number;
  /** `answerEarly`: requests that did not start where the previous one ended (two requests interleaved). */
  readonly misframed: () => number;
  /** The exact bytes of one well-formed response this server sends (`bigBody`, `status`, `closeAfter`, `slow`). */
  readonly responseBytes: number;
  /** Stops accepting: new connections are refused from now on, open ones carry on. */
  stopAccepting(): void;
  close(): Promise<void>;
}

/** A port on 127.0.0.1 where nothing listens: connecting to it is refused. */
export { closedPort } from "./server.ts";

const encoder = new TextEncoder();
const CRLF_CRLF = encoder.encode("\r\n\r\n");
/** The first bytes of a request line (a method, then a space), or a prefix of them. */
const REQUEST_START = /^[A-Z]{1,7}( |$)/;

/** A keep-alive response with `body`; `extraHeaders` are full lines ending in CRLF. */
function response(status: number, body: Uint8Array | string, extraHeaders = ""): Uint8Array {
  const bodyBytes = typeof body === "string" ? encoder.encode(body) : body;
  const head = encoder.encode(
    `HTTP/1.1 ${status} X\r\nContent-Length: ${bodyBytes.length}\r\n${extraHeaders}\r\n`,
  );
  const bytes = new Uint8Array(head.length + bodyBytes.length);
  bytes.set(head);
  bytes.set(bodyBytes, head.length);
  return bytes;
}

/** The well-formed answer a behaviour sends, when it sends one. */
function wellFormed(behaviour: HostileBehaviour): Uint8Array | null {
  switch (behaviour.kind) {
    case "slow":
    case "closeAfter":
    case "answerEarly":
      return response(200, "ok");
    case "bigBody":
      return response(200, new Uint8Array(behaviour.bodyBytes).fill(120));
    case "status":
      return response(behaviour.status, "error");
    case "rejectEarly":
      return response(413, "too large", "Connection: close\r\n");
    default:
      return null;
  }
}

/** Options for {@linkcode startHostileServer}. */
export interface HostileServerOptions {
  /** Stop listening once this many connections were accepted: later connects are refused. */
  maxConnections?: number;
}

/** Starts a server on 127.0.0.1:0 that treats every connection as `behaviour` says. */
export function startHostileServer(
  behaviour: HostileBehaviour,
  options: HostileServerOptions = {},
): HostileServer {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  const open = new Set<Deno.Conn>();
  const handlers: Promise<void>[] = [];
  const answer = wellFormed(behaviour);
  const closing = Promise.withResolvers<void>();
  let accepted = 0;
  let requests = 0;
  let responses = 0;
  let misframed = 0;
  let closed = false;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      // Closing the server must not wait for a slow answer to finish.
      closing.promise.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });

  const writeAll = async (conn: Deno.Conn, bytes: Uint8Array) => {
    let written = 0;
    while (written < bytes.length) written += await conn.write(bytes.subarray(written));
  };

  /** Waits for the next whole request head; false when the client closed first. */
  const reader = (conn: Deno.Conn) => {
    const buffer = new Uint8Array(64 * 1024);
    let pending = new Uint8Array(0);
    return async (): Promise<boolean> => {
      for (;;) {
        const end = indexOf(pending, CRLF_CRLF);
        if (end >= 0) {
          // Test clients send no request bodies to these servers; the head is the whole request.
          pending = pending.slice(end + CRLF_CRLF.length);
          requests++;
          return true;
        }
        const n = await conn.read(buffer);
        if (n === null || closed) return false;
        const grown = new Uint8Array(pending.length + n);
        grown.set(pending);
        grown.set(buffer.subarray(0, n), pending.length);
        pending = grown;
      }
    };
  };

  const answerEarly = async (conn: Deno.Conn): Promise<void> => {
    const buffer = new Uint8Array(256 * 1024);
    // Bytes of a request head not complete yet, and the body bytes still to skip.
    let head = new Uint8Array(0);
    let bodyLeft = 0;
    for (;;) {
      const n = await conn.read(buffer);
      if (n === null || closed) return;
      let chunk = buffer.subarray(0, n);
      while (chunk.length > 0) {
        if (bodyLeft > 0) {
          const take = Math.min(bodyLeft, chunk.length);
          bodyLeft -= take;
          chunk = chunk.subarray(take);
          continue;
        }
        head = concat(head, chunk);
        chunk = new Uint8Array(0);
        // Where a head should start, another request's head or body bytes mean the two were interleaved.
        if (!REQUEST_START.test(new TextDecoder().decode(head.subarray(0, 8)))) {
          misframed++;
          return;
        }
        const end = indexOf(head, CRLF_CRLF);
        if (end < 0) break;
        const text = new TextDecoder().decode(head.subarray(0, end));
        requests++;
        bodyLeft = Number(text.match(/^content-length:\s*(\d+)\s*$/im)?.[1] ?? 0);
        chunk = head.slice(end + CRLF_CRLF.length);
        head = new Uint8Array(0);
        await writeAll(conn, answer!);
        responses++;
      }
    }
  };

  const serve = async (conn: Deno.Conn): Promise<void> => {
    const nextRequest = reader(conn);
    switch (behaviour.kind) {
      case "noRead":
        return closing.promise;
      case "silent":
        while (await nextRequest()) { /* keep reading, never answer */ }
        return;
      case "resetMidHeaders": {
        // Read one byte so the request is known to have arrived, and leave the rest unread: closing a socket
        // with unread data makes the kernel answer with a reset (RFC 1122 §4.2.2.13).
        if ((await conn.read(new Uint8Array(1))) === null) return;
        requests++;
        await writeAll(conn, encoder.encode("HTTP/1.1 200 OK\r\nContent-Le"));
        return;
      }
      case "resetDuringBody":
        // The close in serve()'s caller comes with unread body bytes: a reset.
        await nextRequest();
        return;
      case "rejectEarly":
        // As above, with the answer sent first, and a moment to go out: a close with unread bytes resets the
        // connection at once and drops what the kernel had not sent yet.
        if (!(await nextRequest())) return;
        await writeAll(conn, answer!);
        responses++;
        await sleep(10);
        return;
      case "lineBreakAfterAnswer":
        while (await nextRequest()) {
          await writeAll(conn, response(200, "ok"));
          responses++;
          await sleep(behaviour.gapMs);
          await writeAll(conn, encoder.encode("\r\n"));
        }
        return;
      case "closeMidHeaders":
        if (!(await nextRequest())) return;
        await writeAll(conn, encoder.encode("HTTP/1.1 200 OK\r\nContent-Le"));
        return;
      case "notHttp":
        while (await nextRequest()) await writeAll(conn, encoder.encode("SSH-2.0-OpenSSH_9.6\r\n\r\n"));
        return;
      case "badContentLength":
        while (await nextRequest()) {
          await writeAll(conn, encoder.encode("HTTP/1.1 200 OK\r\nContent-Length: lots\r\n\r\nok"));
        }
        return;
      case "shortBody":
        if (!(await nextRequest())) return;
        await writeAll(
          conn,
          encoder.encode(`HTTP/1.1 200 OK\r\nContent-Length: ${behaviour.promisedBytes}\r\n\r\nonly this`),
        );
        return;
      case "brokenChunked":
        while (await nextRequest()) {
          await writeAll(
            conn,
            encoder.encode("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"),
          );
        }
        return;
      case "junkBeforeStatus":
        while (await nextRequest()) {
          await writeAll(conn, encoder.encode("\r\r\n\r\n"));
          await sleep(behaviour.gapMs);
          await writeAll(conn, response(200, "ok"));
          responses++;
        }
        return;
      case "slow":
        while (await nextRequest()) {
          for (let i = 0; i < answer!.length && !closed; i++) {
            await writeAll(conn, answer!.subarray(i, i + 1));
            await sleep(behaviour.byteIntervalMs);
          }
          if (closed) return;
          responses++;
        }
        return;
      case "closeAfter": {
        const last = response(200, "ok", behaviour.announce ? "Connection: close\r\n" : "");
        for (let i = 1; i <= behaviour.requests; i++) {
          if (!(await nextRequest())) return;
          await writeAll(conn, i === behaviour.requests ? last : answer!);
          responses++;
        }
        return;
      }
      case "answerEarly":
        return answerEarly(conn);
      case "bigBody":
      case "status":
        while (await nextRequest()) {
          await writeAll(conn, answer!);
          responses++;
        }
        return;
      default: {
        const unknown: never = behaviour;
        throw new Error(`unknown behaviour ${JSON.stringify(unknown)}`);
      }
    }
  };

  const stopAccepting = () => {
    try {
      listener.close();
    } catch { /* already closed */ }
  };

  const acceptLoop = (async () => {
    for await (const conn of listener) {
      if (closed) {
        conn.close();
        break;
      }
      accepted++;
      // Closed here, before the next accept, so that not one connection more gets in.
      if (accepted === options.maxConnections) stopAccepting();
      open.add(conn);
      handlers.push(
        serve(conn).catch(() => {/* the client went away */}).finally(() => {
          open.delete(conn);
          closeQuietly(conn);
        }),
      );
    }
  })().catch(() => {/* the listener was closed */});

  return {
    port,
    url: `http://127.0.0.1:${port}/`,
    accepted: () => accepted,
    requests: () => requests,
    responses: () => responses,
    misframed: () => misframed,
    responseBytes: answer?.length ?? 0,
    stopAccepting,
    async close() {
      if (closed) return;
      closed = true;
      closing.resolve();
      stopAccepting();
      for (const conn of open) closeQuietly(conn);
      await acceptLoop;
      await Promise.all(handlers);
    },
  };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

function indexOf(bytes: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch { /* already closed */ }
}
