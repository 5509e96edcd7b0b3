/**
 * Transports and sockets under a test's hand, for the pieces that connect (`Connector`, `ConnectionSlot`): each
 * connect settles when the test says, through `Transport.open` (the epoll loop's callbacks) or `connect`'s
 * promise and signal (Deno's sockets), so that the orderings a real network produces only now and then are
 * checked every time.
 */
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

/** A connect through `Transport.connect`: its promise settles when the test says, or is rejected by its abort. */
export interface PendingConnect {
  readonly signal: AbortSignal;
  resolve(socket: Socket): void;
  reject(error: unknown): void;
}

/** A transport without `open`: each connect is a promise the test settles, which its signal's abort rejects. */
export function promiseTransport(): { transport: Transport; connects: PendingConnect[] } {
  const connects: PendingConnect[] = [];
  const transport: Transport = {
    connect(signal) {
      const { promise, resolve, reject } = Promise.withResolvers<Socket>();
      signal.addEventListener("abort", () => reject(signal.reason), { once: true });
      connects.push({ signal, resolve, reject });
      return promise;
    },
  };
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
