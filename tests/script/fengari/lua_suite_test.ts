/**
 * fengari's copy of Lua 5.3's test suite (its npm package's `test/test-suite/`) run on the fengari this
 * project runs: the vendored one (third_party/fengari/) with every replacement in effect (the interpreter of
 * `_vm.ts`, the call path of `_stack_patch.ts`, the fast paths, the number spelling, integers past 32 bits).
 * The suite's files `require` fengari's modules by relative paths into the npm package, a copy of fengari
 * none of those replacements touch; so each file is run from a temporary copy whose requires of
 * `../../src/<module>.js` are answered from the vendored fengari.
 *
 * Where this project departs from Lua 5.3 on purpose (integers past 32 bits), the cases that check 5.3's
 * behaviour there are skipped by name (`WRAPAROUND_CASES`) or, inside cases that check much else, the one
 * assertion is replaced (`WRAPAROUND_ASSERTIONS`); every other case runs as written.
 */

import { assertEquals, assertGreater } from "@std/assert";
import { createRequire } from "node:module";
import process from "node:process";
import { fengariModule } from "../../../third_party/fengari/fengari.js";
import { lua } from "../../../lib/script/fengari/_lua.ts";

/** The suite as npm installed it. */
const PACKAGE = Deno.realPathSync(new URL("../../../node_modules/fengari/", import.meta.url));
const SUITE = `${PACKAGE}/test/test-suite`;
/** The suite's files that exercise the interpreter, the call path and the libraries we replace parts of. */
const SUITE_FILES = [
  "attrib",
  "bitwise",
  "calls",
  "closure",
  "code",
  "constructs",
  "coroutine",
  "db",
  "errors",
  "events",
  "goto",
  "literals",
  "locals",
  "math",
  "nextvar",
  "sort",
  "vararg",
];

/**
 * The suite's cases that check what this project changes on purpose, by name, to give wrk's LuaJIT's numbers
 * (lib/script/fengari/_integer_overflow_patch.ts): integer `+`, `-`, `*` and unary `-` past 32 bits give the
 * exact float, where these cases check or rely on 32-bit wraparound (`0 - minint == minint`,
 * `(1 << 31) - 1 == maxint`, a loop that ends when doubling wraps); hexadecimal numerals past 32 bits are read
 * whole (`0xffffffff` is 4294967295, not -1); and the bitwise operators take a float with an integral value by
 * its low 32 bits, as LuaJIT's `bit.tobit`, where Lua 5.3 raises "number has no integer representation".
 */
/**
 * Single assertions of the same kind inside cases that check much else: each replaced by what LuaJIT gives,
 * [file, the assertion as written, its replacement].
 */
const WRAPAROUND_ASSERTIONS: readonly (readonly [string, string, string])[] = [
  ["math", "assert(maxint == minint - 1)", "assert(minint - 1 == -2^31 - 1)"],
];

const WRAPAROUND_CASES: ReadonlySet<string> = new Set([
  "[test-suite] bitwise: testing bitwise operations",
  "[test-suite] bitwise: testing extract/replace",
  "[test-suite] locals: old test for limits for special instructions (now just a generic test)",
  "[test-suite] math: integer arithmetic",
  "[test-suite] math: testing floor division and conversions",
  "[test-suite] math: 'tonumber' with strings",
  "[test-suite] sort: testing unpack (2)",
  "[test-suite] bitwise: out-of-range numbers",
  "[test-suite] bitwise: some special cases",
  "[test-suite] bitwise: testing conversion of floats",
  "[test-suite] errors: float->integer conversions",
  "[test-suite] math: avoiding errors at compile time",
  "[test-suite] math: testing overflow errors when converting from float to integer (runtime)",
  "[test-suite] math: Literal integer Overflows (new behavior in 5.3.3)",
  "[test-suite] math: testing hexadecimal numerals",
  // Library arguments take floats by truncation (lib/script/fengari/_integer_argument_patch.ts), which this
  // case's bare state shows through fengari's own `math.tointeger`; our states replace it with Lua 5.3's,
  // checked with this case's assertions in tests/script/fengari/integer_argument_test.ts.
  "[test-suite] math: testing floor & ceil",
]);

const suiteInstalled = (() => {
  try {
    return Deno.statSync(`${SUITE}/calls.test.js`).isFile;
  } catch {
    return false;
  }
})();

