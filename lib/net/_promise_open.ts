/**
 * `Transport.open` for the transports whose connects are promises (Deno's TCP and TLS sockets, node:tls): one
 * adapter, so that the connection cycles speak only `open`'s callbacks, whichever transport they run on.
 *
 * @module
 */
import type { Cancel, ConnectTarget, Socket, Transport } from "./socket.ts";

/**
 * Starts `connect` with a signal of its own and tells `target` how it went, never before this returns (a
 * promise settles in a later microtask). Cancelling aborts the signal: `target` then hears `failed` with the
 * abort's error, or, when the socket opened anyway, `opened` (the caller closes what it no longer wants).
 *
 * @example A refused connect is told to the target
 * ```ts
 * import { openByPromise } from "./_promise_open.ts";
 *
 * const refused = () => Promise.reject(new Error("refused"));
 * openByPromise(refused, { opened() {}, failed: (error) => console.log(String(error)) }); // Error: refused
 * ```
 */
export function openByPromise(
  connect: (signal: AbortSignal) => Promise<Socket>,
  target: ConnectTarget,
): Cancel {
  const abort = new AbortController();
  connect(abort.signal).then((socket) => target.opened(socket), (error) => target.failed(error));
  return { cancel: () => abort.abort() };
}

/** A transport whose connects are promises: its `open` is `openByPromise` over its `connect`. */
export abstract class PromiseTransport implements Transport {
  abstract connect(signal: AbortSignal): Promise<Socket>;

  open(target: ConnectTarget): Cancel {
    return openByPromise((signal) => this.connect(signal), target);
  }
}
