/**
 * The main thread's handle on one thread in a worker (lib/worker/worker_host.ts): speaks the typed protocol to
 * it, and implements the `thread` userdata's operations (`addr`, `get`, `set`, `stop`) for the main Lua
 * state's `setup()`/`done()`.
 */
import type { Addr, ThreadHandle } from "../script/main_script.ts";
import { GET_NOW_BOUND_MS, type ReceiveNow } from "../script/thread_handle.ts";
import type { TransferValue } from "../script/transfer.ts";
import type {
  FromThread,
  GlobalAnswer,
  LatencySnapshot,
  OutputStream,
  ThreadReport,
  ToThread,
  WorkerSetup,
} from "./protocol.ts";
import { type ThreadHost, WorkerHost } from "./worker_host.ts";
import { StartPhase } from "./start_output.ts";

/** What `get` gives when the thread cannot answer any more (it failed, or the run let it go). */
const NO_VALUE: GlobalAnswer = { value: null };
/** The longest `finish()` waits for a report, however long its host keeps talking. */
const MAX_FINISH_MS = 30_000;

/** The value of a thread's answer; a refusal (a function) becomes the error the script sees. */
function valueOf(answer: GlobalAnswer): TransferValue {
  if ("refused" in answer) throw new Error(answer.refused);
  return answer.value;
}

/** Called when the worker fails (script error, crash): the message is one line for the user. */
export type FailureListener = (thread: WorkerThread, message: string, exitCode: number) => void;

/** What a `WorkerThread` reports to its owner, and which module it runs. */
export interface WorkerThreadOptions {
  onFailure: FailureListener;
  onStopped: () => void;
  /** The thread's totals so far, a few times a second, when its setup asked for progress. */
  onProgress?: (thread: WorkerThread, requests: number, errors: number) => void;
  /** The thread's answer to `snapshot(index)`: its latency counts so far. */
  onSnapshot?: (thread: WorkerThread, index: number, snapshot: LatencySnapshot) => void;
  /**
   * What the thread's script wrote to `stream` before the thread started, in its top level or `init()`
   * (`phase`), for the caller to write in wrk's order (`StartOutputOrder`).
   */
  onOutput?: (thread: WorkerThread, phase: StartPhase, stream: OutputStream, bytes: Uint8Array) => void;
  /**
   * The module the Web Worker runs; it must serve the thread protocol as `worker_main.ts` does. Default:
   * `worker_main.ts` beside this file, which exists when this library runs from its source files (local or
   * remote) but not inside a bundle or a compiled binary; the command line passes its own entry module.
   */
  workerModule?: string | URL;
}

/** One thread, from `load` to `terminate`. */
export class WorkerThread implements ThreadHandle {
  readonly index: number;
  addr: Addr;
  /** True once the script called `wrk.thread:stop()` in this thread (or `thread:stop()` from setup). */
  stoppedByScript = false;
  readonly #host: ThreadHost;
  readonly #onFailure: FailureListener;
  readonly #onStopped: () => void;
  readonly #onProgress: WorkerThreadOptions["onProgress"];
  readonly #onSnapshot: WorkerThreadOptions["onSnapshot"];
  readonly #onOutput: WorkerThreadOptions["onOutput"];
  readonly #gets = new Map<number, (answer: GlobalAnswer) => void>();
  #nextGetId = 0;
  #loaded = observed<boolean>();
  #initialized = observed<void>();
  #started = observed<number>();
  #report = observed<ThreadReport>();
  #closed = observed<void>();
  #failed = false;
  /** "loaded" came: output from now on is init()'s. */
  #loadedYet = false;
  /** `getNow` waited its bound for this thread once: it is stuck, and is not waited for again. */
  #silent = false;

