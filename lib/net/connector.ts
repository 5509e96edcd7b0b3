/**
 * Opening a connection for a connection slot (`connection_slot.ts`, which HTTP/1.1's and HTTP/2's cycles share):
 * the transport's connect, its abort at the end of the run, and the connect timeout the thread's tick checks.
 * The slot decides whether the socket it gets is still wanted, and counts and retries what fails.
 *
 * @module
 */
import { clockMs } from "./clock.ts";
import type { Cancel, ConnectTarget, Socket, Transport } from "./socket.ts";

/**
 * Connects get at least 10 s: with thousands of connections opening at once the kernel's accept queue
 * overflows and SYNs are retransmitted after 1 s and 3 s (wrk never gives up on a connect); aborting them at a
 * 2 s --timeout would only start a reconnect storm. A black-holed server still shows up as connect errors.
 */
const MIN_CONNECT_TIMEOUT_MS = 10_000;

/**
 * One cycle's connects, one at a time.
 *
 * @example A connect that fails is reported once
 * ```ts
 * import { Connector } from "./connector.ts";
 *
 * const refused = { connect: () => Promise.reject(new Error("refused")) };
 * const connector = new Connector(refused, 2_000);
 * connector.open(() => {}, (error) => console.log(String(error))); // Error: refused
 * ```
 */
export class Connector {
  readonly #transport: Transport;
  readonly #timeoutMs: number;
  /** The connect in progress: how to give it up (`Transport.open`'s attempt, or `connect`'s signal); null: none. */
  #pending: Attempt | AbortController | null = null;
  #sinceMs = 0;

  /** Connects through `transport`, each allowed `timeoutMs` (`--timeout`, at least 10 s). */
  constructor(transport: Transport, timeoutMs: number) {
    this.#transport = transport;
    this.#timeoutMs = Math.max(timeoutMs, MIN_CONNECT_TIMEOUT_MS);
  }

  /**
   * Starts a connect; `onOpened` or `onFailed` follows, never before this returns. After `abort()`: nothing,
   * `onFailed` with the abort's error, or `onOpened` with a socket the caller should close (callers check that
   * they still want it).
   */
  open(onOpened: (conn: Socket) => void, onFailed: (error: unknown) => void): void {
    this.#sinceMs = clockMs();
    const transport = this.#transport;
    if (transport.open !== undefined) {
      // The transport's callbacks: no promise or signal per connect (see `Transport.open`).
      const attempt = new Attempt(onOpened, onFailed);
      this.#pending = attempt;
      attempt.connect = transport.open(attempt);
      return;
    }
    const abort = new AbortController();
    this.#pending = abort;
    const settle = () => {
      if (this.#pending === abort) this.#pending = null;
    };
    transport.connect(abort.signal).then(
      (conn) => {
        settle();
        onOpened(conn);
      },
      (error) => {
        settle();
        onFailed(error);
      },
    );
  }

  /** Whether the connect in progress is older than its limit at `nowMs` (the caller counts it and aborts). */
  overdue(nowMs: number): boolean {
    const pending = this.#pending;
    if (pending === null || (pending instanceof Attempt && !pending.live)) return false;
    return nowMs - this.#sinceMs >= this.#timeoutMs;
  }

  /** Aborts the connect in progress, if any. */
  abort(): void {
    const pending = this.#pending;
    this.#pending = null;
    if (pending instanceof AbortController) pending.abort();
    else pending?.giveUp();
  }
}

/**
 * One connect through `Transport.open`: passes its outcome on once, unless it was given up first (a socket
 * that opens anyway is closed here).
 */
class Attempt implements ConnectTarget {
  /** The transport's handle on the connect. */
  connect: Cancel | null = null;
  /** Neither settled nor given up. */
  live = true;
  // Dropped once settled (with `connect`): the connector keeps its last attempt, and the cycle's callbacks hold
  // their context.
  #onOpened: ((conn: Socket) => void) | null;
  #onFailed: ((error: unknown) => void) | null;

  constructor(onOpened: (conn: Socket) => void, onFailed: (error: unknown) => void) {
    this.#onOpened = onOpened;
    this.#onFailed = onFailed;
  }

  opened(socket: Socket): void {
    const onOpened = this.#onOpened;
    this.#end();
    if (onOpened !== null) {
      onOpened(socket);
      return;
    }
    try {
      socket.close();
    } catch { /* already closed */ }
  }

  failed(error: unknown): void {
    const onFailed = this.#onFailed;
    this.#end();
    onFailed?.(error);
  }

  giveUp(): void {
    const connect = this.connect;
    this.#end();
    connect?.cancel();
  }

  #end(): void {
    this.live = false;
    this.connect = null;
    this.#onOpened = null;
    this.#onFailed = null;
  }
}
