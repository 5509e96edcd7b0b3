/**
 * The epoll loop's connections read into one shared buffer (`Transport.readBuffer`, lib/net/transport.ts):
 * nothing a connection keeps of a response may point into it past its read. Responses split in the head or
 * in the body, from many connections at once, must each keep their own headers and body.
 */
import { assert, assertEquals } from "@std/assert";
import { parseArgs, run } from "../../../mod.ts";
import { openLibc } from "../../../lib/net/_libc.ts";
import { createTransport, usesEpoll } from "../../../lib/net/transport.ts";

/** A server that sends responses in pieces, 1 ms apart, split in the head or in the body. */
function splittingServer(): { port: number; close(): Promise<void> } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const encoder = new TextEncoder();
  const conns = new Set<Deno.Conn>();
  let next = 0;
  const serving = (async () => {
    for await (const conn of listener) {
      conns.add(conn);
      (async () => {
        const buffer = new Uint8Array(4096);
        try {
          while ((await conn.read(buffer)) !== null) {
            const id = String(next++).padStart(6, "0");
            // Bodies of 15 bytes to 3 KiB: some reads end mid-body.
            const body = `body of ${id} ${"x".repeat((next * 397) % 3000)}`;
            const head = `HTTP/1.1 200 OK\r\nX-Id: ${id}\r\nContent-Length: ${body.length}\r\n\r\n`;
            // In turn: the head split inside a header; the whole head and the body's first bytes (a head
            // parsed in place, its body still to come); all at once.
            const pieces = next % 3 === 0
              ? [head.slice(0, 24), head.slice(24), body]
              : next % 3 === 1
              ? [head + body.slice(0, 10), body.slice(10)]
              : [head + body];
            for (const piece of pieces) {
              await conn.write(encoder.encode(piece));
              await new Promise((resolve) => setTimeout(resolve, 1));
            }
          }
        } catch { /* the client closed */ }
        conns.delete(conn);
        try {
          conn.close();
        } catch { /* closed */ }
      })();
    }
  })();
  return {
    port: (listener.addr as Deno.NetAddr).port,
    async close() {
      listener.close();
      for (const conn of conns) {
        try {
          conn.close();
        } catch { /* closed */ }
      }
      await serving;
    },
  };
}

// response() fails the run (a script error) on the first body that is not its own header's.
const CHECK = `
function response(status, headers, body)
  local id = headers["X-Id"]
  local expected = "body of " .. id .. " "
  if body:sub(1, #expected) ~= expected then
    error("response " .. id .. " got the body " .. body:sub(1, 20))
  end
end
`;

Deno.test("eight connections on one epoll loop, responses split and interleaved: each keeps its own headers and body", async () => {
  if (openLibc() === null) return; // no epoll loop here: every connection reads into its own buffer
  const server = splittingServer();
  const path = await Deno.makeTempFile({ suffix: ".lua" });
  try {
    await Deno.writeTextFile(path, CHECK);
    const address = { address: "127.0.0.1", port: server.port, family: 4 as const };
    const transport = createTransport(address, null, true);
    assert(usesEpoll(transport) && transport.readBuffer!(8192) === transport.readBuffer!(8192));
    transport.close?.();
    const config = {
      ...parseArgs(["-t1", "-c8", "-d700ms", "-s", path, `http://127.0.0.1:${server.port}/`]),
    };
    const result = await run({ ...config, epoll: true });
    assert(result.requests > 40, `${result.requests} responses`);
    assertEquals(result.errors, { connect: 0, read: 0, write: 0, timeout: 0, status: 0 });
  } finally {
    await server.close();
    await Deno.remove(path);
  }
});
