/**
 * The `deno bench` files under bench/ measure something when benched: a file whose benches are registered
 * behind a guard that is false under `deno bench` (as `import.meta.main` is there) prints an empty table and
 * exits 0, and its figures would silently be missing.
 */
import { assert, assertEquals } from "@std/assert";
import { runDeno } from "./helpers/deno.ts";

for (
  const [file, bench] of [
    ["bench/response_sink_bench.ts", "current: reads nothing"],
    ["bench/pipelined_read_bench.ts", "16 pipelined responses in one read"],
  ] as const
) {
  Deno.test(`${file} runs its benches under deno bench (one, "${bench}", run here)`, async () => {
    const outcome = await runDeno(["bench", "-A", "--filter", bench, file], { killAfterMs: 120_000 });
    assertEquals(outcome.code, 0, outcome.stderr);
    const rows = outcome.stdout.split("\n").filter((line) => line.startsWith(`| ${bench}`));
    assert(rows.length >= 1, outcome.stdout);
    assert(/\d+(\.\d+)? [nµm]?s/.test(rows[0]), rows[0]);
  });
}
