/**
 * The lifecycle of a connection slot, the same for HTTP/1.1's cycle (`http1/connection.ts`) and HTTP/2's
 * (`http2/connection.ts`): open a socket through the transport's `open` and hand it over only while it is
 * still wanted, count a failed connect and try again after a macrotask, give up a connect older than its limit,
 * and tell a dropped socket's late callbacks from the current socket's by a generation. Each cycle keeps only
 * its protocol: what it does with the socket it is given, and when it drops it.
 *
 * @module
 */
import { clockMs } from "./clock.ts";
import { closeQuietly, type CycleContext, laterMacrotask } from "./cycle.ts";
import { errorReason } from "./error_reason.ts";
import type { Cancel, ConnectTarget, Socket } from "./socket.ts";

/**
 * Connects get at least 10 s: with thousands of connections opening at once the kernel's accept queue
 * overflows and SYNs are retransmitted after 1 s and 3 s (wrk never gives up on a connect); aborting them at a
 * 2 s --timeout would only start a reconnect storm. A black-holed server still shows up as connect errors.
 */
const MIN_CONNECT_TIMEOUT_MS = 10_000;

/**
 * What a slot needs of its thread: where it connects, the connect timeout, its counters, the stop, and when a
 * failed connection is replaced.
 */
export type SlotContext = Pick<CycleContext, "transport" | "timeoutMs" | "counters" | "state" | "reconnects">;

