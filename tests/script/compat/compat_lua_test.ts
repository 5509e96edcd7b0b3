/** The embedded copy of lua/compat.lua must be the file itself (it is what a bundle carries). */

import { assertEquals } from "@std/assert";
import { COMPAT_LUA } from "../../../lib/script/compat/_compat_lua.ts";
import { compatModuleText } from "../../../scripts/update_compat_lua.ts";

Deno.test("COMPAT_LUA is identical to lua/compat.lua", () => {
  const source = Deno.readTextFileSync(new URL("../../../lua/compat.lua", import.meta.url));
  assertEquals(
    COMPAT_LUA,
    source,
    "lib/script/compat/_compat_lua.ts is stale: run deno run --allow-read --allow-write scripts/update_compat_lua.ts",
  );
});

Deno.test("lib/script/compat/_compat_lua.ts is exactly what the generator writes", () => {
  const source = Deno.readTextFileSync(new URL("../../../lua/compat.lua", import.meta.url));
  const module = Deno.readTextFileSync(new URL("../../../lib/script/compat/_compat_lua.ts", import.meta.url));
  assertEquals(module, compatModuleText(source));
});
