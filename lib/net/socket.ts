/**
 * The socket contract: what the connection cycle needs of a socket and of the transport that opens it, where a
 * thread connects, and its TLS settings. Every transport (`transport.ts` builds them) keeps this contract, and
 * one conformance suite holds each to it (`tests/net/sockets_test.ts`). Types and one constant only, so that
 * the transports and their users import it without importing each other.
 *
 * @module
 */

/**
 * Where a thread connects: a resolved address, never a name (resolution happens once, up front). Also what
 * `wrk.lookup` returns and `thread.addr` holds in scripts.
 */
export interface SocketAddress {
  /** Numeric IP address, without brackets. */
  address: string;
  port: number;
  /** From the resolver, so no stage has to guess it from the address's spelling. */
  family: 4 | 6;
}

/** TLS settings; SNI and certificate names are checked against `serverName`. */
export interface TlsSettings {
  serverName: string;
  /** Extra trusted CA certificates (PEM). */
  caCerts?: string[];
  /** Skip certificate verification (`-k`). */
  insecure?: boolean;
  /**
   * With `insecure`: the certificates the server presented in the pre-flight (PEM), trusted for this run so
   * that Deno's TLS accepts them without a name check (`lib/preflight/insecure_tls.ts`); absent: node:tls.
   */
  pinnedCerts?: string[];
  /** Protocols to offer by ALPN, in order of preference (`["h2"]` for `--http2`); none: no ALPN. */
  alpnProtocols?: string[];
}

/** What `Socket.startReading`'s callback gets for a read that failed (a reset, a TLS error). */
export const READ_FAILED = -1;

/** What the connection cycle needs of a socket. */
export interface Socket {
  /**
   * Starts reading; called once. Each read lands in `buffer` and is handed to `onRead` with its byte count
   * (0 at EOF, `READ_FAILED` when it failed), which is done with the bytes when it returns. Nothing follows 0
   * or `READ_FAILED`, and nothing is handed on after `close()`. Reading never waits for a request: bytes a
   * server sends unasked, or its close of an idle connection, are seen when they happen (as in wrk).
   */
  startReading(buffer: Uint8Array, onRead: (n: number) => void): void;
  /** Why the read that gave `READ_FAILED` failed (an errno name), when the socket knows. */
  readonly readFailure?: string;
  /** The protocol the TLS handshake agreed by ALPN (`"h2"`), or null/absent when none was (plain TCP). */
  readonly alpnProtocol?: string | null;
  /** Writes some of `bytes`; resolves to how many. */
  write(bytes: Uint8Array): Promise<number>;
  /**
   * Writes what the socket takes at once, without waiting (possibly 0 bytes); throws when the socket failed.
   * Only sockets that can do this cheaply have it: it spares the cycle a promise per request.
   */
  writeNow?(bytes: Uint8Array): number;
  close(): void;
}

/** Cancels a scheduled callback (see `Transport.delay`); cancelling twice, or after it ran, does nothing. */
export interface Cancel {
  cancel(): void;
}

/** Hears how a connect started by `Transport.open` went: one of the two, once. */
export interface ConnectTarget {
  opened(socket: Socket): void;
  failed(error: unknown): void;
}

/**
 * Opens connections to one address. The connection cycles connect through `open`; `connect` is for one-off
 * connects (the pre-flight's TLS handshake), and rejects on failure.
 */
export interface Transport {
  connect(signal: AbortSignal): Promise<Socket>;
  /**
   * Starts a connect and tells `target` how it went, never before `open` returns. Returns how to give the
   * connect up; `target` may then still hear `failed`, or `opened` with a socket the caller closes. The epoll
   * loop does this without a promise or an `AbortSignal` (at `-c10000` the promise, signal and listener of
   * every connect outlived scavenges and stayed in the old generation: docs/benchmarks.md#memory-per-thread);
   * Deno's sockets through `openByPromise` (`_promise_open.ts`).
   */
  open(target: ConnectTarget): Cancel;
  /**
   * Calls `callback` after `delayMs`, on the transport's own clock and loop, when it has one (the epoll loop:
   * its timers fire on time or, when another fired less than a millisecond before, with it in the next round; Deno's `setTimeout` fires late, so each `delay()` cycle
   * runs longer than the script asked and the rate falls below wrk's: docs/benchmarks.md). Returns how to
   * cancel it.
   */
  delay?(delayMs: number, callback: () => void): Cancel;
  /**
   * Loads what the transport needs before its first connect (a module it imports on demand), so that loading
   * happens before the run's clock starts, not inside the measured run. Connecting without it also works.
   */
  ready?(): Promise<void>;
  /**
   * A buffer of at least `bytes` for a connection to read into. A transport whose sockets hand each read on
   * before the next read of any of them (the epoll loop) gives every connection the same one, so that
   * `-c 10000` does not hold 10000 read buffers; a connection must then not keep views of it past its read
   * callback. Absent: each connection allocates its own.
   */
  readBuffer?(bytes: number): Uint8Array;
  /**
   * Says a cycle of this thread sends pipelined batches, whose latency is far above a wake-up of the thread:
   * the transport's loop may then let responses gather before it reads (the epoll loop's pacing). Absent: no
   * such loop.
   */
  paceReads?(): void;
  /**
   * Releases what the transport holds beyond its sockets (the epoll loop's descriptor), once they are closed.
   * Its sockets are not Deno resources: a terminated worker would leave them, and this, open; so a worker ends
   * only once the promise returned, if any, settled (the descriptor may stay open for a wait in progress).
   */
  close?(): Promise<void> | void;
}
