/**
 * The reference for LuaJIT behaviour: Debian's `luajit` (the library Debian's wrk runs scripts on), when
 * installed (`.ci/run` installs it), and running a fixture script both there and in a thread's state here.
 */
import { assertEquals } from "@std/assert";
import { threadScript } from "./_helpers.ts";

/** The luajit command, or null when it is not installed. */
export const LUAJIT: string | null = (() => {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      if (Deno.statSync(`${dir}/luajit`).isFile) return `${dir}/luajit`;
    } catch { /* not in this directory */ }
  }
  return null;
})();

/** What `luajit file` prints. */
export async function underLuajit(file: string): Promise<string> {
  const output = await new Deno.Command(LUAJIT!, { args: [file], stdout: "piped", stderr: "piped" }).output();
  if (!output.success) throw new Error(new TextDecoder().decode(output.stderr));
  return new TextDecoder().decode(output.stdout);
}

/** What `source` prints as a thread's top level here. */
export async function underWrkDeno(source: string): Promise<string> {
  const { script, output } = await threadScript(source);
  script.close();
  return output.text;
}

/**
 * Checks that LuaJIT prints `expected` for `source`, run as the chunk `script.lua` (messages name it so, as
 * a thread's top level here does).
 */
export async function assertLuajitPrints(source: string, expected: string): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/script.lua`;
    await Deno.writeTextFile(file, source);
    const printed = await underLuajit(file);
    assertEquals(printed.replaceAll(`${dir}/`, ""), expected);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
