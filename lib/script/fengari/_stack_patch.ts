/**
 * fengari 0.1.5 empties Lua stack slots with `delete L.stack[i]`: on every return, every `lua_pop` and every
 * `lua_settop`. `delete` on an array element is a call into V8's runtime and leaves a hole behind; a
 * request() hook pays it some twenty times, a good part of its time on bench/scripted.lua
 * (docs/benchmarks.md). Storing `undefined` frees the value just as well (fengari reads a deleted slot and an
 * `undefined` one alike) and is an ordinary store. Better still, the slot keeps its object, set to nil, and
 * the next call's frame reuses it instead of allocating a new one per slot (fengari makes every frame's
 * slots anew, on every call): nothing but the stack holds a slot's object once it is above the top, since
 * `luaF_close` gives the stack new objects where a closure keeps the old ones.
 *
 * fengari also allocates a new `CallInfo` (a 14-field object with six boxed numbers) for every call, Lua or
 * JS, and drops it on return; C Lua keeps the list of finished ones and reuses them. So does `extendCallInfo`
 * here: the returning call leaves `ci.next` in place, and the next call takes it. Every field a call reads is
 * set by `luaD_precall` or by the API function that needs it, as in C Lua, whose reuse this mirrors. That is a
 * third of what a `request()` returning a constant allocated (docs/benchmarks.md).
 *
 * Replaced here: `adjust_top`, `luaD_poscall` (with the result move it ends with), `luaE_extendCI`, and
 * `luaD_precall` for JS functions and for Lua functions without `...` (vararg functions and `__call` go to the
 * original), since ldo.js's own returns through its own `luaD_poscall`; and `luaD_call`/`luaD_callnoyield`
 * (the generic `for`'s iterator, metamethods, JS calling Lua), since ldo.js's own calls its own `luaD_precall`.
 * fengari's VM and API call them through the `ldo` and `lstate` module objects, so replacing the properties
 * reaches them; calls inside ldo.js itself keep the originals, which is only slower. Loaded after fengari (`_lua.ts`);
 * its line-and-return hooks (the debug library's) still go through the original. `protectedCall` is
 * `lua_pcall` for the per-request hooks, on this call path without the API's argument record.
 * `tests/script/fengari/fast_paths_test.ts` and `vm_test.ts` check the patch is in effect.
 *
 * @module
 */

// @ts-types="./_fengari.d.ts"
import fengari from "../../../third_party/fengari/src/fengari.js";
// @ts-types="./_internals.d.ts"
import ldo from "../../../third_party/fengari/src/ldo.js";
// @ts-types="./_internals.d.ts"
import lobject from "../../../third_party/fengari/src/lobject.js";
// @ts-types="./_internals.d.ts"
import lstate from "../../../third_party/fengari/src/lstate.js";
// @ts-types="./_internals.d.ts"
import lvmModule from "../../../third_party/fengari/src/lvm.js";
// @ts-types="./_internals.d.ts"
import ldebugModule from "../../../third_party/fengari/src/ldebug.js";
// @ts-types="./_internals.d.ts"
import llimits from "../../../third_party/fengari/src/llimits.js";
import { LUA_TCCL, LUA_TLCF, LUA_TLCL } from "./_tags.ts";

/** The parts of fengari's `lua_State` and `CallInfo` these functions touch. */
interface State {
  top: number;
  stack: (Slot | undefined)[];
  ci: CallInfo;
  hookmask: number;
  nCcalls: number;
  nny: number;
}
/** A Lua function's prototype, as far as a call reads it. */
interface Proto {
  is_vararg: boolean;
  numparams: number;
  maxstacksize: number;
  code: unknown[];
}
interface CallInfo {
  l_base: number;
  l_code: unknown[];
  l_savedpc: number;
  funcOff: number;
  nresults: number;
  previous: CallInfo;
  next: CallInfo | null;
  func: Slot;
  top: number;
  callstatus: number;
}
const CallInfoClass = lstate.CallInfo as new () => CallInfo;
interface Slot {
  type: number;
  value: unknown;
  setnilvalue(): void;
}

