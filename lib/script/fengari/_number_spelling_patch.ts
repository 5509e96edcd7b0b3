/**
 * Makes fengari convert floats to strings as LuaJIT does (`3`, not `3.0`; `inf`, not `Infinity`) everywhere
 * it uses its number-to-string conversion: `..`, `lua_tolstring` and so every library function that takes a
 * string and is given a number. wrk scripts print counts built from the (float) numbers `done()` receives,
 * so `"requests: " .. summary.requests` must not read `70531.0`.
 *
 * fengari calls that conversion through its module object (`lobject.luaO_tostring`), so replacing the
 * property changes it for every state in this JS realm; all of them belong to the script layer. fengari is
 * pinned (0.1.5, locked), and `tests/script/compat/compat_test.ts` checks the patch is in effect.
 *
 * @module
 */

// fengari's internal modules depend on each other circularly and only load in its own order: load the
// package first, then take the already-loaded internals. The package import is a used binding, not a bare
// `import "…"`: the bundler (`deno bundle`) drops a side-effect-only import of a package it deems pure.
// fengari vendored (third_party/fengari/, docs/dependencies.md#fengari-vendored), by relative paths, not
// import-map names: `deno run <url>` users have no import map (docs/install.md).
// `_fast_paths.ts` before fengari, whichever module imports this one first (as `_lua.ts` does): fengari's
// modules keep the primitives they find when they load.
import { fastPathsInEffect } from "./_fast_paths.ts";
// @ts-types="./_fengari.d.ts"
import fengari from "../../../third_party/fengari/src/fengari.js";
// @ts-types="./_internals.d.ts"
import lobject from "../../../third_party/fengari/src/lobject.js";
// @ts-types="./_internals.d.ts"
import lstring from "../../../third_party/fengari/src/lstring.js";
import { formatNumber } from "./_number_text.ts";

if (typeof fengari.lua !== "object" || !fastPathsInEffect()) throw new Error("fengari did not load");
const encoder = new TextEncoder();
const original = lobject.luaO_tostring;

if (!lobject.luaO_tostring.patchedForLuaJit) {
  const patched = (
    L: unknown,
    obj: { ttisinteger(): boolean; value: number; setsvalue(s: unknown): void },
  ) => {
    // Integers already read the same in both; only floats differ.
    if (obj.ttisinteger()) return original(L, obj);
    obj.setsvalue(lstring.luaS_bless(L, encoder.encode(formatNumber(obj.value))));
  };
  patched.patchedForLuaJit = true;
  lobject.luaO_tostring = patched;
}

/** Whether the patch is in effect (for tests and diagnostics). */
export const NUMBER_SPELLING_PATCHED: boolean = lobject.luaO_tostring.patchedForLuaJit === true;
