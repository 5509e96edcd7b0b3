/**
 * fengari's standard files made on stand-ins for Node's streams (lib/script/fengari/_deferred_std_streams.ts):
 * the process's own stream properties are back after a state opens its libraries, and fengari's files (left in
 * the registry under the shim's io) print, write and refuse to close as before.
 */

import { assertEquals } from "@std/assert";
import process from "node:process";
import { withDeferredStdStreams } from "../../../lib/script/fengari/_deferred_std_streams.ts";
import { threadScript } from "../_helpers.ts";

const NAMES = ["stdin", "stdout", "stderr"] as const;

Deno.test("the process's stream properties are its own again after a state opens its libraries", async () => {
  const before = NAMES.map((name) => Object.getOwnPropertyDescriptor(process, name));
  const { script } = await threadScript(`x = 1`);
  script.close();
  assertEquals(NAMES.map((name) => Object.getOwnPropertyDescriptor(process, name)), before);
  // Also when opening fails.
  try {
    withDeferredStdStreams(() => {
      throw new Error("open failed");
    });
  } catch {
    // expected
  }
  assertEquals(NAMES.map((name) => Object.getOwnPropertyDescriptor(process, name)), before);
});

Deno.test("fengari's standard files, reached through the registry, behave as on the real streams", async () => {
  const { script, output } = await threadScript(`
    local r = debug.getregistry()
    print(tostring(r._IO_input), tostring(r._IO_output), type(r._IO_input))
    print(r._IO_output:write("") == r._IO_output)
    print(pcall(r._IO_output.close, r._IO_output))
    print(io.type(r._IO_input), io.type(io.stdout))
  `);
  script.close();
  assertEquals(
    output.text,
    "file ([object Object])\tfile ([object Object])\tuserdata\n" +
      "true\n" +
      "true\tnil\tcannot close standard file\n" +
      "nil\tfile\n",
  );
});

Deno.test("a stand-in gives the real stream's properties", () => {
  let stdout: { fd?: unknown; write?: unknown } | null = null;
  withDeferredStdStreams(() => {
    stdout = process.stdout as unknown as { fd?: unknown; write?: unknown };
  });
  assertEquals(stdout!.fd, process.stdout.fd);
  assertEquals(stdout!.write, process.stdout.write);
  assertEquals(String(stdout), String(process.stdout));
});
