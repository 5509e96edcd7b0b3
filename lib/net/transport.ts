/**
 * Plain and TLS sockets behind one interface, as wrk's net.c/ssl.c: nothing else knows about TLS.
 */

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
}

/** Opens connections to one address. `connect` rejects on failure (the caller counts a connect error). */
export interface Transport {
  connect(signal: AbortSignal): Promise<Deno.Conn>;
}

/** A transport for `address`, over TLS when `tls` is given. */
export function createTransport(address: SocketAddress, tls: TlsSettings | null): Transport {
  return tls === null ? new TcpTransport(address) : new TlsTransport(address, tls);
}

class TcpTransport implements Transport {
  readonly #address: SocketAddress;
  constructor(address: SocketAddress) {
    this.#address = address;
  }

  async connect(signal: AbortSignal): Promise<Deno.Conn> {
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

  async connect(signal: AbortSignal): Promise<Deno.Conn> {
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
