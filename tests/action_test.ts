/**
 * The GitHub Action's script (action/wrk_deno_action.sh) in a simulated runner: the variables a runner sets
 * (`RUNNER_OS`, `RUNNER_ARCH`, `GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY`…), a loopback server standing in for
 * the GitHub releases, and the embedded demo server or a counting one as the target. action.yml's wiring is
 * checked against the script: every input it passes is one the script reads; docs/ci.md's table of inputs
 * against action.yml.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { parse } from "yaml";
import { CLI_PERMISSIONS } from "./helpers/cli.ts";
import { ROOT } from "./helpers/deno.ts";
import { withServer, withTempDir } from "./helpers/scoped.ts";
import { ok, startServer } from "./helpers/server.ts";

const SCRIPT = `${ROOT}action/wrk_deno_action.sh`;

interface Runner {
  dir: string;
  env: Record<string, string>;
  outputs(): Promise<Record<string, string>>;
  summary(): Promise<string>;
}

/**
 * Runs `body` in a fresh runner (its temp folder, output files and the action checked out at the repository
 * root), then removes the runner's folder.
 */
function withRunner(
  body: (runner: Runner) => Promise<void>,
  platform = { os: "Linux", arch: "X64" },
): Promise<void> {
  return withTempDir("wrk-deno-runner-", async (dir) => body(await simulatedRunner(dir, platform)));
}

async function simulatedRunner(dir: string, { os, arch }: { os: string; arch: string }): Promise<Runner> {
  await Deno.mkdir(`${dir}/temp`);
  const env = {
    PATH: Deno.env.get("PATH") ?? "",
    HOME: Deno.env.get("HOME") ?? dir,
    NO_COLOR: "1",
    RUNNER_OS: os,
    RUNNER_ARCH: arch,
    RUNNER_TEMP: `${dir}/temp`,
    GITHUB_OUTPUT: `${dir}/output`,
    GITHUB_STEP_SUMMARY: `${dir}/summary.md`,
    GITHUB_ACTION_PATH: ROOT.replace(/\/$/, ""),
    GITHUB_REPOSITORY: "example/wrk-deno",
    GITHUB_SERVER_URL: "http://127.0.0.1:9",
  };
  const read = (path: string) => Deno.readTextFile(path).catch(() => "");
  return {
    dir,
    env,
    async outputs() {
      const lines = (await read(env.GITHUB_OUTPUT)).split("\n").filter((line) => line !== "");
      return Object.fromEntries(
        lines.map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
      );
    },
    summary: () => read(env.GITHUB_STEP_SUMMARY),
  };
}

