/**
 * The `Req/Sec` row through the real CLI: each thread samples its rate every 100 ms, as wrk's `record_rate`
 * (docs/wrk-compat.md#request-rate-samples), so a run of d seconds has about d / 100 ms samples per thread,
 * and a sub-second run (an advertised feature) whose threads got responses has a rate, never the empty row
 * (`0.00 … -nan%`) that wrk prints only when no response came.
 */
import { assert, assertMatch, assertNotMatch } from "@std/assert";
import { parseReport, runCli } from "./helpers/cli.ts";
import { startServer } from "./helpers/server.ts";

/** Runs the CLI against `url` with `args` and its `--json` result; returns the report and the document. */
async function runWithJson(args: string[], url: string): Promise<{ stdout: string; samples: number }> {
  const dir = await Deno.makeTempDir();
  try {
    const { code, stdout, stderr } = await runCli([...args, "--json", `${dir}/r.json`, url]);
    if (code !== 0) throw new Error(`exit ${code}: ${stderr}`);
    const document = JSON.parse(await Deno.readTextFile(`${dir}/r.json`));
    return { stdout, samples: document.requests_per_thread_sec.count };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("cli samples each thread's rate every 100 ms: a 1 s run of two threads has about ten samples each", async () => {
  const server = startServer();
  try {
    const { stdout, samples } = await runWithJson(["-t2", "-c2", "-d1s"], server.url);
    assert(parseReport(stdout).requests > 0);
    // wrk gets 10 or 11 per thread (its last tick comes after the deadline); a busy machine may lose one.
    assert(samples >= 18 && samples <= 20, `${samples} samples`);
  } finally {
    await server.close();
  }
});

for (const [duration, most] of [["150ms", 2], ["50ms", 1]] as const) {
  Deno.test(`cli -d${duration} prints the thread's Req/Sec, not the empty -nan row`, async () => {
    const server = startServer();
    try {
      const { stdout, samples } = await runWithJson(["-t1", "-c1", `-d${duration}`], server.url);
      assert(parseReport(stdout).requests > 0);
      assert(samples >= 1 && samples <= most, `${samples} samples`);
      assertMatch(stdout, /^ {4}Req\/Sec +[1-9][\d.]*k? +[\d.]+k? +[1-9][\d.]*k? +100\.00%$/m);
      assertNotMatch(stdout, /nan/);
    } finally {
      await server.close();
    }
  });
}
