/**
 * One suite, run against every transport (plain TCP on the epoll loop and on Deno's sockets, TLS verified with
 * --cacert, TLS with -k): the connection
 * cycle must count and parse the same whatever carries the bytes.
 */
import { assert, assertEquals } from "@std/assert";
import { parseArgs, run } from "../../mod.ts";
import { ok, type Responder, startServer, TEST_CA_FILE } from "../helpers/server.ts";

const transports = [
  { name: "tcp (epoll loop)", tls: false, flags: [] as string[], epoll: true },
  { name: "tcp (Deno sockets)", tls: false, flags: [] as string[], epoll: false },
  { name: "tls", tls: true, flags: ["--cacert", TEST_CA_FILE], epoll: true },
  { name: "tls -k", tls: true, flags: ["-k"], epoll: true },
];

async function measure(
  { tls, flags, epoll }: { tls: boolean; flags: string[]; epoll: boolean },
  responder: Responder,
  extra: string[] = [],
) {
  const server = startServer(responder, { tls });
  try {
    const config = { ...parseArgs(["-t1", "-c2", "-d400ms", ...flags, ...extra, server.url]), epoll };
    const result = await run(config);
    return { result, server };
  } finally {
    await server.close();
  }
}

for (const transport of transports) {
  const name = transport.name;
  Deno.test(`transport ${name}: every answered request is counted, with its bytes`, async () => {
    const { result, server } = await measure(transport, () => ok("hello"));
    assert(result.requests > 10, `${result.requests} requests`);
    assert(server.requests.length - result.requests <= 2);
    assertEquals(
      result.bytesRead,
      result.requests * "HTTP/1.1 200 X\r\nContent-Length: 5\r\n\r\nhello".length,
    );
    assertEquals(result.errors, { connect: 0, read: 0, write: 0, status: 0, timeout: 0 });
  });

  Deno.test(`transport ${name}: chunked bodies and Connection: close are handled without errors`, async () => {
    const chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
    const { result } = await measure(
      transport,
      (_, i) => i % 3 === 0 ? ok("x", 200, "Connection: close\r\n") : { send: chunked },
    );
    assert(result.requests > 10);
    assertEquals(result.errors, { connect: 0, read: 0, write: 0, status: 0, timeout: 0 });
  });

  Deno.test(`transport ${name}: a server closing instead of answering counts read errors`, async () => {
    const { result } = await measure(transport, (_, i) => i % 2 === 0 ? ok() : { close: true });
    assert(
      result.errors.read > 0 && Math.abs(result.errors.read - result.requests) <= 2,
      JSON.stringify(result.errors),
    );
  });

  Deno.test(`transport ${name}: an unanswered request times out and its connection is replaced`, async () => {
    const { result, server } = await measure(transport, () => ({ hang: true }), ["--timeout", "150ms"]);
    assertEquals(result.requests, 0);
    assert(result.errors.timeout >= 2, JSON.stringify(result.errors));
    assert(server.connections() > result.errors.timeout);
  });
}
