/**
 * The hosts that run a test's threads: Web Workers, and the main thread itself for a run without a script. A
 * thread is a wrk thread whatever host it runs in: its own Lua state, connections, loop and figures. But each
 * worker is a V8 isolate with its own copy of the code (and of fengari, with a script), so `-t8` on two cores
 * as eight workers costs eight times that memory and warms eight interpreters for the work two can do. A run
 * therefore has one host per core it may use (at most one per thread) and spreads the threads over them
 * (docs/architecture.md#threads-and-workers).
 */
import type { FromThread, FromWorker, ThreadPort, ToWorker } from "./protocol.ts";

/** What a hosted thread's main-side handle is told: its messages, and the worker's failure. */
export interface HostedReceiver {
  receive(message: FromThread): void;
  fail(message: string): void;
}

/**
 * How many workers host `threads` threads: one per core this process may use (`navigator.hardwareConcurrency`,
 * which counts a container's CPU quota), or `maxWorkers` when given; never more than the threads, never none.
 *
 * @example -t8 on a two-core machine
 * ```ts
 * import { workerCount } from "./worker_host.ts";
 *
 * console.log(workerCount(8, 2)); // 2
 * console.log(workerCount(1, 16)); // 1
 * ```
 */
export function workerCount(threads: number, maxWorkers?: number): number {
  const cores = maxWorkers ?? globalThis.navigator?.hardwareConcurrency ?? 1;
  return Math.max(1, Math.min(threads, Math.floor(cores) || 1));
}

/** Where threads run: a worker (`WorkerHost`) or the main thread (`MainThreadHost`). */
export interface ThreadHost {
  /** Routes thread `index`'s messages to `receiver`. */
  attach(index: number, receiver: HostedReceiver): void;
  /** Posts `message`, moving `transfer` (ports) with it. */
  send(message: ToWorker, transfer?: Transferable[]): void;
  /** Thread `index` is done with the host; the last one to go ends it. */
  release(index: number): void;
  /**
   * When the host last sent a message (`performance.now()`; -Infinity before its first): a host that keeps
   * talking is alive, busy with its other threads; one stuck in a script that never returns says nothing.
   */
  readonly lastHeardMs: number;
}

/**
 * What a host speaks the thread protocol through: a `Worker`, or one end of a `MessageChannel` (a
 * `MessagePort`), which post and receive messages alike.
 */
interface HostPort {
  postMessage(message: ToWorker, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<FromWorker>) => void) | null;
  onmessageerror: ((event: MessageEvent) => void) | null;
}

/**
 * The threads of one host and their routing: each message goes to its thread's receiver, and a message for a
 * thread the host does not run, or one that cannot be read, fails them all (the host is then not what the run
 * thinks it is). The last thread to release the host ends it (`end`).
 */
abstract class PortHost implements ThreadHost {
  readonly #port: HostPort;
  readonly #threads = new Map<number, HostedReceiver>();
  readonly #released = new Set<number>();
  lastHeardMs = -Infinity;

  protected constructor(port: HostPort, what: string) {
    this.#port = port;
    port.onmessage = (event) => {
      this.lastHeardMs = performance.now();
      const { thread, ...message } = event.data;
      const receiver = this.#threads.get(thread);
      if (receiver !== undefined) receiver.receive(message as FromThread);
      else this.failAll(() => `${what} sent a message for thread ${thread + 1}, which it does not host`);
    };
    port.onmessageerror = () => this.failAll((index) => `thread ${index + 1} sent an unreadable message`);
  }

  /** Routes thread `index`'s messages to `receiver`. */
  attach(index: number, receiver: HostedReceiver): void {
    this.#threads.set(index, receiver);
  }

  send(message: ToWorker, transfer: Transferable[] = []): void {
    this.#port.postMessage(message, transfer);
  }

  /** Thread `index` is done with the host; the last one to go ends it. */
  release(index: number): void {
    this.#released.add(index);
    if (this.#released.size === this.#threads.size) this.end();
  }

  /** Fails every thread of the host, each with `message(its index)`. */
  protected failAll(message: (index: number) => string): void {
    for (const [index, receiver] of this.#threads) receiver.fail(message(index));
  }

  /** Every thread has released the host. */
  protected abstract end(): void;
}

/** One Web Worker and the threads it hosts; it is terminated when every one of them has let it go. */
export class WorkerHost extends PortHost {
  readonly #worker: Worker;

  /**
   * Starts a worker running `module`, which must serve the thread protocol as `worker_main.ts` does (default:
   * `worker_main.ts` beside this file; see `WorkerThreadOptions.workerModule`).
   */
  constructor(module: string | URL = new URL("./worker_main.ts", import.meta.url)) {
    const worker = new Worker(module, { type: "module" });
    super(worker, "a worker");
    this.#worker = worker;
    worker.onerror = (event: ErrorEvent) => {
      // Without preventDefault an error in a worker ends the whole process (docs/wrk-compat.md#workers).
      event.preventDefault();
      this.failAll((index) => `thread ${index + 1} crashed: ${event.message}`);
    };
  }

  protected end(): void {
    this.#worker.terminate();
  }
}

/**
 * The threads a run hosts on the main thread (`RunOptions.hostOnMainThread`): one V8 isolate fewer than a
 * worker, ~10 MiB at `-t2` (docs/benchmarks.md#memory-per-thread). They speak the same protocol, through a
 * `MessageChannel`, so their messages are copied and arrive as tasks, in order, as a worker's do. Their
 * sockets share the main thread's epoll loop, which hands the thread back to Deno's event loop every few
 * milliseconds (lib/net/_epoll_socket.ts): timers, signals and the workers' messages keep running, timers
 * late by up to tens of milliseconds when the cores are busy. Only without a script (a script's Lua could hold
 * the thread, and nothing could then end the run) and without `RunOptions.onInterval` (see `Run.start`).
 */
export class MainThreadHost extends PortHost {
  readonly #channel: MessageChannel;

  /** `serve`: `serveThreads` of lib/worker/worker_main.ts, which the caller loads. */
  constructor(serve: (port: ThreadPort) => void) {
    const channel = new MessageChannel();
    serve(channel.port2);
    super(channel.port1, "the main thread's host");
    this.#channel = channel;
  }

  /** Closes the channel (an open port keeps the process running). */
  protected end(): void {
    this.#channel.port1.close();
    this.#channel.port2.close();
  }
}
