/**
 * `wrk.format(method, path, headers, body)` in JS: the same bytes as wrk's Lua version (`wrk.lua`) run on the
 * same table, many times faster on fengari than the Lua version (docs/wrk-compat.md#wrkformat,
 * docs/benchmarks.md#measurements-behind-the-code).
 *
 * @module
 */

import { lua, luaBytes, type LuaJsFunction, type LuaState, raise, typeName } from "./fengari/_lua.ts";
import { numberBytes, toText } from "./compat/_to_text.ts";
import { newBytes, putBytes } from "./fengari/_fast_paths.ts";
import {
  argumentAt,
  baseType,
  type Entry,
  newString,
  pushString,
  rawGetString,
  rawSetInteger,
  rawSetString,
  type Table,
  topString,
  type TString,
  type TValue,
  upvalueAt,
} from "./fengari/_direct.ts";
import { floatText, numberLength, writeNumber } from "./fengari/_number_text.ts";
import { isFalse, LUA_TNUMINT } from "./fengari/_tags.ts";

const SPACE = luaBytes(" ");
const REQUEST_LINE_END = luaBytes(" HTTP/1.1\r\n");
const COLON = luaBytes(": ");
const CRLF = luaBytes("\r\n");

/** Output is assembled here and copied once into the Lua string. */
let scratch = new Uint8Array(4096);

/**
 * Makes the `wrk.format` function; the `wrk` table must be on top of the stack and becomes its upvalue (as in
 * wrk, where `format` refers to its own module table, not to whatever the global `wrk` is later).
 */
export function pushWrkFormat(L: LuaState): void {
  // The keys are upvalues too: a JS string key would be encoded and hashed again on every call, which was
  // half the cost of wrk.format (fengari hashes a string key by building a hex string of its bytes).
  const keys: TString[] = [];
  for (const key of KEYS) {
    lua.lua_pushstring(L, key);
    keys.push(topString(L));
  }
  const [method, path, headers, body, host, contentLength] = keys;
  const direct = new DirectFormat({ method, path, headers, body, host, contentLength });
  lua.lua_pushjsclosure(L, (L1: LuaState) => direct.format(L1) ? 1 : wrkFormat(L1), 1 + KEYS.length);
}

const KEYS = ["method", "path", "headers", "body", "Host", "Content-Length"] as const;
const WRK = lua.lua_upvalueindex(1);
/** Upvalue index of each key; fields 0..3 are the arguments' fallbacks, in argument order. */
const KEY = Object.fromEntries(KEYS.map((key, i) => [key, lua.lua_upvalueindex(i + 2)])) as Record<
  typeof KEYS[number],
  number
>;

/** Pushes `t[key]` (metamethods honoured, as Lua's `t.key`) where `t` is at absolute index `table`. */
function getKey(L: LuaState, table: number, key: number): void {
  lua.lua_pushvalue(L, key);
  lua.lua_gettable(L, table);
}

/** `t[key] = <top>` (pops the value) where `t` is at absolute index `table`. */
function setKey(L: LuaState, table: number, key: number): void {
  lua.lua_pushvalue(L, key);
  lua.lua_insert(L, -2);
  lua.lua_settable(L, table);
}

const wrkFormat: LuaJsFunction = (L: LuaState): number => {
  lua.lua_settop(L, 4);
  // `x = x or wrk.x`: nil and false both fall back.
  for (let i = 1; i <= 4; i++) {
    if (!lua.lua_toboolean(L, i)) {
      getKey(L, WRK, lua.lua_upvalueindex(i + 1));
      lua.lua_replace(L, i);
    }
  }
  if (lua.lua_type(L, 3) !== lua.LUA_TTABLE) {
    return raise(L, `bad argument #3 to 'format' (table expected, got ${typeName(L, 3)})`);
  }
  const bodyType = lua.lua_type(L, 4);
  const hasBody = lua.lua_toboolean(L, 4);
  if (hasBody && bodyType !== lua.LUA_TSTRING && bodyType !== lua.LUA_TNUMBER) {
    return raise(L, `bad argument #4 to 'format' (string expected, got ${typeName(L, 4)})`);
  }

  // if not headers["Host"] then headers["Host"] = wrk.headers["Host"] end
  getKey(L, 3, KEY.Host);
  const hasHost = lua.lua_toboolean(L, -1);
  lua.lua_pop(L, 1);
  if (!hasHost) {
    getKey(L, WRK, KEY.headers);
    getKey(L, lua.lua_absindex(L, -1), KEY.Host);
    setKey(L, 3, KEY.Host);
    lua.lua_pop(L, 1);
  }

  // headers["Content-Length"] = body and string.len(body)
  const body = hasBody ? toText(L, 4) : null;
  if (body !== null) lua.lua_pushinteger(L, body.length);
  else lua.lua_pushvalue(L, 4);
  setKey(L, 3, KEY["Content-Length"]);

  const pieces: Uint8Array[] = [toText(L, 1), SPACE, toText(L, 2), REQUEST_LINE_END];
  lua.lua_pushnil(L);
  while (lua.lua_next(L, 3)) {
    pieces.push(toText(L, 5), COLON, toText(L, 6), CRLF);
    lua.lua_pop(L, 1);
  }
  pieces.push(CRLF);
  if (body !== null) pieces.push(body);

  let length = 0;
  for (const piece of pieces) length += piece.length;
  if (scratch.length < length) scratch = new Uint8Array(Math.max(length, scratch.length * 2));
  let offset = 0;
  for (const piece of pieces) {
    scratch.set(piece, offset);
    offset += piece.length;
  }
  lua.lua_pushlstring(L, scratch, length);
  return 1;
};

