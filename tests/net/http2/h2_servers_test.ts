/**
 * The real HTTP/2 servers of tests/helpers/h2_servers.ts, checked with other HTTP/2 clients before our own
 * client is tested against them: h2load (nghttp2) and curl, each test skipped when its tool or nginx is not
 * installed. The stream limit is read from nginx's own SETTINGS frame, over h2c, by hand.
 */

import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import {
  CURL,
  H2LOAD,
  NGINX,
  type NginxH2Server,
  startDenoH2Server,
  startNginxH2,
} from "../../helpers/h2_servers.ts";

const decoder = new TextDecoder();

/** Runs a tool; its exit code and output. */
async function run(
  command: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await new Deno.Command(command, { args, stdin: "null", stdout: "piped", stderr: "piped" })
    .output();
  return { code: output.code, stdout: decoder.decode(output.stdout), stderr: decoder.decode(output.stderr) };
}

/** `h2load -n <n> -c 1 <url>`: the application protocol it negotiated and the requests that succeeded. */
async function h2load(url: string, n: number): Promise<{ protocol: string; succeeded: number }> {
  const { code, stdout, stderr } = await run(H2LOAD!, ["-n", String(n), "-c", "1", url]);
  assertEquals(code, 0, stderr);
  const protocol = stdout.match(/^Application protocol: (\S+)$/m)?.[1] ?? "none";
  const succeeded = Number(stdout.match(/(\d+) succeeded/)?.[1] ?? -1);
  return { protocol, succeeded };
}

/** `curl` with HTTP/2 options: the body and the HTTP version it used (`2`, `1.1`). */
async function curl(args: string[]): Promise<{ body: string; version: string }> {
  const { code, stdout, stderr } = await run(CURL!, ["-sS", "-w", "\n%{http_version}", ...args]);
  assertEquals(code, 0, stderr);
  const at = stdout.lastIndexOf("\n");
  return { body: stdout.slice(0, at), version: stdout.slice(at + 1) };
}

/** With a started nginx, stopped afterwards whatever happens. */
async function withNginx(
  options: Parameters<typeof startNginxH2>[0],
  body: (server: NginxH2Server) => Promise<void>,
): Promise<void> {
  const server = await startNginxH2(options);
  try {
    await body(server);
  } finally {
    await server.stop();
  }
}

/**
 * The SETTINGS nginx sends first on an h2c connection (RFC 9113 §3.4, §6.5): the client preface and an
 * empty SETTINGS frame written by hand, the server's first frame read back.
 */
