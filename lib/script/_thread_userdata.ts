/**
 * The thread userdata (docs/wrk-compat.md#setup-and-the-thread-object): in the main state it wraps a {@linkcode ThreadHandle} (`setup(thread)`); in a
 * thread's own state it is `wrk.thread`, whose `get`/`set` act on that state and whose `stop()` stops it.
 *
 * @module
 */

import { jsText, lauxlib, lua, type LuaJsFunction, type LuaState, raise } from "./fengari/_lua.ts";
import type { CoroutineRunner } from "./_coroutine_runner.ts";
import { checkAddr, pushAddr } from "./_addr.ts";
import { pushTransfer, readTransfer, TransferError, type TransferValue } from "./transfer.ts";
import type { Addr, ReceiveNow, ThreadHandle } from "./thread_handle.ts";

/** Metatable name of thread userdata (as in wrk). */
export const THREAD_TYPE = "wrk.thread";

/** How one kind of thread userdata behaves; the userdata holds no state of its own beyond the target. */
interface ThreadOps {
  get: LuaJsFunction;
  set: LuaJsFunction;
  stop: LuaJsFunction;
  /** Pushes `thread.addr` (or nil). */
  pushAddr(L: LuaState, target: unknown): void;
  /** Handles `thread.addr = value`. */
  setAddr(L: LuaState, target: unknown): void;
}

/** Reads the value at `idx` for `thread:set`, turning an untransferable value into a Lua error. */
function readForTransfer(L: LuaState, idx: number): TransferValue {
  try {
    return readTransfer(L, idx);
  } catch (error) {
    if (error instanceof TransferError) return raise(L, error.message);
    throw error;
  }
}

function installThreadType(L: LuaState, ops: ThreadOps): void {
  lauxlib.luaL_newmetatable(L, THREAD_TYPE);
  // No `__name`: Lua 5.3's tostring would print "wrk.thread: 0x…" where LuaJIT, wrk's Lua, prints "userdata: 0x…".
  lua.lua_pushnil(L);
  lua.lua_setfield(L, -2, "__name");
  lua.lua_pushjsfunction(L, ops.get);
  lua.lua_pushjsfunction(L, ops.set);
  lua.lua_pushjsfunction(L, ops.stop);
  // The three methods are upvalues, so `thread.get` is the same function value every time.
  lua.lua_pushjsclosure(L, (L1) => {
    const target = lauxlib.luaL_checkudata(L1, 1, THREAD_TYPE).target;
    const key = lua.lua_type(L1, 2) === lua.LUA_TSTRING ? jsText(lua.lua_tolstring(L1, 2) as Uint8Array) : "";
    switch (key) {
      case "get":
        lua.lua_pushvalue(L1, lua.lua_upvalueindex(1));
        break;
      case "set":
        lua.lua_pushvalue(L1, lua.lua_upvalueindex(2));
        break;
      case "stop":
        lua.lua_pushvalue(L1, lua.lua_upvalueindex(3));
        break;
      case "addr":
        ops.pushAddr(L1, target);
        break;
      default:
        lua.lua_pushnil(L1);
    }
    return 1;
  }, 3);
  lua.lua_setfield(L, -2, "__index");
  lua.lua_pushjsfunction(L, (L1) => {
    const target = lauxlib.luaL_checkudata(L1, 1, THREAD_TYPE).target;
    const key = lua.lua_type(L1, 2) === lua.LUA_TSTRING
      ? jsText(lua.lua_tolstring(L1, 2) as Uint8Array)
      : null;
    if (key === "addr") {
      ops.setAddr(L1, target);
      return 0;
    }
    lauxlib.luaL_tolstring(L1, 2);
    return raise(L1, `cannot set '${jsText(lua.lua_tolstring(L1, -1) as Uint8Array)}' on thread`);
  });
  lua.lua_setfield(L, -2, "__newindex");
  lua.lua_pop(L, 1);
}

