/**
 * Calls `response(status, headers, body)` for every response (docs/wrk-compat.md#delay-request-and-response), building the header table in JS from
 * the parser's byte offsets. Header names, most values and small bodies repeat from one response to the next,
 * so their Lua strings are cached (see `fengari/_byte_string_cache.ts`, docs/wrk-compat.md#calling-hooks), and the table is filled
 * directly rather than through `lua_rawset` (see `fengari/_direct.ts`). Names stay as received; lookups
 * in another case (HTTP/2's lower-case names, `headers["Content-Type"]`) go through the state's one shared
 * metatable (see `_header_lookup.ts`).
 *
 * When `response()` cannot keep the table (it only indexes it: `fengari/_kept_arguments.ts`), the table of the
 * last response is filled again: with the same names in the same order, only values that changed are set. A
 * new table and its entries were most of what a response allocated (docs/benchmarks.md#the-scripted-case-2026-12-06).
 * A head the parser recognised as the last one's (a server's answers differ in `Date` once a second) sets
 * nothing: its version says so (`ResponseView.headVersion`, lib/net/http1/_repeated_head.ts). Any other head is
 * compared name by name and value by value with what the table holds, which sets nothing when they are equal.
 *
 * @module
 */

import { densifyStack, lua, type LuaState, pcall, REGISTRY, stackLength } from "./fengari/_lua.ts";
import { ByteStringCache } from "./fengari/_byte_string_cache.ts";
import {
  clearOwnTable,
  newTable,
  pushInteger,
  pushRegistryValue,
  pushString,
  pushTable,
  rawSetString,
  type Table,
  type TString,
} from "./fengari/_direct.ts";
import { argumentStaysInCall, localReadCounter } from "./fengari/_kept_arguments.ts";
import type { ResponseSink, ResponseView } from "../net/request_source.ts";
import { errorFromStack } from "./_state.ts";
import { newHeaderMetatable } from "./_header_lookup.ts";

/** Header names: enough for every name a real server sends. */
const MAX_NAMES = 256;
/** Header values and bodies worth caching are short and repeat (`keep-alive`, `text/plain`, "OK"). */
const MAX_VALUES = 256;
const MAX_VALUE_BYTES = 128;
/** The body's slot in the value cache: past the headers of any real response (sharing one is only slower). */
const BODY_SLOT = 255;

/**
 * How often a header table was filled again rather than made anew, and how often of those the head's version
 * said the table already held it (nothing to compare or set), for tests.
 */
export const headerTableProbe = { reused: 0, sameVersion: 0 };

/** Forwards responses to the script's `response()` hook, held by registry reference. */
export class LuaResponseSink implements ResponseSink {
  readonly #L: LuaState;
  readonly #ref: number;
  readonly #path: string;
  readonly #names = new ByteStringCache(MAX_NAMES, 256);
  readonly #values = new ByteStringCache(MAX_VALUES, MAX_VALUE_BYTES);
  /** Every header table's metatable: one per state (a sink is made once per thread state). */
  readonly #headerMetatable: Table;
  /**
   * The header table of the last response, to fill again for the next one: kept only while `response()`
   * cannot keep it itself (`fengari/_kept_arguments.ts`), null otherwise.
   */
  #table: Table | null = null;
  /** Whether `response()` cannot keep its header table, as far as its bytecode tells. */
  #reuse: boolean;
  /** Calls of `debug.getlocal` and `debug.getregistry` in this state so far (null: not watched, no reuse). */
  readonly #localReads: { readonly count: number } | null;
  /** Stack length when it was last made dense (see `densifyStack`). */
  #denseLength = -1;
  /** The version of the head whose headers `#table` holds (`ResponseView.headVersion`); 0: not known. */
  #tableVersion = 0;

