#!/usr/bin/env -S deno run --allow-net --allow-read --allow-env
/**
 * The command line: `wrk-deno [options] <url> [-- script args]`, wrk's flags, report and exit codes, and the
 * subcommands `demo`, `merge` and `completions`. The only module that reads `Deno.args`, writes to stdout/stderr and
 * chooses exit codes.
 *
 * A first argument that names a subcommand goes to the command tree (cliffy, `lib/config/command_tree.ts`, which
 * says why wrk's grammar stays on our own parser); anything else is wrk's command line (`parse_args.ts`).
 *
 * @module
 */
import { writeStderr, writeStdout } from "./lib/_stdout.ts";
import { VERSION } from "./lib/version.ts";
import { HelpRequested, UsageError } from "./lib/config/errors.ts";
import { ShardTooSmall } from "./lib/config/shard_too_small.ts";
import { SUBCOMMANDS } from "./lib/config/options.ts";
import type { MergeOptions } from "./lib/config/merge_options.ts";
import { USAGE, versionLine } from "./lib/config/usage.ts";
import { startDemoServer } from "./lib/demo_server.ts";
import { formatHeader, formatReport, formatShardLine } from "./lib/report/text_report.ts";
import { formatRateReport } from "./lib/report/rate_report.ts";
import { formatThresholdReport } from "./lib/report/threshold_report.ts";
import { formatMarkdownSummary } from "./lib/report/markdown_summary.ts";
import { ProgressMeter } from "./lib/report/progress_line.ts";
import type { Config } from "./lib/config/config.ts";
import { testIdentity } from "./lib/config/test_identity.ts";
import { evaluateThresholds, THRESHOLDS_FAILED_EXIT_CODE } from "./lib/thresholds/threshold.ts";
import type { ThresholdVerdict } from "./lib/thresholds/verdict.ts";
import { Run } from "./lib/run.ts";
import type { HdrLogWriter } from "./lib/output/hdr_log_writer.ts";
import type { RunResult } from "./lib/run_result.ts";
import { RunError } from "./lib/run_error.ts";
import { describeOsError } from "./lib/net/resolve.ts";
import { MAX_WAIT_MS } from "./lib/preflight/start_at.ts";
import { standardStream } from "./lib/config/standard_streams.ts";
import { isWorkerScope } from "./lib/worker/worker_scope.ts";
import { loadModule, ModuleLoadError } from "./lib/lazy_modules.ts";
// In the bundle this module is also every thread's worker module (see `WORKER_MODULE`): inside a worker,
// importing worker_main.ts installs the thread's message handler; on the main thread it does nothing. A static
// import: with `await import()` the first message could arrive before the handler exists, and be lost. It also
// puts worker_main.ts in the module graph that `deno compile` embeds.
import "./lib/worker/worker_main.ts";

/**
 * The module each `-t` thread runs. A worker module is looked up by URL at run time. Wherever this file is
 * still `cli.ts` (a source checkout, `deno run <url>`, a `deno compile` binary, which embeds every module of
 * the static graph), `lib/worker/worker_main.ts` exists beside it, and a thread loads only that module's graph:
 * not the command line's (report, pre-flight, output files, cliffy), which cost every thread start-up time
 * (docs/benchmarks.md#start-up-cost). In `dist/wrk-deno.js` (one bundled file; `worker_main.ts` is inside it,
 * not beside it) only this file's own URL names something that exists: there the module, when it finds itself
 * in a worker, serves the thread instead of running the command line (the `import` above and the
 * `isWorkerScope()` test at the bottom). The Lua layer stays lazy in every form (esbuild turns the dynamic
 * imports into deferred module initialisers). In the bundle each thread parses the whole file, which is why
 * `deno task bundle` minifies: measured at -t4, about 19 MiB per thread unminified, 16 MiB minified, 15 MiB
 * from source.
 */
const WORKER_MODULE: string = unbundled()
  ? new URL("./lib/worker/worker_main.ts", import.meta.url).href
  : import.meta.url;

/** Whether this module is still `cli.ts` (not inlined in a bundle, whose entry is bundle.ts). */
function unbundled(): boolean {
  return import.meta.url.endsWith("/cli.ts");
}

/**
 * A signal this soon after the first is the same Ctrl-C, not a second one. A terminal sends SIGINT to its whole
 * foreground process group, and a wrapper in that group that forwards signals (`deno task` does, and `timeout`
 * signals its group too) sends its copy as well: one key press arrives two or three times, milliseconds apart
 * (docs/benchmarks.md#measurements-behind-the-code). A quarter second is less than the time anyone needs to
 * see that a first press did nothing.
 */
