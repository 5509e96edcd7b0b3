/**
 * A thread's Lua state (docs/wrk-compat.md#phase-order): the script run with `wrk.thread`, then `init(args)`, the static request,
 * and the per-request hooks behind the {@linkcode RequestSource} / {@linkcode ResponseSink} seam the connection
 * loop uses. Hooks are probed once and called through cached registry references (docs/wrk-compat.md#calling-hooks).
 *
 * @module
 */

import { toText } from "./compat/_to_text.ts";
import {
  densifyStack,
  lua,
  type LuaState,
  pcall,
  ref,
  REGISTRY,
  stackLength,
  typeName,
} from "./fengari/_lua.ts";
import { baseType, popValue, pushRegistryValue, topValue, type TString } from "./fengari/_direct.ts";
import type { Target } from "../config/config.ts";
import type { RequestSource, ResponseSink } from "../net/request_source.ts";
import { errorFromStack, newState, type ScriptState } from "./_state.ts";
import { CoroutineRunner } from "./_coroutine_runner.ts";
import { installWrkTable } from "./_wrk_table.ts";
import { installOwnThreadType, pushOwnThread } from "./_thread_userdata.ts";
import { LuaResponseSink } from "./_response_sink.ts";
import { countRequests, RequestFormatError } from "./_request_counter.ts";
import { type StaticRequest, staticRequest } from "./_static_request.ts";
import { pushTransfer, readTransfer, type TransferValue } from "./transfer.ts";
import { mainStateNeeded } from "./_main_state_needed.ts";
import { ScriptError } from "./script_error.ts";
import type { Addr } from "./thread_handle.ts";

/** What a thread's script state is made from. */
export interface ThreadScriptOptions {
  /** The script's path: its chunk name, so messages read `<path>:<line>: …`. */
  path: string;
  /** The script's bytes (the caller reads the file). */
  source: Uint8Array;
  target: Target;
  /** `-H` headers, in command-line order. */
  headers: [string, string][];
  /** This process's shard of the test (`wrk.shard`); absent or null: the whole test. */
  shard?: { index: number; count: number } | null;
  /** Script arguments after `--` (`args[1..n]` in `init`). */
  args: string[];
  /** Where `print` and `io.write` go (stdout). */
  write: (bytes: Uint8Array) => void;
  /** Where `io.stderr:write` goes; absent: the process's stderr. */
  writeError?: (bytes: Uint8Array) => void;
  /** `--write` paths: where the script may write files (default: nowhere, see `compat/_files.ts`). */
  writePaths?: readonly string[];
  /** The run's notices, shared by all its states (`notices.ts`): each said once per run. Absent: per state. */
  notices?: Int32Array | null;
  /** Called (once) when the script calls `wrk.thread:stop()`. */
  onStop: () => void;
  /**
   * The thread's address as chosen by the main state's `setup` (`wrk.thread.addr`, which wrk's `addr.lua`
   * prints in `init`). Read when the script asks; without it `wrk.thread.addr` is nil.
   */
  getAddr?: () => Addr | null;
}

/** A loaded thread state. */
export interface ThreadScript {
  /** Copies global `name` out of this state (`thread:get` from the main state). */
  getGlobal(name: string): TransferValue;
  /** Copies `value` into global `name` (`thread:set` from the main state). */
  setGlobal(name: string, value: TransferValue): void;
  /**
   * Sets the default `Host` header, calls `init(args)`, builds the static request with `wrk.format()`, probes
   * the hooks and counts the pipeline depth (calling `request()` once; that result is the first one sent).
   *
   * @throws {ScriptError} from `init`, the first `request()`, or a first request that is not valid HTTP.
   */
  init(): Promise<void>;
  /** The request side of the seam; valid after {@linkcode ThreadScript.init}. Its hooks throw `ScriptError`. */
  readonly requestSource: RequestSource;
  /** Null when the script has no `response()`, so the loop can skip collecting headers and bodies. */
  readonly responseSink: ResponseSink | null;
  /**
   * Writes out what the script's open files hold, when the thread stops: the state itself stays, for
   * `thread:get` from `done()`.
   */
  flushFiles(): void;
  /**
   * Whether the run needs the main state (`main_script.ts`) for this script: false when its top level does
   * nothing the main state would show and it defines no `setup`, `done` or `delay` (`_main_state_needed.ts`).
   */
  readonly mainStateNeeded: boolean;
  /**
   * `request()` calls made so far. A hook proven static (`_static_request.ts`) is called once, at `init()`,
   * and its result read after that: tests check this count.
   */
  readonly requestHookCalls: number;
  /** Releases the state. */
  close(): void;
}

