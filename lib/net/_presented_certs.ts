/**
 * The certificates a TLS server presents, fetched once without verifying them (node:tls), for `-k`: the
 * pre-flight trusts exactly these for the run, so that the threads can use Deno's own TLS (as fast as verified
 * HTTPS) instead of node:tls (docs/benchmarks.md, "-k on Deno's TLS"). Loaded only for `-k`, on the main thread.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import type { DetailedPeerCertificate } from "node:tls";
import { connectUnverified } from "./_unverified_tls.ts";
import type { SocketAddress, TlsSettings } from "./socket.ts";

/**
 * The chain `address` presents for `tls.serverName` (SNI), leaf first, as PEM; every certificate once (a
 * self-signed one is its own issuer). Rejects when the handshake fails or `signal` aborts.
 *
 * @example The chain of a local TLS server
 * ```ts ignore
 * import { presentedCertificates } from "./_presented_certs.ts";
 *
 * const chain = await presentedCertificates(
 *   { address: "127.0.0.1", port: 8443, family: 4 },
 *   { serverName: "localhost" },
 *   AbortSignal.timeout(5000),
 * );
 * console.log(chain.length); // 1: the leaf only; 2 or more when the server sends its issuers
 * ```
 */
export async function presentedCertificates(
  address: SocketAddress,
  tls: TlsSettings,
  signal: AbortSignal,
): Promise<string[]> {
  const socket = await connectUnverified(address, tls, signal);
  const chain = pemChain(socket.getPeerCertificate(true));
  socket.destroy();
  return chain;
}

/** The chain from `leaf` up through `issuerCertificate`, as PEM, stopping at the first certificate seen twice. */
function pemChain(leaf: DetailedPeerCertificate): string[] {
  const chain: string[] = [];
  const seen = new Set<string>();
  for (
    let cert: DetailedPeerCertificate | undefined = leaf;
    cert?.raw !== undefined && !seen.has(cert.fingerprint256);
    cert = cert.issuerCertificate
  ) {
    seen.add(cert.fingerprint256);
    const base64 = Buffer.from(cert.raw).toString("base64").replace(/.{64}/g, "$&\n");
    chain.push(`-----BEGIN CERTIFICATE-----\n${base64.replace(/\n$/, "")}\n-----END CERTIFICATE-----\n`);
  }
  return chain;
}