/** How a step of the script ended. */
interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the script's `step` with `inputs` in `runner`, and checks that it exits with `code`. */
async function action(
  runner: Runner,
  step: "resolve" | "run",
  inputs: Record<string, string>,
  code: number,
): Promise<Outcome> {
  const output = await new Deno.Command("bash", {
    args: [SCRIPT, step],
    cwd: runner.dir,
    env: { ...runner.env, ...inputs },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  const outcome = {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
  assertEquals(outcome.code, code, outcome.stdout + outcome.stderr);
  return outcome;
}

/** A stand-in for a release's downloads: `files` by name under `/<version>/`; every request is recorded. */
function releaseServer(version: string, files: Record<string, string>) {
  const requested: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const path = new URL(request.url).pathname;
    requested.push(path);
    const name = path.startsWith(`/${version}/`) ? path.slice(version.length + 2) : "";
    return name in files ? new Response(files[name]) : new Response("Not Found", { status: 404 });
  });
  return { url: `http://127.0.0.1:${server.addr.port}`, requested, close: () => server.shutdown() };
}

/**
 * Serves `files` as release `version`, runs the resolve step for it in a fresh runner and checks that it exits
 * with `code`; then runs `body` on the runner and the step's outcome.
 */
function resolveRelease(
  version: string,
  files: Record<string, string>,
  code: number,
  body: (runner: Runner, resolved: Outcome) => Promise<void>,
): Promise<void> {
  return withServer(releaseServer(version, files), (release) =>
    withRunner(async (runner) => {
      const inputs = { INPUT_VERSION: version, INPUT_RELEASE_URL: release.url };
      await body(runner, await action(runner, "resolve", inputs, code));
    }));
}

/** Runs both shards of a two-shard test of `url` in `runner`, each writing `<dir>shard-<i>.json`. */
async function runShards(runner: Runner, url: string, dir: string): Promise<void> {
  for (const index of [0, 1]) {
    await action(runner, "run", {
      INPUT_URL: url,
      INPUT_ARGS: `-t1 -c4 -d400ms --shard-index ${index} --shard-count 2`,
      INPUT_JSON: `${dir}shard-${index}.json`,
    }, 0);
  }
}

/** A "release binary" for the test: runs this checkout's CLI, and says so, so the test sees which ran. */
function fakeBinary(): string {
  const deno = [Deno.execPath(), "run", ...CLI_PERMISSIONS, `${ROOT}cli.ts`].map((arg) => `'${arg}'`).join(
    " ",
  );
  return `#!/usr/bin/env bash\necho "release binary running" >&2\nexec ${deno} "$@"\n`;
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

Deno.test("without a release it runs cli.ts with Deno on the demo server: outputs, JSON and job summary", async () => {
  await withRunner(async (runner) => {
    await action(runner, "resolve", {}, 0);
    assertEquals(await runner.outputs(), { "binary": "", "needs-deno": "true" });

    const ran = await action(runner, "run", {
      INPUT_URL: "demo",
      INPUT_ARGS: `-t1 -c2 -d500ms -H 'X-Note: two words'`,
      INPUT_THRESHOLDS: "p99 < 10s\r\n\n  errors < 1%  \n",
      INPUT_JSON: "result.json",
    }, 0);
    const outputs = await runner.outputs();
    const document = JSON.parse(await Deno.readTextFile(`${runner.dir}/result.json`));
    assertEquals(outputs.json, "result.json");
    assertEquals(Number(outputs["requests-per-sec"]), document.requests_per_sec);
    assertEquals(Number(outputs["p99-us"]), document.latency.percentiles["99"]);
    assertEquals(outputs.errors, "0");
    assert(document.requests > 0);
    assertEquals(document.config.headers, [["X-Note", "two words"]]);
    assertEquals(document.thresholds.map((t: { expression: string }) => t.expression), [
      "p99 < 10s",
      "errors < 1%",
    ]);
    assertStringIncludes(ran.stdout, "  Thresholds:\n    ✓ p99 < 10s    (actual ");
    const summary = await runner.summary();
    assertMatch(summary, /^### ✅ wrk-deno `http:\/\/127\.0\.0\.1:\d+\/`$/m);
    assertStringIncludes(summary, "| ✅ | `errors < 1%` | 0.00% |");
  });
});

Deno.test("a failed threshold fails the step with exit 99 and an error annotation, the outputs still set", async () => {
  await withRunner(async (runner) => {
    const failingHalf = startServer((_request, index) => index % 2 === 0 ? ok() : ok("no", 500));
    await withServer(failingHalf, async (server) => {
      const ran = await action(runner, "run", {
        INPUT_URL: server.url,
        INPUT_ARGS: "-t1 -c2 -d400ms",
        INPUT_THRESHOLDS: "non2xx < 1",
      }, 99);
      assertStringIncludes(ran.stdout, "::error title=wrk-deno::a threshold did not hold");
      const outputs = await runner.outputs();
      const document = JSON.parse(await Deno.readTextFile(`${runner.dir}/wrk-deno-result.json`));
      assert(document.errors.status > 0);
      assertEquals(Number(outputs.errors), document.errors.status);
      assertEquals(outputs.json, "wrk-deno-result.json");
      assertStringIncludes(await runner.summary(), "| ❌ | `non2xx < 1` |");
    });
  });
});

Deno.test("a run that cannot start fails the step with the tool's exit code and its message", async () => {
  await withRunner(async (runner) => {
    const ran = await action(runner, "run", { INPUT_URL: "http://127.0.0.1:1/", INPUT_ARGS: "-d1s" }, 1);
    assertStringIncludes(ran.stderr, "unable to connect to 127.0.0.1:1 Connection refused");
    assertStringIncludes(ran.stdout, "::error title=wrk-deno::wrk-deno exited with code 1");
    assertEquals((await runner.outputs())["requests-per-sec"], "");
    const missing = await action(runner, "run", {}, 1);
    assertStringIncludes(missing.stdout, "::error title=wrk-deno::the url input is required");
  });
});

Deno.test("a step whose run writes no result never reports an earlier step's figures", async () => {
  await withRunner((runner) =>
    withServer(startServer(), async (server) => {
      await action(runner, "run", { INPUT_URL: server.url, INPUT_ARGS: "-t1 -c2 -d300ms" }, 0);
      assert(Number((await runner.outputs())["requests-per-sec"]) > 0);
      await Deno.writeTextFile(runner.env.GITHUB_OUTPUT, "");
      // A typo in a threshold: the run never starts, and the earlier step's wrk-deno-result.json must not count.
      const typo = await action(runner, "run", {
        INPUT_URL: server.url,
        INPUT_ARGS: "-t1 -c2 -d300ms",
        INPUT_THRESHOLDS: "p99 < 2OOms",
      }, 1);
      assertStringIncludes(typo.stderr, "threshold 'p99 < 2OOms'");
      assertEquals(await runner.outputs(), {});
    })
  );
});

Deno.test("words after -- in the args input reach the script, with the action's script, thresholds and JSON still applied", async () => {
  await withRunner((runner) =>
    withServer(startServer(), async (server) => {
      await Deno.writeTextFile(
        `${runner.dir}/args.lua`,
        'function init(args) if #args > 0 then io.write("args: ", table.concat(args, "|"), "\\n") end end\n',
      );
      const ran = await action(runner, "run", {
        INPUT_URL: server.url,
        INPUT_SCRIPT: "args.lua",
        INPUT_ARGS: "-t1 -c1 -d300ms -- token123 'two words'",
        INPUT_THRESHOLDS: "rps > 1",
      }, 0);
      assertStringIncludes(ran.stdout, "args: token123|two words\n");
      assertStringIncludes(
        ran.stdout,
        `--script args.lua --threshold rps\\ \\>\\ 1 --json wrk-deno-result.json`,
      );
      const document = JSON.parse(await Deno.readTextFile(`${runner.dir}/wrk-deno-result.json`));
      assertEquals(document.thresholds.length, 1);
    })
  );
});

Deno.test("the sharded workflow's shard step runs its shard when the args input holds script arguments after --", async () => {
  const workflow = parse(await Deno.readTextFile(`${ROOT}.github/workflows/sharded_load_test.yml`)) as {
    jobs: { shard: { steps: { uses?: string; with?: Record<string, string> }[] } };
  };
  const template = workflow.jobs.shard.steps.find((step) => step.uses === "./.wrk-deno")!.with!.args;
  await withRunner((runner) =>
    withServer(startServer(), async (server) => {
      await Deno.writeTextFile(
        `${runner.dir}/args.lua`,
        'function init(args) io.write("args: ", table.concat(args, "|"), "\\n") end\n',
      );
      // What the runner makes of the template for shard 1 of 2, the caller's args passing a script argument.
      const args = template
        .replace("${{ matrix.index }}", "1")
        .replace("${{ inputs.shards }}", "2")
        .replace("${{ needs.plan.outputs.start-at }}", String(Math.ceil(Date.now() / 1000) + 1))
        .replace("${{ inputs.args }}", "-t1 -c4 -d300ms -s args.lua -- token");
      assertEquals(args.includes("${{"), false, args);
      const ran = await action(runner, "run", { INPUT_URL: server.url, INPUT_ARGS: args }, 0);
      assertStringIncludes(ran.stdout, "args: token\n");
      const document = JSON.parse(await Deno.readTextFile(`${runner.dir}/wrk-deno-result.json`));
      assertEquals([document.shard?.index, document.shard?.count, document.config.connections], [1, 2, 2]);
    })
  );
});

Deno.test("the args input splits as a shell: escaped quotes inside double quotes, backslashes, empty words", async () => {
  await withRunner((runner) =>
    withServer(startServer(), async (server) => {
      await Deno.writeTextFile(
        `${runner.dir}/args.lua`,
        'function init(args) io.write("args: ", table.concat(args, "|"), "\\n") end\n',
      );
      const ran = await action(runner, "run", {
        INPUT_URL: server.url,
        INPUT_ARGS:
          `-t1 -c1 -d300ms -H "X-Filter: {\\"a\\": 1}" -s args.lua -- two\\ words '$HOME' "" 'it'\\''s'`,
      }, 0);
      const document = JSON.parse(await Deno.readTextFile(`${runner.dir}/wrk-deno-result.json`));
      assertEquals(document.config.headers, [["X-Filter", '{"a": 1}']]);
      assertEquals(server.requests[0].headers.get("x-filter"), '{"a": 1}');
      assertStringIncludes(ran.stdout, "args: two words|$HOME||it's\n");
    })
  );
});

Deno.test("an args input with an unmatched quote fails the step, not a run of the words before it", async () => {
  await withRunner(async (runner) => {
    const ran = await action(runner, "run", {
      INPUT_URL: "demo",
      INPUT_ARGS: "-t1 -c3 -d1s -H 'X-Note: it's fine' --latency",
    }, 1);
    assertStringIncludes(
      ran.stdout,
      "::error title=wrk-deno::the args input cannot be split into words (unmatched single quote): ",
    );
    assertEquals(await runner.outputs(), {});
    assertEquals(ran.stdout.includes("Running"), false);
  });
});

Deno.test("an empty args input runs with the default options, and merges with none", async () => {
  await withRunner((runner) =>
    withServer(startServer(), async (server) => {
      const ran = await action(runner, "run", { INPUT_URL: server.url, INPUT_ARGS: "  " }, 0);
      assertStringIncludes(ran.stdout, `wrk-deno -t2 -c10 -d10s --latency --json wrk-deno-result.json`);
      assertStringIncludes(ran.stdout, "Running 10s test @ ");
      await runShards(runner, server.url, "");
      const merged = await action(runner, "run", { INPUT_MERGE: "shard-*.json", INPUT_JSON: "m.json" }, 0);
      assertStringIncludes(merged.stdout, "wrk-deno merge --json m.json ");
    })
  );
});

Deno.test("the action's ref and repository come from its checkout path where the runner leaves them empty", async () => {
  await withServer(releaseServer("v2.0.1", {}), async (release) => {
    await withRunner(async (runner) => {
      // A composite action's steps (actions/runner#2473): no GITHUB_ACTION_REF, the action under _actions/.
      await Deno.mkdir(`${runner.dir}/_actions/someone/wrk-deno/v2.0.1`, { recursive: true });
      runner.env.GITHUB_ACTION_PATH = `${runner.dir}/_actions/someone/wrk-deno/v2.0.1`;
      runner.env.GITHUB_SERVER_URL = release.url.replace(/\/$/, "");
      const resolved = await action(runner, "resolve", {}, 0);
      assertStringIncludes(resolved.stdout, "release v2.0.1 has no wrk-deno-x86_64-unknown-linux-gnu");
      // A Windows runner writes the path with backslashes.
      runner.env.GITHUB_ACTION_PATH = "D:\\a\\_actions\\someone\\wrk-deno\\v2.0.1";
      const windows = await action(runner, "resolve", {}, 0);
      assertStringIncludes(windows.stdout, "release v2.0.1 has no wrk-deno-x86_64-unknown-linux-gnu");
      assertEquals(
        release.requested.at(-1),
        "/someone/wrk-deno/releases/download/v2.0.1/wrk-deno-x86_64-unknown-linux-gnu",
      );
    });
  });
});

Deno.test("a named release: the runner's binary is downloaded, checked against SHA256SUMS and run", async () => {
  const binary = fakeBinary();
  const files = {
    "wrk-deno-x86_64-unknown-linux-gnu": binary,
    "SHA256SUMS": `${"0".repeat(64)}  wrk-deno-aarch64-apple-darwin\n${await sha256(
      binary,
    )}  wrk-deno-x86_64-unknown-linux-gnu\n`,
  };
  await resolveRelease("v9.9.9", files, 0, async (runner, resolved) => {
    assertStringIncludes(
      resolved.stdout,
      "using wrk-deno-x86_64-unknown-linux-gnu of release v9.9.9 (SHA-256 checked)",
    );
    const outputs = await runner.outputs();
    assertEquals(outputs["needs-deno"], "false");
    assertEquals(outputs.binary, `${runner.dir}/temp/wrk-deno-v9.9.9/wrk-deno-x86_64-unknown-linux-gnu`);

    const binaryRun = { BINARY: outputs.binary, INPUT_URL: "demo", INPUT_ARGS: "-t1 -c1 -d300ms" };
    const ran = await action(runner, "run", binaryRun, 0);
    assertStringIncludes(ran.stderr, "release binary running");
    assert(Number((await runner.outputs())["requests-per-sec"]) > 0);
  });
});

Deno.test("the action's own tag names the release, and each runner gets its platform's binary", async () => {
  await withServer(releaseServer("v1.2.3", {}), async (release) => {
    for (
      const [os, arch, name] of [
        ["macOS", "ARM64", "wrk-deno-aarch64-apple-darwin"],
        ["Windows", "X64", "wrk-deno-x86_64-pc-windows-msvc.exe"],
        ["Linux", "ARM64", "wrk-deno-aarch64-unknown-linux-gnu"],
      ]
    ) {
      await withRunner(async (runner) => {
        runner.env.GITHUB_ACTION_REF = "v1.2.3";
        // This release has no binaries: the step goes on with Deno and says why.
        const resolved = await action(runner, "resolve", { INPUT_RELEASE_URL: release.url }, 0);
        assertStringIncludes(resolved.stdout, `release v1.2.3 has no ${name}`);
        assertEquals((await runner.outputs())["needs-deno"], "true");
        assertEquals(release.requested.at(-1), `/v1.2.3/${name}`);
      }, { os, arch });
    }
  });
});

Deno.test("a version input naming no release fails the step; a release without the runner's binary runs cli.ts", async () => {
  await resolveRelease("v0.9.0", {}, 1, async (runner, resolved) => {
    assertStringIncludes(resolved.stdout, "release v0.9.0 not found (");
    assertStringIncludes(resolved.stdout, "/v0.9.0/SHA256SUMS: 404); check the version input");
    assertEquals((await runner.outputs())["needs-deno"], undefined);
  });
  const files = { SHA256SUMS: `${"0".repeat(64)}  wrk-deno-aarch64-apple-darwin\n` };
  await resolveRelease("v2.0.0", files, 0, async (runner, resolved) => {
    assertStringIncludes(resolved.stdout, "release v2.0.0 has no wrk-deno-x86_64-unknown-linux-gnu");
    assertEquals((await runner.outputs())["needs-deno"], "true");
  });
});

Deno.test("a binary that does not match SHA256SUMS, or is not listed, is refused and never run", async () => {
  const binary = fakeBinary();
  for (
    const [sums, message] of [
      [`${"a".repeat(64)}  wrk-deno-x86_64-unknown-linux-gnu\n`, "does not match SHA256SUMS (expected aaaa"],
      [
        `${await sha256(binary)}  wrk-deno-aarch64-unknown-linux-gnu\n`,
        "SHA256SUMS of release v2.0.0 does not list",
      ],
    ]
  ) {
    const files = { "wrk-deno-x86_64-unknown-linux-gnu": binary, SHA256SUMS: sums };
    await resolveRelease("v2.0.0", files, 1, async (runner, resolved) => {
      assertStringIncludes(resolved.stdout, message);
      assertEquals((await runner.outputs()).binary, undefined);
    });
  }
});

Deno.test("action.yml passes the script exactly the inputs it reads, and the workflow uses the action from the repository", async () => {
  const action = await Deno.readTextFile(`${ROOT}action.yml`);
  const script = await Deno.readTextFile(SCRIPT);
  const passed = [
    ...action.matchAll(
      /^ {8}(INPUT_[A-Z_]+|BINARY): \$\{\{ (inputs|steps\.resolve\.outputs)\.([a-z-]+) \}\}$/gm,
    ),
  ];
  const read = new Set([...script.matchAll(/\$\{(INPUT_[A-Z_]+|BINARY)[:}]/g)].map((m) => m[1]));
  assertEquals(new Set(passed.map((m) => m[1])), read);
  const declared = new Set(
    [...action.split("\noutputs:")[0].matchAll(/^ {2}([a-z-]+):$/gm)].map((m) => m[1]),
  );
  for (const [, name, source, input] of passed) {
    if (source === "inputs") {
      assert(declared.has(input), `${name} comes from an undeclared input ${input}`);
      assertEquals(name, `INPUT_${input.toUpperCase().replaceAll("-", "_")}`);
    }
  }
  for (const output of ["requests-per-sec", "p99-us", "errors", "json"]) {
    assertStringIncludes(action, `value: \${{ steps.run.outputs.${output} }}`);
    assertStringIncludes(script, `output ${output} `);
  }
  const workflow = await Deno.readTextFile(`${ROOT}.github/workflows/action.yml`);
  assertStringIncludes(workflow, "uses: ./\n");
  for (const os of ["ubuntu-latest", "macos-latest", "windows-latest"]) assertStringIncludes(workflow, os);
});

Deno.test("docs/ci.md's table of inputs is action.yml's: every input in order, required as declared, literal defaults shown", async () => {
  const action = parse(await Deno.readTextFile(`${ROOT}action.yml`)) as {
    inputs: Record<string, { required?: boolean; default?: string }>;
  };
  const ci = await Deno.readTextFile(`${ROOT}docs/ci.md`);
  const table = ci.slice(ci.indexOf("\n### Inputs\n"), ci.indexOf("\n### Outputs\n"));
  const rows = [...table.matchAll(/^\| `([a-z-]+)` +\| (.+?) +\| (.+?) +\|$/gm)];
  assertEquals(rows.map(([, name]) => name), Object.keys(action.inputs));
  for (const [, name, shown, what] of rows) {
    const { required = false, default: value = "" } = action.inputs[name];
    assertEquals(shown === "(required)", required, `${name}: shown as ${shown}`);
    if (value !== "") assertEquals(shown, `\`${value}\``, name);
    else if (!required) {
      assert(!shown.startsWith("`"), `${name}: no default in action.yml, but shown as ${shown}`);
    }
    assert(what.length > 0, name);
  }
});

Deno.test("with the merge input it merges shard results instead of running a test: report, outputs, summary", async () => {
  await withRunner((runner) =>
    withServer(startServer(), async (server) => {
      await Deno.mkdir(`${runner.dir}/shards`);
      await runShards(runner, server.url, "shards/");
      const merged = await action(runner, "run", {
        INPUT_MERGE: "shards/shard-*.json",
        INPUT_ARGS: "--latency",
        INPUT_THRESHOLDS: "rps > 1",
        INPUT_JSON: "merged.json",
      }, 0);
      const shards = [0, 1].map((i) =>
        JSON.parse(Deno.readTextFileSync(`${runner.dir}/shards/shard-${i}.json`))
      );
      const document = JSON.parse(await Deno.readTextFile(`${runner.dir}/merged.json`));
      assertEquals(document.requests, shards[0].requests + shards[1].requests);
      assertStringIncludes(merged.stdout, "  Latency Distribution\n");
      const lines = (await Deno.readTextFile(runner.env.GITHUB_OUTPUT)).trim().split("\n");
      assertEquals(lines.filter((line) => line.startsWith("json=")).at(-1), "json=merged.json");
      assertEquals(
        Number(lines.filter((line) => line.startsWith("requests-per-sec=")).at(-1)!.split("=")[1]),
        document.requests_per_sec,
      );
      assertEquals((await runner.summary()).match(/^### /gm)?.length, 3);
      // A json input naming one of the shards: the merge refuses to overwrite it, and the shard is still there.
      const before = await Deno.readTextFile(`${runner.dir}/shards/shard-0.json`);
      const overwrite = await action(runner, "run", {
        INPUT_MERGE: "shards/shard-*.json",
        INPUT_JSON: "shards/shard-0.json",
      }, 1);
      assertStringIncludes(overwrite.stdout, "::error title=wrk-deno::");
      assertEquals(await Deno.readTextFile(`${runner.dir}/shards/shard-0.json`), before);
      const none = await action(runner, "run", { INPUT_MERGE: "nothing/*.json" }, 1);
      assertStringIncludes(none.stdout, "::error title=wrk-deno::merge: no file matches nothing/*.json");
      const scriptArgs = await action(runner, "run", {
        INPUT_MERGE: "shards/shard-*.json",
        INPUT_ARGS: "--latency -- token",
      }, 1);
      assertStringIncludes(
        scriptArgs.stdout,
        "::error title=wrk-deno::the args input's words after -- are a script's arguments, and a merge runs no script",
      );
    })
  );
});

Deno.test("the action's script expands no array that may be empty without a guard (bash 3.2 on macOS calls it unbound under set -u)", async () => {
  // Arrays that always hold something when expanded: the deno command, the program and its arguments (--json
  // is always among them).
  const neverEmpty = new Set(["DENO_RUN", "program", "args"]);
  const lines = (await Deno.readTextFile(SCRIPT)).split("\n");
  const unguarded: string[] = [];
  lines.forEach((line, i) => {
    if (line.trimStart().startsWith("#")) return;
    for (const [, name] of line.matchAll(/"\$\{(\w+)\[@\]\}"/g)) {
      const guard = `\${#${name}[@]} -gt 0`;
      if (!neverEmpty.has(name) && !line.includes(guard) && !lines[i - 1].includes(guard)) {
        unguarded.push(`${i + 1}: ${line.trim()}`);
      }
    }
  });
  assertEquals(unguarded, []);
});
