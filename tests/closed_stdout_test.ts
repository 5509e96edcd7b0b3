/**
 * Standard output that goes away or fills up (lib/_stdout.ts, cli.ts): a reader that closes the pipe
 * (`wrk-deno … | head -1`) ends nothing (wrk dies of SIGPIPE there, quietly: here the rest of the output is
 * dropped, quietly, and the result files are still written), and a full disk is one line and exit 1 after the
 * result files are written, never an internal error.
 */
import { assert, assertEquals, assertMatch } from "@std/assert";
import { runCliInShell as bash } from "./helpers/cli.ts";
import { startServer } from "./helpers/server.ts";

Deno.test("a reader that closes the pipe early ends nothing: no error, the run's exit code, its --json written", async () => {
  const server = startServer();
  const dir = await Deno.makeTempDir({ dir: "/tmp", prefix: "wrk-deno-closed-stdout-" });
  try {
    // Every response prints 1 KB from the thread too: past the pipe's 64 KiB, those writes meet the closed pipe
    // in the worker.
    await Deno.writeTextFile(
      `${dir}/print.lua`,
      `function response(status) print(string.rep("x", 1000)) end`,
    );
    const { stdout, stderr } = await bash(
      `$CLI -t1 -c2 -d500ms -s ${dir}/print.lua --json ${dir}/r.json ${server.url} | head -1; ` +
        `echo "exit \${PIPESTATUS[0]}"`,
    );
    assertEquals(stderr, "");
    assertMatch(stdout, /^Running 500\.00ms test @ .*\nexit 0\n$/);
    const result = JSON.parse(await Deno.readTextFile(`${dir}/r.json`)) as { requests: number };
    assert(result.requests > 200, `${result.requests} responses: too few to fill the pipe`);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a reader that closes stderr's pipe too ends nothing: the thresholds' verdict still sets the exit code", async () => {
  const server = startServer();
  try {
    // With --json -, the report and the thresholds' verdict go to stderr, into the closed pipe; the threshold
    // fails (99).
    const { stdout, stderr } = await bash(
      `$CLI -t1 -c1 -d300ms --json - --threshold 'p99 < 1us' ${server.url} 2>&1 | head -1; ` +
        `echo "exit \${PIPESTATUS[0]}"`,
    );
    assertEquals(stderr, "");
    assertMatch(stdout, /^Running 300\.00ms test @ .*\nexit 99\n$/);
  } finally {
    await server.close();
  }
});

Deno.test("a full disk on stdout is one line and exit 1, after the --json result is written", async () => {
  const server = startServer();
  const dir = await Deno.makeTempDir({ dir: "/tmp", prefix: "wrk-deno-full-stdout-" });
  try {
    const { code, stderr } = await bash(
      `$CLI -t1 -c1 -d300ms --json ${dir}/r.json ${server.url} > /dev/full`,
    );
    assertEquals(code, 1);
    assertMatch(stderr, /^wrk-deno: cannot write to standard output: No space left on device.*\n$/);
    const result = JSON.parse(await Deno.readTextFile(`${dir}/r.json`)) as { requests: number };
    assert(result.requests > 0);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a full disk on stderr loses only what stderr would say: the run, its --json - on stdout and its exit code stand", async () => {
  const server = startServer();
  try {
    // The live line and messages go to stderr: a write there that fails used to end the run as an error.
    const { code, stdout } = await bash(`$CLI -t1 -c1 -d300ms --json - ${server.url} 2> /dev/full`);
    assertEquals(code, 0);
    const result = JSON.parse(stdout) as { requests: number };
    assert(result.requests > 0);
  } finally {
    await server.close();
  }
});

Deno.test("a result file on a full disk is one line and exit 1; the other outputs are written", async () => {
  const server = startServer();
  const dir = await Deno.makeTempDir({ dir: "/tmp", prefix: "wrk-deno-full-file-" });
  // Deno opens a device by name only under --allow-all: /dev/full stands for a disk that fills up during the run.
  const cli = `'${Deno.execPath()}' run -A '${new URL("../cli.ts", import.meta.url).pathname}'`;
  try {
    const { code, stdout, stderr } = await bash(
      `${cli} -t1 -c1 -d300ms --json /dev/full --summary ${dir}/s.md ${server.url}`,
    );
    assertEquals(code, 1, stderr);
    assertEquals(stderr, "--json /dev/full: No space left on device\n");
    assertMatch(stdout, /requests in /);
    assertMatch(await Deno.readTextFile(`${dir}/s.md`), /^### /);
    // A failed threshold's 99 stays what it is.
    const failed = await bash(`${cli} -t1 -c1 -d300ms --json /dev/full --threshold 'rps > 1G' ${server.url}`);
    assertEquals(failed.code, 99, failed.stderr);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});
