/**
 * fengari 0.1.5's bytecode interpreter (`luaV_execute`, lvm.js) rewritten here, with the same instructions,
 * the same results and the same errors, and the costs that made Lua-heavy scripts slow taken out
 * (docs/benchmarks.md#lua-heavy-scripts-the-interpreter-2026-12-06):
 *
 * - **`..` (OP_CONCAT)** of strings and numbers is joined straight into the new string's bytes. fengari's
 *   `luaV_concat` allocates an `ArrayBuffer` per concatenation, `delete`s each stack slot it pops (a call into
 *   V8's runtime) and `adjust_top` then allocates a fresh object for each of those slots again. Operands
 *   with a `__concat` metamethod (anything that is neither a string nor a number) take fengari's own path.
 * - **Table reads and writes** (`t.k`, `t[k]`, `t.k = v`, `s:method()`) with a string or integer key on a
 *   table whose key is present, or on a table without a metatable, use the table's `Map` directly, without
 *   fengari's `luaH_get` → `table_hash` → `getgeneric` chain and its second lookup on a write. Other keys
 *   (floats, booleans, …), metatables and `nil` stores take fengari's own functions. A read of a constant key
 *   (`t.name`, a global, `s:method()`) keeps the entry it found in its instruction and reads it again while it
 *   is the table's (`getField`; the fields are made with each chunk, `_instruction_fields.ts`), and a read that
 *   misses a `response()` header table answers the case-insensitive lookup of its `__index` without the call
 *   (`headerIndex`) (docs/benchmarks.md#lua-heavy-scripts-kept-entries-and-header-reads-2026-12-06-night).
 * - **Calls**: registers above a call's arguments and results are left as they are (as C Lua does), not
 *   emptied and refilled with new objects; Lua frames are set up in reused slots by `_stack_patch.ts`, and a
 *   tail call leaves the finished call record linked for the next call to reuse.
 * - **`#v`** of a string, or of a table without a metatable (`_table_length.ts`), without `luaV_objlen`.
 * - **`type(v)` and the steps of `ipairs` and `pairs`** run inline, without a call (`vmIntrinsics`).
 * - The per-instruction helper calls (`RA`, `RKB`, `ttisinteger()`, …) are inlined, and so are the
 *   comparisons of two numbers (`==`, `<`, `<=`) and `==` of two strings.
 *
 * The other instructions are fengari's, line for line. Installed as `lvm.luaV_execute`, which is how ldo.js
 * calls the interpreter (for every Lua call from JS, every coroutine resume and every `luaD_call`); a probe
 * (`vmProbe`) counts how often the fast paths ran, for tests. fengari is pinned (0.1.5, locked); the tests
 * (`tests/script/fengari/vm_test.ts`) compare results with LuaJIT's, and run fengari's copy of Lua 5.3's test
 * suite on this interpreter.
 *
 * @module
 */

// First, before fengari itself loads (see `_lua.ts`): its modules keep the primitives they find then.
import { fastPathsInEffect, newBytes } from "./_fast_paths.ts";
// Numbers spelled as LuaJIT does before `concat` below checks it, whichever module imports this one first.
import { NUMBER_SPELLING_PATCHED } from "./_number_spelling_patch.ts";
import { setExactResult } from "./_integer_overflow_patch.ts";
import { luaToInteger } from "./_integer_argument_patch.ts";
import { keptFieldsInEffect } from "./_instruction_fields.ts";
// @ts-types="./_fengari.d.ts"
import fengari from "../../../third_party/fengari/src/fengari.js";
// @ts-types="./_internals.d.ts"
import defsModule from "../../../third_party/fengari/src/defs.js";
// @ts-types="./_internals.d.ts"
import lvmModule from "../../../third_party/fengari/src/lvm.js";
// @ts-types="./_internals.d.ts"
import ldoModule from "../../../third_party/fengari/src/ldo.js";
// @ts-types="./_internals.d.ts"
import lobjectModule from "../../../third_party/fengari/src/lobject.js";
// @ts-types="./_internals.d.ts"
import lstateModule from "../../../third_party/fengari/src/lstate.js";
// @ts-types="./_internals.d.ts"
import lstringModule from "../../../third_party/fengari/src/lstring.js";
// @ts-types="./_internals.d.ts"
import ltableModule from "../../../third_party/fengari/src/ltable.js";
// @ts-types="./_internals.d.ts"
import ltmModule from "../../../third_party/fengari/src/ltm.js";
// @ts-types="./_internals.d.ts"
import lfuncModule from "../../../third_party/fengari/src/lfunc.js";
// @ts-types="./_internals.d.ts"
import ldebugModule from "../../../third_party/fengari/src/ldebug.js";
// @ts-types="./_internals.d.ts"
import lopcodesModule from "../../../third_party/fengari/src/lopcodes.js";
// @ts-types="./_internals.d.ts"
import llimitsModule from "../../../third_party/fengari/src/llimits.js";
// @ts-types="./_internals.d.ts"
import luaconfModule from "../../../third_party/fengari/src/luaconf.js";
import { floatText, numberLength, writeNumber } from "./_number_text.ts";
import type { Instruction } from "./_internals.d.ts";
import { appendEntry } from "./_table_append.ts";
import { tableLength } from "./_table_length.ts";
import { isFalse, LUA_TLCF, LUA_TLNGSTR, LUA_TNUMFLT, LUA_TNUMINT } from "./_tags.ts";

if (typeof fengari.lua !== "object" || !fastPathsInEffect()) throw new Error("fengari did not load");

// --- fengari's objects, as far as this file touches them -------------------------------------------------------

/** A stack slot, table entry or constant (lobject.js `TValue`). */
interface TValue {
  type: number;
  value: unknown;
  setfrom(o: TValue): void;
  setnilvalue(): void;
  setivalue(n: number): void;
  setfltvalue(n: number): void;
  setbvalue(b: boolean): void;
  setsvalue(ts: TString): void;
  sethvalue(t: Table): void;
  setclLvalue(cl: LClosure): void;
  chgivalue(n: number): void;
  chgfltvalue(n: number): void;
  l_isfalse(): boolean;
  ttisinteger(): boolean;
  ttisnil(): boolean;
}
interface TString {
  hash: string | null;
  realstring: Uint8Array;
}
interface Entry {
  key: TValue;
  value: TValue;
  p: Entry | undefined;
  n: Entry | undefined;
}
interface Table {
  strong: Map<unknown, Entry>;
  dead_strong: Map<unknown, Entry>;
  dead_weak: WeakMap<object, Entry> | undefined;
  f: Entry | undefined;
  l: Entry | undefined;
  metatable: Table | null;
  flags: number;
}
/** An instruction that reads a constant key, with what {@linkcode getField} kept (`_instruction_fields.ts`). */
interface FieldRead extends Instruction {
  keptTable?: Table | null;
  keptEntry?: Entry | null;
}
interface UpvalDesc {
  instack: boolean;
  idx: number;
}
interface Proto {
  k: TValue[];
  p: Proto[];
  code: Instruction[];
  cache: LClosure | null;
  upvalues: UpvalDesc[];
  numparams: number;
  is_vararg: boolean;
  maxstacksize: number;
}
interface LClosure {
  p: Proto;
  nupvalues: number;
  upvals: TValue[];
}
interface CallInfo {
  func: TValue;
  funcOff: number;
  top: number;
  previous: CallInfo;
  next: CallInfo | null;
  nresults: number;
  callstatus: number;
  l_base: number;
  l_code: Instruction[];
  l_savedpc: number;
}
/** What this file reads of lstate.js `global_State`: the metatables of the basic types and the event names. */
interface GlobalState {
  mt: (Table | null | undefined)[];
  tmname: TString[];
}
/** A Lua thread (lstate.js `lua_State`). */
export interface State {
  stack: (TValue | undefined)[];
  top: number;
  ci: CallInfo;
  hookmask: number;
  nCcalls: number;
  nny: number;
  l_G: unknown;
}