function pushThread(L: LuaState, target: unknown): void {
  const box = lua.lua_newuserdata(L, 0);
  box.target = target;
  lauxlib.luaL_setmetatable(L, THREAD_TYPE);
}

function checkTarget<T>(L: LuaState): T {
  return lauxlib.luaL_checkudata(L, 1, THREAD_TYPE).target as T;
}

/**
 * Installs the main state's thread type: methods forward to the {@linkcode ThreadHandle}. `thread:get` waits
 * for the thread's answer in the runner's coroutine, and blocks for it (`ThreadHandle.getNow`, with `receive`)
 * where Lua cannot wait.
 */
export function installHandleThreadType(L: LuaState, runner: CoroutineRunner, receive: ReceiveNow): void {
  installThreadType(L, {
    get: (L1) => {
      const handle = checkTarget<ThreadHandle>(L1);
      const name = jsText(lauxlib.luaL_checklstring(L1, 2));
      if (!runner.canWait(L1)) {
        let value: TransferValue;
        try {
          value = handle.getNow(name, receive);
        } catch (error) {
          return raise(L1, error instanceof Error ? error.message : String(error));
        }
        pushTransfer(L1, value);
        return 1;
      }
      return runner.wait(L1, "thread:get()", handle.get(name), (co, value) => {
        pushTransfer(co, value);
        return 1;
      });
    },
    set: (L1) => {
      const handle = checkTarget<ThreadHandle>(L1);
      const name = jsText(lauxlib.luaL_checklstring(L1, 2));
      handle.set(name, readForTransfer(L1, 3));
      return 0;
    },
    stop: (L1) => {
      checkTarget<ThreadHandle>(L1).stop();
      return 0;
    },
    pushAddr: (L1, target) => pushAddr(L1, (target as ThreadHandle).addr),
    setAddr: (L1, target) => {
      (target as ThreadHandle).addr = { ...checkAddr(L1, 3) };
    },
  });
}

/** Pushes a thread userdata wrapping `handle` (main state). */
export function pushHandleThread(L: LuaState, handle: ThreadHandle): void {
  pushThread(L, handle);
}

/** The thread's own view of itself: what `wrk.thread` does inside the thread's state. */
export interface OwnThread {
  /** Called by `wrk.thread:stop()`. */
  onStop: () => void;
  /** The thread's address for `wrk.thread.addr`, or null when unknown. */
  getAddr: () => Addr | null;
}

/**
 * Installs a thread state's thread type: `get`/`set` copy its own globals (so values behave as they would
 * through the main state), `stop()` calls `onStop`, `addr` reads `getAddr()` (nil when unknown) and cannot
 * be assigned (the address is chosen in the main state's `setup`).
 */
export function installOwnThreadType(L: LuaState): void {
  installThreadType(L, {
    get: (L1) => {
      checkTarget<OwnThread>(L1);
      lua.lua_getglobal(L1, lauxlib.luaL_checklstring(L1, 2));
      const value = readForTransfer(L1, -1);
      pushTransfer(L1, value);
      return 1;
    },
    set: (L1) => {
      checkTarget<OwnThread>(L1);
      const name = lauxlib.luaL_checklstring(L1, 2);
      pushTransfer(L1, readForTransfer(L1, 3));
      lua.lua_setglobal(L1, name);
      return 0;
    },
    stop: (L1) => {
      checkTarget<OwnThread>(L1).onStop();
      return 0;
    },
    pushAddr: (L1, target) => {
      const addr = (target as OwnThread).getAddr();
      if (addr === null) lua.lua_pushnil(L1);
      else pushAddr(L1, addr);
    },
    setAddr: (L1) => raise(L1, "cannot set 'addr' on a running thread (set it in setup())"),
  });
}

/** Pushes the `wrk.thread` userdata of a thread's own state. */
export function pushOwnThread(L: LuaState, thread: OwnThread): void {
  pushThread(L, thread);
}
