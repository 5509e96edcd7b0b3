/**
 * Makes a fengari state look like the LuaJIT wrk scripts were written for (docs/wrk-compat.md#the-lua-engine): the JS half of
 * the shim (output, number spelling, `bit`, clocks, `os.exit`, the `require` sandbox), then `lua/compat.lua`.
 *
 * @module
 */

import { absolutePath } from "./_paths.ts";
import type nodeProcess from "node:process";
import {
  jsText,
  lauxlib,
  lua,
  luaBytes,
  type LuaJsFunction,
  type LuaState,
  raise,
  typeName,
} from "../fengari/_lua.ts";
import { compatBytecode } from "./_compat_luac.ts";
import { newBytes, putBytes } from "../fengari/_fast_paths.ts";
import {
  argumentAt,
  baseType,
  newString,
  numberArgument,
  pushFloat as pushFloatInSlot,
  pushString,
  rawLength,
  type Table,
  type TString,
} from "../fengari/_direct.ts";
import { makeStringFormat } from "./_string_format.ts";
import { luaTostring, numberBytes, toText } from "./_to_text.ts";
import { makeBitLibrary } from "./_bit.ts";
import { LuaFiles } from "./_files.ts";
import { LuaJitRandom } from "./_luajit_random.ts";
import { orderedNext, orderedPairs } from "./_ordered_next.ts";
import { writeStderr } from "../../_stdout.ts";
import { makeTonumber } from "./_tonumber.ts";
import { osDate } from "./_os_date.ts";

/** Where a state's output goes. */
export interface CompatOptions {
  /** `print`, `io.write` and `io.stdout:write`. */
  write: (bytes: Uint8Array) => void;
  /** `io.stderr:write`; defaults to the process's stderr. */
  writeError?: (bytes: Uint8Array) => void;
  /** `--write` paths: where the script may write, remove and rename files (see `_files.ts`). */
  writePaths?: readonly string[];
  /** The run's notices, shared by its states (`../notices.ts`); absent: this state's own. */
  notices?: Int32Array | null;
}

/**
 * Thrown through Lua (as a light userdata error value) by `os.exit(code)`: the script layer turns it into a
 * `ScriptError` with `exitCode`, so a script can never end the process (or a worker) itself.
 */
export class ExitRequest {
  /** Creates the request for `code`. */
  constructor(readonly code: number) {}
}

const TAB = luaBytes("\t");
const NEWLINE = luaBytes("\n");

/**
 * Installs the whole compatibility shim into a state that has the standard libraries open. Returns the state's
 * files, to be closed (and flushed) when the state closes.
 */
