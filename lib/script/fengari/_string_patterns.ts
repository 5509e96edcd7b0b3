/**
 * `string.gsub`, `string.find`, `string.match` and `string.gmatch` as tight JavaScript over fengari's byte
 * strings, on the matcher of `_lua_pattern.ts`. fengari 0.1.5's `gsub` appends its result one byte at a time
 * through `luaL_addchar`, and each append makes a `subarray()` (an object) of its buffer: a JSON encoder
 * escaping strings with `gsub` spent a quarter of its time there and in the garbage collector
 * (docs/benchmarks.md#fengari-lua-in-javascript). Here the result grows in a reused buffer and is copied
 * once into the new string (or, when nothing was replaced, is the subject itself: most of the strings such an
 * encoder escapes need no escape); captures are pushed without intermediate copies.
 *
 * Installed per state by {@linkcode installStringPatterns}, behind a probe: only when fengari is the release
 * these were checked against (0.1.5) and the state's `string` table still holds fengari's own four functions.
 * Results, argument checks and error messages are fengari's (C Lua 5.3's); `tests/script/fengari/
 * string_patterns_test.ts` runs cases from Lua 5.3's pm.lua through both.
 *
 * @module
 */

import { lauxlib, lua, type LuaJsFunction, type LuaState, raise } from "./_lua.ts";
import { newBytes } from "./_fast_paths.ts";
import {
  argumentAt,
  newString,
  popValue,
  pushString,
  pushValue,
  stringArgument,
  topValue,
  type TString,
} from "./_direct.ts";
import { isFalse } from "./_tags.ts";
import {
  acquireMatchState,
  CAP_POSITION,
  CAP_UNFINISHED,
  doMatch,
  indexOfBytes,
  isPlain,
  MatchState,
  releaseMatchState,
  singleClassMembers,
} from "./_lua_pattern.ts";

const LUA_TNIL = lua.LUA_TNIL;

/** fengari's own functions' names (lstrlib.js), by `string` field: the shape the probe expects. */
const ORIGINAL_NAMES: Record<string, string> = {
  gsub: "str_gsub",
  find: "str_find",
  match: "str_match",
  gmatch: "str_gmatch",
};
const L_ESC = 37;

/**
 * How often `gsub` took the path for a pattern of one single-character class (`singleClassMembers`), how
 * often it returned its subject unchanged (no match replaced, no copy), and how often a function's or table's
 * string result was read from its slot, for tests.
 */
export const patternProbe = { gsubSingleClass: 0, gsubUnchanged: 0, gsubDirectValue: 0 };

/** The one-byte strings, made once each: a capture of one byte (gsub's `%c` match) needs no new string. */
const oneByteStrings: (TString | undefined)[] = new Array(256);

/** Pushes `src[start, end)` as a new Lua string (a shared one for a single byte: strings are immutable). */
function pushBytes(L: LuaState, src: Uint8Array, start: number, end: number): void {
  const length = end - start;
  if (length === 1) {
    const c = src[start];
    let ts = oneByteStrings[c];
    if (ts === undefined) ts = oneByteStrings[c] = newString(L, Uint8Array.of(c));
    pushString(L, ts);
    return;
  }
  const bytes = newBytes(length);
  if (length < 32) {
    for (let i = 0; i < length; i++) bytes[i] = src[start + i];
  } else {
    bytes.set(src.subarray(start, end));
  }
  pushString(L, newString(L, bytes));
}

/** `push_onecapture`: capture `i` (or the whole match `[s, e)` when there are no captures). */
function pushCapture(ms: MatchState, i: number, s: number, e: number): void {
  const L = ms.L!;
  if (i >= ms.level) {
    if (i !== 0) raise(L, `invalid capture index %${i + 1}`);
    pushBytes(L, ms.src, s, e);
    return;
  }
  const length = ms.captureLength[i];
  if (length === CAP_UNFINISHED) raise(L, "unfinished capture");
  const start = ms.captureStart[i];
  if (length === CAP_POSITION) lua.lua_pushinteger(L, start + 1);
  else pushBytes(L, ms.src, start, start + length);
}

