/**
 * The connection cycle (lib/net/http1/connection.ts) driven through a thread loop by sockets under the test's hand:
 * each read, EOF and write settles exactly when the test says, so that the orderings a real server produces
 * only now and then are checked every time.
 */
import assert from "node:assert/strict";
import type { RequestSource, ResponseSink } from "../../../lib/net/request_source.ts";
import type { Socket, Transport } from "../../../lib/net/socket.ts";
import { ThreadLoop } from "../../../lib/worker/thread_loop.ts";

const encoder = new TextEncoder();

/** A socket whose reads are pushed by the test and whose writes settle when the test says (or at once). */
class HandSocket implements Socket {
  buffer: Uint8Array | null = null;
  onRead: (n: number) => void = () => {};
  closed = false;
  writes: { resolve: (n: number) => void; reject: (error: Error) => void; length: number }[] = [];
  constructor(readonly settleWrites: boolean) {}

  startReading(buffer: Uint8Array, onRead: (n: number) => void): void {
    this.buffer = buffer;
    this.onRead = onRead;
  }

  write(bytes: Uint8Array): Promise<number> {
    if (this.settleWrites) return Promise.resolve(bytes.length);
    return new Promise((resolve, reject) => this.writes.push({ resolve, reject, length: bytes.length }));
  }

  close(): void {
    this.closed = true;
  }

  push(text: string): void {
    const bytes = encoder.encode(text);
    this.buffer!.set(bytes);
    this.onRead(bytes.length);
  }
}

function handTransport(sockets: HandSocket[], settleWrites = true): Transport {
  return {
    connect: () => {
      const socket = new HandSocket(settleWrites);
      sockets.push(socket);
      return Promise.resolve(socket);
    },
  };
}

function source(depth: number): RequestSource {
  const bytes = encoder.encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n".repeat(depth));
  return {
    pipelineDepth: depth,
    headFlags: new Array(depth).fill(false),
    delayMs: null,
    dynamic: false,
    nextRequest: () => bytes,
  };
}

const turn = () => new Promise((resolve) => setTimeout(resolve, 5));

function threadLoop(transport: Transport, requestSource: RequestSource, sink: ResponseSink | null = null) {
  return new ThreadLoop({
    threadIndex: 0,
    threadConnections: 1,
    timeoutMs: 2000,
    transport,
    source: requestSource,
    sink,
  });
}

Deno.test("a close in the middle of a pipelined batch counts the responses read and one read error", async () => {
  const sockets: HandSocket[] = [];
  const loop = threadLoop(handTransport(sockets), source(3));
  loop.start();
  await turn();
  // The second response has no framing: its body runs to the close, and the third is lost with it.
  sockets[0].push("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxHTTP/1.1 200 OK\r\n\r\nbody");
  sockets[0].onRead(0);
  await turn();
  const report = loop.stop();
  loop.close();
  assert.equal(report.requests, 2);
  assert.equal(report.errors.read, 1);
});

Deno.test("response() stopping the thread on a Connection: close response counts that response only", async () => {
  const sockets: HandSocket[] = [];
  let loop: ThreadLoop | null = null;
  loop = threadLoop(handTransport(sockets), source(1), { onResponse: () => loop!.halt() });
  loop.start();
  await turn();
  sockets[0].push("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx");
  await turn();
  const report = loop.stop();
  loop.close();
  assert.equal(report.requests, 1);
  assert.deepEqual(report.errors, { connect: 0, read: 0, write: 0, status: 0, timeout: 0 });
  assert.equal(sockets.length, 1, "no reconnect after the stop");
});

Deno.test("response() stopping the thread mid-batch: no response after it is counted or handed to the hook", async () => {
  const sockets: HandSocket[] = [];
  let calls = 0;
  let loop: ThreadLoop | null = null;
  loop = threadLoop(handTransport(sockets), source(2), {
    onResponse: () => {
      calls++;
      loop!.halt();
    },
  });
  loop.start();
  await turn();
  const one = (body: string) => `HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n${body}`;
  sockets[0].push(one("x") + one("y") + one("z"));
  await turn();
  const report = loop.stop();
  loop.close();
  assert.equal(calls, 1);
  assert.equal(report.requests, 1);
  assert.deepEqual(report.errors, { connect: 0, read: 0, write: 0, status: 0, timeout: 0 });
});

Deno.test("a write that fails after its socket was replaced counts nothing against the new socket", async () => {
  const sockets: HandSocket[] = [];
  const loop = threadLoop(handTransport(sockets, false), source(1));
  loop.start();
  await turn();
  // The server closes while the first request is still being written: a read error and a new socket.
  sockets[0].onRead(0);
  await turn();
  assert.equal(sockets.length, 2);
  assert.equal(sockets[1].writes.length, 1, "the new socket has its request in flight");
  sockets[0].writes[0].reject(new Error("broken pipe"));
  await turn();
  sockets[1].writes[0].resolve(sockets[1].writes[0].length);
  sockets[1].push("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx");
  await turn();
  const report = loop.stop();
  loop.close();
  assert.equal(report.requests, 1);
  assert.deepEqual(report.errors, { connect: 0, read: 1, write: 0, status: 0, timeout: 0 });
  assert.equal(sockets[1].closed, true);
  assert.equal(sockets.length, 2, "the healthy socket was not replaced");
});