export function installCompat(L: LuaState, options: CompatOptions): LuaFiles {
  const writeError = options.writeError ?? writeStderr;
  // A JS exception inside a JS function would otherwise escape Lua's protected calls: make it a Lua error.
  // Level 2 is the Lua code that called the failing JS function (0 is this handler, 1 that function).
  lua.lua_atnativeerror(L, (L1: LuaState) => {
    const error = lua.lua_touserdata(L1, 1);
    lauxlib.luaL_where(L1, 2);
    lua.lua_pushstring(L1, error instanceof Error ? error.message : String(error));
    lua.lua_concat(L1, 2);
    return 1;
  });

  setGlobal(L, "print", makePrint(options.write));
  setGlobal(L, "tostring", luaTostring);
  setGlobal(L, "collectgarbage", collectgarbage);
  setGlobal(L, "gcinfo", gcinfo);
  setGlobal(L, "newproxy", newproxy);
  setGlobal(L, "next", orderedNext);
  setGlobal(L, "pairs", orderedPairs);
  lua.lua_getglobal(L, "ipairs");
  setGlobal(L, "ipairs", tablesOnly(lua.lua_tocfunction(L, -1) as LuaJsFunction));
  lua.lua_pop(L, 1);
  lua.lua_getglobal(L, "tonumber");
  const originalTonumber = lua.lua_tocfunction(L, -1) as LuaJsFunction;
  lua.lua_pop(L, 1);
  setGlobal(L, "tonumber", makeTonumber(originalTonumber));

  lua.lua_getglobal(L, "string");
  lua.lua_getfield(L, -1, "format");
  const originalFormat = lua.lua_tocfunction(L, -1) as LuaJsFunction;
  lua.lua_pop(L, 1);
  setField(L, "format", makeStringFormat(originalFormat));
  lua.lua_pop(L, 1);

  lua.lua_getglobal(L, "table");
  setField(L, "concat", tableConcat);
  lua.lua_pop(L, 1);

  lua.lua_getglobal(L, "math");
  const generator = new LuaJitRandom();
  setField(L, "random", makeRandom(generator));
  setField(L, "randomseed", makeRandomSeed(generator));
  setField(L, "log10", (L1) => pushFloat(L1, Math.log10(lauxlib.luaL_checknumber(L1, 1))));
  setField(L, "frexp", frexp);
  setField(L, "max", (L1) => extreme(L1, (m, n) => m > n));
  setField(L, "min", (L1) => extreme(L1, (m, n) => m < n));
  setField(L, "tointeger", toInteger);
  setField(L, "ldexp", (L1) => {
    pushFloat(L1, lauxlib.luaL_checknumber(L1, 1) * 2 ** lauxlib.luaL_checknumber(L1, 2));
    return 1;
  });
  lua.lua_pop(L, 1);

  lua.lua_getglobal(L, "os");
  setField(L, "date", osDate);
  setField(L, "clock", osClock);
  setField(L, "exit", osExit);
  setField(L, "getenv", osGetenv);
  lua.lua_pop(L, 1);

  makeBitLibrary(L);
  lua.lua_setglobal(L, "bit");

  sandboxRequire(L);

  // The Lua half, given its JS helpers as the chunk's argument: loaded compiled, as parsing its text was a
  // sizeable part of each state's start (docs/benchmarks.md#fengari-lua-in-javascript).
  const status = lauxlib.luaL_loadbufferx(L, compatBytecode(), null, "=[wrk compat]", "b");
  if (status !== lua.LUA_OK) throw new Error(`compat.lua does not load: ${lua.lua_tolstring(L, -1)}`);
  const files = new LuaFiles(
    { paths: (options.writePaths ?? []).map((path) => absolutePath(path)) },
    writeError,
    options.notices ?? null,
    { stdout: options.write, stderr: writeError },
  );
  lua.lua_createtable(L, 0, 12);
  for (const [name, helper] of Object.entries(files.helpers())) setField(L, name, helper);
  setField(L, "writer", makeWriterFactory(options.write, writeError));
  if (lua.lua_pcall(L, 1, 0, 0) !== lua.LUA_OK) {
    throw new Error(`compat.lua failed: ${lua.lua_tolstring(L, -1)}`);
  }
  return files;
}

function setGlobal(L: LuaState, name: string, fn: LuaJsFunction): void {
  lua.lua_pushjsfunction(L, fn);
  lua.lua_setglobal(L, name);
}

/** Sets `fn` as field `name` of the table on top of the stack. */
function setField(L: LuaState, name: string, fn: LuaJsFunction): void {
  lua.lua_pushjsfunction(L, fn);
  lua.lua_setfield(L, -2, name);
}

function pushFloat(L: LuaState, n: number): number {
  lua.lua_pushnumber(L, n);
  return 1;
}

/** Concatenates byte pieces into one array (output is written once per call, not per piece). */
function join(
  pieces: Uint8Array[],
  length: number,
  allocate: (length: number) => Uint8Array = (n) => new Uint8Array(n),
): Uint8Array {
  const out = allocate(length);
  let offset = 0;
  for (const piece of pieces) offset = putBytes(out, offset, piece);
  return out;
}

