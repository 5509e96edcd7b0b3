/**
 * Name resolution and the up-front connect test wrk does before starting (docs/wrk-compat.md#resolving-and-the-test-connect): getaddrinfo semantics
 * (hosts file, IP literals) through `node:dns`, never `Deno.resolveDns` (a stub resolver: docs/wrk-compat.md#name-resolution).
 */
import type { SocketAddress } from "./socket.ts";

/** A dotted-quad IPv4 address as node:net's `isIPv4` accepts it (no leading zeros, each part 0–255). */
const IPV4_LITERAL = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)$/;

/** All addresses of `host` (any family, in getaddrinfo's order) at `port`. Rejects with the resolver's reason. */
export async function resolveAddresses(host: string, port: number): Promise<SocketAddress[]> {
  // An IPv4 literal is its own answer, as in node:dns's lookup(), which returns it before asking getaddrinfo: a
  // benchmark of 127.0.0.1 then spends no start-up CPU on node:dns (docs/benchmarks.md#start-up-cost).
  if (IPV4_LITERAL.test(host)) return [{ address: host, port, family: 4 }];
  // Loaded on first use: every thread loads this module (through the pre-flight) and resolves nothing, and a
  // node: module costs each thread that loads it memory (docs/benchmarks.md#memory-per-thread).
  const { lookup } = await import("node:dns/promises");
  const found = await lookup(host, { all: true });
  return found.map(({ address, family }) => ({ address, port, family: family === 6 ? 6 : 4 }));
}

/**
 * A wait's signals: `bound`, aborted after `timeoutMs` (its own, so the caller can tell a timeout from the
 * caller's abort), and `signal`, aborted by either.
 */
export function boundedSignal(
  timeoutMs: number,
  abort: AbortSignal | undefined,
): { bound: AbortSignal; signal: AbortSignal } {
  const bound = AbortSignal.timeout(timeoutMs);
  return { bound, signal: abort === undefined ? bound : AbortSignal.any([bound, abort]) };
}

/** Opens and closes one TCP connection; resolves to the failure's reason, or null when it connected. */
export async function testConnect(
  address: SocketAddress,
  timeoutMs: number,
  abort?: AbortSignal,
): Promise<string | null> {
  const { bound, signal } = boundedSignal(timeoutMs, abort);
  try {
    const conn = await Deno.connect({ hostname: address.address, port: address.port, signal });
    conn.close();
    return null;
  } catch (error) {
    if (bound.aborted) return `Connection timed out after ${timeoutMs}ms`;
    return describeOsError(error);
  }
}

/**
 * A short reason for a socket or file error, like strerror's: "Connection refused", "No such file or
 * directory", not a JS stack. Deno appends "(os error 111)" or "(os error 2): readfile 'x'"; the errno and the
 * path add nothing (callers name what failed).
 */
export function describeOsError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.message.replace(/\s*\(os error \d+\).*$/s, "").split("\n")[0];
}
