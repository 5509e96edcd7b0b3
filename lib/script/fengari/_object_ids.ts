/**
 * Where `tostring()` of a table, function, thread or userdata counts its "addresses" from, per state. fengari
 * numbers objects from 1 in every state (lstate.js `global_State.id_counter`), so each thread's first table
 * printed `table: 0x95` in every thread, where LuaJIT's addresses differ from thread to thread. Scripts seed
 * their random numbers with it (`math.randomseed(os.time() + tonumber(tostring({}):sub(8)))`, common in
 * published wrk scripts): every thread then drew the same numbers. Each state starts at its own random point
 * instead, so two states' objects never print the same address in practice; within a state the addresses
 * still only grow.
 *
 * @module
 */

import type { LuaState } from "./_lua.ts";

/** The part of fengari's global state (lstate.js `global_State`) that numbers objects. */
interface ObjectCounter {
  id_counter: number;
}

/**
 * Moves `L`'s object numbering to a random start in [2^32, 2^44): twelve hex digits or fewer, as a 64-bit
 * process's heap addresses print, far below 2^53 however many objects the state makes.
 *
 * @throws {Error} when the state has no numbering where fengari 0.1.5 keeps it (a fengari this was not
 * written for).
 *
 * @example Two states' first tables differ
 * ```ts
 * import { jsText, lauxlib, lua } from "./_lua.ts";
 * import { scatterObjectIds } from "./_object_ids.ts";
 *
 * const first = (): string => {
 *   const L = lauxlib.luaL_newstate();
 *   scatterObjectIds(L);
 *   lua.lua_newtable(L);
 *   const text = jsText(lauxlib.luaL_tolstring(L, -1));
 *   lua.lua_close(L);
 *   return text;
 * };
 * console.log(first() !== first()); // true
 * ```
 */
export function scatterObjectIds(L: LuaState): void {
  const global = (L as unknown as { l_G?: Partial<ObjectCounter> }).l_G;
  if (global === undefined || typeof global.id_counter !== "number") {
    throw new Error("fengari's global state has no id_counter: see lib/script/fengari/_object_ids.ts");
  }
  const [high, low] = crypto.getRandomValues(new Uint32Array(2));
  global.id_counter = 2 ** 32 + (high % 4095) * 2 ** 32 + low;
}
