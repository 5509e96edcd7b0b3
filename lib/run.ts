/**
 * A run's lifecycle, as wrk's `main` orders it (docs/wrk-compat.md, "Phase order"): pre-flight, then the script
 * into each thread (in workers, or on this thread: lib/worker/worker_host.ts) and the main state, `setup()` for each thread,
 * start them, stop at the deadline, merge their figures, and later call `done()`. The stages themselves live in `preflight/`, `worker/` and
 * `merge/`; this file only sequences them and bounds how long each may take.
 */
import { writerOf, writeStdout } from "./_stdout.ts";
import type { Config } from "./config/config.ts";
import { checkConfig } from "./config/check_config.ts";
import { shareOf } from "./config/share.ts";
import { IntervalMerge, type LatencyInterval } from "./merge/interval_merge.ts";
import { mergeReports } from "./merge/merge_reports.ts";
import { preflight } from "./preflight/preflight.ts";
import { epochMsAt, performanceMsAt } from "./net/clock.ts";
import type { RunResult } from "./run_result.ts";
import { asRunError, RunError } from "./run_error.ts";
import { checkStartAt, waitUntil } from "./preflight/start_at.ts";
import type { MainScript } from "./script/main_script.ts";
import type { LatencySnapshot, OutputStream, WorkerSetup } from "./worker/protocol.ts";
import { WorkerThread } from "./worker/worker_thread.ts";
import { StartOutputOrder, StartPhase } from "./worker/start_output.ts";
import { newNotices } from "./script/notices.ts";
import { MainThreadHost, type ThreadHost, workerCount, WorkerHost } from "./worker/worker_host.ts";
import { loadModule } from "./lazy_modules.ts";

/** How long stopped threads get to report before they are listed as unfinished. */
const DEFAULT_GRACE_MS = 1000;
/** The length of `RunOptions.onInterval`'s intervals (HdrHistogram interval logs are usually per second). */
const INTERVAL_MS = 1000;
/**
 * How long threads that reported get to close their sockets: a wide margin even for large runs
 * (docs/benchmarks.md#measurements-behind-the-code). A thread that did not report within the grace period is
 * not waited for: it is stuck in a script, and could not close them anyway.
 */
const CLOSE_BOUND_MS = 2000;
/** The same after a failure, when a thread may be stuck in a script and never answer. */
const FAILED_CLOSE_BOUND_MS = 500;

/** A stop asked for this close to the deadline ran its `-d` all the same: it is no early stop. */
const STOP_EARLY_SLACK_MS = 10;
/**
 * How long a thread may take to run the script's top level, and then `init()`, before the run is abandoned.
 * Both may wait on `wrk.lookup`/`wrk.connect`, so the bound is never below the socket timeout.
 */
// Above the script layer's own bound on Lua running time (10 minutes, CoroutineRunner.boundMs), which names
// the script and hook: this wall-clock bound is the backstop for a thread that cannot answer at all. A top
// level that reads a million URLs takes seconds in LuaJIT and may take minutes here.
const DEFAULT_STARTUP_BOUND_MS = 610_000;

/**
 * Options for `Run.start()` and `run()` beyond the configuration.
 *
 * @example Ending a run early and keeping the script's output
 * ```ts
 * import { parseArgs } from "./config/parse_args.ts";
 * import { startDemoServer } from "./demo_server.ts";
 * import { run, type RunOptions } from "./run.ts";
 *
 * const server = startDemoServer();
 * const abort = new AbortController();
 * const timer = setTimeout(() => abort.abort(), 200);
 * const output: Uint8Array[] = [];
 * const options: RunOptions = { signal: abort.signal, write: (bytes) => output.push(bytes) };
 * try {
 *   const result = await run(parseArgs(["-t1", "-c2", "-d1m", server.url]), options);
 *   console.log(`${result.requests} requests in ${result.runtimeUs / 1000} ms`);
 * } finally {
 *   clearTimeout(timer);
 *   await server.close();
 * }
 * ```
 */
