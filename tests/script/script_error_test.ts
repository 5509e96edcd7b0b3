/** ScriptError and the one-line messages it carries. */

import assert from "node:assert/strict";
import { formatLuaError, ScriptError } from "../../lib/script/script_error.ts";

Deno.test("formatLuaError() puts the hook after Lua's position", () => {
  assert.equal(
    formatLuaError("script.lua", "script.lua:12: attempt to index a nil value", "response"),
    "script.lua:12: in response(): attempt to index a nil value",
  );
  assert.equal(formatLuaError("s.lua", "s.lua:3: boom", null), "s.lua:3: boom");
  assert.equal(formatLuaError("s.lua", "no position", "init"), "s.lua: in init(): no position");
  assert.equal(
    formatLuaError("s.lua", '[string "x = ="]:1: unexpected symbol', "setup"),
    '[string "x = ="]:1: in setup(): unexpected symbol',
  );
});

Deno.test("ScriptError keeps only the Lua message as its stack", () => {
  const error = new ScriptError("script.lua:1: boom", { hook: "done", exitCode: 2 });
  assert.equal(error.name, "ScriptError");
  assert.equal(error.stack, "ScriptError: script.lua:1: boom");
  assert.equal(error.hook, "done");
  assert.equal(error.exitCode, 2);
  assert.equal(new ScriptError("x").hook, null);
});
