/**
 * What the main state's `setup(thread)` talks to: the orchestrator implements a {@linkcode ThreadHandle} over
 * worker messages for each thread (docs/wrk-compat.md#setup-and-the-thread-object).
 *
 * @module
 */

import type { SocketAddress } from "../net/socket.ts";
import type { TransferValue } from "./transfer.ts";

/** A socket address, as `wrk.lookup` returns it and `thread.addr` holds it: the one the threads connect to. */
export type Addr = SocketAddress;

/** Takes the next message off `port` at once, or undefined when none is there (`receiveMessageOnPort`). */
export type ReceiveNow = (port: MessagePort) => { message: unknown } | undefined;

/**
 * How long `ThreadHandle.getNow` waits for the thread's answer, in ms: a stopped thread answers in
 * milliseconds, even for a large table; past this the thread is taken as stuck.
 */
export const GET_NOW_BOUND_MS = 30_000;

/** One thread as the main state sees it. */
export interface ThreadHandle {
  /** 0-based thread index. */
  readonly index: number;
  /** Where the thread connects (`thread.addr`); the script may replace it during `setup`. */
  addr: Addr;
  /** Copies global `name` out of the thread's state (`thread:get`); also after the thread finished. */
  get(name: string): Promise<TransferValue>;
  /**
   * `get` without waiting for this thread's event loop, for Lua that cannot wait (a `table.sort` comparator, a
   * `gsub` callback, a coroutine of the script's own, a metamethod): blocks until the thread answers.
   * `receive` takes a message off a port at once (node:worker_threads' `receiveMessageOnPort`, which only the
   * main state's module loads).
   *
   * @throws {Error} when the thread does not answer within `GET_NOW_BOUND_MS`, and at once for a thread that
   * once did not (it is stuck: a comparator would wait the bound at every call).
   */
  getNow(name: string, receive: ReceiveNow): TransferValue;
  /** Copies a value into the thread's global `name` (`thread:set`); ordered, fire-and-forget. */
  set(name: string, value: TransferValue): void;
  /** Stops the thread's loop (`thread:stop()`). */
  stop(): void;
}

/**
 * `tostring(addr)` in wrk: `ip:port`, IPv6 as `[ip]:port`.
 *
 * @example Formatting addresses
 * ```ts
 * import { addrText } from "./thread_handle.ts";
 * import { assertEquals } from "@std/assert";
 * assertEquals(addrText({ address: "::1", port: 80, family: 6 }), "[::1]:80");
 * ```
 */
export function addrText(addr: Addr): string {
  return addr.family === 6 || addr.address.includes(":")
    ? `[${addr.address}]:${addr.port}`
    : `${addr.address}:${addr.port}`;
}