export interface RunOptions {
  /** Where the main state's `print`/`io.write` go (threads write to stdout). Default: stdout. */
  write?: (bytes: Uint8Array) => void;
  /**
   * Told how the run is going a few times a second (the CLI's live progress line). The threads send their
   * totals only when this is given; it costs them a message per 200 ms, nothing per request. What it throws
   * fails the run (`result` rejects with a `RunError` naming it), or its start while it waits for `--start-at`.
   */
  onProgress?: (progress: RunProgress) => void;
  /**
   * The caller draws `onProgress` as a line on standard error without a newline (the command line's live
   * line): a thread's script output during the run then first erases it (a carriage return and an erase to
   * the line's end on standard error), so that the two do not run together on one line. Default false: nothing
   * is written for it, and `RunProgress.scriptWrote` tells the caller.
   */
  progressLineOnStderr?: boolean;
  /**
   * Told the latency of each interval of the run as it goes (`--hdr-log`): one a second from the run's start
   * (`startedAtEpochMs`), in order, then the last, partial one just before `result` resolves. Only when this is
   * given, the run asks every thread once a second for its latency counts (one message each way, nothing per
   * request; lib/merge/interval_merge.ts). Called on the main thread; what it throws fails the run (`result`
   * rejects with a `RunError` naming it).
   */
  onInterval?: (interval: LatencyInterval) => void;
  /**
   * Called once every thread has run `init()`, just before their connections start, with what `Run.warnings`
   * will hold: where wrk prints its `Running …` header, so that init()'s output comes before it and
   * response()'s after it.
   */
  onInitialized?: (warnings: readonly string[]) => void;
  /**
   * With `--start-at`: called once every thread has run `init()`, as the run starts to wait for the common
   * start. No Lua runs on the calling thread from then on, so that a caller may listen for signals there; an
   * abort during the wait rejects the start (see `signal`).
   */
  onStartWait?: () => void;
  /**
   * Aborting ends the run early; the result covers the time actually run (wrk's SIGINT). Aborted before the
   * threads start (before `onInitialized`: the pre-flight, the script's top level, `setup()`, `init()`,
   * `--start-at`'s wait), the start stops waiting and `Run.start()` rejects with a `RunError`: the abort's
   * reason when it is one, else `stopped before the run started` with exit code 130 (as a Ctrl-C there ends
   * the command line). A `setup()` that never returns holds this thread all the same.
   */
  signal?: AbortSignal;
  /**
   * The script's bytes, when the caller has read `config.scriptPath` already (to hash it: `testIdentity`): the
   * run does not read the file again, which for a pipe (`-s <(…)`, `/dev/stdin`) would find it empty.
   */
  script?: Uint8Array;
  /**
   * How long a thread's host may stay silent after the stop before the thread is given up as stuck in a script
   * (`RunResult.unfinishedThreads`): a host of many threads reports them one after another, each in its turn,
   * however long that takes while it keeps talking (30 s at most). Default 1 s.
   */
  graceMs?: number;
  /**
   * How long each thread may take to load the script (its top level), and then to run `init()`; a thread that
   * takes longer ends the start with a `RunError`. Default: 610 s (above the Lua layer's own 10-minute bound
   * on a call's running time, which names the script and hook) or the `--timeout`, whichever is larger.
   */
  startupBoundMs?: number;
  /**
   * The open-file limit to check `-c` against; null: no check. Default: this process's limit, from
   * `/proc/self/limits` when readable, else by trying (see `lib/preflight/fd_limit.ts`).
   */
  openFileLimit?: number | null;
  /**
   * The module each thread runs as a Web Worker. Default: this library's `lib/worker/worker_main.ts`, right
   * when the library runs from its source files. A program bundled or compiled into one file has no such file
   * beside it: it passes its own entry's `import.meta.url` and makes that entry import
   * `lib/worker/worker_main.ts` and skip its own work when `isWorkerScope()` (as `cli.ts` does); a bundled one
   * also imports `lib/bundled_modules.ts` before anything else (as `bundle.ts` does), so that the modules
   * loaded on demand are in the file.
   */
  workerModule?: string | URL;
  /**
   * How many hosts (Web Workers, and this thread with `hostOnMainThread`) run the threads. Default: one per
   * core this process may use, never more than the threads (lib/worker/worker_host.ts); each thread stays a
   * wrk thread with its own Lua state and connections. 1 runs every thread in one host; `config.threads` gives
   * each its own.
   */
  maxWorkers?: number;
  /**
   * Run the first host's threads on this thread instead of in a Web Worker: one V8 isolate fewer, ~10 MiB
   * (docs/benchmarks.md#memory-per-thread). Their sockets then share this thread's epoll loop, which blocks it
   * for at most a millisecond at a time and yields to its event loop every few (lib/net/_epoll_socket.ts); this
   * thread's timers then fire later, by tens of milliseconds when the cores are busy, and a server on this
   * thread's event loop would answer only between those waits (`wrk-deno demo` leaves it off). Default false;
   * the command line sets it. Ignored with a script (Lua that never returns could not be stopped here) and with
   * `onInterval` (whose cuts are timers on this thread, due on whole seconds).
   */
  hostOnMainThread?: boolean;
}

