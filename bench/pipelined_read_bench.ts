/**
 * `deno bench -A bench/pipelined_read_bench.ts`: the client's cost per response in the connection cycle
 * (lib/net/http1/connection.ts with its ResponseParser), without sockets or a server, for nginx's response to a
 * plain GET: one response per read at pipeline depth 1 (the no-script case), against 16 pipelined responses in
 * one read, in reads cut at odd places (as the kernel hands them over), and in one read with two heads in turn
 * (so that none repeats the head before it: lib/net/http1/_repeated_head.ts). A read that holds many responses
 * should cost per response no more than a read holding one; `deno task bench` cannot show a difference this
 * small through its noise. Each bench iteration completes 16 responses. Figures go to docs/benchmarks.md by hand.
 *
 * @module
 */

import { connectedCycle } from "../tests/helpers/memory_cycle.ts";

const encoder = new TextEncoder();

/** nginx 1.22's answer to `return 200 "Hello, World!\n"`: 169 bytes. */
const RESPONSE = encoder.encode(
  "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Sun, 06 Dec 2026 10:13:17 GMT\r\n" +
    "Content-Type: text/plain\r\nContent-Length: 14\r\nConnection: keep-alive\r\n\r\nHello, World!\n",
);

const single = await connectedCycle(1);
single.socket.buffer.set(RESPONSE);

const whole = await connectedCycle(16);
for (let i = 0; i < 16; i++) whole.socket.buffer.set(RESPONSE, i * RESPONSE.length);

/** The 16 responses in reads of 1000 bytes (ends fall inside heads and bodies); each read's bytes in turn. */
const SPLIT_READ = 1000;
const stream = new Uint8Array(16 * RESPONSE.length);
for (let i = 0; i < 16; i++) stream.set(RESPONSE, i * RESPONSE.length);
const splitReads: Uint8Array[] = [];
for (let at = 0; at < stream.length; at += SPLIT_READ) splitReads.push(stream.slice(at, at + SPLIT_READ));
const split = await connectedCycle(16);

/**
 * 16 responses whose heads alternate between nginx's and one with another Date, in one read: no head equals
 * the one before it. The kept head (lib/net/http1/_repeated_head.ts) is replaced only at the second miss in a
 * row, so it stays one of the two and half of the heads are recognised: the cost of two kinds of head in turn.
 */
const OTHER = encoder.encode(new TextDecoder().decode(RESPONSE).replace("10:13:17", "10:13:18"));
const alternating = await connectedCycle(16);
for (let i = 0; i < 16; i++) {
  alternating.socket.buffer.set(i % 2 === 0 ? RESPONSE : OTHER, i * RESPONSE.length);
}

Deno.bench("16 responses, one per read (depth 1)", { group: "per read", baseline: true }, () => {
  const onRead = single.socket.onRead;
  for (let i = 0; i < 16; i++) onRead(RESPONSE.length);
});

Deno.bench("16 pipelined responses in one read", { group: "per read" }, () => {
  whole.socket.onRead(16 * RESPONSE.length);
});

Deno.bench("16 pipelined responses in reads of 1000 bytes", { group: "per read" }, () => {
  const { socket } = split;
  for (const read of splitReads) {
    socket.buffer.set(read);
    socket.onRead(read.length);
  }
});

Deno.bench("16 pipelined responses in one read, two heads alternating", { group: "per read" }, () => {
  alternating.socket.onRead(16 * RESPONSE.length);
});

globalThis.addEventListener("unload", () => {
  for (const { counters } of [single, whole, split, alternating]) {
    const errors = Object.values(counters.errors).reduce((a, b) => a + b, 0);
    if (errors > 0) {
      throw new Error(`the bench's cycles counted ${errors} errors: ${JSON.stringify(counters.errors)}`);
    }
  }
});
