/**
 * The Web Workers that run a test's threads. A thread is a wrk thread whatever worker it runs in: its own Lua
 * state, connections, loop and figures. But each worker is a V8 isolate with its own copy of the code (and of
 * fengari, with a script), so `-t8` on two cores as eight workers costs eight times that memory and warms
 * eight interpreters for the work two can do. A run therefore starts one worker per core it may use (at most
 * one per thread) and spreads the threads over them (docs/architecture.md#threads-and-workers).
 */
import type { FromThread, FromWorker, ToWorker } from "./protocol.ts";

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

/** One Web Worker and the threads it hosts; it is terminated when every one of them has let it go. */
export class WorkerHost {
  readonly #worker: Worker;
  readonly #threads = new Map<number, HostedReceiver>();
  readonly #released = new Set<number>();

  /**
   * Starts a worker running `module`, which must serve the thread protocol as `worker_main.ts` does (default:
   * `worker_main.ts` beside this file; see `WorkerThreadOptions.workerModule`).
   */
  constructor(module: string | URL = new URL("./worker_main.ts", import.meta.url)) {
    this.#worker = new Worker(module, { type: "module" });
    this.#worker.onmessage = (event: MessageEvent<FromWorker>) => {
      const { thread, ...message } = event.data;
      const receiver = this.#threads.get(thread);
      if (receiver !== undefined) receiver.receive(message as FromThread);
      else this.#failAll(`a worker sent a message for thread ${thread + 1}, which it does not host`);
    };
    this.#worker.onerror = (event: ErrorEvent) => {
      // Without preventDefault an error in a worker ends the whole process (docs/wrk-compat.md#workers).
      event.preventDefault();
      for (const [index, receiver] of this.#threads) {
        receiver.fail(`thread ${index + 1} crashed: ${event.message}`);
      }
    };
    this.#worker.onmessageerror = () => {
      for (const [index, receiver] of this.#threads) {
        receiver.fail(`thread ${index + 1} sent an unreadable message`);
      }
    };
  }

  /** Routes thread `index`'s messages to `receiver`. */
  attach(index: number, receiver: HostedReceiver): void {
    this.#threads.set(index, receiver);
  }

  send(message: ToWorker): void {
    this.#worker.postMessage(message);
  }

  /** Thread `index` is done with the worker; the last one to go terminates it. */
  release(index: number): void {
    this.#released.add(index);
    if (this.#released.size === this.#threads.size) this.#worker.terminate();
  }

  #failAll(message: string): void {
    for (const receiver of this.#threads.values()) receiver.fail(message);
  }
}
