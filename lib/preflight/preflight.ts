/**
 * Pre-flight: everything a run checks and reads before any thread starts, so that a mistake is one clear line
 * and exit 1 instead of a report full of errors. The open-file limit against `-c`; the script and the
 * `--cacert` file, read once here and handed to every thread; the target resolved and test-connected, as wrk's
 * `main` does before it starts its threads; and for https one handshake, so that an untrusted certificate is
 * named (docs/wrk-compat.md, "Command line").
 *
 * @module
 */
import type { Config } from "../config/config.ts";
import { defaultRequest } from "../net/http1/request_bytes.ts";
import { RequestTranslationError, translateRequests } from "../net/http2/request_translation.ts";
import { boundedSignal, describeOsError, resolveAddresses, testConnect } from "../net/resolve.ts";
import type { SocketAddress } from "../net/socket.ts";
import { createTransport, tlsSettings } from "../net/transport.ts";
import { tlsFailureText } from "../net/error_reason.ts";
import { RunError } from "../run_error.ts";
import { checkOpenFileLimit } from "./fd_limit.ts";
import { checkAlpnH2, checkH2c } from "./http2_check.ts";
import { insecureHandshake } from "./insecure_tls.ts";

/** The longest the up-front connect test and TLS handshake may take (less when `--timeout` is shorter). */
const PREFLIGHT_CONNECT_BOUND_MS = 5000;
/**
 * The least they may take, whatever `--timeout`: a process's first TLS handshake also sets up Deno's TLS, which
 * takes tens of milliseconds more than the later ones, and a `--timeout 50ms` run would be refused.
 */
const PREFLIGHT_LEAST_BOUND_MS = 1000;

/** How long the checks before the run wait: `--timeout`, within the bounds above. */
function checkBoundMs(config: Config): number {
  return Math.min(PREFLIGHT_CONNECT_BOUND_MS, Math.max(PREFLIGHT_LEAST_BOUND_MS, config.timeoutMs));
}

/** Whether a check waited `--timeout` exactly: a longer one might have passed. */
function waitedTimeout(config: Config): boolean {
  return checkBoundMs(config) === config.timeoutMs && config.timeoutMs < PREFLIGHT_CONNECT_BOUND_MS;
}

/** What the pre-flight read and found: the run starts from this. */
export interface Preflight {
  /** The script's bytes (null: no script). */
  script: Uint8Array | null;
  /** PEM text of `--cacert` (empty: none). */
  caCerts: string[];
  /** The first address of the target that accepted a connection. */
  address: SocketAddress;
  /**
   * `-k` over https: the certificates the server presented, which the threads trust on Deno's TLS; null when
   * they cannot (the threads then use node:tls) or without `-k` (lib/preflight/insecure_tls.ts).
   */
  pinnedCerts: string[] | null;
  /**
   * What the run should say before it starts: `-k` against a certificate Deno's TLS refuses however it is
   * trusted, so that the threads take node:tls, at a higher CPU cost per request.
   */
  warnings: string[];
}

/** Options for {@linkcode preflight}. */
export interface PreflightOptions {
  /** The open-file limit to check `-c` against; null: no check; undefined: this process's limit. */
  openFileLimit?: number | null;
  /** Ends the checks' waits early (a caller's abort): the caller, not the check, then says why. */
  signal?: AbortSignal;
  /**
   * The script's bytes, when the caller has read `config.scriptPath` already: it is not read again (a pipe,
   * `-s <(…)` or `/dev/stdin`, can be read once).
   */
  script?: Uint8Array;
}

/**
 * Checks and reads what a run needs before it starts.
 *
 * @throws {RunError} with one line for the user: the open-file limit is too low, the script or CA file cannot
 * be read, the host does not resolve or accepts no connection, or its TLS certificate is not trusted.
 *
 * @example A target nobody listens on
 * ```ts
 * import { parseArgs } from "../config/parse_args.ts";
 * import { preflight } from "./preflight.ts";
 *
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const port = listener.addr.port;
 * listener.close();
 * await preflight(parseArgs([`http://127.0.0.1:${port}/`])).catch((error) => console.log(error.message));
 * // unable to connect to 127.0.0.1:<port> Connection refused
 * ```
 */
