/**
 * Types for the fengari-internal modules `_number_spelling_patch.ts` and `_fast_paths.ts` touch
 * (`src/lobject.js`, `src/lstring.js`, `src/defs.js`, `src/ldo.js`, `src/lstate.js`); each exports a CommonJS
 * object, which is the default import of its module in third_party/fengari/src/. One interface covers the
 * members used from all of them.
 */

/** A decoded bytecode instruction of a function prototype (lopcodes.js), as the interpreter and its checks read it. */
export interface Instruction {
  opcode: number;
  A: number;
  B: number;
  C: number;
  Bx: number;
  sBx: number;
  Ax: number;
}

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
  /** `luaO_arith` and `luaO_str2num`, replaced by `_integer_overflow_patch.ts`: typed there. */
  luaO_arith: unknown;
  luaO_str2num: unknown;
  luaS_bless(L: unknown, bytes: Uint8Array): unknown;
  luaS_new(L: unknown, source: ArrayLike<number>): unknown;
  luaS_hash(bytes: Uint8Array): string;
  luaS_hashlongstr(ts: { hash: string | null; realstring: Uint8Array }): string;
  luastring_from(source: ArrayLike<number>): Uint8Array;
  to_luastring(text: string, cache?: boolean): Uint8Array;
  /** Set by `_fast_paths.ts` once its replacements are installed. */
  fastPathsInstalled?: boolean;
  // ldo.js, lobject.js and lstate.js (`_stack_patch.ts`): typed where they are used.
  adjust_top: unknown;
  luaD_poscall: unknown;
  luaD_precall: unknown;
  luaD_checkstack: unknown;
  TValue: unknown;
  CallInfo: unknown;
  luaE_extendCI: unknown;
  // ldo.js, lvm.js, ldebug.js and llimits.js (`_stack_patch.ts`, `_vm.ts`): typed where they are used.
  luaD_call: unknown;
  luaD_callnoyield: unknown;
  luaD_throw: unknown;
  luaD_pcall: unknown;
  /** Set by `_stack_patch.ts` once its replacements are installed. */
  stackPatchInstalled?: boolean;
}

declare const internals: FengariInternals;
export default internals;
