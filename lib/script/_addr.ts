/**
 * The addr userdata and `wrk.lookup` / `wrk.connect` (docs/wrk-compat.md#address-lookup-and-connect), which wait on DNS and sockets through the
 * coroutine runner.
 *
 * @module
 */

import { jsText, lauxlib, lua, type LuaJsFunction, type LuaState } from "./fengari/_lua.ts";
import type { CoroutineRunner } from "./_coroutine_runner.ts";
import { type Addr, addrText } from "./thread_handle.ts";

/** Metatable name of addr userdata. */
export const ADDR_TYPE = "wrk.addr";
/** How long `wrk.connect` waits for a connection before answering false. */
export const CONNECT_TIMEOUT_MS = 2000;

/** Creates the addr metatable in this state (once per state). */
export function installAddrType(L: LuaState): void {
  lauxlib.luaL_newmetatable(L, ADDR_TYPE);
  lua.lua_pushjsfunction(L, (L1) => {
    lua.lua_pushstring(L1, addrText(checkAddr(L1, 1)));
    return 1;
  });
  lua.lua_setfield(L, -2, "__tostring");
  lua.lua_pushjsfunction(L, (L1) => {
    const a = lauxlib.luaL_testudata(L1, 1, ADDR_TYPE)?.addr as Addr | undefined;
    const b = lauxlib.luaL_testudata(L1, 2, ADDR_TYPE)?.addr as Addr | undefined;
    lua.lua_pushboolean(
      L1,
      a !== undefined && b !== undefined && a.address === b.address && a.port === b.port,
    );
    return 1;
  });
  lua.lua_setfield(L, -2, "__eq");
  lua.lua_pop(L, 1);
}

/** Pushes a new addr userdata holding a copy of `addr`. */
export function pushAddr(L: LuaState, addr: Addr): void {
  const box = lua.lua_newuserdata(L, 0);
  box.addr = { address: addr.address, port: addr.port, family: addr.family };
  lauxlib.luaL_setmetatable(L, ADDR_TYPE);
}

/** The address in the addr userdata at `arg`, or a Lua argument error. */
export function checkAddr(L: LuaState, arg: number): Addr {
  return lauxlib.luaL_checkudata(L, arg, ADDR_TYPE).addr as Addr;
}

/** `wrk.lookup(host, service)`: an array of addr userdata, or the error `unable to resolve host:service …`. */
export function makeLookup(runner: CoroutineRunner): LuaJsFunction {
  return (L: LuaState): number => {
    const host = jsText(lauxlib.luaL_checklstring(L, 1));
    const service = lua.lua_isnoneornil(L, 2) ? null : jsText(lauxlib.luaL_checklstring(L, 2));
    return runner.wait(L, "wrk.lookup()", resolve(host, service), (co, addrs) => {
      lua.lua_createtable(co, addrs.length, 0);
      addrs.forEach((addr, i) => {
        pushAddr(co, addr);
        lua.lua_rawseti(co, -2, i + 1);
      });
      return 1;
    });
  };
}

/** `wrk.connect(addr)`: can a TCP connection be opened? (closed again at once) */
export function makeConnect(runner: CoroutineRunner): LuaJsFunction {
  return (L: LuaState): number => {
    const addr = checkAddr(L, 1);
    return runner.wait(L, "wrk.connect()", canConnect(addr, CONNECT_TIMEOUT_MS), (co, ok) => {
      lua.lua_pushboolean(co, ok);
      return 1;
    });
  };
}

/** getaddrinfo's reasons (glibc's gai_strerror text), so messages read as wrk's. */
const DNS_REASONS: Record<string, string> = {
  ENOTFOUND: "Name or service not known",
  EAI_NONAME: "Name or service not known",
  EAI_AGAIN: "Temporary failure in name resolution",
  EAI_FAIL: "Non-recoverable failure in name resolution",
  ENODATA: "No address associated with hostname",
  EAI_NODATA: "No address associated with hostname",
};

/**
 * Resolves like getaddrinfo with stream sockets: hosts file and IP literals included (`node:dns`, never
 * `Deno.resolveDns`: docs/wrk-compat.md#name-resolution). `service` is "http", "https", a port number, or null for port 0.
 */
export async function resolve(host: string, service: string | null): Promise<Addr[]> {
  const port = servicePort(service);
  const fail = (reason: string) => new Error(`unable to resolve ${host}:${service ?? ""} ${reason}`);
  if (port === null) throw fail("Servname not supported for ai_socktype");
  let found: { address: string; family: number }[];
  try {
    // Loaded when a script first calls wrk.lookup(): node:dns costs every thread memory (docs/benchmarks.md).
    const { lookup } = await import("node:dns/promises");
    found = await lookup(host, { all: true });
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    throw fail(DNS_REASONS[code] ?? (error instanceof Error ? error.message : String(error)));
  }
  const seen = new Set<string>();
  const addrs: Addr[] = [];
  for (const { address, family } of found) {
    if (seen.has(address)) continue;
    seen.add(address);
    addrs.push({ address, port, family: family === 6 ? 6 : 4 });
  }
  return addrs;
}

function servicePort(service: string | null): number | null {
  if (service === null) return 0;
  if (service === "http") return 80;
  if (service === "https") return 443;
  if (/^\d+$/.test(service) && Number(service) <= 65535) return Number(service);
  return null;
}

/** Opens and closes one TCP connection within `timeoutMs`. */
export async function canConnect(addr: Addr, timeoutMs: number): Promise<boolean> {
  try {
    const conn = await Deno.connect({
      hostname: addr.address,
      port: addr.port,
      signal: AbortSignal.timeout(timeoutMs),
    });
    conn.close();
    return true;
  } catch {
    return false;
  }
}
