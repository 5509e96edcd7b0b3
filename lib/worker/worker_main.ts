/// <reference lib="deno.worker" />
/**
 * The threads' entry point, run as a Web Worker (or, through `serveThreads`, on the main thread:
 * `MainThreadHost`): for each thread it hosts (one or several: lib/worker/worker_host.ts) it loads the script
 * into the thread's own Lua state, answers `thread:get/set` from the main state, and runs the thread's loop
 * between `start` and `stop`.
 *
 * The worker module for library users (`Run`'s default) and for the command line wherever its entry is still
 * `cli.ts`; in the bundle, where this file is not beside the entry, the entry imports it and is the worker
 * module itself (`WORKER_MODULE` in `cli.ts`).
 */
import { writerOf, writeStderr } from "../_stdout.ts";
import { createTransport, tlsSettings } from "../net/transport.ts";
import { defaultRequest } from "../net/http1/request_bytes.ts";
import { type RequestSource, type ResponseSink, staticRequestSource } from "../net/request_source.ts";
import type { SocketAddress } from "../net/socket.ts";
import type { ThreadScript } from "../script/thread_script.ts";
import type {
  FromThread,
  FromWorker,
  GlobalAnswer,
  OutputStream,
  ThreadPort,
  ToThread,
  ToWorker,
  WorkerSetup,
} from "./protocol.ts";
import { ThreadLoop } from "./thread_loop.ts";
import { loadModule } from "../lazy_modules.ts";
import { isWorkerScope } from "./worker_scope.ts";
import { epochNowMs } from "../net/clock.ts";
import { ERASE_LINE } from "../_terminal.ts";

/** One thread hosted here: its own setup, Lua state, loop and address, as if it had the worker to itself. */
interface Hosted {
  readonly index: number;
  /** Where its messages go. */
  readonly port: ThreadPort;
  setup: WorkerSetup | null;
  script: ThreadScript | null;
  loop: ThreadLoop | null;
  stoppedByScript: boolean;
  /** Where this thread connects (set at `init`); `wrk.thread.addr` in the thread's state reads it. */
  address: SocketAddress | null;
  /** Its messages are handled one at a time, so that `set`s from setup() land before `init`, as in wrk. */
  queue: Promise<void>;
  /** Its connections run (after `start`): output from then on meets the live progress line, if any. */
  running: boolean;
}

/**
 * Serves the thread protocol on `port`: creates each thread as its first message names it, and handles each
 * thread's messages in order. Each port has threads of its own: thread indices are a run's, and two runs on
 * one main thread each have a thread 0.
 */
export function serveThreads(port: ThreadPort): void {
  const hosted = new Map<number, Hosted>();
  port.onmessage = (event: MessageEvent<ToWorker>) => {
    const message = event.data;
    const thread = hostedThread(hosted, port, message.thread);
    thread.queue = thread.queue.then(() => handle(thread, message)).catch((error) => fail(thread, error));
  };
}

function hostedThread(hosted: Map<number, Hosted>, port: ThreadPort, index: number): Hosted {
  let thread = hosted.get(index);
  if (thread === undefined) {
    thread = {
      index,
      port,
      setup: null,
      script: null,
      loop: null,
      stoppedByScript: false,
      address: null,
      queue: Promise.resolve(),
      running: false,
    };
    hosted.set(index, thread);
  }
  return thread;
}

function post(thread: Hosted, message: FromThread): void {
  thread.port.postMessage({ ...message, thread: thread.index } satisfies FromWorker);
}

async function fail(thread: Hosted, error: unknown): Promise<void> {
  // Before "failed", which may end the worker: nothing of the thread stays open (see ThreadLoop.close).
  await thread.loop?.close();
  post(thread, {
    type: "failed",
    message: error instanceof Error ? error.message : String(error),
    exitCode: exitCodeOf(error),
  });
}

/** 1, or the code a script passed to `os.exit()` (a ScriptError carrying `exitCode`). */
function exitCodeOf(error: unknown): number {
  const code = (error as { exitCode?: unknown } | null)?.exitCode;
  return typeof code === "number" ? code : 1;
}

