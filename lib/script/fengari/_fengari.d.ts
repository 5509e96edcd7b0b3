/**
 * Types for the parts of fengari 0.1.5 (Lua 5.3 in JS, shipped without types) that `lib/script/` uses.
 * Only `_lua.ts` imports fengari; everything else goes through its typed re-exports.
 */

/** A Lua state or coroutine (opaque). */
export interface LuaState {
  readonly __luaState: never;
}

/** Lua strings are byte arrays; the API also accepts JS strings where it takes a string argument. */
export type LuaString = Uint8Array;
/** What the API accepts as a string argument: bytes, or a JS string it encodes as UTF-8. */
export type LuaStringArg = Uint8Array | string;
/** A function callable from Lua: arguments are on the stack, it returns the number of results it pushed. */
export type LuaJsFunction = (L: LuaState) => number;
/** A continuation of a yielded JS function (`lua_yieldk`). */
export type LuaKFunction = (L: LuaState, status: number, ctx: number) => number;
/** Pushes the captured Lua value onto a stack of the same global state (`lua_toproxy`). */
export type LuaProxy = (L: LuaState) => void;

/** A full userdata's data: fengari gives every userdata a plain object to store JS values in. */
export type UserdataBox = Record<string, unknown>;

export interface LuaApi {
  readonly LUA_OK: number;
  readonly LUA_YIELD: number;
  readonly LUA_ERRRUN: number;
  readonly LUA_ERRSYNTAX: number;
  readonly LUA_ERRMEM: number;
  readonly LUA_ERRERR: number;
  readonly LUA_MULTRET: number;
  readonly LUA_MASKCALL: number;
  readonly LUA_MASKLINE: number;
  readonly LUA_MASKRET: number;
  readonly LUA_MINSTACK: number;
  readonly LUA_REGISTRYINDEX: number;
  readonly LUA_RIDX_GLOBALS: number;
  readonly LUA_TNONE: number;
  readonly LUA_TNIL: number;
  readonly LUA_TBOOLEAN: number;
  readonly LUA_TLIGHTUSERDATA: number;
  readonly LUA_TNUMBER: number;
  readonly LUA_TSTRING: number;
  readonly LUA_TTABLE: number;
  readonly LUA_TFUNCTION: number;
  readonly LUA_TUSERDATA: number;
  readonly LUA_TTHREAD: number;

