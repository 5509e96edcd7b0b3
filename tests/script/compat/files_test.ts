/**
 * Lua's files on Deno's handles (lib/script/compat/_files.ts): lazy, bounded reads of files, devices and pipes,
 * and writes where the command line allowed them (`--write`).
 */
import { assert, assertEquals, assertMatch } from "@std/assert";
import { threadScript } from "../_helpers.ts";
import { parseReport, runCli } from "../../helpers/cli.ts";
import { startServer } from "../../helpers/server.ts";

/** Runs `source` as a thread's top level with `globals` set and `--write` paths; returns what it printed. */
async function lua(
  source: string,
  options: { globals?: Record<string, string>; writePaths?: string[]; keepOpen?: boolean } = {},
): Promise<{ printed: string; close: () => void }> {
  const { script, output } = await threadScript(`function init()\n${source}\nend`, {
    writePaths: options.writePaths ?? [],
  });
  for (const [name, value] of Object.entries(options.globals ?? {})) script.setGlobal(name, value);
  await script.init();
  if (!options.keepOpen) script.close();
  return { printed: output.text, close: () => script.close() };
}

Deno.test("file:read(4) on /dev/urandom reads a few bytes, not the whole device", async () => {
  const started = performance.now();
  const { printed } = await lua(`
    local f = assert(io.open("/dev/urandom", "rb"))
    local a, b = f:read(4), f:read(4)
    f:close()
    print(#a, #b, a ~= b)`);
  assertEquals(printed, "4\t4\ttrue\n");
  // Before reads were lazy, io.open read the device until the state's 15 s loading bound gave up.
  assert(performance.now() - started < 2000, "read 8 bytes of /dev/urandom in time");
});

