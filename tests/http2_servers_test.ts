/**
 * `--http2` against real servers: Debian's nginx over TLS (h2 by ALPN) and over cleartext (h2c with prior
 * knowledge), its access log telling the protocol and the count; Deno's own server (h2 over TLS); nginx's
 * GOAWAY after `keepalive_requests`, its stream limit, and a body larger than the windows. Skipped where nginx
 * is not installed.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { parseReport, runCli } from "./helpers/cli.ts";
import { NGINX, type NginxH2Server, startDenoH2Server, startNginxH2 } from "./helpers/h2_servers.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

async function withNginx(
  options: Parameters<typeof startNginxH2>[0],
  fn: (nginx: NginxH2Server, dir: string) => Promise<void>,
): Promise<void> {
  const nginx = await startNginxH2(options);
  const dir = await Deno.makeTempDir({ prefix: "wrk-deno-h2-" });
  try {
    await fn(nginx, dir);
  } finally {
    await nginx.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

for (const [name, tls] of [["h2 over TLS (ALPN)", true], ["h2c with prior knowledge", false]] as const) {
  Deno.test({
    name:
      `nginx, ${name}: the access log counts our requests, all HTTP/2.0, and --streams 10 keeps them flowing`,
    ignore: NGINX === null,
    async fn() {
      await withNginx({}, async (nginx, dir) => {
        const url = tls ? nginx.tlsUrl.replace("127.0.0.1", "localhost") : nginx.h2cUrl;
        const extra = tls ? ["--cacert", nginx.caFile] : [];
        const outcome = await runCli([
          "--http2",
          "--streams",
          "10",
          "-t1",
          "-c4",
          "-d1s",
          "--json",
          `${dir}/r.json`,
          ...extra,
          url,
        ]);
        assertEquals(outcome.code, 0, outcome.stderr);
        const document: Json = JSON.parse(await Deno.readTextFile(`${dir}/r.json`));
        assertEquals(document.requests, parseReport(outcome.stdout).requests);
        assert(document.requests > 500, `${document.requests} requests`);
        assertEquals(document.error_reasons, []);
        const logged = await nginx.requestsLogged({ atLeast: document.requests });
        assertEquals(new Set(logged.map((request) => request.protocol)), new Set(["HTTP/2.0"]));
        assertEquals(new Set(logged.map((request) => request.scheme)), new Set([tls ? "https" : "http"]));
        // Streams in flight at the stop were answered but not counted: at most 4 connections × 10.
        assert(logged.length >= document.requests && logged.length <= document.requests + 40);
      });
    },
  });
}

for (const tls of [false, true]) {
  Deno.test({
    name: `nginx ends connections with GOAWAY after keepalive_requests (${
      tls ? "h2 over TLS, writes that wait" : "h2c"
    }): new connections carry on without errors`,
    ignore: NGINX === null,
    async fn() {
      await withNginx({ keepaliveRequests: 50 }, async (nginx, dir) => {
        const target = tls
          ? ["--cacert", nginx.caFile, nginx.tlsUrl.replace("127.0.0.1", "localhost")]
          : [nginx.h2cUrl];
        const outcome = await runCli([
          "--http2",
          "--streams",
          "5",
          "-t1",
          "-c2",
          "-d1s",
          "--json",
          `${dir}/r.json`,
          ...target,
        ]);
        assertEquals(outcome.code, 0, outcome.stderr);
        const document: Json = JSON.parse(await Deno.readTextFile(`${dir}/r.json`));
        assert(document.requests > 200, `${document.requests} requests`);
        assertEquals(document.errors, { connect: 0, read: 0, write: 0, status: 0, timeout: 0 });
        const logged = await nginx.requestsLogged({ atLeast: document.requests });
        assertEquals(new Set(logged.map((request) => request.protocol)), new Set(["HTTP/2.0"]));
      });
    },
  });
}

Deno.test({
  name: "nginx's stream limit and a 1 MiB body: larger than the server's and our first windows, read whole",
  ignore: NGINX === null,
  async fn() {
    await withNginx({ maxConcurrentStreams: 3, largeBodyBytes: 1 << 20 }, async (nginx, dir) => {
      const outcome = await runCli([
        "--http2",
        "--streams",
        "8",
        "-t1",
        "-c1",
        "-d1s",
        "--json",
        `${dir}/r.json`,
        `${nginx.h2cUrl}large.bin`,
      ]);
      assertEquals(outcome.code, 0, outcome.stderr);
      const document: Json = JSON.parse(await Deno.readTextFile(`${dir}/r.json`));
      assert(document.requests >= 5, `${document.requests} requests`);
      assert(document.bytes >= document.requests * (1 << 20), `${document.bytes} bytes`);
      assertEquals(document.status_codes, { "200": document.requests });
      assertEquals(document.error_reasons, []);
    });
  },
});

Deno.test("Deno's own server, h2 over TLS: every request counted, a script's POST bodies arrive", async () => {
  const server = startDenoH2Server();
  const dir = await Deno.makeTempDir();
  try {
    const script = `${dir}/post.lua`;
    await Deno.writeTextFile(
      script,
      `wrk.method = "POST"\nwrk.body = "payload"\nwrk.headers["Content-Type"] = "text/plain"\n` +
        `function done(s) print("requests " .. s.requests) end\n`,
    );
    const url = server.url.replace("127.0.0.1", "localhost");
    const outcome = await runCli([
      "--http2",
      "--streams",
      "4",
      "-t1",
      "-c2",
      "-d500ms",
      "-s",
      script,
      "--cacert",
      server.caFile,
      url,
    ]);
    assertEquals(outcome.code, 0, outcome.stderr);
    const requests = parseReport(outcome.stdout).requests;
    assertStringIncludes(outcome.stdout, `requests ${requests}\n`);
    assert(requests > 50);
    assert(server.requests.length >= requests && server.requests.length <= requests + 8);
    for (const request of server.requests) {
      assertEquals([request.method, request.body, request.headers.get("content-type")], [
        "POST",
        "payload",
        "text/plain",
      ]);
    }
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});