type Fn<A extends unknown[], R> = (...args: A) => R;
interface Lvm {
  luaV_execute: Fn<[State], void>;
  luaV_concat: Fn<[State, number], void>;
  luaV_gettable: Fn<[State, TValue, TValue, number], void>;
  settable: Fn<[State, TValue, TValue, TValue], void>;
  luaV_equalobj: Fn<[State | null, TValue, TValue], number>;
  luaV_lessthan: Fn<[State, TValue, TValue], number>;
  luaV_lessequal: Fn<[State, TValue, TValue], number>;
  luaV_objlen: Fn<[State, TValue, TValue], void>;
  luaV_tointeger: Fn<[TValue, number], number | false>;
  luaV_div: Fn<[State, number, number], number>;
  luaV_mod: Fn<[State, number, number], number>;
  luaV_shiftl: Fn<[number, number], number>;
  tonumber: Fn<[TValue], number | false>;
  tointeger: Fn<[TValue], number | false>;
  vmInstalled?: boolean;
}
interface Ldo {
  adjust_top: Fn<[State, number], void>;
  luaD_precall: Fn<[State, number, number], boolean>;
  luaD_poscall: Fn<[State, CallInfo, number, number], boolean>;
  luaD_call: Fn<[State, number, number], void>;
  luaD_checkstack: Fn<[State, number], void>;
}
interface Lobject {
  TValue: new (type: number, value: unknown) => TValue;
  LClosure: new (L: State, n: number) => LClosure;
  luaO_tostring: { patchedForLuaJit?: boolean };
}
interface Ltm {
  TMS: Record<string, number>;
  ttypename(tag: number): Uint8Array;
  luaT_trybinTM: Fn<[State, TValue, TValue, TValue, number], void>;
  fasttm: Fn<[State, Table | null, number], TValue | null>;
}

const lvm = lvmModule as unknown as Lvm;
const ldo = ldoModule as unknown as Ldo;
const lobject = lobjectModule as unknown as Lobject;
const lstate = lstateModule as unknown as Record<string, number>;
const lstring = lstringModule as unknown as {
  luaS_bless(L: State, bytes: Uint8Array): TString;
  luaS_hashlongstr(ts: TString): string;
};
const ltable = ltableModule as unknown as {
  luaH_getstr(t: Pick<Table, "strong">, key: TString): unknown;
  luaH_new(L: State): Table;
  luaH_setint(t: Table, key: number, value: TValue): void;
};
const ltm = ltmModule as unknown as Ltm;
const lfunc = lfuncModule as unknown as {
  luaF_close(L: State, level: number): void;
  luaF_findupval(L: State, level: number): TValue;
};
const ldebug = ldebugModule as unknown as {
  luaG_traceexec(L: State): void;
  luaG_runerror(L: State, message: Uint8Array): never;
};
const lopcodes = lopcodesModule as unknown as {
  OpCodesI: Record<string, number>;
  LFIELDS_PER_FLUSH: number;
};
const llimits = llimitsModule as unknown as { luai_nummod(L: State, a: number, b: number): number };
const luaconf = luaconfModule as unknown as { LUA_MAXINTEGER: number; LUA_MININTEGER: number };
const defs = defsModule as unknown as {
  constant_types: Record<string, number>;
  to_luastring(text: string, cache?: boolean): Uint8Array;
  LUA_MASKLINE: number;
  LUA_MASKCOUNT: number;
  LUA_MASKCALL: number;
  LUA_MASKRET: number;
  LUA_MULTRET: number;
};

const { LUA_TNIL, LUA_TNUMBER, LUA_TSTRING, LUA_TSHRSTR, LUA_TTABLE } = defs.constant_types;
const HOOK_MASK = defs.LUA_MASKLINE | defs.LUA_MASKCOUNT;
/** The hooks that see calls (a count or line hook sees instructions and lines: an inline call is one). */
const CALL_HOOKS = defs.LUA_MASKCALL | defs.LUA_MASKRET;
const LUA_MULTRET = defs.LUA_MULTRET;
const { CIST_FRESH, CIST_TAIL } = lstate;
const TM_INDEX = ltm.TMS.TM_INDEX;
const { LUA_MAXINTEGER, LUA_MININTEGER } = luaconf;
const LFIELDS_PER_FLUSH = lopcodes.LFIELDS_PER_FLUSH;
/** `ISK`: an RK operand with this bit set names a constant (lopcodes.js `BITRK`, 1 << (SIZE_B - 1)). */
const BITRK = 256;
const TMS = ltm.TMS;
const TValueClass = lobject.TValue;

const {
  OP_MOVE,
  OP_LOADK,
  OP_LOADKX,
  OP_LOADBOOL,
  OP_LOADNIL,
  OP_GETUPVAL,
  OP_GETTABUP,
  OP_GETTABLE,
  OP_SETTABUP,
  OP_SETUPVAL,
  OP_SETTABLE,
  OP_NEWTABLE,
  OP_SELF,
  OP_ADD,
  OP_SUB,
  OP_MUL,
  OP_MOD,
  OP_POW,
  OP_DIV,
  OP_IDIV,
  OP_BAND,
  OP_BOR,
  OP_BXOR,
  OP_SHL,
  OP_SHR,
  OP_UNM,
  OP_BNOT,
  OP_NOT,
  OP_LEN,
  OP_CONCAT,
  OP_JMP,
  OP_EQ,
  OP_LT,
  OP_LE,
  OP_TEST,
  OP_TESTSET,
  OP_CALL,
  OP_TAILCALL,
  OP_RETURN,
  OP_FORLOOP,
  OP_FORPREP,
  OP_TFORCALL,
  OP_TFORLOOP,
  OP_SETLIST,
  OP_CLOSURE,
  OP_VARARG,
  OP_EXTRAARG,
} = lopcodes.OpCodesI;

// --- probes --------------------------------------------------------------------------------------------------------

/**
 * How often each fast path ran (and how often `..` fell back to fengari's `luaV_concat`), for tests. Counting
 * is one increment per operation.
 */
export const vmProbe = {
  /** `..` joined here. */
  concatFast: 0,
  /** `..` given to fengari's `luaV_concat` (an operand that is neither a string nor a number). */
  concatSlow: 0,
  /** Table reads answered from the table's map here. */
  getFast: 0,
  /** Of those, reads of a constant key answered from the instruction's kept entry ({@linkcode getField}). */
  getKept: 0,
  /** Misses on a header table answered by the case-insensitive scan inline ({@linkcode vmIntrinsics}). */
  headerIndexInline: 0,
  /** Table writes done here. */
  setFast: 0,
  /** Method lookups on strings (`s:sub(…)`) done here. */
  stringMethodFast: 0,
  /** `type(v)` calls answered inline ({@linkcode vmIntrinsics}). */
  typeInline: 0,
  /** Steps of `for i, v in ipairs(t)` taken inline. */
  ipairsInline: 0,
  /** Steps of `for k, v in pairs(t)` taken inline. */
  nextInline: 0,
  /** `#v` of a string, or of a table without a metatable, answered here. */
  lenFast: 0,
  /** `==` and `~=` of two strings compared here. */
  eqStrings: 0,
};