/** How a run is going: what `RunOptions.onProgress` is told. */
export interface RunProgress {
  /** Since the run started. */
  elapsedMs: number;
  /** The duration asked for. */
  durationMs: number;
  /** Responses so far, over the threads. */
  requests: number;
  /** Socket errors so far (connect, read, write, timeout), over the threads. */
  errors: number;
  /** Before the run, while waiting for `--start-at`: the time left; 0 once the run runs. */
  startsInMs: number;
  /**
   * A thread's script has written output during the run (its first write erased the live line): a progress line
   * drawn now would run into the script's lines, so the CLI draws none from then on. Absent: none has.
   */
  scriptWrote?: boolean;
}

/**
 * A started run: await `result`, then optionally `done()`, then always `close()`. Use it instead of `run()`
 * to act between the start and the result (the CLI opens its `--hdr-log` and listens for signals; it prints
 * wrk's `Running …` header from `RunOptions.onInitialized`) or to stop the run from outside.
 *
 * @example Starting a run, then stopping it early
 * ```ts
 * import { parseArgs } from "./config/parse_args.ts";
 * import { startDemoServer } from "./demo_server.ts";
 * import { Run } from "./run.ts";
 *
 * const server = startDemoServer();
 * const started = await Run.start(parseArgs(["-t1", "-c2", "-d1m", server.url]));
 * const timer = setTimeout(() => started.stop(), 200);
 * try {
 *   const result = await started.result;
 *   await started.done(result);
 *   console.log(result.requests > 0);
 * } finally {
 *   clearTimeout(timer);
 *   started.close();
 *   await server.close();
 * }
 * ```
 */
