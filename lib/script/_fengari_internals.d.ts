/**
 * Types for the two fengari-internal modules `_number_spelling_patch.ts` touches (`src/lobject.js` and
 * `src/lstring.js`); both export a CommonJS object, which is the default import.
 */

/** A TValue as `luaO_tostring` sees it. */
export interface TValue {
  ttisinteger(): boolean;
  value: number;
  setsvalue(s: unknown): void;
}

/** `luaO_tostring`, possibly already replaced by ours. */
export interface ToStringFunction {
  (L: unknown, obj: TValue): void;
  patchedForLuaJit?: boolean;
}

export interface FengariInternals {
  luaO_tostring: ToStringFunction;
  luaS_bless(L: unknown, bytes: Uint8Array): unknown;
}

declare const internals: FengariInternals;
export default internals;
