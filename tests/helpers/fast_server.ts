/**
 * A loopback server that answers every request with the same small 200 response and does nothing else: no
 * parsing beyond finding the end of each request head, no bookkeeping per request. For long, high-rate runs
 * where the test server must not be the bottleneck (or grow in memory itself).
 */
import { acceptLoop } from "./accept_loop.ts";

/** A running fast server. */
export interface FastServer {
  readonly url: string;
  close(): Promise<void>;
}

const RESPONSE = new TextEncoder().encode("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
/** The end of a request head, CR LF CR LF. */
const HEAD_END = [13, 10, 13, 10];

/** Starts a server on 127.0.0.1:0; requests must have no body (the CLI's default GET). */
export function startFastServer(): FastServer {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const connections = acceptLoop(listener, async (conn) => {
    const buffer = new Uint8Array(64 * 1024);
    // Bytes of HEAD_END matched at the end of the previous read: a head may end across two reads.
    let matched = 0;
    for (;;) {
      const n = await conn.read(buffer);
      if (n === null) return;
      let heads = 0;
      for (let i = 0; i < n; i++) {
        if (buffer[i] === HEAD_END[matched]) {
          if (++matched === HEAD_END.length) {
            heads++;
            matched = 0;
          }
        } else {
          matched = buffer[i] === HEAD_END[0] ? 1 : 0;
        }
      }
      if (heads === 0) continue;
      const reply = new Uint8Array(RESPONSE.length * heads);
      for (let k = 0; k < heads; k++) reply.set(RESPONSE, k * RESPONSE.length);
      let written = 0;
      while (written < reply.length) written += await conn.write(reply.subarray(written));
    }
  });
  return { url: `http://127.0.0.1:${listener.addr.port}/`, close: connections.close };
}
