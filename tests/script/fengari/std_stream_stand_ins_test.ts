/**
 * fengari's standard files are made on stand-ins for Node's streams (the vendored fengari's `fengariProcess`,
 * scripts/vendor_fengari.ts): opening a state's libraries reads no stream (tests/script/fengari/
 * vendored_fengari_test.ts checks that in a fresh worker), and fengari's files (left in the registry under the
 * shim's io) print, write and refuse to close as on the real streams.
 */

import { assert, assertEquals, assertStrictEquals } from "@std/assert";
import process from "node:process";
import { fengariProcess } from "../../../third_party/fengari/fengari.js";
import { threadScript } from "../_helpers.ts";

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

Deno.test("a stream's stand-in gives the real stream's properties, its methods bound to the stream", () => {
  const stdout = fengariProcess.stdout as { fd?: unknown; write?: unknown; writable?: unknown };
  assertStrictEquals(fengariProcess.stdout, stdout, "one stand-in per stream");
  assertEquals(stdout.fd, process.stdout.fd);
  assertEquals(stdout.writable, process.stdout.writable);
  assertEquals(String(stdout), String(process.stdout));
  const write = stdout.write as (chunk: string) => boolean;
  assert(typeof write === "function");
  assertStrictEquals(stdout.write, write, "a method is bound once, the same function each time it is read");
  // A property set through the stand-in lands on the stream.
  const stream = process.stdout as unknown as Record<string, unknown>;
  (stdout as Record<string, unknown>).wrkDenoMarker = 1;
  assertEquals(stream.wrkDenoMarker, 1);
  delete stream.wrkDenoMarker;
  // Called detached, as a bound method it still writes to the real stream.
  assertEquals(typeof write(""), "boolean");
  assertEquals((fengariProcess.stderr as { fd?: unknown }).fd, process.stderr.fd);
  assertEquals((fengariProcess.stdin as { fd?: unknown }).fd, process.stdin.fd);
});
