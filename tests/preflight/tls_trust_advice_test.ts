/**
 * An untrusted certificate, or a `--cacert` file that cannot help, stops the run with one line that says what
 * to do about this case (lib/preflight/preflight.ts `trustAdvice`, `readCaFile`): a server whose certificate is
 * its own CA (Deno's TLS refuses it even when trusted), a `--cacert` that is not the CA that signed the
 * server's certificate, a certificate for another name, and a `--cacert` file with no certificate in it or a
 * damaged one.
 */
import { assertEquals, assertMatch } from "@std/assert";
import { runCli } from "../helpers/cli.ts";
import { withServerAndTempDir } from "../helpers/scoped.ts";
import { startServer, TEST_CA_FILE } from "../helpers/server.ts";
import {
  type Certificate,
  selfSignedCaCertificate,
  sha1SignedCertificate,
  wrongNameCertificate,
} from "../helpers/tls_certs.ts";

/**
 * Runs `body` against a loopback TLS server presenting `certificate`, at `localhost` (a name it holds), with a
 * temporary folder; without openssl (`certificate` null) the test shows one ignored step instead.
 */
async function withCertificateServer<C extends Certificate>(
  t: Deno.TestContext,
  certificate: C | null,
  body: (certificate: C, url: string, dir: string) => Promise<void>,
): Promise<void> {
  if (certificate === null) {
    await t.step({ name: "openssl is not installed", ignore: true, fn: () => {} });
    return;
  }
  await withServerAndTempDir(
    startServer(undefined, { tls: true, certificate }),
    "wrk-deno-trust-advice-",
    (server, dir) => body(certificate, server.url.replace("127.0.0.1", "localhost"), dir),
  );
}

Deno.test("a server's self-signed CA certificate, even passed as --cacert, gets advice that works: -k", async (t) => {
  await withCertificateServer(t, await selfSignedCaCertificate(), async (certificate, url, dir) => {
    await Deno.writeTextFile(`${dir}/self.pem`, certificate.cert);
    const trusted = await runCli(["-t1", "-c1", "-d300ms", "--cacert", `${dir}/self.pem`, url]);
    assertEquals(trusted.code, 1);
    assertMatch(
      trusted.stderr,
      /^TLS certificate of localhost:\d+ not trusted \(.*CaUsedAsEndEntity.*\); the server presents a CA certificate as its own .* pass -k .*\n$/,
    );
    const insecure = await runCli(["-t1", "-c1", "-d300ms", "-k", url]);
    assertEquals(insecure.code, 0, insecure.stderr);
  });
});

Deno.test("a --cacert that did not sign the server's certificate is named in the advice", async (t) => {
  const other = await selfSignedCaCertificate();
  if (other === null) {
    await t.step({ name: "openssl is not installed", ignore: true, fn: () => {} });
    return;
  }
  await withServerAndTempDir(
    startServer(undefined, { tls: true }),
    "wrk-deno-trust-advice-",
    async (server, dir) => {
      await Deno.writeTextFile(`${dir}/other.pem`, other.cert);
      const { code, stderr } = await runCli([
        "-t1",
        "-c1",
        "-d300ms",
        "--cacert",
        `${dir}/other.pem`,
        server.url,
      ]);
      assertEquals(code, 1);
      assertMatch(
        stderr,
        /not trusted \(.*UnknownIssuer.*\); its issuer is not the CA in .*other\.pem, or the server does not send the intermediate certificate between them \(serve the full chain\): pass --cacert with the CA that signed it, or -k .*\n$/,
      );
      // The right CA still works.
      const right = await runCli(["-t1", "-c1", "-d300ms", "--cacert", TEST_CA_FILE, server.url]);
      assertEquals(right.code, 0, right.stderr);
    },
  );
});

Deno.test("a --cacert file without a PEM certificate is refused before any connection", async () => {
  await withServerAndTempDir(
    startServer(undefined, { tls: true }),
    "wrk-deno-trust-advice-",
    async (server, dir) => {
      await Deno.writeTextFile(`${dir}/hostname`, "build-machine\n");
      const { code, stdout, stderr } = await runCli(["-d300ms", "--cacert", `${dir}/hostname`, server.url]);
      assertEquals(code, 1);
      assertEquals(stdout, "");
      assertMatch(stderr, /^CA file .*hostname holds no PEM certificate \(-----BEGIN CERTIFICATE-----\)\n$/);
      assertEquals(server.connections(), 0);
    },
  );
});

Deno.test("a damaged certificate in the --cacert file is named, not blamed on the server's certificate", async () => {
  await withServerAndTempDir(
    startServer(undefined, { tls: true }),
    "wrk-deno-trust-advice-",
    async (server, dir) => {
      const good = await Deno.readTextFile(TEST_CA_FILE);
      await Deno.writeTextFile(
        `${dir}/broken.pem`,
        `${good}-----BEGIN CERTIFICATE-----\nMIIBroken\n-----END CERTIFICATE-----\n`,
      );
      const { code, stderr } = await runCli(["-d300ms", "--cacert", `${dir}/broken.pem`, server.url]);
      assertEquals(code, 1);
      assertMatch(
        stderr,
        /^CA file .*broken\.pem: certificate 2 is damaged \(not base64 of a DER certificate\)\n$/,
      );
      assertEquals(server.connections(), 0);
    },
  );
});

Deno.test("a certificate for another name gets advice about the name, not about --cacert", async (t) => {
  await withCertificateServer(t, await wrongNameCertificate(), async (certificate, url, dir) => {
    await Deno.writeTextFile(`${dir}/ca.pem`, certificate.ca);
    const { code, stderr } = await runCli(["-t1", "-c1", "-d300ms", "--cacert", `${dir}/ca.pem`, url]);
    assertEquals(code, 1);
    assertMatch(
      stderr,
      /^TLS certificate of localhost:\d+ not trusted \(.*wrong\.example.*\); it does not hold the URL's host name: put a name it holds in the URL, or pass -k to skip verification\n$/,
    );
  });
});

Deno.test("a certificate signed with SHA-1, its CA passed as --cacert, gets one short line that says so, not the CA advice again", async (t) => {
  await withCertificateServer(t, await sha1SignedCertificate(), async (certificate, url, dir) => {
    await Deno.writeTextFile(`${dir}/ca.pem`, certificate.ca);
    const { code, stderr } = await runCli(["-t1", "-c1", "-d300ms", "--cacert", `${dir}/ca.pem`, url]);
    assertEquals(code, 1);
    assertEquals(
      stderr.replace(/:\d+ /, ":PORT "),
      "TLS certificate of localhost:PORT not trusted (invalid peer certificate: UnsupportedSignatureAlgorithm); it " +
        "is signed with an algorithm Deno's TLS does not take (such as SHA-1): reissue it signed with SHA-256, or " +
        "pass -k to skip verification\n",
    );
  });
});
