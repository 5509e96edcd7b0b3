/**
 * The TypeScript examples in docs/ (the library, CI and result-format pages) type-check against this checkout:
 * an export renamed or an option changed breaks the test, not a reader's program. The examples import the
 * published URL (`https://raw.githubusercontent.com/OWNER/wrk-deno/<tag>/…`), which is pointed at the working
 * tree here, in copies of the pages; `deno check --doc-only` checks each fenced block as a module.
 */
import { assert, assertEquals } from "@std/assert";

const ROOT = new URL("../", import.meta.url);
const PUBLISHED = /https:\/\/raw\.githubusercontent\.com\/OWNER\/wrk-deno\/v[\d.]+\//g;

Deno.test("every TypeScript example in docs/ type-checks against this checkout", async () => {
  const dir = await Deno.makeTempDir({ prefix: "wrk-deno-docs-" });
  try {
    const pages: string[] = [];
    for await (const entry of Deno.readDir(new URL("docs/", ROOT))) {
      if (!entry.isFile || !entry.name.endsWith(".md")) continue;
      const text = await Deno.readTextFile(new URL(`docs/${entry.name}`, ROOT));
      if (!text.includes("```ts")) continue;
      await Deno.writeTextFile(`${dir}/${entry.name}`, text.replaceAll(PUBLISHED, ROOT.href));
      pages.push(`${dir}/${entry.name}`);
    }
    assert(pages.length >= 3, `pages with examples: ${pages.join(", ")}`);
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--quiet", "--doc-only", ...pages],
      cwd: ROOT,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(output.stderr);
    assertEquals(output.code, 0, text);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
