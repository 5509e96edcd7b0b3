/**
 * Lets Lua code that looks synchronous call async JS (`thread:get`, `wrk.lookup`, `wrk.connect`): the top
 * level and the rarely-called hooks run in one reused coroutine; a JS function that needs to wait yields it,
 * the runner awaits the promise and resumes it with the results (docs/wrk-compat.md#waiting-inside-lua).
 *
 * @module
 */

import { writeStderr } from "../_stdout.ts";
import { lua, type LuaState, raise, ref, REGISTRY, unref } from "./fengari/_lua.ts";
import { errorFromStack, loadChunk } from "./_state.ts";
import type { ScriptError } from "./script_error.ts";
import { claimNotice, Notice } from "./notices.ts";

const encoder = new TextEncoder();

/** The notice of each call the runner makes ("": the top level), said once per run across its states. */
const LONG_CALL_NOTICES: Readonly<Record<string, Notice>> = {
  "": Notice.TopLevelRunsLong,
  init: Notice.InitRunsLong,
  setup: Notice.SetupRunsLong,
  done: Notice.DoneRunsLong,
};

/** Pushes the results of a finished async call onto the waiting coroutine; returns how many. */
export type PushResults = (L: LuaState) => number;

/** What a waiting JS function gets back: results to push, or a message to raise in Lua. */
type Settled = { push: PushResults } | { error: string };

/**
 * Runs Lua functions in a coroutine, one call at a time, and drives the async calls made inside them.
 *
 * @example Calling a hook that may wait
 * ```ts ignore
 * const runner = new CoroutineRunner(L, "script.lua");
 * lua.lua_getglobal(L, "setup");
 * const fnRef = ref(L);
 * await runner.call(fnRef, "setup", (co) => { pushThread(co); return 1; });
 * ```
 */
export class CoroutineRunner {
  /**
   * After this much Lua running time in one call, a line on standard error says the call is still running and
   * how to stop it: a loop that never ends then does not look like a hang, while real work (a done() that
   * writes every latency of a long run as JSON, a top level that reads a million URLs: seconds in LuaJIT,
   * longer on fengari) carries on and finishes.
   */
  static noticeMs = 10_000;
  /**
   * How long one call may run Lua code (time spent waiting for async calls does not count): past it, a loop in
   * the top level, init(), setup() or done() becomes a clean error, so that an unattended run (CI) ends.
   */
  static boundMs = 600_000;
  /** Where the notice goes: standard error (a test may catch it). */
  static notify: (line: string) => void = (line) => writeStderr(encoder.encode(line));
  readonly #L: LuaState;
  /** Lua running time of the current call so far, and when its current resume started. */
  #ranMs = 0;
  #resumedAtMs = 0;
  #hook: string | null = null;
  /** Whether this call has had its notice (`noticeMs`). */
  #noticed = false;
  readonly #path: string;
  readonly #notices: Int32Array | null;
  #co: LuaState | null = null;
  #coRef = -1;
  #pending: Promise<Settled> | null = null;
  #settled: Settled | null = null;
  #queue: Promise<unknown> = Promise.resolve();

  /**
   * Creates a runner for the main state `L`; `path` names the script in error messages; `notices`, the run's
   * shared flags, make the notice that a call runs long once per run (`notices.ts`).
   */
  constructor(L: LuaState, path: string, notices: Int32Array | null = null) {
    this.#L = L;
    this.#path = path;
    this.#notices = notices;
  }

