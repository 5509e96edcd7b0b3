/**
 * `--http2` before the run: the server must speak HTTP/2, or the run would be a report of connect and read
 * errors. Over TLS the preflight handshake offers `h2` by ALPN and must get it; over plain TCP (h2c with prior
 * knowledge, RFC 9113 §3.3) one connection sends the preface and must get a SETTINGS frame back. Either failure
 * is one line that says to leave out `--http2`.
 *
 * @module
 */
import { RunError } from "../run_error.ts";
import type { SocketAddress } from "../net/socket.ts";
import { CLIENT_PREFACE, Flag, FrameType, FrameWriter } from "../net/http2/frames.ts";

/**
 * Throws a {@linkcode RunError} unless the TLS handshake agreed `h2` (`alpnProtocol`, as the socket has it).
 *
 * @example
 * ```ts
 * import { assertThrows } from "@std/assert";
 * import { checkAlpnH2 } from "./http2_check.ts";
 *
 * checkAlpnH2("h2", "example.com:443");
 * assertThrows(() => checkAlpnH2("http/1.1", "example.com:443"), Error, "does not offer HTTP/2");
 * ```
 */
export function checkAlpnH2(alpnProtocol: string | null | undefined, hostAndService: string): void {
  if (alpnProtocol === "h2") return;
  const agreed = alpnProtocol ? `it agreed ${alpnProtocol}` : "it agreed no protocol";
  throw new RunError(`${hostAndService} does not offer HTTP/2 by ALPN (${agreed}): leave out --http2`);
}

/**
 * Sends the HTTP/2 preface over a new plain connection to `address` and waits (at most `timeoutMs`) for the
 * server's SETTINGS; throws a {@linkcode RunError} naming what came back instead.
 */
export async function checkH2c(
  address: SocketAddress,
  hostAndService: string,
  timeoutMs: number,
  abort?: AbortSignal,
): Promise<void> {
  const fail = (what: string) =>
    new RunError(
      `${hostAndService} does not speak HTTP/2 with prior knowledge (h2c): ${what}; leave out --http2, or use https`,
    );
  let conn: Deno.TcpConn;
  try {
    conn = await Deno.connect({ hostname: address.address, port: address.port });
  } catch (error) {
    throw fail(`connect failed (${error instanceof Error ? error.message : String(error)})`);
  }
  const timer = setTimeout(() => conn.close(), timeoutMs);
  // A caller's abort ends the check as its bound does (the caller says why).
  const onAbort = () => conn.close();
  abort?.addEventListener("abort", onAbort, { once: true });
  try {
    const writer = new FrameWriter();
    writer.payload(CLIENT_PREFACE);
    writer.settings([]);
    await conn.write(writer.bytes());
    const buffer = new Uint8Array(9);
    let have = 0;
    while (have < buffer.length) {
      const n = await conn.read(buffer.subarray(have)).catch(() => null);
      if (n === null) break;
      have += n;
    }
    // Its own SETTINGS come first (RFC 9113 §3.4), not an ACK of ours: a server that never sends them leaves
    // the run to guess its limits.
    if (have >= 5 && buffer[3] === FrameType.SETTINGS && (buffer[4] & Flag.ACK) === 0) return;
    const text = new TextDecoder().decode(buffer.subarray(0, have));
    if (text.startsWith("HTTP/1")) throw fail(`it answered ${text.slice(0, 8)}`);
    throw fail(
      have === 0
        ? "it closed the connection or sent nothing"
        : buffer[3] === FrameType.SETTINGS
        ? "it acknowledged our SETTINGS but sent none of its own first"
        : "it sent no SETTINGS frame",
    );
  } finally {
    clearTimeout(timer);
    abort?.removeEventListener("abort", onAbort);
    try {
      conn.close();
    } catch { /* closed by the timer or the abort */ }
  }
}
