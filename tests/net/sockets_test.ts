/**
 * Every `Socket` the transports make, held to one contract (lib/net/socket.ts): Deno's core ops on the
 * resource id and the public `Deno.Conn` methods (lib/net/_resource_io.ts), over plain TCP and TLS, and the
 * epoll loop's libc sockets (lib/net/_epoll_socket.ts), which also get tests of their own: connect failures,
 * aborts, IPv6, writes larger than the socket buffer, bytes that arrive before reading starts.
 */
import { assert, assertEquals, assertRejects, assertThrows } from "@std/assert";
import { ipv6Bytes, openLibc, socketAddressBytes } from "../../lib/net/_libc.ts";
import { EpollLoop } from "../../lib/net/_epoll_socket.ts";
import { clockMs, TIMER_SLACK_MS } from "../../lib/net/clock.ts";
import { isCoreSocket, socketOf } from "../../lib/net/_resource_io.ts";
import { READ_FAILED, type Socket } from "../../lib/net/socket.ts";
import { createTransport, usesEpoll } from "../../lib/net/transport.ts";
import { ok, startServer, TEST_CA_FILE } from "../helpers/server.ts";
import { parseArgs, run } from "../../mod.ts";

const decoder = new TextDecoder();
const REQUEST = new TextEncoder().encode("GET /x HTTP/1.1\r\nHost: localhost\r\n\r\n");

/** Collects what a socket reads; `next(length)` waits until that much text arrived or reading ended. */
function collect(socket: Socket, bufferBytes = 4096) {
  const buffer = new Uint8Array(bufferBytes);
  let text = "";
  let end: number | null = null;
  let reads = 0;
  let wake = () => {};
  socket.startReading(buffer, (n) => {
    reads++;
    if (end !== null) throw new Error(`read of ${n} after the end (${end})`);
    if (n > 0) text += decoder.decode(buffer.subarray(0, n));
    else end = n;
    wake();
  });
  return {
    get text() {
      return text;
    },
    get end() {
      return end;
    },
    get reads() {
      return reads;
    },
    async next(length: number, timeoutMs = 3000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (text.length < length && end === null) {
        if (Date.now() > deadline) throw new Error(`timed out with ${JSON.stringify(text)}`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 20);
        });
      }
    },
  };
}

interface Opener {
  name: string;
  tls: boolean;
  open(port: number): Promise<Socket>;
}

async function denoConn(port: number, tls: boolean): Promise<Deno.Conn> {
  const tcp = await Deno.connect({ hostname: "127.0.0.1", port });
  if (!tls) return tcp;
  const conn = await Deno.startTls(tcp, {
    hostname: "localhost",
    caCerts: [Deno.readTextFileSync(TEST_CA_FILE)],
  });
  await conn.handshake();
  return conn;
}

const openers: Opener[] = [];
for (const tls of [false, true]) {
  for (const useCoreOps of [true, false]) {
    openers.push({
      name: `${tls ? "TLS" : "TCP"} via ${useCoreOps ? "core ops" : "Deno.Conn methods"}`,
      tls,
      open: async (port) => {
        const socket = socketOf(await denoConn(port, tls), useCoreOps);
        assertEquals(isCoreSocket(socket), useCoreOps);
        return socket;
      },
    });
  }
}
const libc = openLibc();
openers.push({
  name: "TCP via the epoll loop",
  tls: false,
  open: (port) => {
    const transport = createTransport({ address: "127.0.0.1", port, family: 4 }, null, true);
    assert(usesEpoll(transport), "the epoll loop needs Linux and --allow-ffi (deno task test grants it)");
    return transport.connect(new AbortController().signal);
  },
});