async function serverSettings(h2cUrl: string): Promise<Map<number, number>> {
  const url = new URL(h2cUrl);
  const conn = await Deno.connect({ hostname: url.hostname, port: Number(url.port) });
  try {
    const preface = new TextEncoder().encode("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    const settings = new Uint8Array([0, 0, 0, 4, 0, 0, 0, 0, 0]);
    await conn.write(new Uint8Array([...preface, ...settings]));
    let received = new Uint8Array(0);
    const buffer = new Uint8Array(4096);
    for (;;) {
      if (received.length >= 9) {
        const length = (received[0] << 16) | (received[1] << 8) | received[2];
        if (received.length >= 9 + length) {
          assertEquals(received[3], 4, "the server's first frame is SETTINGS");
          const values = new Map<number, number>();
          for (let at = 9; at < 9 + length; at += 6) {
            const view = new DataView(received.buffer, at, 6);
            values.set(view.getUint16(0), view.getUint32(2));
          }
          return values;
        }
      }
      const n = await conn.read(buffer);
      if (n === null) throw new Error("nginx closed before its SETTINGS");
      received = new Uint8Array([...received, ...buffer.subarray(0, n)]);
    }
  } finally {
    conn.close();
  }
}

const SETTINGS_MAX_CONCURRENT_STREAMS = 3;

Deno.test({
  name: "nginx speaks h2 by ALPN on its TLS port and h2c with prior knowledge on the other (h2load)",
  ignore: NGINX === null || H2LOAD === null,
  fn: () =>
    withNginx({}, async (server) => {
      assertEquals(await h2load(server.tlsUrl, 10), { protocol: "h2", succeeded: 10 });
      assertEquals(await h2load(server.h2cUrl, 10), { protocol: "h2c", succeeded: 10 });
      const logged = await server.requestsLogged({ atLeast: 20 });
      assertEquals(logged.length, 20);
      for (const request of logged) {
        assertEquals([request.protocol, request.status, request.path], ["HTTP/2.0", 200, "/"]);
      }
      assertEquals(logged.filter((request) => request.scheme === "https").length, 10);
    }),
});

Deno.test({
  name: "nginx's certificate is verified by the test CA for 127.0.0.1 and localhost, over HTTP/2 (curl)",
  ignore: NGINX === null || CURL === null,
  fn: () =>
    withNginx({}, async (server) => {
      assertEquals(await curl(["--http2", "--cacert", server.caFile, server.tlsUrl]), {
        body: "ok",
        version: "2",
      });
      const port = new URL(server.tlsUrl).port;
      assertEquals(
        await curl([
          "--http2",
          "--cacert",
          server.caFile,
          "--resolve",
          `localhost:${port}:127.0.0.1`,
          `https://localhost:${port}/x?y=1`,
        ]),
        { body: "ok", version: "2" },
      );
      // The TLS port still offers HTTP/1.1 to a client that does not ask for h2.
      assertEquals(await curl(["--http1.1", "--cacert", server.caFile, server.tlsUrl]), {
        body: "ok",
        version: "1.1",
      });
      assertEquals(await curl(["--http2-prior-knowledge", server.h2cUrl]), { body: "ok", version: "2" });
      const logged = await server.requestsLogged({ atLeast: 4 });
      assertEquals(logged.map((request) => [request.protocol, request.scheme, request.path]), [
        ["HTTP/2.0", "https", "/"],
        ["HTTP/2.0", "https", "/x?y=1"],
        ["HTTP/1.1", "https", "/"],
        ["HTTP/2.0", "http", "/"],
      ]);
    }),
});

Deno.test({
  name: "nginx's large body is larger than the initial window and arrives whole over h2 and h2c (curl)",
  ignore: NGINX === null || CURL === null,
  fn: () =>
    withNginx({ largeBodyBytes: 300_000 }, async (server) => {
      assert(server.largeBodyBytes > 65_535);
      for (
        const args of [["--http2", "--cacert", server.caFile, server.tlsUrl], [
          "--http2-prior-knowledge",
          server.h2cUrl,
        ]]
      ) {
        const url = new URL(server.largePath, args.at(-1)!).href;
        const { body, version } = await curl([...args.slice(0, -1), url]);
        assertEquals([body.length, version], [server.largeBodyBytes, "2"]);
        assertMatch(body, /^abcdefghijklmnopqrstuvwxyza/);
      }
      const logged = await server.requestsLogged({ atLeast: 2 });
      assertEquals(logged.map((request) => [request.status, request.path]), [[200, "/large.bin"], [
        200,
        "/large.bin",
      ]]);
    }),
});

Deno.test({
  name: "nginx announces the configured stream limit in its SETTINGS",
  ignore: NGINX === null,
  fn: async () => {
    await withNginx({ maxConcurrentStreams: 7 }, async (server) => {
      assertEquals((await serverSettings(server.h2cUrl)).get(SETTINGS_MAX_CONCURRENT_STREAMS), 7);
    });
    await withNginx({}, async (server) => {
      assertEquals((await serverSettings(server.h2cUrl)).get(SETTINGS_MAX_CONCURRENT_STREAMS), 128);
    });
  },
});

Deno.test({
  name: "Deno.serve over TLS negotiates h2 and records every request (h2load)",
  ignore: H2LOAD === null,
  fn: async () => {
    const server = startDenoH2Server();
    try {
      assertEquals(await h2load(server.url, 10), { protocol: "h2", succeeded: 10 });
      assertEquals(server.requests.length, 10);
      assertEquals(server.requests.map((request) => request.method), Array(10).fill("GET"));
    } finally {
      await server.close();
    }
  },
});

Deno.test({
  name: "Deno.serve over TLS is verified by the test CA, answers over HTTP/2 and records the body (curl)",
  ignore: CURL === null,
  fn: async () => {
    const server = startDenoH2Server(async (request) => new Response(`got ${await request.text()}`));
    try {
      assertEquals(
        await curl([
          "--http2",
          "--cacert",
          server.caFile,
          "-d",
          "hello",
          "-H",
          "X-Test: 1",
          `${server.url}p?q=1`,
        ]),
        { body: "got hello", version: "2" },
      );
      const [request] = server.requests;
      assertEquals([request.method, request.path, request.body], ["POST", "/p?q=1", "hello"]);
      assertEquals(request.headers.get("x-test"), "1");
      assertStringIncludes(request.headers.get("user-agent") ?? "", "curl");
    } finally {
      await server.close();
    }
  },
});