export async function preflight(config: Config, options: PreflightOptions = {}): Promise<Preflight> {
  if (options.openFileLimit !== null) {
    try {
      checkOpenFileLimit(config.connections, config.threads, options.openFileLimit);
    } catch (error) {
      throw new RunError(error instanceof Error ? error.message : String(error));
    }
  }
  checkStaticHttp2Request(config);
  const script = config.scriptPath === null ? null : options.script ?? await readScript(config.scriptPath);
  const caCerts = config.caFile === null ? [] : [await readCaFile(config.caFile)];
  const address = await firstReachableAddress(config, options.signal);
  const { pinnedCerts, refusal } = await checkTls(config, address, caCerts, options.signal);
  if (config.http2 && config.target.scheme === "http") {
    const { host, service } = config.target;
    await checkH2c(address, `${host}:${service}`, checkBoundMs(config), options.signal);
  }
  const warnings = refusal === null ? [] : [
    `-k: Deno's TLS cannot take the certificate of ${config.target.host}:${config.target.service} even ` +
    `unverified (${
      tlsFailureText(refusal)
    }); the threads skip verification over node:tls, which costs more CPU per request${
      kHint(refusal, config)
    }`,
  ];
  return { script, caCerts, address, pinnedCerts, warnings };
}

/** How `-k` could stay on Deno's TLS for a certificate it refused for `refusal`; empty when nothing would do. */
function kHint(refusal: string, config: Config): string {
  if (/UnknownIssuer/i.test(refusal) && config.caFile === null) {
    return " (with --cacert <the CA that signed it> as well, they stay on Deno's TLS)";
  }
  if (/CaUsedAsEndEntity/.test(refusal)) {
    return " (a certificate made with `openssl req -x509 … -addext basicConstraints=critical,CA:FALSE` keeps " +
      "them on Deno's TLS)";
  }
  return "";
}

/** wrk resolves the host and uses the first address that accepts a connection (wrk's `main`). */
async function firstReachableAddress(config: Config, abort: AbortSignal | undefined): Promise<SocketAddress> {
  const { host, port, service } = config.target;
  let addresses: SocketAddress[];
  try {
    addresses = await resolveAddresses(host, port);
  } catch (error) {
    throw new RunError(`unable to resolve ${host}:${service} ${describeResolveError(error)}`);
  }
  let reason = "no address found";
  const boundMs = checkBoundMs(config);
  for (const address of addresses) {
    const failure = await testConnect(address, boundMs, abort);
    if (failure === null) return address;
    reason = failure;
  }
  // The wait was --timeout's, shorter than the check's own: a server slower than that to accept is not down.
  const note = reason.startsWith("Connection timed out") && waitedTimeout(config)
    ? " (raise --timeout?)"
    : "";
  throw new RunError(`unable to connect to ${host}:${service} ${reason}${note}`);
}

/**
 * For https, one handshake up front, so that an untrusted certificate is one clear error instead of a report
 * full of connect errors. With `-k`, returns the certificates the threads may pin (see `Preflight`).
 */