/** What a suite file's `require("../../src/<file>")` gets: the vendored fengari's module of that name. */
function vendoredModule(file: string): unknown {
  const fengari = fengariModule("src/fengari.js") as Record<string, unknown>;
  switch (file) {
    case "fengari.js":
    case "fengaricore.js":
      return fengari;
    case "lua.js":
      return fengari.lua;
    case "lauxlib.js":
      return fengari.lauxlib;
    case "lualib.js":
      return fengari.lualib;
    case "lobject.js":
    case "lopcodes.js":
      return fengariModule(`src/${file}`);
    default:
      // The libraries' luaopen_* functions, which lualib.js exports too.
      if (/^(l\w+lib|loadlib)\.js$/.test(file)) return fengari.lualib;
      throw new Error(`the suite requires fengari's ${file}, which this test does not map`);
  }
}

/** `text` of suite file `name` with its requires answered from the vendored fengari, and its departures. */
function vendoredSource(name: string, text: string): string {
  for (const [file, written, replacement] of WRAPAROUND_ASSERTIONS) {
    if (file !== name) continue;
    if (!text.includes(written)) throw new Error(`${file}: '${written}' is no longer in the suite`);
    text = text.replaceAll(written, replacement);
  }
  return text
    .replace(
      /require\((["'])\.\.\/\.\.\/src\/ljstype\.js\1\)/g,
      // Character classes only, no state: the npm copy is the same code.
      `require(${JSON.stringify(`${PACKAGE}/src/ljstype.js`)})`,
    )
    .replace(
      /require\((["'])\.\.\/\.\.\/src\/([\w.]+)\1\)/g,
      (_, _quote, file) => `__vendoredFengari(${JSON.stringify(file)})`,
    )
    .replace(/require\((["'])sprintf-js\1\)/g, `require(${JSON.stringify(`${PACKAGE}/../sprintf-js`)})`);
}

Deno.test("fengari's copy of Lua 5.3's test suite passes on the vendored fengari with every replacement", {
  ignore: !suiteInstalled,
}, async () => {
  const dir = await Deno.makeTempDir({ dir: "/tmp", prefix: "wrk-deno-lua-suite-" });
  const tests: [string, () => unknown][] = [];
  // Some names are given to several cases: the second is "<name> (2)", and so on.
  const named = new Map<string, number>();
  const register = (name: string, fn: () => unknown) => {
    const count = (named.get(name) ?? 0) + 1;
    named.set(name, count);
    tests.push([count === 1 ? name : `${name} (${count})`, fn]);
  };
  register.skip = () => {};
  const globals = globalThis as unknown as Record<string, unknown>;
  const exit = process.exit;
  globals.test = register;
  globals.__vendoredFengari = vendoredModule;
  // ltests.js's panic function exits the process: a failing case must fail the test instead.
  process.exit = ((code?: number) => {
    throw new Error(`process.exit(${code})`);
  }) as typeof process.exit;
  const failures: string[] = [];
  const skipped: string[] = [];
  try {
    for (const name of [...SUITE_FILES.map((file) => `${file}.test`), "ltests"]) {
      const text = await Deno.readTextFile(`${SUITE}/${name}.js`);
      await Deno.writeTextFile(`${dir}/${name}.js`, vendoredSource(name.replace(/\.test$/, ""), text));
    }
    const require = createRequire(`${dir}/x.js`);
    for (const file of SUITE_FILES) require(`./${file}.test.js`);
    for (const [name, fn] of tests) {
      if (WRAPAROUND_CASES.has(name)) {
        skipped.push(name);
        continue;
      }
      try {
        await fn();
      } catch (error) {
        failures.push(`${name}: ${(error as Error).message}`);
      }
    }
  } finally {
    delete globals.test;
    delete globals.__vendoredFengari;
    process.exit = exit;
    await Deno.remove(dir, { recursive: true });
  }
  assertGreater(tests.length, 250);
  assertEquals(failures, []);
  // Every case skipped is still in the suite (a renamed case would otherwise run unnoticed, or not at all).
  assertEquals(skipped.sort(), [...WRAPAROUND_CASES].sort());
  // The suite ran on the vendored fengari: the one whose lua API this project uses.
  assertEquals(vendoredModule("lua.js"), lua);
});
