/**
 * `deno bench -A bench/response_sink_bench.ts`: the cost of one `response(status, headers, body)` call through
 * `LuaResponseSink.onResponse` (lib/script/_response_sink.ts), without sockets or a server, so that a change to
 * the header table (such as its case-insensitive lookup) can be measured on its own: `deno task bench` is a
 * whole run against nginx and its noise is larger than such a change. Scripts range from one that reads
 * nothing to ones reading a header with the case received, with another case, and one that is absent; the
 * responses are nginx's usual headers, spelled as HTTP/1.1 servers send them and lower-cased as HTTP/2 does.
 * Figures go to docs/benchmarks.md by hand.
 *
 * `registerSinkBenches` is exported so that another implementation of the sink (a copy of an earlier version)
 * can be measured in the same process as this one, registered in either order.
 *
 * @module
 */

import { LuaResponseSink } from "../lib/script/_response_sink.ts";
import { loadChunk, newState } from "../lib/script/_state.ts";
import { lua, type LuaState, ref } from "../lib/script/fengari/_lua.ts";
import type { ResponseSink, ResponseView } from "../lib/net/request_source.ts";
import { responseView } from "../tests/helpers/response_view.ts";

/** A sink class as `LuaResponseSink`'s constructor takes its arguments. */
export type SinkClass = new (L: LuaState, responseRef: number, path: string) => ResponseSink;

const encoder = new TextEncoder();

/** A `ResponseView` over `headers` and `body`, laid out as the HTTP/1.1 parser leaves its buffers. */
export const benchResponse = responseView;

const NGINX_HEADERS: [string, string][] = [
  ["Server", "nginx/1.22.1"],
  ["Date", "Fri, 04 Dec 2026 12:00:00 GMT"],
  ["Content-Type", "text/plain"],
  ["Content-Length", "2"],
  ["Connection", "keep-alive"],
];
const HTTP1 = benchResponse(200, NGINX_HEADERS, "ok");
const HTTP2 = benchResponse(200, NGINX_HEADERS.map(([name, value]) => [name.toLowerCase(), value]), "ok");

/** The scripts measured: their `response()` body, and the response they get. */
const CASES: { name: string; body: string; response: ResponseView }[] = [
  { name: "reads nothing", body: "", response: HTTP1 },
  {
    name: 'reads headers["Content-Type"] (as received)',
    body: 'local v = h["Content-Type"]',
    response: HTTP1,
  },
  {
    name: 'reads headers["content-type"] (other case)',
    body: 'local v = h["content-type"]',
    response: HTTP1,
  },
  { name: 'reads headers["X-Missing"] (absent)', body: 'local v = h["X-Missing"]', response: HTTP1 },
  {
    name: 'HTTP/2 names, reads headers["Content-Type"]',
    body: 'local v = h["Content-Type"]',
    response: HTTP2,
  },
];

/** A sink of class `Sink` calling `function response(s, h, b) <body> end` in a fresh state. */
function sinkFor(Sink: SinkClass, body: string): ResponseSink {
  const { L } = newState({ write: () => {} });
  loadChunk(L, "bench.lua", encoder.encode(`function response(s, h, b) ${body} end`));
  if (lua.lua_pcall(L, 0, 0, 0) !== lua.LUA_OK) throw new Error("bench script failed");
  lua.lua_getglobal(L, "response");
  return new Sink(L, ref(L), "bench.lua");
}

/** Registers one bench per case for `Sink`, grouped by case, so implementations can be compared. */
export function registerSinkBenches(label: string, Sink: SinkClass, baseline = false): void {
  for (const { name, body, response } of CASES) {
    const sink = sinkFor(Sink, body);
    // Warm the caches and the JIT as a run's first responses do.
    for (let i = 0; i < 10_000; i++) sink.onResponse(response);
    Deno.bench({
      name: `${label}: ${name}`,
      group: name,
      baseline,
      n: 200_000,
      warmup: 50_000,
      fn: () => sink.onResponse(response),
    });
  }
}

// Imported (to compare another sink with this one), it registers nothing itself. Under `deno bench`,
// `import.meta.main` is false even for the file benched: the main module says which file that is.
if (Deno.mainModule === import.meta.url) registerSinkBenches("current", LuaResponseSink, true);
