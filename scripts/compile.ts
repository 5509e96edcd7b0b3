/**
 * `deno task compile` and `deno task compile:all`: single executables with `deno compile`, the minimal
 * permissions baked in.
 *
 * ```sh
 * deno task compile                      # dist/wrk-deno for this machine
 * deno task compile:all                  # dist/wrk-deno-<target>[.exe] for the five release targets
 * deno task compile --target aarch64-apple-darwin --dry-run   # print the deno command, run nothing
 * ```
 *
 * `deno compile` downloads the Deno runtime (`denort`) for each target on first use; offline that fails
 * with a long network error, which this script turns into one line that says what is missing.
 *
 * @module
 */
import { parseArgs } from "@std/cli/parse-args";
import { fromFileUrl } from "@std/path/from-file-url";
import { LAZY_MODULE_PATHS } from "../lib/lazy_modules.ts";

/** The targets a release ships, as `deno compile --target` names them. */
export const TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-msvc",
] as const;

/** One of {@linkcode TARGETS}. */
export type CompileTarget = typeof TARGETS[number];

/**
 * The permissions the binary runs with, the same as the documented `deno run` flags: the network for the
 * target, reading for the script and `--cacert`, the environment for fengari's `LUA_*` settings and
 * `os.getenv`, writing so that `--write <dir>` can let scripts write there (without it they write nothing:
 * the Lua layer checks every path), and FFI for the socket calls of the epoll loop (libc only; Lua scripts
 * cannot reach it). Nothing else, so a script cannot spawn processes (docs/permissions.md).
 */
export const PERMISSIONS: readonly string[] = [
  "--allow-net",
  "--allow-read",
  "--allow-env",
  "--allow-write",
  "--allow-ffi",
];

/**
 * V8 settings every documented way of running the tool passes (`deno.json` tasks, docs/install.md's commands, the
 * benchmark), baked into the binary here. A young generation capped at 4 MiB semi-spaces: V8 otherwise grows it
 * towards 16 MiB per thread as long as requests are in flight at every scavenge, and RSS grows with it
 * (docs/benchmarks.md#measurements-behind-the-code); 2 MiB promotes in-flight requests to the old generation
 * and costs more. Throughput is the same either way.
 */
export const V8_FLAGS = "--v8-flags=--max-semi-space-size=4";

/** The entry module: the command line (its threads run lib/worker/worker_main.ts beside it: see cli.ts). */
export const ENTRY = "cli.ts";

/**
 * Modules loaded other than by a static import (by computed URLs: lib/lazy_modules.ts), which `deno compile`
 * embeds only when told: the library's worker module, the Lua layer (only for `-s`), the node:tls transport
 * and the certificate fetch (only for `-k`), the command tree (only for a subcommand), the argument parser
 * (loaded by the command line, not by threads), HTTP/2 (only for `--http2`), the JSON result and the interval
 * log (only for `--json`, `--hdr-log`), the result files (only for `--json`, `--summary`, `--hdr-log`), and
 * the merge (only for `merge`): lib/lazy_modules.ts's list. tests/scripts/compile_test.ts checks that every
 * module of ours loaded by an import expression is here.
 */
export const INCLUDES: readonly string[] = LAZY_MODULE_PATHS.map((path) => `lib/${path}`);

/** Where the executable goes: `<dir>/wrk-deno` for this machine, `<dir>/wrk-deno-<target>` for a target. */
export function outputPath(target: CompileTarget | null, outDir = "dist"): string {
  const windows = target === null ? Deno.build.os === "windows" : target.includes("windows");
  const name = target === null ? "wrk-deno" : `wrk-deno-${target}`;
  return `${outDir}/${name}${windows ? ".exe" : ""}`;
}

/**
 * The arguments to `deno` that compile the executable for `target` (null: this machine).
 *
 * @example The arguments for a macOS build
 * ```ts
 * import { compileArgs } from "./compile.ts";
 *
 * console.log(["deno", ...compileArgs("aarch64-apple-darwin", "dist/wrk-deno-aarch64-apple-darwin")].join(" "));
 * ```
 */
