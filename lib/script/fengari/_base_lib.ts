/**
 * `type(v)` answering with one Lua string per type name, made once: fengari 0.1.5's `luaB_type` copies the
 * name into a new string on every call (`lua_pushstring`), and a JSON encoder asks `type()` of every value it
 * writes (bench/lua_heavy.lua; docs/benchmarks.md#lua-heavy-scripts-2026-12-06). Lua strings are immutable,
 * so sharing one is not observable. The interpreter answers most calls inline (`vmIntrinsics` in `_vm.ts`);
 * this function is what a script's `type` is, for every other call.
 *
 * Installed per state by {@linkcode installBaseFastPaths}, behind a probe: `type` must still be fengari's own
 * `luaB_type` (release pinned: fengari 0.1.5, vendored in third_party/fengari/).
 * `tests/script/fengari/vm_test.ts` checks it.
 *
 * @module
 */

import { lauxlib, lua, type LuaState } from "./_lua.ts";
import { pushString } from "./_direct.ts";
import { type State, typeName, vmIntrinsics } from "./_vm.ts";

/** How often `type()` answered here (calls the interpreter did not answer inline), for tests. */
export const baseLibProbe = { typeCalls: 0 };

/** `type(v)`; fengari's error without an argument (`luaL_checkany`'s, as its `luaB_type`'s). */
function luaType(L: LuaState): number {
  const t = lua.lua_type(L, 1);
  if (t === lua.LUA_TNONE) lauxlib.luaL_checkany(L, 1);
  baseLibProbe.typeCalls++;
  pushString(L, typeName(L as unknown as State, t));
  return 1;
}

/** fengari's `ipairs` iterator (`ipairsaux`), as `ipairs` returns it; null when `ipairs` is not fengari's. */
function ipairsIterator(L: LuaState): unknown {
  lua.lua_getglobal(L, "ipairs");
  const ipairs = lua.lua_tocfunction(L, -1);
  lua.lua_pop(L, 1);
  if (ipairs === null || ipairs.name !== "luaB_ipairs") return null;
  lua.lua_pushjsfunction(L, ipairs);
  lua.lua_createtable(L, 0, 0);
  lua.lua_call(L, 1, 3);
  const iterator = lua.lua_tocfunction(L, -3);
  lua.lua_pop(L, 3);
  return iterator !== null && iterator.name === "ipairsaux" ? iterator : null;
}

/**
 * Replaces `type` in a state with the standard libraries open, when it is still fengari's, and lets the
 * interpreter run `type` and `ipairs`'s iterator inline (`vmIntrinsics`, `_vm.ts`); returns whether `type`
 * was replaced.
 *
 * @example Installing into a new state
 * ```ts ignore
 * const L = lauxlib.luaL_newstate();
 * lualib.luaL_openlibs(L);
 * installBaseFastPaths(L); // true on fengari 0.1.5
 * ```
 */
export function installBaseFastPaths(L: LuaState): boolean {
  vmIntrinsics.ipairsIterator ??= ipairsIterator(L);
  lua.lua_getglobal(L, "type");
  const original = lua.lua_tocfunction(L, -1);
  lua.lua_pop(L, 1);
  if (original === null || original.name !== "luaB_type") return false;
  lua.lua_pushjsfunction(L, luaType);
  lua.lua_setglobal(L, "type");
  vmIntrinsics.type = luaType;
  return true;
}
