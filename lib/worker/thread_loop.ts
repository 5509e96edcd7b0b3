/**
 * One thread's run: its connections, its counters and histograms, and the 100 ms tick that samples the request
 * rate and expires overdue requests (wrk's RECORD_INTERVAL_MS, docs/wrk-compat.md#request-rate-samples).
 */
import { clockMs, epochNowMs, threadCoreWaitMs, threadCpuMs, TIMER_SLACK_MS } from "../net/clock.ts";
import { type ConnectionCycle, type CycleContext, laterMacrotask, ThreadCounters } from "../net/cycle.ts";
import { Connection } from "../net/http1/connection.ts";
import { connectionPacers, type Pacer, type RatePlan } from "../net/pacer.ts";
import { type ConnectionLayout, connectionPlace } from "../net/connection_place.ts";
import { ReconnectGate } from "../net/reconnect_gate.ts";
import type { RequestSource, ResponseSink } from "../net/request_source.ts";
import type { Cancel, Transport } from "../net/socket.ts";
import { type ErrorCounts, socketErrors } from "../stats/error_counts.ts";
import { Recorder } from "../stats/recorder.ts";
import type { LatencySnapshot, ThreadReport } from "./protocol.ts";

/** wrk's `RECORD_INTERVAL_MS`: each thread samples its request rate this often. */
const RECORD_INTERVAL_MS = 100;
/**
 * The stop records the interval since the last tick when it is at least this long: a stop that comes right
 * after a tick (a 1 s run stops at its tenth) would otherwise add a sample of a millisecond or two, whose
 * rounding to whole milliseconds makes it noise.
 */
const LAST_SAMPLE_MIN_MS = RECORD_INTERVAL_MS / 4;

/** What a thread loop needs; the request source and sink come from the script layer or the default request. */
export interface ThreadLoopOptions {
  threadIndex: number;
  /** This thread's share of the run's connections. */
  threadConnections: number;
  timeoutMs: number;
  transport: Transport;
  source: RequestSource;
  sink: ResponseSink | null;
  /**
   * `-R`: the run's rate plan (its lanes: one per connection over HTTP/1.1, `--streams` per connection over
   * HTTP/2), where this thread's connections sit in the test (their places in the plan: lib/net/connection_place.ts),
   * and `-B`; null for the closed loop.
   */
  rate: { plan: RatePlan; layout: ConnectionLayout; batchLatency: boolean } | null;
  /** Told the thread's totals every `PROGRESS_EVERY_TICKS` ticks, for the live progress line; null: never. */
  onProgress?: ((requests: number, errors: number) => void) | null;
  /**
   * Makes each connection's cycle: HTTP/1.1's `Connection` when absent; `--http2` gives the HTTP/2 cycle
   * (lib/net/http2/connection.ts), loaded only then. With `-R`, `pacers` holds the plans of the connection's
   * lanes (`rate.plan.lanesPerConnection` of them: one over HTTP/1.1); null for the closed loop.
   */
  createConnection?: (context: CycleContext, pacers: readonly Pacer[] | null) => ConnectionCycle;
}

/** Progress goes out every second tick: five times a second, from a timer that runs anyway. */
const PROGRESS_EVERY_TICKS = 2;

/**
 * Connections opened in one go at the start; the next ones a timer turn later. A connect costs a few system
 * calls (socket, options, connect, epoll registration): thousands of them in one go held the thread, and so
 * its timers and messages, for seconds, and a short run stopped seconds late
 * (docs/benchmarks.md#sockets-and-the-epoll-loop). In slices, the deadline and the main thread's messages come
 * between them.
 */
const OPEN_SLICE = 128;

