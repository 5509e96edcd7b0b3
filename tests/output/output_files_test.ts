/**
 * Result files written whole (`writeFileWhole`: a temporary file renamed over the path) keep the permissions a
 * reader expects: those of the file they replace, or a new file's under the umask, not the temporary's 0600.
 */
import { assertEquals } from "@std/assert";
import { writeFileWhole } from "../../lib/output/output_files.ts";

const unix = Deno.build.os !== "windows";

Deno.test({
  name: "writeFileWhole() gives a new file the mode a new file gets under the umask, not 0600",
  ignore: !unix,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      await writeFileWhole(`${dir}/r.json`, "{}\n");
      // The mode a new file gets here (0666 less the umask), as the other outputs' files get.
      await Deno.writeTextFile(`${dir}/plain`, "");
      assertEquals(
        (await Deno.stat(`${dir}/r.json`)).mode! & 0o777,
        (await Deno.stat(`${dir}/plain`)).mode! & 0o777,
      );
      assertEquals(await Deno.readTextFile(`${dir}/r.json`), "{}\n");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "writeFileWhole() keeps the mode of the file it replaces",
  ignore: !unix,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      for (const mode of [0o644, 0o640, 0o600]) {
        await Deno.writeTextFile(`${dir}/r.json`, "old\n");
        await Deno.chmod(`${dir}/r.json`, mode);
        await writeFileWhole(`${dir}/r.json`, "new\n");
        assertEquals((await Deno.stat(`${dir}/r.json`)).mode! & 0o777, mode, mode.toString(8));
        assertEquals(await Deno.readTextFile(`${dir}/r.json`), "new\n");
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
