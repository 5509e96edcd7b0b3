/**
 * Shard result documents for the merge's tests, written by the real formatter (lib/report/json_result.ts) from
 * configurations the real parser makes (`--shard-index`/`--shard-count`), with chosen samples, so that every
 * figure of a merge can be checked against the samples behind it.
 */
import { formatJsonResult, parseArgs, type RunResult, Stats } from "../../mod.ts";
import { testIdentity } from "../../lib/config/test_identity.ts";

/** One shard of a test, as the test wants it. */
export interface ShardSpec {
  index: number;
  count: number;
  /** The test's total `-c` (default 7). */
  connections?: number;
  /** The test's total `-R`; absent for the closed loop. */
  rate?: number;
  /** `-t` of this shard's process (default 1). */
  threads?: number;
  /** Latency samples, µs. */
  latencyUs: number[];
  /** Uncorrected latency samples (with `rate`); default the latency's. */
  uncorrectedUs?: number[];
  /** Req/Sec samples (default one of 1000). */
  requestRate?: number[];
  /** When the shard started, ms since the epoch (default 2026-12-04T12:00:00Z). */
  startMs?: number;
  /** How long it ran, µs (default 1 s). */
  runtimeUs?: number;
  requests?: number;
  bytesRead?: number;
  errors?: RunResult["errors"];
  errorReasons?: RunResult["errorReasons"];
  statusCodes?: Record<string, number>;
  batches?: number;
  lateBatches?: number;
  /** Requests sent (default `batches`); null for an older version's document, which lacks the field. */
  requestsSent?: number | null;
  /** Requests the plan had due before the shard's end; absent: null, as a merge of an older document has it. */
  requestsDue?: number | null;
  unfinishedThreads?: number[];
  /** The URL (default http://127.0.0.1:8080/): another URL makes another test. */
  url?: string;
  /** The wrk-deno version that wrote it (default 0.1.0). */
  version?: string;
  /** `--http2` (default: HTTP/1.1). */
  http2?: boolean;
  /** `--streams`, with `http2`. */
  streams?: number;
}

/** 2026-12-04T12:00:00Z. */
export const START_MS = Date.UTC(2026, 11, 4, 12);

/** The shard's command line, as its process would have been given it. */
export function shardCommand(spec: ShardSpec): string[] {
  return [
    "-t",
    `${spec.threads ?? 1}`,
    "-c",
    `${spec.connections ?? 7}`,
    "-d1s",
    ...(spec.rate === undefined ? [] : ["-R", `${spec.rate}`]),
    ...(spec.http2 === true ? ["--http2"] : []),
    ...(spec.streams === undefined ? [] : ["--streams", `${spec.streams}`]),
    "--shard-index",
    `${spec.index}`,
    "--shard-count",
    `${spec.count}`,
    spec.url ?? "http://127.0.0.1:8080/",
  ];
}

/** Stats holding `samples`. */
export function statsOf(samples: readonly number[]): Stats {
  const stats = new Stats();
  for (const sample of samples) stats.record(sample);
  return stats;
}

/** The `--json` document the shard's process would have written. */
export async function shardDocument(spec: ShardSpec): Promise<string> {
  const command = shardCommand(spec);
  const config = parseArgs(command);
  const requests = spec.requests ?? spec.latencyUs.length;
  const result: RunResult = {
    url: config.target.url,
    threads: config.threads,
    connections: config.connections,
    durationMs: config.durationMs,
    runtimeUs: spec.runtimeUs ?? 1_000_000,
    requests,
    bytesRead: spec.bytesRead ?? requests * 100,
    errors: spec.errors ?? { connect: 0, read: 0, write: 0, status: 0, timeout: 0 },
    errorReasons: spec.errorReasons ?? [],
    statusCodes: spec.statusCodes ?? { "200": requests },
    startedAt: new Date(spec.startMs ?? START_MS).toISOString(),
    latency: statsOf(spec.latencyUs),
    uncorrectedLatency: config.rate === null ? null : statsOf(spec.uncorrectedUs ?? spec.latencyUs),
    requestRate: statsOf(spec.requestRate ?? [1000]),
    rate: config.rate === null ? null : {
      plannedPerSec: config.rate,
      batches: spec.batches ?? requests,
      lateBatches: spec.lateBatches ?? 0,
      requestsSent: spec.requestsSent === undefined ? spec.batches ?? requests : spec.requestsSent,
      requestsDue: spec.requestsDue ?? null,
    },
    unfinishedThreads: spec.unfinishedThreads ?? [],
  };
  return formatJsonResult(result, {
    config,
    command,
    version: spec.version ?? "0.1.0",
    testId: await testIdentity(config, null),
    thresholds: null,
    error: null,
  });
}

/** A deterministic generator of uniform numbers in [0, 1) (mulberry32), so that failures repeat. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `n` latencies spread as real ones are (log-normal around `medianUs`, a tail to seconds), integers in µs, so
 * that they fall in exact buckets and in the shared buckets above 2048 µs alike.
 */
export function latencies(n: number, medianUs: number, random: () => number): number[] {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    // Box–Muller: a normal deviate from two uniforms.
    const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    samples.push(Math.max(1, Math.round(medianUs * Math.exp(1.2 * normal))));
  }
  return samples;
}
