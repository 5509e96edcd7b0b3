/**
 * `-k` on Deno's own TLS (lib/preflight/insecure_tls.ts): the pre-flight pins the certificates the server
 * presents, and the threads use Deno's TLS with them when rustls accepts them, else node:tls. Either way `-k`
 * accepts what wrk's accepts: an untrusted issuer, another host name, an expired certificate.
 */
import { assert, assertEquals, assertRejects } from "@std/assert";
import { insecureHandshake } from "../../lib/preflight/insecure_tls.ts";
import type { SocketAddress, TlsSettings } from "../../lib/net/socket.ts";
import { createTransport, usesDenoTls } from "../../lib/net/transport.ts";
import { parseArgs, run } from "../../mod.ts";
import { ok, startServer, TEST_CA_FILE, type TestServer } from "../helpers/server.ts";
import { expiredCertificate } from "../helpers/tls_certs.ts";
import { runCli } from "../helpers/cli.ts";

const FIXTURES = new URL("../fixtures/tls/", import.meta.url);
/** The fixture leaf followed by its CA: a server that sends its chain. */
const WITH_ISSUER = {
  cert: Deno.readTextFileSync(new URL("server.pem", FIXTURES)) + Deno.readTextFileSync(TEST_CA_FILE),
  key: Deno.readTextFileSync(new URL("server.key", FIXTURES)),
};

const local = (server: TestServer): SocketAddress => ({ address: "127.0.0.1", port: server.port, family: 4 });
const insecure = (serverName: string): TlsSettings => ({ serverName, insecure: true });

async function withServer(
  certificate: { cert: string; key: string } | undefined,
  body: (server: TestServer) => Promise<void>,
): Promise<void> {
  const server = startServer(() => ok("hello"), { tls: true, certificate });
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

/** The pre-flight's -k handshake: whether it pinned, and that a socket came out of it. */
async function pinned(server: TestServer, serverName: string): Promise<boolean> {
  const { socket, pinnedCerts } = await insecureHandshake(
    local(server),
    insecure(serverName),
    AbortSignal.timeout(5000),
  );
  socket.close();
  return pinnedCerts !== null;
}

/** A short -k run against `server`; its figures. */
async function insecureRun(server: TestServer) {
  return await run(parseArgs(["-t2", "-c4", "-d300ms", "-k", server.url]));
}

Deno.test("-k pins a server's certificates on Deno's TLS when the server sends their issuer", async () => {
  await withServer(WITH_ISSUER, async (server) => {
    assert(await pinned(server, "localhost"));
    const result = await insecureRun(server);
    assert(result.requests > 0, `${result.requests} requests`);
    assertEquals(result.errors, { connect: 0, read: 0, write: 0, status: 0, timeout: 0 });
  });
});

Deno.test("-k on Deno's TLS accepts a certificate for another host name", async () => {
  await withServer(WITH_ISSUER, async (server) => {
    assert(await pinned(server, "wrong.example"));
    const transport = createTransport(local(server), {
      ...insecure("wrong.example"),
      pinnedCerts: [WITH_ISSUER.cert],
    });
    (await transport.connect(AbortSignal.timeout(5000))).close();
    assert(usesDenoTls(transport), "the connection stayed on Deno's TLS");
  });
});

Deno.test("verified TLS still refuses another host name: only -k skips the name check", async () => {
  await withServer(WITH_ISSUER, async (server) => {
    const tls = { serverName: "wrong.example", caCerts: [Deno.readTextFileSync(TEST_CA_FILE)] };
    await assertRejects(() => createTransport(local(server), tls).connect(AbortSignal.timeout(5000)));
  });
});

Deno.test("-k falls back to node:tls when the server does not send the issuer of its certificate", async () => {
  await withServer(undefined, async (server) => {
    assert(!(await pinned(server, "localhost")), "rustls cannot accept a leaf without its issuer");
    const result = await insecureRun(server);
    assert(result.requests > 0, `${result.requests} requests`);
    assertEquals(result.errors, { connect: 0, read: 0, write: 0, status: 0, timeout: 0 });
  });
});

Deno.test("-k says before the run when the threads take node:tls, and why; pinned, it says nothing", async () => {
  await withServer(undefined, async (server) => {
    const { code, stderr } = await runCli(["-t1", "-c1", "-d200ms", "-k", server.url]);
    assertEquals(code, 0, stderr);
    assertEquals(
      stderr,
      `-k: Deno's TLS cannot take the certificate of 127.0.0.1:${server.port} even unverified (invalid peer ` +
        "certificate: UnknownIssuer); the threads skip verification over node:tls, which costs more CPU per " +
        "request (with --cacert <the CA that signed it> as well, they stay on Deno's TLS)\n",
    );
  });
  await withServer(WITH_ISSUER, async (server) => {
    const { code, stderr } = await runCli(["-t1", "-c1", "-d200ms", "-k", server.url]);
    assertEquals([code, stderr], [0, ""]);
  });
});

Deno.test("a -k connection whose certificate does not pass as pinned goes on over node:tls", async () => {
  await withServer(undefined, async (server) => {
    // The leaf alone: rustls finds no issuer for it, as for a server whose certificate changed after the pre-flight.
    const leaf = Deno.readTextFileSync(new URL("server.pem", FIXTURES));
    const transport = createTransport(local(server), { ...insecure("localhost"), pinnedCerts: [leaf] });
    assert(usesDenoTls(transport));
    (await transport.connect(AbortSignal.timeout(5000))).close();
    assert(!usesDenoTls(transport), "the transport fell back");
    (await transport.connect(AbortSignal.timeout(5000))).close();
  });
});

const expired = await expiredCertificate();

Deno.test({
  name: "-k accepts an expired certificate (over node:tls: rustls refuses it whatever it trusts)",
  ignore: expired === null,
  fn: async () => {
    await withServer(expired!, async (server) => {
      assert(!(await pinned(server, "localhost")));
      const result = await insecureRun(server);
      assert(result.requests > 0, `${result.requests} requests`);
      assertEquals(result.errors, { connect: 0, read: 0, write: 0, status: 0, timeout: 0 });
    });
  },
});