/** `push_captures`: every capture, or the whole match when there are none (and `s` is given). */
function pushCaptures(ms: MatchState, s: number, e: number, wholeIfNone: boolean): number {
  const levels = ms.level === 0 && wholeIfNone ? 1 : ms.level;
  lauxlib.luaL_checkstack(ms.L!, levels, "too many captures");
  for (let i = 0; i < levels; i++) pushCapture(ms, i, s, e);
  return levels;
}

/** `posrelat`: a possibly negative string position made absolute (0 when before the start). */
function relativePosition(pos: number, length: number): number {
  if (pos >= 0) return pos;
  if (-pos > length) return 0;
  return length + pos + 1;
}

/** `str_find_aux`: `string.find` when `find`, else `string.match`. */
function findOrMatch(L: LuaState, find: boolean): number {
  const s = lauxlib.luaL_checklstring(L, 1);
  const p = lauxlib.luaL_checklstring(L, 2);
  const ls = s.length;
  let init = relativePosition(lauxlib.luaL_optinteger(L, 3, 1), ls);
  // Past the end, LuaJIT (wrk's Lua) starts at the end, where Lua 5.3 answers nil: `("abc"):find("", 10)` is
  // `4 3` under wrk.
  if (init < 1) init = 1;
  else if (init > ls + 1) init = ls + 1;
  if (find && (lua.lua_toboolean(L, 4) || isPlain(p))) {
    const at = indexOfBytes(s, p, init - 1);
    if (at !== -1) {
      lua.lua_pushinteger(L, at + 1);
      lua.lua_pushinteger(L, at + p.length);
      return 2;
    }
  } else {
    const ms = acquireMatchState();
    ms.prepare(L, s, p);
    const anchor = p[0] === 94; // '^'
    const pStart = anchor ? 1 : 0;
    let s1 = init - 1;
    do {
      ms.level = 0;
      const e = doMatch(ms, s1, pStart);
      if (e !== -1) {
        let n: number;
        if (find) {
          lua.lua_pushinteger(L, s1 + 1);
          lua.lua_pushinteger(L, e);
          n = pushCaptures(ms, -1, 0, false) + 2;
        } else {
          n = pushCaptures(ms, s1, e, true);
        }
        releaseMatchState(ms);
        return n;
      }
    } while (s1++ < ms.srcEnd && !anchor);
    releaseMatchState(ms);
  }
  lua.lua_pushnil(L);
  return 1;
}

/** `string.find(s, pattern [, init [, plain]])`. */
export function stringFind(L: LuaState): number {
  return findOrMatch(L, true);
}

/** `string.match(s, pattern [, init])`. */
export function stringMatch(L: LuaState): number {
  return findOrMatch(L, false);
}

/** `string.gmatch(s, pattern)`: an iterator over the matches, each call resuming after the last one. */
export function stringGmatch(L: LuaState): number {
  const s = lauxlib.luaL_checklstring(L, 1);
  const p = lauxlib.luaL_checklstring(L, 2);
  // Its own state, not a pooled one: the iterator lives as long as the script keeps it.
  const ms = new MatchState();
  let position = 0;
  lua.lua_pushjsfunction(L, (L1: LuaState): number => {
    ms.prepare(L1, s, p);
    for (let src = position; src <= ms.srcEnd; src++) {
      ms.level = 0;
      const e = doMatch(ms, src, 0);
      if (e !== -1) {
        // LuaJIT's (Lua 5.1's) rule, not Lua 5.3.6's: an empty match right after a match counts too, and the
        // next search starts one further (`("x;;y"):gmatch("[^;]*")` gives x, "", "", y, "").
        position = e === src ? e + 1 : e;
        return pushCaptures(ms, src, e, true);
      }
    }
    return 0;
  });
  return 1;
}

/** Appends the decimal digits of a non-negative integer. */
function appendInteger(ms: MatchState, n: number): void {
  const text = String(n);
  for (let i = 0; i < text.length; i++) ms.appendByte(text.charCodeAt(i));
}

/**
 * `add_s`: the replacement string `news`, with `%0`-`%9` expanded and `%` before anything else giving that
 * byte (LuaJIT's rule), for the match `[s, e)`.
 */
