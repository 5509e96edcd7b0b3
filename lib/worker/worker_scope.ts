/**
 * How a program tells whether it was started as a wrk-deno thread (a Web Worker) or as the program itself.
 *
 * In the bundle the command line starts its threads with `new Worker(<its own entry module>)` (see
 * `WORKER_MODULE` in `cli.ts`), so the one file that is the program is also the thread; this check is how that
 * file knows which of the two it is.
 *
 * @module
 */

type WorkerScopeClass = abstract new () => unknown;

/**
 * True when the calling code runs inside a Web Worker, false on the main thread. `WorkerGlobalScope` is
 * defined only in workers, and the worker's global object is an instance of it.
 *
 * @example On the main thread
 * ```ts
 * import { isWorkerScope } from "./worker_scope.ts";
 *
 * if (!isWorkerScope()) console.log("main thread");
 * ```
 */
export function isWorkerScope(): boolean {
  const scope = (globalThis as { WorkerGlobalScope?: WorkerScopeClass }).WorkerGlobalScope;
  return scope !== undefined && globalThis instanceof scope;
}
