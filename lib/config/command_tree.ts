/**
 * The command tree (cliffy): the root command with wrk's options, and the subcommands `demo`, `merge` and
 * `completions`.
 * It dispatches the subcommands and generates the shell completions from the options it declares
 * (`OPTION_SPECS`). wrk's own grammar stays on our parser (`parse_args.ts`) for the root and for `demo`: cliffy
 * splits an attached short value that ends in a letter (`-d30s` becomes `-d -3 -0 -s`), and wrk's messages,
 * `-v` handling, `--` and the URL anywhere among the options are pinned by tests and users' scripts. So the
 * root command is never parsed by cliffy: `cli.ts` sends only a first argument in `SUBCOMMANDS` here. `merge`
 * has no wrk grammar to keep, so cliffy parses its options (`merge_options.ts`).
 *
 * Loaded on demand: every thread imports `cli.ts`, and none needs cliffy.
 *
 * @module
 */
import { Command, ValidationError } from "jsr:@cliffy/command@1.0.0";
import { CompletionsCommand, generateShellCompletions } from "jsr:@cliffy/command@1.0.0/completions";
import { OPTION_SPECS, type OptionSpec, SUBCOMMANDS } from "./options.ts";
import { MERGE_OPTION_SPECS, type MergeOptions, mergeOptions } from "./merge_options.ts";
import { UsageError } from "./errors.ts";
import { mendBashCompletions } from "./bash_completions.ts";

/**
 * A command of the tree. cliffy's builder types grow with every declaration, and the tree is built in a loop
 * from a table, so the tree is typed loosely here; only `merge` reads parsed values (through `mergeOptions`).
 */
// deno-lint-ignore no-explicit-any
type AnyCommand = Command<any, any, any, any, any, any, any, any>;

/**
 * Declares wrk's options (or another table's: `merge`'s) on `command` (for help and completions; parsing stays
 * wrk's for the run's options, see the header).
 */
function declareWrkOptions(command: AnyCommand, specs: readonly OptionSpec[] = OPTION_SPECS): AnyCommand {
  for (const { name, short, value, multiple, description, suggestions } of specs) {
    // cliffy brings -h/--help itself.
    if (name === "help") continue;
    const flags = `${short === undefined ? "" : `-${short}, `}--${name}`;
    // `<name:type:completion>`: the shell offers the suggestions; a file gets the shell's file completion.
    let argument = "";
    if (value === "file") argument = ` <${name}:file>`;
    else if (suggestions !== undefined) argument = ` <${name}:string:${name}>`;
    else if (value !== undefined) argument = ` <${name}:string>`;
    command.option(flags + argument, description, { collect: multiple === true });
    if (suggestions !== undefined) command.complete(name, () => [...suggestions]);
  }
  return command;
}

/**
 * The command tree. `run` runs wrk's command line (raw arguments) and resolves to the exit code; the demo's
 * action stores its code in `exitCode`. `runMerge` gets `merge`'s parsed option values and shard files
 * (`wrk-deno merge`) and resolves to the exit code, which its action stores the same way. `completions bash`
 * stores its script in `printed` (mended: `bash_completions.ts`); cliffy prints zsh's and fish's itself.
 */
