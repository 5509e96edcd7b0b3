/** ScriptError and the one-line messages it carries. */

import { assertEquals } from "@std/assert";
import { formatLuaError, ScriptError } from "../../lib/script/script_error.ts";

Deno.test("formatLuaError() puts the hook after Lua's position", () => {
  assertEquals(
    formatLuaError("script.lua", "script.lua:12: attempt to index a nil value", "response"),
    "script.lua:12: in response(): attempt to index a nil value",
  );
  assertEquals(formatLuaError("s.lua", "s.lua:3: boom", null), "s.lua:3: boom");
  assertEquals(formatLuaError("s.lua", "no position", "init"), "s.lua: in init(): no position");
  assertEquals(
    formatLuaError("s.lua", '[string "x = ="]:1: unexpected symbol', "setup"),
    '[string "x = ="]:1: in setup(): unexpected symbol',
  );
});

Deno.test("ScriptError keeps only the Lua message as its stack", () => {
  const error = new ScriptError("script.lua:1: boom", { hook: "done", exitCode: 2 });
  assertEquals(error.name, "ScriptError");
  assertEquals(error.stack, "ScriptError: script.lua:1: boom");
  assertEquals(error.hook, "done");
  assertEquals(error.exitCode, 2);
  assertEquals(new ScriptError("x").hook, null);
});
