/** The reason a socket error is counted under (lib/net/error_reason.ts `errorReason`). */
import { assertEquals } from "@std/assert";
import { errorReason, tlsFailureText } from "../../lib/net/error_reason.ts";

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

Deno.test("errorReason() gives a TLS failure one reason however many seconds it is counted in", () => {
  // rustls's texts carry the moment of verification: each second of a run would be a reason of its own.
  const expired = (at: number) =>
    new Error(
      `invalid peer certificate: certificate expired: verification time ${at} (UNIX), but certificate is not ` +
        `valid after 1796540352 (${at - 1796540352} seconds ago)`,
    );
  assertEquals(errorReason(expired(1796626752)), "TLS: invalid peer certificate: certificate expired");
  assertEquals(errorReason(expired(1796626753)), errorReason(expired(1796626752)));
  assertEquals(
    tlsFailureText(
      'invalid peer certificate: certificate not valid for name "localhost"; certificate is only valid for ' +
        'DnsName("example.com")',
    ),
    'invalid peer certificate: certificate not valid for name "localhost"',
  );
  assertEquals(
    tlsFailureText(
      "peer closed connection without sending TLS close_notify: https://docs.rs/rustls/latest/rustls/manual/",
    ),
    "peer closed connection without sending TLS close_notify",
  );
});