async function load(thread: Hosted, message: WorkerSetup): Promise<void> {
  thread.setup = message;
  const { config } = message;
  if (message.script !== null && config.scriptPath !== null) {
    // Loaded only for a script: fengari and a Lua state are most of a thread's memory (docs/wrk-compat.md#memory).
    const { loadThreadScript } = await loadModule<typeof import("../script/thread_script.ts")>(
      "script/thread_script.ts",
    );
    thread.script = await loadThreadScript({
      path: config.scriptPath,
      source: message.script,
      target: config.target,
      headers: config.headers,
      shard: config.shard,
      args: config.scriptArgs,
      // With `--json -` stdout carries the result document: the script prints to stderr with the report.
      write: scriptWrite(thread, config.jsonPath === "-" ? "stderr" : "stdout", message),
      // io.stderr:write too: it shares the terminal with the progress line.
      writeError: scriptWrite(thread, "stderr", message),
      writePaths: config.writePaths,
      notices: message.notices,
      getAddr: () => thread.address,
      onStop: () => {
        if (thread.stoppedByScript) return;
        thread.stoppedByScript = true;
        thread.loop?.halt();
        post(thread, { type: "stopped" });
      },
    });
  }
  post(thread, { type: "loaded", mainStateNeeded: thread.script?.mainStateNeeded ?? true });
}

/** The default request, built once (the static request when there is no `request()`: docs/wrk-compat.md#delay-request-and-response). */
function staticSource(message: WorkerSetup): RequestSource {
  const { target, headers } = message.config;
  const bytes = defaultRequest(target.path, target.hostHeader, headers);
  return staticRequestSource(bytes);
}

/** Runs init() and makes the thread's loop, which `start` starts: between the two the run's header goes out. */
async function init(thread: Hosted, target: SocketAddress): Promise<void> {
  thread.address = target;
  const current = thread.setup!;
  const { config } = current;
  const script = thread.script;
  let source: RequestSource;
  let sink: ResponseSink | null = null;
  if (script !== null) {
    await script.init();
    source = script.requestSource;
    sink = script.responseSink;
  } else {
    source = staticSource(current);
  }
  // HTTP/2's cycle is loaded only for --http2, as the Lua layer only for a script.
  const http2 = config.http2
    ? (await loadModule<typeof import("../net/http2/connection.ts")>("net/http2/connection.ts"))
      .Http2Connection
    : null;
  const transport = createTransport(
    target,
    tlsSettings(config, current.caCerts, current.pinnedCerts),
    config.epoll,
  );
  try {
    // Before "started": the run's clock starts when every thread has started, and instantiating a module (the
    // -k transport's node:tls) is not part of the run.
    await transport.ready?.();
  } catch (error) {
    // No loop owns the transport yet to close it: release it here (the worker's epoll loop is shared).
    await transport.close?.();
    throw error;
  }
  // Deno sets up an isolate's timers at its first `setTimeout`, which takes milliseconds: done now, or it would
  // be at the start, after the thread's clock and plans started and before its first connects go out.
  clearTimeout(setTimeout(() => {}, 0));
  const scheme = config.target.scheme === "https" ? "https" : "http";
  const loop = new ThreadLoop({
    threadIndex: current.threadIndex,
    threadConnections: current.threadConnections,
    timeoutMs: config.timeoutMs,
    transport,
    source,
    sink,
    onProgress: current.scriptOutput !== null
      ? (requests, errors) => post(thread, { type: "progress", requests, errors })
      : null,
    rate: config.rate === null ? null : {
      // A shard's connections take their places in the whole test's plan (lib/net/connection_place.ts). Over
      // HTTP/2 each stream of a connection is a lane with its own plan, as a connection is in wrk2.
      plan: {
        totalPerSec: config.shard?.rate ?? config.rate,
        connections: config.shard?.connections ?? config.connections,
        lanesPerConnection: config.http2 ? config.streams : 1,
      },
      layout: {
        testConnections: config.shard?.connections ?? config.connections,
        shards: config.shard?.count ?? 1,
        shard: config.shard?.index ?? 0,
        threads: config.threads,
        thread: current.threadIndex,
      },
      batchLatency: config.batchLatency,
    },
    createConnection: http2 === null
      ? undefined
      : (context, pacers) => new http2(context, pacers, { scheme, streams: config.streams }),
  });
  thread.loop = loop;
  loop.failure.catch((error) => fail(thread, error));
  post(thread, { type: "initialized" });
}

/** `WorkerSetup.scriptOutput`'s states: a thread erases the progress line (1), then it is gone for good (2). */
const ERASING = 1;
const ERASED = 2;
/** The longest another thread's erase of the line can hold up output (a bound, in case that thread died). */
const ERASE_WAIT_MS = 100;