if (typeof fengari.lua !== "object") throw new Error("fengari did not load");
const { LUA_MULTRET, LUA_MASKCALL, LUA_MASKLINE, LUA_MASKRET, LUA_MINSTACK, LUA_OK } = fengari.lua;
const CIST_LUA = (lstate as unknown as { CIST_LUA: number }).CIST_LUA;
const LUA_TNIL = fengari.lua.LUA_TNIL;
const TValue = lobject.TValue as new (type: number, value: null) => Slot;
const originalPoscall = ldo.luaD_poscall as (L: State, ci: CallInfo, first: number, count: number) => boolean;
const originalPrecall = ldo.luaD_precall as (L: State, off: number, nresults: number) => boolean;
const checkStack = ldo.luaD_checkstack as (L: State, n: number) => void;
const lvm = lvmModule as unknown as { luaV_execute(L: State): void };
const ldebug = ldebugModule as unknown as { luaG_runerror(L: State, message: Uint8Array): never };
const throwError = ldo.luaD_throw as (L: State, status: number) => never;
const { LUAI_MAXCCALLS } = llimits as unknown as { LUAI_MAXCCALLS: number };
const LUA_ERRERR = fengari.lua.LUA_ERRERR;

/**
 * Empties slots `from` down to `to` (inclusive), never writing past the array's end. Each slot keeps its
 * object, set to nil, for `adjustTop` to reuse: nothing but the stack holds a slot object once it is above the
 * top (a closure's upvalue holds one, but `luaF_close` gives the stack a new object before the slot is left).
 */
function clear(L: State, from: number, to: number): void {
  const stack = L.stack;
  for (let i = Math.min(from, stack.length - 1); i >= to; i--) {
    const slot = stack[i];
    if (slot !== undefined) {
      slot.type = LUA_TNIL;
      slot.value = null;
    }
  }
}

/** Sets the top to `newTop`: new slots are nil, in the objects `clear` left there when it can. */
function adjustTop(L: State, newTop: number): void {
  let top = L.top;
  if (top < newTop) {
    const stack = L.stack;
    for (; top < newTop; top++) {
      const slot = stack[top];
      if (slot !== undefined) {
        slot.type = LUA_TNIL;
        slot.value = null;
      } else {
        stack[top] = new TValue(LUA_TNIL, null);
      }
    }
    L.top = top;
  } else if (top > newTop) {
    clear(L, top - 1, newTop);
    L.top = newTop;
  }
}

function setSlot(L: State, to: number, from: number): void {
  (L.stack[to] as unknown as { setfrom(v: unknown): void }).setfrom(L.stack[from]);
}

/** Moves `count` results from `first` to `result` (where the function was), as the caller `wanted` them. */
function moveResults(L: State, first: number, result: number, count: number, wanted: number): boolean {
  if (wanted === LUA_MULTRET) {
    for (let i = 0; i < count; i++) setSlot(L, result + i, first + i);
    clear(L, L.top, result + count);
    L.top = result + count;
    return false;
  }
  if (wanted === 1) {
    if (count === 0) L.stack[result]!.setnilvalue();
    else setSlot(L, result, first);
  } else if (wanted > 1) {
    const moved = Math.min(wanted, count);
    for (let i = 0; i < moved; i++) setSlot(L, result + i, first + i);
    for (let i = moved; i < wanted; i++) {
      if (result + i >= L.top) L.stack[result + i] = new TValue(LUA_TNIL, null);
      else L.stack[result + i]!.setnilvalue();
    }
  }
  const newTop = result + wanted;
  clear(L, L.top, newTop);
  L.top = newTop;
  return true;
}

function posCall(L: State, ci: CallInfo, first: number, count: number): boolean {
  if (L.hookmask & (LUA_MASKRET | LUA_MASKLINE)) return originalPoscall(L, ci, first, count);
  const wanted = ci.nresults;
  // `ci` stays linked as `L.ci.next`, for `extendCallInfo` to reuse.
  L.ci = ci.previous;
  return moveResults(L, first, ci.funcOff, count, wanted);
}

