/**
 * Plain and TLS sockets behind one interface, as wrk's net.c/ssl.c: nothing else knows about TLS.
 */
import { isIP } from "node:net";
import { connect as tlsConnect, type TLSSocket } from "node:tls";

/** Where a thread connects: a resolved address, never a name (resolution happens once, up front). */
export interface SocketAddress {
  address: string;
  port: number;
}

/** TLS settings; SNI and certificate names are checked against `serverName`. */
export interface TlsSettings {
  serverName: string;
  /** Extra trusted CA certificates (PEM). */
  caCerts?: string[];
  /** Skip certificate verification (`-k`). */
  insecure?: boolean;
}

/** What the connection cycle needs of a socket; `Deno.Conn` and `Deno.TlsConn` are ones. */
export interface Socket {
  /** Reads into `buffer`; null at EOF. */
  read(buffer: Uint8Array): Promise<number | null>;
  /** Writes some of `bytes`; resolves to how many. */
  write(bytes: Uint8Array): Promise<number>;
  close(): void;
}

/** Opens connections to one address. `connect` rejects on failure (the caller counts a connect error). */
export interface Transport {
  connect(signal: AbortSignal): Promise<Socket>;
}

/** The TLS settings an `https` target needs (SNI from the URL host), or null for `http`. */
export function tlsSettings(
  options: { target: { scheme: string; host: string }; insecure: boolean },
  caCerts: string[],
): TlsSettings | null {
  if (options.target.scheme !== "https") return null;
  return {
    serverName: options.target.host,
    caCerts: caCerts.length > 0 ? caCerts : undefined,
    insecure: options.insecure,
  };
}

/** A transport for `address`, over TLS when `tls` is given. */
export function createTransport(address: SocketAddress, tls: TlsSettings | null): Transport {
  if (tls === null) return new TcpTransport(address);
  // Deno.startTls cannot skip verification per connection; node:tls can (slower, so only for -k).
  return tls.insecure ? new InsecureTlsTransport(address, tls) : new TlsTransport(address, tls);
}

class TcpTransport implements Transport {
  readonly #address: SocketAddress;
  constructor(address: SocketAddress) {
    this.#address = address;
  }

  async connect(signal: AbortSignal): Promise<Socket> {
    const conn = await Deno.connect({ hostname: this.#address.address, port: this.#address.port, signal });
    conn.setNoDelay(true);
    return conn;
  }
}

class TlsTransport implements Transport {
  readonly #address: SocketAddress;
  readonly #tls: TlsSettings;
  constructor(address: SocketAddress, tls: TlsSettings) {
    this.#address = address;
    this.#tls = tls;
  }

  async connect(signal: AbortSignal): Promise<Socket> {
    // Dial the resolved IP, but present and verify the URL's host name (SNI), as wrk does.
    const tcp = await Deno.connect({ hostname: this.#address.address, port: this.#address.port, signal });
    tcp.setNoDelay(true);
    try {
      const tls = await Deno.startTls(tcp, { hostname: this.#tls.serverName, caCerts: this.#tls.caCerts });
      // The handshake is lazy; finish it here so certificate failures count as connect errors.
      await tls.handshake();
      return tls;
    } catch (error) {
      try {
        tcp.close();
      } catch { /* already closed by the failed handshake */ }
      throw error;
    }
  }
}

class InsecureTlsTransport implements Transport {
  readonly #address: SocketAddress;
  readonly #tls: TlsSettings;
  constructor(address: SocketAddress, tls: TlsSettings) {
    this.#address = address;
    this.#tls = tls;
  }

  connect(signal: AbortSignal): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = tlsConnect({
        host: this.#address.address,
        port: this.#address.port,
        // SNI must be a name, never an IP literal (RFC 6066 §3).
        servername: isIP(this.#tls.serverName) === 0 ? this.#tls.serverName : undefined,
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

  async read(buffer: Uint8Array): Promise<number | null> {
    while (this.#chunks.length === 0) {
      if (this.#error !== null) throw this.#error;
      if (this.#ended) return null;
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