const SAME_SIGNAL_MS = 250;

const encoder = new TextEncoder();

/** The first failure to write the report to stdout (a full disk): told once the run is over, exit 1. */
let stdoutFailure: Error | null = null;

function out(text: string): void {
  if (stdoutFailure !== null) return;
  try {
    writeStdout(encoder.encode(text));
  } catch (error) {
    stdoutFailure = error instanceof Error ? error : new Error(String(error));
  }
}

function err(text: string): void {
  writeStderr(encoder.encode(text));
}

/**
 * Whether a result file (`--json`, `--summary`, `--hdr-log`) could not be written: said when it happened, and
 * the exit code is then 1 where it would be 0, so that a CI step does not pass on a result it lost.
 */
let resultFileFailed = false;

/** Says that `flag`'s file `path` could not be written, and why, in one line. */
function resultFileFailure(flag: string, path: string, error: unknown): void {
  resultFileFailed = true;
  // Without Deno's "(os error 28): writefile '/dev/full'": the errno, and the path the line already names.
  err(`${flag} ${path}: ${describeOsError(error)}\n`);
}

/** `variable` from the environment where it may be read without asking (a narrowed --allow-env need not list it). */
function envIfGranted(variable: string): string | undefined {
  return Deno.permissions.querySync({ name: "env", variable }).state === "granted"
    ? Deno.env.get(variable)
    : undefined;
}

/** The terminal's width in columns (where the progress line is drawn), or Infinity when it cannot be told. */
function terminalColumns(): number {
  try {
    return Deno.consoleSize().columns || Infinity;
  } catch {
    return Infinity;
  }
}

/**
 * `demo [options] [-- script arguments]`: the same options, aimed at the embedded server, 3 s and --latency by
 * default. Its URL goes before the options: an option given last without its value (`demo -d`) is then told
 * so, rather than taking the URL for its value.
 */
function demoArgs(args: string[], url: string): string[] {
  const dashes = args.indexOf("--");
  const options = dashes < 0 ? args : args.slice(0, dashes);
  const scriptArgs = dashes < 0 ? [] : args.slice(dashes);
  const defaults = options.some((a) => /^(-d|--duration)/.test(a)) ? [] : ["-d", "3s"];
  return [...defaults, "--latency", url, ...options, ...scriptArgs];
}

const DEMO_HELP = "Usage: wrk-deno demo [options] [-- script arguments]\n" +
  "  Benchmarks a built-in HTTP server on a free loopback port, with wrk's options\n" +
  "  (wrk-deno --help), 3 s and --latency unless given. No URL: the server's is used.\n";

/** A word of `options` that the parser finds stray and that reads as a host (`localhost:8080`, `example.com`). */
async function strayHost(options: string[]): Promise<string | undefined> {
  const { parseArgs } = await loadModule<typeof import("./lib/config/parse_args.ts")>("config/parse_args.ts");
  try {
    parseArgs([...options, "http://127.0.0.1:1/"]);
  } catch (error) {
    const stray = error instanceof UsageError
      ? /^unexpected argument '(.*)' — /.exec(error.message)?.[1]
      : undefined;
    if (
      stray !== undefined && /^([\w-]+\.)*[\w-]+(:\d+)?(\/\S*)?$/.test(stray) && /[.:]|^localhost/.test(stray)
    ) {
      return stray;
    }
  }
  return undefined;
}

