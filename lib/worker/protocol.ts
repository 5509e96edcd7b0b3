/**
 * Messages between the main thread and the threads in its Web Workers. Every message is a member of one of
 * these discriminated unions, addressed to or from one thread (`thread`: its index, as `WorkerSetup.threadIndex`)
 * since a worker may host several threads (lib/worker/worker_host.ts); both sides switch on `type` with an
 * exhaustive check.
 */
import type { Config } from "../config/config.ts";
import type { TransferValue } from "../script/transfer.ts";
import type { SocketAddress } from "../net/socket.ts";
import type { ErrorCounts, ErrorReason } from "../stats/error_counts.ts";
import type { StatusCodes } from "../stats/status_codes.ts";

/** What a worker needs to load: the run's configuration and its own share of connections. */
export interface WorkerSetup {
  threadIndex: number;
  /** This thread's share of `config.connections` (the total over all threads). */
  threadConnections: number;
  /**
   * With a live progress line (the thread then posts `progress` messages during the run): a flag shared with
   * the main thread (`Int32Array` over a `SharedArrayBuffer`), set by the first thread whose script writes
   * during the run, which also erases the line (1 while it does, 2 once done: other threads' output waits for
   * it); the line is drawn no more once it is set. Null without a progress line.
   */
  scriptOutput: Int32Array | null;
  /**
   * The progress line is on standard error (`RunOptions.progressLineOnStderr`): the thread whose script writes
   * first during the run erases it there. Otherwise `scriptOutput` only tells the caller.
   */
  eraseLine: boolean;
  /** With a script: the run's notices, shared by all its Lua states, each said once (lib/script/notices.ts). */
  notices: Int32Array | null;
  config: Config;
  /** The script's bytes, read once by the main thread (null: no script). */
  script: Uint8Array | null;
  /** PEM text of `--cacert`, read once by the main thread. */
  caCerts: string[];
  /** `-k`: the server's certificates to trust on Deno's TLS, from the pre-flight; null: node:tls (or no `-k`). */
  pinnedCerts: string[] | null;
}

/** A thread's figures at the end of its run. */
export interface ThreadReport {
  threadIndex: number;
  /**
   * When it stopped counting (its deadline, a `stop`, or the script's `thread:stop()`), in ms since the Unix
   * epoch: the clock all threads share, as `started`'s.
   */
  stoppedAtEpochMs: number;
  requests: number;
  bytesRead: number;
  errors: ErrorCounts;
  /** Socket errors by category and reason. */
  errorReasons: ErrorReason[];
  /** Responses by status code (only the codes seen). */
  statusCodes: StatusCodes;
  /** `Recorder.counts()` of the latency samples (µs) and of the 100 ms rate samples. */
  latency: Float64Array;
  requestRate: Float64Array;
  /**
   * HTTP/2: the lowest stream limit (SETTINGS_MAX_CONCURRENT_STREAMS) a server set below `--streams`
   * (`ThreadCounters.streamLimit`); null when none did, and over HTTP/1.1.
   */
  streamLimit: number | null;
  /**
   * With `-R`: the latency samples from each actual write, and how the plan was kept (`requestsDue`: the
   * requests the thread's plan had due before it stopped).
   */
  rate:
    | {
      uncorrectedLatency: Float64Array;
      batches: number;
      lateBatches: number;
      requestsSent: number;
      requestsDue: number;
      /** Requests that failed again after their timeout was counted (`ThreadCounters.errorsAfterTimeout`). */
      errorsAfterTimeout: number;
      /** The thread's CPU time over the time it ran (its host's, lib/net/clock.ts `threadCpuMs`); null where unknown. */
      busyShare: number | null;
      /** The time its OS thread waited for a core over the time it ran (`threadCoreWaitMs`); null where unknown. */
      coreWaitShare: number | null;
    }
    | null;
}

/**
 * A thread's latency counts so far (`Recorder.counts()`, in µs): the main thread subtracts one snapshot from
 * the next to get what the thread recorded in between (lib/merge/interval_merge.ts).
 */
export interface LatencySnapshot {
  latency: Float64Array;
  /** With `-R`: the latency from each actual write; null for the closed loop. */
  uncorrectedLatency: Float64Array | null;
}

