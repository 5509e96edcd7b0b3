/**
 * fengari's `luaopen_io` (liolib.js, run by `luaL_openlibs`) reads `process.stdin`, `process.stdout` and
 * `process.stderr` for its three standard files (of `fengariProcess`, what the vendored fengari reads as Node's
 * `process`: third_party/fengari/, docs/dependencies.md#fengari-vendored). In a fresh isolate (a thread's worker) the first read of one
 * of Node's standard streams sets up Node's stream machinery: several milliseconds of every scripted run's
 * start-up (docs/benchmarks.md#start-up-of-a-scripted-run-2026-12-06), for files that the compatibility layer
 * replaces at once (`io.stdin`, `io.stdout`, `io.stderr` and every `io` function: lua/compat.lua). fengari's
 * file objects stay reachable only through `debug.getregistry()` (`_IO_input`, `_IO_output`).
 *
 * So while `luaL_openlibs` runs, each of the three reads gives a stand-in that reads the real stream the first
 * time one of its properties is read (liolib.js reads `fd` to write and `toString` to print a file), and
 * forwards to it from then on; the process's own properties are put back right after.
 * `tests/script/fengari/deferred_std_streams_test.ts` checks that fengari's files still print and write as
 * before.
 *
 * @module
 */

import { fengariProcess as process } from "../../../third_party/fengari/fengari.js";

const STREAMS = ["stdin", "stdout", "stderr"] as const;

/** Runs `open` (a state's `luaL_openlibs`) with stand-ins for the process's standard streams. */
export function withDeferredStdStreams<T>(open: () => T): T {
  const saved = STREAMS.map((name) => [name, Object.getOwnPropertyDescriptor(process, name)] as const);
  if (saved.some(([, descriptor]) => descriptor === undefined || descriptor.configurable !== true)) {
    return open();
  }
  for (const [name, descriptor] of saved) {
    const stream = standIn(() => readDescriptor(descriptor!));
    Object.defineProperty(process, name, { get: () => stream, configurable: true, enumerable: true });
  }
  try {
    return open();
  } finally {
    for (const [name, descriptor] of saved) Object.defineProperty(process, name, descriptor!);
  }
}

function readDescriptor(descriptor: PropertyDescriptor): object {
  return (descriptor.get === undefined ? descriptor.value : descriptor.get.call(process)) as object;
}

/**
 * An object whose properties are the real stream's, read when the first one is. Reads only: liolib.js reads
 * `fd` and calls `toString`, and writes nothing to the streams; a write would land on the stand-in.
 */
function standIn(read: () => object): object {
  let real: object | null = null;
  const target = () => real ??= read();
  return new Proxy({}, {
    get: (_, key) => Reflect.get(target(), key),
    has: (_, key) => Reflect.has(target(), key),
  });
}