/**
 * One connection slot's connects and reconnects, and the generation of its socket. `Owner` is the cycle, and
 * `onOpen` its method that takes each socket: a method is one function for all the cycles (a private one too),
 * where a closure would be one more object on the heap for each connection.
 *
 * @example A socket reaches the cycle with its generation
 * ```ts
 * import { ConnectionSlot } from "./connection_slot.ts";
 * import { ThreadCounters } from "./cycle.ts";
 * import { ReconnectGate } from "./reconnect_gate.ts";
 * import type { ConnectTarget, Socket } from "./socket.ts";
 *
 * const socket: Socket = { startReading() {}, write: (bytes) => Promise.resolve(bytes.length), close() {} };
 * const transport = {
 *   connect: () => Promise.resolve(socket),
 *   open: (target: ConnectTarget) => {
 *     queueMicrotask(() => target.opened(socket));
 *     return { cancel() {} };
 *   },
 * };
 * const opened = Promise.withResolvers<number>();
 * const counters = new ThreadCounters();
 * const context = { transport, timeoutMs: 2_000, counters, state: { stopped: false }, reconnects: new ReconnectGate() };
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
  readonly #context: SlotContext;
  /** `--timeout`, at least `MIN_CONNECT_TIMEOUT_MS`. */
  readonly #connectTimeoutMs: number;
  /** The connect in progress, or the last one (then no longer `live`); null before the first. */
  #attempt: Attempt | null = null;
  #attemptSinceMs = 0;
  readonly #owner: Owner;
  readonly #onOpen: (this: Owner, conn: Socket, generation: number) => void;
  /** The macrotask before the next connect, after one failed. */
  #retry: Cancel | null = null;
  /** With `-R`: when a connect that failed at `nowMs` is tried again (the lane's next slot); null: at once. */
  readonly #retryAtMs: ((nowMs: number) => number) | null;

  /**
   * `onOpen` is called on `owner` with each socket opened while it is still wanted, and its generation. With
   * `-R`, `retryAtMs` says when a connect that failed at a time is tried again (the connection's next slot on
   * its plan); without it, a macrotask later.
   */
  constructor(
    context: SlotContext,
    owner: Owner,
    onOpen: (this: Owner, conn: Socket, generation: number) => void,
    retryAtMs: ((nowMs: number) => number) | null = null,
  ) {
    this.#context = context;
    this.#owner = owner;
    this.#onOpen = onOpen;
    this.#retryAtMs = retryAtMs;
    this.#connectTimeoutMs = Math.max(context.timeoutMs, MIN_CONNECT_TIMEOUT_MS);
  }

  /** Whether `generation`'s socket is still wanted: not dropped, the slot not closed, the run not stopped. */
  wants(generation: number): boolean {
    return generation === this.#generation && !this.#closed && !this.#context.state.stopped;
  }

  /** Opens a socket for the current generation, unless the slot is closed or the run stopped. */
  connect(): void {
    if (this.#closed || this.#context.state.stopped) return;
    const attempt = new Attempt(this, this.#generation);
    this.#attempt = attempt;
    this.#attemptSinceMs = clockMs();
    attempt.connect = this.#context.transport.open(attempt);
  }

  /**
   * Counts a failed connect as a `connect` error for `reason`, and connects again after a macrotask, so that a
   * refusing server cannot starve the timers that stop the run; with `-R` at the connection's next slot, so
   * that a server that went down gets one connect per slot, as its requests would have come, not thousands a
   * second. Also for a socket the cycle refuses (HTTP/2 without h2 by ALPN).
   */
  retry(reason: string): void {
    this.#context.counters.countError("connect", reason);
    const retryAtMs = this.#retryAtMs;
    if (retryAtMs === null) {
      this.connectLater();
      return;
    }
    const nowMs = clockMs();
    this.connectLater(Math.max(0, retryAtMs(nowMs) - nowMs));
  }

  /**
   * After a socket failed (a read or write error; uncounted here): connects at once when the thread's
   * `ReconnectGate` (lib/net/reconnect_gate.ts) allows it for a socket that did or did not answer
   * (`answered`), else a macrotask later.
   */
  reconnect(answered: boolean): void {
    if (this.#context.reconnects.atOnce(answered, clockMs())) this.connect();
    else this.connectLater();
  }

  /**
   * Connects after a macrotask, or `delayMs` (uncounted): after a socket failed (a timeout; a read or write
   * error the `ReconnectGate` holds back), or a connect (`retry`). Every connection a server drops at once
   * reconnecting at once kept an overloaded server dropping them: nginx over its `worker_connections` closes waiting connections for each
   * one it accepts, and thousands of immediate reconnects got no request through. A macrotask, not the epoll
   * loop's own timers: those fire in the same loop round, and spread nothing
   * (docs/benchmarks.md#sockets-and-the-epoll-loop).
   */
  connectLater(delayMs = 0): void {
    const generation = this.#generation;
    this.#retry = laterMacrotask(delayMs, () => {
      this.#retry = null;
      if (generation === this.#generation) this.connect();
    });
  }

  /**
   * Called by the cycle's `expire()`: true when a connect in progress is older than its limit at `nowMs`; it is
   * counted as a `connect` error and given up, and the cycle drops the slot and connects again.
   */
  connectTimedOut(nowMs: number): boolean {
    const attempt = this.#attempt;
    if (attempt === null || !attempt.live || nowMs - this.#attemptSinceMs < this.#connectTimeoutMs) {
      return false;
    }
    this.#context.counters.countError("connect", "timed out");
    attempt.giveUp();
    return true;
  }

  /** Closes the slot for good: the connect in progress and a pending retry are given up. */
  close(): void {
    this.#closed = true;
    this.#attempt?.giveUp();
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

  /** An `Attempt`'s socket: handed to the cycle when `generation` is still wanted, else closed. */
  opened(conn: Socket, generation: number): void {
    if (this.wants(generation)) this.#onOpen.call(this.#owner, conn, generation);
    else closeQuietly(conn);
  }

  /** An `Attempt`'s failure: counted and retried when `generation` is still wanted. */
  failed(generation: number, error: unknown): void {
    // A connect that connectTimedOut() counted already, or that the stop gave up, is not counted twice.
    if (this.wants(generation)) this.retry(errorReason(error));
  }
}

/**
 * One connect, the transport's `ConnectTarget`: passes its outcome to the slot once, with the generation it was
 * started in, unless it was given up first (a socket that opens anyway is closed here). One object per
 * connect, and no closures.
 */
class Attempt implements ConnectTarget {
  /** How to give the connect up; null once it settled or was given up. */
  connect: Cancel | null = null;
  /** Neither settled nor given up: only such a connect can time out, and only its outcome is passed on. */
  live = true;
  readonly #slot: Pick<ConnectionSlot<unknown>, "opened" | "failed">;
  readonly #generation: number;

  constructor(slot: Pick<ConnectionSlot<unknown>, "opened" | "failed">, generation: number) {
    this.#slot = slot;
    this.#generation = generation;
  }

  opened(socket: Socket): void {
    if (!this.#end()) closeQuietly(socket);
    else this.#slot.opened(socket, this.#generation);
  }

  failed(error: unknown): void {
    if (this.#end()) this.#slot.failed(this.#generation, error);
  }

  giveUp(): void {
    const connect = this.connect;
    this.#end();
    connect?.cancel();
  }

  /** Ends the attempt; returns whether it was live until now. */
  #end(): boolean {
    const live = this.live;
    this.live = false;
    this.connect = null;
    return live;
  }
}
