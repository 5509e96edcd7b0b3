/**
 * The README stays true: its usage block is what `--help` prints, its two commands are tasks of deno.json, and
 * every relative link in it and in docs/ names a file (and heading) that exists.
 */
import { assert, assertEquals } from "@std/assert";
import { USAGE } from "../lib/config/usage.ts";
import { ROOT } from "./helpers/deno.ts";

const README = Deno.readTextFileSync(`${ROOT}README.md`);

/** The fenced block right after the line that introduces `--help`'s output. */
function usageBlock(markdown: string): string {
  const match = markdown.match(/`wrk-deno --help` prints[^\n]*\n\n```\n([\s\S]*?)```/);
  assert(match !== null, "the README has no usage block after '`wrk-deno --help` prints'");
  return match[1];
}

Deno.test("README's usage block is exactly what --help prints", () => {
  const printed = USAGE.split("\n").map((line) => line.trimEnd()).join("\n");
  assertEquals(usageBlock(README), printed);
});

Deno.test("README's two commands are deno.json tasks", () => {
  const tasks = JSON.parse(Deno.readTextFileSync(`${ROOT}deno.json`)).tasks as Record<string, string>;
  for (const task of ["demo", "test"]) {
    assert(README.includes(`deno task ${task} `), `README names deno task ${task}`);
    assert(task in tasks, `deno.json has a ${task} task`);
  }
  assert(tasks.test.includes("tests/"), "deno task test runs the whole tests/ folder");
});

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replace(/ /g, "-");
}

Deno.test("relative links in README.md and docs/ name files and headings that exist", async () => {
  const documents = ["README.md"];
  for await (const entry of Deno.readDir(`${ROOT}docs`)) {
    if (entry.name.endsWith(".md")) documents.push(`docs/${entry.name}`);
  }
  const broken: string[] = [];
  for (const document of documents) {
    const text = await Deno.readTextFile(`${ROOT}${document}`);
    const directory = document.includes("/") ? document.slice(0, document.lastIndexOf("/") + 1) : "";
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue;
      const [path, anchor] = target.split("#");
      const file = path === "" ? document : new URL(path, `file:///${directory}`).pathname.slice(1);
      let linked: string;
      try {
        linked = await Deno.readTextFile(`${ROOT}${file}`);
      } catch {
        broken.push(`${document}: ${target} (no such file)`);
        continue;
      }
      if (anchor === undefined || !file.endsWith(".md")) continue;
      const anchors = [...linked.matchAll(/^#+ (.+)$/gm)].map(([, heading]) => anchorOf(heading));
      if (!anchors.includes(anchor)) broken.push(`${document}: ${target} (no such heading)`);
    }
  }
  assertEquals(broken, []);
});
