/**
 * One connection's cycle (spec §4): connect, then loop (delay) → write the request bytes → read and parse the
 * responses → record one latency sample per batch → next request. Errors are counters and a reconnect; only a
 * failing request source or response sink (a script error) ends the cycle with an exception.
 */
import { PARSE_ERROR, ResponseParser } from "./response_parser.ts";
import type { RequestSource, ResponseSink } from "./request_source.ts";
import type { Socket, Transport } from "./transport.ts";

/**
 * 8 KiB, as wrk: several small responses per read; larger sizes measured no faster (runtime-notes) and cost memory at
 * -c10000 (wrk reads 8 KiB at a time).
 */
const READ_BUFFER_BYTES = 8 * 1024;

/** See `Connection.#connectTimeoutMs`. */
const MIN_CONNECT_TIMEOUT_MS = 10_000;

/** Per-thread counters, mutated in place by every connection of the thread. */
export class ThreadCounters {
  /** Completed responses. */
  requests = 0;
  /** Completed responses since the last rate sample. */
  requestsSinceSample = 0;
  bytesRead = 0;
  connect = 0;
  read = 0;
  write = 0;
  status = 0;
  timeout = 0;
}

/** What every connection of a thread shares. */
export interface CycleContext {
  readonly transport: Transport;
  readonly source: RequestSource;
  readonly sink: ResponseSink | null;
  readonly timeoutMs: number;
  readonly counters: ThreadCounters;
  /** Receives one latency sample (µs) per completed batch. */
  readonly recordLatencyUs: (latencyUs: number) => void;
  /** Shared run state: `stopped` is set when the thread stops; connections then leave uncounted. */
  readonly state: { stopped: boolean };
}

const enum Phase {
  Idle,
  Connecting,
  Requesting,
}

/** A connection slot that reconnects as needed until the thread stops. */
export class Connection {
  readonly #context: CycleContext;
  readonly #buffer = new Uint8Array(READ_BUFFER_BYTES);
  readonly #parser: ResponseParser;
  readonly #timeoutUs: number;
  /**
   * Connects get at least 10 s: with thousands of connections opening at once the kernel's accept queue
   * overflows and SYNs are retransmitted after 1 s and 3 s (wrk never gives up on a connect); aborting them at a
   * 2 s --timeout would only start a reconnect storm. A black-holed server still shows up as connect errors.
   */
  readonly #connectTimeoutMs: number;
  #conn: Socket | null = null;
  #connectAbort: AbortController | null = null;
  #phase = Phase.Idle;
  /** `performance.now()` when the current connect or request started. */
  #sinceMs = 0;
  /** Bumped whenever the socket is dropped from outside the cycle, so a stale await is recognised. */
  #generation = 0;

  constructor(context: CycleContext) {
    this.#context = context;
    this.#parser = new ResponseParser(context.sink !== null);
    this.#timeoutUs = context.timeoutMs * 1000;
    this.#connectTimeoutMs = Math.max(context.timeoutMs, MIN_CONNECT_TIMEOUT_MS);
  }