/**
 * Creates a thread's state (compatibility shim, `wrk` table with `wrk.thread`) and runs the script's top level.
 *
 * @throws {ScriptError} when the script does not compile or its top level fails.
 *
 * @example Loading a script and taking its first request
 * ```ts ignore
 * const script = await loadThreadScript({ path, source, target, headers: [], args: [], write, onStop });
 * await script.init();
 * const bytes = script.requestSource.nextRequest();
 * ```
 */
export async function loadThreadScript(options: ThreadScriptOptions): Promise<ThreadScript> {
  const notices = options.notices ?? null;
  const state = newState({
    write: options.write,
    writeError: options.writeError,
    writePaths: options.writePaths,
    notices,
  });
  const L = state.L;
  const runner = new CoroutineRunner(L, options.path, notices);
  installOwnThreadType(L);
  let stopped = false;
  const thread = {
    onStop: () => {
      if (stopped) return;
      stopped = true;
      options.onStop();
    },
    getAddr: () => options.getAddr?.() ?? null,
  };
  // No `wrk.thread` yet: wrk sets it when the thread starts (`script_init`), so the top level sees nil.
  const wrkRef = installWrkTable(L, {
    target: options.target,
    headers: options.headers,
    shard: options.shard,
    runner,
  });
  let needsMain = true;
  await runner.runScript(options.source, (L1) => needsMain = mainStateNeeded(L1, -1));
  return new LuaThreadScript(state, runner, wrkRef, options, needsMain, (L1) => pushOwnThread(L1, thread));
}

/**
 * wrk.lua's default `Host`: `wrk.host` (in brackets when it holds a colon, an IPv6 literal), then `:` and
 * `wrk.port` when that is set, read from the `wrk` table at `index`.
 */
function hostHeader(L: LuaState, index: number): Uint8Array {
  const wrk = lua.lua_absindex(L, index);
  lua.lua_getfield(L, wrk, "host");
  const host = new TextDecoder().decode(toText(L, -1));
  lua.lua_pop(L, 1);
  lua.lua_getfield(L, wrk, "port");
  const port = lua.lua_type(L, -1) === lua.LUA_TNIL ? null : new TextDecoder().decode(toText(L, -1));
  lua.lua_pop(L, 1);
  const name = host.includes(":") ? `[${host}]` : host;
  return new TextEncoder().encode(port === null ? name : `${name}:${port}`);
}

/** `function() return <upvalue 1> end`. */
function returnUpvalue(L: LuaState): number {
  lua.lua_pushvalue(L, lua.lua_upvalueindex(1));
  return 1;
}

/** A hook function as a registry reference, or -1 when the script does not define it. */
function hookRef(L: LuaState, name: string): number {
  if (lua.lua_getglobal(L, name) !== lua.LUA_TFUNCTION) {
    lua.lua_pop(L, 1);
    return -1;
  }
  return ref(L);
}

class LuaThreadScript implements ThreadScript, RequestSource {
  readonly #L: LuaState;
  readonly #state: ScriptState;
  readonly #runner: CoroutineRunner;
  readonly #wrkRef: number;
  readonly #options: ThreadScriptOptions;
  #closed = false;
  #initialized = false;
  #requestRef = -1;
  /** Reads a proven-static `request()`'s result in place of calling it; null when it must be called. */
  #staticRequest: StaticRequest | null = null;
  #requestCalls = 0;
  #delayRef = -1;
  #static: Uint8Array = new Uint8Array(0);
  /** The `request()` result used to count the pipeline, sent as the first request. */
  #first: Uint8Array | null = null;
  #depth = 1;
  #heads: readonly boolean[] = [false];
  #sink: ResponseSink | null = null;
  /** Stack length when it was last made dense (see `densifyStack`). */
  #denseLength = -1;