/**
 * Library functions the interpreter runs inline instead of calling, when no call or return hook is set (those
 * would see the call): `type(v)` with one argument and one result, and `ipairs`'s iterator on a table
 * without a metatable. Both have no side effect and cannot fail there, so a call frame, the API and the
 * results' moves are all that is saved, and nothing can tell. Registered by `_base_lib.ts` (fengari's own
 * `ipairsaux`, and the `type` it installs); null: always called.
 */
export const vmIntrinsics: {
  type: unknown;
  ipairsIterator: unknown;
  /**
   * The `next` that `pairs` returns, and its step without a call (`compat/_ordered_next.ts`): false when it
   * does not handle the key, and the interpreter calls `fn`.
   */
  next: {
    fn: unknown;
    step(table: TValue, control: TValue, slots: TValue[], first: number, wanted: number): boolean;
  } | null;
  /**
   * The `__index` function of `response()`'s header tables (`_header_lookup.ts`) and its scan: a read that
   * misses a table whose metatable's `__index` is still that function gets the scan's answer without the
   * call (the function has no side effect and cannot fail; it is only called by that `__index`).
   */
  headerIndex: {
    fn: unknown;
    find(table: never, key: Uint8Array): { type: number; value: unknown } | undefined;
  } | null;
} = { type: null, ipairsIterator: null, next: null, headerIndex: null };

/**
 * Whether reads of a constant key keep the entry they found in their instruction ({@linkcode getField}); a
 * switch for tests, which compare both paths.
 */
export const vmSwitches = { keepFieldEntries: true };

/** `type()`'s answer per type tag (`LUA_TNIL` … `LUA_TTHREAD`), made once (for every state: strings are shared). */
const typeNames: (TString | undefined)[] = [];

/**
 * The Lua string `type()` answers for base type `tag` (`lua_type`'s result, `LUA_TNIL` … `LUA_TTHREAD`), one
 * per name: inline here, and in `_base_lib.ts`'s `type` for the calls made otherwise.
 */
export function typeName(L: State, tag: number): TString {
  let name = typeNames[tag];
  if (name === undefined) name = typeNames[tag] = lstring.luaS_bless(L, ltm.ttypename(tag).slice());
  return name;
}

// --- helpers -------------------------------------------------------------------------------------------------------

/** A string key's table hash (`luaS_hashlongstr`, as `_fast_paths.ts` makes it), computed once per string. */
function stringHash(ts: TString): string {
  const hash = ts.hash;
  return hash !== null ? hash : lstring.luaS_hashlongstr(ts);
}

/**
 * Whether fengari's tables key strings as `lstring.luaS_hashlongstr` does: ltable.js took its own copy of
 * that function when it loaded, which is `_fast_paths.ts`'s only if that module came first. Checked on a
 * string whose two hashes differ (fengari's own gives `|123` for bytes 01 23).
 */
function tablesHashAsHere(): boolean {
  const ts = lstring.luaS_bless(null as unknown as State, Uint8Array.of(1, 0x23));
  const marker = {};
  const probe = {
    strong: new Map<unknown, Entry>([[stringHash(ts), { value: marker } as unknown as Entry]]),
  };
  return ltable.luaH_getstr(probe, lstring.luaS_bless(null as unknown as State, Uint8Array.of(1, 0x23))) ===
    marker;
}
/** Table reads and writes take the direct paths below (always, unless fengari loaded before `_fast_paths.ts`). */
const directTables = tablesHashAsHere();

/**
 * `ra = t[key]`: a table's own string or integer key without going through fengari, anything else (other key
 * types, absent keys with a metatable, non-tables) through fengari's `luaV_gettable`.
 */
function getTable(L: State, t: TValue, key: TValue, ra: number): void {
  if (t.type === LUA_TTABLE && directTables) {
    const h = t.value as Table;
    const kt = key.type;
    let entry: Entry | undefined;
    if (kt === LUA_TLNGSTR || kt === LUA_TSHRSTR) entry = h.strong.get(stringHash(key.value as TString));
    else if (kt === LUA_TNUMINT) entry = h.strong.get(key.value);
    else return lvm.luaV_gettable(L, t, key, ra);
    if (entry !== undefined) {
      const v = entry.value;
      if (v.type !== LUA_TNIL) {
        vmProbe.getFast++;
        const slot = L.stack[ra]!;
        slot.type = v.type;
        slot.value = v.value;
        return;
      }
    }
    if (h.metatable === null) {
      vmProbe.getFast++;
      L.stack[ra]!.setnilvalue();
      return;
    }
    if ((kt === LUA_TLNGSTR || kt === LUA_TSHRSTR) && headerIndex(L, h, key.value as TString, ra)) return;
  } else if ((t.type & 0x0f) === LUA_TSTRING && directTables && getStringMethod(L, key, ra)) {
    return;
  }
  lvm.luaV_gettable(L, t, key, ra);
}

/**
 * A read of a constant key (`t.name`, a global, `s:method()`), with the table and entry it last found kept in
 * its instruction (C Lua keeps nothing: its lookup of a short string is a pointer compare in a hash chain, ~the
 * cost of this check, where a JS `Map` lookup is ~25 ns). The kept entry is the table's own entry for that key
 * as long as it has a value: an entry stays in its table's `Map` while its key is set (a new value is stored in
 * the entry's own value object), and a key removed (`mark_dead`, or `clearOwnTable` in `_direct.ts`) leaves
 * its entry without a value, which sends the next read to the `Map` again; a key set again gets a new entry.
 * A value of nil (never stored by fengari, which removes the key) also goes to the `Map`. Only the table's own
 * value is read this way, so metatables do not matter: an absent key is never kept. Everything else is
 * `getTable`'s. An instruction holds its last table until it reads another (a table per such instruction at
 * most, as a register may hold one past its use).
 */
function getField(L: State, t: TValue, key: TValue, ra: number, ins: FieldRead): void {
  const kt = key.type;
  if (t.type === LUA_TTABLE && (kt === LUA_TLNGSTR || kt === LUA_TSHRSTR) && directTables) {
    const h = t.value as Table;
    let entry: Entry | null | undefined = ins.keptEntry;
    let v: TValue | undefined;
    if (ins.keptTable === h && (v = entry!.value) !== undefined && v.type !== LUA_TNIL) {
      vmProbe.getKept++;
    } else {
      entry = h.strong.get(stringHash(key.value as TString));
      if (entry === undefined || (v = entry.value).type === LUA_TNIL) {
        if (h.metatable === null) {
          vmProbe.getFast++;
          L.stack[ra]!.setnilvalue();
        } else if (!headerIndex(L, h, key.value as TString, ra)) {
          lvm.luaV_gettable(L, t, key, ra);
        }
        return;
      }
      if (vmSwitches.keepFieldEntries) {
        ins.keptTable = h;
        ins.keptEntry = entry;
      }
    }
    vmProbe.getFast++;
    const slot = L.stack[ra]!;
    slot.type = v.type;
    slot.value = v.value;
    return;
  }
  if ((t.type & 0x0f) === LUA_TSTRING && directTables && getStringMethod(L, key, ra, ins)) return;
  getTable(L, t, key, ra);
}

/**
 * `ra = h[key]` for a string `key` that `h` lacks, when `h`'s metatable's `__index` is the header tables'
 * function (`vmIntrinsics.headerIndex`) and no call hook would see its call: the value it would return, or
 * nil, without the call. False (nothing done) for any other metatable or `__index`, for `luaV_gettable`.
 */
