/**
 * fengari 0.1.5's value tags that plain `lua.LUA_T*` does not name (defs.js `constant_types`: the variant bits
 * of integers and strings), and Lua's truth test on a value as fengari keeps it. One definition for the
 * interpreter (`_vm.ts`), the direct table paths (`_direct.ts`), `wrk.format` and `pairs`; a leaf module (defs.js
 * only), so the interpreter can import it before fengari's other modules load.
 *
 * @module
 */

// @ts-types="./_internals.d.ts"
import defsModule from "../../../third_party/fengari/src/defs.js";

const types = (defsModule as unknown as { constant_types: Record<string, number> }).constant_types;

/** An integer (`LUA_TNUMBER` with variant bit 1). */
export const LUA_TNUMINT: number = types.LUA_TNUMINT;
/** A float (`LUA_TNUMBER` with variant bit 0, `setfltvalue`). */
export const LUA_TNUMFLT: number = types.LUA_TNUMFLT;
/** A string as fengari marks every one (`setsvalue`: the long-string variant). */
export const LUA_TLNGSTR: number = types.LUA_TLNGSTR;
/** A light JS function, a JS closure and a Lua closure. */
export const LUA_TLCF: number = types.LUA_TLCF;
export const LUA_TCCL: number = types.LUA_TCCL;
export const LUA_TLCL: number = types.LUA_TLCL;
const LUA_TNIL: number = types.LUA_TNIL;
const LUA_TBOOLEAN: number = types.LUA_TBOOLEAN;

/** Lua's `not v`: nil or false (lobject.js `l_isfalse`, without the method call). */
export function isFalse(value: { type: number; value: unknown }): boolean {
  return value.type === LUA_TNIL || (value.type === LUA_TBOOLEAN && value.value === false);
}
