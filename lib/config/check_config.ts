/**
 * A `Config` edited in code (docs/library.md: build it with `parseArgs()`, adjust the copy) checked before a
 * run: what `parseArgs` refuses from a command line is refused here too, as a `UsageError`, rather than a run
 * that reports nothing (`connections: 0`), ends at once (`durationMs: -1`) or never lets its process exit
 * (`threads: 0`).
 *
 * @module
 */
import { UsageError } from "./errors.ts";
import type { Config } from "./config.ts";

/** The longest a timer waits (2^31 - 1 ms), as `parseArgs` bounds `-d` and `--timeout`: 596 h. */
export const MAX_DURATION_MS = 596 * 3_600_000;

/**
 * Throws a `UsageError` naming the first field of `config` out of its range: `threads` and `connections`
 * whole numbers with `threads` ≥ 1 and `connections` ≥ `threads`, `durationMs` and `timeoutMs` above 0 and at
 * most 596 h, `rate` null or above 0, `streams` a whole number ≥ 1.
 *
 * @example
 * ```ts
 * import { checkConfig } from "./check_config.ts";
 * import { parseArgs } from "./parse_args.ts";
 *
 * const config = parseArgs(["-t2", "-c10", "http://127.0.0.1:8080/"]);
 * checkConfig(config); // as parsed: fine
 * try {
 *   checkConfig({ ...config, threads: 0 });
 * } catch (error) {
 *   console.log((error as Error).message); // config.threads must be a whole number above 0 (it is 0)
 * }
 * ```
 */
export function checkConfig(config: Config): void {
  const wrong = (field: string, should: string, value: unknown) =>
    new UsageError(`config.${field} must be ${should} (it is ${String(value)})`);
  const whole = (value: number) => Number.isInteger(value) && value > 0;
  const { threads, connections, durationMs, timeoutMs, rate, streams } = config;
  if (!whole(threads)) throw wrong("threads", "a whole number above 0", threads);
  if (!whole(connections) || connections < threads) {
    throw wrong("connections", "a whole number, at least config.threads", connections);
  }
  if (!(durationMs > 0 && durationMs <= MAX_DURATION_MS)) {
    throw wrong("durationMs", "above 0 and at most 596 h", durationMs);
  }
  if (!(timeoutMs > 0 && timeoutMs <= MAX_DURATION_MS)) {
    throw wrong("timeoutMs", "above 0 and at most 596 h", timeoutMs);
  }
  if (rate !== null && !(rate > 0 && Number.isFinite(rate))) throw wrong("rate", "null or above 0", rate);
  if (!whole(streams)) throw wrong("streams", "a whole number above 0", streams);
}