for (const { name, tls, open } of openers) {
  Deno.test(`${name}: writes, reads whole responses, reads 0 at EOF and nothing after`, async () => {
    const answer = "HTTP/1.1 200 X\r\nContent-Length: 5\r\n\r\nhello";
    const server = startServer((_, i) => i === 0 ? ok("hello") : { send: answer, thenClose: true }, { tls });
    try {
      const socket = await open(server.port);
      const reader = collect(socket);
      assertEquals(await socket.write(REQUEST), REQUEST.length);
      await reader.next(answer.length);
      assertEquals(reader.text, answer);
      assertEquals(reader.end, null);
      const written = socket.writeNow?.(REQUEST) ?? await socket.write(REQUEST);
      assertEquals(written, REQUEST.length);
      await reader.next(2 * answer.length + 1);
      assertEquals(reader.text, answer + answer);
      assertEquals(reader.end, 0);
      socket.close();
      assertEquals(server.requests.length, 2);
      assertEquals(server.requests[1].path, "/x");
    } finally {
      await server.close();
    }
  });

  Deno.test(`${name}: after close() nothing is read and writes fail`, async () => {
    const late = ok("late") as { send: string };
    const server = startServer(() => ({ send: late.send, delayMs: 100 }), { tls });
    try {
      const socket = await open(server.port);
      const reader = collect(socket);
      await socket.write(REQUEST);
      socket.close();
      await new Promise((resolve) => setTimeout(resolve, 250));
      assertEquals(reader.reads, 0);
      await assertRejects(() => socket.write(REQUEST));
      if (socket.writeNow !== undefined) assertThrows(() => socket.writeNow!(REQUEST));
    } finally {
      await server.close();
    }
  });
}

Deno.test("epoll sockets: a refused connect rejects with ECONNREFUSED, and an aborted one with the reason", async () => {
  assert(libc !== null);
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const loop = new EpollLoop(libc);
  const refused = await assertRejects(() =>
    loop.connect(socketAddressBytes("127.0.0.1", port)!, new AbortController().signal)
  );
  assertEquals((refused as { errno?: number }).errno, 111);
  // A black-holed address (TEST-NET-1) never answers: only the abort ends the connect.
  const abort = new AbortController();
  const connecting = loop.connect(socketAddressBytes("192.0.2.1", 9)!, abort.signal);
  setTimeout(() => abort.abort(new Error("gave up")), 50);
  const aborted = await assertRejects(() => connecting, Error);
  assert(aborted.message === "gave up" || "errno" in aborted, aborted.message);
});

Deno.test("epoll sockets: open() tells its target after it returned, once: opened, refused, or given up", async () => {
  assert(libc !== null);
  const server = startServer();
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const closedPort = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const loop = new EpollLoop(libc);
  /** Starts a connect; resolves to what its target heard (every call), checking none came from inside open(). */
  const outcome = (sockaddr: Uint8Array, giveUpAfterMs?: number) => {
    const heard: { opened?: Socket; failed?: unknown }[] = [];
    const done = Promise.withResolvers<typeof heard>();
    let returned = false;
    const target = {
      opened: (socket: Socket) => {
        assert(returned, "opened() came from inside open()");
        heard.push({ opened: socket });
        done.resolve(heard);
      },
      failed: (error: unknown) => {
        assert(returned, "failed() came from inside open()");
        heard.push({ failed: error });
        done.resolve(heard);
      },
    };
    const attempt = loop.open(sockaddr, target);
    returned = true;
    if (giveUpAfterMs !== undefined) setTimeout(() => attempt.cancel(), giveUpAfterMs);
    // A little longer, so that a second call would be seen.
    return done.promise.then((h) => new Promise<typeof h>((resolve) => setTimeout(() => resolve(h), 50)));
  };
  try {
    const [opened] = await outcome(socketAddressBytes("127.0.0.1", server.port)!);
    assert(opened.opened !== undefined);
    const reading = collect(opened.opened);
    await opened.opened.write(REQUEST);
    await reading.next(1);
    opened.opened.close();
    const refused = await outcome(socketAddressBytes("127.0.0.1", closedPort)!);
    assertEquals(refused.length, 1);
    assertEquals((refused[0].failed as { errno?: number }).errno, 111);
    // A black-holed address (TEST-NET-1) never answers: only giving up ends the connect.
    const givenUp = await outcome(socketAddressBytes("192.0.2.1", 9)!, 50);
    assertEquals(givenUp.length, 1);
    const error = givenUp[0].failed as Error;
    assert(error.name === "AbortError" || "errno" in error, String(error));
  } finally {
    loop.close();
    await server.close();
  }
});

Deno.test("epoll sockets: IPv6 loopback works, when the machine has it", async () => {
  let listener: Deno.Listener;
  try {
    listener = Deno.listen({ hostname: "::1", port: 0 });
  } catch {
    return; // no IPv6 here: nothing to test
  }
  const port = (listener.addr as Deno.NetAddr).port;
  const accepted = (async () => {
    const conn = await listener.accept();
    await conn.write(new TextEncoder().encode("hi"));
    conn.close();
  })();
  try {
    const socket = await new EpollLoop(libc!).connect(
      socketAddressBytes("::1", port)!,
      new AbortController().signal,
    );
    const reader = collect(socket);
    await reader.next(3);
    assertEquals(reader.text, "hi");
    assertEquals(reader.end, 0);
    socket.close();
  } finally {
    await accepted;
    listener.close();
  }
});