/**
 * Where a thread's script writes to `stream`. Before the thread starts (the top level, `init()`), to the main
 * thread, which writes it in wrk's order, thread by thread (lib/run.ts), before the run's header. During the
 * run, with a live progress line on the terminal (`scriptOutput`, shared with the main thread), the first output
 * of any thread sets the shared flag, so that the main thread draws the line no more, then erases it (on
 * stderr, where the line is): script output and the line would otherwise run together on one line.
 */
function scriptWrite(
  thread: Hosted,
  stream: OutputStream,
  { scriptOutput, eraseLine }: Pick<WorkerSetup, "scriptOutput" | "eraseLine">,
): (bytes: Uint8Array) => void {
  const write = writerOf(stream);
  return (bytes) => {
    if (!thread.running) {
      // A copy: the caller may reuse its buffer.
      post(thread, { type: "output", stream, bytes: bytes.slice() });
      return;
    }
    if (scriptOutput === null) {
      write(bytes);
      return;
    }
    if (Atomics.load(scriptOutput, 0) !== ERASED) {
      if (Atomics.compareExchange(scriptOutput, 0, 0, ERASING) === 0) {
        if (eraseLine) writeStderr(new TextEncoder().encode(ERASE_LINE));
        Atomics.store(scriptOutput, 0, ERASED);
        Atomics.notify(scriptOutput, 0);
      } else {
        // Another thread's erase is on its way: this output comes after it, not before.
        Atomics.wait(scriptOutput, 0, ERASING, ERASE_WAIT_MS);
      }
    }
    write(bytes);
  };
}

function start(thread: Hosted, durationMs: number): void {
  // From here the script's output is written as it comes (`scriptWrite`).
  thread.running = true;
  // init() may already have called wrk.thread:stop().
  if (thread.stoppedByScript || thread.loop === null) {
    post(thread, { type: "started", atEpochMs: epochNowMs() });
    return;
  }
  // The moment the loop's plans and samples count from: the run's time counts from it too (a moment read
  // before the loop started, even a few milliseconds, cut that much off the thread's run and its -R plan).
  const atEpochMs = thread.loop.start();
  // The run's end comes once every thread has started (`deadline`, from the first thread's start); until it
  // does, this thread's own start bounds its run, so that a late message cannot make the run run long.
  thread.loop.stopAt(atEpochMs + durationMs);
  post(thread, { type: "started", atEpochMs });
}

/** Global `name` of the thread's state, copied for the main state, or why it cannot be (a function). */
function globalAnswer(script: ThreadScript | null, name: string): GlobalAnswer {
  try {
    return { value: script?.getGlobal(name) ?? null };
  } catch (error) {
    return { refused: error instanceof Error ? error.message : String(error) };
  }
}

function handle(thread: Hosted, message: ToThread): Promise<void> | void {
  const { script, loop } = thread;
  switch (message.type) {
    case "load":
      return load(thread, message.setup);
    case "set":
      script?.setGlobal(message.name, message.value);
      return;
    case "get":
      post(thread, { type: "got", id: message.id, answer: globalAnswer(script, message.name) });
      return;
    case "getNow": {
      const { port, flag } = message.answer;
      port.postMessage(globalAnswer(script, message.name));
      port.close();
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
      return;
    }
    case "init":
      return init(thread, message.address);
    case "start":
      return start(thread, message.durationMs);
    case "deadline":
      loop?.stopAt(message.atEpochMs);
      return;
    case "halt":
      thread.stoppedByScript = true;
      loop?.halt();
      return;
    case "snapshot": {
      // A halted thread still answers (its counts no longer change); one never started has recorded nothing.
      const snapshot = loop?.snapshot() ?? { latency: new Float64Array(0), uncorrectedLatency: null };
      post(thread, { type: "snapshot", index: message.index, snapshot });
      return;
    }
    case "stop": {
      const report = loop?.stop();
      // What response() or request() wrote to files is on disk before the run's figures are.
      script?.flushFiles();
      if (report !== undefined) post(thread, { type: "report", report });
      // After the report, so that the run's time does not include it (see ThreadLoop.stop); "closed" once
      // nothing of the thread is open, since the host may end the worker then.
      return (loop?.close() ?? Promise.resolve()).then(() => post(thread, { type: "closed" }));
    }
    default: {
      const unknown: never = message;
      throw new Error(`unknown message ${JSON.stringify(unknown)}`);
    }
  }
}

// Installed while the module loads, before any await: the first message can follow `new Worker()` at once, and
// one that arrives before a handler exists is lost. Only inside a worker: the command line's entry imports
// this module on the main thread too, because that entry is also the worker module (see cli.ts).
if (isWorkerScope()) serveThreads(self);