async function runDemo(args: string[]): Promise<number> {
  const dashes = args.indexOf("--");
  const options = dashes < 0 ? args : args.slice(0, dashes);
  if (options.includes("-h") || options.includes("--help")) {
    out(DEMO_HELP);
    return 0;
  }
  // A URL, or a host and port without a scheme (`demo localhost:8080`: a stray word to the parser).
  const given = options.find((arg) => /^https?:\/\//i.test(arg)) ?? await strayHost(options);
  if (given !== undefined) {
    err(`demo benchmarks its built-in server: leave out the URL ${given} (or run without demo)\n`);
    return 1;
  }
  const demo = startDemoServer();
  try {
    // The server answers on this thread's event loop: a client thread hosted here would starve it (the epoll
    // loop yields to the event loop only every few milliseconds), so every client thread runs in a worker.
    // Its results name the command as given (`demo …`), which runs again; not the demo server's passing URL.
    return await runCli(demoArgs(args, demo.url), false, ["demo", ...args]);
  } finally {
    await demo.close();
  }
}

/**
 * `merge [options] <shard.json>…`: the whole test's report, thresholds and results from its shards' `--json`
 * results (lib/merge/, docs/scale-out.md#merging-shards). Exit 1 for a shard file that cannot be merged, a
 * missing shard, a shard's unfinished thread or a shard stopped early (all only warned with `--allow-partial`), or
 * a script error;
 * 99 for a failed threshold.
 */
async function runMerge(options: MergeOptions): Promise<number> {
  try {
    // As for a run: a result that cannot be written is refused before anything is read.
    await checkOutputPaths(options.jsonPath, options.summaryPath, null);
    await checkNoShardOverwritten(options);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`${error.message}\n`);
    return error.exitCode;
  }
  const report = options.jsonPath === "-" ? err : out;
  // The merge, and with it the HdrHistogram codec, loads only here.
  const { readShard, ShardInputError, ShardNotRunError } = await loadModule<
    typeof import("./lib/merge/read_shards.ts")
  >("merge/read_shards.ts");
  const { mergedConfig, missingShardsLine, shardList, ShardMerger } = await loadModule<
    typeof import("./lib/merge/merge_shards.ts")
  >("merge/merge_shards.ts");
  let merged;
  let config;
  try {
    // One shard decoded at a time: a merge of many files holds the sums and one shard.
    const merger = new ShardMerger();
    // The same file twice (standard input, `-`, can be read once) is a slip, not a second shard.
    const twice = options.shardPaths.find((path, i) => options.shardPaths.indexOf(path) !== i);
    if (twice !== undefined) throw new ShardInputError(`${twice}: given twice`, twice);
    for (const path of options.shardPaths) {
      let shard;
      try {
        shard = await readShard(path);
      } catch (error) {
        // A shard that did not run (its pod started late, it could not connect) is a missing shard.
        if (!(options.allowPartial && error instanceof ShardNotRunError)) throw error;
        err(`${error.reason}: left out (--allow-partial)\n`);
        merger.leaveOut(error);
        continue;
      }
      merger.add(shard);
    }
    merged = merger.finish();
    config = mergedConfig(merged, options);
  } catch (error) {
    if (!(error instanceof ShardInputError)) throw error;
    err(`${error.message}\n`);
    return 1;
  }
  // As a run refuses -U without -R: closed-loop shards have no uncorrected latency to print.
  if (options.uncorrectedLatency && merged.result.rate === null) {
    err(
      "-U/--u_latency applies to rate mode, and the shards ran without -R: leave out -U (or give --latency)\n",
    );
    return 1;
  }
  // The line a partial merge (--allow-partial) says on stderr and in the summary.
  let partial: string | null = null;
  if (merged.missingShards.length > 0) {
    const missing = missingShardsLine(merged.missingShards, merged.shardCount);
    if (!options.allowPartial) {
      err(`${missing} (--allow-partial merges the shards given)\n`);
      return 1;
    }
    const those = merged.mergedShards.length === 1 ? "shard" : "shards";
    partial = `${missing}: the figures are those of ${those} ${
      shardList(merged.mergedShards)
    } (--allow-partial)`;
    err(`${partial}\n`);
  }
  for (const warning of merged.warnings) err(`${warning}\n`);
  let script = null;
  if (options.scriptPath !== null) {
    const { loadDoneScript } = await loadModule<typeof import("./lib/merge/done_script.ts")>(
      "merge/done_script.ts",
    );
    try {
      script = await loadDoneScript(options.scriptPath, {
        target: config.target,
        headers: config.headers,
        write: options.jsonPath === "-" ? writeStderr : writeStdout,
      });
    } catch (error) {
      if (!(error instanceof RunError)) throw error;
      err(`${error.message}\n`);
      return error.exitCode;
    }
  }
  try {
    const { result } = merged;
    report(formatHeader(result.url, result.durationMs, result.threads, result.connections));
    const outcome = await reportResult(
      report,
      result,
      { latency: options.latency, uncorrected: options.uncorrectedLatency, http2: config.http2 },
      () =>
        writeResults(config, options.command, result, null, merged.testId, {
          shards: merged.mergedShards,
          count: merged.shardCount,
          // A partial merge says so in the summary too, where the step's readers look, and so do the warnings
          // (shards of different runs, far apart, of different versions), which the result keeps as well.
          notes: [...(partial === null ? [] : [partial]), ...merged.warnings],
          warnings: merged.warnings,
          allowPartial: options.allowPartial,
        }),
      async (result) => await script?.done(result),
    );
    if (outcome.doneExitCode !== null) return outcome.doneExitCode;
    // Shards whose figures are incomplete: the merge fails on them, unless --allow-partial takes them as they are.
    const incomplete = [...merged.unfinishedShards, ...merged.stoppedShards];
    for (const line of incomplete) err(`${line}\n`);
    if (incomplete.length > 0 && !options.allowPartial) return 1;
    return outcome.thresholdsFailed ? THRESHOLDS_FAILED_EXIT_CODE : 0;
  } finally {
    script?.close();
  }
}