function headerIndex(L: State, h: Table, key: TString, ra: number): boolean {
  const header = vmIntrinsics.headerIndex;
  if (header === null || (L.hookmask & CALL_HOOKS) !== 0) return false;
  const mt = h.metatable!;
  let index: TValue | undefined;
  if (mt === headerOwner && headerEntry!.value !== undefined) {
    index = headerEntry!.value;
  } else {
    const entry = mt.strong.get(stringHash((L.l_G as GlobalState).tmname[TM_INDEX]));
    if (entry === undefined) return false;
    headerOwner = mt;
    headerEntry = entry;
    index = entry.value;
  }
  if (index.type !== LUA_TLCF || index.value !== header.fn) return false;
  vmProbe.headerIndexInline++;
  const v = header.find(h as never, key.realstring);
  const slot = L.stack[ra]!;
  if (v === undefined) {
    slot.setnilvalue();
  } else {
    slot.type = v.type;
    slot.value = v.value;
  }
  return true;
}

/** The last header metatable seen and its `__index` entry (kept as `indexOwner`/`indexEntry` below are). */
let headerOwner: Table | null = null;
let headerEntry: Entry | null = null;

/**
 * The string metatable's `__index` entry, kept from the last string method lookup: an entry stays in its
 * table's `Map` while its key is set (a new value is stored in the entry's own value), and a key set to nil
 * leaves its entry without a value (ltable.js `mark_dead`), which sends the next lookup to the `Map` again.
 */
let indexOwner: Table | null = null;
let indexEntry: Entry | null = null;

/**
 * `ra = s[key]` for a string `s` (`s:gsub(…)`, `c:byte()`): the string metatable's `__index`, when it is a
 * table without a metatable (the `string` table, unless a script changed it), read directly for a string key;
 * false (nothing done) otherwise, for `luaV_gettable`. A constant key's read (`ins`, not null) keeps the
 * method's entry in its instruction as {@linkcode getField} does, for the `__index` table it was found in.
 */
function getStringMethod(L: State, key: TValue, ra: number, ins: FieldRead | null = null): boolean {
  const kt = key.type;
  if (kt !== LUA_TLNGSTR && kt !== LUA_TSHRSTR) return false;
  const G = L.l_G as GlobalState;
  const mt = G.mt[LUA_TSTRING];
  if (!mt) return false;
  let index: TValue | undefined;
  if (mt === indexOwner && indexEntry!.value !== undefined) {
    index = indexEntry!.value;
  } else {
    const entry = mt.strong.get(stringHash(G.tmname[TM_INDEX]));
    if (entry === undefined) return false;
    indexOwner = mt;
    indexEntry = entry;
    index = entry.value;
  }
  if (index.type !== LUA_TTABLE) return false;
  const methods = index.value as Table;
  if (methods.metatable !== null) return false;
  vmProbe.stringMethodFast++;
  let v: TValue | undefined;
  if (
    ins !== null && ins.keptTable === methods && (v = ins.keptEntry!.value) !== undefined &&
    v.type !== LUA_TNIL
  ) {
    vmProbe.getKept++;
  } else {
    const entry = methods.strong.get(stringHash(key.value as TString));
    v = entry?.value;
    if (ins !== null && entry !== undefined && v!.type !== LUA_TNIL && vmSwitches.keepFieldEntries) {
      ins.keptTable = methods;
      ins.keptEntry = entry;
    }
  }
  const slot = L.stack[ra]!;
  if (v === undefined) {
    slot.setnilvalue();
  } else {
    slot.type = v.type;
    slot.value = v.value;
  }
  return true;
}

/**
 * `t[key] = val`: an existing string or integer key of a table, or a new one on a table without a metatable,
 * set here (a new key appended to the table's insertion order as ltable.js `add` does); anything else
 * (storing nil, other key types, metatables) through fengari's `settable`.
 */
function setTable(L: State, t: TValue, key: TValue, val: TValue): void {
  if (t.type === LUA_TTABLE && val.type !== LUA_TNIL && directTables) {
    const h = t.value as Table;
    const kt = key.type;
    let hash: unknown;
    if (kt === LUA_TLNGSTR || kt === LUA_TSHRSTR) hash = stringHash(key.value as TString);
    else if (kt === LUA_TNUMINT) hash = key.value;
    else return lvm.settable(L, t, key, val);
    const entry = h.strong.get(hash);
    if (entry !== undefined) {
      vmProbe.setFast++;
      const v = entry.value;
      v.type = val.type;
      v.value = val.value;
      h.flags = 0; // invalidateTMcache
      return;
    }
    if (h.metatable === null) {
      vmProbe.setFast++;
      appendEntry(h, hash, new TValueClass(kt, key.value), new TValueClass(val.type, val.value));
      h.flags = 0;
      return;
    }
  }
  lvm.settable(L, t, key, val);
}

/** Scratch for the text of number operands of one `..` (null: an integer, written without text). */
const numberTexts: (string | null)[] = [];

/** Whether numbers read as `_number_text.ts` spells them, which `concat` then writes itself. */
const numbersAsLuaJit = NUMBER_SPELLING_PATCHED && lobject.luaO_tostring.patchedForLuaJit === true;

/**
 * `R(A) = R(B) .. … .. R(C)` when every operand is a string or a number; false (nothing done) otherwise.
 * Numbers read as `tostring` gives them (`lobject.luaO_tostring`, patched by `_number_spelling_patch.ts`):
 * integers in decimal, floats as LuaJIT's `%.14g`.
 */
function concat(L: State, stack: (TValue | undefined)[], first: number, last: number, ra: number): boolean {
  if (!numbersAsLuaJit) return false;
  let total = 0;
  let only: TString | null = null;
  let nonEmpty = 0;
  for (let j = first; j <= last; j++) {
    const o = stack[j]!;
    const type = o.type;
    if (type === LUA_TLNGSTR || type === LUA_TSHRSTR) {
      const ts = o.value as TString;
      const length = ts.realstring.length;
      if (length !== 0) {
        nonEmpty++;
        only = ts;
        total += length;
      }
    } else if ((type & 0x0f) === LUA_TNUMBER) {
      const n = o.value as number;
      const text = floatText(n, type === LUA_TNUMINT); // null for an integer: its digits written directly
      numberTexts[j - first] = text;
      total += numberLength(n, text);
      nonEmpty += 2; // never `only`: a number always makes a new string
    } else {
      return false;
    }
  }
  vmProbe.concatFast++;
  let ts: TString;
  if (nonEmpty === 1) {
    ts = only!; // one non-empty string and empty ones: that string (fengari keeps the object too)
  } else {
    const bytes = newBytes(total);
    let at = 0;
    for (let j = first; j <= last; j++) {
      const o = stack[j]!;
      if ((o.type & 0x0f) === LUA_TSTRING) {
        const src = (o.value as TString).realstring;
        const length = src.length;
        if (length > 24) {
          bytes.set(src, at);
        } else {
          for (let x = 0; x < length; x++) bytes[at + x] = src[x];
        }
        at += length;
      } else {
        at = writeNumber(bytes, at, o.value as number, numberTexts[j - first]);
      }
    }
    ts = lstring.luaS_bless(L, bytes);
  }
  const res = stack[ra]!;
  res.type = LUA_TLNGSTR;
  res.value = ts;
  return true;
}

/**
 * An operand of a bitwise operator as a 32-bit integer: an integer; a float with an integral value, its low 32
 * bits, as LuaJIT's `bit.tobit` takes them (a hexadecimal numeral past 32 bits is such a float,
 * `_integer_overflow_patch.ts`; Lua 5.3 refuses one without a 32-bit integer representation); or what
 * Lua 5.3's `tointeger` makes of a string (`luaToInteger`: not the truncation library arguments get). False
 * when there is none (the metamethod, or the error, follows).
 */