Deno.test("epoll sockets: a write larger than the socket buffer goes out whole, in order", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const total = 8 * 1024 * 1024;
  const received = (async () => {
    const conn = await listener.accept();
    const buffer = new Uint8Array(65536);
    let count = 0;
    let sum = 0;
    // Slow to start, so that the client's socket buffer fills and its writes have to wait.
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (;;) {
      const n = await conn.read(buffer);
      if (n === null) break;
      for (let i = 0; i < n; i++) sum = (sum + buffer[i] * ((count + i) % 7)) % 1_000_000_007;
      count += n;
      if (count === total) break;
    }
    conn.close();
    return { count, sum };
  })();
  const bytes = new Uint8Array(total);
  let expected = 0;
  for (let i = 0; i < total; i++) {
    bytes[i] = (i * 31) & 0xff;
    expected = (expected + bytes[i] * (i % 7)) % 1_000_000_007;
  }
  const socket = await new EpollLoop(libc!).connect(
    socketAddressBytes("127.0.0.1", port)!,
    new AbortController().signal,
  );
  let written = socket.writeNow!(bytes);
  assert(written < total, "the first write should not fit the socket buffer");
  while (written < total) written += await socket.write(bytes.subarray(written));
  assertEquals(await received, { count: total, sum: expected });
  socket.close();
  listener.close();
});

Deno.test("epoll sockets: bytes and a close that arrive before reading starts are read then", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const served = (async () => {
    const conn = await listener.accept();
    await conn.write(new TextEncoder().encode("early"));
    conn.close();
  })();
  const socket = await new EpollLoop(libc!).connect(
    socketAddressBytes("127.0.0.1", port)!,
    new AbortController().signal,
  );
  await served;
  await new Promise((resolve) => setTimeout(resolve, 50));
  const reader = collect(socket, 2);
  await reader.next(6);
  assertEquals(reader.text, "early");
  assertEquals(reader.end, 0);
  socket.close();
  listener.close();
});

Deno.test("epoll sockets: a reset connection ends reading, once", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const socket = await new EpollLoop(libc!).connect(
    socketAddressBytes("127.0.0.1", port)!,
    new AbortController().signal,
  );
  const conn = await listener.accept();
  const reader = collect(socket);
  // Closing with unread bytes makes the kernel send a reset instead of a FIN.
  socket.writeNow!(REQUEST);
  // Read a byte, so that the request is known to have arrived, and leave the rest unread.
  assertEquals(await conn.read(new Uint8Array(1)), 1);
  conn.close();
  await reader.next(1);
  // READ_FAILED, or 0 when recv runs while the kernel is still processing the reset (it then reports EOF):
  // either ends the response in progress as a read error.
  assert(reader.end === READ_FAILED || reader.end === 0, String(reader.end));
  await new Promise((resolve) => setTimeout(resolve, 50));
  assertEquals(reader.reads, 1);
  socket.close();
  listener.close();
});

Deno.test("ipv6Bytes() reads every text form of an address, and socketAddressBytes() refuses names", () => {
  const hex = (text: string) => [...ipv6Bytes(text)!].map((b) => b.toString(16).padStart(2, "0")).join("");
  assertEquals(hex("::1"), "00000000000000000000000000000001");
  assertEquals(hex("::"), "0".repeat(32));
  assertEquals(hex("2001:db8::2:1"), "20010db8000000000000000000020001");
  assertEquals(hex("fe80::"), "fe800000000000000000000000000000");
  assertEquals(hex("1:2:3:4:5:6:7:8"), "00010002000300040005000600070008");
  assertEquals(hex("::ffff:192.0.2.128"), "00000000000000000000ffffc0000280");
  for (
    const bad of [
      "1:2",
      "1::2::3",
      "12345::1",
      "1:2:3:4:5:6:7:8:9",
      "::g",
      "::1.2.3",
      ":1:2",
      "1:2:",
      ":1::2",
    ]
  ) {
    assertEquals(ipv6Bytes(bad), null, bad);
  }
  assertEquals(socketAddressBytes("localhost", 80), null);
  assertEquals(socketAddressBytes("fe80::1%eth0", 80), null);
  assertEquals([...socketAddressBytes("10.1.2.3", 8080)!], [
    2,
    0,
    0x1f,
    0x90,
    10,
    1,
    2,
    3,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
  ]);
});