/** Runs the CLI with `args`; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  resultFileFailed = false;
  const code = await dispatchCommand(args);
  // A result file that could not be written (said already) fails a run that otherwise passed.
  return code === 0 && resultFileFailed ? 1 : code;
}

async function dispatchCommand(args: string[]): Promise<number> {
  if (!(SUBCOMMANDS as readonly string[]).includes(args[0])) return await runCli(args);
  // cliffy is loaded only here: in the bundle every thread runs this module too (see WORKER_MODULE), and needs
  // none of it.
  const { dispatch } = await loadModule<typeof import("./lib/config/command_tree.ts")>(
    "config/command_tree.ts",
  );
  const outcome = await dispatch(args, runDemo, runMerge);
  if (outcome.output !== "") out(outcome.output);
  if (outcome.error !== null) err(`${outcome.error}\n`);
  return outcome.exitCode;
}

/**
 * A run of the command line `args`; `hostOnMainThread`: see `RunOptions.hostOnMainThread`. `command`: the
 * arguments as the user gave them, for the results (`demo` gives its own, not the rewritten ones).
 */
async function runCli(args: string[], hostOnMainThread = true, command: string[] = args): Promise<number> {
  // Loaded here, not by a static import: it imports node:util, and in the bundle every thread runs this module
  // (see WORKER_MODULE) but parses nothing; a node: module costs each thread that loads it memory
  // (docs/benchmarks.md#memory-per-thread).
  const { parseArgs } = await loadModule<typeof import("./lib/config/parse_args.ts")>("config/parse_args.ts");
  let config;
  try {
    config = parseArgs(args);
    // A result that cannot be written is refused now, not found out after the run.
    await checkOutputPaths(config.jsonPath, config.summaryPath, config.hdrLogPath);
  } catch (error) {
    if (error instanceof HelpRequested) {
      // wrk prints its version line first when -v comes with -h.
      out((error.printVersion ? versionLine(VERSION) + "\n" : "") + USAGE);
      return error.exitCode;
    }
    if (error instanceof UsageError) {
      if (error.printVersion) out(versionLine(VERSION) + "\n");
      if (error.message !== "") err(`${error.message}\n`);
      if (error.showUsage) err(USAGE);
      // A shard too small for this machine's -t: its results say why it did not run, for the merge to name.
      if (error instanceof ShardTooSmall) await writeNotRun(error.config, command, error.message);
      return error.exitCode;
    }
    throw error;
  }
  // With `--json -` stdout carries the result document alone; the report goes to stderr.
  const report = config.jsonPath === "-" ? err : out;
  if (config.printVersion) report(versionLine(VERSION) + "\n");

  const abort = new AbortController();
  let firstSignalMs: number | null = null;
  // The first Ctrl-C ends the run and prints the report for the time run; a second one exits at once, with
  // the code a shell gives a process its signal ended (128 + its number: 130 for SIGINT, 143 for SIGTERM).
  const onSignal = (name: Deno.Signal, exitCode: number) => () => {
    const nowMs = performance.now();
    if (firstSignalMs === null) {
      firstSignalMs = nowMs;
      // Before the run's start (waiting for --start-at) it ends the start with this error, and these results.
      abort.abort(new RunError(`stopped by ${name} before the run started`, exitCode));
    } else if (nowMs - firstSignalMs >= SAME_SIGNAL_MS) {
      Deno.exit(exitCode);
    }
  };
  const signals: [Deno.Signal, () => void][] = Deno.build.os === "windows"
    ? [["SIGINT", onSignal("SIGINT", 130)]]
    : [["SIGINT", onSignal("SIGINT", 130)], ["SIGTERM", onSignal("SIGTERM", 143)]];
  // The handler is in place from the threads' start until the results are written (wrk ignores SIGINT while it
  // starts and keeps its handler after the run). Before it (the script's top level, setup(), init()) and in
  // done() the main thread may be busy in Lua and could not run a handler: there a signal's default action must
  // end the process at once. While thousands of connections open, a signal ends the run with its report as
  // soon as the threads take it; a second one within SAME_SIGNAL_MS, while the results are written, is the same.
  let listening = false;
  const listen = (on: boolean) => {
    if (on === listening) return;
    listening = on;
    for (const [signal, handler] of signals) {
      if (on) Deno.addSignalListener(signal, handler);
      else Deno.removeSignalListener(signal, handler);
    }
  };
  // The live line only where a person watches: stderr a terminal, not CI logs or pipes.
  const meter = config.progress && Deno.stderr.isTerminal() && envIfGranted("TERM") !== "dumb"
    ? new ProgressMeter(err, terminalColumns())
    : null;
  // Where no live line counts down to --start-at (CI logs, pods), one line says why nothing happens yet.
  const startAt = config.startAtEpochMs;
  if (startAt !== null && startAt > Date.now() && startAt - Date.now() <= MAX_WAIT_MS && meter === null) {
    err(`waiting for --start-at ${new Date(startAt).toISOString()} to start\n`);
  }
  // Read once, here: a script from a pipe (`-s <(…)`) read again by the run would be empty.
  const scriptBytes = config.scriptPath === null ? undefined : await readIfReadable(config.scriptPath);
  const testId = config.jsonPath === null ? null : await identityOf(config, scriptBytes);
  // --hdr-log: the writer (and the HdrHistogram codec) is loaded only when asked for. Its file is opened before
  // the run (below), and its header written once the run has started (it holds the start time), before any
  // interval can arrive: intervals come from timers and messages, after the code that follows `Run.start()`.
  const hdrLogPath = config.hdrLogPath;
  const hdrLogModule = hdrLogPath === null
    ? null
    : await loadModule<typeof import("./lib/output/hdr_log_writer.ts")>("output/hdr_log_writer.ts");
  let hdrLog: HdrLogWriter | null = null;
  // Opened before the run, off this thread: a FIFO's open waits for its reader (lib/output/output_files.ts).
  let hdrLogFile: Deno.FsFile | null = null;
  if (hdrLogPath !== null) {
    const { openOutput } = await loadModule<typeof import("./lib/output/output_files.ts")>(
      "output/output_files.ts",
    );
    try {
      hdrLogFile = await openOutput(hdrLogPath, "--hdr-log");
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      err(`${error.message}\n`);
      return error.exitCode;
    }
  }
  // Set once the run has started: a RunError after that (a script error in response()) failed the run, which
  // the summary tells from one that did not start.
  let startedAt: string | null = null;
  try {
    const run = await Run.start(config, {
      signal: abort.signal,
      script: scriptBytes,
      workerModule: WORKER_MODULE,
      // Without a script (and without --hdr-log), one host's threads run on this thread: a worker isolate fewer
      // (docs/benchmarks.md#memory-per-thread).
      hostOnMainThread,
      write: config.jsonPath === "-" ? writeStderr : undefined,
      onProgress: meter === null ? undefined : (progress) => {
        // A script that prints during the run has the terminal's lines: the live line gives way for good.
        if (progress.scriptWrote === true) meter.giveWay();
        else meter.update(progress, performance.now());
      },
      progressLineOnStderr: meter !== null,
      onInterval: hdrLogModule === null ? undefined : (interval) => hdrLog?.append(interval),
      // Waiting for --start-at, a signal ends the wait, and the results say the shard did not run (the merge then
      // names why), rather than the signal's default action leaving none.
      onStartWait: () => listen(true),
      // Where wrk prints it: after every thread's init(), before the first request (and so response()'s output).
      onInitialized: (warnings) => {
        listen(true);
        for (const warning of warnings) err(`${warning}\n`);
        report(formatHeader(config.target.url, config.durationMs, config.threads, config.connections));
        if (config.shard !== null) report(formatShardLine(config.shard, config.connections, config.rate));
      },
    });
    startedAt = new Date(run.startedAtEpochMs).toISOString();
    if (hdrLogModule !== null && hdrLogPath !== null) {
      try {
        // The writer owns the file from here (it closes it, also when the header cannot be written).
        const file = hdrLogFile ?? undefined;
        hdrLogFile = null;
        hdrLog = hdrLogModule.HdrLogWriter.open(hdrLogPath, run.startedAtEpochMs, {
          loggedWith: `wrk-deno ${VERSION}`,
          file,
        });
      } catch (error) {
        resultFileFailure("--hdr-log", hdrLogPath, error);
      }
    }
    try {
      const result = await run.result.finally(() => meter?.clear());
      const outcome = await reportResult(
        report,
        result,
        { latency: config.latency, uncorrected: config.uncorrectedLatency, http2: config.http2 },
        () => writeResults(config, command, result, null, testId),
        (result) => {
          listen(false);
          return run.done(result);
        },
      );
      if (outcome.doneExitCode !== null) return outcome.doneExitCode;
      if (result.unfinishedThreads.length > 0) {
        err(
          `threads ${
            result.unfinishedThreads.join(", ")
          } did not finish in time; their figures are missing\n`,
        );
        return 1;
      }
      return outcome.thresholdsFailed ? THRESHOLDS_FAILED_EXIT_CODE : 0;
    } finally {
      // The last interval was written before the result came; a failed run keeps the intervals it had.
      hdrLog?.close();
      if (hdrLog?.error) resultFileFailure("--hdr-log", hdrLog.path, hdrLog.error);
      run.close();
    }
  } catch (error) {
    // A run that did not start has no log: the file opened for it is let go (the writer's closes it otherwise).
    hdrLogFile?.close();
    if (error instanceof RunError) {
      meter?.clear();
      err(`${error.message}\n`);
      // A run that failed (before or after its start) still leaves its result: the error, every threshold failed.
      const verdicts = await writeResults(config, command, null, error.message, testId, null, startedAt);
      err(formatThresholdReport(verdicts ?? [], false));
      return error.exitCode;
    }
    throw error;
  } finally {
    listen(false);
  }
}

