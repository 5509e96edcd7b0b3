/**
 * Plain and TLS sockets behind one interface, as wrk's net.c/ssl.c: nothing else knows about TLS.
 */
import { socketOf } from "./_resource_io.ts";

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

/** What the connection cycle needs of a socket. */
export interface Socket {
  /** Reads into `buffer` (never empty); resolves to the count read, 0 at EOF. */
  read(buffer: Uint8Array): Promise<number>;
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
  // Deno.startTls cannot skip verification per connection; node:tls can (slower, so only for -k). node:tls is
  // loaded only then: it costs each thread ~3 MiB.
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
    return socketOf(conn);
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
      return socketOf(tls);
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
  #connect: typeof import("./_insecure_tls.ts").connectInsecureTls | null = null;
  constructor(address: SocketAddress, tls: TlsSettings) {
    this.#address = address;
    this.#tls = tls;
  }

  async connect(signal: AbortSignal): Promise<Socket> {
    this.#connect ??= (await import("./_insecure_tls.ts")).connectInsecureTls;
    return this.#connect(this.#address, this.#tls, signal);
  }
}
