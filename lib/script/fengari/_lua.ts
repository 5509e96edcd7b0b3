/**
 * The one entry to fengari for the project (with `_number_spelling_patch.ts`, `_integer_overflow_patch.ts` and
 * `_integer_argument_patch.ts`, which it loads): typed re-exports plus the small helpers every other file in `lib/script/` shares (string
 * conversion, raising errors, registry refs).
 *
 * @module
 */

// First, before fengari itself loads: its modules keep the primitives they find when they load.
import { fastPathsInEffect } from "./_fast_paths.ts";
// @ts-types="./_fengari.d.ts"
import fengari from "../../../third_party/fengari/src/fengari.js";
import "./_number_spelling_patch.ts";
import { INTEGER_OVERFLOW_PATCHED } from "./_integer_overflow_patch.ts";
import { INTEGER_ARGUMENT_PATCHED } from "./_integer_argument_patch.ts";
import { dropFinishedCalls, protectedCall, stackPatchInEffect } from "./_stack_patch.ts";
import { vmInEffect } from "./_vm.ts";
import type { LauxApi, LuaApi, LualibApi, LuaState } from "./_fengari.d.ts";

export type {
  LuaJsFunction,
  LuaKFunction,
  LuaProxy,
  LuaState,
  LuaString,
  UserdataBox,
} from "./_fengari.d.ts";

// A used binding, not a bare import: the bundler drops side-effect-only imports it deems pure.
if (
  !fastPathsInEffect() || !stackPatchInEffect() || !vmInEffect() || !INTEGER_OVERFLOW_PATCHED ||
  !INTEGER_ARGUMENT_PATCHED
) {
  throw new Error("fengari's fast paths are not installed");
}

/** The core API (`lua_*`). */
export const lua: LuaApi = fengari.lua;
/** The auxiliary library (`luaL_*`). */
export const lauxlib: LauxApi = fengari.lauxlib;
/** The standard libraries. */
export const lualib: LualibApi = fengari.lualib;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** UTF-8 bytes of a JS string, as Lua sees it. */
export function luaBytes(text: string): Uint8Array {
  return encoder.encode(text);
}

/** A Lua string's bytes as JS text (invalid UTF-8 becomes U+FFFD). */
export function jsText(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Registry index, cached because it is used on every hook call. */
export const REGISTRY: number = lua.LUA_REGISTRYINDEX;

/**
 * `lua_pcall(L, nargs, nresults, 0)` with less overhead per call (`_stack_patch.ts`): how hooks are called.
 * Returns the status, as `lua_pcall`.
 */
export function pcall(L: LuaState, nargs: number, nresults: number): number {
  return protectedCall(L, nargs, nresults);
}

/** Pops the value on top of the stack into the registry and returns its reference. */
export function ref(L: LuaState): number {
  return lauxlib.luaL_ref(L, REGISTRY);
}

/** Releases a reference made by {@linkcode ref}. */
export function unref(L: LuaState, reference: number): void {
  lauxlib.luaL_unref(L, REGISTRY, reference);
}

/**
 * Raises a Lua error whose message is prefixed with the calling Lua code's position, like `luaL_error`, but
 * without interpreting `%` in the message (luaL_error's text is a format string).
 */
export function raise(L: LuaState, message: string): never {
  lauxlib.luaL_where(L, 1);
  lua.lua_pushstring(L, message);
  lua.lua_concat(L, 2);
  return lua.lua_error(L);
}

/** The type name of the value at `idx` (`nil`, `number`, …) as JS text. */
export function typeName(L: LuaState, idx: number): string {
  return jsText(lauxlib.luaL_typename(L, idx));
}

/** fengari's `lua_State` keeps its value stack in a plain JS array. */
interface StateInternals {
  stack?: unknown[];
}

/** Current length of the state's value stack array (0 if fengari's layout is not what we expect). */
export function stackLength(L: LuaState): number {
  return (L as unknown as StateInternals).stack?.length ?? 0;
}

/**
 * Makes the state's value stack array dense again and returns its length.
 *
 * fengari grows the stack with `stack.length = n`, which leaves V8 a sparse array in dictionary mode: every
 * later call into Lua then costs much more (docs/benchmarks.md#measurements-behind-the-code).
 * Storing `undefined` into the holes lets V8 turn it back into a fast array; fengari reads a hole and an
 * `undefined` slot alike. Call after set-up, and again whenever {@linkcode stackLength} changed. It also lets
 * go of the finished call records past the current call (see `_stack_patch.ts`): a grown stack is the
 * sign of the deep recursion that would otherwise leave one record per level behind.
 */
export function densifyStack(L: LuaState): number {
  const stack = (L as unknown as StateInternals).stack;
  if (!Array.isArray(stack)) return 0;
  dropFinishedCalls(L);
  for (let i = 0; i < stack.length; i++) {
    if (!(i in stack)) stack[i] = undefined;
  }
  return stack.length;
}