/**
 * For tests: how often a Lua frame was set up by `preCallLua` (missing arguments nil, the other registers as
 * they were), and how many `CallInfo` records were made because no finished one was there to reuse.
 */
export const preCallProbe = { luaFrames: 0, newCallInfos: 0 };

/** The next `CallInfo`: a finished one when the list has it, as C Lua's `next_ci`. */
function extendCallInfo(L: State): CallInfo {
  let ci = L.ci.next;
  if (ci === null) {
    preCallProbe.newCallInfos++;
    ci = new CallInfoClass();
    ci.previous = L.ci;
    ci.next = null;
    L.ci.next = ci;
  }
  L.ci = ci;
  return ci;
}

/**
 * The Lua-function half of `luaD_precall` for a function without `...` and without a call hook. As C Lua's
 * `luaD_precall`, only the missing arguments are set to nil: the compiler writes every other register before
 * reading it (a `local x` is a `LOADNIL`), so the frame's other slots keep what they hold (the caller's dead
 * registers, and above them what the last return emptied, `moveResults`) instead of each being set to nil
 * again, as `adjust_top` did. Slots without an object get one. Returns false: the caller runs the function.
 */
function preCallLua(L: State, off: number, nresults: number, func: Slot, p: Proto): boolean {
  const fsize = p.maxstacksize;
  checkStack(L, fsize);
  const base = off + 1;
  const ci = extendCallInfo(L);
  ci.funcOff = off;
  ci.nresults = nresults;
  ci.func = func;
  ci.l_base = base;
  const frameTop = base + fsize;
  ci.top = frameTop;
  let top = L.top;
  if (top > frameTop) {
    adjustTop(L, frameTop); // more arguments than the frame holds: dropped, as `adjust_top` drops them
    top = frameTop;
  }
  const paramsEnd = base + p.numparams;
  if (top < paramsEnd) {
    // Missing arguments are nil.
    L.top = top;
    adjustTop(L, paramsEnd);
    top = paramsEnd;
  }
  const stack = L.stack;
  for (; top < frameTop; top++) if (stack[top] === undefined) stack[top] = new TValue(LUA_TNIL, null);
  L.top = frameTop;
  preCallProbe.luaFrames++;
  ci.l_code = p.code;
  ci.l_savedpc = 0;
  ci.callstatus = CIST_LUA;
  return false;
}

/**
 * `luaD_precall`: a JS function is called here as fengari does it (ldo.js), returning through `posCall`, and a
 * Lua function's frame is set up by `preCallLua`; vararg functions, other values (`__call`) and calls under a
 * call hook go to the original.
 */
function preCall(L: State, off: number, nresults: number): boolean {
  const func = L.stack[off]!;
  const type = func.type;
  if (type === LUA_TLCL && !(L.hookmask & LUA_MASKCALL)) {
    const p = (func.value as { p: Proto }).p;
    if (!p.is_vararg) return preCallLua(L, off, nresults, func, p);
  }
  if ((type !== LUA_TLCF && type !== LUA_TCCL) || L.hookmask & LUA_MASKCALL) {
    return originalPrecall(L, off, nresults);
  }
  const f = (type === LUA_TCCL ? (func.value as { f: unknown }).f : func.value) as (L: State) => unknown;
  checkStack(L, LUA_MINSTACK);
  const ci = extendCallInfo(L);
  ci.funcOff = off;
  ci.nresults = nresults;
  ci.func = func;
  ci.top = L.top + LUA_MINSTACK;
  ci.callstatus = 0;
  const n = f(L);
  if (typeof n !== "number" || n < 0 || (n | 0) !== n) {
    throw Error("invalid return value from JS function (expected integer)");
  }
  // fengari's api_checknelems: a function cannot return more values than it pushed.
  if (n >= L.top - L.ci.funcOff) throw Error("not enough elements in the stack");
  posCall(L, ci, L.top - n, n);
  return true;
}

