/**
 * The test's identity (lib/config/test_identity.ts), which `merge` compares across shards: the protocol
 * (`--http2`, `--streams`) is part of it, while an HTTP/1.1 test keeps the identity it had before, so that
 * shard files written then still merge with today's.
 */
import { assertEquals, assertNotEquals } from "@std/assert";
import { parseArgs } from "../../lib/config/parse_args.ts";
import { testIdentity } from "../../lib/config/test_identity.ts";

const TARGET = "https://127.0.0.1:8443/";
const SCRIPT = new TextEncoder().encode("-- script\n");

/** The identity of shard `index` of 2 of `-c10 -d30s -R 1000`, with `extra` options. */
function shardIdentity(index: number, extra: string[] = []): Promise<string> {
  const args = ["-c10", "-d30s", "-R", "1000", "-H", "X-A: b", ...extra];
  const shard = ["--shard-index", `${index}`, "--shard-count", "2"];
  return testIdentity(parseArgs([...args, ...shard, "http://127.0.0.1:8080/", "--", "x"]), SCRIPT);
}

Deno.test("an HTTP/1.1 test keeps the identity it had before the protocol was part of it", async () => {
  // The identity of this test as the version before computed it.
  const before = "2cdb689c935e42825e8416d46201ccd2d9f0b9dfa863139a109ed1842f1140aa";
  assertEquals(await shardIdentity(0), before);
  assertEquals(await shardIdentity(1), before);
});

Deno.test("HTTP/2 is another test than HTTP/1.1, and each --streams another still", async () => {
  const http1 = await testIdentity(parseArgs([TARGET]), null);
  const http2 = await testIdentity(parseArgs(["--http2", TARGET]), null);
  const streams1 = await testIdentity(parseArgs(["--http2", "--streams", "1", TARGET]), null);
  const streams4 = await testIdentity(parseArgs(["--http2", "--streams", "4", TARGET]), null);
  assertNotEquals(http1, http2);
  assertNotEquals(http2, streams4);
  // --streams 1 is --http2's default: the same test.
  assertEquals(http2, streams1);
});

Deno.test("the shards of one HTTP/2 test share its identity", async () => {
  const options = ["--http2", "--streams", "4"];
  assertEquals(await shardIdentity(0, options), await shardIdentity(1, options));
  assertNotEquals(await shardIdentity(0, options), await shardIdentity(0));
});
