/**
 * The epoll loop's sockets and epoll descriptor are not Deno resources: ending a worker does not close them.
 * A library user running many runs in one process must not collect them, whether a run ends normally or its
 * script fails.
 */
import { assert, assertRejects } from "@std/assert";
import { parseArgs, run } from "../mod.ts";
import { startServer } from "./helpers/server.ts";
import { openDescriptorCount } from "./helpers/proc.ts";

Deno.test("runs in one process leave no sockets or epoll descriptors open, also when a script fails", async () => {
  const server = startServer();
  const script = await Deno.makeTempFile({ prefix: "wrk-deno-leak-", suffix: ".lua" });
  await Deno.writeTextFile(
    script,
    'local n = 0\nresponse = function() n = n + 1; if n == 50 then error("boom") end end\n',
  );
  try {
    // A first run loads every module and opens what stays open for the process's life.
    await run(parseArgs(["-t2", "-c20", "-d200ms", server.url]));
    const before = await openDescriptorCount(Deno.pid);
    for (let i = 0; i < 3; i++) {
      const result = await run(parseArgs(["-t2", "-c20", "-d200ms", server.url]));
      assert(result.requests > 0);
      await assertRejects(
        () => run(parseArgs(["-t2", "-c20", "-d1s", "-s", script, server.url])),
        Error,
        "boom",
      );
    }
    // 3 × (20 sockets and 2 epoll descriptors, twice) would be 132 descriptors. The test server's side of each
    // connection closes a moment after the client's: wait for those.
    let after = await openDescriptorCount(Deno.pid);
    for (let i = 0; i < 40 && after - before > 4; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      after = await openDescriptorCount(Deno.pid);
    }
    assert(after - before <= 4, `${before} descriptors open before, ${after} after`);
  } finally {
    await Deno.remove(script);
    await server.close();
  }
});
