/**
 * The reference for LuaJIT behaviour: Debian's `luajit` (the library Debian's wrk runs scripts on), when
 * installed (`.ci/run` installs it), and running a fixture script both there and in a thread's state here.
 */
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
