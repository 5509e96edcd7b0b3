/** Shared fixtures for the script-layer tests: targets, output capture, fake responses and thread handles. */

import type { Target } from "../../lib/config/config.ts";
import type { RunResult } from "../../lib/run_result.ts";
import { Stats } from "../../lib/stats/stats.ts";
import {
  loadThreadScript,
  type ThreadScript,
  type ThreadScriptOptions,
} from "../../lib/script/thread_script.ts";
import { loadMainScript, type MainScript } from "../../lib/script/main_script.ts";
import type { Addr, ThreadHandle } from "../../lib/script/thread_handle.ts";
import type { TransferValue } from "../../lib/script/transfer.ts";

export { responseView } from "../helpers/response_view.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A Target as the config layer would build it from `url`. */
export function targetOf(url: string): Target {
  const parsed = new URL(url);
  const scheme = parsed.protocol === "https:" ? "https" : "http";
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  const portText = parsed.port === "" ? null : parsed.port;
  const port = portText === null ? (scheme === "https" ? 443 : 80) : Number(portText);
  const bracketed = host.includes(":") ? `[${host}]` : host;
  return {
    url,
    scheme,
    host,
    port,
    portText,
    path: `${parsed.pathname}${parsed.search}` || "/",
    hostHeader: portText === null ? bracketed : `${bracketed}:${portText}`,
    service: portText ?? scheme,
  };
}

/** Collects what a state prints. */
export class Output {
  #chunks: Uint8Array[] = [];
  /** Pass as the `write` option. */
  readonly write = (bytes: Uint8Array): void => {
    this.#chunks.push(bytes.slice());
  };
  /** Everything written so far, as text. */
  get text(): string {
    return this.#chunks.map((chunk) => decoder.decode(chunk)).join("");
  }
}

/** Reads a fixture script's bytes. */
export function fixture(name: string): Uint8Array {
  return Deno.readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
}

/** Bytes as text (requests are ASCII here). */
export function text(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Options for {@linkcode threadScript}. */
export interface TestThreadOptions extends Partial<ThreadScriptOptions> {
  url?: string;
}

/** Loads a thread script from Lua source text (or bytes) with test defaults. */
export async function threadScript(
  source: string | Uint8Array,
  options: TestThreadOptions = {},
): Promise<{ script: ThreadScript; output: Output; stops: () => number }> {
  const output = new Output();
  let stops = 0;
  const script = await loadThreadScript({
    path: "script.lua",
    source: typeof source === "string" ? encoder.encode(source) : source,
    target: targetOf(options.url ?? "http://127.0.0.1:8080/"),
    headers: [],
    args: [],
    write: output.write,
    onStop: () => stops++,
    ...options,
  });
  return { script, output, stops: () => stops };
}

/** Loads a main script from Lua source text (or bytes) with test defaults. */
export async function mainScript(
  source: string | Uint8Array,
  options: { url?: string; headers?: [string, string][]; path?: string } = {},
): Promise<{ script: MainScript; output: Output }> {
  const output = new Output();
  const script = await loadMainScript({
    path: options.path ?? "script.lua",
    source: typeof source === "string" ? encoder.encode(source) : source,
    target: targetOf(options.url ?? "http://127.0.0.1:8080/"),
    headers: options.headers ?? [],
    write: output.write,
  });
  return { script, output };
}

/** A ThreadHandle over a real ThreadScript in the same process (what the orchestrator does over messages). */
export class LocalThreadHandle implements ThreadHandle {
  addr: Addr = { address: "127.0.0.1", port: 8080, family: 4 };
  stopped = 0;
  constructor(readonly index: number, readonly script: ThreadScript) {}
  get(name: string): Promise<TransferValue> {
    return Promise.resolve().then(() => this.script.getGlobal(name));
  }
  getNow(name: string): TransferValue {
    return this.script.getGlobal(name);
  }
  set(name: string, value: TransferValue): void {
    this.script.setGlobal(name, value);
  }
  stop(): void {
    this.stopped++;
  }
}

/** A ThreadHandle that records calls and serves globals from a map. */
export class FakeThreadHandle implements ThreadHandle {
  addr: Addr = { address: "127.0.0.1", port: 8080, family: 4 };
  readonly globals = new Map<string, TransferValue>();
  readonly sets: [string, TransferValue][] = [];
  stopped = 0;
  constructor(readonly index = 0) {}
  /** Names asked for by `getNow` (where Lua cannot wait), in order. */
  readonly nowGets: string[] = [];
  get(name: string): Promise<TransferValue> {
    return new Promise((resolve) => setTimeout(() => resolve(this.globals.get(name) ?? null), 1));
  }
  getNow(name: string): TransferValue {
    this.nowGets.push(name);
    return this.globals.get(name) ?? null;
  }
  set(name: string, value: TransferValue): void {
    this.sets.push([name, value]);
    this.globals.set(name, value);
  }
  stop(): void {
    this.stopped++;
  }
}

/** A RunResult with large figures (beyond fengari's 32-bit integers) around the given stats. */
export function runResultOf(latency: Stats = new Stats(), requestRate: Stats = new Stats()): RunResult {
  return {
    url: "http://127.0.0.1:8080/",
    threads: 2,
    connections: 10,
    durationMs: 10_000,
    runtimeUs: 10_050_123,
    requests: 3_000_000_000,
    bytesRead: 6_000_000_000,
    errors: { connect: 1, read: 2, write: 3, status: 4, timeout: 5 },
    errorReasons: [],
    statusCodes: {},
    startedAt: "2026-12-04T12:00:00.000Z",
    latency,
    requestRate,
    uncorrectedLatency: null,
    rate: null,
    unfinishedThreads: [],
  };
}

/**
 * wrk 4.1's `wrk.format`, in Lua as wrk.lua defines it, as a local function `lua_format`: tests compare our
 * `wrk.format` with it on the same tables in the same state.
 */
export const WRK_LUA_FORMAT = `local function lua_format(method, path, headers, body)
      local method  = method  or wrk.method
      local path    = path    or wrk.path
      local headers = headers or wrk.headers
      local body    = body    or wrk.body
      local s       = {}
      if not headers["Host"] then
        headers["Host"] = wrk.headers["Host"]
      end
      headers["Content-Length"] = body and string.len(body)
      s[1] = string.format("%s %s HTTP/1.1", method, path)
      for name, value in pairs(headers) do
        s[#s+1] = string.format("%s: %s", name, value)
      end
      s[#s+1] = ""
      s[#s+1] = body or ""
      return table.concat(s, "\\r\\n")
    end`;
