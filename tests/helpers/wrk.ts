/** wrk itself (Debian's wrk 4.1, which `.ci/run` installs), for tests that compare our behaviour with its. */

import { which } from "./h2_servers.ts";

/** The wrk command, or null when it is not installed (tests that need it are then skipped). */
export const WRK: string | null = which("wrk");

/** Runs `wrk args`; resolves to its exit code and output. */
export async function runWrk(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await new Deno.Command(WRK!, { args, stdout: "piped", stderr: "piped", stdin: "null" })
    .output();
  const decoder = new TextDecoder();
  return { code: output.code, stdout: decoder.decode(output.stdout), stderr: decoder.decode(output.stderr) };
}