  /** Runs the cycle until the thread stops. Rejects only when the script's hooks fail. */
  async run(): Promise<void> {
    const context = this.#context;
    const source = context.source;
    const state = context.state;
    const buffer = this.#buffer;
    // The previous response's completion time, while nothing has waited since: a static request with no
    // response() starts then, which spares a clock read per request (runtime-notes: ~0.1 µs each).
    let completedMs = -1;
    while (!state.stopped) {
      if (this.#conn === null) {
        completedMs = -1;
        if (!(await this.#connect())) continue;
      }
      const generation = this.#generation;
      if (source.delayMs !== null) {
        completedMs = -1;
        const delayMs = source.delayMs();
        if (delayMs > 0) await sleep(delayMs);
        if (generation !== this.#generation || state.stopped) continue;
      }
      if (this.#writePending) {
        // The previous request is still being written: a large body, and a server that answered before reading
        // all of it. As wrk, finish that write before starting the next, or the two would interleave on the
        // socket. Waiting counts as requesting, so a server that stops reading shows up as a timeout.
        completedMs = -1;
        this.#phase = Phase.Requesting;
        this.#sinceMs = performance.now();
        await new Promise<void>((resolve) => (this.#writeWaiter = resolve));
        if (generation !== this.#generation || state.stopped) continue;
      }
      const conn = this.#conn!;
      const request = source.nextRequest();
      this.#phase = Phase.Requesting;
      // Only without hooks in between: request() and response() run before the next write, as in wrk.
      this.#sinceMs = completedMs >= 0 && !source.dynamic && context.sink === null
        ? completedMs
        : performance.now();
      // The read below overlaps the write instead of waiting for it: one turn of the event loop less per
      // request. A failed write drops the socket, which ends that read uncounted.
      this.#writing = request;
      this.#writingGeneration = generation;
      this.#writePending = true;
      conn.write(request).then(this.#onWritten, this.#onWriteFailed);
      // Reading stays in this one long-lived frame: an async call per request would leave a frame per request
      // for the garbage collector to promote, and the heap (RSS) to grow with the request rate.
      this.#pending = source.pipelineDepth;
      let outcome: Outcome;
      do {
        let n: number;
        try {
          n = await conn.read(buffer);
        } catch {
          n = READ_FAILED;
        }
        outcome = this.#consume(n, generation);
      } while (outcome === Outcome.ReadMore);
      this.#phase = Phase.Idle;
      completedMs = outcome === Outcome.Completed ? this.#completedMs : -1;
      if (outcome === Outcome.Failed) {
        context.counters.read++;
        this.#drop();
      }
    }
  }

  /**
   * Called by the thread's periodic tick. A connect or request older than the timeout counts as a `connect`
   * or `timeout` error and the socket is replaced, so a hung server shows up in the report (spec §4, Ours).
   */
  expire(nowMs: number): void {
    if (this.#phase === Phase.Idle) return;
    const limitMs = this.#phase === Phase.Connecting ? this.#connectTimeoutMs : this.#context.timeoutMs;
    if (nowMs - this.#sinceMs < limitMs) return;
    if (this.#phase === Phase.Connecting) {
      this.#context.counters.connect++;
      this.#connectAbort?.abort();
    } else {
      this.#context.counters.timeout++;
    }
    this.#phase = Phase.Idle;
    this.#drop();
  }

  /** Closes the socket at the end of the run; the in-flight request is dropped uncounted, as in wrk. */
  close(): void {
    this.#connectAbort?.abort();
    this.#drop();
  }

  async #connect(): Promise<boolean> {
    const context = this.#context;
    const abort = new AbortController();
    this.#connectAbort = abort;
    this.#phase = Phase.Connecting;
    this.#sinceMs = performance.now();
    const generation = this.#generation;
    try {
      const conn = await context.transport.connect(abort.signal);
      if (generation !== this.#generation || context.state.stopped) {
        closeQuietly(conn);
        return false;
      }
      this.#conn = conn;
      this.#parser.reset(context.source.headFlags[0] ?? false);
      return true;
    } catch {
      // A connect that expire() already counted (or the stop aborted) is not counted twice.
      if (generation === this.#generation && !context.state.stopped) {
        context.counters.connect++;
        // Yield a macrotask so a refusing server cannot starve the timers that stop the run.
        await sleep(0);
      }
      return false;
    } finally {
      this.#phase = Phase.Idle;
      this.#connectAbort = null;
    }
  }

  /** The request being written; a short write (rare: a full socket buffer) continues from `#onWritten`. */
  #writing: Uint8Array = new Uint8Array(0);
  /** The generation of the socket `#writing` goes to: a write that ends after a drop is ignored. */
  #writingGeneration = 0;
  /** From the start of a request's write until all of it is written, it fails, or the socket is dropped. */
  #writePending = false;
  /** The cycle, waiting for `#writePending` to clear before the next request. */
  #writeWaiter: (() => void) | null = null;

  // Bound once per connection so that the per-request write allocates no closures.
  readonly #onWritten = (written: number): void => {
    if (this.#writingGeneration !== this.#generation) return;
    if (written < this.#writing.length) this.#writeRest(this.#conn!, written, this.#writingGeneration);
    else this.#writeDone();
  };

  readonly #onWriteFailed = (): void => this.#writeFailed(this.#writingGeneration);

  async #writeRest(
    conn: Socket,
    written: number,
    generation: number,
  ): Promise<void> {
    const bytes = this.#writing;
    try {
      while (written < bytes.length) {
        written += await conn.write(bytes.subarray(written));
        if (generation !== this.#generation) return;
      }
      this.#writeDone();
    } catch {
      this.#writeFailed(generation);
    }
  }

  #writeDone(): void {
    this.#writePending = false;
    const waiter = this.#writeWaiter;
    this.#writeWaiter = null;
    waiter?.();
  }

  #writeFailed(generation: number): void {
    if (generation !== this.#generation || this.#context.state.stopped) return;
    this.#context.counters.write++;
    this.#drop();
  }

  /** Responses still expected for the batch in flight. */
  #pending = 0;

  /** Handles one read's result (`READ_FAILED` when it threw, 0 at EOF): parses, counts, records. */
  #consume(n: number, generation: number): Outcome {
    const context = this.#context;
    const parser = this.#parser;
    const source = context.source;
    if (n === READ_FAILED) {
      return generation === this.#generation && !context.state.stopped ? Outcome.Failed : Outcome.Dropped;
    }
    if (generation !== this.#generation || context.state.stopped) {
      return Outcome.Dropped;
    }
    if (n === 0) {
      // EOF: only a close-delimited body may end here; otherwise the response (or its start) was lost.
      if (!parser.finishAtEof()) return Outcome.Failed;
      // The clock is read before response() runs, as wrk's: the hook's time is not the server's latency.
      const nowMs = this.#pending === 1 ? performance.now() : 0;
      this.#complete(context.sink);
      if (--this.#pending === 0) this.#recordLatency(nowMs);
      this.#drop();
      return this.#pending === 0 ? Outcome.Completed : Outcome.Failed;
    }
    const buffer = this.#buffer;
    context.counters.bytesRead += n;
    let pos = 0;
    while (pos < n) {
      pos = parser.execute(buffer, pos, n);
      if (pos === PARSE_ERROR) return Outcome.Failed;
      if (!parser.done) break;
      const nowMs = this.#pending === 1 ? performance.now() : 0;
      this.#complete(context.sink);
      const keepAlive = parser.keepAlive;
      if (--this.#pending === 0) {
        this.#recordLatency(nowMs);
        // Bytes nobody asked for mean the framing is off: the next response would be misread.
        if (pos < n && !onlyLineBreaks(buffer, pos, n)) return Outcome.Failed;
        parser.reset(source.headFlags[0]);
        if (!keepAlive) this.#drop();
        return Outcome.Completed;
      }
      if (!keepAlive) return Outcome.Failed;
      parser.reset(source.headFlags[source.pipelineDepth - this.#pending]);
    }
    return Outcome.ReadMore;
  }

  #complete(sink: ResponseSink | null): void {
    const counters = this.#context.counters;
    counters.requests++;
    counters.requestsSinceSample++;
    if (this.#parser.status > 399) counters.status++;
    if (sink !== null) sink.onResponse(this.#parser);
  }

  /** When the last batch completed (`performance.now()`, before its `response()` calls). */
  #completedMs = 0;

  /** Records the batch's latency, `nowMs` being when its last response completed. */
  #recordLatency(nowMs: number): void {
    this.#completedMs = nowMs;
    const latencyUs = (nowMs - this.#sinceMs) * 1000;
    // wrk does not record a sample at or past the timeout; it counts a timeout instead.
    if (latencyUs >= this.#timeoutUs) this.#context.counters.timeout++;
    else this.#context.recordLatencyUs(latencyUs);
  }

  #drop(): void {
    this.#generation++;
    const conn = this.#conn;
    this.#conn = null;
    if (conn !== null) closeQuietly(conn);
    // Whatever was being written to that socket is over.
    this.#writeDone();
  }
}

/** `#consume`'s input for a read that threw. */
const READ_FAILED = -1;

const enum Outcome {
  /** The batch is incomplete: read again. */
  ReadMore,
  Completed,
  /** Counted as a read error by the caller. */
  Failed,
  /** Dropped from outside (timeout, stop): already counted or not to be counted. */
  Dropped,
}

function onlyLineBreaks(
  bytes: Uint8Array,
  start: number,
  end: number,
): boolean {
  for (let i = start; i < end; i++) {
    if (bytes[i] !== 10 && bytes[i] !== 13) return false;
  }
  return true;
}

function closeQuietly(conn: Socket): void {
  try {
    conn.close();
  } catch { /* already closed */ }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
