/**
 * What a thread's connections share, whatever protocol they speak: the thread's counters, the context every
 * connection cycle is given, and the cycle's contract with the thread loop. HTTP/1.1's cycle is
 * `http1/connection.ts`; another protocol (HTTP/2) is another implementation of {@linkcode ConnectionCycle}
 * over the same transports, request source and response sink.
 *
 * @module
 */
import { type ErrorCounts, noErrors } from "../stats/error_counts.ts";
import type { ReconnectGate } from "./reconnect_gate.ts";
import type { RequestSource, ResponseSink } from "./request_source.ts";
import type { Cancel, Socket, Transport } from "./socket.ts";

/** Per-thread counters, mutated in place by every connection of the thread. */
export class ThreadCounters {
  /** Completed responses. */
  requests = 0;
  /** Completed responses since the last rate sample. */
  requestsSinceSample = 0;
  bytesRead = 0;
  readonly errors: ErrorCounts = noErrors();
  /** Responses by status code (index = code; codes are three digits). */
  readonly statusCodes = new Float64Array(1000);
  /** Socket errors by `category\treason`. */
  readonly errorReasons = new Map<string, number>();
  /**
   * HTTP/2: the lowest MAX_CONCURRENT_STREAMS a server set below `--streams` on this thread's connections, or
   * null (the Rate line then says more `--streams` cannot help).
   */
  streamLimit: number | null = null;
  /**
   * With `-R`: requests that failed again after their timeout was counted (a late non-2xx answer, a read or
   * write error while still awaited), once each: one attempt with two errors, which a share of the requests
   * that failed must count once (`RateOutcome.errorsAfterTimeout`).
   */
  errorsAfterTimeout = 0;

  /** Counts `count` (one by default) socket errors of `category`, for `reason` (an errno name, or a few words). */
  countError(category: Exclude<keyof ErrorCounts, "status">, reason: string, count = 1): void {
    this.errors[category] += count;
    const key = `${category}\t${reason}`;
    this.errorReasons.set(key, (this.errorReasons.get(key) ?? 0) + count);
  }
}

/** What every connection of a thread shares. */
export interface CycleContext {
  readonly transport: Transport;
  readonly source: RequestSource;
  readonly sink: ResponseSink | null;
  readonly timeoutMs: number;
  readonly counters: ThreadCounters;
  /**
   * Receives one latency sample (µs) per completed batch; with `-R`, measured from the batch's planned send
   * time (and per response unless `-B`).
   */
  readonly recordLatencyUs: (latencyUs: number) => void;
  /** With `-R`: where the latency from the actual write goes, and whether each pipelined response counts. */
  readonly pacing: {
    readonly recordUncorrectedUs: (latencyUs: number) => void;
    readonly perResponse: boolean;
  } | null;
  /** Shared run state: `stopped` is set when the thread stops; connections then leave uncounted. */
  readonly state: { stopped: boolean };
  /** Whether a connection that failed is replaced at once or a macrotask later (one gate per thread). */
  readonly reconnects: ReconnectGate;
  /** The thread's end: a connection checks it after a script's hooks ran (see {@linkcode Deadline}). */
  readonly deadline: Deadline;
  /**
   * Told at once when a script hook fails in this cycle: the thread stops the other connections before they
   * count more or run more hooks. The failing connection has stopped already.
   */
  readonly onScriptError: (error: unknown) => void;
}

/**
 * The thread's end, on the cycle's clock (Infinity until the thread knows it). Its timer cannot fire while a
 * round of busy script hooks runs (a `request()` of 5 ms for each of 40 connections whose `-R` slots are due
 * holds the loop 200 ms), so a connection that read the clock after a hook and finds it at or past `atMs`
 * calls `passed()`: true when that stopped the thread (it then sends nothing more).
 */
export interface Deadline {
  readonly atMs: number;
  passed(): boolean;
}

/** No deadline (a cycle driven by a test): `passed()` is never called. */
export const NO_DEADLINE: Deadline = { atMs: Infinity, passed: () => false };

/** One connection slot as the thread loop drives it: started once, ticked, closed at the end. */
export interface ConnectionCycle {
  /** Starts the cycle; it runs until `close()`, or until a script hook fails (see `onScriptError`). */
  start(): void;
  /**
   * Called by the thread's periodic tick: a connect or request older than its limit counts as an error and the
   * socket is replaced (with `-R` a late request counts once and stays awaited: docs/wrk-compat.md#timeouts).
   */
  expire(nowMs: number): void;
  /** Closes the socket at the end of the run; the in-flight request is dropped uncounted, as in wrk. */
  close(): void;
  /**
   * With `-R`, at the stop, before `close()`: each request taken from the plan and still unanswered, as
   * `visit(plannedMs, sentMs)` (where its recorded and its uncorrected latency count from; `sentMs` NaN for one
   * not yet written), once for each latency sample its answer would have given (`CycleContext.pacing`).
   */
  forEachUnanswered?(visit: (plannedMs: number, sentMs: number) => void): void;
}

/**
 * `setTimeout` as a {@linkcode Cancel}: for transports without timers of their own, and where a macrotask is
 * the point (a reconnect after a refused connect must not starve the timers that stop the run).
 *
 * @example
 * ```ts
 * import { laterMacrotask } from "./cycle.ts";
 *
 * const timer = laterMacrotask(1000, () => console.log("never"));
 * timer.cancel();
 * ```
 */
export function laterMacrotask(delayMs: number, callback: () => void): Cancel {
  const timer = setTimeout(callback, delayMs);
  return { cancel: () => clearTimeout(timer) };
}

/** Closes `conn`, ignoring that it may be closed already. */
export function closeQuietly(conn: Pick<Socket, "close">): void {
  try {
    conn.close();
  } catch { /* already closed */ }
}
