/**
 * TLS without certificate verification (`-k`) over node:tls: `Deno.startTls` cannot skip verification per
 * connection. Slower than the Deno transports, and loaded only for `-k`.
 */
import type { TLSSocket } from "node:tls";
import { connectUnverified } from "./_unverified_tls.ts";
import { errorReason } from "./error_reason.ts";
import { READ_FAILED, type Socket, type SocketAddress, type TlsSettings } from "./socket.ts";

/** Connects over TLS without verifying the certificate (`-k`); rejects on failure or abort. */
export async function connectInsecureTls(
  address: SocketAddress,
  tls: TlsSettings,
  signal: AbortSignal,
): Promise<Socket> {
  const socket = await connectUnverified(address, tls, signal);
  socket.setNoDelay(true);
  return new NodeSocket(socket);
}

/** A node:tls socket seen through the `Socket` interface: its data events copied into the reader's buffer. */
class NodeSocket implements Socket {
  readFailure: string | undefined = undefined;
  readonly alpnProtocol: string | null;
  readonly #socket: TLSSocket;
  #buffer: Uint8Array | null = null;
  #onRead: (n: number) => void = () => {};
  /** What arrived before `startReading`. */
  #early: Uint8Array[] = [];
  /** How reading ended before `startReading` (0 or READ_FAILED), else null. */
  #earlyEnd: number | null = null;
  #done = false;

  constructor(socket: TLSSocket) {
    this.#socket = socket;
    this.alpnProtocol = typeof socket.alpnProtocol === "string" ? socket.alpnProtocol : null;
    socket.on("data", (chunk: Uint8Array) => this.#deliver(chunk));
    socket.on("end", () => this.#finish(0));
    socket.on("close", () => this.#finish(0));
    socket.on("error", (error: Error) => {
      this.readFailure = errorReason(error);
      this.#finish(READ_FAILED);
    });
  }

  startReading(buffer: Uint8Array, onRead: (n: number) => void): void {
    this.#buffer = buffer;
    this.#onRead = onRead;
    const early = this.#early;
    this.#early = [];
    if (early.length === 0 && this.#earlyEnd === null) return;
    queueMicrotask(() => {
      for (const chunk of early) this.#deliver(chunk);
      if (this.#earlyEnd !== null) this.#finish(this.#earlyEnd);
    });
  }

  #deliver(chunk: Uint8Array): void {
    const buffer = this.#buffer;
    if (this.#done) return;
    if (buffer === null) {
      this.#early.push(chunk);
      return;
    }
    for (let offset = 0; offset < chunk.length && !this.#done;) {
      const n = Math.min(chunk.length - offset, buffer.length);
      buffer.set(chunk.subarray(offset, offset + n));
      offset += n;
      this.#onRead(n);
    }
  }

  #finish(code: number): void {
    if (this.#done) return;
    if (this.#buffer === null) {
      this.#earlyEnd ??= code;
      return;
    }
    this.#done = true;
    this.#onRead(code);
  }

  write(bytes: Uint8Array): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#socket.write(bytes, (error?: Error | null) => error ? reject(error) : resolve(bytes.length));
    });
  }

  close(): void {
    this.#done = true;
    this.#socket.destroy();
  }
}
