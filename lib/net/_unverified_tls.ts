/**
 * A TLS connection over node:tls that does not verify the server's certificate (`-k`), shared by the node:tls
 * transport (`_insecure_tls.ts`) and the one-time fetch of the server's certificates (`_presented_certs.ts`).
 *
 * @module
 */
import { isIP } from "node:net";
import { connect as tlsConnect, type TLSSocket } from "node:tls";
import type { SocketAddress, TlsSettings } from "./socket.ts";

/** Resolves to the socket once its handshake is done; rejects on failure or abort. */
export function connectUnverified(
  address: SocketAddress,
  tls: TlsSettings,
  signal: AbortSignal,
): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      host: address.address,
      port: address.port,
      // SNI must be a name, never an IP literal (RFC 6066 §3).
      servername: isIP(tls.serverName) === 0 ? tls.serverName : undefined,
      rejectUnauthorized: false,
      ALPNProtocols: tls.alpnProtocols,
    });
    const onAbort = () => {
      socket.destroy();
      reject(new Error("connect aborted"));
    };
    signal.addEventListener("abort", onAbort, { once: true });
    socket.once("secureConnect", () => {
      signal.removeEventListener("abort", onAbort);
      resolve(socket);
    });
    socket.once("error", (error) => {
      signal.removeEventListener("abort", onAbort);
      reject(error);
    });
  });
}
