/**
 * The embedded copy of lua/compat.lua must be the file itself: the binary chunk every state loads is fengari's
 * compilation of its text, debug information included.
 */

import { assertEquals } from "@std/assert";
import { compatBytecode } from "../../../lib/script/compat/_compat_luac.ts";
import { compatBytecodeModuleText, compileCompat } from "../../../scripts/update_compat_lua.ts";

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
