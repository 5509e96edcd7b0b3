/**
 * The HTTP/2 cycle (lib/net/http2/connection.ts) over a socket in memory whose writes the test holds back: what
 * it queues while the server reads nothing can be seen only there (over a real socket it is memory, and a run
 * of seconds to show). The server's frames are handed over as reads.
 */
import { assert, assertEquals } from "@std/assert";
import { openByPromise } from "../../../lib/net/_promise_open.ts";
import { Flag, FrameType, FrameWriter, MAX_WINDOW_BYTES, Setting } from "../../../lib/net/http2/frames.ts";
import { Http2Connection } from "../../../lib/net/http2/connection.ts";
import { staticRequestSource } from "../../../lib/net/request_source.ts";
import type { Socket, Transport } from "../../../lib/net/socket.ts";
import { closedLoopContext } from "../../helpers/memory_cycle.ts";

/**
 * A socket that takes writes whole until `stall()`, then takes nothing (`writeNow` gives 0, `write` waits)
 * until `drain()` takes the write waiting. Keeps every byte taken, and the size of every write offered.
 */
class StallingSocket implements Socket {
  buffer: Uint8Array = new Uint8Array(0);
  onRead: (n: number) => void = () => {};
  stalled = false;
  /** The bytes of each write or writeNow offered, taken or not. */
  readonly offered: number[] = [];
  #taken: Uint8Array[] = [];
  #waiting: { bytes: Uint8Array; resolve: (n: number) => void } | null = null;

  startReading(buffer: Uint8Array, onRead: (n: number) => void): void {
    this.buffer = buffer;
    this.onRead = onRead;
  }
  writeNow(bytes: Uint8Array): number {
    this.offered.push(bytes.length);
    if (this.stalled) return 0;
    this.#taken.push(bytes.slice());
    return bytes.length;
  }
  write(bytes: Uint8Array): Promise<number> {
    this.offered.push(bytes.length);
    if (!this.stalled) {
      this.#taken.push(bytes.slice());
      return Promise.resolve(bytes.length);
    }
    return new Promise((resolve) => this.#waiting = { bytes: bytes.slice(), resolve });
  }
  /** Takes the write waiting, if any (and what follows, until `stall()` again). */
  drain(stayStalled: boolean): void {
    this.stalled = stayStalled;
    const waiting = this.#waiting;
    this.#waiting = null;
    if (waiting === null) return;
    this.#taken.push(waiting.bytes);
    waiting.resolve(waiting.bytes.length);
  }
  close(): void {}
  /** Hands `read` to the connection as one read. */
  push(read: Uint8Array): void {
    this.buffer.set(read);
    this.onRead(read.length);
  }
  /** DATA bytes taken per stream, and the streams whose DATA ended (END_STREAM). */
  dataTaken(): { bytes: Map<number, number>; ended: Set<number> } {
    const all = new Uint8Array(this.#taken.reduce((sum, chunk) => sum + chunk.length, 0));
    let at = 0;
    for (const chunk of this.#taken) {
      all.set(chunk, at);
      at += chunk.length;
    }
    const bytes = new Map<number, number>();
    const ended = new Set<number>();
    // The client's preface comes first.
    for (let pos = 24; pos + 9 <= all.length;) {
      const length = all[pos] << 16 | all[pos + 1] << 8 | all[pos + 2];
      const streamId = new DataView(all.buffer, pos + 5, 4).getUint32(0) & 0x7fffffff;
      if (all[pos + 3] === FrameType.DATA) {
        bytes.set(streamId, (bytes.get(streamId) ?? 0) + length);
        if (all[pos + 4] & Flag.END_STREAM) ended.add(streamId);
      }
      pos += 9 + length;
    }
    return { bytes, ended };
  }
}

/** Lets the connect's promise and the writes' settle. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise((resolve) => setTimeout(resolve, 0));
}

Deno.test("request bodies queue a bounded amount while the server reads nothing, and go on whole as it drains", async () => {
  const bodyBytes = 1 << 20;
  const request = new TextEncoder().encode(
    `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${bodyBytes}\r\n\r\n${"b".repeat(bodyBytes)}`,
  );
  const socket = new StallingSocket();
  const transport: Transport = {
    connect: () => Promise.resolve(socket),
    open: (target) => openByPromise(() => Promise.resolve(socket), target),
  };
  const { context: base } = closedLoopContext(transport, 1);
  const context = { ...base, source: staticRequestSource(request) };
  const connection = new Http2Connection(context, null, { scheme: "http", streams: 4 });
  connection.start();
  await settle();
  // The preface, and the first stream's HEADERS and the part of its body the default window lets through.
  assert(socket.offered.length > 0);
  socket.stalled = true;
  // The server grants every window there is (2^31-1), then reads nothing: a client without the bound copied
  // every body into memory.
  const settings = new FrameWriter();
  settings.settings([[Setting.INITIAL_WINDOW_SIZE, MAX_WINDOW_BYTES]]);
  settings.windowUpdate(0, MAX_WINDOW_BYTES - 65_535);
  socket.push(settings.bytes());
  await settle();
  const offeredWhileStalled = Math.max(...socket.offered.slice(1));
  // Four streams' bodies are 4 MiB: what waits is a quarter of a mebibyte and the frames around it.
  assert(offeredWhileStalled < 300 * 1024, `${offeredWhileStalled} bytes offered to a socket taking nothing`);
  // As the socket takes the writes, the bodies go on, each whole and ended once.
  for (let i = 0; i < 100 && socket.dataTaken().ended.size < 4; i++) {
    socket.drain(false);
    await settle();
  }
  const { bytes, ended } = socket.dataTaken();
  assertEquals([...ended].sort((a, b) => a - b), [1, 3, 5, 7]);
  for (const id of ended) assertEquals(bytes.get(id), bodyBytes, `stream ${id}`);
  connection.close();
});
