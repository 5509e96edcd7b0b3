/**
 * A test's identity: a hash of what makes two processes parts of the same test (the URL, the test's total
 * connections and rate, duration, timeout, headers, the script's bytes and arguments, `-B` (what one latency
 * sample covers), the protocol: `--http2` and `--streams`, the shard count), so that `merge` can refuse shards of different tests. What only this
 * process or only the report depends on (the shard's index, `-t`, which is per machine, output files,
 * thresholds, `--latency`, `--start-at`) is left out.
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
 *
 * @example HTTP/2 is another test than HTTP/1.1, as are other `--streams`
 * ```ts
 * import { assertNotEquals } from "@std/assert";
 * import { parseArgs } from "./parse_args.ts";
 * import { testIdentity } from "./test_identity.ts";
 *
 * const http1 = await testIdentity(parseArgs(["http://h/"]), null);
 * const http2 = await testIdentity(parseArgs(["--http2", "http://h/"]), null);
 * const streams4 = await testIdentity(parseArgs(["--http2", "--streams", "4", "http://h/"]), null);
 * assertNotEquals(http1, http2);
 * assertNotEquals(http2, streams4);
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
    // Only over HTTP/2: an HTTP/1.1 test keeps the identity it had before the protocol was part of it, so its
    // shards still merge with files written then (which have no `config.http2`: HTTP/1.1).
    ...(config.http2 ? { http2: true, streams: config.streams } : {}),
  };
  return await sha256Hex(new TextEncoder().encode(JSON.stringify(identity)));
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