/** `print(...)`: `tostring` of each argument, tab-separated, newline-terminated, to the state's stdout. */
function makePrint(write: (bytes: Uint8Array) => void): LuaJsFunction {
  return (L: LuaState): number => {
    const n = lua.lua_gettop(L);
    const pieces: Uint8Array[] = [];
    let length = 0;
    for (let i = 1; i <= n; i++) {
      if (i > 1) {
        pieces.push(TAB);
        length += 1;
      }
      // Through the global tostring, as Lua's print does, so a script's own tostring is honoured.
      lua.lua_getglobal(L, "tostring");
      lua.lua_pushvalue(L, i);
      lua.lua_call(L, 1, 1);
      const text = lua.lua_tolstring(L, -1);
      if (text === null) raise(L, "'tostring' must return a string to 'print'");
      pieces.push(text);
      length += text.length;
      lua.lua_pop(L, 1);
    }
    pieces.push(NEWLINE);
    write(join(pieces, length + 1));
    return 0;
  };
}

/**
 * `H.writer(stream, file)` for compat.lua: with a file, `io.write(...)` returning that file; without one, a
 * `file:write(...)` method returning its receiver.
 */
function makeWriterFactory(
  stdout: (bytes: Uint8Array) => void,
  stderr: (bytes: Uint8Array) => void,
): LuaJsFunction {
  return (L: LuaState): number => {
    const write = new TextDecoder().decode(lauxlib.luaL_checklstring(L, 1)) === "stderr" ? stderr : stdout;
    const isMethod = lua.lua_isnoneornil(L, 2);
    lua.lua_settop(L, 2);
    lua.lua_pushjsclosure(L, makeWrite(write, isMethod), 1);
    return 1;
  };
}

/** `io.write(...)` / `file:write(...)`: strings and numbers only, as in Lua; numbers spelled as LuaJIT does. */
function makeWrite(write: (bytes: Uint8Array) => void, isMethod: boolean): LuaJsFunction {
  return (L: LuaState): number => {
    const n = lua.lua_gettop(L);
    const pieces: Uint8Array[] = [];
    let length = 0;
    for (let i = isMethod ? 2 : 1; i <= n; i++) {
      const type = lua.lua_type(L, i);
      if (type !== lua.LUA_TSTRING && type !== lua.LUA_TNUMBER) {
        lauxlib.luaL_checklstring(L, i); // raises Lua's "bad argument #i to 'write'" error
      }
      const text = toText(L, i);
      pieces.push(text);
      length += text.length;
    }
    if (length > 0) write(join(pieces, length));
    lua.lua_pushvalue(L, isMethod ? 1 : lua.lua_upvalueindex(1));
    return 1;
  };
}

/**
 * `ipairs` as LuaJIT's takes its argument: a table, or the error `table expected`. Lua 5.3's takes anything
 * with an `__index`, and over `latency` in `done()` (whose unknown keys read as themselves, wrk's quirk) it
 * never ends, where wrk stops at once. The iterator stays fengari's, which the VM steps inline (`_vm.ts`).
 */
function tablesOnly(ipairs: LuaJsFunction): LuaJsFunction {
  return (L: LuaState): number => {
    // No argument at all is LuaJIT's "value expected", as Lua 5.3's own ipairs says.
    lauxlib.luaL_checkany(L, 1);
    lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
    return ipairs(L);
  };
}

/** How many `table.concat` calls read a table without a metatable directly, for tests. */
export const tableConcatProbe = { direct: 0 };

const NO_SEPARATOR = new Uint8Array(0);

/**
 * `table.concat(t [, sep [, i [, j]]])` with LuaJIT's number spelling (fengari's gives `1.0`). A table
 * without a metatable is read in its own entries (`_direct.ts`), as `lua_geti` would read it without
 * `__index` and `#t` without `__len`; no Lua code runs meanwhile (only strings and numbers are joined), so
 * none can give it one. Anything else (a metatable, a value that is neither) goes through the API.
 */