/** How often `wrk.format` took the direct path ({@linkcode DirectFormat}), and how often it reused a line. */
export const wrkFormatProbe = { direct: 0, cachedLines: 0 };

/**
 * A header line as the last call wrote it: its entry, the value it had (type and value: the same string object,
 * or the same number) and, from the second call that finds the value unchanged, its bytes (`Name: value\r\n`).
 * A value that changes on every call (a counter) is written straight into the request and never kept.
 */
interface Line {
  entry: Entry | undefined;
  type: number;
  value: unknown;
  bytes: Uint8Array | null;
  /** A number value's text (`floatText`: null for an integer, whose digits are written). */
  text: string | null;
}

/**
 * The common case without the API: string arguments or nil, plain tables (no metatables), string or number
 * header values, a string or number body given as the argument (or none at all). Reads the arguments and
 * fengari's tables directly (`fengari/_direct.ts`) and builds the request in one buffer that becomes the Lua
 * string. Returns false, having changed nothing that the general path would not change the same way, whenever
 * the call is anything else; the general path then does it all.
 */
class DirectFormat {
  readonly #keys: Record<"method" | "path" | "headers" | "body" | "host" | "contentLength", TString>;
  /** The header lines of the last call, by position in the headers table's order. */
  readonly #lines: Line[] = [];
  /**
   * This call's header values, by position, when not from a kept line: their bytes, or the number (its text
   * in the line's `text`); null for a kept line.
   */
  readonly #values: (Uint8Array | number | null)[] = [];

  constructor(keys: Record<"method" | "path" | "headers" | "body" | "host" | "contentLength", TString>) {
    this.#keys = keys;
  }