export function commandTree(
  run: (args: string[]) => Promise<number>,
  exitCode: { value: number },
  runMerge: (values: Record<string, unknown>, shardPaths: string[]) => Promise<number>,
  printed: { value: string } = { value: "" },
): AnyCommand {
  const demo = declareWrkOptions(new Command())
    .description("Benchmark an embedded HTTP server on a free loopback port (3 s, --latency by default).")
    .arguments("[args...]")
    .useRawArgs()
    .action(async (_options: unknown, ...args: string[]) => {
      exitCode.value = await run(args);
    });
  const merge = declareWrkOptions(new Command(), MERGE_OPTION_SPECS)
    .description(
      "Merge the --json results of a test's shards (--shard-index/--shard-count) into the whole test's report.",
    )
    // Optional to cliffy only so that files after `--` (a name that starts with `-`) count: one is required.
    .arguments("[shards...:file]")
    .action(async (options: Record<string, unknown>, ...shardPaths: string[]) => {
      const paths = [...shardPaths, ...merge.getLiteralArgs()];
      if (paths.length === 0) throw new ValidationError("Missing argument(s): shards");
      exitCode.value = await runMerge(options, paths);
    });
  const root = declareWrkOptions(new Command())
    .name("wrk-deno")
    .description("HTTP load generator with wrk's command line, report and Lua scripts.")
    .arguments("[url:string]")
    .versionOption(false)
    // Colours only for a terminal: help text piped into a file or a pager stays plain.
    .help({ colors: Deno.stdout.isTerminal() })
    .noExit();
  const completions = new CompletionsCommand();
  completions.getCommand("bash")!.action(({ name }: { name?: string }) => {
    printed.value =
      mendBashCompletions(generateShellCompletions(root, "bash", { name: name ?? root.getName() })) +
      "\n";
  });
  return root
    .command("demo", demo)
    .command("merge", merge)
    .command("completions", completions);
}

/**
 * How a dispatch ended: the exit code, one line for stderr when the subcommand's arguments were wrong, and the
 * text for stdout that the caller prints (`completions bash`'s script; "" for none).
 */
export interface DispatchOutcome {
  exitCode: number;
  error: string | null;
  output: string;
}

/**
 * Runs the subcommand `args[0]` (one of `SUBCOMMANDS`) with the rest of `args`. `runDemo` runs wrk's command
 * line against the demo server and resolves to its exit code; `runMerge` merges shards' results with the
 * options of `merge` and resolves to its exit code. cliffy itself writes only what a subcommand prints (a
 * completion script, a subcommand's help) to stdout.
 *
 * @example Printing the bash completion script
 * ```ts ignore
 * import { dispatch } from "./command_tree.ts";
 *
 * const { exitCode } = await dispatch(["completions", "bash"], () => Promise.resolve(0), () => Promise.resolve(0));
 * ```
 */
export async function dispatch(
  args: string[],
  runDemo: (args: string[]) => Promise<number>,
  runMerge: (options: MergeOptions) => Promise<number>,
): Promise<DispatchOutcome> {
  const exitCode = { value: 0 };
  const printed = { value: "" };
  const tree = commandTree(
    runDemo,
    exitCode,
    (values, shardPaths) => runMerge(mergeOptions(values, shardPaths, args)),
    printed,
  );
  // The tree and the list cli.ts dispatches on are one list.
  for (const name of SUBCOMMANDS) {
    if (!tree.hasCommand(name)) throw new Error(`the command tree has no '${name}'`);
  }
  // cliffy prints its help on stdout and exits 0 for `completions` alone, which `source <(…)` would then run.
  if (args.length === 1 && args[0] === "completions") {
    return {
      exitCode: 1,
      error: "completions: name the shell: bash, zsh or fish (see 'wrk-deno completions --help')",
      output: "",
    };
  }
  try {
    await tree.parse(args);
    return { exitCode: exitCode.value, error: null, output: printed.value };
  } catch (error) {
    // A `--threshold` of `merge` that cannot be read (mergeOptions).
    if (error instanceof UsageError) {
      return { exitCode: error.exitCode, error: `${args[0]}: ${error.message}`, output: "" };
    }
    if (!(error instanceof ValidationError)) throw error;
    // cliffy suggests the closest option, which for a run's option given to merge (-d, --hdr-log) is only
    // -h or --help: no help; the pointer to --help follows anyway.
    const message = error.message.replace(/\. Did you mean option "(-h|--help)"\?$/, "");
    return { exitCode: 1, error: `${args[0]}: ${message} (see 'wrk-deno ${args[0]} --help')`, output: "" };
  }
}