function tableConcat(L: LuaState): number {
  if (lua.lua_type(L, 1) !== lua.LUA_TTABLE) lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
  const separator = lua.lua_isnoneornil(L, 2) ? NO_SEPARATOR : lauxlib.luaL_checklstring(L, 2);
  const first = lauxlib.luaL_optinteger(L, 3, 1);
  const table = argumentAt(L, 1)!.value as Table;
  const plain = table.metatable === null;
  const last = !lua.lua_isnoneornil(L, 4)
    ? lauxlib.luaL_checkinteger(L, 4)
    : plain
    ? rawLength(table)
    : lauxlib.luaL_len(L, 1);
  if (plain) tableConcatProbe.direct++;
  const pieces: Uint8Array[] = [];
  let length = 0;
  for (let i = first; i <= last; i++) {
    let text: Uint8Array;
    const value = plain ? table.strong.get(i)?.value : undefined;
    const valueType = value === undefined ? lua.LUA_TNIL : baseType(value);
    if (valueType === lua.LUA_TSTRING) {
      text = (value!.value as TString).realstring;
    } else if (valueType === lua.LUA_TNUMBER) {
      text = numberBytes(value!.value as number);
    } else {
      const type = lua.lua_geti(L, 1, i);
      if (type !== lua.LUA_TSTRING && type !== lua.LUA_TNUMBER) {
        raise(L, `invalid value (${typeName(L, -1)}) at index ${i} in table for 'concat'`);
      }
      text = toText(L, -1);
      lua.lua_pop(L, 1);
    }
    if (i > first && separator.length > 0) {
      pieces.push(separator);
      length += separator.length;
    }
    pieces.push(text);
    length += text.length;
  }
  // Joined straight into the new string's bytes, which the string then owns (no copy).
  pushString(L, newString(L, join(pieces, length, newBytes)));
  return 1;
}

/**
 * `math.random([m [, n]])` as LuaJIT's `math_random`: a double in [0, 1), `floor(d * m) + 1`, or
 * `floor(d * (n - m + 1)) + m`, with no range check (LuaJIT has none). Results are floats, as LuaJIT's numbers
 * are: on fengari's 32-bit integers, `math.random(1, 2^31) * 1000` would wrap.
 */
function makeRandom(generator: LuaJitRandom): LuaJsFunction {
  return (L: LuaState): number => {
    const n = lua.lua_gettop(L);
    let d = generator.next();
    if (n > 0) {
      // Number arguments read in their slots, the result pushed into a reused one (`_direct.ts`).
      const low = numberArgument(L, 1);
      if (n === 1) d = Math.floor(d * low) + 1;
      else d = Math.floor(d * (numberArgument(L, 2) - low + 1)) + low;
    }
    pushFloatInSlot(L, d);
    return 1;
  };
}

/** `math.randomseed([x])` as LuaJIT's: seeds from the number, or from the system's entropy without one. */
function makeRandomSeed(generator: LuaJitRandom): LuaJsFunction {
  return (L: LuaState): number => {
    if (lua.lua_gettop(L) === 0) generator.seedSecurely();
    else generator.seed(lauxlib.luaL_checknumber(L, 1));
    return 0;
  };
}

const GC_OPTIONS = new Set([
  "collect",
  "stop",
  "restart",
  "count",
  "step",
  "setpause",
  "setstepmul",
  "isrunning",
  "incremental",
  "generational",
]);

/** `collectgarbage(opt)`: fengari has no collector of its own (JS's does the work), so only `count` reports. */
function collectgarbage(L: LuaState): number {
  const option = lua.lua_isnoneornil(L, 1)
    ? "collect"
    : new TextDecoder().decode(lauxlib.luaL_checklstring(L, 1));
  if (!GC_OPTIONS.has(option)) lauxlib.luaL_argerror(L, 1, `invalid option '${option}'`);
  switch (option) {
    case "count": {
      const bytes = Deno.memoryUsage().heapUsed;
      lua.lua_pushnumber(L, bytes / 1024);
      lua.lua_pushinteger(L, bytes % 1024);
      return 2;
    }
    case "step":
    case "isrunning":
      lua.lua_pushboolean(L, true);
      return 1;
    default:
      lua.lua_pushinteger(L, 0);
      return 1;
  }
}

/** `gcinfo()` (Lua 5.1, kept by LuaJIT): the KiB in use as an integer, from the heap as `collectgarbage("count")`. */
function gcinfo(L: LuaState): number {
  lua.lua_pushinteger(L, Math.floor(Deno.memoryUsage().heapUsed / 1024));
  return 1;
}

/** The userdata {@linkcode newproxy} made with a metatable, by their data: `newproxy(p)` takes only those. */
const proxies = new WeakSet<object>();