async function checkTls(
  config: Config,
  address: SocketAddress,
  caCerts: string[],
  abort: AbortSignal | undefined,
): Promise<{ pinnedCerts: string[] | null; refusal: string | null }> {
  const settings = tlsSettings(config, caCerts);
  if (settings === null) return { pinnedCerts: null, refusal: null };
  // With --http2, this handshake also offers HTTP/1.1, so that a server without HTTP/2 agrees to it and can be
  // told apart (`checkAlpnH2`) from one that refuses the handshake (the run's own connections offer h2 alone).
  const tls = config.http2 ? { ...settings, alpnProtocols: ["h2", "http/1.1"] } : settings;
  const { host, service } = config.target;
  let alpnProtocol: string | null | undefined;
  let pinnedCerts: string[] | null = null;
  let refusal: string | null = null;
  const boundMs = checkBoundMs(config);
  const { bound, signal } = boundedSignal(boundMs, abort);
  try {
    let socket;
    if (tls.insecure) ({ socket, pinnedCerts, refusal } = await insecureHandshake(address, tls, signal));
    else socket = await createTransport(address, tls).connect(signal);
    socket.close();
    alpnProtocol = socket.alpnProtocol;
  } catch (error) {
    if (bound.aborted) {
      // It accepted the connection, then never finished the handshake (a wedged server, or not TLS at all).
      throw new RunError(
        `TLS handshake with ${host}:${service} failed: no answer within ${boundMs / 1000}s ` +
          `(is it a TLS port?${waitedTimeout(config) ? " or raise --timeout" : ""})`,
      );
    }
    // The whole text (the names a certificate holds help here), unlike the run's counted reasons; but not the
    // object identifiers of every signature algorithm Deno's TLS takes.
    const reason = describeOsError(error).replace(
      /UnsupportedSignatureAlgorithm\w* \{[^}]*\}/,
      "UnsupportedSignatureAlgorithm",
    );
    if (
      /certificate|issuer|CertNotValid|NotValidForName|expired|CaUsedAsEndEntity|purpose|SignatureAlgorithm/i
        .test(
          reason,
        )
    ) {
      throw new RunError(
        `TLS certificate of ${host}:${service} not trusted (${reason}); ${
          trustAdvice(reason, config.caFile)
        }`,
      );
    }
    const hint = handshakeAdvice(reason, host);
    throw new RunError(
      `TLS handshake with ${host}:${service} failed: ${reason}${hint === null ? "" : `; ${hint}`}`,
    );
  }
  if (config.http2) checkAlpnH2(alpnProtocol, `${host}:${service}`);
  return { pinnedCerts, refusal };
}

/** What to do about a certificate refused for `reason`, given the `--cacert` file passed (null: none). */
function trustAdvice(reason: string, caFile: string | null): string {
  if (/not valid for any names/i.test(reason)) {
    // A certificate with a common name alone: TLS clients read host names from subjectAltName only.
    return "it names no host in a subjectAltName (a common name alone, which TLS clients no longer read): " +
      "reissue it with one, or pass -k to skip verification";
  }
  if (/NotValidForName|not valid for name/i.test(reason)) {
    return "it does not hold the URL's host name: put a name it holds in the URL, or pass -k to skip verification";
  }
  if (/Expired|NotValidYet|not valid yet/i.test(reason)) {
    return "it is out of its validity dates (check this machine's clock too): renew it, or pass -k to skip " +
      "verification";
  }
  if (/CaUsedAsEndEntity/.test(reason)) {
    // openssl req -x509 makes such a certificate: its own CA (CA:TRUE), which rustls refuses as a server's.
    return "the server presents a CA certificate as its own (a self-signed one made with `openssl req -x509`), " +
      "which Deno's TLS refuses even when trusted: pass -k to skip verification, or serve a certificate signed " +
      "by that CA";
  }
  if (/UnsupportedSignatureAlgorithm/.test(reason)) {
    // Old internal certificates are signed with SHA-1, which rustls does not take.
    return "it is signed with an algorithm Deno's TLS does not take (such as SHA-1): reissue it signed with " +
      "SHA-256, or pass -k to skip verification";
  }
  if (/purpose/i.test(reason)) {
    return "it is not meant for a TLS server (its extended key usage lacks serverAuth): reissue it, or pass -k " +
      "to skip verification";
  }
  if (caFile !== null && /UnknownIssuer/i.test(reason)) {
    return `its issuer is not the CA in ${caFile}, or the server does not send the intermediate certificate ` +
      "between them (serve the full chain): pass --cacert with the CA that signed it, or -k to skip verification";
  }
  return "pass --cacert <file> to trust its CA, or -k to skip verification";
}

