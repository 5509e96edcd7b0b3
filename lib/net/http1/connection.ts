/**
 * One connection's cycle (docs/wrk-compat.md#connection-cycle): connect, then (delay) → write the request bytes → parse the responses as
 * reads arrive → record one latency sample per batch → next request. Errors are counters and a reconnect; only
 * a failing request source or response sink (a script error) ends the cycle, rejecting `run()`.
 *
 * Driven by callbacks, as wrk's state machine is, not by an async loop: the socket hands each read to
 * `#onRead`, which sends the next request before it returns. A loop awaiting each read costs a promise and a
 * resumed frame per request, as much as wrk's whole user time per request
 * (docs/benchmarks.md#measurements-behind-the-code).
 */
import { clockMs } from "../clock.ts";
import { errorReason } from "../error_reason.ts";
import { PARSE_ERROR, ResponseParser } from "./response_parser.ts";
import { ConnectionSlot } from "../connection_slot.ts";
import { closeQuietly, type ConnectionCycle, type CycleContext, laterMacrotask } from "../cycle.ts";
import type { Pacer } from "../pacer.ts";
import type { ResponseSink } from "../request_source.ts";
import { type Cancel, READ_FAILED, type Socket } from "../socket.ts";

/**
 * 8 KiB, as wrk: several small responses per read; larger sizes measured no faster and cost memory at
 * -c10000 (wrk reads 8 KiB at a time).
 */
const READ_BUFFER_BYTES = 8 * 1024;

/** One empty array for every connection's `#writing` until its first request (an array costs ~200 bytes). */
const NOTHING_WRITTEN = new Uint8Array(0);

const enum Phase {
  /** No request in flight: connecting, or waiting for a delay or a `-R` slot. */
  Idle,
  Requesting,
}

/** An HTTP/1.1 connection slot that reconnects as needed until the thread stops. */
export class Connection implements ConnectionCycle {
  readonly #context: CycleContext;
  /** Where reads land: the transport's shared buffer, when it has one (`Transport.readBuffer`). */
  readonly #buffer: Uint8Array;
  readonly #parser: ResponseParser;
  readonly #timeoutUs: number;
  /** Connects and reconnects: the lifecycle HTTP/2's cycle shares. */
  readonly #slot: ConnectionSlot<this>;
  #conn: Socket | null = null;
  #phase = Phase.Idle;
  /** `clockMs()` when the current request started. */
  #sinceMs = 0;
  /** With `-R`: the current batch has counted its `timeout` (it stays awaited, and is recorded when answered). */
  #timedOut = false;
  /** With `-R`: the timed-out batch failed again since (`ThreadCounters.errorsAfterTimeout`, once a batch). */
  #failedAfterTimeout = false;
  /**
   * The socket's generation (`ConnectionSlot.drop()` gives the next), so that a late callback of an old socket
   * is recognised.
   */
  #generation = 0;
  /**
   * When the last batch completed (`clockMs()`, before its `response()` calls), while the next request
   * follows at once; -1 after anything that waits (a connect, a delay, a pending write).
   */
  #completedMs = -1;
  #delayTimer: Cancel | null = null;
  #closed = false;

  /** With `-R`: this connection's plan; null for the closed loop. */
  readonly #pacer: Pacer | null;
  /** With `-R` and pipelined batches (and no `-B`): a latency sample per response, as wrk2 records them. */
  readonly #samplePerResponse: boolean;
  /** With `-R`: where the recorded latency of the batch in flight starts (`Pacer.latencyOriginMs`). */
  #plannedMs = 0;

