/**
 * A short reason for a socket error, as the report's `Error reasons` line and the JSON result give it: the
 * errno name where the OS gave one (`ECONNREFUSED`, `ECONNRESET`), from libc's errno (the epoll loop), Deno's
 * error classes or node's `code` (the `-k` transport); a TLS failure or anything else in a few words.
 *
 * @module
 */
import { describeOsError } from "./resolve.ts";

/** Linux errno values the sockets meet, by name. */
const ERRNO_NAMES: Readonly<Record<number, string>> = {
  1: "EPERM",
  4: "EINTR",
  9: "EBADF",
  11: "EAGAIN",
  12: "ENOMEM",
  13: "EACCES",
  22: "EINVAL",
  23: "ENFILE",
  24: "EMFILE",
  32: "EPIPE",
  97: "EAFNOSUPPORT",
  98: "EADDRINUSE",
  99: "EADDRNOTAVAIL",
  100: "ENETDOWN",
  101: "ENETUNREACH",
  103: "ECONNABORTED",
  104: "ECONNRESET",
  105: "ENOBUFS",
  107: "ENOTCONN",
  110: "ETIMEDOUT",
  111: "ECONNREFUSED",
  112: "EHOSTDOWN",
  113: "EHOSTUNREACH",
};

/** The name of Linux errno `errno` (`errno 42` for one not in the table). */
export function errnoName(errno: number): string {
  return ERRNO_NAMES[errno] ?? `errno ${errno}`;
}

/** Deno's error classes for OS errors, by the errno name they stand for. */
const DENO_ERRORS: readonly [new (...args: never[]) => Error, string][] = [
  [Deno.errors.ConnectionRefused, "ECONNREFUSED"],
  [Deno.errors.ConnectionReset, "ECONNRESET"],
  [Deno.errors.ConnectionAborted, "ECONNABORTED"],
  [Deno.errors.NotConnected, "ENOTCONN"],
  [Deno.errors.AddrInUse, "EADDRINUSE"],
  [Deno.errors.AddrNotAvailable, "EADDRNOTAVAIL"],
  [Deno.errors.BrokenPipe, "EPIPE"],
  [Deno.errors.TimedOut, "ETIMEDOUT"],
  [Deno.errors.NetworkUnreachable, "ENETUNREACH"],
];

/**
 * The reason for `error`, thrown by a connect or a write (or a read, where a socket keeps it).
 *
 * @example Errno names from every kind of socket error
 * ```ts
 * import { errorReason } from "./error_reason.ts";
 *
 * console.log(errorReason(new Deno.errors.ConnectionRefused("refused"))); // ECONNREFUSED
 * console.log(errorReason(Object.assign(new Error("read"), { code: "ECONNRESET" }))); // ECONNRESET
 * console.log(errorReason(Object.assign(new Error("send"), { errno: 32 }))); // EPIPE
 * ```
 */
export function errorReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const errno = (error as { errno?: unknown }).errno;
  if (typeof errno === "number") return errnoName(errno);
  for (const [type, name] of DENO_ERRORS) if (error instanceof type) return name;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && /^E[A-Z]+$/.test(code)) return code;
  // TLS 1.3 servers ask for a client certificate after the handshake: the alert comes with the first read.
  if (/CertificateRequired/.test(error.message)) return "TLS: the server requires a client certificate";
  if (/certificate|handshake|tls|alert/i.test(error.message)) {
    return `TLS: ${tlsFailureText(describeOsError(error))}`.slice(0, 80);
  }
  return describeOsError(error).slice(0, 80) || error.name;
}

/**
 * A TLS failure's text without the details that differ from one connection to the next, or only point
 * elsewhere: rustls (Deno's TLS) adds the moment of verification to an expired or not-yet-valid certificate's
 * error, the names it is valid for to a wrong name's, and a link to its docs to some. Counted by reason, each
 * second of a run would otherwise be a reason of its own.
 *
 * @example
 * ```ts
 * import { tlsFailureText } from "./error_reason.ts";
 *
 * const text = "invalid peer certificate: certificate expired: verification time 1796626752 (UNIX), but …";
 * console.log(tlsFailureText(text)); // invalid peer certificate: certificate expired
 * ```
 */
export function tlsFailureText(text: string): string {
  return text
    .replace(/: verification time \d+.*$/, "")
    .replace(/(not valid for name "[^"]*"); certificate is (only )?valid for .*$/, "$1")
    .replace(/:? ?https?:\/\/\S*.*$/, "");
}
