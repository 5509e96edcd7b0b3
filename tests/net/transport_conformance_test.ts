/**
 * One suite, run against every transport (plain TCP, TLS verified with --cacert, TLS with -k): the connection
 * cycle must count and parse the same whatever carries the bytes.
 */
import assert from "node:assert/strict";
import { parseArgs, run } from "../../mod.ts";
import { ok, type Responder, startServer, TEST_CA_FILE } from "../helpers/server.ts";

const transports = [
  { name: "tcp", tls: false, flags: [] as string[] },
  { name: "tls", tls: true, flags: ["--cacert", TEST_CA_FILE] },
  { name: "tls -k", tls: true, flags: ["-k"] },
];

async function measure(tls: boolean, flags: string[], responder: Responder, extra: string[] = []) {
  const server = startServer(responder, { tls });
  try {
    const result = await run(parseArgs(["-t1", "-c2", "-d400ms", ...flags, ...extra, server.url]));
    return { result, server };
  } finally {
    await server.close();
  }
}

for (const { name, tls, flags } of transports) {
  Deno.test(`transport ${name}: every answered request is counted, with its bytes`, async () => {
    const { result, server } = await measure(tls, flags, () => ok("hello"));
    assert.ok(result.requests > 10, `${result.requests} requests`);
    assert.ok(server.requests.length - result.requests <= 2);
    assert.equal(
      result.bytesRead,
      result.requests * "HTTP/1.1 200 X\r\nContent-Length: 5\r\n\r\nhello".length,
    );
    assert.deepEqual(result.errors, { connect: 0, read: 0, write: 0, status: 0, timeout: 0 });
  });

  Deno.test(`transport ${name}: chunked bodies and Connection: close are handled without errors`, async () => {
    const chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
    const { result } = await measure(
      tls,
      flags,
      (_, i) => i % 3 === 0 ? ok("x", 200, "Connection: close\r\n") : { send: chunked },
    );
    assert.ok(result.requests > 10);
    assert.deepEqual(result.errors, { connect: 0, read: 0, write: 0, status: 0, timeout: 0 });
  });

  Deno.test(`transport ${name}: a server closing instead of answering counts read errors`, async () => {
    const { result } = await measure(tls, flags, (_, i) => i % 2 === 0 ? ok() : { close: true });
    assert.ok(
      result.errors.read > 0 && Math.abs(result.errors.read - result.requests) <= 2,
      JSON.stringify(result.errors),
    );
  });

  Deno.test(`transport ${name}: an unanswered request times out and its connection is replaced`, async () => {
    const { result, server } = await measure(tls, flags, () => ({ hang: true }), ["--timeout", "150ms"]);
    assert.equal(result.requests, 0);
    assert.ok(result.errors.timeout >= 2, JSON.stringify(result.errors));
    assert.ok(server.connections() > result.errors.timeout);
  });
}