/**
 * Refuses (a `UsageError`) a merge whose output would overwrite or append to a shard's result: one of its
 * inputs, or a shard result left out of them (`merge --json shard-*.json`, the output's name forgotten, makes
 * the first shard the output).
 */
async function checkNoShardOverwritten(options: MergeOptions): Promise<void> {
  const outputs: [flag: string, path: string | null][] = [
    ["--json", outputFile(options.jsonPath)],
    ["--summary", outputFile(options.summaryPath)],
  ];
  if (outputs.every(([, path]) => path === null)) return;
  const { checkDistinctPaths } = await loadModule<typeof import("./lib/output/output_files.ts")>(
    "output/output_files.ts",
  );
  // Each output against the inputs (two inputs that are one file are the merger's to name: "shard 0 again").
  for (const output of outputs) {
    // `merge -` reads standard input, no file.
    for (const path of options.shardPaths) {
      checkDistinctPaths([output, ["a shard to merge", outputFile(path)]]);
    }
  }
  const { holdsShardResult } = await loadModule<typeof import("./lib/merge/read_shards.ts")>(
    "merge/read_shards.ts",
  );
  for (const [flag, path] of outputs) {
    if (path === null || !(await holdsShardResult(path))) continue;
    throw new UsageError(
      `${flag} ${path} holds a shard's result, which the merge would ${
        flag === "--json" ? "overwrite" : "append to"
      }: ` +
        "name a file of the merge's own (wrk-deno merge --json merged.json shard-*.json)",
      { showUsage: false },
    );
  }
}

