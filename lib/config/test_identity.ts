/**
 * A test's identity: a hash of what makes two processes parts of the same test (the URL, the test's total
 * connections and rate, duration, timeout, headers, the script's bytes and arguments, the shard count), so
 * that `merge` can refuse shards of different tests. What only this process or only the report depends on
 * (the shard's index, `-t`, which is per machine, output files, thresholds, `--latency`, `--start-at`) is
 * left out.
 *
 * @module
 */

import type { Config } from "./config.ts";

/**
 * The identity of the test `config` is (a part of), as 64 hex digits of SHA-256, given the script's bytes
 * (null without a script).
 *
 * @example Two shards of one test have one identity
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { parseArgs } from "./parse_args.ts";
 * import { testIdentity } from "./test_identity.ts";
 *
 * const shard = (i: number) => parseArgs(["-c10", "--shard-index", `${i}`, "--shard-count", "2", "http://h/"]);
 * assertEquals(await testIdentity(shard(0), null), await testIdentity(shard(1), null));
 * ```
 */
export async function testIdentity(config: Config, script: Uint8Array | null): Promise<string> {
  const scriptHash = script === null ? null : await sha256Hex(script);
  const identity = {
    url: config.target.url,
    connections: config.shard?.connections ?? config.connections,
    rate: config.shard === null ? config.rate : config.shard.rate,
    durationMs: config.durationMs,
    timeoutMs: config.timeoutMs,
    headers: config.headers,
    script: scriptHash,
    scriptArgs: config.scriptArgs,
    batchLatency: config.batchLatency,
    shards: config.shard?.count ?? 1,
  };
  return await sha256Hex(new TextEncoder().encode(JSON.stringify(identity)));
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
