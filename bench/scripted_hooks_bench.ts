/**
 * The per-request Lua path of the scripted case, without sockets or a server: `bench/scripted.lua` (or the
 * script given) loaded as a thread state, then `requestSource.nextRequest()` and `responseSink.onResponse()`
 * called in turn, as the connection loop calls them for each request, with nginx's response to
 * `return 200 "hello"` (five headers, a 5-byte body). Prints the user CPU time of this process per pair,
 * one figure per round, and the median.
 *
 * ```sh
 * deno run -A --v8-flags=--max-semi-space-size=4 bench/scripted_hooks_bench.ts [rounds] [pairs per round]
 * # bytes allocated per pair: a young generation large enough that no GC runs during a round
 * deno run -A --v8-flags=--min-semi-space-size=128,--max-semi-space-size=128 bench/scripted_hooks_bench.ts --alloc
 * # a profile of the loop
 * deno run -A --cpu-prof --cpu-prof-dir=/tmp/prof --v8-flags=--max-semi-space-size=4 bench/scripted_hooks_bench.ts
 * ```
 *
 * `SCRIPT=<path>` measures another script. Figures go to docs/benchmarks.md by hand.
 *
 * @module
 */

import process from "node:process";
import { loadThreadScript } from "../lib/script/thread_script.ts";
import { benchResponse } from "./response_sink_bench.ts";

const args = Deno.args.filter((arg) => !arg.startsWith("--"));
const alloc = Deno.args.includes("--alloc");
const rounds = Number(args[0] ?? 7);
const pairs = Number(args[1] ?? 20_000);
const scriptPath = Deno.env.get("SCRIPT") ?? new URL("./scripted.lua", import.meta.url).pathname;

const script = await loadThreadScript({
  path: scriptPath,
  source: Deno.readFileSync(scriptPath),
  target: {
    url: "http://127.0.0.1:18080/",
    scheme: "http",
    host: "127.0.0.1",
    port: 18080,
    portText: "18080",
    path: "/",
    hostHeader: "127.0.0.1:18080",
    service: "18080",
  },
  headers: [],
  args: [],
  write: () => {},
  onStop: () => {},
});
await script.init();
const source = script.requestSource;
const sink = script.responseSink;
const response = benchResponse(200, [
  ["Server", "nginx/1.22.1"],
  ["Date", "Sun, 06 Dec 2026 15:14:51 GMT"],
  ["Content-Type", "text/plain"],
  ["Content-Length", "5"],
  ["Connection", "keep-alive"],
], "hello");

let sent = 0;
function run(n: number): void {
  for (let i = 0; i < n; i++) {
    sent += source.nextRequest().length;
    sink?.onResponse(response);
  }
}

run(20_000); // warm-up: the JIT and the caches, as a run's first requests do

if (alloc) {
  const results: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const before = Deno.memoryUsage().heapUsed;
    run(pairs);
    const after = Deno.memoryUsage().heapUsed;
    results.push((after - before) / pairs);
  }
  console.log(`bytes/pair: ${results.map((b) => b.toFixed(0)).join(" ")} (negative: a GC ran in the round)`);
} else {
  const results: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const before = process.cpuUsage();
    run(pairs);
    const used = process.cpuUsage(before);
    results.push(used.user / pairs);
  }
  const sorted = [...results].sort((a, b) => a - b);
  console.log(
    `user µs/pair: median ${sorted[sorted.length >> 1].toFixed(3)} min ${sorted[0].toFixed(3)} (${
      results.map((us) => us.toFixed(2)).join(" ")
    })`,
  );
}
if (sent === 0) throw new Error("nothing sent");
script.close();