Deno.test("file:read() reads lines longer than the read chunk, counts, numbers and the rest, across chunk boundaries", async () => {
  const dir = await Deno.makeTempDir({ prefix: "wrk-deno-files-" });
  try {
    const long = "x".repeat(10_000);
    const path = `${dir}/data.txt`;
    await Deno.writeTextFile(path, `${long}\nshort\n  0x1F -2.5e3 12abc\n${"y".repeat(5000)}`);
    const { printed } = await lua(
      `
      local f = assert(io.open(path))
      local first = f:read("*l")
      print(#first, f:read("L") == "short\\n", f:read("n"), f:read("n"), f:read("n"), f:read(3))
      print(f:seek("cur"), #f:read("*a"), f:read("a") == "", f:read(0), f:read("l"))
      print(f:seek("set", ${long.length + 1}), f:read(5), f:seek("end"))
      f:close()
      local n = 0
      for line in io.lines(path) do n = n + #line end
      print(n)`,
      { globals: { path } },
    );
    assertEquals(
      printed,
      `10000\ttrue\t31\t-2500\t12\tabc\n` +
        `10026\t5001\ttrue\tnil\tnil\n` +
        `10001\tshort\t${10_000 + 1 + 6 + 20 + 5000}\n` +
        `${10_000 + 5 + 19 + 5000}\n`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a script allowed to write (--write <dir>) writes, appends, reads back, renames and removes files there", async () => {
  const dir = await Deno.makeTempDir({ prefix: "wrk-deno-files-" });
  try {
    const { printed } = await lua(
      `
      local f = assert(io.open(dir .. "/log.txt", "w"))
      assert(f:write("status ", 200, " ", 1.5, "\\n") == f)
      f:close()
      f = assert(io.open(dir .. "/log.txt", "a"))
      f:write("more\\n")
      f:close()
      f = assert(io.open(dir .. "/log.txt", "r+"))
      print(f:read("l"))
      f:seek("set", 0)
      f:write("STATUS")
      f:seek("set", 0)
      print(f:read("a"))
      f:close()
      io.output(dir .. "/out.txt")
      io.write("via io.write\\n")
      io.close()
      io.write("back on stdout\\n")
      print(os.rename(dir .. "/out.txt", dir .. "/renamed.txt"))
      print(os.remove(dir .. "/renamed.txt"), os.remove(dir .. "/renamed.txt"))`,
      { globals: { dir }, writePaths: [dir] },
    );
    assertEquals(
      printed,
      "status 200 1.5\n" +
        "STATUS 200 1.5\nmore\n\n" +
        "back on stdout\n" +
        "true\n" +
        `true\tnil\t${dir}/renamed.txt: No such file or directory\t2\n`,
    );
    assertEquals(await Deno.readTextFile(`${dir}/log.txt`), "STATUS 200 1.5\nmore\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("f.close() without its file closes the default output as LuaJIT does: nil and a message, no error", async () => {
  const dir = await Deno.makeTempDir({ prefix: "wrk-deno-files-" });
  try {
    // A script's slip (`file.close()` for `file:close()`) that LuaJIT forgives; the file stays open and usable.
    const { printed } = await lua(
      `
      local f = assert(io.open(dir .. "/report.csv", "w"))
      f.write(f, "a,b\\n")
      print(pcall(f.close))
      print(select("#", io.close(f)), io.type(f))
      print(pcall(io.close))
      print((pcall(f.close, nil)))`,
      { globals: { dir }, writePaths: [dir] },
    );
    assertEquals(
      printed,
      "true\tnil\tcannot close standard file\n" +
        "1\tclosed file\n" +
        "true\tnil\tcannot close standard file\n" +
        "false\n",
    );
    assertEquals(await Deno.readTextFile(`${dir}/report.csv`), "a,b\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("io.lines() with several formats gives each step's every value, as LuaJIT's", async () => {
  const dir = await Deno.makeTempDir({ prefix: "wrk-deno-files-" });
  try {
    await Deno.writeTextFile(`${dir}/pairs.txt`, "ab\ncd\nef\n");
    const { printed } = await lua(
      `for a, b in io.lines(dir .. "/pairs.txt", 2, 1) do io.write(a, "|", tostring(b), " ") end print()`,
      { globals: { dir } },
    );
    assertEquals(printed, "ab|\n cd|\n ef|\n \n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("/dev/null opens for writing without --write: a script's default for an optional report file", async () => {
  const { printed } = await lua(`
    local f = io.open("/dev/null", "w")
    print(io.type(f), f:write("report") == f, f:close())
    print(io.open("/wrk-deno-not-allowed.txt", "w"))`);
  assertEquals(
    printed,
    "file\ttrue\ttrue\n" +
      "nil\t/wrk-deno-not-allowed.txt: Permission denied (scripts may only write under --write <dir>)\t13\n",
  );
});

Deno.test("writes are buffered, written out on flush(), with setvbuf('no') at once, and when the state closes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "wrk-deno-files-" });
  try {
    const { close } = await lua(
      `
      buffered = assert(io.open(dir .. "/buffered.txt", "w"))
      buffered:write("kept until the state closes\\n")
      flushed = assert(io.open(dir .. "/flushed.txt", "w"))
      flushed:write("flushed\\n")
      flushed:flush()
      unbuffered = assert(io.open(dir .. "/unbuffered.txt", "w"))
      unbuffered:setvbuf("no")
      unbuffered:write("at once\\n")`,
      { globals: { dir }, writePaths: [dir], keepOpen: true },
    );
    assertEquals(await Deno.readTextFile(`${dir}/buffered.txt`), "");
    assertEquals(await Deno.readTextFile(`${dir}/flushed.txt`), "flushed\n");
    assertEquals(await Deno.readTextFile(`${dir}/unbuffered.txt`), "at once\n");
    close();
    assertEquals(await Deno.readTextFile(`${dir}/buffered.txt`), "kept until the state closes\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a --write path allows only what lies under it, even where Deno would allow more", async () => {
  // This test file runs with --allow-write=/tmp: with a --write path given, that path alone decides.
  const dir = await Deno.makeTempDir({ prefix: "wrk-deno-files-" });
  try {
    await Deno.mkdir(`${dir}/allowed`);
    const { printed } = await lua(
      `
      print(io.open(dir .. "/allowed/x.txt", "w") ~= nil)
      print(io.open(dir .. "/allowed/../x.txt", "w"))`,
      { globals: { dir }, writePaths: [`${dir}/allowed`] },
    );
    const lines = printed.split("\n");
    assertEquals(lines[0], "true");
    assertMatch(
      lines[1],
      /^nil\t.*\/allowed\/\.\.\/x\.txt: Permission denied \(scripts may only write under --write <dir>\)\t13$/,
    );
    assertEquals(await Deno.stat(`${dir}/x.txt`).catch(() => null), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a script that checks io.open's result runs on without --write, and one warning line says why nothing was written", async () => {
  // The pattern of paritytech/polkadot-rest-api's util.lua: a lock file, opened for writing only if it opens.
  const server = startServer();
  const dir = await Deno.makeTempDir({ prefix: "wrk-deno-files-" });
  try {
    const script = `${dir}/guarded.lua`;
    await Deno.writeTextFile(
      script,
      `
function init()
  local f = io.open("${dir}/thread-log", "w")
  if f then f:close() end
end

function done(summary)
  for i = 1, 3 do
    local f = io.open("${dir}/lock-" .. i, "w")
    if f then f:close() end
    print("opened", f ~= nil)
  end
  -- The script's own stdout is no file of the machine's: it opens, as /dev/null does.
  local f = io.open("/dev/stdout", "a")
  print("stdout", f ~= nil)
end
`,
    );
    const { code, stdout, stderr } = await runCli(["-t4", "-c4", "-d200ms", "-s", script, server.url]);
    assertEquals(code, 0, stderr);
    assert(parseReport(stdout).requests > 0, stdout);
    assert(stdout.endsWith("opened\tfalse\n".repeat(3) + "stdout\ttrue\n"), stdout);
    // One line for the run, however many refusals in however many states (four threads' init(), then done()): a
    // script that opens a log per response would flood stderr. The threads' init() comes first.
    assertEquals(
      stderr,
      `wrk-deno: a script's io.open("${dir}/thread-log", "w") was refused: scripts write only under --write <dir>\n`,
    );
    assertEquals([...Deno.readDirSync(dir)].map((entry) => entry.name), ["guarded.lua"]);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a write Deno itself refuses names --allow-write, a read it refuses --allow-read", {
  // This test file runs with --allow-write=/tmp: the working directory is outside it, so Deno refuses there.
  ignore: Deno.permissions.querySync({ name: "write", path: Deno.cwd() }).state === "granted",
}, async () => {
  const path = `${Deno.cwd()}/wrk-deno-not-capable.txt`;
  const { printed } = await lua(
    `
    print(io.open(path, "w"))
    print(os.remove(path))`,
    { globals: { path }, writePaths: [Deno.cwd()] },
  );
  assertEquals(
    printed,
    `nil\t${path}: Permission denied (run with --allow-write)\t13\n` +
      `nil\t${path}: Permission denied (run with --allow-write)\t13\n`,
  );
  assertEquals(await Deno.stat(path).catch(() => null), null);
});