/** `path` when it names a file; null for none, `-` and the standard streams (lib/config/standard_streams.ts). */
function outputFile(path: string | null): string | null {
  return path === "-" || standardStream(path) !== null ? null : path;
}

/** Refuses (a `UsageError`) output paths that cannot be written, before anything runs or is read. */
async function checkOutputPaths(
  jsonPath: string | null,
  summaryPath: string | null,
  hdrLogPath: string | null,
): Promise<void> {
  // The JSON result's module (and the HdrHistogram codec it imports) before the run, not after it: a module
  // that cannot be loaded refuses the run rather than lose its result.
  if (jsonPath !== null) {
    await loadModule<typeof import("./lib/report/json_result.ts")>("report/json_result.ts");
  }
  // The standard streams need no check (lib/config/standard_streams.ts).
  jsonPath = outputFile(jsonPath);
  summaryPath = outputFile(summaryPath);
  if (jsonPath === null && summaryPath === null && hdrLogPath === null) return;
  // The output files' module is loaded only when a file is asked for: it imports @std/path, which reads
  // `globalThis.process` as it loads, and that costs a run start-up CPU (docs/benchmarks.md#start-up-cost).
  const { checkOutputPath, checkDistinctPaths } = await loadModule<
    typeof import("./lib/output/output_files.ts")
  >("output/output_files.ts");
  checkDistinctPaths([["--json", jsonPath], ["--summary", summaryPath], ["--hdr-log", hdrLogPath]]);
  if (jsonPath !== null) await checkOutputPath(jsonPath, "--json", { append: false });
  if (summaryPath !== null) await checkOutputPath(summaryPath, "--summary", { append: true });
  if (hdrLogPath !== null) await checkOutputPath(hdrLogPath, "--hdr-log", { append: false });
}

