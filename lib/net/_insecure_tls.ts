/**
 * TLS without certificate verification (`-k`) over node:tls: `Deno.startTls` cannot skip verification per
 * connection. Slower than the Deno transports, and loaded only for `-k`.
 */
import { isIP } from "node:net";
import { connect as tlsConnect, type TLSSocket } from "node:tls";
import type { Socket, SocketAddress, TlsSettings } from "./transport.ts";

/** Connects over TLS without verifying the certificate (`-k`); rejects on failure or abort. */
export function connectInsecureTls(
  address: SocketAddress,
  tls: TlsSettings,
  signal: AbortSignal,
): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      host: address.address,
      port: address.port,
      // SNI must be a name, never an IP literal (RFC 6066 §3).
      servername: isIP(tls.serverName) === 0 ? tls.serverName : undefined,
      rejectUnauthorized: false,
    });
    const onAbort = () => {
      socket.destroy();
      reject(new Error("connect aborted"));
    };
    signal.addEventListener("abort", onAbort, { once: true });
    socket.once("secureConnect", () => {
      signal.removeEventListener("abort", onAbort);
      socket.setNoDelay(true);
      resolve(new NodeSocket(socket));
    });
    socket.once("error", (error) => {
      signal.removeEventListener("abort", onAbort);
      reject(error);
    });
  });
}

/** A node:tls socket seen through the `Socket` interface: pull-style reads over its data events. */
class NodeSocket implements Socket {
  readonly #socket: TLSSocket;
  #chunks: Uint8Array[] = [];
  #ended = false;
  #error: Error | null = null;
  #waiting: (() => void) | null = null;

  constructor(socket: TLSSocket) {
    this.#socket = socket;
    const wake = () => {
      const waiting = this.#waiting;
      this.#waiting = null;
      waiting?.();
    };
    socket.on("data", (chunk: Uint8Array) => {
      this.#chunks.push(chunk);
      wake();
    });
    socket.on("end", () => {
      this.#ended = true;
      wake();
    });
    socket.on("close", () => {
      this.#ended = true;
      wake();
    });
    socket.on("error", (error: Error) => {
      this.#error = error;
      wake();
    });
  }

  async read(buffer: Uint8Array): Promise<number> {
    while (this.#chunks.length === 0) {
      if (this.#error !== null) throw this.#error;
      if (this.#ended) return 0;
      await new Promise<void>((resolve) => (this.#waiting = resolve));
    }
    const chunk = this.#chunks[0];
    const n = Math.min(chunk.length, buffer.length);
    buffer.set(chunk.subarray(0, n));
    if (n === chunk.length) this.#chunks.shift();
    else this.#chunks[0] = chunk.subarray(n);
    return n;
  }

  write(bytes: Uint8Array): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#socket.write(bytes, (error?: Error | null) => error ? reject(error) : resolve(bytes.length));
    });
  }

  close(): void {
    this.#socket.destroy();
    this.#ended = true;
    const waiting = this.#waiting;
    this.#waiting = null;
    waiting?.();
  }
}