  lua_absindex(L: LuaState, idx: number): number;
  lua_atnativeerror(L: LuaState, fn: LuaJsFunction): LuaJsFunction | null;
  lua_call(L: LuaState, nargs: number, nresults: number): void;
  lua_checkstack(L: LuaState, n: number): boolean;
  lua_close(L: LuaState): void;
  lua_concat(L: LuaState, n: number): void;
  lua_createtable(L: LuaState, narr: number, nrec: number): void;
  /** Writes the function on top of the stack as a binary chunk, piece by piece, through `writer`. */
  lua_dump(
    L: LuaState,
    writer: (L: LuaState, bytes: Uint8Array, size: number, data: unknown) => number,
    data: unknown,
    strip: boolean,
  ): number;
  lua_error(L: LuaState): never;
  lua_getfield(L: LuaState, idx: number, k: LuaStringArg): number;
  lua_getglobal(L: LuaState, name: LuaStringArg): number;
  lua_geti(L: LuaState, idx: number, i: number): number;
  lua_getmetatable(L: LuaState, idx: number): boolean;
  lua_gettable(L: LuaState, idx: number): number;
  lua_gettop(L: LuaState): number;
  lua_insert(L: LuaState, idx: number): void;
  lua_isinteger(L: LuaState, idx: number): boolean;
  lua_isnoneornil(L: LuaState, idx: number): boolean;
  lua_isyieldable(L: LuaState): boolean;
  lua_newtable(L: LuaState): void;
  lua_newthread(L: LuaState): LuaState;
  lua_sethook(
    L: LuaState,
    hook: ((L: LuaState, ar: unknown) => void) | null,
    mask: number,
    count: number,
  ): void;
  readonly LUA_MASKCOUNT: number;
  lua_newuserdata(L: LuaState, size: number): UserdataBox;
  lua_next(L: LuaState, idx: number): boolean | number;
  lua_pcall(L: LuaState, nargs: number, nresults: number, msgh: number): number;
  lua_pop(L: LuaState, n: number): void;
  lua_pushboolean(L: LuaState, b: boolean | number): void;
  lua_pushinteger(L: LuaState, n: number): void;
  lua_pushjsclosure(L: LuaState, fn: LuaJsFunction, n: number): void;
  lua_pushjsfunction(L: LuaState, fn: LuaJsFunction): void;
  lua_pushlightuserdata(L: LuaState, p: unknown): void;
  lua_pushliteral(L: LuaState, s: string): LuaString;
  lua_pushlstring(L: LuaState, s: LuaStringArg, len: number): LuaString;
  lua_pushnil(L: LuaState): void;
  lua_pushnumber(L: LuaState, n: number): void;
  lua_pushstring(L: LuaState, s: LuaStringArg | null | undefined): LuaString;
  lua_pushvalue(L: LuaState, idx: number): void;
  lua_rawequal(L: LuaState, a: number, b: number): boolean;
  lua_rawget(L: LuaState, idx: number): number;
  lua_rawgeti(L: LuaState, idx: number, n: number): number;
  lua_rawlen(L: LuaState, idx: number): number;
  lua_rawset(L: LuaState, idx: number): void;
  lua_rawseti(L: LuaState, idx: number, n: number): void;
  lua_remove(L: LuaState, idx: number): void;
  lua_replace(L: LuaState, idx: number): void;
  lua_resume(L: LuaState, from: LuaState | null, nargs: number): number;
  lua_setfield(L: LuaState, idx: number, k: LuaStringArg): void;
  lua_setglobal(L: LuaState, name: LuaStringArg): void;
  lua_setmetatable(L: LuaState, idx: number): void;
  lua_settable(L: LuaState, idx: number): void;
  lua_settop(L: LuaState, idx: number): void;
  lua_status(L: LuaState): number;
  lua_toboolean(L: LuaState, idx: number): boolean;
  lua_tocfunction(L: LuaState, idx: number): LuaJsFunction | null;
  lua_tointegerx(L: LuaState, idx: number): number | false;
  lua_tolstring(L: LuaState, idx: number): LuaString | null;
  lua_tonumberx(L: LuaState, idx: number): number | false;
  /** Converts a numeral to a number pushed on the stack; returns its size plus one, or 0 (nothing pushed). */
  lua_stringtonumber(L: LuaState, s: Uint8Array): number;
  lua_topointer(L: LuaState, idx: number): unknown;
  lua_toproxy(L: LuaState, idx: number): LuaProxy;
  lua_touserdata(L: LuaState, idx: number): unknown;
  lua_type(L: LuaState, idx: number): number;
  lua_typename(L: LuaState, type: number): LuaString;
  lua_upvalueindex(i: number): number;
  lua_xmove(from: LuaState, to: LuaState, n: number): void;
  lua_yieldk(L: LuaState, nresults: number, ctx: number, k: LuaKFunction | null): never;
}

export interface LauxApi {
  readonly LUA_NOREF: number;
  readonly LUA_REFNIL: number;
  luaL_argerror(L: LuaState, arg: number, extramsg: LuaStringArg): never;
  luaL_checkany(L: LuaState, arg: number): void;
  luaL_checkinteger(L: LuaState, arg: number): number;
  luaL_checkstack(L: LuaState, space: number, msg: LuaStringArg | null): void;
  luaL_checklstring(L: LuaState, arg: number): LuaString;
  luaL_checknumber(L: LuaState, arg: number): number;
  luaL_checktype(L: LuaState, arg: number, type: number): void;
  luaL_checkudata(L: LuaState, arg: number, tname: LuaStringArg): UserdataBox;
  luaL_getmetatable(L: LuaState, tname: LuaStringArg): number;
  luaL_len(L: LuaState, idx: number): number;
  luaL_loadbufferx(
    L: LuaState,
    buff: Uint8Array,
    size: number | null,
    name: LuaStringArg,
    mode: LuaStringArg | null,
  ): number;
  luaL_newmetatable(L: LuaState, tname: LuaStringArg): number;
  luaL_newstate(): LuaState;
  luaL_optinteger(L: LuaState, arg: number, def: number): number;
  luaL_optnumber(L: LuaState, arg: number, def: number): number;
  luaL_ref(L: LuaState, t: number): number;
  luaL_setmetatable(L: LuaState, tname: LuaStringArg): void;
  luaL_testudata(L: LuaState, arg: number, tname: LuaStringArg): UserdataBox | null;
  luaL_tolstring(L: LuaState, idx: number): LuaString;
  luaL_typename(L: LuaState, idx: number): LuaString;
  luaL_unref(L: LuaState, t: number, ref: number): void;
  luaL_where(L: LuaState, level: number): void;
}

export interface LualibApi {
  luaL_openlibs(L: LuaState): void;
}

export interface Fengari {
  readonly lua: LuaApi;
  readonly lauxlib: LauxApi;
  readonly lualib: LualibApi;
  to_luastring(s: string, cache?: boolean): LuaString;
  to_jsstring(s: Uint8Array, from?: number, to?: number, replacement_char?: boolean): string;
}

declare const fengari: Fengari;
export default fengari;
