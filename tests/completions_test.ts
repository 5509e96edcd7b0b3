/**
 * `wrk-deno completions <shell>`: cliffy generates the scripts from the command tree; these tests source the bash
 * one in a real bash and ask it to complete, as a user's TAB would.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { CLI_PERMISSIONS, runCli } from "./helpers/cli.ts";
import { ROOT } from "./helpers/deno.ts";

/** A directory holding a `wrk-deno` command that runs this checkout's cli.ts, for the completion callbacks. */
async function programOnPath(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "wrk-deno-completions-" });
  const program = [Deno.execPath(), "run", "-q", ...CLI_PERMISSIONS, `${ROOT}cli.ts`].map((word) =>
    `'${word}'`
  );
  await Deno.writeTextFile(`${dir}/wrk-deno`, `#!/bin/sh\nexec ${program.join(" ")} "$@"\n`, { mode: 0o755 });
  return dir;
}

/**
 * Sources `script` in bash, sets the completion variables for `line` (the cursor at its end) and runs the
 * function the script registered for `wrk-deno`; returns COMPREPLY, one entry per line.
 */
async function complete(script: string, line: string, cwd: string, path: string): Promise<string[]> {
  const words = line.split(" ");
  const program = [
    `source "$SCRIPT"`,
    // The function `complete -p` names is the one bash would call.
    `fn=$(complete -p wrk-deno | sed -E 's/.*-F ([^ ]+).*/\\1/')`,
    `COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")})`,
    `COMP_CWORD=${words.length - 1}`,
    `COMP_LINE='${line}'`,
    `COMP_POINT=${line.length}`,
    `"$fn" wrk-deno '${words.at(-1)}' '${words.at(-2) ?? ""}'`,
    `printf '%s\\n' "\${COMPREPLY[@]}"`,
  ].join("\n");
  const output = await new Deno.Command("bash", {
    args: ["-c", program],
    cwd,
    env: { SCRIPT: script, PATH: `${path}:${Deno.env.get("PATH")}` },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assertEquals(output.code, 0, stderr);
  assertEquals(stderr, "", "completion printed errors");
  return new TextDecoder().decode(output.stdout).split("\n").filter((entry) => entry !== "");
}

Deno.test("completions bash prints a script that bash sources and that completes options, subcommands, script files, typical values and merge's options beside its shard files", async () => {
  const { code, stdout, stderr } = await runCli(["completions", "bash"]);
  assertEquals(code, 0, stderr);
  const dir = await programOnPath();
  try {
    const script = `${dir}/wrk-deno.bash`;
    await Deno.writeTextFile(script, stdout);
    await Deno.writeTextFile(`${dir}/post.lua`, "wrk.method = 'POST'\n");
    const path = dir;
    assertEquals(await complete(script, "wrk-deno --con", dir, path), ["--connections"]);
    assertEquals(await complete(script, "wrk-deno --lat", dir, path), ["--latency"]);
    assertEquals(await complete(script, "wrk-deno de", dir, path), ["demo"]);
    assertEquals(await complete(script, "wrk-deno completions z", dir, path), ["zsh"]);
    // -s takes a file: bash lists the files of the working directory.
    assertEquals(await complete(script, "wrk-deno -s po", dir, path), ["post.lua"]);
    // Other values ask the program back (`wrk-deno completions complete <option>`) for typical values.
    assertEquals(await complete(script, "wrk-deno -d ", dir, path), ["10s", "30s", "1m", "5m"]);
    assertEquals(await complete(script, "wrk-deno demo -t ", dir, path), ["1", "2", "4", "8"]);
    const demoOptions = await complete(script, "wrk-deno demo --t", dir, path);
    assert(demoOptions.includes("--threads") && demoOptions.includes("--timeout"), demoOptions.join(" "));
    // merge takes shard files, and its options still complete (cliffy's script offered only files).
    await Deno.writeTextFile(`${dir}/shard-0.json`, "{}");
    assertEquals(await complete(script, "wrk-deno merge --js", dir, path), ["--json"]);
    assertEquals(await complete(script, "wrk-deno merge --allow", dir, path), ["--allow-partial"]);
    assertEquals(await complete(script, "wrk-deno merge sh", dir, path), ["shard-0.json"]);
    assertEquals(await complete(script, "wrk-deno merge shard-0.json sh", dir, path), ["shard-0.json"]);
    assertEquals(await complete(script, "wrk-deno merge --json sh", dir, path), ["shard-0.json"]);
    assertEquals(await complete(script, "wrk-deno merge -L sh", dir, path), ["shard-0.json"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("completions zsh and fish print scripts naming every option", async () => {
  for (const shell of ["zsh", "fish"]) {
    const { code, stdout } = await runCli(["completions", shell]);
    assertEquals(code, 0, shell);
    for (const option of ["connections", "duration", "threads", "script", "header", "latency", "timeout"]) {
      assertStringIncludes(stdout, option, `${shell}: --${option}`);
    }
    assertStringIncludes(stdout, "demo", shell);
  }
});

Deno.test("completions with an unknown shell says so in one line and exits 1", async () => {
  const { code, stdout, stderr } = await runCli(["completions", "tcsh"]);
  assertEquals(code, 1);
  assertEquals(stdout, "");
  assertMatch(stderr, /^completions: Unknown command "tcsh".*\n$/);
});

Deno.test("completions without a shell says to name one, in one line, and exits 1 with nothing on stdout", async () => {
  // Its help on stdout and exit 0 made `source <(wrk-deno completions)` run the help text as commands.
  const { code, stdout, stderr } = await runCli(["completions"]);
  assertEquals([code, stdout], [1, ""]);
  assertEquals(
    stderr,
    "completions: name the shell: bash, zsh or fish (see 'wrk-deno completions --help')\n",
  );
  const help = await runCli(["completions", "--help"]);
  assertEquals(help.code, 0);
  assertMatch(help.stdout, /Usage: +wrk-deno completions/);
});
