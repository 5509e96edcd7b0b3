/**
 * The one usage error that carries the configuration read: a shard too small for its machine's `-t`, whose
 * results can still be written (`cli.ts`). Its own file: `errors.ts` is imported by what `Config` imports.
 *
 * @module
 */
import type { Config } from "./config.ts";
import { UsageError, type UsageErrorOptions } from "./errors.ts";

/**
 * A shard whose part of `-c` is smaller than this machine's `-t`: a usage error found once the rest of the
 * command line was read, so it carries the configuration, whose `--json` and `--summary` can still say why the
 * shard did not run (`wrk-deno merge` then names it instead of a missing shard).
 */
export class ShardTooSmall extends UsageError {
  override name = "ShardTooSmall";
  /** The command line as read, this shard's part of `-c` in `connections`. */
  readonly config: Config;

  /** `message` as for a `UsageError`, with the configuration read. */
  constructor(message: string, config: Config, options: UsageErrorOptions = {}) {
    super(message, options);
    this.config = config;
  }
}
