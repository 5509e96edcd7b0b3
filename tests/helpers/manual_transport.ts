/**
 * Transports and sockets under a test's hand, for the pieces that connect (`ConnectionSlot`): each connect
 * settles when the test says, through `Transport.open`'s callbacks directly (as the epoll loop's) or through a
 * promise and signal behind `openByPromise` (as Deno's sockets), so that the orderings a real network produces
 * only now and then are checked every time.
 */
import { openByPromise } from "../../lib/net/_promise_open.ts";
import type { ConnectTarget, Socket, Transport } from "../../lib/net/socket.ts";

/** A transport whose connects go through `open`, settling when the test says; `cancelled` counts those given up. */
export function manualTransport(): {
  transport: Transport;
  targets: ConnectTarget[];
  readonly cancelled: number;
} {
  const targets: ConnectTarget[] = [];
  let cancelled = 0;
  const transport: Transport = {
    connect: () => Promise.reject(new Error("only open() here")),
    open(target) {
      targets.push(target);
      return { cancel: () => cancelled++ };
    },
  };
  return {
    transport,
    targets,
    get cancelled() {
      return cancelled;
    },
  };
}

/** A connect through a promise: it settles when the test says, or is rejected by its abort. */
export interface PendingConnect {
  readonly signal: AbortSignal;
  resolve(socket: Socket): void;
  reject(error: unknown): void;
}

/**
 * A transport whose `open` is `openByPromise` over promises the test settles, which their signal's abort
 * rejects (as Deno's sockets).
 */
export function promiseTransport(): { transport: Transport; connects: PendingConnect[] } {
  const connects: PendingConnect[] = [];
  const connect = (signal: AbortSignal) => {
    const { promise, resolve, reject } = Promise.withResolvers<Socket>();
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    connects.push({ signal, resolve, reject });
    return promise;
  };
  const transport: Transport = { connect, open: (target) => openByPromise(connect, target) };
  return { transport, connects };
}

/** A socket that only counts its closes. */
export function fakeSocket(): Socket & { closed: number } {
  return {
    closed: 0,
    startReading() {},
    write: () => Promise.resolve(0),
    close() {
      this.closed++;
    },
  };
}
