/**
 * The two `Socket`s a Deno connection can become (lib/net/_resource_io.ts): Deno's core ops on the resource id,
 * and the public `Deno.Conn` methods that stand in where Deno's internals differ. One suite runs against both,
 * over plain TCP and TLS, so the fallback is known to work before a Deno upgrade needs it.
 */
import assert from "node:assert/strict";
import { isCoreSocket, socketOf } from "../../lib/net/_resource_io.ts";
import type { Socket } from "../../lib/net/transport.ts";
import { ok, startServer, TEST_CA_FILE } from "../helpers/server.ts";

const decoder = new TextDecoder();
const REQUEST = new TextEncoder().encode("GET /x HTTP/1.1\r\nHost: localhost\r\n\r\n");

async function open(port: number, tls: boolean): Promise<Deno.Conn> {
  const tcp = await Deno.connect({ hostname: "127.0.0.1", port });
  if (!tls) return tcp;
  const conn = await Deno.startTls(tcp, {
    hostname: "localhost",
    caCerts: [Deno.readTextFileSync(TEST_CA_FILE)],
  });
  await conn.handshake();
  return conn;
}

/** Reads until `expected` bytes arrived or EOF; returns the text and whether EOF was seen (read gave 0). */
async function readText(socket: Socket, expected: number): Promise<{ text: string; eof: boolean }> {
  const buffer = new Uint8Array(4096);
  let text = "";
  while (text.length < expected) {
    const n = await socket.read(buffer);
    if (n === 0) return { text, eof: true };
    text += decoder.decode(buffer.subarray(0, n));
  }
  return { text, eof: false };
}

for (const tls of [false, true]) {
  for (const useCoreOps of [true, false]) {
    const name = `${tls ? "TLS" : "TCP"} via ${useCoreOps ? "core ops" : "Deno.Conn methods"}`;

    Deno.test(`socketOf() over ${name}: writes, reads whole responses, reads 0 at EOF`, async () => {
      const answer = "HTTP/1.1 200 X\r\nContent-Length: 5\r\n\r\nhello";
      const server = startServer((_, i) => i === 0 ? ok("hello") : { send: answer, thenClose: true }, {
        tls,
      });
      try {
        const socket = socketOf(await open(server.port, tls), useCoreOps);
        assert.equal(isCoreSocket(socket), useCoreOps);
        for (const closes of [false, true]) {
          assert.equal(await socket.write(REQUEST), REQUEST.length);
          const { text, eof } = await readText(socket, answer.length);
          assert.equal(text, answer);
          assert.equal(eof, false);
          if (closes) assert.deepEqual(await readText(socket, 1), { text: "", eof: true });
        }
        socket.close();
        assert.equal(server.requests.length, 2);
        assert.equal(server.requests[1].path, "/x");
      } finally {
        await server.close();
      }
    });

    Deno.test(`socketOf() over ${name}: a read pending when the socket closes rejects`, async () => {
      const server = startServer(() => ({ hang: true }), { tls });
      try {
        const socket = socketOf(await open(server.port, tls), useCoreOps);
        await socket.write(REQUEST);
        const read = socket.read(new Uint8Array(64));
        socket.close();
        await assert.rejects(read);
        await assert.rejects(socket.write(REQUEST));
      } finally {
        await server.close();
      }
    });
  }
}