/** ldo.js `stackerror`: too many nested calls from JS (the C stack of C Lua). */
function stackError(L: State): void {
  if (L.nCcalls === LUAI_MAXCCALLS) ldebug.luaG_runerror(L, fengari.to_luastring("JS stack overflow", true));
  else if (L.nCcalls >= LUAI_MAXCCALLS + (LUAI_MAXCCALLS >> 3)) throwError(L, LUA_ERRERR);
}

/**
 * `luaD_call` (how JS code, metamethods and the generic `for` call a function): ldo.js's own calls its own
 * `luaD_precall`, so every call made this way would miss `preCall` and `posCall` above.
 */
function call(L: State, off: number, nResults: number): void {
  if (++L.nCcalls >= LUAI_MAXCCALLS) stackError(L);
  if (!preCall(L, off, nResults)) lvm.luaV_execute(L);
  L.nCcalls--;
}

/** `luaD_callnoyield`: {@linkcode call} where the called function may not yield. */
function callNoYield(L: State, off: number, nResults: number): void {
  L.nny++;
  call(L, off, nResults);
  L.nny--;
}

/** `lua_pcall`'s argument record for `luaD_pcall`, reused: {@linkcode runCall} reads it before anything else runs. */
const callArgs = { funcOff: 0, nResults: 0 };

/** lapi.js `f_call`: the protected part of a `lua_pcall`. */
function runCall(L: State, args: { funcOff: number; nResults: number }): void {
  callNoYield(L, args.funcOff, args.nResults);
}

const luaPcall = ldo.luaD_pcall as (
  L: State,
  f: (L: State, args: { funcOff: number; nResults: number }) => void,
  args: { funcOff: number; nResults: number },
  oldTop: number,
  errfunc: number,
) => number;

/**
 * `lua_pcall(L, nargs, nresults, 0)`: the same checks, the same protected call (`luaD_pcall`, which sets up
 * the error record and handles errors as before), without the API's new argument record and its checks of
 * a continuation. How the hooks (`request()`, `response()`, `delay()`) are called, for every request.
 */
export function protectedCall(L: unknown, nargs: number, nresults: number): number {
  const state = L as State & { status: number };
  const ci = state.ci;
  if (nargs + 1 >= state.top - ci.funcOff) throw Error("not enough elements in the stack");
  if (state.status !== LUA_OK) throw Error("cannot do calls on non-normal thread");
  if (nresults !== LUA_MULTRET && ci.top - state.top < nresults - nargs) {
    throw Error("results from function overflow current stack size");
  }
  const funcOff = state.top - (nargs + 1);
  callArgs.funcOff = funcOff;
  callArgs.nResults = nresults;
  const status = luaPcall(state, runCall, callArgs, funcOff, 0);
  if (nresults === LUA_MULTRET && state.ci.top < state.top) state.ci.top = state.top;
  return status;
}

if (!ldo.stackPatchInstalled) {
  ldo.luaD_call = call;
  ldo.luaD_callnoyield = callNoYield;
  ldo.adjust_top = adjustTop;
  ldo.luaD_poscall = posCall;
  lstate.luaE_extendCI = extendCallInfo;
  ldo.luaD_precall = preCall;
  ldo.stackPatchInstalled = true;
}

/**
 * Forgets the finished call records after the current call. Reuse keeps one per call depth ever reached, and a
 * deep recursion would keep them all for the state's life (docs/benchmarks.md): C Lua trims them during GC,
 * fengari never does. Called where the value stack grew, which a deep recursion always does.
 */
export function dropFinishedCalls(L: unknown): void {
  (L as State).ci.next = null;
}

/** Whether fengari's VM now calls the replacements (for tests). */
export function stackPatchInEffect(): boolean {
  return ldo.stackPatchInstalled === true && ldo.adjust_top === adjustTop && ldo.luaD_call === call &&
    lstate.luaE_extendCI === extendCallInfo && ldo.luaD_precall === preCall;
}