  /** Creates a sink calling the function at registry reference `responseRef`. */
  constructor(L: LuaState, responseRef: number, path: string) {
    this.#L = L;
    this.#ref = responseRef;
    this.#path = path;
    this.#headerMetatable = newHeaderMetatable(L);
    lua.lua_rawgeti(L, REGISTRY, responseRef);
    this.#localReads = localReadCounter(L);
    this.#reuse = this.#localReads !== null && argumentStaysInCall(L, -1, 2);
    lua.lua_pop(L, 1);
  }

  /** Calls `response(status, headers, body)`; throws a `ScriptError` naming `response` if it fails. */
  onResponse(response: ResponseView): void {
    const L = this.#L;
    pushRegistryValue(L, this.#ref);
    pushInteger(L, response.status);
    pushTable(L, this.#headerTable(response));
    pushString(L, this.#values.get(L, response.body, 0, response.bodyLength, BODY_SLOT));
    if (pcall(L, 3, 0) !== lua.LUA_OK) {
      const error = errorFromStack(L, this.#path, "response");
      lua.lua_pop(L, 1);
      throw error;
    }
    if (stackLength(L) !== this.#denseLength) this.#denseLength = densifyStack(L);
  }

  /** The header table for `response`: the last one filled again when it may be, else a new one. */
  #headerTable(response: ResponseView): Table {
    const L = this.#L;
    let table = this.#table;
    if (table !== null) {
      // debug.getlocal can read any frame's locals, and the registry holds the tables' metatable: once either
      // ran, a table given out may be held anywhere.
      if (this.#localReads!.count !== 0) {
        this.#reuse = false;
        this.#table = table = null;
      } else if (response.headVersion !== 0 && response.headVersion === this.#tableVersion) {
        headerTableProbe.reused++;
        headerTableProbe.sameVersion++;
        return table;
      } else if (this.#refill(table, response)) {
        headerTableProbe.reused++;
        this.#tableVersion = response.headVersion;
        return table;
      } else {
        clearOwnTable(table);
      }
    }
    if (table === null) {
      table = newTable(L);
      // What `lua_setmetatable` does, without a stack slot.
      table.metatable = this.#headerMetatable;
      if (this.#reuse && this.#localReads!.count === 0) this.#table = table;
    }
    const count = response.headerCount;
    const { head, nameStart, nameEnd, valueStart, valueEnd } = response;
    for (let i = 0; i < count; i++) {
      // A repeated name keeps the last value, as in wrk.
      rawSetString(
        table,
        this.#names.get(L, head, nameStart[i], nameEnd[i], i),
        this.#values.get(L, head, valueStart[i], valueEnd[i], i),
      );
    }
    if (table === this.#table) this.#tableVersion = response.headVersion;
    return table;
  }

  /**
   * Sets the values of `table` (the last response's, untouched since: `response()` could not reach it) to this
   * response's, when this response has the same names in the same order; false, with some values maybe set,
   * otherwise. Names and values are compared with the strings the table holds, byte for byte (a value that
   * differs is then looked up in the cache, as a new table's would be).
   */
  #refill(table: Table, response: ResponseView): boolean {
    const L = this.#L;
    const count = response.headerCount;
    const { head, nameStart, nameEnd, valueStart, valueEnd } = response;
    let entry = table.f;
    for (let i = 0; i < count; i++) {
      if (entry === undefined) return false;
      const start = nameStart[i];
      if (!sameBytes((entry.key.value as TString).realstring, head, start, nameEnd[i] - start)) return false;
      const value = entry.value;
      const vStart = valueStart[i];
      const vEnd = valueEnd[i];
      if (!sameBytes((value.value as TString).realstring, head, vStart, vEnd - vStart)) {
        value.value = this.#values.get(L, head, vStart, vEnd, i);
      }
      entry = entry.n;
    }
    return entry === undefined;
  }
}

/** Are `a`'s bytes the `length` bytes of `b` from `offset`? */
function sameBytes(a: Uint8Array, b: Uint8Array, offset: number, length: number): boolean {
  if (a.length !== length) return false;
  for (let i = 0; i < length; i++) if (a[i] !== b[offset + i]) return false;
  return true;
}