function addString(ms: MatchState, news: Uint8Array, s: number, e: number): void {
  const L = ms.L!;
  const l = news.length;
  for (let i = 0; i < l; i++) {
    const c = news[i];
    if (c !== L_ESC) {
      ms.appendByte(c);
      continue;
    }
    i++; // skip the escape
    // As LuaJIT (Lua 5.1) does, where Lua 5.3 raises "invalid use of '%'": a non-digit after `%` is itself
    // (`gsub("-", "%-")` puts "-"), and a `%` at the end puts the byte after the string, C's terminating 0.
    const d = i < l ? news[i] : 0;
    if (!(d >= 48 && d <= 57)) {
      ms.appendByte(d);
    } else if (d === 48) {
      ms.append(ms.src, s, e);
    } else {
      const index = d - 49;
      if (index >= ms.level) {
        if (index !== 0) raise(L, `invalid capture index %${index + 1}`);
        ms.append(ms.src, s, e);
        continue;
      }
      const length = ms.captureLength[index];
      if (length === CAP_UNFINISHED) raise(L, "unfinished capture");
      const start = ms.captureStart[index];
      if (length === CAP_POSITION) appendInteger(ms, start + 1);
      else ms.append(ms.src, start, start + length);
    }
  }
}

/**
 * `add_value` for a function or table replacement: its result, or the match itself when nil or false. The
 * function and the result are read and written in their stack slots (`_direct.ts`), as `lua_pushvalue`,
 * `lua_toboolean`, `lua_type` and `lua_pop` would; a number result is converted by the API (`lua_tolstring`).
 */
function addCalledValue(ms: MatchState, s: number, e: number, isFunction: boolean): void {
  const L = ms.L!;
  if (isFunction) {
    pushValue(L, argumentAt(L, 3)!);
    const n = pushCaptures(ms, s, e, true);
    lua.lua_call(L, n, 1);
  } else {
    pushCapture(ms, 0, s, e);
    lua.lua_gettable(L, 3);
  }
  const result = topValue(L);
  if (isFalse(result)) {
    popValue(L);
    ms.append(ms.src, s, e); // keep the original text
    return;
  }
  const type = result.type & 0x0f;
  if (type === lua.LUA_TSTRING) {
    patternProbe.gsubDirectValue++;
    const value = (result.value as TString).realstring;
    ms.append(value, 0, value.length);
    popValue(L);
    return;
  }
  if (type !== lua.LUA_TNUMBER) {
    raise(L, `invalid replacement value (a ${new TextDecoder().decode(lauxlib.luaL_typename(L, -1))})`);
  }
  const value = lua.lua_tolstring(L, -1)!;
  ms.append(value, 0, value.length);
  lua.lua_pop(L, 1);
}

