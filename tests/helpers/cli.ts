/** Runs the real CLI in a subprocess with the documented permission set, and reads its report. */

const CLI = new URL("../../cli.ts", import.meta.url).pathname;

/** The permissions the CLI documents: network, reading the script, and the environment fengari reads. */
export const CLI_PERMISSIONS = ["--allow-net", "--allow-read", "--allow-env"];

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
  /** Wall-clock time of the whole process. */
  wallMs: number;
}

/** Runs `cli.ts args`; kills it after `killAfterMs` (a hang is then visible as code 143/137). */
export async function runCli(
  args: string[],
  options: { killAfterMs?: number; cwd?: string } = {},
): Promise<CliOutcome> {
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...CLI_PERMISSIONS, CLI, ...args],
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
    cwd: options.cwd,
    env: { NO_COLOR: "1", RUST_BACKTRACE: "0" },
  }).spawn();
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

/** Figures read back from a wrk report. */
export interface ReportFigures {
  requests: number;
  runtimeS: number;
  errors: { connect: number; read: number; write: number; timeout: number };
  non2xx: number;
  requestsPerSec: number;
}

/** Parses the figures of a wrk-format report; throws when the report is missing. */
export function parseReport(stdout: string): ReportFigures {
  const total = stdout.match(/^\s+(\d+) requests in ([\d.]+)(us|ms|s|m),/m);
  if (total === null) throw new Error(`no report in:\n${stdout}`);
  const unit = { us: 1e-6, ms: 1e-3, s: 1, m: 60 }[total[3] as "us" | "ms" | "s" | "m"];
  const socket = stdout.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  const non2xx = stdout.match(/Non-2xx or 3xx responses: (\d+)/);
  const rate = stdout.match(/^Requests\/sec:\s+([\d.]+)/m);
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
  };
}
