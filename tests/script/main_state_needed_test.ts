/**
 * Which scripts need the main Lua state (`lib/script/_main_state_needed.ts`): a top level that only defines
 * things, without `setup`, `done` or `delay`, does not; anything that calls, computes, branches or could read
 * differently in the main state does. And a run (lib/run.ts) makes the main state only when it is needed.
 */

import { assert, assertEquals } from "@std/assert";
import { fixture, threadScript } from "./_helpers.ts";
import { mainStateNeeded, mainStateProbe } from "../../lib/script/_main_state_needed.ts";
import { loadChunk, newState } from "../../lib/script/_state.ts";
import { lua } from "../../lib/script/fengari/_lua.ts";
import { mainScriptProbe } from "../../lib/script/main_script.ts";
import { parseArgs, run } from "../../mod.ts";
import { startServer } from "../helpers/server.ts";

/** The answer of a thread state loaded from `source`, and whether the probe counted it. */
async function needs(source: string | Uint8Array): Promise<boolean> {
  const before = mainStateProbe.notNeeded;
  const { script } = await threadScript(source);
  const needed = script.mainStateNeeded;
  assertEquals(mainStateProbe.notNeeded - before, needed ? 0 : 1);
  script.close();
  return needed;
}

/** The answer for `source` compiled in a fresh state, without running it. */
function chunkNeeds(source: string): boolean {
  const { L, close } = newState({ write: () => {} });
  loadChunk(L, "x.lua", new TextEncoder().encode(source));
  const needed = mainStateNeeded(L, -1);
  close();
  return needed;
}

Deno.test("a top level that only defines hooks, locals and wrk fields does not need the main state", async () => {
  assertEquals(await needs(Deno.readFileSync(new URL("../../bench/scripted.lua", import.meta.url))), false);
  assertEquals(await needs(fixture("post.lua")), false); // wrk.method, wrk.body, wrk.headers[...]
  assertEquals(await needs(""), false);
  assertEquals(
    await needs(`
      local paths = { "/a", "/b", n = 2, [3] = "/c" }
      local format, thread = wrk.format, wrk.thread -- a value only moved: absent in the main state, harmless
      local w = wrk
      w.headers["X-Id"] = "1"
      kept = thread
      counter, ok = 0, true
      function request() return format(nil, paths[1]) end
      response = function(status) ok = status == 200 end
      function init(args) end
      return`),
    false,
  );
});

Deno.test("setup, done or delay, or a top level that could show or fail differently, need the main state", async () => {
  const cases = [
    "function setup(thread) end",
    "done = function() end",
    "function delay() return 1 end",
    "local f = function() end; setup = f",
    'print("loaded")', // a call
    'io.write("x")',
    "local n = wrk.port + 1", // an operator: it could meet a metamethod
    'local s = "a" .. "b"',
    "local x = wrk.port or 80", // a test and a jump
    "for i = 1, 3 do end", // a loop
    "_G.setup = function() end", // a store into a table not known to be plain
    "wrk.thread.x = 1", // indexes a value that differs between the states
    "local t = wrk.thread; t.x = 1",
    'wrk = {}; wrk.method = "POST"', // wrk replaced: no longer known to be plain
    'wrk.headers = {}; wrk.headers.x = "y"',
    'local k = "method"; wrk[k] = "POST"', // a key not known as a constant
    "_ENV = {}", // the environment replaced
    "local t = {...}", // the chunk's arguments
    "setmetatable(_G, {}); x = 1",
  ];
  for (const source of cases) assertEquals(chunkNeeds(source), true, source);
  // Through a thread state too (a top level that runs without error there).
  assertEquals(await needs("function setup(thread) end"), true);
  assertEquals(await needs('print("loaded")'), true);
});

Deno.test("globals with a metatable need the main state whatever the top level", () => {
  const { L, close } = newState({ write: () => {} });
  loadChunk(L, "x.lua", new TextEncoder().encode("x = 1"));
  assertEquals(mainStateNeeded(L, -1), false);
  lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, lua.LUA_RIDX_GLOBALS);
  lua.lua_createtable(L, 0, 0);
  lua.lua_setmetatable(L, -2);
  lua.lua_pop(L, 1);
  assertEquals(mainStateNeeded(L, -1), true);
  close();
});

/** A 300 ms run of `source` against a loopback server; returns how many main states it made and its requests. */
async function runScript(source: string): Promise<{ mainStates: number; requests: number }> {
  const server = startServer();
  const path = await Deno.makeTempFile({ prefix: "wrk-deno-main-state-", suffix: ".lua" });
  try {
    await Deno.writeTextFile(path, source);
    const before = mainScriptProbe.loads;
    const result = await run(parseArgs(["-t2", "-c2", "-d300ms", "-s", path, server.url]));
    return { mainStates: mainScriptProbe.loads - before, requests: result.requests };
  } finally {
    await server.close();
    await Deno.remove(path);
  }
}

Deno.test("a run makes the main state only for a script that needs it", async () => {
  const declarative = await runScript(`
    local counter = 0
    request = function()
      counter = counter + 1
      return wrk.format(nil, "/item/" .. counter)
    end`);
  assertEquals(declarative.mainStates, 0);
  assert(declarative.requests > 0);
  const withDone = await runScript(`done = function(summary) end`);
  assertEquals(withDone.mainStates, 1);
  assert(withDone.requests > 0);
});
