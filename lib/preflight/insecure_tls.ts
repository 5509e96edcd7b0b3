/**
 * `-k` on Deno's own TLS: the pre-flight fetches the certificates the server presents (once, unverified, over
 * node:tls) and tries one handshake with Deno's TLS trusting exactly those, without a name check. When it passes,
 * the threads do the same, at the cost of verified HTTPS and without node:tls; when it cannot (an expired
 * certificate, a leaf whose issuer the server does not send, a self-signed leaf marked as a CA: rustls refuses
 * them whatever it trusts), the threads skip verification over node:tls, slower but accepting anything, as
 * wrk's `-k` does (docs/benchmarks.md, "-k on Deno's TLS").
 *
 * Why not Deno's `--unsafely-ignore-certificate-errors`: it is a process flag (a compiled binary cannot take it
 * at run time, re-executing needs `--allow-run`, which scripts must not have), and Deno prints a warning for it
 * on every run, `-q` or not.
 *
 * @module
 */
import type { Socket, SocketAddress, TlsSettings } from "../net/socket.ts";
import { createTransport, denoTlsRefusal, usesDenoTls } from "../net/transport.ts";
import { loadModule } from "../lazy_modules.ts";

/** The pre-flight's `-k` handshake: its socket (to read ALPN from) and what the threads should trust. */
export interface InsecureHandshake {
  socket: Socket;
  /** The server's certificates, when Deno's TLS accepted them pinned; null: the threads use node:tls. */
  pinnedCerts: string[] | null;
  /** Why Deno's TLS did not accept them (rustls's words), when it did not. */
  refusal: string | null;
}

/**
 * One `-k` handshake with `address`, first on Deno's TLS with the server's own certificates pinned, else over
 * node:tls. Rejects only when no TLS handshake succeeds at all (the caller says why).
 *
 * @example Against a server whose certificate nobody trusts
 * ```ts ignore
 * import { insecureHandshake } from "./insecure_tls.ts";
 *
 * const address = { address: "127.0.0.1", port: 8443, family: 4 as const };
 * const { socket, pinnedCerts } = await insecureHandshake(address, { serverName: "localhost", insecure: true }, AbortSignal.timeout(5000));
 * socket.close();
 * console.log(pinnedCerts === null ? "node:tls" : "Deno's TLS");
 * ```
 */
export async function insecureHandshake(
  address: SocketAddress,
  tls: TlsSettings,
  signal: AbortSignal,
): Promise<InsecureHandshake> {
  const { presentedCertificates } = await loadModule<typeof import("../net/_presented_certs.ts")>(
    "net/_presented_certs.ts",
  );
  const presented = await presentedCertificates(address, tls, signal);
  const transport = createTransport(address, { ...tls, insecure: true, pinnedCerts: presented });
  // A refused certificate falls back to node:tls inside the transport, which then says so.
  const socket = await transport.connect(signal);
  const onDenoTls = usesDenoTls(transport);
  return { socket, pinnedCerts: onDenoTls ? presented : null, refusal: denoTlsRefusal(transport) };
}
