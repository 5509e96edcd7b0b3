/** Runs `deno` itself in a subprocess (bundling, compiling, running a bundle or a URL) and reads its output. */

/** The repository root, as a path. */
export const ROOT: string = new URL("../../", import.meta.url).pathname;

/** What a `deno` subprocess did. */
export interface DenoOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options for {@linkcode runDeno}. */
export interface RunDenoOptions {
  /** Working directory (default: the repository root). */
  cwd?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Kill the process after this long (a hang then shows as a signal exit code). Default 60 s. */
  killAfterMs?: number;
}

/** Runs `deno args` with colours and Rust backtraces off. */
export async function runDeno(args: string[], options: RunDenoOptions = {}): Promise<DenoOutcome> {
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: options.cwd ?? ROOT,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
    env: { NO_COLOR: "1", RUST_BACKTRACE: "0", ...options.env },
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), options.killAfterMs ?? 60_000);
  try {
    const output = await child.output();
    const decoder = new TextDecoder();
    return {
      code: output.code,
      stdout: decoder.decode(output.stdout),
      stderr: decoder.decode(output.stderr),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** The arguments of a `deno.json` task (`deno <args>`), split at spaces; tasks here use no quoting. */
export function taskArgs(name: string, config: { tasks: Record<string, string> }): string[] {
  const [program, ...args] = config.tasks[name].split(/\s+/);
  if (program !== "deno") throw new Error(`task ${name} does not run deno: ${config.tasks[name]}`);
  return args;
}
