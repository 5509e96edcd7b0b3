/**
 * wrk-deno's version, from deno.json: `-v` prints it, and the `--json` document and the HdrHistogram log's
 * `loggedWith` carry it.
 *
 * @module
 */
import denoConfig from "../deno.json" with { type: "json" };

/**
 * The version in deno.json, such as `0.1.0`: what a library program puts in `JsonContext.version`.
 *
 * @example
 * ```ts
 * import { VERSION } from "./version.ts";
 *
 * console.log(/^\d+\.\d+\.\d+/.test(VERSION)); // true
 * ```
 */
export const VERSION: string = denoConfig.version;