Deno.test("epoll sockets: a server streaming faster than we read cannot hold up the thread's timers or its stop", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const chunk = new Uint8Array(64 * 1024).fill(120);
  const streams: Promise<void>[] = [];
  const serving = (async () => {
    for await (const conn of listener) {
      streams.push((async () => {
        try {
          await conn.read(new Uint8Array(4096));
          await conn.write(new TextEncoder().encode("HTTP/1.1 200 OK\r\n\r\n"));
          // A close-delimited body that never ends.
          for (;;) await conn.write(chunk);
        } catch {
          // the client closed
        } finally {
          try {
            conn.close();
          } catch { /* closed */ }
        }
      })());
    }
  })();
  try {
    const started = performance.now();
    const result = await run({
      ...parseArgs(["-t1", "-c2", "-d500ms", `http://127.0.0.1:${port}/`]),
      epoll: true,
    });
    const tookMs = performance.now() - started;
    assert(result.runtimeUs <= 600_000, `ran ${result.runtimeUs} µs for -d 500ms`);
    // Start-up (threads loading their modules) included: the stop itself takes milliseconds.
    assert(tookMs < 5000, `run() took ${tookMs} ms`);
    assert(result.bytesRead > 1024 * 1024, `${result.bytesRead} bytes read`);
  } finally {
    listener.close();
    await serving.catch(() => {});
    await Promise.all(streams);
  }
});

/**
 * A server on its own thread that, once connected, sends a byte every `everyMs` for `forMs`: wake-ups for the
 * loop that have nothing to do with its timers.
 */
async function tickingServer(everyMs: number, forMs: number): Promise<{ port: number; worker: Worker }> {
  const code = `
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    postMessage(listener.addr.port);
    const conn = await listener.accept();
    const byte = new Uint8Array([120]);
    const endMs = performance.now() + ${forMs};
    for (let next = performance.now(); next < endMs; next += ${everyMs}) {
      while (performance.now() < next) { /* spin: setTimeout has millisecond steps */ }
      await conn.write(byte);
    }
    conn.close();
    listener.close();
  `;
  const worker = new Worker(URL.createObjectURL(new Blob([code], { type: "text/javascript" })), {
    type: "module",
  });
  const port = await new Promise<number>((resolve) => (worker.onmessage = (event) => resolve(event.data)));
  return { port, worker };
}

Deno.test("epoll loop: timers due within TIMER_SLACK_MS of each other fire in one round, whatever wakes the loop", async () => {
  assert(libc !== null);
  const { port, worker } = await tickingServer(0.07, 200);
  const loop = new EpollLoop(libc);
  const socket = await loop.connect(socketAddressBytes("127.0.0.1", port)!, new AbortController().signal);
  try {
    // Bytes arrive every 0.07 ms: the loop wakes for each.
    socket.startReading(new Uint8Array(4096), () => {});
    // Ten timers 0.1 ms apart, as -R 10k's slots over ten connections: run at every wake-up, they would fire
    // in about ten rounds.
    const dueMs: number[] = [];
    const firedMs: number[] = [];
    const done = Promise.withResolvers<void>();
    const startMs = clockMs();
    for (let i = 0; i < 10; i++) {
      dueMs.push(startMs + 20 + i * 0.1);
      loop.timer(20 + i * 0.1, () => {
        firedMs.push(clockMs());
        if (firedMs.length === 10) done.resolve();
      });
    }
    await done.promise;
    for (let i = 0; i < 10; i++) {
      assert(firedMs[i] >= dueMs[i], `timer ${i} fired ${dueMs[i] - firedMs[i]} ms early`);
    }
    // Callbacks of one round run back to back; the next round comes TIMER_SLACK_MS later. Two rounds at most,
    // and one gap more for the thread being preempted mid-round.
    let rounds = 1;
    for (let i = 1; i < 10; i++) if (firedMs[i] - firedMs[i - 1] > 0.05) rounds++;
    assert(rounds <= 3, `fired in ${rounds} rounds: ${firedMs.map((t) => (t - startMs).toFixed(3))}`);
    // The last fires within the slack of its time, give or take a busy machine.
    assert(firedMs[9] - dueMs[9] < TIMER_SLACK_MS + 20, `${firedMs[9] - dueMs[9]} ms late`);
  } finally {
    socket.close();
    loop.close();
    worker.terminate();
  }
});
