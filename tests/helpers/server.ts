/**
 * Loopback HTTP/1.1 servers for tests, on raw `Deno.listen` (port 0) so that every byte is under the test's
 * control: well-behaved keep-alive answers, and the misbehaviours a load generator must survive.
 */
import { acceptLoop } from "./accept_loop.ts";

/** A request as the server read it. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: Map<string, string>;
  body: string;
  /** The raw bytes of the head and body, as received. */
  raw: string;
  /** Which accepted connection it came on, counting from 0 (0 before the request is stored). */
  connection: number;
}

/** What to do with one request. */
export type Reply =
  /** Write these bytes (a whole response, or anything else), after `delayMs` if given. */
  | { send: string | Uint8Array; thenClose?: boolean; delayMs?: number }
  /** Close the connection without answering. */
  | { close: true }
  /** Never answer (the connection stays open until the server closes). */
  | { hang: true };

/** Decides the reply to each request; `index` counts requests on all connections from 0. */
export type Responder = (request: SeenRequest, index: number) => Reply;

export interface TestServer {
  readonly port: number;
  readonly url: string;
  /** Every request received, in order of arrival. */
  readonly requests: SeenRequest[];
  /** Connections accepted so far. */
  readonly connections: () => number;
  close(): Promise<void>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A plain response with the given status and body, keep-alive. */
export function ok(body = "ok", status = 200, extraHeaders = ""): Reply {
  return { send: `HTTP/1.1 ${status} X\r\nContent-Length: ${body.length}\r\n${extraHeaders}\r\n${body}` };
}

const TLS_DIR = new URL("../fixtures/tls/", import.meta.url);

/** The test CA's certificate file, which signed the TLS test server's certificate (localhost, 127.0.0.1). */
export const TEST_CA_FILE = new URL("ca.pem", TLS_DIR).pathname;

/** Options for `startServer`. */
export interface ServerOptions {
  /** Serve HTTPS with the test certificate (signed by `TEST_CA_FILE`). */
  tls?: boolean;
  /** With `tls`: serve this certificate (PEM, a chain: leaf first) and key instead of the test certificate. */
  certificate?: { cert: string; key: string };
  /** With `tls`: the protocols to agree by ALPN (default: none, no ALPN). */
  alpnProtocols?: string[];
}

/** Starts a server on 127.0.0.1:0 answering with `responder` (default: 200 "ok"). */
export function startServer(responder: Responder = () => ok(), options: ServerOptions = {}): TestServer {
  const listener: Deno.Listener = options.tls
    ? Deno.listenTls({
      hostname: "127.0.0.1",
      port: 0,
      cert: options.certificate?.cert ?? Deno.readTextFileSync(new URL("server.pem", TLS_DIR)),
      key: options.certificate?.key ?? Deno.readTextFileSync(new URL("server.key", TLS_DIR)),
      alpnProtocols: options.alpnProtocols,
    })
    : Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const requests: SeenRequest[] = [];
  const hangers = new Set<() => void>();

  const connections = acceptLoop(listener, async (conn, connection) => {
    let pending: Uint8Array = new Uint8Array(0);
    const buffer = new Uint8Array(64 * 1024);
    for (;;) {
      const n = await conn.read(buffer);
      if (n === null) return;
      pending = concat(pending, buffer.subarray(0, n));
      for (;;) {
        const parsed = takeRequest(pending);
        if (parsed === null) break;
        pending = pending.subarray(parsed.length);
        const index = requests.length;
        parsed.request.connection = connection;
        requests.push(parsed.request);
        const reply = responder(parsed.request, index);
        if ("close" in reply) return;
        if ("hang" in reply) {
          await new Promise<void>((resolve) => hangers.add(resolve));
          return;
        }
        if (reply.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
        const bytes = typeof reply.send === "string" ? encoder.encode(reply.send) : reply.send;
        let written = 0;
        while (written < bytes.length) written += await conn.write(bytes.subarray(written));
        if (reply.thenClose) return;
      }
    }
  });

  return {
    port,
    url: `${options.tls ? "https" : "http"}://127.0.0.1:${port}/`,
    requests,
    connections: connections.accepted,
    async close() {
      for (const resolve of hangers) resolve();
      await connections.close();
    },
  };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Parses one request from the front of `bytes`, or null when it is incomplete. */
function takeRequest(bytes: Uint8Array): { request: SeenRequest; length: number } | null {
  const text = decoder.decode(bytes);
  const end = text.indexOf("\r\n\r\n");
  if (end < 0) return null;
  const lines = text.slice(0, end).split("\r\n");
  const [method, path] = lines[0].split(" ");
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  const bodyLength = Number(headers.get("content-length") ?? 0);
  const headLength = encoder.encode(text.slice(0, end + 4)).length;
  if (bytes.length < headLength + bodyLength) return null;
  const body = decoder.decode(bytes.subarray(headLength, headLength + bodyLength));
  const raw = decoder.decode(bytes.subarray(0, headLength + bodyLength));
  return { request: { method, path, headers, body, raw, connection: 0 }, length: headLength + bodyLength };
}

/** A port on 127.0.0.1 where nothing listens (bound, then released). */
export function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}
