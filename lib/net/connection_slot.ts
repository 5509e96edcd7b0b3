/**
 * The lifecycle of a connection slot, the same for HTTP/1.1's cycle (`http1/connection.ts`) and HTTP/2's
 * (`http2/connection.ts`): open a socket through the {@linkcode Connector} and hand it over only while it is
 * still wanted, count a failed connect and try again after a macrotask, give up a connect older than its limit,
 * and tell a dropped socket's late callbacks from the current socket's by a generation. Each cycle keeps only
 * its protocol: what it does with the socket it is given, and when it drops it.
 *
 * @module
 */
import { Connector } from "./connector.ts";
import { closeQuietly, type CycleContext, laterMacrotask } from "./cycle.ts";
import { errorReason } from "./error_reason.ts";
import type { Cancel, Socket } from "./socket.ts";

/** What a slot needs of its thread: where it connects, the connect timeout, its counters, the stop. */
export type SlotContext = Pick<CycleContext, "transport" | "timeoutMs" | "counters" | "state">;

/**
 * One connection slot's connects and reconnects, and the generation of its socket. `Owner` is the cycle, and
 * `onOpen` its method that takes each socket: a method is one function for all the cycles (a private one too),
 * where a closure would be one more object on the heap for each connection.
 *
 * @example A socket reaches the cycle with its generation
 * ```ts
 * import { ConnectionSlot } from "./connection_slot.ts";
 * import { ThreadCounters } from "./cycle.ts";
 * import type { Socket } from "./socket.ts";
 *
 * const socket: Socket = { startReading() {}, write: (bytes) => Promise.resolve(bytes.length), close() {} };
 * const transport = { connect: () => Promise.resolve(socket) };
 * const opened = Promise.withResolvers<number>();
 * const context = { transport, timeoutMs: 2_000, counters: new ThreadCounters(), state: { stopped: false } };
 * const slot = new ConnectionSlot(context, opened, function (_conn, generation) {
 *   this.resolve(generation);
 * });
 * slot.connect();
 * console.log(await opened.promise); // 0
 * slot.close();
 * ```
 */
export class ConnectionSlot<Owner> {
  /**
   * Bumped by {@linkcode drop}: a connect's callbacks carry the generation it was started in, and one that
   * differs is a dropped socket's. The cycle keeps the generation `drop()` returns in a field of its own, for
   * its check on every read: one load, where the slot's would be two.
   */
  #generation = 0;
  /** Set by {@linkcode close} (the end of the run, a script error): nothing more is opened or counted. */
  #closed = false;
  readonly #connector: Connector;
  readonly #context: SlotContext;
  readonly #owner: Owner;
  readonly #onOpen: (this: Owner, conn: Socket, generation: number) => void;
  /** The macrotask before the next connect, after one failed. */
  #retry: Cancel | null = null;

  /** `onOpen` is called on `owner` with each socket opened while it is still wanted, and its generation. */
  constructor(
    context: SlotContext,
    owner: Owner,
    onOpen: (this: Owner, conn: Socket, generation: number) => void,
  ) {
    this.#context = context;
    this.#owner = owner;
    this.#onOpen = onOpen;
    this.#connector = new Connector(context.transport, context.timeoutMs);
  }

  /** Whether `generation`'s socket is still wanted: not dropped, the slot not closed, the run not stopped. */
  wants(generation: number): boolean {
    return generation === this.#generation && !this.#closed && !this.#context.state.stopped;
  }

  /** Opens a socket for the current generation, unless the slot is closed or the run stopped. */
  connect(): void {
    if (this.#closed || this.#context.state.stopped) return;
    const generation = this.#generation;
    this.#connector.open(
      (conn) => this.#opened(conn, generation),
      (error) => this.#failed(generation, error),
    );
  }

  /**
   * Counts a failed connect as a `connect` error for `reason`, and connects again after a macrotask, so that a
   * refusing server cannot starve the timers that stop the run. Also for a socket the cycle refuses (HTTP/2
   * without h2 by ALPN).
   */
  retry(reason: string): void {
    this.#context.counters.countError("connect", reason);
    const generation = this.#generation;
    this.#retry = laterMacrotask(0, () => {
      this.#retry = null;
      if (generation === this.#generation) this.connect();
    });
  }

  /**
   * Called by the cycle's `expire()`: true when a connect in progress is older than its limit at `nowMs`; it is
   * counted as a `connect` error and given up, and the cycle drops the slot and connects again.
   */
  connectTimedOut(nowMs: number): boolean {
    if (!this.#connector.overdue(nowMs)) return false;
    this.#context.counters.countError("connect", "connect timeout");
    this.#connector.abort();
    return true;
  }

  /** Closes the slot for good: the connect in progress and a pending retry are given up. */
  close(): void {
    this.#closed = true;
    this.#connector.abort();
    this.#cancelRetry();
  }

  /**
   * The socket is gone (the cycle closes it): a late callback of it, or of its connect, is now stale. Returns
   * the new generation, the next socket's.
   */
  drop(): number {
    this.#cancelRetry();
    return ++this.#generation;
  }

  #cancelRetry(): void {
    this.#retry?.cancel();
    this.#retry = null;
  }

  #opened(conn: Socket, generation: number): void {
    if (this.wants(generation)) this.#onOpen.call(this.#owner, conn, generation);
    else closeQuietly(conn);
  }

  #failed(generation: number, error: unknown): void {
    // A connect that connectTimedOut() counted already (or the stop gave up) is not counted twice.
    if (this.wants(generation)) this.retry(errorReason(error));
  }
}
