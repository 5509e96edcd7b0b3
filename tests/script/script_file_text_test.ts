/**
 * Script files as wrk's `luaL_loadfile` reads them (lib/script/_state.ts `scriptText`): a first line starting
 * with `#` (a shebang) and a UTF-8 byte-order mark (which Windows editors write) are skipped, line numbers in
 * messages still count the skipped line, and a `#` later in the file is still a syntax error.
 */
import { assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { runCli } from "../helpers/cli.ts";
import { startServer } from "../helpers/server.ts";
import { scriptText } from "../../lib/script/_state.ts";

const encoder = new TextEncoder();
const BOM = "\ufeff";

/** Runs a 300 ms test with a script of `text`; returns the exit code, stdout and stderr. */
async function runScript(text: string) {
  const server = startServer();
  const dir = await Deno.makeTempDir({ dir: "/tmp", prefix: "wrk-deno-script-text-" });
  try {
    await Deno.writeFile(`${dir}/script.lua`, encoder.encode(text));
    return await runCli(["-t1", "-c1", "-d300ms", "-s", `${dir}/script.lua`, server.url]);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a script with a shebang line, a byte-order mark or both runs as wrk runs it", async () => {
  for (
    const text of [
      `#!/usr/bin/env wrk\nprint("loaded")\n`,
      `${BOM}print("loaded")\n`,
      `${BOM}#!/usr/bin/env wrk -s\nprint("loaded")\n`,
    ]
  ) {
    const { code, stdout, stderr } = await runScript(text);
    assertEquals(code, 0, stderr);
    assertMatch(stdout, /^loaded\n/, JSON.stringify(text));
  }
});

Deno.test("an error after a skipped shebang line names the line as counted in the file", async () => {
  const { code, stderr } = await runScript(`#!/usr/bin/env wrk\n\nlocal x = nil + 1\n`);
  assertEquals(code, 1);
  assertStringIncludes(stderr, "script.lua:3: attempt to perform arithmetic on a nil value");
});

Deno.test("only the first line may start with #, and a BOM only at the start", async () => {
  const later = await runScript(`print("a")\n#!/usr/bin/env wrk\n`);
  assertEquals(later.code, 1);
  assertMatch(later.stderr, /script\.lua:2: unexpected symbol near '#'/);
  assertEquals(scriptText(encoder.encode(`x = 1 ${BOM}`)), encoder.encode(`x = 1 ${BOM}`));
  assertEquals(scriptText(encoder.encode("#only a comment")), new Uint8Array());
});