export class Run {
  readonly #config: Config;
  readonly #threads: WorkerThread[];
  readonly #script: MainScript | null;
  readonly #graceMs: number;
  readonly #startedAtMs: number;
  /** With `RunOptions.onInterval`: the intervals merged so far, and the timer of the next cut. */
  readonly #intervals: {
    merge: IntervalMerge;
    onInterval: (interval: LatencyInterval) => void;
    timer?: ReturnType<typeof setTimeout>;
    stopped: boolean;
  } | null;
  #endRun: () => void = () => {};
  /** Ends the run at its caller's request (`stop()`, the signal): before the deadline, it stopped early. */
  #stopEarly: () => void = () => {};
  /** Set when the caller ended the run before its deadline (`RunResult.stoppedEarly`). */
  #stoppedEarly = false;
  #failRun: (error: RunError) => void = () => {};
  /** The merged figures; rejects with a `RunError` when a thread fails (script error, crash). */
  readonly result: Promise<RunResult>;
  /**
   * One line each for what the run does differently from what the script or options asked (e.g. a `delay()`
   * that `-R` ignores): for the caller to show, before the run's output.
   */
  readonly warnings: string[] = [];

  private constructor(
    config: Config,
    threads: WorkerThread[],
    script: MainScript | null,
    options: RunOptions,
    startedAtEpochMs: number,
  ) {
    this.#config = config;
    this.#threads = threads;
    this.#script = script;
    this.#graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
    this.#onProgress = options.onProgress;
    // The run counts from when the first thread's connections started (wrk: once the threads are created),
    // so that -R's plans, which count from each thread's start, fit the run exactly.
    this.#startedAtMs = Math.min(performanceMsAt(startedAtEpochMs), performance.now());
    this.#intervals = options.onInterval === undefined ? null : {
      merge: new IntervalMerge(threads.length, config.rate !== null),
      onInterval: options.onInterval,
      stopped: false,
    };
    this.#scheduleCut(1);
    const { promise: ended, resolve, reject } = Promise.withResolvers<void>();
    // Once the run has ended (its deadline, the threads' own stops, a failure), a late stop request is no early
    // stop (`#stopEarly`).
    let over = false;
    this.#endRun = () => {
      over = true;
      resolve();
    };
    this.#failRun = (error) => {
      over = true;
      reject(error);
    };
    // Each thread stops counting at the end by its own clock; this timer then collects their figures.
    for (const thread of threads) {
      thread.stopAt(this.startedAtEpochMs + config.durationMs);
    }
    // Not before the deadline: Deno's timers wait whole milliseconds and may fire a fraction of one early, and a
    // stop that reached a thread before its own deadline timer cut the run short by that much (0.99998 s).
    const leftMs = () => config.durationMs - (performance.now() - this.#startedAtMs);
    const atDeadline = () => {
      if (leftMs() > 0) deadline = setTimeout(atDeadline, Math.ceil(leftMs()));
      else this.#endRun();
    };
    let deadline = setTimeout(atDeadline, Math.ceil(Math.max(0, leftMs())));
    this.#stopEarly = () => {
      if (!over && leftMs() > STOP_EARLY_SLACK_MS) this.#stoppedEarly = true;
      this.#endRun();
    };
    const onAbort = () => this.#stopEarly();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    // Aborted while starting: the run ends at once and reports the little time it ran.
    if (options.signal?.aborted) this.#stopEarly();
    this.result = ended.finally(() => {
      clearTimeout(deadline);
      this.#stopCutting();
      options.signal?.removeEventListener("abort", onAbort);
    }).then(
      () => this.#collect(),
      async (error) => {
        // The threads still running hold sockets that ending their workers would not close.
        await shutDown(threads, FAILED_CLOSE_BOUND_MS);
        throw error;
      },
    );
    this.result.catch(() => {});
    if (threads.every((thread) => thread.stoppedByScript)) this.#endRun();
  }

  /**
   * Prepares and starts a run; rejects with `RunError` when the target or the script is unusable, and with
   * `UsageError` for a `config` edited out of range (`checkConfig`: what `parseArgs` would refuse).
   */
  static async start(config: Config, options: RunOptions = {}): Promise<Run> {
    // A Config edited in code: what parseArgs would refuse is refused here too.
    checkConfig(config);
    const write = options.write ?? writeStdout;
    const preparedSinceMs = Date.now();
    if (config.startAtEpochMs !== null) checkStartAt(config.startAtEpochMs, preparedSinceMs);
    const { signal } = options;
    const { script, caCerts, address, pinnedCerts, warnings } = await unlessAborted(
      preflight(config, { openFileLimit: options.openFileLimit, signal, script: options.script }),
      signal,
    );
    const boundMs = options.startupBoundMs ?? Math.max(DEFAULT_STARTUP_BOUND_MS, config.timeoutMs);

    let mainScript: MainScript | null = null;
    let failure: RunError | null = null;
    let startedAt: number[] = [];
    let run: Run | null = null;
    const threads: WorkerThread[] = [];
    // What the scripts write before the run starts comes out in wrk's order, which runs each thread's top level,
    // setup() and init() in turn (lib/worker/start_output.ts): the threads' through `events.onOutput`, setup()'s
    // from the main state through `mainWrite`.
    const startOutput = new StartOutputOrder(config.threads);
    let inSetup: number | null = null;
    const mainWrite = (bytes: Uint8Array): void => {
      const copy = bytes.slice();
      // Its top level's (or, once the start is over, done()'s: then at once), or setup()'s for a thread.
      if (inSetup === null) startOutput.writeMain(() => write(copy));
      else startOutput.write(inSetup, StartPhase.Setup, () => write(copy));
    };
    const events = {
      onFailure: (_thread: WorkerThread, message: string, exitCode: number) => {
        failure ??= new RunError(message, exitCode);
        if (run !== null) run.#failRun(failure);
      },
      onStopped: () => {
        if (run !== null && threads.every((thread) => thread.stoppedByScript)) run.#endRun();
      },
      onProgress: (thread: WorkerThread, requests: number, errors: number) => {
        if (run !== null) run.#progress(thread.index, requests, errors);
      },
      // Snapshots are asked for only by a run that exists (#scheduleCut).
      onSnapshot: (thread: WorkerThread, index: number, snapshot: LatencySnapshot) => {
        const intervals = run === null ? null : run.#intervals;
        if (intervals === null) return;
        try {
          for (const interval of intervals.merge.add(thread.index, index, snapshot)) {
            intervals.onInterval(interval);
          }
        } catch (error) {
          run!.#failRun(callbackFailure("onInterval", error));
        }
      },
      onOutput: (thread: WorkerThread, phase: StartPhase, stream: OutputStream, bytes: Uint8Array) =>
        startOutput.write(
          thread.index,
          phase,
          () => writerOf(stream)(bytes),
        ),
      workerModule: options.workerModule,
    };
    // With a progress line, the flag the threads set when their script writes during the run.
    const scriptOutput = options.onProgress === undefined ? null : new Int32Array(new SharedArrayBuffer(4));
    // With a script, what its states say once per run (a top level that runs long, a refused write).
    const notices = script === null ? null : newNotices();
    try {
      // Thread i in host i mod hosts: each host gets an even share of the threads, and so of the work.
      const onMainThread = options.hostOnMainThread === true && script === null &&
        options.onInterval === undefined;
      const serve = onMainThread
        ? (await loadModule<typeof import("./worker/worker_main.ts")>("worker/worker_main.ts")).serveThreads
        : null;
      const hosts: ThreadHost[] = Array.from(
        { length: workerCount(config.threads, options.maxWorkers) },
        (_, i) =>
          i === 0 && serve !== null ? new MainThreadHost(serve) : new WorkerHost(options.workerModule),
      );
      for (let i = 0; i < config.threads; i++) {
        threads.push(new WorkerThread(i, address, events, hosts[i % hosts.length]));
      }
      // The threads run the script's top level before the main state does: in a worker, a top level that never
      // returns can be bounded and terminated, while the main state runs on this thread and could not be
      // interrupted (so it only runs a script that has finished loading elsewhere).
      const loadFrom = (from: number, to: number) =>
        allWithin(
          threads.slice(from, to).map((thread, i) =>
            thread.load(
              workerSetup(
                config,
                from + i,
                script,
                { caCerts, pinnedCerts },
                scriptOutput,
                notices,
                options.progressLineOnStderr === true,
              ),
            ).then((mainStateNeeded) => {
              startOutput.done(thread.index, StartPhase.TopLevel);
              return mainStateNeeded;
            })
          ),
          boundMs,
          (i) =>
            `thread ${from + i + 1} did not finish loading the script within ${seconds(boundMs)} ` +
            `(does its top level loop forever?)`,
          signal,
        );
      // A script's top level runs in the first thread alone, then in the others at once: one that prints a
      // message and exits (a setting missing) says it once, as wrk's main state does, not once per thread.
      const first = script === null ? [] : await loadFrom(0, 1);
      const mainStateNeeded = [...first, ...(await loadFrom(first.length, threads.length))];
      // Without setup(), done() and delay(), and with a top level that shows nothing, the main state would never
      // be seen: it is not made (lib/script/_main_state_needed.ts).
      if (script !== null && mainStateNeeded.some((needed) => needed)) {
        // The Lua layer (fengari) is loaded only for a script: a Lua state adds to every thread's memory.
        mainScript = await unlessAborted(
          (await loadModule<typeof import("./script/main_script.ts")>("script/main_script.ts"))
            .loadMainScript({
              path: config.scriptPath!,
              source: script,
              target: config.target,
              headers: config.headers,
              shard: config.shard,
              write: mainWrite,
              writePaths: config.writePaths,
              notices,
            }),
          signal,
        ).catch(asRunError);
      }
      startOutput.mainDone();
      // setup() runs per thread, in order, in the main state (docs/wrk-compat.md#phase-order).
      for (const thread of threads) {
        if (mainScript?.hasSetup) {
          inSetup = thread.index;
          try {
            await unlessAborted(mainScript.setup(thread), signal).catch(asRunError);
          } finally {
            inSetup = null;
          }
        }
        startOutput.done(thread.index, StartPhase.Setup);
      }
      if (config.rate !== null && mainScript?.hasDelay) {
        warnings.push(
          `${config.scriptPath}: delay() is not called with -R: the rate decides when each request goes`,
        );
      }
      await allWithin(
        threads.map((thread) => thread.init().then(() => startOutput.done(thread.index, StartPhase.Init))),
        boundMs,
        (i) => `thread ${i + 1} did not finish init() within ${seconds(boundMs)} (does init() loop forever?)`,
        signal,
      );
      startOutput.end();
      if (config.startAtEpochMs !== null) {
        // Everything slow is done: wait for the common start (lib/preflight/start_at.ts).
        checkStartAt(config.startAtEpochMs, Date.now(), preparedSinceMs);
        options.onStartWait?.();
        const { durationMs } = config;
        await unlessAborted(
          waitUntil(
            config.startAtEpochMs,
            (startsInMs) => {
              try {
                options.onProgress?.({ elapsedMs: 0, durationMs, requests: 0, errors: 0, startsInMs });
              } catch (error) {
                throw callbackFailure("onProgress", error);
              }
            },
            signal,
          ),
          signal,
        );
      }
      options.onInitialized?.(warnings);
      // From here an abort ends the run with its report (the command line listens for signals from now on).
      startedAt = await allWithin(
        threads.map((thread) => thread.start(config.durationMs)),
        boundMs,
        (i) => `thread ${i + 1} did not start within ${seconds(boundMs)}`,
        undefined,
      );
    } catch (error) {
      // What the scripts wrote before it failed, then the failure (the caller says it).
      startOutput.end();
      await shutDown(threads, FAILED_CLOSE_BOUND_MS);
      for (const thread of threads) thread.terminate();
      mainScript?.close();
      throw failure ?? asRunError(error);
    }
    // Threads read the epoch through their own isolate's time origin, which can be a millisecond off this
    // one's: a run told to start at --start-at does not report a start before it.
    const firstStartMs = Math.min(...startedAt);
    run = new Run(
      config,
      threads,
      mainScript,
      options,
      config.startAtEpochMs === null ? firstStartMs : Math.max(firstStartMs, config.startAtEpochMs),
    );
    run.warnings.push(...warnings);
    run.#scriptOutput = scriptOutput;
    if (failure !== null) run.#failRun(failure);
    return run;
  }

  readonly #threadTotals: { requests: number; errors: number }[] = [];
  readonly #onProgress: ((progress: RunProgress) => void) | undefined;

  /** Set to 1 by the first thread whose script writes during the run (`WorkerSetup.scriptOutput`). */
  #scriptOutput: Int32Array | null = null;

  #progress(threadIndex: number, requests: number, errors: number): void {
    if (this.#onProgress === undefined) return;
    this.#threadTotals[threadIndex] = { requests, errors };
    let allRequests = 0;
    let allErrors = 0;
    for (const totals of this.#threadTotals) {
      if (totals === undefined) continue;
      allRequests += totals.requests;
      allErrors += totals.errors;
    }
    try {
      this.#onProgress({
        elapsedMs: performance.now() - this.#startedAtMs,
        durationMs: this.#config.durationMs,
        requests: allRequests,
        errors: allErrors,
        startsInMs: 0,
        // Set (1, then 2) by a thread whose script writes during the run: the line gives way.
        scriptWrote: this.#scriptOutput !== null && Atomics.load(this.#scriptOutput, 0) !== 0,
      });
    } catch (error) {
      this.#failRun(callbackFailure("onProgress", error));
    }
  }

  /** When the run started (its clock's zero, `RunResult.startedAt`), in ms since the Unix epoch. */
  get startedAtEpochMs(): number {
    return epochMsAt(this.#startedAtMs);
  }

  /**
   * With `onInterval`: asks every thread for its counts at `number` seconds from the run's start, then at the
   * next second, while that is before the end of the duration (the last interval ends with the run instead).
   */
  #scheduleCut(number: number): void {
    const intervals = this.#intervals;
    const atMs = number * INTERVAL_MS;
    if (intervals === null || intervals.stopped || atMs >= this.#config.durationMs) return;
    intervals.timer = setTimeout(() => {
      if (intervals.stopped) return;
      const index = intervals.merge.cut(performance.now() - this.#startedAtMs);
      for (const thread of this.#threads) thread.snapshot(index);
      this.#scheduleCut(number + 1);
    }, Math.max(0, this.#startedAtMs + atMs - performance.now()));
  }

  #stopCutting(): void {
    if (this.#intervals === null) return;
    // A cut now would come after the threads' reports: the last interval ends with the run instead.
    this.#intervals.stopped = true;
    clearTimeout(this.#intervals.timer);
  }

  /** Ends the run now (as wrk does on SIGINT); `result` then covers the time actually run. */
  stop(): void {
    this.#stopEarly();
  }

  /** Calls the script's `done(summary, latency, requests)` in the main state, if it has one. */
  async done(result: RunResult): Promise<void> {
    if (this.#script?.hasDone) await this.#script.done(result).catch(asRunError);
  }

  /**
   * Ends the worker threads and the main state. A thread stuck in a script that never returns is listed in
   * `RunResult.unfinishedThreads`; Deno 2.9's `Worker.terminate()` does not stop a worker busy in JavaScript
   * (denoland/deno#35657), so a program that saw one should end with `Deno.exit()`, as the CLI does.
   */
  close(): void {
    for (const thread of this.#threads) thread.terminate();
    this.#script?.close();
  }

  async #collect(): Promise<RunResult> {
    // The run lasts until the last thread that reports has stopped (wrk joins its threads), by the thread's own
    // clock (`ThreadLoop.stopAt`): the messages that carry the reports here are not time run, and neither is
    // the grace period spent waiting for a thread that never reports.
    const endMs = performance.now();
    const reports = await Promise.all(this.#threads.map((thread) => thread.finish(this.#graceMs)));
    // A thread that never reported ran until it was told to stop, as far as anyone knows.
    let stoppedAtMs = reports.includes(null) ? endMs : this.#startedAtMs;
    for (const report of reports) {
      if (report !== null) {
        stoppedAtMs = Math.max(stoppedAtMs, performanceMsAt(report.stoppedAtEpochMs));
      }
    }
    const runtimeUs = Math.round((stoppedAtMs - this.#startedAtMs) * 1000);
    if (this.#intervals !== null) {
      // A thread answers every cut before it reports (its messages keep their order): what is left is the last
      // interval, up to the end of the run, from the reports.
      const finals = reports.map((report) =>
        report === null
          ? null
          : { latency: report.latency, uncorrectedLatency: report.rate?.uncorrectedLatency ?? null }
      );
      const { merge, onInterval } = this.#intervals;
      try {
        for (const interval of merge.finish(runtimeUs / 1000, finals)) onInterval(interval);
      } catch (error) {
        await shutDown(this.#threads, FAILED_CLOSE_BOUND_MS);
        throw callbackFailure("onInterval", error);
      }
    }
    // Threads close their sockets after reporting; they must be done before anything terminates them. A thread
    // that did not report is stuck in Lua (its whole worker is: the worker's threads share its JavaScript
    // thread) and would never say it closed them: the grace period was all the waiting it gets
    // (docs/wrk-compat.md#stuck-scripts).
    await Promise.all(
      this.#threads.map((thread, i) => reports[i] === null ? undefined : thread.closed(CLOSE_BOUND_MS)),
    );
    const result = mergeReports(this.#config, reports, runtimeUs, epochMsAt(this.#startedAtMs));
    result.stoppedEarly = this.#stoppedEarly;
    return result;
  }
}

/** Stops `threads` and waits (at most `boundMs`) until each has closed its sockets or failed. */
async function shutDown(threads: WorkerThread[], boundMs: number): Promise<void> {
  await Promise.all(threads.map((thread) => thread.shutDown(boundMs)));
}

/**
 * Starts a run, waits for it, calls `done()` and closes it: the whole job for library users. Rejects with a
 * `RunError` when the target is unreachable, the script fails or a thread dies, and also when the script's
 * `done()` fails or calls `os.exit()` after the run finished: its figures are then lost with it. To keep them
 * whatever `done()` does (as the command line writes `--json` before `done()`), use `Run.start()`, await its
 * `result`, and call `done()` yourself.
 *
 * @example Benchmarking the demo server for 300 ms
 * ```ts
 * import { parseArgs } from "./config/parse_args.ts";
 * import { startDemoServer } from "./demo_server.ts";
 * import { formatReport } from "./report/text_report.ts";
 * import { run } from "./run.ts";
 *
 * const server = startDemoServer();
 * try {
 *   const result = await run(parseArgs(["-t2", "-c4", "-d300ms", server.url]));
 *   console.log(formatReport(result, { latency: true }));
 * } finally {
 *   await server.close();
 * }
 * ```
 */
export async function run(config: Config, options: RunOptions = {}): Promise<RunResult> {
  const started = await Run.start(config, options);
  try {
    const result = await started.result;
    await started.done(result);
    return result;
  } finally {
    started.close();
  }
}

function workerSetup(
  config: Config,
  index: number,
  script: Uint8Array | null,
  { caCerts, pinnedCerts }: { caCerts: string[]; pinnedCerts: string[] | null },
  scriptOutput: Int32Array | null,
  notices: Int32Array | null,
  eraseLine: boolean,
): WorkerSetup {
  return {
    threadIndex: index,
    threadConnections: shareOf(config.connections, config.threads, index),
    scriptOutput,
    eraseLine,
    notices,
    config,
    script,
    caCerts,
    pinnedCerts,
  };
}

/**
 * Resolves to every promise's value, waiting at most `boundMs`: then rejects with a `RunError` of `describe(i)` for the first
 * one still pending; and as `unlessAborted` does when `signal` aborts. Leaves no timer behind either way.
 */
async function allWithin<T>(
  promises: Promise<T>[],
  boundMs: number,
  describe: (index: number) => string,
  signal: AbortSignal | undefined,
): Promise<T[]> {
  const settled = promises.map(() => false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RunError(describe(settled.indexOf(false)))), boundMs);
  });
  try {
    return await unlessAborted(
      Promise.race([
        Promise.all(promises.map((p, i) =>
          p.then((value) => {
            settled[i] = true;
            return value;
          })
        )),
        late,
      ]),
      signal,
    );
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `promise`, or a `RunError` as soon as `signal` aborts, already aborted included: a caller's abort ends a start
 * that waits on a slow server or script. The error is the abort's reason when that is a `RunError` (the command
 * line's names its signal), else `stopped before the run started`, exit code 130. Leaves no listener behind.
 */
async function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return await promise;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () =>
      reject(
        signal.reason instanceof RunError
          ? signal.reason
          : new RunError("stopped before the run started", 130),
      );
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  // The abandoned phase may still fail later (a pre-flight's connect, a thread's load): nobody awaits it.
  promise.catch(() => {});
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    signal.removeEventListener("abort", onAbort!);
  }
}

/** `10s`, `2.5s`: a bound as the user would write it. */
function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))}s`;
}

/**
 * What a caller's callback threw (`onProgress`, `onInterval`): the run's failure, a `RunError` that names the
 * callback, rather than an uncaught error that would end the caller's process.
 */
function callbackFailure(name: string, error: unknown): RunError {
  return new RunError(`${name} threw: ${error instanceof Error ? error.message : String(error)}`);
}
