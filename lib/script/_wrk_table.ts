/**
 * The global `wrk` table every state gets before the script runs (docs/wrk-compat.md#the-wrk-table): URL parts,
 * `-H` headers, `format`, `lookup`, `connect`, wrk2's `time_us`, our `shard`, and in a thread's state `thread`.
 *
 * @module
 */

import { lua, type LuaState, ref } from "./fengari/_lua.ts";
import type { Target } from "../config/config.ts";
import type { CoroutineRunner } from "./_coroutine_runner.ts";
import { installAddrType, makeConnect, makeLookup } from "./_addr.ts";
import { pushWrkFormat } from "./_wrk_format.ts";
import { epochNowMs } from "../net/clock.ts";

/** What the `wrk` table is built from. */
export interface WrkTableOptions {
  target: Target;
  headers: [string, string][];
  runner: CoroutineRunner;
  /**
   * `wrk.shard`: `{index, count}` of the shard this process runs (`--shard-index`/`--shard-count`), so a script
   * can take its part of the data; `{index = 0, count = 1}` when the test is not split.
   */
  shard?: { index: number; count: number } | null;
  /** Pushes the value of `wrk.thread` (a thread state's own thread userdata); absent in the main state. */
  pushThread?: (L: LuaState) => void;
}

/** Creates the global `wrk` table; returns a registry reference to it (kept even if the script replaces it). */
export function installWrkTable(L: LuaState, options: WrkTableOptions): number {
  const { target, headers, runner } = options;
  installAddrType(L);
  lua.lua_createtable(L, 0, 13);
  setString(L, "scheme", target.scheme);
  setString(L, "host", target.host);
  if (target.portText !== null) setString(L, "port", target.portText);
  setString(L, "method", "GET");
  setString(L, "path", target.path);
  lua.lua_createtable(L, 0, headers.length + 2);
  // In command-line order: a repeated name keeps its last value, as in wrk.
  for (const [name, value] of headers) setString(L, name, value);
  lua.lua_setfield(L, -2, "headers");
  lua.lua_createtable(L, 0, 2);
  lua.lua_pushinteger(L, options.shard?.index ?? 0);
  lua.lua_setfield(L, -2, "index");
  lua.lua_pushinteger(L, options.shard?.count ?? 1);
  lua.lua_setfield(L, -2, "count");
  lua.lua_setfield(L, -2, "shard");
  if (options.pushThread) {
    options.pushThread(L);
    lua.lua_setfield(L, -2, "thread");
  }
  lua.lua_pushvalue(L, -1);
  pushWrkFormat(L);
  lua.lua_setfield(L, -2, "format");
  lua.lua_pushjsfunction(L, makeLookup(runner));
  lua.lua_setfield(L, -2, "lookup");
  lua.lua_pushjsfunction(L, makeConnect(runner));
  lua.lua_setfield(L, -2, "connect");
  lua.lua_pushjsfunction(L, timeUs);
  lua.lua_setfield(L, -2, "time_us");
  // wrk runs `wrk = require "wrk"`: the module is also in package.loaded (so error messages name
  // `wrk.connect` and a script may require it).
  lua.lua_getglobal(L, "package");
  lua.lua_getfield(L, -1, "loaded");
  lua.lua_pushvalue(L, -3);
  lua.lua_setfield(L, -2, "wrk");
  lua.lua_pop(L, 2);
  lua.lua_pushvalue(L, -1);
  lua.lua_setglobal(L, "wrk");
  return ref(L);
}

/** `wrk.time_us()`, wrk2's addition: the wall-clock time in whole microseconds since the Unix epoch. */
function timeUs(L: LuaState): number {
  // A float: fengari's integers are 32-bit.
  lua.lua_pushnumber(L, Math.floor(epochNowMs() * 1000));
  return 1;
}

function setString(L: LuaState, key: string, value: string): void {
  lua.lua_pushstring(L, value);
  lua.lua_setfield(L, -2, key);
}
