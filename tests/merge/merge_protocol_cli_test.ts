/**
 * The protocol of a sharded test, end to end: shard processes against one TLS server that speaks h2 and
 * HTTP/1.1 (chosen by ALPN) record `--http2` and `--streams` in their `--json` results, and
 * `wrk-deno merge` refuses shards that spoke differently in one line, exit 1, while shards that spoke alike
 * merge into a result that says how.
 */
import { assertEquals, assertNotEquals } from "@std/assert";
import { runCli } from "../helpers/cli.ts";
import { startDenoH2Server } from "../helpers/h2_servers.ts";
import { withServerAndTempDir } from "../helpers/scoped.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

/** Shard `index` of 2 of `-t1 -c2 -d500ms -R 100` with `protocol`'s options, written to `path`; its document. */
async function runShard(url: string, caFile: string, index: number, protocol: string[], path: string) {
  const outcome = await runCli([
    "-t1",
    "-c2",
    "-d500ms",
    "-R",
    "100",
    ...protocol,
    "--cacert",
    caFile,
    "--shard-index",
    `${index}`,
    "--shard-count",
    "2",
    "--json",
    path,
    url,
  ]);
  assertEquals(outcome.code, 0, outcome.stderr);
  return JSON.parse(await Deno.readTextFile(path)) as Json;
}

Deno.test("shards run over HTTP/2 and over HTTP/1.1 record their protocol, and merge refuses to mix them in one line", async () => {
  await withServerAndTempDir(startDenoH2Server(), "wrk-deno-merge-protocol-", async (server, dir) => {
    const url = server.url.replace("127.0.0.1", "localhost");
    const h2 = ["--http2", "--streams", "4"];
    const paths = {
      h2Shard0: `${dir}/h2-0.json`,
      h2Shard1: `${dir}/h2-1.json`,
      h1Shard1: `${dir}/h1-1.json`,
    };
    const [h2Shard0, h2Shard1, h1Shard1] = await Promise.all([
      runShard(url, server.caFile, 0, h2, paths.h2Shard0),
      runShard(url, server.caFile, 1, h2, paths.h2Shard1),
      runShard(url, server.caFile, 1, [], paths.h1Shard1),
    ]);
    assertEquals([h2Shard0.config.http2, h2Shard0.config.streams], [true, 4]);
    assertEquals([h1Shard1.config.http2, h1Shard1.config.streams], [false, 1]);
    assertEquals(h2Shard1.test_id, h2Shard0.test_id);
    assertNotEquals(h1Shard1.test_id, h2Shard0.test_id);

    const mixed = await runCli(["merge", paths.h2Shard0, paths.h1Shard1]);
    assertEquals([mixed.code, mixed.stdout, mixed.stderr], [
      1,
      "",
      `${paths.h1Shard1}: ran HTTP/1.1, but ${paths.h2Shard0} ran HTTP/2 with --streams 4: ` +
      "not the same test (give every shard the same --http2 and --streams)\n",
    ]);

    const merged = `${dir}/merged.json`;
    const alike = await runCli(["merge", "--json", merged, paths.h2Shard1, paths.h2Shard0]);
    // Started apart (no --start-at), the shards may not overlap on a busy machine: a warning, not a refusal.
    assertEquals(alike.code, 0, alike.stderr);
    const document: Json = JSON.parse(await Deno.readTextFile(merged));
    assertEquals([document.config.http2, document.config.streams], [true, 4]);
    assertEquals(document.requests, h2Shard0.requests + h2Shard1.requests);
  });
});