export function compileArgs(target: CompileTarget | null, output: string): string[] {
  return [
    "compile",
    // The lock is authoritative for a release: a stale deno.lock fails instead of resolving anew.
    "--frozen",
    ...PERMISSIONS,
    V8_FLAGS,
    ...INCLUDES.flatMap((path) => ["--include", path]),
    ...(target === null ? [] : ["--target", target]),
    "--output",
    output,
    ENTRY,
  ];
}

/** True when `deno compile` failed because it could not download the runtime (`denort`) for the target. */
export function isRuntimeDownloadFailure(stderr: string): boolean {
  return /denort/i.test(stderr) &&
    /error sending request|Setting up base binary|dns error|Connect|timed out|404/i.test(stderr);
}

/** The one line printed when the runtime download fails. */
export function runtimeDownloadMessage(target: CompileTarget | null): string {
  const name = target ?? `${Deno.build.target} (this machine)`;
  return `deno compile needs to download the Deno runtime for ${name}; run it online`;
}

/** What the command line asked for. */
export interface CompileRequest {
  /** The targets to build; `[null]` means this machine only. */
  targets: (CompileTarget | null)[];
  /** Print the commands instead of running them. */
  dryRun: boolean;
  /** The output directory. */
  outDir: string;
}

/**
 * Reads `[--all] [--target <triple>]... [--out-dir <dir>] [--dry-run]`; throws a `TypeError` for anything
 * else, and a `RangeError` for an unknown target.
 *
 * @example All release targets, printed only
 * ```ts
 * import { parseCompileArgs } from "./compile.ts";
 *
 * console.log(parseCompileArgs(["--all", "--dry-run"]).targets.length); // 5
 * ```
 */
export function parseCompileArgs(args: string[]): CompileRequest {
  const parsed = parseArgs(args, {
    boolean: ["all", "dry-run"],
    string: ["target", "out-dir"],
    collect: ["target"],
    unknown: (arg) => {
      throw new TypeError(`Cannot parse arguments: unknown argument '${arg}'`);
    },
  });
  const targets: (CompileTarget | null)[] = parsed.all ? [...TARGETS] : [];
  for (const value of parsed.target) {
    if (value === "") throw new TypeError("Cannot parse arguments: --target needs a value");
    if (!(TARGETS as readonly string[]).includes(value)) {
      throw new RangeError(`Cannot compile for '${value}': the targets are ${TARGETS.join(", ")}`);
    }
    targets.push(value as CompileTarget);
  }
  if (parsed["out-dir"] === "") throw new TypeError("Cannot parse arguments: --out-dir needs a value");
  if (targets.length === 0) targets.push(null);
  return { targets, dryRun: parsed["dry-run"], outDir: parsed["out-dir"] ?? "dist" };
}

/** Runs `deno compile` for each requested target in `root`; returns the exit code. */
export async function compile(request: CompileRequest, root: string): Promise<number> {
  for (const target of request.targets) {
    const args = compileArgs(target, outputPath(target, request.outDir));
    if (request.dryRun) {
      console.log(["deno", ...args].join(" "));
      continue;
    }
    const output = await new Deno.Command(Deno.execPath(), {
      args,
      cwd: root,
      stdout: "inherit",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(output.stderr);
    if (output.success) {
      await Deno.stderr.write(output.stderr);
      continue;
    }
    if (isRuntimeDownloadFailure(stderr)) {
      console.error(runtimeDownloadMessage(target));
    } else {
      await Deno.stderr.write(output.stderr);
    }
    return output.code === 0 ? 1 : output.code;
  }
  return 0;
}

if (import.meta.main) {
  let request: CompileRequest;
  try {
    request = parseCompileArgs(Deno.args);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    Deno.exit(2);
  }
  Deno.exit(await compile(request, fromFileUrl(new URL("../", import.meta.url))));
}
