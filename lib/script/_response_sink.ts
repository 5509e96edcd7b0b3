/**
 * Calls `response(status, headers, body)` for every response (docs/wrk-compat.md#delay-request-and-response), building the header table in JS from
 * the parser's byte offsets. Header names, most values and small bodies repeat from one response to the next,
 * so their Lua strings are cached (see `fengari/_byte_string_cache.ts`, docs/wrk-compat.md#calling-hooks), and the table is filled
 * directly rather than through `lua_rawset` (see `fengari/_direct.ts`). Names stay as received; lookups
 * in another case (HTTP/2's lower-case names, `headers["Content-Type"]`) go through the state's one shared
 * metatable (see `_header_lookup.ts`).
 *
 * @module
 */

import { densifyStack, lua, type LuaState, REGISTRY, stackLength } from "./fengari/_lua.ts";
import { ByteStringCache } from "./fengari/_byte_string_cache.ts";
import { pushString, rawSetString, type Table } from "./fengari/_direct.ts";
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

/** Forwards responses to the script's `response()` hook, held by registry reference. */
export class LuaResponseSink implements ResponseSink {
  readonly #L: LuaState;
  readonly #ref: number;
  readonly #path: string;
  readonly #names = new ByteStringCache(MAX_NAMES, 256);
  readonly #values = new ByteStringCache(MAX_VALUES, MAX_VALUE_BYTES);
  /** Every header table's metatable: one per state (a sink is made once per thread state). */
  readonly #headerMetatable: Table;
  /** Stack length when it was last made dense (see `densifyStack`). */
  #denseLength = -1;

  /** Creates a sink calling the function at registry reference `responseRef`. */
  constructor(L: LuaState, responseRef: number, path: string) {
    this.#L = L;
    this.#ref = responseRef;
    this.#path = path;
    this.#headerMetatable = newHeaderMetatable(L);
  }

  /** Calls `response(status, headers, body)`; throws a `ScriptError` naming `response` if it fails. */
  onResponse(response: ResponseView): void {
    const L = this.#L;
    lua.lua_rawgeti(L, REGISTRY, this.#ref);
    lua.lua_pushinteger(L, response.status);
    const count = response.headerCount;
    lua.lua_createtable(L, 0, count);
    const table = lua.lua_topointer(L, -1) as Table;
    const { head, nameStart, nameEnd, valueStart, valueEnd } = response;
    for (let i = 0; i < count; i++) {
      // A repeated name keeps the last value, as in wrk.
      rawSetString(
        table,
        this.#names.get(L, head, nameStart[i], nameEnd[i], i),
        this.#values.get(L, head, valueStart[i], valueEnd[i], i),
      );
    }
    // What `lua_setmetatable` does, without a stack slot.
    table.metatable = this.#headerMetatable;
    pushString(L, this.#values.get(L, response.body, 0, response.bodyLength, BODY_SLOT));
    if (lua.lua_pcall(L, 3, 0, 0) !== lua.LUA_OK) {
      const error = errorFromStack(L, this.#path, "response");
      lua.lua_pop(L, 1);
      throw error;
    }
    if (stackLength(L) !== this.#denseLength) this.#denseLength = densifyStack(L);
  }
}