  readonly mainStateNeeded: boolean;
  /** Pushes this state's own thread userdata, `wrk.thread` from `init()` on. */
  readonly #pushThread: (L: LuaState) => void;

  constructor(
    state: ScriptState,
    runner: CoroutineRunner,
    wrkRef: number,
    options: ThreadScriptOptions,
    mainStateNeeded: boolean,
    pushThread: (L: LuaState) => void,
  ) {
    this.#pushThread = pushThread;
    this.#state = state;
    this.#L = state.L;
    this.#runner = runner;
    this.#wrkRef = wrkRef;
    this.#options = options;
    this.mainStateNeeded = mainStateNeeded;
  }

  getGlobal(name: string): TransferValue {
    this.#checkOpen();
    lua.lua_getglobal(this.#L, name);
    try {
      return readTransfer(this.#L, -1);
    } finally {
      lua.lua_pop(this.#L, 1);
    }
  }

  setGlobal(name: string, value: TransferValue): void {
    this.#checkOpen();
    pushTransfer(this.#L, value);
    lua.lua_setglobal(this.#L, name);
  }

  async init(): Promise<void> {
    this.#checkOpen();
    if (this.#initialized) throw new Error("ThreadScript.init() was already called");
    this.#initialized = true;
    const L = this.#L;
    const { target, args, path } = this.#options;

    // wrk's script_init: `wrk.thread`, then wrk.init's default Host header, before init() so the script sees
    // (and may change) it. As wrk.lua builds it, from wrk.host and wrk.port as the script's top level left them
    // (`wrk.host = "example.test"`).
    lua.lua_rawgeti(L, REGISTRY, this.#wrkRef);
    this.#pushThread(L);
    lua.lua_setfield(L, -2, "thread");
    lua.lua_getfield(L, -1, "headers");
    if (lua.lua_type(L, -1) === lua.LUA_TTABLE) {
      lua.lua_getfield(L, -1, "Host");
      const hasHost = lua.lua_toboolean(L, -1);
      lua.lua_pop(L, 1);
      if (!hasHost) {
        lua.lua_pushstring(L, hostHeader(L, -2));
        lua.lua_setfield(L, -2, "Host");
      }
    }
    lua.lua_pop(L, 2);

    const initRef = hookRef(L, "init");
    if (initRef >= 0) {
      await this.#runner.call(initRef, "init", (co) => {
        lua.lua_createtable(co, args.length, 1);
        lua.lua_pushstring(co, target.url);
        lua.lua_rawseti(co, -2, 0);
        args.forEach((arg, i) => {
          lua.lua_pushstring(co, arg);
          lua.lua_rawseti(co, -2, i + 1);
        });
        return 1;
      });
    }

    // The static request is built after init(), so its changes to wrk.method/path/headers/body count.
    lua.lua_rawgeti(L, REGISTRY, this.#wrkRef);
    lua.lua_getfield(L, -1, "format");
    const status = lua.lua_pcall(L, 0, 1, 0);
    if (status !== lua.LUA_OK || lua.lua_type(L, -1) !== lua.LUA_TSTRING) {
      const error = status !== lua.LUA_OK
        ? this.#hookError("wrk.format")
        : this.#badResult("wrk.format", "a string");
      lua.lua_pop(L, 1); // the wrk table
      throw error;
    }
    this.#static = lua.lua_tolstring(L, -1) as Uint8Array;
    // wrk.request() returns the static request, as wrk.init defines it (wrk's setup.lua calls it).
    lua.lua_pushjsclosure(L, returnUpvalue, 1);
    lua.lua_setfield(L, -2, "request");
    lua.lua_pop(L, 1);

    this.#requestRef = hookRef(L, "request");
    this.#staticRequest = this.#requestRef >= 0 ? staticRequest(L, this.#requestRef) : null;
    this.#delayRef = hookRef(L, "delay");
    const responseRef = hookRef(L, "response");
    this.#sink = responseRef >= 0 ? new LuaResponseSink(L, responseRef, path) : null;

    let counted = this.#static;
    if (this.#requestRef >= 0) {
      this.#first = this.#callRequest();
      counted = this.#first;
    }
    try {
      const { count, methods } = countRequests(counted);
      this.#depth = count;
      this.#heads = methods.map((method) => method === "HEAD");
    } catch (error) {
      if (!(error instanceof RequestFormatError)) throw error;
      const what = this.#requestRef >= 0 ? "request() returned" : "wrk.format() built";
      throw new ScriptError(`${path}: ${what} an invalid HTTP request: ${error.message}`, {
        hook: this.#requestRef >= 0 ? "request" : "init",
        cause: error,
      });
    }
    this.#denseLength = densifyStack(L);
  }

  get requestSource(): RequestSource {
    if (!this.#initialized) throw new Error("ThreadScript.requestSource is valid after init()");
    return this;
  }

  get responseSink(): ResponseSink | null {
    if (!this.#initialized) throw new Error("ThreadScript.responseSink is valid after init()");
    return this.#sink;
  }

  // --- RequestSource -----------------------------------------------------------------------------------------

  get pipelineDepth(): number {
    return this.#depth;
  }

  get headFlags(): readonly boolean[] {
    return this.#heads;
  }

  get delayMs(): (() => number) | null {
    return this.#delayRef >= 0 ? this.#callDelay : null;
  }

  get origin(): string {
    return `${this.#options.path}: ${this.#requestRef >= 0 ? "request()" : "wrk.format()"}`;
  }

  get dynamic(): boolean {
    return this.#requestRef >= 0;
  }

  nextRequest(): Uint8Array {
    const first = this.#first;
    if (first !== null) {
      this.#first = null;
      return first;
    }
    if (this.#requestRef < 0) return this.#static;
    return this.#staticRequest?.read() ?? this.#callRequest();
  }

  get requestHookCalls(): number {
    return this.#requestCalls;
  }

  readonly #callDelay = (): number => {
    const L = this.#L;
    pushRegistryValue(L, this.#delayRef);
    if (pcall(L, 0, 1) !== lua.LUA_OK) throw this.#hookError("delay");
    // wrk's script_delay takes `lua_tonumber`: nil (a `delay` that returns nothing, on some calls or all) is
    // no delay. Anything else that is not a number is surely a mistake: said, not taken as 0.
    const ms = lua.lua_type(L, -1) === lua.LUA_TNIL ? 0 : lua.lua_tonumberx(L, -1);
    if (ms === false) throw this.#badResult("delay", "a number or nothing");
    lua.lua_pop(L, 1);
    if (stackLength(L) !== this.#denseLength) this.#denseLength = densifyStack(L);
    return ms;
  };

  #callRequest(): Uint8Array {
    const L = this.#L;
    this.#requestCalls++;
    pushRegistryValue(L, this.#requestRef);
    if (pcall(L, 0, 1) !== lua.LUA_OK) throw this.#hookError("request");
    // The Lua string's own bytes, not a copy: Lua strings are immutable and the loop never writes to them.
    const result = topValue(L);
    if (baseType(result) !== lua.LUA_TSTRING) throw this.#badResult("request", "a string");
    const bytes = (result.value as TString).realstring;
    popValue(L);
    if (stackLength(L) !== this.#denseLength) this.#denseLength = densifyStack(L);
    if (bytes.length === 0) {
      throw new ScriptError(`${this.#options.path}: request() returned an empty string`, { hook: "request" });
    }
    return bytes;
  }

  /** Pops the error of a failed hook call into a `ScriptError`. */
  #hookError(hook: string): ScriptError {
    const error = errorFromStack(this.#L, this.#options.path, hook);
    lua.lua_pop(this.#L, 1);
    return error;
  }

  /** Pops a wrongly-typed hook result into a `ScriptError`. */
  #badResult(hook: string, expected: string): ScriptError {
    const got = typeName(this.#L, -1);
    lua.lua_pop(this.#L, 1);
    return new ScriptError(`${this.#options.path}: ${hook}() must return ${expected}, got ${got}`, { hook });
  }

  flushFiles(): void {
    if (!this.#closed) this.#state.flushFiles();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#state.close();
  }

  #checkOpen(): void {
    if (this.#closed) throw new Error("ThreadScript is closed");
  }
}