/**
 * A handshake failure that is not the certificate's, with what to do about it, or null: the cases where
 * rustls's words (Deno's TLS) name the symptom and not the cause.
 */
function handshakeAdvice(reason: string, host: string): string | null {
  if (/InvalidContentType/.test(reason)) return "is it a plain HTTP port? use http://";
  if (/UnrecognisedName/i.test(reason)) {
    // No client sends an IP address as SNI (RFC 6066 §3): the server got no name at all.
    return /^[\d.]+$|:/.test(host)
      ? "the server wants a host name (sent as SNI), and an IP address in the URL sends none: put the name it " +
        "serves in the URL"
      : "the server does not serve the URL's host name (sent as SNI): put the name it serves in the URL";
  }
  if (/HandshakeFailure/i.test(reason)) {
    return "the server refused what Deno's TLS offers (TLS 1.2 and 1.3, AEAD cipher suites only: no CBC, no RSA " +
      "key exchange; certificates with RSA, Ed25519 or ECDSA P-256 or P-384 keys, not P-521), or it wants a " +
      "client certificate";
  }
  return null;
}

function describeResolveError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === "ENOTFOUND" || code === "EAI_NONAME") return "Name or service not known";
  if (code === "EAI_AGAIN") return "Temporary failure in name resolution";
  return describeOsError(error);
}

/**
 * With `--http2` and no script, the one request every connection sends (the URL and the `-H` headers), put
 * into HTTP/2 once: one it cannot carry is refused before the run, naming the header, not at the first send.
 */
function checkStaticHttp2Request(config: Config): void {
  if (!config.http2 || config.scriptPath !== null) return;
  const { target, headers } = config;
  try {
    translateRequests(defaultRequest(target.path, target.hostHeader, headers), target.scheme);
  } catch (error) {
    if (!(error instanceof RequestTranslationError)) throw error;
    const framing = headers.find(([name]) => name.toLowerCase() === "transfer-encoding");
    throw new RunError(
      `the request the URL and -H make cannot go over HTTP/2: ${error.reason}` +
        (framing === undefined
          ? ""
          : ` (-H '${framing[0]}: ${framing[1]}' announces a body it does not have: leave it out)`),
    );
  }
}

async function readScript(path: string): Promise<Uint8Array> {
  try {
    return await Deno.readFile(path);
  } catch (error) {
    throw new RunError(`cannot read script ${path}: ${describeOsError(error)}`);
  }
}

async function readCaFile(path: string): Promise<string> {
  let text;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    throw new RunError(`cannot read CA file ${path}: ${describeOsError(error)}`);
  }
  if (!text.includes("-----BEGIN CERTIFICATE-----")) {
    throw new RunError(`CA file ${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  }
  // Each certificate block must be base64 of a DER structure: a damaged one would otherwise fail every
  // handshake with a message that blames the server's certificate.
  const blocks = text.matchAll(/-----BEGIN CERTIFICATE-----([^-]*)-----END CERTIFICATE-----/g);
  let index = 0;
  for (const [, body] of blocks) {
    index++;
    if (!isDerBase64(body)) {
      throw new RunError(
        `CA file ${path}: certificate ${index} is damaged (not base64 of a DER certificate)`,
      );
    }
  }
  if (index === 0) {
    throw new RunError(`CA file ${path}: its certificate has no -----END CERTIFICATE----- line`);
  }
  return text;
}

/** Whether a PEM block's body is base64 of a DER SEQUENCE (what every X.509 certificate is). */
function isDerBase64(body: string): boolean {
  try {
    const der = atob(body.replace(/\s+/g, ""));
    return der.length > 64 && der.charCodeAt(0) === 0x30;
  } catch {
    return false;
  }
}
