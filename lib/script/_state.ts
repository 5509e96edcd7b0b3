/**
 * Creating a script state (standard libraries plus the compatibility shim), loading the script into it, and
 * turning Lua error values into {@linkcode ScriptError}s.
 *
 * @module
 */

import { lauxlib, lua, lualib, type LuaState } from "./fengari/_lua.ts";
import { installStringPatterns } from "./fengari/_string_patterns.ts";
import { installTableSort } from "./fengari/_table_sort.ts";
import { installBaseFastPaths } from "./fengari/_base_lib.ts";
import { watchLocalReads } from "./fengari/_kept_arguments.ts";
import { scatterObjectIds } from "./fengari/_object_ids.ts";
import { type CompatOptions, ExitRequest, installCompat } from "./compat/_compat.ts";
import { formatLuaError, ScriptError } from "./script_error.ts";

/** A Lua state and what closing it takes. */
export interface ScriptState {
  readonly L: LuaState;
  /** Writes out what the script's open files hold. */
  flushFiles(): void;
  /** Flushes and closes the files the script left open (as a process's exit does), then closes the state. */
  close(): void;
}

/** A fresh state with the standard libraries and the LuaJIT compatibility shim. */
export function newState(options: CompatOptions): ScriptState {
  const L = lauxlib.luaL_newstate();
  // Each state's tables print their own addresses, as each wrk thread's do (scripts seed randoms with them).
  scatterObjectIds(L);
  // fengari's io library takes the standard streams as stand-ins, read only if used (third_party/fengari/).
  lualib.luaL_openlibs(L);
  installStringPatterns(L);
  installTableSort(L);
  installBaseFastPaths(L);
  // Before any script runs: response()'s header table is reused only while debug.getlocal and
  // debug.getregistry never ran (fengari/_kept_arguments.ts).
  watchLocalReads(L);
  const files = installCompat(L, options);
  return {
    L,
    flushFiles: () => files.flushAll(),
    close: () => {
      files.closeAll();
      lua.lua_close(L);
    },
  };
}

/**
 * Compiles the script and pushes its main chunk. The chunk name is `@<path>`, so messages read
 * `<path>:<line>: …`.
 *
 * @throws {ScriptError} on a syntax error.
 */
export function loadChunk(L: LuaState, path: string, source: Uint8Array): void {
  const status = lauxlib.luaL_loadbufferx(L, scriptText(source), null, `@${path}`, "t");
  if (status !== lua.LUA_OK) {
    const error = errorFromStack(L, path, null);
    lua.lua_pop(L, 1);
    throw error;
  }
}

/**
 * A script file's text as `luaL_loadfile` reads it (LuaJIT's, which wrk runs, and Lua 5.3's alike): without a
 * UTF-8 byte-order mark, and without a first line that starts with `#` (`#!/usr/bin/env wrk`) up to its
 * newline, which stays so that line numbers hold.
 */
export function scriptText(source: Uint8Array): Uint8Array {
  let start = source[0] === 0xef && source[1] === 0xbb && source[2] === 0xbf ? 3 : 0;
  if (source[start] === 0x23 /* # */) {
    const newline = source.indexOf(0x0a, start);
    start = newline === -1 ? source.length : newline;
  }
  return start === 0 ? source : source.subarray(start);
}

/** Turns the error value on top of `L` into a {@linkcode ScriptError} (it stays on the stack). */
export function errorFromStack(L: LuaState, path: string, hook: string | null): ScriptError {
  const value = lua.lua_touserdata(L, -1);
  if (value instanceof ExitRequest) {
    const where = hook === null ? "" : ` in ${hook}()`;
    return new ScriptError(`${path}: os.exit(${value.code}) called${where}`, {
      hook: hook ?? undefined,
      exitCode: value.code,
    });
  }
  return new ScriptError(formatLuaError(path, errorText(L), hook), { hook: hook ?? undefined });
}

/** The text of the error value on top of `L`, as `lua.c` prints it. */
function errorText(L: LuaState): string {
  const type = lua.lua_type(L, -1);
  if (type === lua.LUA_TSTRING || type === lua.LUA_TNUMBER) {
    return new TextDecoder().decode(lua.lua_tolstring(L, -1) as Uint8Array);
  }
  // A table or userdata with __tostring still gets a readable message; anything else gets its type.
  if (lua.lua_getmetatable(L, -1)) {
    const hasTostring = lua.lua_getfield(L, -1, "__tostring") !== lua.LUA_TNIL;
    lua.lua_pop(L, 2);
    if (hasTostring) {
      lua.lua_pushvalue(L, -1);
      lua.lua_pushjsfunction(L, (L1) => {
        lauxlib.luaL_tolstring(L1, 1);
        return 1;
      });
      lua.lua_insert(L, -2);
      if (lua.lua_pcall(L, 1, 1, 0) === lua.LUA_OK) {
        const text = new TextDecoder().decode(lua.lua_tolstring(L, -1) as Uint8Array);
        lua.lua_pop(L, 1);
        return text;
      }
      lua.lua_pop(L, 1);
    }
  }
  return `(error object is a ${new TextDecoder().decode(lauxlib.luaL_typename(L, -1))} value)`;
}