/**
 * After a run or a merge: the report (wrk's, or wrk2's for `-R`), the results written (`writeResults`), the
 * thresholds' block, then the script's `done()`. The results are written before `done()`, so a script's error
 * or `os.exit(n)` there decides the exit code (`doneExitCode`), except that `os.exit(0)` does not hide a failed
 * threshold.
 */
async function reportResult(
  report: (text: string) => void,
  result: RunResult,
  view: { latency: boolean; uncorrected: boolean; http2: boolean },
  writeResults: () => Promise<ThresholdVerdict[] | null>,
  done: (result: RunResult) => Promise<void>,
): Promise<{ thresholdsFailed: boolean; doneExitCode: number | null }> {
  report(
    result.rate === null ? formatReport(result, { latency: view.latency }) : formatRateReport(result, view),
  );
  const verdicts = await writeResults();
  report(formatThresholdReport(verdicts ?? []));
  const thresholdsFailed = verdicts?.some((verdict) => !verdict.passed) ?? false;
  try {
    await done(result);
  } catch (error) {
    if (!(error instanceof RunError)) throw error;
    if (error.message !== "") err(`${error.message}\n`);
    const doneExitCode = error.exitCode === 0 && thresholdsFailed
      ? THRESHOLDS_FAILED_EXIT_CODE
      : error.exitCode;
    return { thresholdsFailed, doneExitCode };
  }
  return { thresholdsFailed, doneExitCode: null };
}

/**
 * Evaluates the thresholds (null when none were given) and writes `--json` and `--summary`: for a run that ran
 * (`result`) or one that failed (`error`; `startedAt` when it failed after it had started). An output that
 * fails to write is said on stderr and does not hide the others. `merge`: for `merge`, the shards the result is
 * made of, the test's shard count and what the summary should add (null for a run).
 */
async function writeResults(
  config: Config,
  args: string[],
  result: RunResult | null,
  error: string | null,
  testId: string | null,
  merge:
    | { shards: number[]; count: number; notes: string[]; warnings: string[]; allowPartial: boolean }
    | null = null,
  startedAt: string | null = null,
): Promise<ThresholdVerdict[] | null> {
  const thresholds = config.thresholds.length === 0 ? null : evaluateThresholds(config.thresholds, result);
  if (config.jsonPath !== null) {
    // The HdrHistogram codec is loaded only when a JSON result is asked for.
    const { formatJsonResult } = await loadModule<typeof import("./lib/report/json_result.ts")>(
      "report/json_result.ts",
    );
    const json = formatJsonResult(result, {
      config,
      command: args,
      version: VERSION,
      testId,
      mergedShards: merge?.shards ?? null,
      shardCount: merge?.count ?? null,
      mergeWarnings: merge?.warnings ?? null,
      thresholds,
      error,
    }, { oneLine: config.jsonPath === "-" });
    // On stdout the document is one line, so that log collectors (`kubectl logs`, CI logs) keep it whole and a
    // line filter finds it among other output.
    if (config.jsonPath === "-") out(json);
    else if (standardStream(config.jsonPath) === "stderr") err(json.endsWith("\n") ? json : `${json}\n`);
    else {
      const { writeFileWhole } = await loadModule<typeof import("./lib/output/output_files.ts")>(
        "output/output_files.ts",
      );
      await writeFileWhole(config.jsonPath, json).catch((e) =>
        resultFileFailure("--json", config.jsonPath!, e)
      );
    }
  }
  if (config.summaryPath !== null) {
    const summary = formatMarkdownSummary(result, {
      command: args,
      config,
      thresholds,
      error,
      startedAt,
      notes: merge?.notes,
      allowPartial: merge?.allowPartial,
    });
    const stream = standardStream(config.summaryPath);
    if (stream !== null) (stream === "stdout" ? out : err)(summary);
    else {
      const { appendText } = await loadModule<typeof import("./lib/output/output_files.ts")>(
        "output/output_files.ts",
      );
      await appendText(config.summaryPath, summary).catch((e) =>
        resultFileFailure("--summary", config.summaryPath!, e)
      );
    }
  }
  return thresholds;
}