/**
 * `newproxy([flag | proxy])` (Lua 5.1, kept by LuaJIT): an empty userdata, with a fresh empty metatable for
 * `true`, none for `false` or nothing, or the metatable of a proxy it made before. Scripts use it for a `__gc`
 * or `__len` on an object (fengari never calls `__gc`: JS's collector frees the object).
 */
function newproxy(L: LuaState): number {
  const type = lua.lua_type(L, 1);
  const shared = type === lua.LUA_TUSERDATA && proxies.has(lua.lua_touserdata(L, 1) as object);
  if (type > lua.LUA_TNIL && type !== lua.LUA_TBOOLEAN && !shared) {
    lauxlib.luaL_argerror(L, 1, "boolean or proxy expected");
  }
  lua.lua_settop(L, 1);
  const proxy = lua.lua_newuserdata(L, 0);
  // As LuaJIT's, only a proxy with a metatable from newproxy can lend it: `newproxy(newproxy(false))` is refused.
  if (shared || lua.lua_toboolean(L, 1)) proxies.add(proxy);
  if (shared) {
    lua.lua_getmetatable(L, 1);
    lua.lua_setmetatable(L, -2);
  } else if (lua.lua_toboolean(L, 1)) {
    lua.lua_createtable(L, 0, 0);
    lua.lua_setmetatable(L, -2);
  }
  return 1;
}

/**
 * `os.clock()`: CPU time of the process in seconds, as C's `clock()` (fengari gives wall time). Node's
 * `process`, read here only: Deno sets it up on first use, at a cost a state's start need not pay
 * (docs/dependencies.md#fengari-vendored).
 */
function osClock(L: LuaState): number {
  const usage = (globalThis as unknown as { process: typeof nodeProcess }).process.cpuUsage();
  lua.lua_pushnumber(L, (usage.user + usage.system) / 1e6);
  return 1;
}

/** `os.exit([code])`: never ends the process; raises an {@linkcode ExitRequest} the driver recognises. */
function osExit(L: LuaState): number {
  let code = 0;
  if (lua.lua_type(L, 1) === lua.LUA_TBOOLEAN) code = lua.lua_toboolean(L, 1) ? 0 : 1;
  else if (!lua.lua_isnoneornil(L, 1)) code = lauxlib.luaL_checkinteger(L, 1);
  lua.lua_pushlightuserdata(L, new ExitRequest(code));
  return lua.lua_error(L);
}

/** `os.getenv(name)`: nil when unset or not permitted (`--allow-env`), instead of a permission error. */
function osGetenv(L: LuaState): number {
  const name = new TextDecoder().decode(lauxlib.luaL_checklstring(L, 1));
  let value: string | undefined;
  try {
    value = Deno.env.get(name);
  } catch {
    value = undefined;
  }
  if (value === undefined) lua.lua_pushnil(L);
  else lua.lua_pushstring(L, value);
  return 1;
}

/**
 * `math.max` and `math.min` as LuaJIT's (`maxsd`/`minsd`): each argument in turn replaces the result unless the
 * result `keeps` against it, so a NaN wins or loses by its place (`math.max(0/0, 1)` is 1, `math.max(1, 0/0)`
 * NaN) and numeral strings count as their numbers. The chosen argument itself when it is a number (an integer
 * stays one).
 */
function extreme(L: LuaState, keeps: (m: number, n: number) => boolean): number {
  let best = 1;
  let m = lauxlib.luaL_checknumber(L, 1);
  const top = lua.lua_gettop(L);
  for (let i = 2; i <= top; i++) {
    const n = lauxlib.luaL_checknumber(L, i);
    if (!keeps(m, n)) {
      m = n;
      best = i;
    }
  }
  if (lua.lua_type(L, best) === lua.LUA_TNUMBER) lua.lua_pushvalue(L, best);
  else lua.lua_pushnumber(L, m);
  return 1;
}

/**
 * `math.tointeger(x)` as Lua 5.3's (LuaJIT has none): the integer `x` stands for, or nil for 3.5. Library
 * arguments take floats by truncation (`fengari/_integer_argument_patch.ts`), so it cannot ask the C API.
 */
