/** The reason a socket error is counted under (lib/net/error_reason.ts `errorReason`). */
import { assertEquals } from "@std/assert";
import { errorReason } from "../../lib/net/error_reason.ts";

Deno.test("errorReason() names errnos, Deno's error classes and TLS failures, a client certificate asked for plainly", () => {
  assertEquals(errorReason(new Deno.errors.ConnectionRefused("refused")), "ECONNREFUSED");
  assertEquals(errorReason(Object.assign(new Error("send"), { errno: 32 })), "EPIPE");
  assertEquals(
    errorReason(new Error("invalid peer certificate: UnknownIssuer")),
    "TLS: invalid peer certificate: UnknownIssuer",
  );
  // A TLS 1.3 server that requires one says so with an alert at the first read.
  assertEquals(
    errorReason(new Error("received fatal alert: CertificateRequired")),
    "TLS: the server requires a client certificate",
  );
});