/**
 * A thread's answer to `get`/`getNow`: a copy of the global, or why it cannot be copied (`cannot transfer
 * 'function' to thread`), which the main state raises where the script asked.
 */
export type GlobalAnswer = { value: TransferValue } | { refused: string };

/**
 * Where a thread answers at once while the main thread blocks (`getNow`): a port the main thread takes the
 * value from without its event loop (node:worker_threads' `receiveMessageOnPort`), and a flag over a
 * `SharedArrayBuffer` it waits on with `Atomics.wait`.
 */
export interface ImmediateAnswer {
  port: MessagePort;
  flag: Int32Array;
}

/** Main thread → a thread in a worker. */
export type ToWorker = ToThread & { thread: number };

/** What the main thread tells a thread. */
export type ToThread =
  | { type: "load"; setup: WorkerSetup }
  | { type: "set"; name: string; value: TransferValue }
  | { type: "get"; id: number; name: string }
  /**
   * `thread:get` where the main state cannot wait for a message (`ThreadHandle.getNow`): the `GlobalAnswer`
   * goes on `answer.port` (transferred with this message), then `answer.flag` turns 1 and is notified.
   */
  | { type: "getNow"; name: string; answer: ImmediateAnswer }
  /** Run `init()` and make the connections to `address` ready, without starting them (answered by `initialized`). */
  | { type: "init"; address: SocketAddress }
  /**
   * Once every thread has run init() (and the run's header is out): start the connections, and stop counting
   * `durationMs` after this start at the latest (`deadline` brings the run's own end, from the first thread's).
   */
  | { type: "start"; durationMs: number }
  /** Once every thread has started: the run ends at `atEpochMs` (ms since the Unix epoch); stop counting then. */
  | { type: "deadline"; atEpochMs: number }
  /** `thread:stop()` from the main state: stop sending, keep the figures until `stop`. */
  | { type: "halt" }
  /**
   * `--hdr-log` (`RunOptions.onInterval`): answer with the latency counts so far, as cut `index` (1, 2, … once
   * a second from the run's start); the thread does nothing for it until asked.
   */
  | { type: "snapshot"; index: number }
  | { type: "stop" };

/** Where a script's `print` (stdout, or stderr with `--json -`) or `io.stderr:write` goes. */
export type OutputStream = "stdout" | "stderr";

/** A thread in a worker → main thread. */
export type FromWorker = FromThread & { thread: number };

/** What a thread tells the main thread. */
export type FromThread =
  /** The script's top level ran; whether the run needs the main Lua state for it (`ThreadScript.mainStateNeeded`). */
  | { type: "loaded"; mainStateNeeded: boolean }
  | { type: "got"; id: number; answer: GlobalAnswer }
  /** init() ran and the connections are ready to start. */
  | { type: "initialized" }
  /**
   * What the script wrote before the thread started (its top level, `init()`), to `stream`: the main thread
   * writes it in wrk's order, thread by thread (`StartOutput`), not as the workers happen to run.
   */
  | { type: "output"; stream: OutputStream; bytes: Uint8Array }
  /**
   * The thread's connections are running since `atEpochMs` (ms since the Unix epoch: the clock all threads
   * share): the run's time counts from the first thread's, and `-R`'s plans from each thread's.
   */
  | { type: "started"; atEpochMs: number }
  /** During the run, a few times a second when asked (`WorkerSetup.scriptOutput`): the thread's totals so far. */
  | { type: "progress"; requests: number; errors: number }
  /** The answer to a `snapshot` request: the thread's counts so far (`LatencySnapshot`), for cut `index`. */
  | { type: "snapshot"; index: number; snapshot: LatencySnapshot }
  /** The script called `wrk.thread:stop()`: the thread's connections have stopped sending. */
  | { type: "stopped" }
  | { type: "report"; report: ThreadReport }
  /** After the report: every socket of the thread is closed, it may be terminated. */
  | { type: "closed" }
  /** A script or internal error that ends this thread; `message` is one line for the user. */
  | { type: "failed"; message: string; exitCode: number };

/**
 * Where a host's threads talk to the main thread's `Run`: the worker's global scope, or (for the threads a run
 * hosts on the main thread itself, `RunOptions.hostOnMainThread`) one end of a `MessageChannel`. Either way
 * messages are copied and arrive in order, as tasks of their own.
 */
export interface ThreadPort {
  postMessage(message: FromWorker): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
}
