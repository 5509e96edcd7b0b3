/**
 * `wrk-deno merge -` reads a shard's result from standard input (a shard's `--json -` piped in), and the files
 * a user is likely to pass by mistake get a line that says what to do: a log captured with the report around
 * the result's line, a device file that Deno opens only with --allow-all.
 */
import { assert, assertEquals, assertMatch } from "@std/assert";
import { runCliInShell as bash } from "../helpers/cli.ts";
import { startServer } from "../helpers/server.ts";

const SHARD = "-t1 -c1 -d300ms --shard-index 0 --shard-count 1";

Deno.test("merge - reads a shard's --json - piped in", async () => {
  const server = startServer();
  try {
    const { code, stdout, stderr } = await bash(
      `$CLI ${SHARD} --json - ${server.url} 2>/dev/null | $CLI merge --json - -`,
    );
    assertEquals(code, 0, stderr);
    const merged = JSON.parse(stdout.trim().split("\n").at(-1)!) as {
      requests: number;
      merged_shards: number[];
    };
    assertEquals(merged.merged_shards, [0]);
    assert(merged.requests > 0);
  } finally {
    await server.close();
  }
});

Deno.test("merge names a captured log and a device file with what to do instead", async () => {
  const server = startServer();
  const dir = await Deno.makeTempDir({ dir: "/tmp", prefix: "wrk-deno-merge-stdin-" });
  try {
    const log = await bash(
      `$CLI ${SHARD} --json - ${server.url} > ${dir}/log.txt 2>&1; $CLI merge ${dir}/log.txt`,
    );
    assertEquals(log.code, 1);
    assertMatch(
      log.stderr,
      /log\.txt: has text around its JSON result \(a captured log\?\): keep only the line/,
    );
    const device = await bash(`$CLI merge /dev/stdin < /dev/null`);
    assertEquals(device.code, 1);
    assertMatch(
      device.stderr,
      /^\/dev\/stdin: cannot read it \(a device file: give - for standard input\)\n$/,
    );
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});