function bitOperand(o: TValue): number | false {
  if (o.type === LUA_TNUMINT) return o.value as number;
  if (o.type === LUA_TNUMFLT) {
    const v = o.value as number;
    return Number.isInteger(v) ? v | 0 : false;
  }
  return luaToInteger(o);
}

/** Whether two strings hold the same bytes (lstring.js `luaS_eqlngstr`). */
function sameString(a: TString, b: TString): boolean {
  if (a === b) return true;
  const x = a.realstring;
  const y = b.realstring;
  const length = x.length;
  if (length !== y.length) return false;
  for (let i = 0; i < length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/**
 * lvm.js `forlimit`: a `for` loop's limit, and whether the loop must not run at all (a NaN limit); false when
 * the limit is no number. A limit beyond 32 bits (`3e9`, `math.huge`) is kept as it is, not clipped to the
 * integer range as Lua 5.3 clips it: the index stays an integer while it fits in 32 bits and goes on as a
 * float beyond (`OP_FORLOOP`), as LuaJIT's loops on doubles do, where a clipped limit let the index wrap.
 */
function forlimit(obj: TValue, step: number): { stopnow: boolean; ilimit: number } | false {
  const ilimit = lvm.luaV_tointeger(obj, step < 0 ? 2 : 1);
  if (ilimit !== false) return { stopnow: false, ilimit };
  const n = lvm.tonumber(obj);
  if (n === false) return false;
  return { stopnow: Number.isNaN(n), ilimit: n };
}

/** lvm.js `getcached`: the prototype's last closure when it has the upvalues a new one would get. */
function getcached(p: Proto, encup: TValue[], stack: (TValue | undefined)[], base: number): LClosure | null {
  const c = p.cache;
  if (c !== null) {
    const uv = p.upvalues;
    const nup = uv.length;
    for (let i = 0; i < nup; i++) {
      const v = uv[i].instack ? stack[base + uv[i].idx] : encup[uv[i].idx];
      if (c.upvals[i] !== v) return null;
    }
  }
  return c;
}

/** lvm.js `pushclosure`: a new closure of `p` in `R(ra)`, its upvalues bound. */
function pushclosure(L: State, p: Proto, encup: TValue[], base: number, ra: number): void {
  const uv = p.upvalues;
  const nup = uv.length;
  const ncl = new lobject.LClosure(L, nup);
  ncl.p = p;
  L.stack[ra]!.setclLvalue(ncl);
  for (let i = 0; i < nup; i++) {
    if (uv[i].instack) ncl.upvals[i] = lfunc.luaF_findupval(L, base + uv[i].idx);
    else ncl.upvals[i] = encup[uv[i].idx];
  }
  p.cache = ncl;
}

function dojump(L: State, ci: CallInfo, i: Instruction, e: number): void {
  const a = i.A;
  if (a !== 0) lfunc.luaF_close(L, ci.l_base + a - 1);
  ci.l_savedpc += i.sBx + e;
}

function donextjump(L: State, ci: CallInfo): void {
  dojump(L, ci, ci.l_code[ci.l_savedpc], 1);
}

/**
 * The top for a call's arguments, ending at `top`. fengari's `adjust_top` empties the slots above (the
 * frame's registers past the arguments) first; here they are left for the call: a Lua function's frame
 * sets each of its slots to nil (`_stack_patch.ts`), a JS function's pushes replace them, and the results'
 * `adjust_top` back to the frame's top sets the rest to nil. Nothing reads a slot above the top.
 */
function setCallTop(L: State, top: number): void {
  if (L.top > top) L.top = top;
  else ldo.adjust_top(L, top);
}

/**
 * One step of a generic `for` without calling its iterator (and no call or return hook set): `pairs`'s `next`
 * on a table (`vmIntrinsics.next.step`), or fengari's `ipairsaux` with a table without a metatable as state
 * and an integer control, whose results (`i + 1` and `t[i + 1]`, or the nil it read, then nils for more loop
 * variables) go where the call would put them. False, having changed nothing, otherwise.
 */
function iteratorStep(
  L: State,
  stack: (TValue | undefined)[],
  ra: number,
  cb: number,
  wanted: number,
): boolean {
  if ((L.hookmask & CALL_HOOKS) !== 0 || !directTables) return false;
  const fn = stack[ra]!;
  if (fn.type !== LUA_TLCF) return false;
  const pairsNext = vmIntrinsics.next;
  if (pairsNext !== null && fn.value === pairsNext.fn) {
    if (stack[ra + 1]!.type !== LUA_TTABLE) return false;
    if (!pairsNext.step(stack[ra + 1]!, stack[ra + 2]!, stack as TValue[], cb, wanted)) return false;
    vmProbe.nextInline++;
    return true;
  }
  if (fn.value !== vmIntrinsics.ipairsIterator) return false;
  const t = stack[ra + 1]!;
  const control = stack[ra + 2]!;
  if (t.type !== LUA_TTABLE || (t.value as Table).metatable !== null || control.type !== LUA_TNUMINT) {
    return false;
  }
  const index = control.value as number;
  if (index >= LUA_MAXINTEGER) return false;
  vmProbe.ipairsInline++;
  const next = index + 1;
  const entry = (t.value as Table).strong.get(next);
  const value = entry === undefined ? undefined : entry.value;
  const first = stack[cb]!;
  let j = 1;
  if (value === undefined || value.type === LUA_TNIL) {
    first.setnilvalue(); // ipairsaux returns only the nil it read
  } else {
    first.setivalue(next);
    if (wanted >= 2) {
      stack[cb + 1]!.setfrom(value);
      j = 2;
    }
  }
  for (; j < wanted; j++) stack[cb + j]!.setnilvalue();
  return true;
}

/**
 * Back to the frame's top after a call returned its results below it. The registers between the results and
 * the top are dead (the compiler writes a register before it reads it), so, as C Lua, this leaves their values
 * as they are (the call's arguments, the callee's slots, which the return set to nil) instead of setting each
 * to nil again as fengari's `adjust_top` does; only slots without an object get one.
 */
function restoreTop(L: State, top: number): void {
  let t = L.top;
  if (t < top) {
    const stack = L.stack;
    for (; t < top; t++) if (stack[t] === undefined) stack[t] = new TValueClass(LUA_TNIL, null);
    L.top = top;
  } else if (t > top) {
    ldo.adjust_top(L, top);
  }
}

/** The error of a `for` loop whose `what` is not a number. */
function forError(L: State, what: string): never {
  return ldebug.luaG_runerror(L, defs.to_luastring(`'for' ${what} must be a number`, true));
}

// --- the interpreter -------------------------------------------------------------------------------------------------

/** `luaV_execute`: runs the Lua function of `L.ci` (and the Lua functions it calls) until it returns. */
export function execute(L: State): void {
  let ci = L.ci;
  const stack = L.stack;
  ci.callstatus |= CIST_FRESH;
  newframe: for (;;) {
    const cl = ci.func.value as LClosure;
    const k = cl.p.k;
    const base = ci.l_base;
    const code = ci.l_code;
    for (;;) {
      let i = code[ci.l_savedpc++];
      if (L.hookmask & HOOK_MASK) ldebug.luaG_traceexec(L);
      let ra = base + i.A;
      switch (i.opcode) {
        case OP_MOVE: {
          const to = stack[ra]!;
          const from = stack[base + i.B]!;
          to.type = from.type;
          to.value = from.value;
          break;
        }
        case OP_LOADK: {
          const to = stack[ra]!;
          const konst = k[i.Bx];
          to.type = konst.type;
          to.value = konst.value;
          break;
        }
        case OP_LOADKX: {
          const konst = k[code[ci.l_savedpc++].Ax];
          stack[ra]!.setfrom(konst);
          break;
        }
        case OP_LOADBOOL: {
          stack[ra]!.setbvalue(i.B !== 0);
          if (i.C !== 0) ci.l_savedpc++;
          break;
        }
        case OP_LOADNIL: {
          for (let j = 0; j <= i.B; j++) stack[ra + j]!.setnilvalue();
          break;
        }
        case OP_GETUPVAL: {
          stack[ra]!.setfrom(cl.upvals[i.B]);
          break;
        }
        case OP_GETTABUP:
        case OP_GETTABLE: {
          // One body for both: they differ only in where the table is (an upvalue, or a register).
          const c = i.C;
          const t = i.opcode === OP_GETTABUP ? cl.upvals[i.B] : stack[base + i.B]!;
          if (c & BITRK) {
            // getField's first case, here without a call: the entry this instruction kept, still the table's.
            if (t.type === LUA_TTABLE && t.value === (i as FieldRead).keptTable) {
              const v = (i as FieldRead).keptEntry!.value;
              if (v !== undefined && v.type !== LUA_TNIL) {
                vmProbe.getFast++;
                vmProbe.getKept++;
                const to = stack[ra]!;
                to.type = v.type;
                to.value = v.value;
                break;
              }
            }
            getField(L, t, k[c & ~BITRK], ra, i);
          } else {
            getTable(L, t, stack[base + c]!, ra);
          }
          break;
        }
        case OP_SETTABUP: {
          const b = i.B;
          const c = i.C;
          setTable(
            L,
            cl.upvals[i.A],
            b & BITRK ? k[b & ~BITRK] : stack[base + b]!,
            c & BITRK ? k[c & ~BITRK] : stack[base + c]!,
          );
          break;
        }
        case OP_SETUPVAL: {
          cl.upvals[i.B].setfrom(stack[ra]!);
          break;
        }
        case OP_SETTABLE: {
          const b = i.B;
          const c = i.C;
          setTable(
            L,
            stack[ra]!,
            b & BITRK ? k[b & ~BITRK] : stack[base + b]!,
            c & BITRK ? k[c & ~BITRK] : stack[base + c]!,
          );
          break;
        }
        case OP_NEWTABLE: {
          stack[ra]!.sethvalue(ltable.luaH_new(L));
          break;
        }
        case OP_SELF: {
          const rb = base + i.B;
          const c = i.C;
          stack[ra + 1]!.setfrom(stack[rb]!);
          if (c & BITRK) getField(L, stack[rb]!, k[c & ~BITRK], ra, i);
          else getTable(L, stack[rb]!, stack[base + c]!, ra);
          break;
        }
        case OP_ADD: {
          const b = i.B;
          const c = i.C;
          const op1 = b & BITRK ? k[b & ~BITRK] : stack[base + b]!;
          const op2 = c & BITRK ? k[c & ~BITRK] : stack[base + c]!;
          let n1, n2;
          if (op1.type === LUA_TNUMINT && op2.type === LUA_TNUMINT) {
            // Beyond 32 bits the exact float, as LuaJIT gives.
            setExactResult(stack[ra]!, (op1.value as number) + (op2.value as number));
          } else if ((n1 = lvm.tonumber(op1)) !== false && (n2 = lvm.tonumber(op2)) !== false) {
            stack[ra]!.setfltvalue(n1 + n2);
          } else {
            ltm.luaT_trybinTM(L, op1, op2, stack[ra]!, TMS.TM_ADD);
          }
          break;
        }
        case OP_SUB: {
          const b = i.B;
          const c = i.C;
          const op1 = b & BITRK ? k[b & ~BITRK] : stack[base + b]!;
          const op2 = c & BITRK ? k[c & ~BITRK] : stack[base + c]!;
          let n1, n2;
          if (op1.type === LUA_TNUMINT && op2.type === LUA_TNUMINT) {
            setExactResult(stack[ra]!, (op1.value as number) - (op2.value as number));
          } else if ((n1 = lvm.tonumber(op1)) !== false && (n2 = lvm.tonumber(op2)) !== false) {
            stack[ra]!.setfltvalue(n1 - n2);
          } else {
            ltm.luaT_trybinTM(L, op1, op2, stack[ra]!, TMS.TM_SUB);
          }
          break;
        }
        case OP_MUL: {
          const b = i.B;
          const c = i.C;
          const op1 = b & BITRK ? k[b & ~BITRK] : stack[base + b]!;
          const op2 = c & BITRK ? k[c & ~BITRK] : stack[base + c]!;
          let n1, n2;
          if (op1.type === LUA_TNUMINT && op2.type === LUA_TNUMINT) {
            setExactResult(stack[ra]!, (op1.value as number) * (op2.value as number));
          } else if ((n1 = lvm.tonumber(op1)) !== false && (n2 = lvm.tonumber(op2)) !== false) {
            stack[ra]!.setfltvalue(n1 * n2);
          } else {
            ltm.luaT_trybinTM(L, op1, op2, stack[ra]!, TMS.TM_MUL);
          }
          break;
        }
        case OP_MOD: {
          const b = i.B;
          const c = i.C;
          const op1 = b & BITRK ? k[b & ~BITRK] : stack[base + b]!;
          const op2 = c & BITRK ? k[c & ~BITRK] : stack[base + c]!;
          let n1, n2;
          if (op1.type === LUA_TNUMINT && op2.type === LUA_TNUMINT) {
            // `n % 0` is NaN, as LuaJIT's doubles give, where Lua 5.3 raises "attempt to perform 'n%%0'".
            if (op2.value === 0) stack[ra]!.setfltvalue(NaN);
            else stack[ra]!.setivalue(lvm.luaV_mod(L, op1.value as number, op2.value as number));
          } else if ((n1 = lvm.tonumber(op1)) !== false && (n2 = lvm.tonumber(op2)) !== false) {
            stack[ra]!.setfltvalue(llimits.luai_nummod(L, n1, n2));
          } else {
            ltm.luaT_trybinTM(L, op1, op2, stack[ra]!, TMS.TM_MOD);
          }
          break;
        }
        case OP_POW: {
          const b = i.B;
          const c = i.C;
          const op1 = b & BITRK ? k[b & ~BITRK] : stack[base + b]!;
          const op2 = c & BITRK ? k[c & ~BITRK] : stack[base + c]!;
          let n1, n2;
          if ((n1 = lvm.tonumber(op1)) !== false && (n2 = lvm.tonumber(op2)) !== false) {
            stack[ra]!.setfltvalue(Math.pow(n1, n2));
          } else {
            ltm.luaT_trybinTM(L, op1, op2, stack[ra]!, TMS.TM_POW);
          }
          break;
        }
        case OP_DIV: {
          const b = i.B;
          const c = i.C;
          const op1 = b & BITRK ? k[b & ~BITRK] : stack[base + b]!;
          const op2 = c & BITRK ? k[c & ~BITRK] : stack[base + c]!;
          let n1, n2;
          if ((n1 = lvm.tonumber(op1)) !== false && (n2 = lvm.tonumber(op2)) !== false) {
            stack[ra]!.setfltvalue(n1 / n2);
          } else {
            ltm.luaT_trybinTM(L, op1, op2, stack[ra]!, TMS.TM_DIV);
          }
          break;
        }
        case OP_IDIV: {
          const b = i.B;
          const c = i.C;
          const op1 = b & BITRK ? k[b & ~BITRK] : stack[base + b]!;
          const op2 = c & BITRK ? k[c & ~BITRK] : stack[base + c]!;
          let n1, n2;
          if (op1.type === LUA_TNUMINT && op2.type === LUA_TNUMINT) {
            stack[ra]!.setivalue(lvm.luaV_div(L, op1.value as number, op2.value as number));
          } else if ((n1 = lvm.tonumber(op1)) !== false && (n2 = lvm.tonumber(op2)) !== false) {
            stack[ra]!.setfltvalue(Math.floor(n1 / n2));
          } else {
            ltm.luaT_trybinTM(L, op1, op2, stack[ra]!, TMS.TM_IDIV);
          }
          break;
        }
        case OP_BAND:
        case OP_BOR:
        case OP_BXOR:
        case OP_SHL:
        case OP_SHR: {
          const b = i.B;
          const c = i.C;
          const op1 = b & BITRK ? k[b & ~BITRK] : stack[base + b]!;
          const op2 = c & BITRK ? k[c & ~BITRK] : stack[base + c]!;
          const op = i.opcode;
          let n1, n2;
          if ((n1 = bitOperand(op1)) !== false && (n2 = bitOperand(op2)) !== false) {
            let r: number;
            if (op === OP_BAND) r = n1 & n2;
            else if (op === OP_BOR) r = n1 | n2;
            else if (op === OP_BXOR) r = n1 ^ n2;
            else if (op === OP_SHL) r = lvm.luaV_shiftl(n1, n2);
            else r = lvm.luaV_shiftl(n1, -n2);
            stack[ra]!.setivalue(r);
          } else {
            const event = op === OP_BAND
              ? TMS.TM_BAND
              : op === OP_BOR
              ? TMS.TM_BOR
              : op === OP_BXOR
              ? TMS.TM_BXOR
              : op === OP_SHL
              ? TMS.TM_SHL
              : TMS.TM_SHR;
            ltm.luaT_trybinTM(L, op1, op2, stack[ra]!, event);
          }
          break;
        }
        case OP_UNM: {
          const op = stack[base + i.B]!;
          let n;
          if (op.type === LUA_TNUMINT) {
            setExactResult(stack[ra]!, -(op.value as number));
          } else if ((n = lvm.tonumber(op)) !== false) {
            stack[ra]!.setfltvalue(-n);
          } else {
            ltm.luaT_trybinTM(L, op, op, stack[ra]!, TMS.TM_UNM);
          }
          break;
        }
        case OP_BNOT: {
          const op = stack[base + i.B]!;
          const n = bitOperand(op);
          if (n !== false) stack[ra]!.setivalue(~n);
          else ltm.luaT_trybinTM(L, op, op, stack[ra]!, TMS.TM_BNOT);
          break;
        }
        case OP_NOT: {
          stack[ra]!.setbvalue(isFalse(stack[base + i.B]!));
          break;
        }
        case OP_LEN: {
          // A string's length, or a table's border (`luaH_getn`) when it has no metatable (no `__len`).
          const rb = stack[base + i.B]!;
          const type = rb.type;
          if (type === LUA_TTABLE && (rb.value as Table).metatable === null) {
            vmProbe.lenFast++;
            stack[ra]!.setivalue(tableLength(rb.value as Table));
          } else if (type === LUA_TLNGSTR || type === LUA_TSHRSTR) {
            vmProbe.lenFast++;
            stack[ra]!.setivalue((rb.value as TString).realstring.length);
          } else {
            lvm.luaV_objlen(L, stack[ra]!, rb);
          }
          break;
        }
        case OP_CONCAT: {
          const b = i.B;
          const c = i.C;
          if (concat(L, stack, base + b, base + c, ra)) break;
          vmProbe.concatSlow++;
          L.top = base + c + 1; // mark the end of concat operands
          lvm.luaV_concat(L, c - b + 1);
          stack[ra]!.setfrom(stack[base + b]!);
          ldo.adjust_top(L, ci.top); // restore top
          break;
        }
        case OP_JMP: {
          dojump(L, ci, i, 0);
          break;
        }
        case OP_EQ: {
          const b = i.B;
          const c = i.C;
          const op1 = b & BITRK ? k[b & ~BITRK] : stack[base + b]!;
          const op2 = c & BITRK ? k[c & ~BITRK] : stack[base + c]!;
          let res: number;
          if ((op1.type & 0x0f) === LUA_TNUMBER && (op2.type & 0x0f) === LUA_TNUMBER) {
            res = op1.value === op2.value ? 1 : 0; // as luaV_equalobj for numbers, of either variant
          } else if (op1.type === LUA_TLNGSTR && op2.type === LUA_TLNGSTR) {
            // as luaV_equalobj for two strings (`luaS_eqlngstr`): no metamethod, the same bytes
            vmProbe.eqStrings++;
            res = sameString(op1.value as TString, op2.value as TString) ? 1 : 0;
          } else {
            res = lvm.luaV_equalobj(L, op1, op2);
          }
          if (res !== i.A) ci.l_savedpc++;
          else donextjump(L, ci);
          break;
        }
        case OP_LT: {
          const b = i.B;
          const c = i.C;
          const op1 = b & BITRK ? k[b & ~BITRK] : stack[base + b]!;
          const op2 = c & BITRK ? k[c & ~BITRK] : stack[base + c]!;
          let res: number;
          if ((op1.type & 0x0f) === LUA_TNUMBER && (op2.type & 0x0f) === LUA_TNUMBER) {
            res = (op1.value as number) < (op2.value as number) ? 1 : 0;
          } else {
            res = lvm.luaV_lessthan(L, op1, op2);
          }
          if (res !== i.A) ci.l_savedpc++;
          else donextjump(L, ci);
          break;
        }
        case OP_LE: {
          const b = i.B;
          const c = i.C;
          const op1 = b & BITRK ? k[b & ~BITRK] : stack[base + b]!;
          const op2 = c & BITRK ? k[c & ~BITRK] : stack[base + c]!;
          let res: number;
          if ((op1.type & 0x0f) === LUA_TNUMBER && (op2.type & 0x0f) === LUA_TNUMBER) {
            res = (op1.value as number) <= (op2.value as number) ? 1 : 0;
          } else {
            res = lvm.luaV_lessequal(L, op1, op2);
          }
          if (res !== i.A) ci.l_savedpc++;
          else donextjump(L, ci);
          break;
        }
        case OP_TEST: {
          if (i.C ? isFalse(stack[ra]!) : !isFalse(stack[ra]!)) ci.l_savedpc++;
          else donextjump(L, ci);
          break;
        }
        case OP_TESTSET: {
          const rb = stack[base + i.B]!;
          if (i.C ? isFalse(rb) : !isFalse(rb)) {
            ci.l_savedpc++;
          } else {
            stack[ra]!.setfrom(rb);
            donextjump(L, ci);
          }
          break;
        }
        case OP_CALL: {
          const b = i.B;
          const nresults = i.C - 1;
          if (b === 2 && nresults === 1 && (L.hookmask & CALL_HOOKS) === 0) {
            const fn = stack[ra]!;
            if (fn.type === LUA_TLCF && fn.value === vmIntrinsics.type) {
              // `type(v)`: the name of v's type, where the function was.
              vmProbe.typeInline++;
              fn.value = typeName(L, stack[ra + 1]!.type & 0x0f);
              fn.type = LUA_TLNGSTR;
              break;
            }
          }
          if (b !== 0) setCallTop(L, ra + b); // else previous instruction set top
          if (ldo.luaD_precall(L, ra, nresults)) {
            if (nresults >= 0) restoreTop(L, ci.top); // adjust results
          } else {
            ci = L.ci;
            continue newframe;
          }
          break;
        }
        case OP_TAILCALL: {
          const b = i.B;
          if (b !== 0) setCallTop(L, ra + b); // else previous instruction set top
          if (!ldo.luaD_precall(L, ra, LUA_MULTRET)) {
            // tail call: put called frame (n) in place of caller one (o)
            const nci = L.ci;
            const oci = nci.previous;
            const nfunc = nci.func;
            const nfuncOff = nci.funcOff;
            const ofuncOff = oci.funcOff;
            const lim = nci.l_base + (nfunc.value as LClosure).p.numparams;
            if (cl.p.p.length > 0) lfunc.luaF_close(L, oci.l_base);
            for (let aux = 0; nfuncOff + aux < lim; aux++) {
              stack[ofuncOff + aux]!.setfrom(stack[nfuncOff + aux]!);
            }
            oci.l_base = ofuncOff + (nci.l_base - nfuncOff);
            oci.top = ofuncOff + (L.top - nfuncOff);
            ldo.adjust_top(L, oci.top); // correct top
            oci.l_code = nci.l_code;
            oci.l_savedpc = nci.l_savedpc;
            oci.callstatus |= CIST_TAIL;
            // The called frame's record stays linked as `oci.next`, finished, for the next call to reuse
            // (`extendCallInfo`, `_stack_patch.ts`), as C Lua's `luaV_execute` leaves it.
            ci = L.ci = oci;
            continue newframe;
          }
          break;
        }
        case OP_RETURN: {
          if (cl.p.p.length > 0) lfunc.luaF_close(L, base);
          const b = ldo.luaD_poscall(L, ci, ra, i.B !== 0 ? i.B - 1 : L.top - ra);
          if (ci.callstatus & CIST_FRESH) return; // external invocation: return
          // invocation via reentry: continue execution
          ci = L.ci;
          if (b) restoreTop(L, ci.top);
          continue newframe;
        }
        case OP_FORLOOP: {
          const index = stack[ra]!;
          if (index.type === LUA_TNUMINT) {
            const step = stack[ra + 2]!.value as number;
            const idx = (index.value as number) + step;
            const limit = stack[ra + 1]!.value as number;
            if (0 < step ? idx <= limit : limit <= idx) {
              ci.l_savedpc += i.sBx;
              if ((idx | 0) === idx) {
                index.value = idx; // update internal index...
                stack[ra + 3]!.setivalue(idx); // ...and external index
              } else {
                // Past 32 bits under a limit beyond them (`forlimit`): the loop goes on in floats.
                index.setfltvalue(idx);
                stack[ra + 3]!.setfltvalue(idx);
              }
            }
          } else {
            const step = stack[ra + 2]!.value as number;
            const idx = (index.value as number) + step;
            const limit = stack[ra + 1]!.value as number;
            if (0 < step ? idx <= limit : limit <= idx) {
              ci.l_savedpc += i.sBx;
              index.value = idx;
              stack[ra + 3]!.setfltvalue(idx);
            }
          }
          break;
        }
        case OP_FORPREP: {
          const init = stack[ra]!;
          const plimit = stack[ra + 1]!;
          const pstep = stack[ra + 2]!;
          let forlim;
          if (
            init.type === LUA_TNUMINT && pstep.type === LUA_TNUMINT &&
            (forlim = forlimit(plimit, pstep.value as number))
          ) {
            // all values are integer
            const initv = forlim.stopnow ? 0 : init.value as number;
            plimit.value = forlim.stopnow
              ? (pstep.value as number) < 0 ? LUA_MAXINTEGER : LUA_MININTEGER
              : forlim.ilimit;
            // Exact, as the loop's step is (`OP_FORLOOP`): the internal index may sit one step outside 32 bits.
            init.value = initv - (pstep.value as number);
          } else {
            const nlimit = lvm.tonumber(plimit);
            if (nlimit === false) throw forError(L, "limit");
            stack[ra + 1]!.setfltvalue(nlimit);
            const nstep = lvm.tonumber(pstep);
            if (nstep === false) throw forError(L, "step");
            stack[ra + 2]!.setfltvalue(nstep);
            const ninit = lvm.tonumber(init);
            if (ninit === false) throw forError(L, "initial value");
            stack[ra]!.setfltvalue(ninit - nstep);
          }
          ci.l_savedpc += i.sBx;
          break;
        }
        case OP_TFORCALL: {
          const cb = ra + 3; // call base
          if (iteratorStep(L, stack, ra, cb, i.C)) {
            i = code[ci.l_savedpc++];
            ra = base + i.A;
            if (stack[ra + 1]!.type !== LUA_TNIL) {
              stack[ra]!.setfrom(stack[ra + 1]!);
              ci.l_savedpc += i.sBx;
            }
            break;
          }
          stack[cb + 2]!.setfrom(stack[ra + 2]!);
          stack[cb + 1]!.setfrom(stack[ra + 1]!);
          stack[cb]!.setfrom(stack[ra]!);
          ldo.adjust_top(L, cb + 3); // func. + 2 args (state and index)
          ldo.luaD_call(L, cb, i.C);
          restoreTop(L, ci.top);
          // go straight to OP_TFORLOOP
          i = code[ci.l_savedpc++];
          ra = base + i.A;
          if (stack[ra + 1]!.type !== LUA_TNIL) {
            stack[ra]!.setfrom(stack[ra + 1]!);
            ci.l_savedpc += i.sBx;
          }
          break;
        }
        case OP_TFORLOOP: {
          if (stack[ra + 1]!.type !== LUA_TNIL) { // continue loop?
            stack[ra]!.setfrom(stack[ra + 1]!); // save control variable
            ci.l_savedpc += i.sBx; // jump back
          }
          break;
        }
        case OP_SETLIST: {
          let n = i.B;
          let c = i.C;
          if (n === 0) n = L.top - ra - 1;
          if (c === 0) c = code[ci.l_savedpc++].Ax;
          const h = stack[ra]!.value as Table;
          let last = ((c - 1) * LFIELDS_PER_FLUSH) + n;
          for (; n > 0; n--) ltable.luaH_setint(h, last--, stack[ra + n]!);
          ldo.adjust_top(L, ci.top); // correct top (in case of previous open call)
          break;
        }
        case OP_CLOSURE: {
          const p = cl.p.p[i.Bx];
          const ncl = getcached(p, cl.upvals, stack, base); // cached closure
          if (ncl === null) pushclosure(L, p, cl.upvals, base, ra); // create a new one
          else stack[ra]!.setclLvalue(ncl);
          break;
        }
        case OP_VARARG: {
          let b = i.B - 1;
          let n = base - ci.funcOff - cl.p.numparams - 1;
          let j;
          if (n < 0) n = 0; // less arguments than parameters: no vararg arguments
          if (b < 0) {
            b = n; // get all var. arguments
            ldo.luaD_checkstack(L, n);
            ldo.adjust_top(L, ra + n);
          }
          for (j = 0; j < b && j < n; j++) stack[ra + j]!.setfrom(stack[base - n + j]!);
          for (; j < b; j++) stack[ra + j]!.setnilvalue(); // complete required results with nil
          break;
        }
        case OP_EXTRAARG:
        default:
          throw Error("invalid opcode");
      }
    }
  }
}

if (!lvm.vmInstalled) {
  lvm.luaV_execute = execute;
  lvm.vmInstalled = true;
}

/** Whether fengari runs Lua code on {@linkcode execute}, its chunks loaded with its instructions' fields. */
export function vmInEffect(): boolean {
  return lvm.luaV_execute === execute && keptFieldsInEffect();
}

/** Whether table reads and writes take the direct paths (for tests; see `tablesHashAsHere`). */
export function vmTablePathsInEffect(): boolean {
  return directTables;
}