/** Drives a thread's connections from `start()` until `stop()`. */
export class ThreadLoop {
  readonly #options: ThreadLoopOptions;
  readonly #counters = new ThreadCounters();
  readonly #latency = new Recorder();
  /** With `-R`: latency from each actual write. */
  readonly #uncorrectedLatency: Recorder | null;
  readonly #requestRate = new Recorder();
  readonly #connections: ConnectionCycle[] = [];
  /** With `-R`: every lane of every connection (one per connection over HTTP/1.1, `--streams` over HTTP/2). */
  readonly #pacers: Pacer[] = [];
  readonly #state = { stopped: false };
  /** The next tick's timer; null before `start()` and once stopped. */
  #tick: Cancel | null = null;
  /** When the next tick is due, on the cycle's clock: the ticks keep to a 100 ms grid from the thread's start. */
  #nextTickMs = 0;
  /** `#onTick`, made once: a tick schedules the next one. */
  readonly #onTickCallback = (): void => this.#onTick();
  /** Request-rate samples recorded so far. */
  #samples = 0;
  /** When the thread stopped counting (ms since the Unix epoch); 0 while it counts. */
  #stoppedAtEpochMs = 0;
  /** The timers of `stopAt()`. */
  readonly #deadlines: Cancel[] = [];
  /** The timer that opens the next slice of connections (`OPEN_SLICE`); null once all are open, or stopped. */
  #opening: Cancel | null = null;
  #lastSampleMs = 0;
  #ticks = 0;
  /** With `-R`: the requests the plan had due before the thread stopped; set by the stop. */
  #requestsDue = 0;
  /**
   * The run's end given to `stopAt()` (the earlier, when told twice), on the cycle's clock and the epoch's;
   * Infinity until then. The connections check it after a script's hooks ran (`Deadline`).
   */
  readonly #deadline = {
    atMs: Infinity,
    atEpochMs: Infinity,
    passed: (): boolean => {
      // On the epoch's clock, as the timers: not a fraction of a millisecond before the run's end.
      if (epochNowMs() >= this.#deadline.atEpochMs) this.#halt();
      return this.#state.stopped;
    },
  };
  readonly #failed: (error: unknown) => void;

  /** Rejects when a connection's hooks fail (a script error); never resolves. */
  readonly failure: Promise<never>;

  constructor(options: ThreadLoopOptions) {
    this.#options = options;
    this.#uncorrectedLatency = options.rate === null ? null : new Recorder();
    const { promise, reject } = Promise.withResolvers<never>();
    this.failure = promise;
    this.#failed = reject;
    // The caller may never await failure (no script, nothing can fail): keep that from being "unhandled".
    this.failure.catch(() => {});
  }

  /**
   * With `-R`: this OS thread's CPU time, its wait for a core, and the clock when the loop started
   * (`#sentOnPlan`'s shares).
   */
  #cpuAtStartMs: number | null = null;
  #coreWaitAtStartMs: number | null = null;
  #startedMs = 0;

