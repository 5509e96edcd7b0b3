/**
 * The embedded copies of lua/compat.lua must be the file itself: its text, and the binary chunk every state
 * loads (fengari's compilation of that text, debug information included).
 */

import { assertEquals } from "@std/assert";
import { COMPAT_LUA } from "../../../lib/script/compat/_compat_lua.ts";
import { compatBytecode } from "../../../lib/script/compat/_compat_luac.ts";
import {
  compatBytecodeModuleText,
  compatModuleText,
  compileCompat,
} from "../../../scripts/update_compat_lua.ts";

Deno.test("COMPAT_LUA is identical to lua/compat.lua", () => {
  const source = Deno.readTextFileSync(new URL("../../../lua/compat.lua", import.meta.url));
  assertEquals(
    COMPAT_LUA,
    source,
    "lib/script/compat/_compat_lua.ts is stale: run deno run --allow-read --allow-write --allow-env scripts/update_compat_lua.ts",
  );
});

Deno.test("lib/script/compat/_compat_lua.ts is exactly what the generator writes", () => {
  const source = Deno.readTextFileSync(new URL("../../../lua/compat.lua", import.meta.url));
  const module = Deno.readTextFileSync(new URL("../../../lib/script/compat/_compat_lua.ts", import.meta.url));
  assertEquals(module, compatModuleText(source));
});

Deno.test("lib/script/compat/_compat_luac.ts is lua/compat.lua compiled, as the generator writes it", () => {
  const source = Deno.readTextFileSync(new URL("../../../lua/compat.lua", import.meta.url));
  const compiled = compileCompat(source);
  assertEquals(
    compatBytecode(),
    compiled,
    "lib/script/compat/_compat_luac.ts is stale: run deno run --allow-read --allow-write --allow-env scripts/update_compat_lua.ts",
  );
  const module = Deno.readTextFileSync(
    new URL("../../../lib/script/compat/_compat_luac.ts", import.meta.url),
  );
  assertEquals(module, compatBytecodeModuleText(compiled));
});
