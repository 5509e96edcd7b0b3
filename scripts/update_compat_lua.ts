/**
 * Regenerates `lib/script/compat/_compat_lua.ts` from `lua/compat.lua` (the embedded copy a bundle carries):
 * `deno run --allow-read --allow-write scripts/update_compat_lua.ts`
 *
 * @module
 */

/** The TS module text embedding `source`. */
export function compatModuleText(source: string): string {
  if (source.includes("`") || source.includes("${")) {
    throw new Error("lua/compat.lua must not contain a backtick or '${' (it is embedded in String.raw)");
  }
  return [
    "/**",
    " * `lua/compat.lua`, embedded so the shim also loads from a bundle. Generated: edit `lua/compat.lua`, then run",
    " * `deno run --allow-read --allow-write scripts/update_compat_lua.ts` (a test checks they match).",
    " *",
    " * @module",
    " */",
    "",
    "// The text starts after the newline that follows the backtick (kept so the formatter leaves it alone).",
    "const SOURCE = String.raw`",
    source + "`;",
    "",
    "/** The Lua half of the compatibility shim. */",
    "export const COMPAT_LUA: string = SOURCE.slice(1);",
    "",
  ].join("\n");
}

if (import.meta.main) {
  const root = new URL("../", import.meta.url);
  const source = Deno.readTextFileSync(new URL("lua/compat.lua", root));
  Deno.writeTextFileSync(new URL("lib/script/compat/_compat_lua.ts", root), compatModuleText(source));
}