  /**
   * Calls the function held by registry reference `fnRef` with the arguments `pushArgs` pushes onto the
   * coroutine, waiting for every async call it makes. Calls are queued, never interleaved.
   *
   * @returns whatever `readResults` makes of the results (undefined without it).
   * @throws {ScriptError} naming `hook` (null for the top level) when the function raises an error.
   */
  /**
   * Compiles the script and runs its top level; closes the state when either fails (nobody else will).
   * `inspect`, when given, sees the compiled chunk on top of the stack before it runs (and leaves it there).
   */
  async runScript(source: Uint8Array, inspect?: (L: LuaState) => void): Promise<void> {
    try {
      loadChunk(this.#L, this.#path, source);
      inspect?.(this.#L);
      await this.call(ref(this.#L), null);
    } catch (error) {
      lua.lua_close(this.#L);
      throw error;
    }
  }

  call<T = undefined>(
    fnRef: number,
    hook: string | null,
    pushArgs: (co: LuaState) => number = () => 0,
    readResults?: (co: LuaState, count: number) => T,
  ): Promise<T> {
    const run = this.#queue.then(() => this.#run(fnRef, hook, pushArgs, readResults));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Whether a JS function called by Lua on `L` can wait (`wait`) there. */
  canWait(L: LuaState): boolean {
    return L === this.#co && lua.lua_isyieldable(L);
  }

  /**
   * Starts `promise` from a JS function called by Lua and yields until it settles; call it as
   * `return runner.wait(L, "thread:get()", promise, push)`. Raises a clean Lua error where waiting is
   * impossible (a per-request hook, a `table.sort` comparator, a coroutine of the script's own).
   */
  wait<T>(L: LuaState, what: string, promise: Promise<T>, push: (L: LuaState, value: T) => number): number {
    if (!this.canWait(L)) {
      // Nobody will await it: keep a rejection from becoming an unhandled one.
      promise.catch(() => undefined);
      return raise(L, `${what} cannot wait here (only at the top level and in init, setup and done)`);
    }
    this.#pending = promise.then(
      (value): Settled => ({ push: (co) => push(co, value) }),
      (error): Settled => ({ error: error instanceof Error ? error.message : String(error) }),
    );
    return lua.lua_yieldk(L, 0, 0, this.#resumed);
  }

  /** Continuation of a waiting JS function: push its results, or raise its error at the Lua call site. */
  readonly #resumed = (L: LuaState): number => {
    const settled = this.#settled;
    this.#settled = null;
    if (settled === null) return raise(L, "internal error: resumed without a result");
    if ("error" in settled) return raise(L, settled.error);
    return settled.push(L);
  };

  async #run<T>(
    fnRef: number,
    hook: string | null,
    pushArgs: (co: LuaState) => number,
    readResults?: (co: LuaState, count: number) => T,
  ): Promise<T> {
    const co = this.#coroutine();
    lua.lua_rawgeti(co, REGISTRY, fnRef);
    this.#hook = hook;
    this.#ranMs = 0;
    this.#noticed = false;
    this.#resumedAtMs = performance.now();
    let status = lua.lua_resume(co, this.#L, pushArgs(co));
    this.#ranMs += performance.now() - this.#resumedAtMs;
    while (status === lua.LUA_YIELD) {
      const pending = this.#pending;
      this.#pending = null;
      if (pending === null) {
        // The script called coroutine.yield() outside a coroutine of its own: there is nothing to resume.
        this.#discard();
        lua.lua_pushstring(this.#L, "attempt to yield from outside a coroutine");
        throw this.#error(hook);
      }
      this.#settled = await pending;
      this.#resumedAtMs = performance.now();
      status = lua.lua_resume(co, this.#L, 0);
      this.#ranMs += performance.now() - this.#resumedAtMs;
    }
    if (status !== lua.LUA_OK) {
      // The coroutine is dead now: describe its error from the main state and start a fresh one next time.
      lua.lua_xmove(co, this.#L, 1);
      this.#discard();
      throw this.#error(hook);
    }
    const count = lua.lua_gettop(co);
    try {
      return readResults ? readResults(co, count) : undefined as T;
    } finally {
      lua.lua_settop(co, 0);
    }
  }

  readonly #checkBound = (L: LuaState): void => {
    const ranMs = this.#ranMs + performance.now() - this.#resumedAtMs;
    if (ranMs > CoroutineRunner.noticeMs && !this.#noticed) {
      this.#noticed = true;
      const where = this.#hook === null ? "its top level" : `${this.#hook}()`;
      const notice = LONG_CALL_NOTICES[this.#hook ?? ""];
      if (notice === undefined || claimNotice(this.#notices, notice)) {
        CoroutineRunner.notify(
          `${this.#path}: ${where} is still running after ${
            seconds(CoroutineRunner.noticeMs)
          } of Lua (a loop that never ends? Ctrl-C stops it; it is stopped after ${
            seconds(CoroutineRunner.boundMs)
          })\n`,
        );
      }
    }
    if (ranMs <= CoroutineRunner.boundMs) return;
    // Errors from a hook are already prefixed "in <hook>():"; only the top level needs naming.
    const what = this.#hook === null ? "the script's top level " : "";
    raise(L, `${what}did not finish within ${seconds(CoroutineRunner.boundMs)} (does it loop forever?)`);
  };

  #error(hook: string | null): ScriptError {
    const error = errorFromStack(this.#L, this.#path, hook);
    lua.lua_pop(this.#L, 1);
    return error;
  }

  #coroutine(): LuaState {
    if (this.#co === null) {
      this.#co = lua.lua_newthread(this.#L);
      this.#coRef = ref(this.#L);
      // Every 100k instructions: cheap enough to leave on, frequent enough to stop a loop soon after the
      // bound (docs/benchmarks.md#measurements-behind-the-code).
      lua.lua_sethook(this.#co, this.#checkBound, lua.LUA_MASKCOUNT, 100_000);
    }
    return this.#co;
  }

  #discard(): void {
    if (this.#co === null) return;
    unref(this.#L, this.#coRef);
    this.#co = null;
    this.#coRef = -1;
  }
}

/** `ms` as the shortest of "0.2s", "10s", "10m". */
function seconds(ms: number): string {
  return ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / 1000}s`;
}
