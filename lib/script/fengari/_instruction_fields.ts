/**
 * Every instruction of a loaded chunk made again with two more fields, `keptTable` and `keptEntry`, which the
 * interpreter uses to keep the entry a constant-key read found (`getField` in `_vm.ts`). fengari makes an
 * instruction as an object literal of eight fields (lopcodes.js `fullins`, lundump.js `LoadCode`); adding the
 * two fields to the instructions that read a key, as they first run, would give those instructions another
 * hidden class than the rest, and the interpreter's fetch of every instruction (`code[pc]`, then `i.A`,
 * `i.opcode`) would then check for two. Made here, every instruction has the same ten fields from the start.
 *
 * Installed around ldo.js `luaD_protectedparser`, which `lua_load` calls through the `ldo` module object for
 * every chunk (source or binary, `load`, `dofile`, `require`'s loaders): once it succeeded, the function it
 * left on the stack has its prototypes' instructions replaced, nested functions' too. A chunk made otherwise
 * (none in fengari) would still run: its reads add the fields as they run.
 *
 * @module
 */

// @ts-types="./_internals.d.ts"
import ldoModule from "../../../third_party/fengari/src/ldo.js";
import type { Instruction } from "./_internals.d.ts";

/** An instruction with the fields the interpreter keeps a read's table and entry in. */
export interface KeptFields extends Instruction {
  code: number;
  keptTable: object | null;
  keptEntry: object | null;
}

interface Proto {
  code: Instruction[];
  p: Proto[];
}
type Parser = (
  L: { stack: { value: unknown }[]; top: number },
  z: unknown,
  name: unknown,
  mode: unknown,
) => number;
const ldo = ldoModule as unknown as { luaD_protectedparser: Parser & { keptFields?: boolean } };

/** An instruction's copy with the interpreter's fields (all instructions made here share one hidden class). */
function withKeptFields(i: Instruction & { code: number }): KeptFields {
  return {
    code: i.code,
    opcode: i.opcode,
    A: i.A,
    B: i.B,
    C: i.C,
    Bx: i.Bx,
    Ax: i.Ax,
    sBx: i.sBx,
    keptTable: null,
    keptEntry: null,
  };
}

/** Replaces the instructions of `p` and of the prototypes nested in it. */
export function addKeptFields(p: Proto): void {
  const code = p.code as (Instruction & { code: number })[];
  for (let pc = 0; pc < code.length; pc++) {
    if (!("keptTable" in code[pc])) code[pc] = withKeptFields(code[pc]);
  }
  for (const nested of p.p) addKeptFields(nested);
}

if (ldo.luaD_protectedparser.keptFields !== true) {
  const original = ldo.luaD_protectedparser;
  const parse: Parser & { keptFields?: boolean } = (L, z, name, mode) => {
    const status = original(L, z, name, mode);
    if (status === 0) addKeptFields((L.stack[L.top - 1].value as { p: Proto }).p); // LUA_OK
    return status;
  };
  // Other wrappers' marks stay readable through this one (`_integer_argument_patch.ts` wraps it too).
  Object.assign(parse, original, { keptFields: true });
  ldo.luaD_protectedparser = parse;
}

/** Whether chunks load with the interpreter's fields in each instruction (for tests). */
export function keptFieldsInEffect(): boolean {
  return ldo.luaD_protectedparser.keptFields === true;
}
