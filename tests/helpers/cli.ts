/** Runs the real CLI in a subprocess with the documented permission set, and reads its report. */

/** The command line's entry, as a path. */
export const CLI: string = new URL("../../cli.ts", import.meta.url).pathname;

import { PERMISSIONS } from "../../scripts/compile.ts";

/** The permissions the CLI documents (those compiled into the binary). */
export const CLI_PERMISSIONS: readonly string[] = PERMISSIONS;

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
  /** Wall-clock time of the whole process. */
  wallMs: number;
}

/** Options for {@linkcode runCli} and {@linkcode spawnCli}. */
export interface CliOptions {
  /** Kill the process (SIGKILL) after this long; a hang is then visible as code 137. Default 30 s. */
  killAfterMs?: number;
  cwd?: string;
  /** Run under `ulimit -n <openFiles>` (through bash). */
  openFiles?: number;
  /** Deno permissions instead of `CLI_PERMISSIONS`. */
  permissions?: readonly string[];
}

/** `CLI_PERMISSIONS` without `--allow-ffi`: the CLI then runs on Deno's sockets instead of its epoll loop. */
export const DENO_SOCKETS_PERMISSIONS: readonly string[] = CLI_PERMISSIONS.filter((flag) =>
  flag !== "--allow-ffi"
);

function command(args: string[], options: CliOptions): Deno.Command {
  const deno = [Deno.execPath(), "run", ...(options.permissions ?? CLI_PERMISSIONS), CLI, ...args];
  const [program, ...rest] = options.openFiles === undefined
    ? deno
    : ["bash", "-c", `ulimit -n ${options.openFiles} && exec "$0" "$@"`, ...deno];
  return new Deno.Command(program, {
    args: rest,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
    cwd: options.cwd,
    env: { NO_COLOR: "1", RUST_BACKTRACE: "0" },
  });
}

/** Runs `cli.ts args`; kills it after `killAfterMs` (a hang is then visible as code 137). */
export async function runCli(args: string[], options: CliOptions = {}): Promise<CliOutcome> {
  const started = performance.now();
  const child = command(args, options).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), options.killAfterMs ?? 30_000);
  const output = await child.output();
  clearTimeout(timer);
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
    wallMs: performance.now() - started,
  };
}

/** A CLI process still running: signal it, watch its output and memory, then collect its outcome. */
export interface RunningCli {
  readonly pid: number;
  /** Everything written to stdout so far. */
  stdout(): string;
  /** Resolves once stdout matches `pattern`; rejects when the process ends first or after `timeoutMs`. */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<void>;
  kill(signal: Deno.Signal): void;
  /** Waits for the process to end. */
  outcome(): Promise<CliOutcome>;
}

/** Starts `cli.ts args` without waiting for it (signals, memory sampling). */
export function spawnCli(args: string[], options: CliOptions = {}): RunningCli {
  const started = performance.now();
  const child = command(args, options).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), options.killAfterMs ?? 30_000);
  const decoder = new TextDecoder();
  let stdout = "";
  let ended = false;
  const watchers = new Set<() => void>();
  const readStdout = (async () => {
    for await (const chunk of child.stdout) {
      stdout += decoder.decode(chunk, { stream: true });
      for (const watcher of watchers) watcher();
    }
    ended = true;
    for (const watcher of watchers) watcher();
  })();
  const readStderr = new Response(child.stderr).text();
  return {
    pid: child.pid,
    stdout: () => stdout,
    waitForStdout(pattern, timeoutMs = 20_000) {
      return new Promise<void>((resolve, reject) => {
        const giveUp = setTimeout(
          () => finish(new Error(`no ${pattern} on stdout in time:\n${stdout}`)),
          timeoutMs,
        );
        const finish = (error?: Error) => {
          clearTimeout(giveUp);
          watchers.delete(check);
          if (error) reject(error);
          else resolve();
        };
        const check = () => {
          if (pattern.test(stdout)) finish();
          else if (ended) finish(new Error(`the CLI ended without ${pattern} on stdout:\n${stdout}`));
        };
        watchers.add(check);
        check();
      });
    },
    kill: (signal) => child.kill(signal),
    async outcome() {
      const [status, stderr] = await Promise.all([child.status, readStderr, readStdout]);
      clearTimeout(timer);
      return { code: status.code, stdout, stderr, wallMs: performance.now() - started };
    },
  };
}

/** Figures read back from a wrk report. */
export interface ReportFigures {
  requests: number;
  runtimeS: number;
  errors: { connect: number; read: number; write: number; timeout: number };
  non2xx: number;
  requestsPerSec: number;
  /** Bytes read as printed (`2.59GB`): exact to the printed two decimals of its unit. */
  bytesRead: number;
  /** The `Latency` row's average and maximum, in µs, as printed. */
  latencyAvgUs: number;
  latencyMaxUs: number;
}

const BINARY_UNITS: Record<string, number> = { "": 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };
const TIME_UNITS_US: Record<string, number> = { us: 1, ms: 1e3, s: 1e6, m: 60e6, h: 3600e6 };

function timeUs(text: string): number {
  const match = text.match(/^([\d.]+)(us|ms|s|m|h)$/);
  if (match === null) throw new Error(`not a time: ${text}`);
  return Number(match[1]) * TIME_UNITS_US[match[2]];
}

/** Parses the figures of a wrk-format report; throws when the report is missing. */
export function parseReport(stdout: string): ReportFigures {
  const total = stdout.match(/^\s+(\d+) requests in ([\d.]+)(us|ms|s|m),/m);
  if (total === null) throw new Error(`no report in:\n${stdout}`);
  const unit = { us: 1e-6, ms: 1e-3, s: 1, m: 60 }[total[3] as "us" | "ms" | "s" | "m"];
  const socket = stdout.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  const non2xx = stdout.match(/Non-2xx or 3xx responses: (\d+)/);
  const rate = stdout.match(/^Requests\/sec:\s+([\d.]+)/m);
  const bytes = stdout.match(/ requests in [^,]+, ([\d.]+)([KMGT]?)B read$/m);
  const latency = stdout.match(/^ {4}Latency\s+(\S+)\s+(\S+)\s+(\S+)/m);
  return {
    requests: Number(total[1]),
    runtimeS: Number(total[2]) * unit,
    errors: {
      connect: Number(socket?.[1] ?? 0),
      read: Number(socket?.[2] ?? 0),
      write: Number(socket?.[3] ?? 0),
      timeout: Number(socket?.[4] ?? 0),
    },
    non2xx: Number(non2xx?.[1] ?? 0),
    requestsPerSec: Number(rate?.[1] ?? NaN),
    bytesRead: bytes === null ? NaN : Number(bytes[1]) * BINARY_UNITS[bytes[2]],
    latencyAvgUs: latency === null ? NaN : timeUs(latency[1]),
    latencyMaxUs: latency === null ? NaN : timeUs(latency[3]),
  };
}

/**
 * Runs `shell` in bash with `$CLI` standing for the command line (deno run with `CLI_PERMISSIONS` and cli.ts):
 * for pipes and redirections (`$CLI … | head -1`, `> /dev/full`).
 */
export async function runCliInShell(
  shell: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const cli = [Deno.execPath(), "run", ...CLI_PERMISSIONS, CLI].map((word) => `'${word}'`).join(" ");
  const output = await new Deno.Command("bash", {
    args: ["-c", shell.replaceAll("$CLI", cli)],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const decoder = new TextDecoder();
  return { code: output.code, stdout: decoder.decode(output.stdout), stderr: decoder.decode(output.stderr) };
}