  /** Thread `index`, in `host` (default: a worker of its own). */
  constructor(index: number, addr: Addr, events: WorkerThreadOptions, host?: ThreadHost) {
    this.index = index;
    this.addr = addr;
    this.#onFailure = events.onFailure;
    this.#onStopped = events.onStopped;
    this.#onProgress = events.onProgress;
    this.#onSnapshot = events.onSnapshot;
    this.#onOutput = events.onOutput;
    this.#host = host ?? new WorkerHost(events.workerModule);
    this.#host.attach(index, {
      receive: (message) => this.#receive(message),
      fail: (message) => this.#fail(message),
    });
  }

  /**
   * Creates the thread's Lua state and runs the script's top level; resolves with whether the run needs the
   * main Lua state for the script (`ThreadScript.mainStateNeeded`).
   */
  load(setup: WorkerSetup): Promise<boolean> {
    this.#send({ type: "load", setup });
    return this.#loaded.promise;
  }

  /** Runs `init()` in the thread and makes its connections to `addr` ready; `start()` starts them. */
  init(): Promise<void> {
    const { address, port, family } = this.addr;
    this.#send({ type: "init", address: { address, port, family } });
    return this.#initialized.promise;
  }

  /**
   * Starts the connections `init()` made ready, to run `durationMs` at most (until `stopAt()` says when the run
   * ends); resolves with when they started (ms since the Unix epoch).
   */
  start(durationMs: number): Promise<number> {
    this.#send({ type: "start", durationMs });
    return this.#started.promise;
  }

  /** Tells the started thread when the run ends (ms since the Unix epoch): it stops counting then. */
  stopAt(atEpochMs: number): void {
    this.#send({ type: "deadline", atEpochMs });
  }

  /**
   * Ends the thread's run; resolves to its figures, or null when none came and its host said nothing for
   * `graceMs`: a host of hundreds of threads reports them one after another, each in its turn, while one stuck
   * in a script says nothing at all. Never longer than `MAX_FINISH_MS` (or `graceMs`, when longer) in all.
   */
  finish(graceMs: number): Promise<ThreadReport | null> {
    this.#send({ type: "stop" });
    const sinceMs = performance.now();
    const quietForMs = () => performance.now() - Math.max(sinceMs, this.#host.lastHeardMs);
    return within(this.#report.promise, Math.max(MAX_FINISH_MS, graceMs), null, {
      quietMs: graceMs,
      quietForMs,
    });
  }

  /**
   * Resolves once the thread has closed its sockets after `finish()`, or failed, or after `boundMs`: a worker
   * terminated before that would leave the epoll loop's descriptors open in this process.
   */
  closed(boundMs: number): Promise<void> {
    return within(this.#closed.promise, boundMs, undefined);
  }

  /** Asks the thread to stop and close its sockets (its report, if any, is ignored); see `closed()`. */
  shutDown(boundMs: number): Promise<void> {
    this.#send({ type: "stop" });
    return this.closed(boundMs);
  }

  get(name: string): Promise<TransferValue> {
    if (this.#failed) return Promise.resolve(null);
    const id = this.#nextGetId++;
    return new Promise<GlobalAnswer>((resolve) => {
      this.#gets.set(id, resolve);
      this.#send({ type: "get", id, name });
    }).then(valueOf);
  }

  getNow(name: string, receive: ReceiveNow): TransferValue {
    if (this.#failed) return null;
    // A thread that did not answer once is stuck (in Lua): a comparator asking it n·log n times would wait the
    // bound each time.
    const bound = `${GET_NOW_BOUND_MS / 1000} s`;
    if (this.#silent) {
      throw new Error(
        `thread ${this.index + 1} did not answer an earlier thread:get() within ${bound}: not asked again`,
      );
    }
    const unanswered = () =>
      new Error(`thread ${this.index + 1} did not answer thread:get() within ${bound}`);
    const { port1, port2 } = new MessageChannel();
    const flag = new Int32Array(new SharedArrayBuffer(4));
    try {
      this.#send({ type: "getNow", name, answer: { port: port2, flag } }, [port2]);
      if (Atomics.wait(flag, 0, 0, GET_NOW_BOUND_MS) === "timed-out") {
        this.#silent = true;
        throw unanswered();
      }
      const received = receive(port1);
      // The flag is set after the answer is posted: no message there is a broken promise, not a nil.
      if (received === undefined) {
        throw new Error(`thread ${this.index + 1} set its answer's flag without one`);
      }
      return valueOf(received.message as GlobalAnswer);
    } finally {
      port1.close();
    }
  }

  set(name: string, value: TransferValue): void {
    this.#send({ type: "set", name, value });
  }

  stop(): void {
    this.#send({ type: "halt" });
    this.#markStopped();
  }

  /** Asks the thread for its latency counts so far, as cut `index`; the answer goes to `onSnapshot`. */
  snapshot(index: number): void {
    this.#send({ type: "snapshot", index });
  }

  /** Lets the worker go: it is terminated once every thread it hosts has let it go. */
  terminate(): void {
    this.#host.release(this.index);
    for (const resolve of this.#gets.values()) resolve(NO_VALUE);
    this.#gets.clear();
  }

  #send(message: ToThread, transfer?: Transferable[]): void {
    if (!this.#failed) this.#host.send({ ...message, thread: this.index }, transfer);
  }

  #markStopped(): void {
    if (this.stoppedByScript) return;
    this.stoppedByScript = true;
    this.#onStopped();
  }

  #receive(message: FromThread): void {
    switch (message.type) {
      case "loaded":
        this.#loadedYet = true;
        return this.#loaded.resolve(message.mainStateNeeded);
      case "initialized":
        return this.#initialized.resolve();
      case "output":
        // Before "loaded": the top level's; after it, init()'s.
        return this.#onOutput?.(
          this,
          this.#loadedYet ? StartPhase.Init : StartPhase.TopLevel,
          message.stream,
          message.bytes,
        );
      case "started":
        return this.#started.resolve(message.atEpochMs);
      case "got": {
        const resolve = this.#gets.get(message.id);
        this.#gets.delete(message.id);
        return resolve?.(message.answer);
      }
      case "stopped":
        return this.#markStopped();
      case "progress":
        return this.#onProgress?.(this, message.requests, message.errors);
      case "snapshot":
        return this.#onSnapshot?.(this, message.index, message.snapshot);
      case "report":
        return this.#report.resolve(message.report);
      case "closed":
        return this.#closed.resolve();
      case "failed":
        return this.#fail(message.message, message.exitCode);
      default: {
        const unknown: never = message;
        this.#fail(`thread ${this.index + 1} sent an unknown message: ${JSON.stringify(unknown)}`);
      }
    }
  }

  #fail(message: string, exitCode = 1): void {
    if (this.#failed) return;
    this.#failed = true;
    const error = new Error(message);
    for (const pending of [this.#loaded, this.#initialized, this.#started]) pending.reject(error);
    this.#report.reject(error);
    this.#closed.resolve();
    for (const resolve of this.#gets.values()) resolve(NO_VALUE);
    this.#gets.clear();
    this.#onFailure(this, message, exitCode);
  }
}

/**
 * `promise`'s value, or `fallback` when it rejects or takes longer than `boundMs`, or, with `quiet`, once
 * `quiet.quietForMs()` reaches `quiet.quietMs`; leaves no timer behind.
 */
async function within<T, F>(
  promise: Promise<T>,
  boundMs: number,
  fallback: F,
  quiet?: { quietMs: number; quietForMs: () => number },
): Promise<T | F> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const startedMs = performance.now();
  const late = new Promise<F>((resolve) => {
    const check = () => {
      const leftMs = boundMs - (performance.now() - startedMs);
      const quietLeftMs = quiet === undefined ? Infinity : quiet.quietMs - quiet.quietForMs();
      if (leftMs <= 0 || quietLeftMs <= 0) resolve(fallback);
      else timer = setTimeout(check, Math.min(leftMs, quietLeftMs));
    };
    timer = setTimeout(check, Math.min(boundMs, quiet?.quietMs ?? Infinity));
  });
  try {
    return await Promise.race([promise, late]);
  } catch {
    return fallback;
  } finally {
    clearTimeout(timer);
  }
}

/** `Promise.withResolvers()` whose rejection, if nobody awaits it, does not end the process. */
function observed<T>(): PromiseWithResolvers<T> {
  const resolvers = Promise.withResolvers<T>();
  // Rejections are observed through the run's failure path; an unawaited one must not end the process.
  resolvers.promise.catch(() => {});
  return resolvers;
}
