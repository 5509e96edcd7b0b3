/**
 * The command line: `wrk-deno [options] <url> [-- script args]`, wrk's flags, report and exit codes.
 * The only module that reads `Deno.args`, writes to stdout/stderr and chooses exit codes.
 *
 * @module
 */
import denoConfig from "./deno.json" with { type: "json" };
import { parseArgs } from "./lib/config/parse_args.ts";
import { HelpRequested, UsageError } from "./lib/config/errors.ts";
import { USAGE, versionLine } from "./lib/config/usage.ts";
import { startDemoServer } from "./lib/demo_server.ts";
import { formatHeader, formatReport } from "./lib/report/text_report.ts";
import { Run } from "./lib/run.ts";
import { RunError } from "./lib/run_error.ts";

const encoder = new TextEncoder();

function out(text: string): void {
  const bytes = encoder.encode(text);
  let written = 0;
  while (written < bytes.length) written += Deno.stdout.writeSync(bytes.subarray(written));
}

function err(text: string): void {
  Deno.stderr.writeSync(encoder.encode(text));
}

/** `demo [options]`: the same options, aimed at the embedded server, 3 s and --latency by default. */
function demoArgs(args: string[], url: string): string[] {
  const defaults = args.some((a) => /^(-d|--duration)/.test(a)) ? [] : ["-d", "3s"];
  return [...defaults, "--latency", ...args, url];
}

/** Runs the CLI with `args`; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const demo = args[0] === "demo" ? startDemoServer() : null;
  try {
    return await runCli(demo === null ? args : demoArgs(args.slice(1), demo.url));
  } finally {
    await demo?.close();
  }
}

async function runCli(args: string[]): Promise<number> {
  let config;
  try {
    config = parseArgs(args);
  } catch (error) {
    if (error instanceof HelpRequested) {
      out(USAGE);
      return error.exitCode;
    }
    if (error instanceof UsageError) {
      if (error.printVersion) out(versionLine(denoConfig.version) + "\n");
      if (error.message !== "") err(`${error.message}\n`);
      if (error.showUsage) err(USAGE);
      return error.exitCode;
    }
    throw error;
  }
  if (config.printVersion) out(versionLine(denoConfig.version) + "\n");

  const abort = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    // The first Ctrl-C ends the run and prints the report for the time run; a second one exits at once.
    if (++interrupts > 1) Deno.exit(130);
    abort.abort();
  };
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  for (const signal of signals) Deno.addSignalListener(signal, onSignal);
  try {
    const run = await Run.start(config, { signal: abort.signal });
    try {
      out(formatHeader(config.target.url, config.durationMs, config.threads, config.connections));
      const result = await run.result;
      out(formatReport(result, { latency: config.latency }));
      await run.done(result);
      if (result.unfinishedThreads.length > 0) {
        err(
          `threads ${
            result.unfinishedThreads.join(", ")
          } did not finish in time; their figures are missing\n`,
        );
        return 1;
      }
      return 0;
    } finally {
      run.close();
    }
  } catch (error) {
    if (error instanceof RunError) {
      err(`${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  } finally {
    for (const signal of signals) Deno.removeSignalListener(signal, onSignal);
  }
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    // Anything unexpected still gets one line, not a stack trace.
    err(`wrk-deno: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    Deno.exit(70);
  }
}