function toInteger(L: LuaState): number {
  lauxlib.luaL_checkany(L, 1);
  const n = lua.lua_tonumberx(L, 1);
  if (n !== false && Number.isInteger(n) && (n | 0) === n) lua.lua_pushinteger(L, n);
  else lua.lua_pushnil(L);
  return 1;
}

/** `math.frexp(x)`: m, e with x = m·2^e and 0.5 ≤ |m| < 1 (Lua 5.1). */
function frexp(L: LuaState): number {
  const x = lauxlib.luaL_checknumber(L, 1);
  if (x === 0 || !Number.isFinite(x)) {
    lua.lua_pushnumber(L, x);
    lua.lua_pushinteger(L, 0);
    return 2;
  }
  let e = Math.max(-1073, Math.floor(Math.log2(Math.abs(x))) + 1);
  let m = x * 2 ** -e;
  // log2 can be off by one near powers of two: normalise into [0.5, 1).
  while (Math.abs(m) < 0.5) {
    m *= 2;
    e--;
  }
  while (Math.abs(m) >= 1) {
    m /= 2;
    e++;
  }
  lua.lua_pushnumber(L, m);
  lua.lua_pushinteger(L, e);
  return 2;
}

/** fengari's `package.path` (luaconf.js `LUA_PATH_DEFAULT`), as `LUA_PATH`'s `;;` expands too. */
const FENGARI_DEFAULT_PATH = "/usr/local/share/lua/5.3/?.lua;/usr/local/share/lua/5.3/?/init.lua;" +
  "/usr/share/lua/5.3/?.lua;/usr/share/lua/5.3/?/init.lua;./?.lua;./?/init.lua";

/**
 * Ours: LuaJIT 2.1's default (where Debian's wrk finds modules installed for LuaJIT and Lua 5.1), then Lua
 * 5.3's directories.
 */
const DEFAULT_PATH = "./?.lua;/usr/share/luajit-2.1.0-beta3/?.lua;/usr/share/luajit-2.1/?.lua;" +
  "/usr/local/share/lua/5.1/?.lua;/usr/local/share/lua/5.1/?/init.lua;/usr/share/lua/5.1/?.lua;" +
  "/usr/share/lua/5.1/?/init.lua;/usr/local/share/lua/5.3/?.lua;/usr/local/share/lua/5.3/?/init.lua;" +
  "/usr/share/lua/5.3/?.lua;/usr/share/lua/5.3/?/init.lua;./?/init.lua";

/**
 * `require` loads only Lua files: fengari's extra searchers would load JavaScript (`package.jspath`), which a
 * load-test script has no business doing.
 */
function sandboxRequire(L: LuaState): void {
  lua.lua_getglobal(L, "package");
  // LuaJIT's directories first, in its order, then Lua 5.3's; `LUA_PATH` (with `;;` for the default) as both.
  lua.lua_getfield(L, -1, "path");
  const path = lua.lua_type(L, -1) === lua.LUA_TSTRING ? jsText(lua.lua_tolstring(L, -1)!) : "";
  lua.lua_pop(L, 1);
  lua.lua_pushstring(L, path.replace(FENGARI_DEFAULT_PATH, DEFAULT_PATH));
  lua.lua_setfield(L, -2, "path");
  lua.lua_getfield(L, -1, "searchers");
  // Keep [1] preload and [2] the Lua searcher.
  for (let i = lua.lua_rawlen(L, -1); i > 2; i--) {
    lua.lua_pushnil(L);
    lua.lua_rawseti(L, -2, i);
  }
  lua.lua_pop(L, 1);
  for (const field of ["jspath", "loadlib", "cpath"]) {
    lua.lua_pushnil(L);
    lua.lua_setfield(L, -2, field);
  }
  // fengari's own library (version strings) is not part of LuaJIT's world: hide it everywhere.
  lua.lua_getfield(L, -1, "loaded");
  lua.lua_pushnil(L);
  lua.lua_setfield(L, -2, "fengari");
  lua.lua_pop(L, 2);
  lua.lua_pushnil(L);
  lua.lua_setglobal(L, "fengari");
}
