/**
 * Scale-out on the engines people run, checked here without them: deploy/kubernetes/run_sharded.sh runs its
 * Indexed Job through a stand-in `kubectl` that runs the pods as local processes (tests/fixtures/kubernetes/),
 * then collects and merges their results; the sharded GitHub workflow is parsed and checked against the
 * action it uses; the Dockerfile's entry point has the documented permissions.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { parse } from "yaml";
import { CLI_PERMISSIONS, parseReport } from "./helpers/cli.ts";
import { ROOT } from "./helpers/deno.ts";
import { startServer } from "./helpers/server.ts";
import { parseArgs } from "../lib/config/parse_args.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

/**
 * Runs deploy/kubernetes/run_sharded.sh in `dir` with the stand-in kubectl: 3 shards of `-t1 -c6 -d1s` at
 * `url`, starting 4 s from now, merged with `mergeOptions`; `env` adds to the stand-in's environment.
 */
async function runSharded(dir: string, url: string, mergeOptions: string, env: Record<string, string> = {}) {
  const kubectl = `${dir}/kubectl`;
  await Deno.writeTextFile(
    kubectl,
    `#!/usr/bin/env bash\nexec '${Deno.execPath()}' run -A '${ROOT}tests/fixtures/kubernetes/fake_kubectl.ts' "$@"\n`,
  );
  await Deno.chmod(kubectl, 0o755);
  const wrkDeno = [Deno.execPath(), "run", ...CLI_PERMISSIONS, `${ROOT}cli.ts`].join(" ");
  const output = await new Deno.Command("bash", {
    args: [
      `${ROOT}deploy/kubernetes/run_sharded.sh`,
      "-n",
      "3",
      "-w",
      "4",
      "-o",
      `${dir}/shards`,
      "-m",
      mergeOptions,
      "--",
      "-t1",
      "-c6",
      "-d1s",
      "-H",
      'X-Quote: say "hi"',
      url,
    ],
    cwd: dir,
    env: { KUBECTL: kubectl, WRK_DENO: wrkDeno, FAKE_KUBE_DIR: dir, NO_COLOR: "1", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: output.code,
    stdout: new TextDecoder().decode(output.stdout),
    stderr: new TextDecoder().decode(output.stderr),
  };
}

Deno.test("run_sharded.sh runs the Indexed Job's pods from one start time, collects each JSON line from the logs and merges them", async () => {
  const server = startServer();
  const dir = await Deno.makeTempDir({ prefix: "wrk-deno-kube-" });
  try {
    const { code, stdout, stderr } = await runSharded(dir, server.url, "--latency --threshold 'p99 < 10s'");
    assertEquals(code, 0, stdout + stderr);
    // It waits for the start delay, the run's -d and ten minutes for pods to come.
    assertStringIncludes(stdout, "waiting for the job to finish (at most 605s)");

    // The manifest kubectl was given: an Indexed Job of 3, each pod's args a valid shard command line.
    const job: Json = parse(await Deno.readTextFile(`${dir}/manifest.yaml`));
    assertEquals([job.spec.completionMode, job.spec.completions, job.spec.parallelism], ["Indexed", 3, 3]);
    // A failed shard ends alone, and the others run on (backoffLimit: 0 would end them all).
    assertEquals([job.spec.backoffLimitPerIndex, job.spec.backoffLimit], [0, undefined]);
    const args: string[] = job.spec.template.spec.containers[0].args;
    assertEquals(args.slice(0, 2), ["--shard-index=$(JOB_COMPLETION_INDEX)", "--shard-count=3"]);
    const config = parseArgs(args.map((arg) => arg.replace("$(JOB_COMPLETION_INDEX)", "2")));
    assertEquals([config.shard?.index, config.shard?.count, config.connections], [2, 3, 2]);
    assertEquals(config.headers, [["X-Quote", 'say "hi"']]);
    assertEquals(config.jsonPath, "-");

    // Each pod's log held its report and one JSON line; the merge reports the whole test.
    const shards = [0, 1, 2].map((index) =>
      JSON.parse(Deno.readTextFileSync(`${dir}/shards/shard-${index}.json`))
    );
    assertEquals(shards.map((shard: Json) => shard.shard.index), [0, 1, 2]);
    const requests = shards.reduce((sum: number, shard: Json) => sum + shard.requests, 0);
    assertEquals(parseReport(stdout).requests, requests);
    assertStringIncludes(stdout, "  Latency Distribution\n");
    assertMatch(stdout, /\n {2}Thresholds:\n {4}✓ p99 < 10s/);
    assertEquals(new Set(server.requests.map((request) => request.connection)).size, 6);
    const starts = shards.map((shard: Json) => Date.parse(shard.start));
    assert(Math.max(...starts) - Math.min(...starts) <= 50, `starts ${starts.join(" ")}`);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("run_sharded.sh with a pod that failed: the others' results are merged with --allow-partial, and without it the merge names the missing shard", async () => {
  const server = startServer();
  const dir = await Deno.makeTempDir({ prefix: "wrk-deno-kube-" });
  try {
    const partial = await runSharded(dir, server.url, "--allow-partial", { FAKE_FAIL_INDEX: "1" });
    assertEquals(partial.code, 0, partial.stdout + partial.stderr);
    assertStringIncludes(partial.stderr, "failed: a shard's pod did; the others' results are collected\n");
    assertStringIncludes(partial.stderr, "shard 1: no result in the log of pod/");
    assertStringIncludes(
      partial.stderr,
      "shard 1 of 3 is missing: the figures are those of shards 0, 2 (--allow-partial)\n",
    );
    // Shards 0 and 2 of -c6: 4 connections.
    assertStringIncludes(partial.stdout, "  2 threads and 4 connections\n");

    const strict = await runSharded(dir, server.url, "", { FAKE_FAIL_INDEX: "1" });
    assertEquals(strict.code, 1, strict.stdout + strict.stderr);
    assertStringIncludes(
      strict.stderr,
      "shard 1 of 3 is missing (--allow-partial merges the shards given)\n",
    );
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("run_sharded.sh refuses a cluster that dropped backoffLimitPerIndex (before 1.29) and deletes the job", async () => {
  const server = startServer();
  const dir = await Deno.makeTempDir({ prefix: "wrk-deno-kube-" });
  try {
    const old = await runSharded(dir, server.url, "", { FAKE_OLD_CLUSTER: "1" });
    assertEquals(old.code, 1, old.stdout + old.stderr);
    assertStringIncludes(
      old.stderr,
      "the cluster dropped the job's backoffLimitPerIndex (Kubernetes before 1.29?)",
    );
    assertStringIncludes(old.stderr, "use Kubernetes 1.29 or later\n");
    assertStringIncludes(await Deno.readTextFile(`${dir}/deleted`), "job/wrk-deno-");
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("run_sharded.sh refuses a shard count or a start delay that is not a whole number, before any kubectl", async () => {
  for (
    const [flags, message] of [
      [["-n", "0"], "-n wants a whole number of shards from 1, not '0'"],
      [["-n", "four"], "-n wants a whole number of shards from 1, not 'four'"],
      [["-w", "abc"], "-w wants whole seconds, not 'abc'"],
      [["-w", "08"], "-w wants whole seconds, not '08'"],
    ] as const
  ) {
    const output = await new Deno.Command("bash", {
      args: [`${ROOT}deploy/kubernetes/run_sharded.sh`, ...flags, "--", "-d1s", "http://127.0.0.1:1/"],
      // A kubectl that would say it was called: it must not be.
      env: { KUBECTL: "false" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(output.stderr);
    assertEquals(output.code, 2, stderr);
    assertStringIncludes(stderr, message);
  }
});

Deno.test("the sharded workflow plans one start, runs a matrix of shards through the action and merges their artifacts", async () => {
  const workflow: Json = parse(await Deno.readTextFile(`${ROOT}.github/workflows/sharded_load_test.yml`));
  const action: Json = parse(await Deno.readTextFile(`${ROOT}action.yml`));
  assertEquals(Object.keys(workflow.jobs), ["plan", "shard", "merge"]);
  const inputs = ["url", "args", "shards", "thresholds", "start-delay", "merge-args", "name"];
  assertEquals(Object.keys(workflow.on.workflow_dispatch.inputs), inputs);
  // Called from another repository, the caller names the wrk-deno whose action runs (its steps see the
  // caller's repository): each job checks that one out where `uses: ./.wrk-deno` finds it.
  assertEquals(Object.keys(workflow.on.workflow_call.inputs), [
    ...inputs,
    "wrk-deno-repository",
    "wrk-deno-ref",
  ]);
  for (const job of [workflow.jobs.shard, workflow.jobs.merge]) {
    const [workspace, checkout] = job.steps.filter((step: Json) => step.uses === "actions/checkout@v4");
    // The repository it runs for stays at the root, for the files `args` names.
    assertEquals(workspace.with, undefined);
    assertEquals(checkout.with, {
      repository: "${{ inputs.wrk-deno-repository || github.repository }}",
      ref: "${{ inputs.wrk-deno-repository == '' && github.sha || inputs.wrk-deno-ref }}",
      path: ".wrk-deno",
    });
  }
  const shard = workflow.jobs.shard;
  assertEquals(shard.needs, "plan");
  assertEquals(shard.strategy.matrix.index, "${{ fromJSON(needs.plan.outputs.indexes) }}");
  const run = shard.steps.find((step: Json) => step.uses === "./.wrk-deno");
  for (const input of Object.keys(run.with)) {
    assert(input in action.inputs, `the action has no input ${input}`);
  }
  for (
    const flag of ["--shard-index ${{ matrix.index }}", "--shard-count ${{ inputs.shards }}", "--start-at"]
  ) {
    assertStringIncludes(run.with.args, flag);
  }
  const upload = shard.steps.find((step: Json) => step.uses === "actions/upload-artifact@v4");
  assertEquals(upload.with.path, run.with.json);
  // Named after the test: two calls in one workflow run neither clash nor merge each other's shards.
  assertEquals(upload.with.name, "${{ inputs.name }}-shard-${{ matrix.index }}");
  // Uploaded when its run failed too (the action's step then fails): the file holds why, which the merge names.
  assertEquals(upload.if, "${{ always() }}");

  const merge = workflow.jobs.merge;
  assertEquals(merge.needs, "shard");
  const download = merge.steps.find((step: Json) => step.uses === "actions/download-artifact@v4");
  assertEquals(download.with, {
    pattern: "${{ inputs.name }}-shard-*",
    "merge-multiple": true,
    path: "shards",
  });
  const merging = merge.steps.find((step: Json) => step.uses === "./.wrk-deno");
  assertEquals([merging.with.merge, merging.with.args], ["shards/*.json", "${{ inputs.merge-args }}"]);
  for (const input of Object.keys(merging.with)) {
    assert(input in action.inputs, `the action has no input ${input}`);
  }
  for (const output of ["requests-per-sec", "p99-us", "errors"]) {
    assertEquals(merge.outputs[output], `\${{ steps.merge.outputs.${output} }}`);
    assert(output in action.outputs);
  }
  // The plan's script, run as the runner would: a start in the future and the shards' indexes.
  const plan = workflow.jobs.plan.steps[0];
  const dir = await Deno.makeTempDir();
  try {
    const output = await new Deno.Command("bash", {
      args: ["-c", plan.run],
      env: {
        SHARDS: "4",
        START_DELAY: "120",
        GITHUB_OUTPUT: `${dir}/output`,
        PATH: Deno.env.get("PATH") ?? "",
      },
    }).output();
    assertEquals(output.code, 0, new TextDecoder().decode(output.stderr));
    const lines = (await Deno.readTextFile(`${dir}/output`)).trim().split("\n");
    assertEquals(lines[1], "indexes=[0,1,2,3]");
    const startAt = Number(lines[0].replace("start-at=", ""));
    assert(Math.abs(startAt - (Date.now() / 1000 + 120)) < 5, lines[0]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the Dockerfile's image runs the compiled binary, which has the documented permissions", async () => {
  const dockerfile = await Deno.readTextFile(`${ROOT}Dockerfile`);
  assertMatch(dockerfile, /^RUN deno install --frozen && deno task compile$/m);
  assertMatch(dockerfile, /^COPY --from=build \/src\/dist\/wrk-deno \/usr\/local\/bin\/wrk-deno$/m);
  assertMatch(dockerfile, /^ENTRYPOINT \["\/usr\/local\/bin\/wrk-deno"\]$/m);
  const compile = await Deno.readTextFile(`${ROOT}scripts/compile.ts`);
  for (const permission of CLI_PERMISSIONS) assertStringIncludes(compile, `"${permission}"`);
  const job = await Deno.readTextFile(`${ROOT}deploy/kubernetes/wrk_deno_job.yaml`);
  assertStringIncludes(job, "image: __IMAGE__");
});
