/**
 * An HTTP/1.1 connection cycle (lib/net/http1/connection.ts) over a socket in memory: the caller hands it each
 * read, synchronously, and it takes every write at once. For tests of pipelined reads
 * (tests/net/http1/pipelined_reads_test.ts) and the bench of their cost (bench/pipelined_read_bench.ts).
 */
import { openByPromise } from "../../lib/net/_promise_open.ts";
import { Connection } from "../../lib/net/http1/connection.ts";
import { type CycleContext, NO_DEADLINE, ThreadCounters } from "../../lib/net/cycle.ts";
import { ReconnectGate } from "../../lib/net/reconnect_gate.ts";
import { type RequestSource, type ResponseSink, staticRequestSource } from "../../lib/net/request_source.ts";
import type { Socket, Transport } from "../../lib/net/socket.ts";

const encoder = new TextEncoder();

/** A socket whose reads the caller hands over, synchronously, and that takes every write at once. */
export class MemorySocket implements Socket {
  buffer: Uint8Array = new Uint8Array(0);
  onRead: (n: number) => void = () => {};
  writes = 0;
  startReading(buffer: Uint8Array, onRead: (n: number) => void): void {
    this.buffer = buffer;
    this.onRead = onRead;
  }
  write(bytes: Uint8Array): Promise<number> {
    return Promise.resolve(this.writeNow(bytes));
  }
  writeNow(bytes: Uint8Array): number {
    this.writes++;
    return bytes.length;
  }
  close(): void {}
  /** Hands `read` to the connection as one read. */
  push(read: Uint8Array): void {
    this.buffer.set(read);
    this.onRead(read.length);
  }
}

/** `depth` pipelined GETs of `/`, sent as one batch. */
export function pipelinedSource(depth: number): RequestSource {
  return staticRequestSource(encoder.encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n".repeat(depth)), depth);
}

/**
 * What a thread gives its connections, for a closed-loop run (no `-R`) of `depth` pipelined GETs through
 * `transport`, with `sink` (none: no `response()`); a script error fails the test. Returns it and its counters.
 */
export function closedLoopContext(transport: Transport, depth: number, sink: ResponseSink | null = null) {
  const counters = new ThreadCounters();
  const context: CycleContext = {
    transport,
    source: pipelinedSource(depth),
    sink,
    timeoutMs: 60_000,
    counters,
    recordLatencyUs: () => {},
    pacing: null,
    state: { stopped: false },
    reconnects: new ReconnectGate(),
    deadline: NO_DEADLINE,
    onScriptError: (error) => {
      throw error;
    },
  };
  return { context, counters };
}

/**
 * A connected HTTP/1.1 cycle at pipeline `depth` over a `MemorySocket`, its first batch written; `sink`
 * receives each response. Returns the socket, the counters it counts into and the connection.
 */
export async function connectedCycle(depth: number, sink: ResponseSink | null = null) {
  const socket = new MemorySocket();
  const transport: Transport = {
    connect: () => Promise.resolve(socket),
    open: (target) => openByPromise(() => Promise.resolve(socket), target),
  };
  const { context, counters } = closedLoopContext(transport, depth, sink);
  const connection = new Connection(context);
  connection.start();
  // The connect settles in a microtask, then the cycle starts reading and writes the first batch.
  while (socket.writes === 0) await Promise.resolve();
  return { socket, counters, connection };
}