  /**
   * Opens the connections (`OPEN_SLICE` at a time) and starts the tick. Returns the moment its plans and
   * samples count from, in ms since the Unix epoch: the thread's start, which its run's `-d` counts from too.
   */
  start(): number {
    if (this.#options.rate !== null) {
      this.#cpuAtStartMs = threadCpuMs();
      this.#coreWaitAtStartMs = threadCoreWaitMs();
      this.#startedMs = performance.now();
    }
    const latency = this.#latency;
    const uncorrected = this.#uncorrectedLatency;
    const rate = this.#options.rate;
    const context: CycleContext = {
      transport: this.#options.transport,
      source: this.#options.source,
      sink: this.#options.sink,
      timeoutMs: this.#options.timeoutMs,
      counters: this.#counters,
      recordLatencyUs: (latencyUs) => latency.record(latencyUs),
      pacing: rate === null || uncorrected === null ? null : {
        recordUncorrectedUs: (latencyUs) => uncorrected.record(latencyUs),
        perResponse: !rate.batchLatency,
      },
      state: this.#state,
      reconnects: new ReconnectGate(),
      deadline: this.#deadline,
      onScriptError: (error) => {
        this.halt();
        this.#failed(error);
      },
    };
    const startMs = clockMs();
    const startedAtEpochMs = epochNowMs();
    this.#lastSampleMs = startMs;
    const count = this.#options.threadConnections;
    // Every lane's plan from the start, before any slice opens: a connection opened late is behind its plan (and
    // catches up), and a thread stopped before its last slice still counts those lanes' slots as due.
    const plans = rate === null
      ? null
      : Array.from({ length: count }, (_, i) =>
        connectionPacers(rate.plan, connectionPlace(rate.layout, i), startMs));
    for (const pacers of plans ?? []) this.#pacers.push(...pacers);
    const openFrom = (first: number): void => {
      this.#opening = null;
      const end = Math.min(count, first + OPEN_SLICE);
      for (let i = first; i < end && !this.#state.stopped; i++) {
        // The lanes' plans belong to the connection slot, not to a socket: they carry on over reconnects.
        const pacers = plans === null ? null : plans[i];
        const connection = this.#options.createConnection?.(context, pacers) ??
          new Connection(context, pacers === null ? null : pacers[0]);
        this.#connections.push(connection);
        connection.start();
      }
      if (end < count && !this.#state.stopped) this.#opening = this.#later(0, () => openFrom(end));
    };
    openFrom(0);
    this.#nextTickMs = startMs + RECORD_INTERVAL_MS;
    this.#tick = this.#later(RECORD_INTERVAL_MS, this.#onTickCallback);
    return startedAtEpochMs;
  }

  /**
   * Stops counting at `atEpochMs` (ms since the Unix epoch: the run's end), on this thread's own timers, as
   * wrk's threads stop at `stop_at`: the run's time then ends there, not when the main thread's `stop` arrives,
   * which can be a few milliseconds later for each thread of a busy worker. On the transport's timers when it
   * has them (the epoll loop's: a millisecond at most late, and on time even while no socket is open), else on
   * Deno's.
   */
  stopAt(atEpochMs: number): void {
    if (this.#state.stopped) return;
    if (atEpochMs < this.#deadline.atEpochMs) {
      this.#deadline.atEpochMs = atEpochMs;
      this.#deadline.atMs = clockMs() + (atEpochMs - epochNowMs());
    }
    const halt = () => {
      // A timer may fire a fraction of a millisecond early (Deno's round a delay to whole milliseconds, and the
      // loop's count on another clock than the epoch's): not before, and then for the rest.
      if (!this.#deadline.passed()) {
        this.#deadlines.push(this.#later(this.#deadline.atEpochMs - epochNowMs(), halt));
      }
    };
    this.#deadlines.push(this.#later(Math.max(0, atEpochMs - epochNowMs()), halt));
  }

  /** Calls `callback` after `delayMs`, on the transport's timers when it has them. */
  #later(delayMs: number, callback: () => void): Cancel {
    return this.#options.transport.delay?.(delayMs, callback) ?? laterMacrotask(Math.ceil(delayMs), callback);
  }

  /** Stops sending (script's `thread:stop()`, a failure); in-flight requests are dropped, sockets closed. */
  halt(): void {
    this.#halt();
    for (const connection of this.#connections) connection.close();
  }

  /**
   * Stops, then returns the thread's figures. The sockets stay open until `close()`: closing thousands of TCP
   * sockets takes the kernel a few hundred ms (-c10000), which would delay the report past the requested
   * duration (wrk reports first, too). Nothing is counted after this (the connections check `stopped`).
   */
  stop(): ThreadReport {
    this.#halt();
    // Here, not in #halt: a halt from inside a response's hook (the deadline passed there) comes before that
    // response is done, and it would count as unanswered too.
    if (this.#unansweredEndMs !== null) {
      this.#recordUnanswered(this.#unansweredEndMs);
      this.#unansweredEndMs = null;
    }
    const counters = this.#counters;
    return {
      threadIndex: this.#options.threadIndex,
      stoppedAtEpochMs: this.#stoppedAtEpochMs,
      requests: counters.requests,
      bytesRead: counters.bytesRead,
      errors: { ...counters.errors },
      errorReasons: [...counters.errorReasons].map(([key, count]) => {
        const [category, reason] = key.split("\t");
        return { category: category as keyof ErrorCounts, reason, count };
      }),
      statusCodes: Object.fromEntries(
        [...counters.statusCodes.entries()].filter(([, count]) => count > 0).map((
          [code, count],
        ) => [code, count]),
      ),
      latency: this.#latency.counts(),
      requestRate: this.#requestRate.counts(),
      streamLimit: counters.streamLimit,
      rate: this.#uncorrectedLatency === null ? null : {
        uncorrectedLatency: this.#uncorrectedLatency.counts(),
        ...this.#sentOnPlan(),
        errorsAfterTimeout: counters.errorsAfterTimeout,
      },
    };
  }

  /**
   * With `-R`: the batches and requests the thread's lanes sent, the batches sent behind their plan, and the
   * requests their plan had due before the thread stopped.
   */
  #sentOnPlan(): {
    batches: number;
    lateBatches: number;
    requestsSent: number;
    requestsDue: number;
    busyShare: number | null;
    coreWaitShare: number | null;
  } {
    let batches = 0, lateBatches = 0, requestsSent = 0;
    for (const pacer of this.#pacers) {
      batches += pacer.batches;
      lateBatches += pacer.lateBatches;
      requestsSent += pacer.requestsSent;
    }
    const cpuMs = this.#cpuAtStartMs === null ? null : threadCpuMs();
    const coreWaitMs = this.#coreWaitAtStartMs === null ? null : threadCoreWaitMs();
    const ranMs = performance.now() - this.#startedMs;
    const busyShare = cpuMs === null || ranMs <= 0 ? null : (cpuMs - this.#cpuAtStartMs!) / ranMs;
    const coreWaitShare = coreWaitMs === null || ranMs <= 0
      ? null
      : Math.max(0, coreWaitMs - this.#coreWaitAtStartMs!) / ranMs;
    return { batches, lateBatches, requestsSent, requestsDue: this.#requestsDue, busyShare, coreWaitShare };
  }

  /**
   * With `-R`: the slots of this thread's lanes due before `stopMs` (the cycle's clock), what the plan asked of
   * the time the thread ran (docs/wrk-compat.md#differences-from-wrk2): a run holds about `-R` × its time of
   * them, fewer when it is short (`-R 1 -d1500ms` holds one, at 0.5 s) or a shard's lanes have none in it. A
   * slot in the last `TIMER_SLACK_MS` is not counted: it races the stop, on the same timers.
   */
  #slotsDueBefore(stopMs: number): number {
    const windowEndMs = stopMs - TIMER_SLACK_MS;
    let due = 0;
    for (const pacer of this.#pacers) due += pacer.slotsBefore(windowEndMs);
    return due;
  }

  /**
   * The latency counts so far, for `--hdr-log`: copies of the recorders' counts, taken only when the main
   * thread asks (once a second), so the connections record exactly as without it.
   */
  snapshot(): LatencySnapshot {
    return {
      latency: this.#latency.counts(),
      uncorrectedLatency: this.#uncorrectedLatency?.counts() ?? null,
    };
  }

  /**
   * Closes every socket and the transport (its epoll descriptor): nothing of the thread stays open once the
   * promise settles (see `Transport.close`).
   */
  async close(): Promise<void> {
    this.halt();
    await this.#options.transport.close?.();
  }

  #halt(): void {
    if (this.#state.stopped) return;
    this.#state.stopped = true;
    this.#stoppedAtEpochMs = epochNowMs();
    this.#tick?.cancel();
    this.#tick = null;
    this.#opening?.cancel();
    this.#opening = null;
    for (const deadline of this.#deadlines) deadline.cancel();
    const nowMs = clockMs();
    this.#sampleLastInterval(nowMs);
    // Not started (a failure before `start()`): no plan ran. A stop at the deadline that fired late (a busy
    // thread's timers) does not add the slots between: they lost the race to the stop, not to the client.
    if (this.#pacers.length > 0) {
      const endMs = Math.min(nowMs, this.#deadline.atMs);
      this.#requestsDue = this.#slotsDueBefore(endMs);
      this.#unansweredEndMs = endMs;
    }
  }

  /** With `-R`, from the halt until `stop()` records them: the end the unanswered requests' waits count to. */
  #unansweredEndMs: number | null = null;

  /**
   * `-R`, at the stop (`endMs`): the requests the plan had due and that got no answer, those sent and those
   * never sent (their lane still waited for an earlier answer), are recorded at the wait they had so far when
   * it is longer than any answer the thread recorded: their latency is at least that, so it is the tail
   * whatever their answer would have been. A server that stops answering less than `--timeout` before the end
   * then shows in the latency (and in thresholds on it) rather than in nothing; requests that waited less are
   * left out, as wrk2 leaves out every unanswered request, since their latency is unknown.
   */
  #recordUnanswered(endMs: number): void {
    const latency = this.#latency;
    const uncorrected = this.#uncorrectedLatency;
    const latencyMaxUs = latency.maxValue();
    const uncorrectedMaxUs = uncorrected?.maxValue() ?? Infinity;
    const visit = (plannedMs: number, sentMs: number): void => {
      const waitUs = (endMs - plannedMs) * 1000;
      if (waitUs > latencyMaxUs) latency.record(waitUs);
      const sentWaitUs = (endMs - sentMs) * 1000;
      if (sentWaitUs > uncorrectedMaxUs) uncorrected!.record(sentWaitUs);
    };
    for (const connection of this.#connections) connection.forEachUnanswered?.(visit);
    // A lane's unused slots wait less and less, by its interval: those above the max are recorded as a run of
    // values, bucket by bucket, not one by one (a server that never answers leaves -R × -d of them).
    const rate = this.#options.rate!;
    const step = rate.batchLatency ? this.#options.source.pipelineDepth : 1;
    const windowEndMs = endMs - TIMER_SLACK_MS;
    for (const pacer of this.#pacers) {
      const unused = pacer.unusedSlots(windowEndMs, step);
      if (unused.count === 0) continue;
      const firstWaitUs = (endMs - unused.firstMs) * 1000;
      const stepUs = unused.stepMs * 1000;
      const above = Math.min(unused.count, Math.max(0, Math.ceil((firstWaitUs - latencyMaxUs) / stepUs)));
      latency.recordRun(firstWaitUs, stepUs, above);
    }
  }

  /**
   * The tick, on the transport's timers (the epoll loop fires them on time while its sockets keep the thread
   * busy, where Deno's `setInterval` fired tens of milliseconds late and a 1 s run got 8 samples instead of
   * wrk's 10), and on a grid of 100 ms from the thread's start, so that one late tick does not delay the next
   * ones; a tick missed altogether is skipped rather than made up with a burst of short samples.
   */
  #onTick(): void {
    this.#tick = null;
    if (this.#state.stopped) return;
    const nowMs = clockMs();
    const counters = this.#counters;
    if (counters.requestsSinceSample > 0) this.#sample(nowMs);
    for (const connection of this.#connections) connection.expire(nowMs);
    const onProgress = this.#options.onProgress;
    if (onProgress && ++this.#ticks % PROGRESS_EVERY_TICKS === 0) {
      onProgress(counters.requests, socketErrors(counters.errors));
    }
    // A callback above may have stopped the thread (a script error).
    if (this.#state.stopped) return;
    do this.#nextTickMs += RECORD_INTERVAL_MS; while (this.#nextTickMs <= nowMs);
    this.#tick = this.#later(this.#nextTickMs - nowMs, this.#onTickCallback);
  }

  /**
   * At the stop, the interval since the last sample, which wrk's last tick records: wrk's threads stop only at
   * their first tick after the deadline, so their last interval is whole, while ours stop at the deadline,
   * inside one. Recorded when it is at least `LAST_SAMPLE_MIN_MS` long, so that a run of d holds about
   * d / 100 ms samples (10 for 1 s, 2 for 150 ms, as wrk's), or when the thread has none yet: a run shorter
   * than a tick whose thread got responses then has its rate rather than the empty row (`0.00 … -nan%`),
   * which wrk prints only when no thread got any.
   */
  #sampleLastInterval(nowMs: number): void {
    if (this.#counters.requestsSinceSample === 0) return;
    if (this.#samples === 0 || nowMs - this.#lastSampleMs >= LAST_SAMPLE_MIN_MS) this.#sample(nowMs);
  }

  /** As wrk's `record_rate`: the responses since the last sample over the whole milliseconds elapsed. */
  #sample(nowMs: number): void {
    const counters = this.#counters;
    const elapsedMs = Math.max(1, Math.floor(nowMs - this.#lastSampleMs));
    this.#requestRate.record(Math.floor((counters.requestsSinceSample / elapsedMs) * 1000));
    this.#samples++;
    counters.requestsSinceSample = 0;
    this.#lastSampleMs = nowMs;
  }
}