  constructor(context: CycleContext, pacer: Pacer | null = null) {
    this.#context = context;
    this.#pacer = pacer;
    this.#samplePerResponse = context.pacing?.perResponse === true && context.source.pipelineDepth > 1;
    this.#parser = new ResponseParser(context.sink !== null);
    this.#buffer = context.transport.readBuffer?.(READ_BUFFER_BYTES) ?? new Uint8Array(READ_BUFFER_BYTES);
    this.#timeoutUs = context.timeoutMs * 1000;
    this.#slot = new ConnectionSlot(
      context,
      this,
      this.#onConnected,
      pacer === null ? null : (nowMs) => pacer.nextSlotMs(nowMs),
    );
    // Batches of several requests, without -R's plan: waking for each response costs more than it tells.
    if (context.source.pipelineDepth > 1 && pacer === null) context.transport.paceReads?.();
  }

  /** The response parser, for the tests of its fast paths' probes (`wordScannedHeads`, `repeatedHeads`). */
  get parser(): ResponseParser {
    return this.#parser;
  }

  /** Starts the cycle; it runs until `close()`, or until a script hook fails (see `onScriptError`). */
  start(): void {
    this.#slot.connect();
  }

  /**
   * Called by the thread's periodic tick. A connect or request older than the timeout counts as a `connect`
   * or `timeout` error and the socket is replaced, so a hung server shows up in the report (docs/wrk-compat.md#timeouts);
   * with `-R` a request counts its timeout once and stays awaited, as in wrk2, so that its answer is recorded.
   */
  expire(nowMs: number): void {
    if (!this.#slot.connectTimedOut(nowMs)) {
      if (this.#phase === Phase.Idle || nowMs - this.#sinceMs < this.#context.timeoutMs) return;
      if (this.#context.pacing !== null) {
        // -R, as wrk2: the request stays awaited, so that its latency, however late, is in the figures (a
        // response past --timeout is the tail a slow server causes); it counts one timeout.
        if (!this.#timedOut) this.#context.counters.countError("timeout", "no response within --timeout");
        this.#timedOut = true;
        return;
      }
      this.#context.counters.countError("timeout", "no response within --timeout");
    }
    this.#reconnect();
  }

  /** With `-R`, at the stop: the batch in flight, once per sample its answer would have given. */
  forEachUnanswered(visit: (plannedMs: number, sentMs: number) => void): void {
    if (this.#phase !== Phase.Requesting || this.#pending === 0) return;
    const samples = this.#samplePerResponse ? this.#pending : 1;
    for (let i = 0; i < samples; i++) visit(this.#plannedMs, this.#sinceMs);
  }

  /** Closes the socket at the end of the run; the in-flight request is dropped uncounted, as in wrk. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#slot.close();
    // Closed from inside request() (`wrk.thread:stop()`): `#send` still writes what request() returns, as
    // wrk does (its loop stops after the write), and closes the socket then.
    if (this.#inRequestHook) return;
    this.#drop();
  }

  /** True while `nextRequest()` runs (it may call a script's request()). */
  #inRequestHook = false;

  /** A socket of the current generation, still wanted (`ConnectionSlot`): the first request goes out. */
  #onConnected(conn: Socket, generation: number): void {
    this.#conn = conn;
    this.#parser.reset(this.#context.source.headFlags[0] ?? false);
    this.#pending = 0;
    this.#answered = false;
    // One closure per socket: reads of a dropped socket must not reach its successor (`#consume` checks).
    conn.startReading(this.#buffer, (n) => this.#onRead(n, generation));
    // Bytes or a close that came before the request (read at once) may have replaced the socket already.
    if (generation !== this.#generation) return;
    this.#completedMs = -1;
    this.#next();
  }

  /** The next request on this socket: at its slot with `-R`, else after the script's delay() if it has one. */
  #next(): void {
    if (this.#pacer !== null) {
      this.#pace(this.#pacer);
      return;
    }
    const source = this.#context.source;
    if (source.delayMs !== null) {
      this.#completedMs = -1;
      let delayMs: number;
      try {
        delayMs = source.delayMs();
      } catch (error) {
        this.#scriptFailed(error);
        return;
      }
      if (delayMs > 0) {
        const generation = this.#generation;
        const afterDelay = () => {
          this.#delayTimer = null;
          if (generation === this.#generation) this.#send();
        };
        const transport = this.#context.transport;
        this.#delayTimer = transport.delay?.(delayMs, afterDelay) ?? laterMacrotask(delayMs, afterDelay);
        return;
      }
    }
    this.#send();
  }

  /** `-R`: sends now if the batch is due, else at its time (delay() is not called: the plan decides). */
  #pace(pacer: Pacer): void {
    const nowMs = clockMs();
    const dueMs = pacer.dueMs(nowMs);
    if (dueMs <= nowMs) {
      this.#send();
      return;
    }
    this.#completedMs = -1;
    this.#dueGeneration = this.#generation;
    const waitMs = dueMs - nowMs;
    this.#delayTimer = this.#context.transport.delay?.(waitMs, this.#atDue) ??
      laterMacrotask(waitMs, this.#atDue);
  }

  /** The socket a `-R` wait was for: a wait that outlived it sends nothing. */
  #dueGeneration = -1;
  /** One callback for every `-R` wait of this connection, not a closure per request. */
  readonly #atDue = (): void => {
    this.#delayTimer = null;
    if (this.#dueGeneration === this.#generation) this.#send();
  };

  #send(): void {
    const context = this.#context;
    const conn = this.#conn;
    if (conn === null || this.#closed || context.state.stopped) return;
    if (this.#writePending) {
      // The previous request is still being written: a large body, and a server that answered before reading
      // all of it. As wrk, finish that write before starting the next, or the two would interleave on the
      // socket. Waiting counts as requesting, so a server that stops reading shows up as a timeout.
      this.#completedMs = -1;
      this.#phase = Phase.Requesting;
      this.#sinceMs = clockMs();
      this.#sendWhenWritten = true;
      return;
    }
    const source = context.source;
    let request: Uint8Array;
    this.#inRequestHook = true;
    try {
      request = source.nextRequest();
    } catch (error) {
      this.#inRequestHook = false;
      this.#scriptFailed(error);
      return;
    }
    this.#inRequestHook = false;
    if (this.#closed) {
      this.#sendLast(conn, request);
      return;
    }
    // The parser was made ready for this batch before request() said what it is: a request() may change its
    // method from call to call (GET, then HEAD), and the answer to a HEAD has no body. A batch of one request
    // is looked at each time; a pipelined batch keeps the methods its first one counted (`headFlags`).
    if (source.dynamic && source.pipelineDepth === 1) this.#parser.expectHead(isHeadRequest(request));
    this.#phase = Phase.Requesting;
    // Only without hooks in between: request() and response() run before the next write, as in wrk.
    const completedMs = this.#completedMs;
    this.#sinceMs = completedMs >= 0 && !source.dynamic && context.sink === null ? completedMs : clockMs();
    this.#completedMs = -1;
    // Hooks may have held the loop past the thread's end (its timer waits for them): the thread stops here, and
    // the request request() built goes out uncounted, as after a thread:stop() in it (every result is sent).
    if (this.#sinceMs >= context.deadline.atMs && context.deadline.passed()) {
      this.#sendLast(conn, request);
      return;
    }
    const pacer = this.#pacer;
    if (pacer !== null) {
      this.#plannedMs = pacer.latencyOriginMs(this.#sinceMs);
      pacer.sent(source.pipelineDepth);
    }
    this.#timedOut = false;
    this.#failedAfterTimeout = false;
    this.#pending = source.pipelineDepth;
    const generation = this.#generation;
    this.#writing = request;
    this.#writePending = true;
    if (conn.writeNow === undefined) {
      // The generation goes with each write: one that settles after its socket was replaced must not count
      // against the next socket, or end its write.
      conn.write(request).then(
        (written) => this.#onWritten(written, generation),
        (error) => this.#writeFailed(generation, error),
      );
      return;
    }
    let written = -1;
    try {
      written = conn.writeNow(request);
    } catch (error) {
      this.#writeFailed(generation, error);
    }
    if (written >= 0) this.#onWritten(written, generation);
  }

  /** The thread stopped while request() built `request`: write it, uncounted, then close the socket. */
  #sendLast(conn: Socket, request: Uint8Array): void {
    if (conn.writeNow === undefined) {
      conn.write(request).catch(() => {}).finally(() => this.#drop());
      return;
    }
    try {
      conn.writeNow(request);
    } catch { /* the stop is what matters now */ }
    this.#drop();
  }

  /** The request being written; a short write (rare: a full socket buffer) continues from `#onWritten`. */
  #writing: Uint8Array = NOTHING_WRITTEN;
  /** From the start of a request's write until all of it is written, it fails, or the socket is dropped. */
  #writePending = false;
  /** The next request waits for `#writePending` to clear. */
  #sendWhenWritten = false;

  #onWritten(written: number, generation: number): void {
    if (generation !== this.#generation) return;
    if (written < this.#writing.length) this.#writeRest(this.#conn!, written, generation);
    else this.#writeDone();
  }

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
    } catch (error) {
      this.#writeFailed(generation, error);
    }
  }

  #writeDone(): void {
    this.#writePending = false;
    if (!this.#sendWhenWritten) return;
    this.#sendWhenWritten = false;
    this.#send();
  }

  #writeFailed(generation: number, error: unknown): void {
    if (!this.#slot.wants(generation)) return;
    this.#context.counters.countError("write", errorReason(error));
    if (this.#timedOut) this.#failAfterTimeout();
    this.#reconnectAfterError();
  }

  /** Responses still expected for the batch in flight (0 while none is). */
  #pending = 0;

  #onRead(n: number, generation: number): void {
    let outcome: Outcome;
    try {
      outcome = this.#consume(n, generation);
    } catch (error) {
      // Thrown by the response sink: a script error.
      this.#scriptFailed(error);
      return;
    }
    if (outcome === Outcome.ReadMore || outcome === Outcome.Dropped) return;
    if (this.#closed || this.#context.state.stopped) return;
    this.#phase = Phase.Idle;
    if (outcome === Outcome.Failed) {
      // "": an idle connection's close under -R, no error (`#consume`); no request is pending then.
      if (this.#failure !== "") this.#context.counters.countError("read", this.#failure);
      if (this.#timedOut && this.#pending > 0) this.#failAfterTimeout();
      this.#reconnectAfterError();
    } else if (this.#conn === null) {
      // The response ended with the connection (Connection: close, or a body delimited by the close).
      this.#slot.connect();
    } else {
      this.#next();
    }
  }

  /** Handles one read's result (`READ_FAILED`, 0 at EOF): parses, counts, records. */
  #consume(n: number, generation: number): Outcome {
    const context = this.#context;
    const parser = this.#parser;
    const source = context.source;
    if (generation !== this.#generation || this.#closed || context.state.stopped) {
      return Outcome.Dropped;
    }
    // A read that fails, or a close or bytes that nobody asked for (wrk counts those as read errors too).
    if (n === READ_FAILED) return this.#fail(this.#conn?.readFailure ?? "read failed");
    if (this.#pending === 0) {
      // A line break after a response, in a read of its own, is ignored (RFC 9112 §2.2), as within one read.
      if (n > 0 && onlyLineBreaks(this.#buffer, 0, n)) return Outcome.ReadMore;
      // With -R a connection waits for its next slot: a server's keep-alive timeout closing it then (Node's
      // 5 s) lost no request, and it is replaced uncounted, as HTTP/2 replaces an idle one. Without -R only a
      // delay() leaves it idle, and wrk counts that close as a read error.
      if (n === 0 && context.pacing !== null) return this.#fail("");
      return this.#fail(n === 0 ? "closed while idle" : "unsolicited bytes");
    }
    if (n === 0) {
      // EOF: only a close-delimited body may end here; otherwise the response (or its start) was lost.
      if (!parser.finishAtEof()) return this.#fail("closed before the response ended");
      // The clock is read before response() runs, as wrk's: the hook's time is not the server's latency.
      const nowMs = this.#pending === 1 ? clockMs() : 0;
      this.#complete(context.sink);
      // response() may have stopped the thread, which closed this connection.
      if (generation !== this.#generation) return Outcome.Dropped;
      const left = --this.#pending;
      if (left === 0) this.#recordLatency(nowMs);
      // The rest of a pipelined batch is lost with the connection, as in wrk (`response_complete`
      // reconnects without counting an error, and records no latency for the batch).
      this.#drop();
      return Outcome.Completed;
    }
    const buffer = this.#buffer;
    // Bytes count as the parser takes them, up to the response that stops the thread: the replies after it,
    // in this read or later, are not "read" (as their requests are not counted).
    const counters = context.counters;
    let pos = 0;
    while (pos < n) {
      const start = pos;
      pos = parser.execute(buffer, pos, n);
      if (pos === PARSE_ERROR) return this.#fail(parser.limitReached ?? "malformed response");
      counters.bytesRead += pos - start;
      if (!parser.done) break;
      const nowMs = this.#pending === 1 || this.#samplePerResponse ? clockMs() : 0;
      this.#complete(context.sink);
      // response() may have stopped the thread, which closed this connection: nothing more is counted.
      if (generation !== this.#generation) return Outcome.Dropped;
      const keepAlive = parser.keepAlive;
      if (this.#pending > 1 && this.#samplePerResponse) this.#recordSample(nowMs);
      if (--this.#pending === 0) {
        this.#recordLatency(nowMs);
        // Bytes nobody asked for mean the framing is off: the next response would be misread.
        if (pos < n && !onlyLineBreaks(buffer, pos, n)) return this.#fail("unsolicited bytes");
        parser.reset(source.headFlags[0]);
        if (!keepAlive) this.#drop();
        return Outcome.Completed;
      }
      if (!keepAlive) {
        // `Connection: close` before the batch's last response: as above, the rest is lost, no error.
        this.#drop();
        return Outcome.Completed;
      }
      parser.reset(source.headFlags[source.pipelineDepth - this.#pending]);
      // The thread's end passed in response() (`#complete`): the rest of the batch is not counted.
      if (context.state.stopped) return Outcome.Dropped;
    }
    return Outcome.ReadMore;
  }

  /** Why the last read failed, for the read error `#onRead` counts. */
  #failure = "";

  #fail(reason: string): Outcome {
    this.#failure = reason;
    return Outcome.Failed;
  }

  /** Whether this socket completed a response: if it fails, the thread may replace it at once (`ReconnectGate`). */
  #answered = false;

  #complete(sink: ResponseSink | null): void {
    this.#answered = true;
    const counters = this.#context.counters;
    const status = this.#parser.status;
    counters.requests++;
    counters.requestsSinceSample++;
    counters.statusCodes[status]++;
    if (status > 399) {
      counters.errors.status++;
      if (this.#timedOut) this.#failAfterTimeout();
    }
    if (sink === null) return;
    sink.onResponse(this.#parser);
    // response() may have held the loop past the thread's end: nothing after this response is counted. Only
    // between a batch's responses: after its last, the next `#send` reads the clock and checks anyway.
    const deadline = this.#context.deadline;
    if (this.#pending > 1 && clockMs() >= deadline.atMs) deadline.passed();
  }

  /** Records the batch's latency, `nowMs` being when its last response completed. */
  #recordLatency(nowMs: number): void {
    // The next request may start here if it follows at once (see `#completedMs`).
    this.#completedMs = nowMs;
    this.#recordSample(nowMs);
  }

  /**
   * One latency sample ending at `nowMs`: from the write, and with `-R` also from the plan. Past `--timeout`
   * it counts a timeout; wrk then records nothing, wrk2 (`-R`) records it all the same, once counted.
   */
  #recordSample(nowMs: number): void {
    const context = this.#context;
    const latencyUs = (nowMs - this.#sinceMs) * 1000;
    const pacing = context.pacing;
    if (pacing === null) {
      if (latencyUs >= this.#timeoutUs) context.counters.countError("timeout", "response after --timeout");
      else context.recordLatencyUs(latencyUs);
      return;
    }
    if (latencyUs >= this.#timeoutUs && !this.#timedOut) {
      context.counters.countError("timeout", "response after --timeout");
      this.#timedOut = true;
      // Its answer, counted just before, failed too.
      if (this.#parser.status > 399) this.#failAfterTimeout();
    }
    pacing.recordUncorrectedUs(latencyUs);
    context.recordLatencyUs((nowMs - this.#plannedMs) * 1000);
  }

  /** With `-R`: the batch that counted its timeout has now failed too: one attempt, two errors. */
  #failAfterTimeout(): void {
    if (this.#failedAfterTimeout) return;
    this.#failedAfterTimeout = true;
    this.#context.counters.errorsAfterTimeout++;
  }

  /** A script hook failed: this connection stops, and the thread is told (`CycleContext.onScriptError`). */
  #scriptFailed(error: unknown): void {
    this.close();
    this.#context.onScriptError(error);
  }

  /** After a timeout: a new socket, a macrotask later (`ConnectionSlot.connectLater`). */
  #reconnect(): void {
    this.#phase = Phase.Idle;
    this.#drop();
    this.#slot.connectLater();
  }

  /**
   * After a read or write error: a new socket, at once when the thread's `ReconnectGate` allows it for this
   * one, which did or did not answer (`#answered`), else a macrotask later.
   */
  #reconnectAfterError(): void {
    this.#phase = Phase.Idle;
    const answered = this.#answered;
    this.#drop();
    this.#slot.reconnect(answered);
  }

  #drop(): void {
    this.#generation = this.#slot.drop();
    this.#pending = 0;
    this.#delayTimer?.cancel();
    this.#delayTimer = null;
    const conn = this.#conn;
    this.#conn = null;
    if (conn !== null) closeQuietly(conn);
    // Whatever was being written to that socket is over.
    this.#writeDone();
  }
}

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

/** Whether `request` starts with `HEAD ` (its method). */
function isHeadRequest(request: Uint8Array): boolean {
  return request[0] === 0x48 && request[1] === 0x45 && request[2] === 0x41 && request[3] === 0x44 &&
    request[4] === 0x20;
}
