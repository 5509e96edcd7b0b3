/**
 * The main Lua state (docs/wrk-compat.md#lua-states): runs the script once for `setup(thread)` before the threads start and
 * `done(summary, latency, requests)` after the report. Both hooks, and the top level, may wait on
 * `thread:get`, `wrk.lookup` and `wrk.connect`.
 *
 * @module
 */

// Only the main state's module (loaded on demand) takes a node: module: no thread loads it.
import { receiveMessageOnPort } from "node:worker_threads";
import { lua, type LuaState, ref, unref } from "./fengari/_lua.ts";
import type { Target } from "../config/config.ts";
import type { RunResult } from "../run_result.ts";
import { newState, type ScriptState } from "./_state.ts";
import { CoroutineRunner } from "./_coroutine_runner.ts";
import { installWrkTable } from "./_wrk_table.ts";
import { installHandleThreadType, pushHandleThread } from "./_thread_userdata.ts";
import { installStatsType, pushStats, rateModeStatsView } from "./_stats_userdata.ts";
import type { ReceiveNow, ThreadHandle } from "./thread_handle.ts";

export type { Addr, ThreadHandle } from "./thread_handle.ts";

/** Deno's `receiveMessageOnPort` takes the web `MessagePort`s threads answer on, not only Node's. */
const receiveNow: ReceiveNow = (port) => receiveMessageOnPort(port as never);

/** What the main state is made from. */
export interface MainScriptOptions {
  /** The script's path: its chunk name, so messages read `<path>:<line>: …`. */
  path: string;
  /** The script's bytes (the caller reads the file). */
  source: Uint8Array;
  target: Target;
  /** `-H` headers, in command-line order. */
  headers: [string, string][];
  /** This process's shard of the test (`wrk.shard`); absent or null: the whole test. */
  shard?: { index: number; count: number } | null;
  /** Where `print` and `io.write` go (stdout). */
  write: (bytes: Uint8Array) => void;
  /** `--write` paths: where the script may write files (default: nowhere, see `compat/_files.ts`). */
  writePaths?: readonly string[];
  /** The run's notices, shared by all its states (`notices.ts`): each said once per run. Absent: per state. */
  notices?: Int32Array | null;
}

/**
 * How many main states were made in this isolate, for tests: a run skips it when no thread needs it
 * (`ThreadScript.mainStateNeeded`, lib/run.ts).
 */
export const mainScriptProbe = { loads: 0 };

/** The loaded main state. */
export interface MainScript {
  /** Does the script define `setup`? */
  readonly hasSetup: boolean;
  /** Does the script define `done`? */
  readonly hasDone: boolean;
  /** Does the script define `delay`? (With `-R` it is not called: the plan decides when requests go.) */
  readonly hasDelay: boolean;
  /**
   * Calls `setup(thread)` with a thread userdata over `thread` (no-op without `setup`).
   *
   * @throws {ScriptError} naming `setup` when it fails.
   */
  setup(thread: ThreadHandle): Promise<void>;
  /**
   * Calls `done(summary, latency, requests)` (no-op without `done`).
   *
   * @throws {ScriptError} naming `done` when it fails.
   */
  done(result: RunResult): Promise<void>;
  /** Releases the state. */
  close(): void;
}

/**
 * Creates the main state (compatibility shim, `wrk` table without `thread`) and runs the script's top level.
 *
 * @throws {ScriptError} when the script does not compile or its top level fails.
 *
 * @example Running setup and done
 * ```ts ignore
 * const script = await loadMainScript({ path, source, target, headers: [], write });
 * if (script.hasSetup) for (const handle of handles) await script.setup(handle);
 * // … run …
 * await script.done(result);
 * script.close();
 * ```
 */
export async function loadMainScript(options: MainScriptOptions): Promise<MainScript> {
  mainScriptProbe.loads++;
  const notices = options.notices ?? null;
  const state = newState({ write: options.write, writePaths: options.writePaths, notices });
  const L = state.L;
  const runner = new CoroutineRunner(L, options.path, notices);
  installHandleThreadType(L, runner, receiveNow);
  installStatsType(L);
  installWrkTable(L, { target: options.target, headers: options.headers, shard: options.shard, runner });
  await runner.runScript(options.source);
  return new LuaMainScript(state, runner);
}

class LuaMainScript implements MainScript {
  readonly #L: LuaState;
  readonly #state: ScriptState;
  readonly #runner: CoroutineRunner;
  #closed = false;

  constructor(state: ScriptState, runner: CoroutineRunner) {
    this.#state = state;
    this.#L = state.L;
    this.#runner = runner;
  }

  get hasSetup(): boolean {
    return this.#isFunction("setup");
  }

  get hasDelay(): boolean {
    return this.#isFunction("delay");
  }

  get hasDone(): boolean {
    return this.#isFunction("done");
  }

  async setup(thread: ThreadHandle): Promise<void> {
    await this.#callHook("setup", (co) => {
      pushHandleThread(co, thread);
      return 1;
    });
  }

  async done(result: RunResult): Promise<void> {
    await this.#callHook("done", (co) => {
      // Floats throughout: fengari's integers are 32-bit, and byte totals and durations exceed them.
      lua.lua_createtable(co, 0, 4);
      setNumber(co, "duration", result.runtimeUs);
      setNumber(co, "requests", result.requests);
      setNumber(co, "bytes", result.bytesRead);
      lua.lua_createtable(co, 0, 5);
      const { connect, read, write, status, timeout } = result.errors;
      setNumber(co, "connect", connect);
      setNumber(co, "read", read);
      setNumber(co, "write", write);
      setNumber(co, "status", status);
      setNumber(co, "timeout", timeout);
      lua.lua_setfield(co, -2, "errors");
      // A -R run's stats by wrk2's rules, the figures its report prints.
      const rateMode = result.rate !== null;
      pushStats(co, rateMode ? rateModeStatsView(result.latency) : result.latency);
      pushStats(co, rateMode ? rateModeStatsView(result.requestRate) : result.requestRate);
      return 3;
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#state.close();
  }

  #isFunction(name: string): boolean {
    this.#checkOpen();
    const type = lua.lua_getglobal(this.#L, name);
    lua.lua_pop(this.#L, 1);
    return type === lua.LUA_TFUNCTION;
  }

  async #callHook(name: string, pushArgs: (co: LuaState) => number): Promise<void> {
    this.#checkOpen();
    const L = this.#L;
    if (lua.lua_getglobal(L, name) !== lua.LUA_TFUNCTION) {
      lua.lua_pop(L, 1);
      return;
    }
    const fnRef = ref(L);
    try {
      await this.#runner.call(fnRef, name, pushArgs);
    } finally {
      if (!this.#closed) unref(L, fnRef);
    }
  }

  #checkOpen(): void {
    if (this.#closed) throw new Error("MainScript is closed");
  }
}

function setNumber(L: LuaState, key: string, value: number): void {
  lua.lua_pushnumber(L, value);
  lua.lua_setfield(L, -2, key);
}
