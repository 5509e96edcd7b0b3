/**
 * Plain and TLS sockets behind one interface, as wrk's net.c/ssl.c: nothing else knows about TLS. This file
 * picks and builds the transport; the contract every transport keeps is `socket.ts`.
 */
import { EpollLoop } from "./_epoll_socket.ts";
import { loadModule } from "../lazy_modules.ts";
import { type Libc, openLibc, socketAddressBytes } from "./_libc.ts";
import { PromiseTransport } from "./_promise_open.ts";
import { closeQuietly } from "./cycle.ts";
import { socketOf } from "./_resource_io.ts";
import type { Cancel, ConnectTarget, Socket, SocketAddress, TlsSettings, Transport } from "./socket.ts";

/**
 * The TLS settings an `https` target needs (SNI from the URL host; ALPN `h2` with `--http2`), or null for
 * `http`.
 */
export function tlsSettings(
  options: { target: { scheme: string; host: string }; insecure: boolean; http2?: boolean },
  caCerts: string[],
  pinnedCerts: string[] | null = null,
): TlsSettings | null {
  if (options.target.scheme !== "https") return null;
  return {
    serverName: options.target.host,
    caCerts: caCerts.length > 0 ? caCerts : undefined,
    insecure: options.insecure,
    pinnedCerts: options.insecure && pinnedCerts !== null ? pinnedCerts : undefined,
    alpnProtocols: options.http2 ? ["h2"] : undefined,
  };
}

/** `socket` with the protocol its TLS handshake agreed by ALPN. */
function withAlpn(socket: Socket, alpnProtocol: string | null): Socket {
  (socket as { alpnProtocol?: string | null }).alpnProtocol = alpnProtocol;
  return socket;
}

/**
 * A transport for `address`, over TLS when `tls` is given. Plain TCP goes through this thread's epoll loop when
 * `epoll` is set and the loop can run here (Linux, `--allow-ffi`, a numeric address), else through Deno.connect.
 */
export function createTransport(address: SocketAddress, tls: TlsSettings | null, epoll = false): Transport {
  if (tls === null) {
    const libc = epoll ? openLibc() : null;
    const sockaddr = libc === null ? null : socketAddressBytes(address.address, address.port);
    if (libc !== null && sockaddr !== null) return new EpollTransport(acquireLoop(libc), sockaddr);
    return new TcpTransport(address);
  }
  // Deno.startTls cannot skip verification; with -k it trusts the certificates the pre-flight saw, without a
  // name check (tls.pinnedCerts), which is as fast as verified TLS. Where those cannot pass (an expired one, an
  // issuer the server does not send) node:tls skips verification: slower, and it costs every thread that loads
  // it memory, so it is loaded only then (docs/benchmarks.md).
  return tls.insecure && tls.pinnedCerts === undefined
    ? new InsecureTlsTransport(address, tls)
    : new TlsTransport(address, tls);
}

class TcpTransport extends PromiseTransport {
  readonly #address: SocketAddress;
  constructor(address: SocketAddress) {
    super();
    this.#address = address;
  }

