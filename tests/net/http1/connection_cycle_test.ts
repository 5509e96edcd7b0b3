/**
 * The connection cycle (lib/net/http1/connection.ts) driven through a thread loop by sockets under the test's hand:
 * each read, EOF and write settles exactly when the test says, so that the orderings a real server produces
 * only now and then are checked every time.
 */
import { assertEquals } from "@std/assert";
import { FakeTime } from "@std/testing/time";
import {
  type RequestSource,
  type ResponseSink,
  staticRequestSource,
} from "../../../lib/net/request_source.ts";
import { openByPromise } from "../../../lib/net/_promise_open.ts";
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
  const connect = () => {
    const socket = new HandSocket(settleWrites);
    sockets.push(socket);
    return Promise.resolve(socket);
  };
  return { connect, open: (target) => openByPromise(connect, target) };
}

function source(depth: number): RequestSource {
  return staticRequestSource(encoder.encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n".repeat(depth)), depth);
}

/**
 * Lets the loop run for 5 ms of fake time, 1 ms at a time, settling every promise in between: what a real 5 ms
 * wait gave the loop, but no more. The loop's timers (its 100 ms tick, the macrotask before a reconnect) are
 * `FakeTime`'s, so the tick, and the request expiry it drives, cannot fire between the test's steps however
 * slow the machine; the cycle's clock (performance.now) stays real, but only the tick reads it for a decision.
 */
async function turn(time: FakeTime): Promise<void> {
  for (let ms = 0; ms < 5; ms++) await time.tickAsync(1);
  await time.runMicrotasks();
}

function threadLoop(transport: Transport, requestSource: RequestSource, sink: ResponseSink | null = null) {
  return new ThreadLoop({
    threadIndex: 0,
    threadConnections: 1,
    timeoutMs: 2000,
    transport,
    source: requestSource,
    sink,
    rate: null,
  });
}

Deno.test("a close in the middle of a pipelined batch counts the responses read, and the rest lost is no error", async () => {
  using time = new FakeTime();
  const sockets: HandSocket[] = [];
  const loop = threadLoop(handTransport(sockets), source(3));
  loop.start();
  await turn(time);
  // The second response has no framing: its body runs to the close, and the third is lost with it.
  sockets[0].push("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxHTTP/1.1 200 OK\r\n\r\nbody");
  sockets[0].onRead(0);
  await turn(time);
  const report = loop.stop();
  loop.close();
  assertEquals(report.requests, 2);
  assertEquals(report.errors.read, 0);
  // The next batch goes on a new connection.
  assertEquals(sockets.length, 2);
});

Deno.test("Connection: close in the middle of a pipelined batch: the rest is lost, no error, a new connection (as wrk)", async () => {
  using time = new FakeTime();
  const sockets: HandSocket[] = [];
  const loop = threadLoop(handTransport(sockets), source(3));
  loop.start();
  await turn(time);
  sockets[0].push(
    "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx" +
      "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: close\r\n\r\ny",
  );
  await turn(time);
  assertEquals(sockets.length, 2);
  sockets[1].push("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nz".repeat(3));
  await turn(time);
  const report = loop.stop();
  loop.close();
  assertEquals(report.requests, 5);
  assertEquals(report.errors, { connect: 0, read: 0, write: 0, status: 0, timeout: 0 });
});

Deno.test("response() stopping the thread on a Connection: close response counts that response only", async () => {
  using time = new FakeTime();
  const sockets: HandSocket[] = [];
  let loop: ThreadLoop | null = null;
  loop = threadLoop(handTransport(sockets), source(1), { onResponse: () => loop!.halt() });
  loop.start();
  await turn(time);
  sockets[0].push("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx");
  await turn(time);
  const report = loop.stop();
  loop.close();
  assertEquals(report.requests, 1);
  assertEquals(report.errors, { connect: 0, read: 0, write: 0, status: 0, timeout: 0 });
  assertEquals(sockets.length, 1, "no reconnect after the stop");
});

Deno.test("response() stopping the thread mid-batch: no response after it is counted or handed to the hook", async () => {
  using time = new FakeTime();
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
  await turn(time);
  const one = (body: string) => `HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n${body}`;
  sockets[0].push(one("x") + one("y") + one("z"));
  await turn(time);
  const report = loop.stop();
  loop.close();
  assertEquals(calls, 1);
  assertEquals(report.requests, 1);
  assertEquals(report.errors, { connect: 0, read: 0, write: 0, status: 0, timeout: 0 });
});

Deno.test("a write that fails after its socket was replaced counts nothing against the new socket", async () => {
  using time = new FakeTime();
  const sockets: HandSocket[] = [];
  const loop = threadLoop(handTransport(sockets, false), source(1));
  loop.start();
  await turn(time);
  // The server closes while the first request is still being written: a read error and a new socket.
  sockets[0].onRead(0);
  await turn(time);
  assertEquals(sockets.length, 2);
  assertEquals(sockets[1].writes.length, 1, "the new socket has its request in flight");
  sockets[0].writes[0].reject(new Error("broken pipe"));
  await turn(time);
  sockets[1].writes[0].resolve(sockets[1].writes[0].length);
  sockets[1].push("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx");
  await turn(time);
  const report = loop.stop();
  loop.close();
  assertEquals(report.requests, 1);
  assertEquals(report.errors, { connect: 0, read: 1, write: 0, status: 0, timeout: 0 });
  assertEquals(sockets[1].closed, true);
  assertEquals(sockets.length, 2, "the healthy socket was not replaced");
});

Deno.test("a connection that answered and then closes is replaced at once, as wrk's reconnect_socket does", async () => {
  using time = new FakeTime();
  const sockets: HandSocket[] = [];
  const loop = threadLoop(handTransport(sockets), source(1));
  loop.start();
  await turn(time);
  // A server that closes after each response without saying so: the next request meets the close.
  sockets[0].push("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx");
  sockets[0].onRead(0);
  assertEquals(sockets.length, 2, "the new socket is opened in the same turn");
  await time.runMicrotasks();
  sockets[1].push("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx");
  const report = loop.stop();
  loop.close();
  assertEquals(report.requests, 2);
  assertEquals(report.errors, { connect: 0, read: 1, write: 0, status: 0, timeout: 0 });
});

Deno.test("a connection closed before its first answer is replaced a macrotask later, and so, for a while, is every other", async () => {
  using time = new FakeTime();
  const sockets: HandSocket[] = [];
  const loop = threadLoop(handTransport(sockets), source(1));
  loop.start();
  await turn(time);
  // A server over its connection limit closes connections it cannot keep before they were answered.
  sockets[0].onRead(0);
  assertEquals(sockets.length, 1, "not in the same turn");
  await turn(time);
  assertEquals(sockets.length, 2);
  // This one answered, but the thread saw a connection fail unanswered just now: it waits too.
  sockets[1].push("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx");
  sockets[1].onRead(0);
  assertEquals(sockets.length, 2, "not in the same turn");
  await turn(time);
  assertEquals(sockets.length, 3);
  const report = loop.stop();
  loop.close();
  assertEquals(report.requests, 1);
  assertEquals(report.errors, { connect: 0, read: 2, write: 0, status: 0, timeout: 0 });
});