/** The test's identity for the JSON result; null when the script cannot be read (the run then fails anyway). */
async function identityOf(config: Config, script: Uint8Array | undefined): Promise<string | null> {
  if (config.scriptPath !== null && script === undefined) return null;
  try {
    return await testIdentity(config, script ?? null);
  } catch {
    return null;
  }
}

/**
 * The results of a shard that did not run because of its command line (`ShardTooSmall`): `--json` and `--summary`
 * with the error, as for one that could not connect, when their paths can be written.
 */
async function writeNotRun(config: Config, command: string[], error: string): Promise<void> {
  try {
    await checkOutputPaths(config.jsonPath, config.summaryPath, null);
  } catch (failure) {
    if (!(failure instanceof UsageError)) throw failure;
    err(`${failure.message}\n`);
    return;
  }
  const script = config.scriptPath === null ? undefined : await readIfReadable(config.scriptPath);
  const testId = config.jsonPath === null ? null : await identityOf(config, script);
  await writeResults(config, command, null, error, testId);
}

/** A file's bytes; undefined when it cannot be read (the run's pre-flight then says why, in its own words). */
async function readIfReadable(path: string): Promise<Uint8Array | undefined> {
  try {
    return await Deno.readFile(path);
  } catch {
    return undefined;
  }
}

/**
 * `deno task start` and `deno task demo` run in this repository's folder, whatever folder they were typed in.
 * Those tasks set `WRK_DENO_TASK=1`, and then the command line's paths (`-s`, `--json`, `--write`, …) are taken
 * from the folder the command was typed in (`INIT_CWD`, which `deno task` sets), as for the program itself. Not
 * from `INIT_CWD` alone: npm sets it too, and an npm script's paths are its package's. A task started from
 * another task or npm script keeps the outer one's `INIT_CWD` (deno task, as npm, sets it only when unset), so
 * its paths are those of the folder the outer command was typed in.
 */
function enterTypedFolder(): void {
  if (envIfGranted("WRK_DENO_TASK") !== "1") return;
  const typedIn = envIfGranted("INIT_CWD");
  // Absolute only (a relative one would be taken from the repository's folder): `/…`, or `C:\…` and `\\…`.
  if (typedIn === undefined || !/^(\/|[A-Za-z]:[\\/]|\\\\)/.test(typedIn)) return;
  try {
    Deno.chdir(typedIn);
  } catch {
    // That folder is gone (or not readable): relative paths could not be found there either.
  }
}

/**
 * The program: {@linkcode main} with this process's arguments, then exit with its code.
 *
 * @example Start the command line from another entry (bundle.ts, the bundle's)
 * ```ts ignore
 * if (import.meta.main && !isWorkerScope()) await runCommandLine();
 * ```
 */
export async function runCommandLine(): Promise<never> {
  enterTypedFolder();
  try {
    const exitCode = await main(Deno.args);
    if (stdoutFailure !== null) {
      // The result files are written by now; what did not reach stdout is lost.
      err(`wrk-deno: cannot write to standard output: ${stdoutFailure.message}\n`);
      Deno.exit(exitCode === 0 ? 1 : exitCode);
    }
    Deno.exit(exitCode);
  } catch (error) {
    // A permission Deno refused (a narrowed --allow-read, say), or a module that could not be loaded: what to
    // fix is in the message, and it is not a bug.
    if (error instanceof ModuleLoadError || error instanceof Deno.errors.NotCapable) {
      err(`wrk-deno: ${error.message.split("\n")[0]}\n`);
      Deno.exit(1);
    }
    // Anything unexpected still gets one line, not a stack trace.
    err(
      `wrk-deno: internal error: ${
        (error instanceof Error ? error.message : String(error)).split("\n")[0]
      }\n`,
    );
    Deno.exit(70);
  }
}

// In a worker `import.meta.main` is true as well: there the import of worker_main.ts above is the whole job. In
// the bundle, this file is not the entry: bundle.ts starts the program.
if (import.meta.main && unbundled() && !isWorkerScope()) await runCommandLine();
