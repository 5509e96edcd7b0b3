/**
 * A script runs inside the CLI's documented permissions (docs/permissions.md: --allow-net, --allow-read,
 * --allow-env): it cannot start processes or write, remove or rename files, in the main state or in a thread.
 * Each attempt fails inside Lua (an error or nil, message) and the run carries on.
 */
import { assert, assertEquals, assertMatch } from "@std/assert";
import { parseReport, runCli } from "./helpers/cli.ts";
import { startServer } from "./helpers/server.ts";

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

Deno.test("cli scripts cannot spawn processes or write files", async () => {
  const server = startServer();
  const dir = await Deno.makeTempDir({ prefix: "sandbox_" });
  try {
    const spawned = `${dir}/spawned`;
    const piped = `${dir}/piped`;
    const written = `${dir}/written`;
    const keep = `${dir}/keep`;
    const renamed = `${dir}/renamed`;
    await Deno.writeTextFile(keep, "still here\n");
    // `attempt` prints, per try: where, what, whether the call raised, and its first two results.
    const script = `
local function attempt(where, what, f)
  local ok, a, b = pcall(f)
  print(string.format("%s %s raised=%s %s %s", where, what, tostring(not ok), tostring(a), tostring(b)))
end
local function attempts(where)
  attempt(where, "os.execute", function() return os.execute("touch ${spawned}") end)
  attempt(where, "io.popen", function() return io.popen("touch ${piped}") end)
  attempt(where, "io.open", function() return io.open("${written}", "w") end)
  attempt(where, "os.remove", function() return os.remove("${keep}") end)
  attempt(where, "os.rename", function() return os.rename("${keep}", "${renamed}") end)
end
function init(args) attempts("thread") end
function done(summary, latency, requests) attempts("main") end
`;
    const scriptPath = `${dir}/sandbox.lua`;
    await Deno.writeTextFile(scriptPath, script);

    const cli = await runCli(["-t1", "-c1", "-d300ms", "-s", scriptPath, server.url]);
    assertEquals(cli.code, 0, cli.stderr);
    assert(parseReport(cli.stdout).requests > 0, "the run carried on");
    for (const where of ["thread", "main"]) {
      for (const what of ["os.execute", "io.popen", "io.open", "os.remove", "os.rename"]) {
        const line = cli.stdout.split("\n").find((l) => l.startsWith(`${where} ${what} `));
        assert(line !== undefined, `${where} ${what} was tried:\n${cli.stdout}`);
        // Either it raised a Lua error, or it returned nil (or false) and a message, as io functions do.
        assertMatch(line, /raised=true|raised=false (nil|false) \S/, line);
      }
    }
    assertEquals(await exists(spawned), false, "os.execute ran a process");
    assertEquals(await exists(piped), false, "io.popen ran a process");
    assertEquals(await exists(written), false, "io.open wrote a file");
    assertEquals(await exists(renamed), false, "os.rename renamed a file");
    assertEquals(await Deno.readTextFile(keep), "still here\n", "os.remove removed a file");
  } finally {
    await Deno.remove(dir, { recursive: true });
    await server.close();
  }
});