  async connect(signal: AbortSignal): Promise<Socket> {
    const conn = await Deno.connect({ hostname: this.#address.address, port: this.#address.port, signal });
    conn.setNoDelay(true);
    return socketOf(conn);
  }
}

/** Whether `transport` runs on this thread's epoll loop (for tests and diagnostics). */
export function usesEpoll(transport: Transport): boolean {
  return transport instanceof EpollTransport;
}

/**
 * The epoll loop of this JavaScript thread, shared by every epoll transport made on it: a worker that hosts
 * several of the run's threads (lib/worker/worker_host.ts) runs one loop for all their sockets, since two loops
 * on one thread would each block it in their waits. Each transport holds it until `close()`; the last one
 * closes it.
 */
let sharedLoop: { loop: EpollLoop; users: number } | null = null;

function acquireLoop(libc: Libc): EpollLoop {
  sharedLoop ??= { loop: new EpollLoop(libc), users: 0 };
  sharedLoop.users++;
  return sharedLoop.loop;
}

/** Settles once the loop's descriptor is closed, when this was its last user (see `EpollLoop.close`). */
function releaseLoop(loop: EpollLoop): Promise<void> {
  if (sharedLoop === null || sharedLoop.loop !== loop) return Promise.resolve();
  if (--sharedLoop.users > 0) return Promise.resolve();
  sharedLoop = null;
  return loop.close();
}

/** Plain TCP on the thread's epoll loop (lib/net/_epoll_socket.ts). */
class EpollTransport implements Transport {
  readonly #loop: EpollLoop;
  readonly #sockaddr: Uint8Array;
  #closed = false;
  constructor(loop: EpollLoop, sockaddr: Uint8Array) {
    this.#loop = loop;
    this.#sockaddr = sockaddr;
  }

  connect(signal: AbortSignal): Promise<Socket> {
    return this.#loop.connect(this.#sockaddr, signal);
  }

  open(target: ConnectTarget): Cancel {
    return this.#loop.open(this.#sockaddr, target);
  }

  delay(delayMs: number, callback: () => void): Cancel {
    return this.#loop.timer(delayMs, callback);
  }

  readBuffer(bytes: number): Uint8Array {
    return this.#loop.readBuffer(bytes);
  }

  paceReads(): void {
    this.#loop.pace();
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    return releaseLoop(this.#loop);
  }
}

/**
 * Whether `transport` runs on Deno's own TLS: verified TLS always, `-k` when the pre-flight pinned the server's
 * certificates and no connection has fallen back to node:tls since.
 *
 * @example Verified TLS
 * ```ts
 * import { createTransport, usesDenoTls } from "./transport.ts";
 *
 * const address = { address: "127.0.0.1", port: 443, family: 4 as const };
 * console.log(usesDenoTls(createTransport(address, { serverName: "localhost" }))); // true
 * console.log(usesDenoTls(createTransport(address, { serverName: "localhost", insecure: true }))); // false
 * ```
 */
export function usesDenoTls(transport: Transport): boolean {
  return transport instanceof TlsTransport && transport.onDenoTls;
}

/**
 * Why a `-k` transport left Deno's TLS for node:tls: rustls's refusal of the certificate
 * (`invalid peer certificate: Expired`), or null while it has not (or without `-k`).
 */
export function denoTlsRefusal(transport: Transport): string | null {
  return transport instanceof TlsTransport ? transport.refusal : null;
}

/** The rustls error of a certificate that did not pass (`invalid peer certificate: UnknownIssuer`, …). */
const CERTIFICATE_REJECTED = /invalid peer certificate/i;

class TlsTransport extends PromiseTransport {
  readonly #address: SocketAddress;
  readonly #tls: TlsSettings;
  readonly #caCerts: string[] | undefined;
  /** With -k: node:tls, once a connection's certificate did not pass as pinned (the server changed it). */
  #fallback: InsecureTlsTransport | null = null;
  constructor(address: SocketAddress, tls: TlsSettings) {
    super();
    this.#address = address;
    this.#tls = tls;
    const pinned = tls.insecure ? tls.pinnedCerts ?? [] : [];
    this.#caCerts = pinned.length > 0 ? [...(tls.caCerts ?? []), ...pinned] : tls.caCerts;
  }

  /** Why `-k` fell back to node:tls (`denoTlsRefusal`). */
  refusal: string | null = null;

  /** False once `-k` fell back to node:tls. */
  get onDenoTls(): boolean {
    return this.#fallback === null;
  }

  async connect(signal: AbortSignal): Promise<Socket> {
    if (this.#fallback !== null) return this.#fallback.connect(signal);
    // Dial the resolved IP, but present and verify the URL's host name (SNI), as wrk does.
    const tcp = await Deno.connect({ hostname: this.#address.address, port: this.#address.port, signal });
    tcp.setNoDelay(true);
    // The signal bounds the handshake too: a server that accepts and never answers it would hold the connect
    // (and a check before the run) forever. Closing the connection ends the handshake with an error.
    let tls: Deno.TlsConn | null = null;
    const abandon = () => closeQuietly(tls ?? tcp);
    signal.addEventListener("abort", abandon, { once: true });
    try {
      tls = await Deno.startTls(tcp, {
        hostname: this.#tls.serverName,
        caCerts: this.#caCerts,
        alpnProtocols: this.#tls.alpnProtocols,
        // -k accepts a certificate for another name, as wrk's does.
        unsafelyDisableHostnameVerification: this.#tls.insecure === true,
      });
      if (signal.aborted) abandon();
      // The handshake is lazy; finish it here so certificate failures count as connect errors.
      const { alpnProtocol } = await tls.handshake();
      signal.throwIfAborted();
      return withAlpn(socketOf(tls), alpnProtocol);
    } catch (error) {
      closeQuietly(tls ?? tcp);
      if (signal.aborted) throw signal.reason;
      if (!this.#tls.insecure || !CERTIFICATE_REJECTED.test(String(error))) throw error;
      // -k never refuses a certificate: this one is not the pre-flight's, so node:tls from now on.
      this.refusal = String(error instanceof Error ? error.message : error);
      this.#fallback = new InsecureTlsTransport(this.#address, this.#tls);
      return this.#fallback.connect(signal);
    } finally {
      signal.removeEventListener("abort", abandon);
    }
  }
}

class InsecureTlsTransport extends PromiseTransport {
  readonly #address: SocketAddress;
  readonly #tls: TlsSettings;
  #connect: typeof import("./_insecure_tls.ts").connectInsecureTls | null = null;
  constructor(address: SocketAddress, tls: TlsSettings) {
    super();
    this.#address = address;
    this.#tls = tls;
  }

  async ready(): Promise<void> {
    this.#connect ??=
      (await loadModule<typeof import("./_insecure_tls.ts")>("net/_insecure_tls.ts")).connectInsecureTls;
  }

  async connect(signal: AbortSignal): Promise<Socket> {
    if (this.#connect === null) await this.ready();
    return this.#connect!(this.#address, this.#tls, signal);
  }
}
