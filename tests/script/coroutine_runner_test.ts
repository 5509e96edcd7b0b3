import { assert, assertEquals, assertMatch, assertRejects } from "@std/assert";
import { CoroutineRunner } from "../../lib/script/_coroutine_runner.ts";
import { ScriptError } from "../../lib/script/script_error.ts";
import { FakeThreadHandle, mainScript, runResultOf } from "./_helpers.ts";

/** Runs `body` with a short bound on Lua running time, restoring the default afterwards. */
async function withBound(ms: number, body: () => Promise<void>): Promise<void> {
  const saved = CoroutineRunner.boundMs;
  CoroutineRunner.boundMs = ms;
  try {
    await body();
  } finally {
    CoroutineRunner.boundMs = saved;
  }
}

Deno.test("CoroutineRunner stops a setup() or done() that loops forever with a one-line error", async () => {
  await withBound(200, async () => {
    const { script } = await mainScript(`
      function setup(thread) while true do end end
      function done() local x = 0 while true do x = x + 1 end end`);
    try {
      const error = await assertRejects(() => script.setup(new FakeThreadHandle(0)), ScriptError);
      assertMatch(error.message, /^script\.lua: in setup\(\): did not finish within 0\.2s/);
      const started = performance.now();
      await assertRejects(
        () => script.done(runResultOf()),
        ScriptError,
        "in done(): did not finish within 0.2s",
      );
      assert(performance.now() - started < 2000);
    } finally {
      script.close();
    }
  });
});

Deno.test("CoroutineRunner says once when a call runs long, and lets it finish", async () => {
  const saved = { noticeMs: CoroutineRunner.noticeMs, notify: CoroutineRunner.notify };
  const lines: string[] = [];
  CoroutineRunner.noticeMs = 100;
  CoroutineRunner.notify = (line) => lines.push(line);
  try {
    // 300 ms of Lua in done(): past the notice, well within the bound.
    const { script, output } = await mainScript(`
      function done()
        local t = wrk.time_us()
        while wrk.time_us() - t < 300000 do end
        io.write("done finished\\n")
      end`);
    try {
      await script.done(runResultOf());
      assertEquals(lines, [
        "script.lua: done() is still running after 0.1s of Lua (a loop that never ends? Ctrl-C stops it; " +
        "it is stopped after 10m)\n",
      ]);
      assertEquals(output.text, "done finished\n");
    } finally {
      script.close();
    }
  } finally {
    CoroutineRunner.noticeMs = saved.noticeMs;
    CoroutineRunner.notify = saved.notify;
  }
});

Deno.test("CoroutineRunner bounds the script's top level too", async () => {
  await withBound(200, async () => {
    await assertRejects(
      () => mainScript("while true do end"),
      ScriptError,
      "the script's top level did not finish within 0.2s",
    );
  });
});

Deno.test("CoroutineRunner does not count time spent waiting for async calls against the bound", async () => {
  await withBound(300, async () => {
    const thread = new FakeThreadHandle(0);
    const { script, output } = await mainScript(`
      function setup(thread)
        for i = 1, 5 do thread:get("x") end
        io.write("setup done")
      end`);
    const slowGet = thread.get.bind(thread);
    thread.get = (name: string) => new Promise((resolve) => setTimeout(() => resolve(slowGet(name)), 100));
    try {
      await script.setup(thread);
      assertEquals(output.text, "setup done");
    } finally {
      script.close();
    }
  });
});
