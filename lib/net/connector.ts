/**
 * Opening a connection for a connection cycle (HTTP/1.1's and HTTP/2's): the transport's connect, its abort
 * at the end of the run, and the connect timeout the thread's tick checks. Each cycle keeps only what it does
 * with the socket it gets.
 *
 * @module
 */
import { clockMs } from "./clock.ts";
import type { Socket, Transport } from "./socket.ts";

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
  #abort: AbortController | null = null;
  #sinceMs = 0;

  /** Connects through `transport`, each allowed `timeoutMs` (`--timeout`, at least 10 s). */
  constructor(transport: Transport, timeoutMs: number) {
    this.#transport = transport;
    this.#timeoutMs = Math.max(timeoutMs, MIN_CONNECT_TIMEOUT_MS);
  }

  /**
   * Starts a connect; `onOpened` or `onFailed` follows (after `abort()`, `onFailed` with the abort's error, or
   * `onOpened` with a socket the caller should close: callers check that they still want it).
   */
  open(onOpened: (conn: Socket) => void, onFailed: (error: unknown) => void): void {
    const abort = new AbortController();
    this.#abort = abort;
    this.#sinceMs = clockMs();
    const settle = () => {
      if (this.#abort === abort) this.#abort = null;
    };
    this.#transport.connect(abort.signal).then(
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
    return this.#abort !== null && nowMs - this.#sinceMs >= this.#timeoutMs;
  }

  /** Aborts the connect in progress, if any. */
  abort(): void {
    this.#abort?.abort();
    this.#abort = null;
  }
}
