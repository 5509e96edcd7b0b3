/**
 * The epoll loop pauses between waits only for cycles that send pipelined batches (`Transport.paceReads`,
 * lib/net/_epoll_socket.ts; `pacing.pauses` is the probe), and only with many sockets open: cycles of single
 * requests never pause, nor a few pipelined ones, and pipelined ones that do, through real sockets, count every
 * response of every batch as before.
 */
import { assert, assertEquals } from "@std/assert";
import { Connection } from "../../lib/net/http1/connection.ts";
import type { ThreadCounters } from "../../lib/net/cycle.ts";
import { openLibc } from "../../lib/net/_libc.ts";
import { pacing } from "../../lib/net/_epoll_socket.ts";
import { createTransport, usesEpoll } from "../../lib/net/transport.ts";
import type { Transport } from "../../lib/net/socket.ts";
import { closedLoopContext } from "../helpers/memory_cycle.ts";

const RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n";

/**
 * The server, run in a worker (its own thread, as a real server runs beside the client): answers every request
 * (a GET ends with a blank line) with `RESPONSE`, one connection's answers at a time, so that the client's
 * sockets become ready a few at a time, as a busy server's do. Posts its port.
 */
const SERVER = `
const RESPONSE = ${JSON.stringify(RESPONSE)};
const encoder = new TextEncoder();
const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
self.postMessage(listener.addr.port);
const queue = [];
let writing = false;
async function writeAll() {
  writing = true;
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    try {
      await next.conn.write(next.bytes);
    } catch { /* the client closed */ }
  }
  writing = false;
}
for await (const conn of listener) {
  (async () => {
    const buffer = new Uint8Array(4096);
    try {
      for (;;) {
        const n = await conn.read(buffer);
        if (n === null) break;
        let ends = 0;
        for (let i = 3; i < n; i++) if (buffer[i] === 10 && buffer[i - 2] === 10) ends++;
        if (ends === 0) continue;
        queue.push({ conn, bytes: encoder.encode(RESPONSE.repeat(ends)) });
        if (!writing) writeAll();
      }
    } catch { /* the client closed */ }
    try {
      conn.close();
    } catch { /* closed */ }
  })();
}
`;

/** Starts `SERVER` in a worker; returns its port and how to stop it. */
async function serverWorker() {
  const path = await Deno.makeTempFile({ suffix: ".js" });
  await Deno.writeTextFile(path, SERVER);
  const worker = new Worker(new URL(`file://${path}`), { type: "module" });
  const port = await new Promise<number>((resolve) => worker.onmessage = (event) => resolve(event.data));
  return {
    port,
    async close() {
      worker.terminate();
      await Deno.remove(path);
    },
  };
}

/**
 * Runs `count` connections at pipeline `depth` through `transport` until `requests` responses; returns the
 * counters. The phases of a test share one transport (one epoll loop), as a thread's connections do.
 */
async function runCycles(
  transport: Transport,
  count: number,
  depth: number,
  requests: number,
): Promise<ThreadCounters> {
  const { context, counters } = closedLoopContext(transport, depth);
  const connections = Array.from({ length: count }, () => new Connection(context));
  try {
    for (const connection of connections) connection.start();
    // A bound, not a timing: a cycle that stopped counting fails the test instead of hanging it.
    for (let turns = 0; counters.requests < requests; turns++) {
      if (turns === 6000) {
        throw new Error(`stuck at ${counters.requests}: ${JSON.stringify(counters.errors)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    for (const connection of connections) connection.close();
  }
  return counters;
}

Deno.test("the epoll loop pauses between waits for pipelined batches only, and counts every response", async () => {
  if (openLibc() === null) return; // no epoll loop here
  const server = await serverWorker();
  const transport = createTransport({ address: "127.0.0.1", port: server.port, family: 4 }, null, true);
  assert(usesEpoll(transport));
  try {
    const before = pacing.pauses;
    const single = await runCycles(transport, 40, 1, 4000);
    assertEquals(pacing.pauses, before, "single requests: no pause");
    assertEquals(single.errors, { connect: 0, read: 0, write: 0, timeout: 0, status: 0 });
    const few = await runCycles(transport, 2, 16, 2000);
    assertEquals(pacing.pauses, before, "two pipelined connections: no pause");
    assertEquals(few.errors, { connect: 0, read: 0, write: 0, timeout: 0, status: 0 });

    const count = 40;
    const pipelined = await runCycles(transport, count, 16, 8000);
    assert(pacing.pauses > before, "pipelined batches on 40 connections: the loop paused");
    assertEquals(pipelined.errors, { connect: 0, read: 0, write: 0, timeout: 0, status: 0 });
    // Every response read was counted (bytes of one more per connection may have been read at the close).
    assert(pipelined.requests >= 8000);
    const counted = pipelined.requests * RESPONSE.length;
    assert(pipelined.bytesRead >= counted && pipelined.bytesRead < counted + count * RESPONSE.length);
    assertEquals(pipelined.statusCodes[200], pipelined.requests);
  } finally {
    transport.close?.();
    await server.close();
  }
});