/** `string.gsub(s, pattern, repl [, n])`. */
export function stringGsub(L: LuaState): number {
  // The arguments read in their slots when they are of the usual kinds; the API for the others (conversions,
  // errors), in the same order.
  const src = stringArgument(L, 1) ?? lauxlib.luaL_checklstring(L, 1);
  const p = stringArgument(L, 2) ?? lauxlib.luaL_checklstring(L, 2);
  const srcl = src.length;
  const repl = argumentAt(L, 3);
  const tr = repl === undefined ? lua.LUA_TNONE : repl.type & 0x0f;
  const limit = argumentAt(L, 4);
  const maxS = limit === undefined || limit.type === LUA_TNIL
    ? srcl + 1
    : lauxlib.luaL_optinteger(L, 4, srcl + 1);
  if (tr !== lua.LUA_TNUMBER && tr !== lua.LUA_TSTRING && tr !== lua.LUA_TFUNCTION && tr !== lua.LUA_TTABLE) {
    lauxlib.luaL_argerror(L, 3, "string/function/table expected");
  }
  const anchor = p[0] === 94; // '^'
  const pStart = anchor ? 1 : 0;
  // A string (or number) replacement: its bytes once, not per match.
  const news = tr === lua.LUA_TSTRING || tr === lua.LUA_TNUMBER ? lua.lua_tolstring(L, 3)! : null;
  const plainNews = news !== null && news.indexOf(L_ESC) === -1;
  const ms = acquireMatchState();
  ms.prepare(L, src, p);
  let s = 0;
  let n = 0;
  const members = anchor ? null : singleClassMembers(p);
  if (members !== null) {
    // Every match is one byte: test bytes against the class's table, copy the runs between matches whole.
    patternProbe.gsubSingleClass++;
    ms.level = 0;
    while (n < maxS && s < srcl) {
      let run = s;
      while (run < srcl && members[src[run]] === 0) run++;
      if (run === srcl) break; // the rest is copied after the loop
      ms.append(src, s, run);
      s = run;
      n++;
      if (plainNews) ms.append(news!, 0, news!.length);
      else if (news !== null) addString(ms, news, s, s + 1);
      else addCalledValue(ms, s, s + 1, tr === lua.LUA_TFUNCTION);
      s++;
    }
  }
  // LuaJIT's (Lua 5.1's) rule, not Lua 5.3.6's: an empty match right after a match is replaced too
  // (`("a,,b"):gsub("[^,]*", "<%0>")` makes 5 replacements, "<a><>,<>,<b><>").
  while (members === null && n < maxS) {
    ms.level = 0;
    const e = doMatch(ms, s, pStart);
    if (e !== -1) {
      n++;
      if (plainNews) ms.append(news!, 0, news!.length);
      else if (news !== null) addString(ms, news, s, e);
      else addCalledValue(ms, s, e, tr === lua.LUA_TFUNCTION);
    }
    if (e > s) s = e;
    else if (s < srcl) ms.appendByte(src[s++]);
    else break;
    if (anchor) break;
  }
  if (n === 0) {
    // Nothing replaced: the result is the subject's bytes, and a Lua string is a value (no identity to tell
    // a copy from the original), so the subject itself is the result, without a copy.
    releaseMatchState(ms);
    patternProbe.gsubUnchanged++;
    pushString(L, argumentAt(L, 1)!.value as TString);
    lua.lua_pushinteger(L, 0);
    return 2;
  }
  ms.append(src, s, srcl);
  const length = ms.outLength;
  const result = newBytes(length);
  const out = ms.out;
  // A short result by hand: `subarray()` would make an object only to copy from.
  if (length <= 256) { for (let i = 0; i < length; i++) result[i] = out[i]; }
  else result.set(out.subarray(0, length));
  releaseMatchState(ms);
  pushString(L, newString(L, result));
  lua.lua_pushinteger(L, n);
  return 2;
}

const REPLACEMENTS: Record<string, LuaJsFunction> = {
  gsub: stringGsub,
  find: stringFind,
  match: stringMatch,
  gmatch: stringGmatch,
};

/**
 * Whether the `string` table on top of the stack holds fengari's own functions (not a script's, not another
 * patch's). The release is pinned (fengari 0.1.5, vendored in third_party/fengari/), as for the other
 * patches.
 */
function probe(L: LuaState): boolean {
  for (const [field, name] of Object.entries(ORIGINAL_NAMES)) {
    lua.lua_getfield(L, -1, field);
    const fn = lua.lua_tocfunction(L, -1);
    lua.lua_pop(L, 1);
    if (fn === null || fn.name !== name) return false;
  }
  return true;
}

/**
 * Replaces `string.gsub`, `find`, `match` and `gmatch` in a state with the standard libraries open, when the
 * probe agrees; returns whether it did. Call before scripts run (the string metatable's `__index` is the same
 * table, so `s:gsub(…)` sees the replacements too).
 *
 * @example Installing into a new state
 * ```ts ignore
 * const L = lauxlib.luaL_newstate();
 * lualib.luaL_openlibs(L);
 * installStringPatterns(L); // true on fengari 0.1.5
 * ```
 */
export function installStringPatterns(L: LuaState): boolean {
  lua.lua_getglobal(L, "string");
  const applies = lua.lua_type(L, -1) === lua.LUA_TTABLE && probe(L);
  if (applies) {
    for (const [field, fn] of Object.entries(REPLACEMENTS)) {
      lua.lua_pushjsfunction(L, fn);
      lua.lua_setfield(L, -2, field);
    }
  }
  lua.lua_pop(L, 1);
  return applies;
}