  format(L: LuaState): boolean {
    const wrkValue = upvalueAt(L, 1);
    if (wrkValue === undefined || wrkValue.type !== LUA_TTABLE) return false;
    const wrk = wrkValue.value as Table;
    if (wrk.metatable !== null) return false;
    const keys = this.#keys;
    const method = stringArgument(argumentAt(L, 1), wrk, keys.method);
    const path = stringArgument(argumentAt(L, 2), wrk, keys.path);
    if (method === null || path === null) return false;
    const headers = tableArgument(argumentAt(L, 3), wrk, keys.headers);
    if (headers === null) return false;
    // A string or number body sets Content-Length (after Host, as the general path does). A body taken from
    // `wrk.body` goes the general way; so does an existing Content-Length to remove.
    const bodyArgument = argumentAt(L, 4);
    const bodyType = bodyArgument === undefined ? lua.LUA_TNIL : baseType(bodyArgument);
    let body: Uint8Array | null = null;
    if (bodyType === lua.LUA_TSTRING) body = (bodyArgument!.value as TString).realstring;
    else if (bodyType === lua.LUA_TNUMBER) body = numberBytes(bodyArgument!.value as number);
    else if (bodyType !== lua.LUA_TNIL) return false;
    else if (rawGetString(wrk, keys.body) !== undefined) return false;
    else if (rawGetString(headers, keys.contentLength) !== undefined) return false;
    if (rawGetString(headers, keys.host) === undefined) {
      const wrkHeaders = rawGetString(wrk, keys.headers);
      if (wrkHeaders === undefined || baseType(wrkHeaders) !== lua.LUA_TTABLE) return false;
      const host = rawGetString(wrkHeaders.value as Table, keys.host);
      if (host === undefined || baseType(host) !== lua.LUA_TSTRING) return false;
      rawSetString(headers, keys.host, host.value as TString);
    }
    if (body !== null) rawSetInteger(headers, keys.contentLength, body.length);

    const lines = this.#lines;
    const values = this.#values;
    let count = 0;
    let length = method.length + SPACE.length + path.length + REQUEST_LINE_END.length + CRLF.length +
      (body === null ? 0 : body.length);
    for (let entry = headers.f; entry !== undefined; entry = entry.n, count++) {
      if (baseType(entry.key) !== lua.LUA_TSTRING) return false;
      const v = entry.value;
      const type = v.type;
      const value = v.value;
      let line = lines[count];
      if (line === undefined) {
        line = lines[count] = { entry: undefined, type: 0, value: null, bytes: null, text: null };
      }
      if (line.entry === entry && line.type === type && Object.is(line.value, value)) {
        // The same value as last time: its line is kept (made now, the second time it is seen).
        if (line.bytes === null) line.bytes = headerLine(entry, value);
        values[count] = null;
        length += line.bytes.length;
        continue;
      }
      let bytes: Uint8Array | number;
      let valueLength: number;
      const base = type & 0x0f;
      if (base === lua.LUA_TSTRING) {
        bytes = (value as TString).realstring;
        valueLength = bytes.length;
      } else if (base === lua.LUA_TNUMBER) {
        bytes = value as number;
        const text = line.text = floatText(bytes, type === LUA_TNUMINT);
        valueLength = numberLength(bytes, text);
      } else {
        return false;
      }
      line.entry = entry;
      line.type = type;
      line.value = value;
      line.bytes = null;
      values[count] = bytes;
      length += (entry.key.value as TString).realstring.length + COLON.length + valueLength + CRLF.length;
    }

    const out = newBytes(length);
    let offset = putBytes(out, 0, method);
    offset = putBytes(out, offset, SPACE);
    offset = putBytes(out, offset, path);
    offset = putBytes(out, offset, REQUEST_LINE_END);
    for (let i = 0; i < count; i++) {
      const line = lines[i];
      const value = values[i];
      if (value === null) {
        wrkFormatProbe.cachedLines++;
        offset = putBytes(out, offset, line.bytes!);
        continue;
      }
      values[i] = null;
      offset = putBytes(out, offset, (line.entry!.key.value as TString).realstring);
      out[offset++] = 58; // ':'
      out[offset++] = 32; // ' '
      if (typeof value === "number") offset = writeNumber(out, offset, value, line.text);
      else offset = putBytes(out, offset, value);
      out[offset++] = 13;
      out[offset++] = 10;
    }
    offset = putBytes(out, offset, CRLF);
    if (body !== null) putBytes(out, offset, body);
    wrkFormatProbe.direct++;
    pushString(L, newString(L, out));
    return true;
  }
}

/** `Name: value\r\n` for a string or number value, as its own bytes (kept by {@linkcode DirectFormat}). */
function headerLine(entry: Entry, value: unknown): Uint8Array {
  const name = (entry.key.value as TString).realstring;
  const type = entry.value.type;
  const string = (type & 0x0f) === lua.LUA_TSTRING ? (value as TString).realstring : null;
  const text = string === null ? floatText(value as number, type === LUA_TNUMINT) : null;
  const valueLength = string === null ? numberLength(value as number, text) : string.length;
  // From the shared blocks: a line may be made again and again when its value changes every other call.
  const bytes = newBytes(name.length + COLON.length + valueLength + CRLF.length);
  let offset = putBytes(bytes, 0, name);
  offset = putBytes(bytes, offset, COLON);
  offset = string === null
    ? writeNumber(bytes, offset, value as number, text)
    : putBytes(bytes, offset, string);
  putBytes(bytes, offset, CRLF);
  return bytes;
}

/** An argument's bytes when it is a string, `wrk[key]`'s when it is nil/false/absent; null otherwise. */
function stringArgument(arg: TValue | undefined, wrk: Table, key: TString): Uint8Array | null {
  if (arg !== undefined) {
    if (baseType(arg) === lua.LUA_TSTRING) return (arg.value as TString).realstring;
    if (!isFalse(arg)) return null;
  }
  const value = rawGetString(wrk, key);
  return value !== undefined && baseType(value) === lua.LUA_TSTRING
    ? (value as TValue & { value: TString }).value.realstring
    : null;
}

/** An argument as a plain table, or `wrk[key]` when it is nil/false/absent; null when not a plain table. */
function tableArgument(arg: TValue | undefined, wrk: Table, key: TString): Table | null {
  let table: Table | null = null;
  if (arg !== undefined && arg.type === LUA_TTABLE) table = arg.value as Table;
  else if (arg === undefined || isFalse(arg)) {
    const value = rawGetString(wrk, key);
    if (value !== undefined && value.type === LUA_TTABLE) table = value.value as Table;
  }
  return table !== null && table.metatable === null ? table : null;
}

const LUA_TTABLE = lua.LUA_TTABLE;
