/**
 * What scripts write before a run starts, in wrk's order. wrk runs the main state's top level, then, in its
 * main thread and one thread after another, each thread's top level, then `setup()` with it in the main state,
 * then its `init()`; only then do the threads start, and it prints its `Running …` header. Here the threads' top levels and `init()`s run in
 * workers at the same time, so their output would come in whatever order the workers ran (`thread 2 created`
 * before `thread 1 created`, with wrk's own setup.lua). Each piece of output is written at once when it is
 * next in wrk's order, and held until then otherwise: a thread that prints and then hangs is still seen.
 *
 * @module
 */

/** The three parts of a thread's start, in wrk's order. */
export const enum StartPhase {
  /** The thread's Lua state runs the script's top level. */
  TopLevel = 0,
  /** The main state's `setup(thread)`. */
  Setup = 1,
  /** The thread's `init(args)`. */
  Init = 2,
}

const PHASES = 3;
/** The main state's top level comes before every thread's part. */
const MAIN = 0;

/**
 * Orders the output of `threads` threads' starts.
 *
 * @example Thread 2's init() printed first, and comes out after thread 1's
 * ```ts
 * import { StartOutputOrder, StartPhase } from "./start_output.ts";
 *
 * const written: string[] = [];
 * const order = new StartOutputOrder(2);
 * order.mainDone();
 * for (const thread of [0, 1]) {
 *   order.done(thread, StartPhase.TopLevel);
 *   order.done(thread, StartPhase.Setup);
 * }
 * order.write(1, StartPhase.Init, () => written.push("init 2"));
 * order.write(0, StartPhase.Init, () => written.push("init 1"));
 * order.done(1, StartPhase.Init);
 * order.done(0, StartPhase.Init);
 * console.log(written.join(", ")); // init 1, init 2
 * ```
 */
export class StartOutputOrder {
  readonly #parts: number;
  /** The part whose output is written as it comes: the first not done. */
  #current = 0;
  readonly #done: boolean[] = [];
  /** Output of later parts, by part. */
  readonly #held = new Map<number, (() => void)[]>();
  /** After `end()`: everything is written as it comes. */
  #ended = false;

  constructor(threads: number) {
    this.#parts = 1 + threads * PHASES;
  }

  /** Output of `phase` of `thread`: `writeIt` now, when it is next in wrk's order, else once it is. */
  write(thread: number, phase: StartPhase, writeIt: () => void): void {
    this.#write(1 + thread * PHASES + phase, writeIt);
  }

  /** Output of the main state's top level (or later, once the start is over): as `write`. */
  writeMain(writeIt: () => void): void {
    this.#write(MAIN, writeIt);
  }

  #write(part: number, writeIt: () => void): void {
    if (this.#ended || part <= this.#current) {
      writeIt();
      return;
    }
    const held = this.#held.get(part);
    if (held === undefined) this.#held.set(part, [writeIt]);
    else held.push(writeIt);
  }

  /** `phase` of `thread` is over: the output held for the parts after it, up to one not over, is written. */
  done(thread: number, phase: StartPhase): void {
    this.#markDone(1 + thread * PHASES + phase);
  }

  /** The main state's top level ran, or there is no main state: as `done`. */
  mainDone(): void {
    this.#markDone(MAIN);
  }

  #markDone(part: number): void {
    this.#done[part] = true;
    while (this.#current < this.#parts && this.#done[this.#current]) this.#advance();
  }

  /** The start is over, or failed: everything held is written, in wrk's order, and the rest as it comes. */
  end(): void {
    while (this.#current < this.#parts) this.#advance();
    this.#ended = true;
  }

  #advance(): void {
    this.#current++;
    const held = this.#held.get(this.#current);
    if (held === undefined) return;
    this.#held.delete(this.#current);
    for (const writeIt of held) writeIt();
  }
}
