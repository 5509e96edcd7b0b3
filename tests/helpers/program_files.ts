/**
 * The program's own source files, for tests that read the code itself (tests/architecture_test.ts,
 * tests/scripts/compile_test.ts): `cli.ts` and every `.ts` file under `lib/`.
 */
import { ROOT } from "./deno.ts";

/** `cli.ts` and the `.ts` files under `lib/`, as paths relative to the repository. */
export async function programFiles(): Promise<string[]> {
  const files = ["cli.ts"];
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(`${ROOT}${dir}`)) {
      const path = `${dir}${entry.name}`;
      if (entry.isDirectory) await walk(`${path}/`);
      else if (entry.name.endsWith(".ts")) files.push(path);
    }
  };
  await walk("lib/");
  return files;
}

/** The code of the repository's file at `path`, without its block comments. */
export async function codeWithoutBlockComments(path: string): Promise<string> {
  return (await Deno.readTextFile(`${ROOT}${path}`)).replace(/\/\*[\s\S]*?\*\//g, "");
}
