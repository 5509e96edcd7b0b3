/**
 * Threads share Web Workers when there are more threads than cores (lib/worker/worker_host.ts): each stays a
 * wrk thread with its own Lua state, connections and figures, whatever worker it runs in (or the main thread,
 * with `hostOnMainThread` and no script); and the epoll transports of one worker share its loop
 * (lib/net/transport.ts) without one thread's end closing it for another.
 */
import { assert, assertEquals } from "@std/assert";
import { parseArgs, run } from "../../mod.ts";
import { openLibc } from "../../lib/net/_libc.ts";
import { createTransport, usesEpoll } from "../../lib/net/transport.ts";
import { type HostedReceiver, MainThreadHost, workerCount } from "../../lib/worker/worker_host.ts";
import type { ThreadPort } from "../../lib/worker/protocol.ts";
import { startServer } from "../helpers/server.ts";

Deno.test("workerCount() gives one worker per core, never more than the threads, never none", () => {
  assertEquals(workerCount(8, 2), 2);
  assertEquals(workerCount(2, 16), 2);
  assertEquals(workerCount(3, 3), 3);
  assertEquals(workerCount(1, 0), 1);
  assertEquals(workerCount(4, 2.5), 2);
  // Without a limit, the cores this process may use.
  assertEquals(workerCount(1024), Math.min(1024, navigator.hardwareConcurrency));
});

Deno.test("MainThreadHost: a message for a thread it does not host fails all its threads, as a worker's does", async () => {
  // A stand-in for serveThreads that answers every message as thread 5, which this host was never given.
  const serve = (port: ThreadPort) => {
    port.onmessage = () => port.postMessage({ type: "closed", thread: 5 });
  };
  const host = new MainThreadHost(serve);
  const failures: string[] = [];
  const received: unknown[] = [];
  const done = Promise.withResolvers<void>();
  const receiver = (): HostedReceiver => ({
    receive: (message) => received.push(message),
    fail: (message) => {
      failures.push(message);
      if (failures.length === 2) done.resolve();
    },
  });
  host.attach(0, receiver());
  host.attach(1, receiver());
  try {
    host.send({ type: "halt", thread: 0 });
    await done.promise;
    assertEquals(received, []);
    assertEquals(failures, [
      "the main thread's host sent a message for thread 6, which it does not host",
      "the main thread's host sent a message for thread 6, which it does not host",
    ]);
  } finally {
    host.release(0);
    host.release(1);
  }
});

// Each thread numbers its requests in its own state, and tells the main state its id and count.
const SCRIPT = `
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end
function init(args)
  count = 0
  mine = id
end
function request()
  count = count + 1
  return wrk.format(nil, "/t" .. mine .. "/" .. count)
end
function done(summary, latency, requests)
  for i, thread in ipairs(threads) do
    io.write(string.format("thread %d: id %s, %d requests\\n", i, tostring(thread:get("mine")), thread:get("count")))
  end
end
`;

for (const maxWorkers of [1, 2, 4]) {
  Deno.test(`-t4 in ${maxWorkers} worker(s): four threads, each with its own Lua state, connections and figures`, async () => {
    const server = startServer();
    const path = await Deno.makeTempFile({ suffix: ".lua" });
    let printed = "";
    try {
      await Deno.writeTextFile(path, SCRIPT);
      const config = { ...parseArgs(["-t4", "-c8", "-d400ms", "-s", path, server.url]), epoll: true };
      const result = await run(config, {
        maxWorkers,
        write: (bytes) => (printed += new TextDecoder().decode(bytes)),
      });
      assertEquals(result.unfinishedThreads, []);
      // done() saw four states, each with the id setup() gave it and requests of its own.
      const lines = printed.trim().split("\n");
      assertEquals(lines.length, 4, printed);
      const sent: number[] = [];
      lines.forEach((line, i) => {
        const match = line.match(/^thread (\d): id (\d), (\d+) requests$/);
        assert(match !== null, line);
        assertEquals([Number(match[1]), Number(match[2])], [i + 1, i + 1]);
        sent.push(Number(match[3]));
      });
      // Every thread sent, and each numbered its paths 1, 2, 3... in its own state, whichever worker ran it.
      for (let id = 1; id <= 4; id++) {
        const paths = server.requests.filter((r) => r.path.startsWith(`/t${id}/`)).map((r) => r.path);
        assert(
          paths.length > 0 && sent[id - 1] >= paths.length,
          `thread ${id}: ${paths.length} requests seen`,
        );
        assertEquals(new Set(paths).size, paths.length, `thread ${id} repeated a number`);
      }
      // Two connections per thread.
      assertEquals(new Set(server.requests.map((r) => r.connection)).size, 8);
      assert(result.requests > 0 && result.requests <= server.requests.length);
    } finally {
      await server.close();
      await Deno.remove(path);
    }
  });
}

/** Descriptors this process has open (Linux), or null where /proc/self/fd cannot be read. */
function openDescriptors(): number | null {
  try {
    return [...Deno.readDirSync("/proc/self/fd")].length;
  } catch {
    return null;
  }
}

/**
 * `openDescriptors()` once it has not changed for 200 ms (at most 3 s): the test server in this process closes
 * its side of each connection when it sees the client's close, a moment later.
 */
async function settledDescriptors(): Promise<number | null> {
  let count = openDescriptors();
  for (let stableMs = 0, waitedMs = 0; stableMs < 200 && waitedMs < 3000; waitedMs += 20) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const now = openDescriptors();
    stableMs = now === count ? stableMs + 20 : 0;
    count = now;
  }
  return count;
}

Deno.test("hostOnMainThread: without a script one host's threads run here, with their own connections and figures", async () => {
  const server = startServer();
  try {
    const config = { ...parseArgs(["-t4", "-c8", "-d400ms", server.url]), epoll: true };
    // A first run opens what the process keeps open once used (libc through FFI, Deno's caches): count around
    // a second one.
    await run({ ...config, durationMs: 100 }, { maxWorkers: 2, hostOnMainThread: true });
    const requestsBefore = server.requests.length;
    const before = await settledDescriptors();
    const result = await run(config, { maxWorkers: 2, hostOnMainThread: true });
    assertEquals(result.unfinishedThreads, []);
    assertEquals(result.threads, 4);
    const requests = server.requests.slice(requestsBefore);
    assert(result.requests > 0 && result.requests <= requests.length);
    assertEquals(result.errors.connect + result.errors.read + result.errors.write + result.errors.timeout, 0);
    // Two connections per thread, the main thread's two threads' among them.
    assertEquals(new Set(requests.map((r) => r.connection)).size, 8);
    // The threads hosted here closed their sockets and the epoll descriptor, as a worker's do.
    const after = await settledDescriptors();
    if (before !== null && after !== null) assertEquals(after, before);
  } finally {
    await server.close();
  }
});

Deno.test("hostOnMainThread: two runs at once on the main thread keep their threads apart", async () => {
  const server = startServer();
  try {
    const one = { ...parseArgs(["-t1", "-c2", "-d300ms", `${server.url}one`]), epoll: true };
    const two = { ...parseArgs(["-t1", "-c3", "-d300ms", `${server.url}two`]), epoll: true };
    const [first, second] = await Promise.all([
      run(one, { maxWorkers: 1, hostOnMainThread: true }),
      run(two, { maxWorkers: 1, hostOnMainThread: true }),
    ]);
    const seen = (path: string) => server.requests.filter((r) => r.path === path);
    assert(first.requests > 0 && first.requests <= seen("/one").length);
    assert(second.requests > 0 && second.requests <= seen("/two").length);
    assertEquals(new Set(seen("/one").map((r) => r.connection)).size, 2);
    assertEquals(new Set(seen("/two").map((r) => r.connection)).size, 3);
  } finally {
    await server.close();
  }
});

Deno.test("epoll transports on one thread share its loop: one closing leaves the other's sockets working", async () => {
  if (openLibc() === null) return; // no epoll here: nothing is shared
  const server = startServer();
  try {
    const address = { address: "127.0.0.1", port: server.port, family: 4 as const };
    const first = createTransport(address, null, true);
    const second = createTransport(address, null, true);
    assert(usesEpoll(first) && usesEpoll(second));
    const a = await first.connect(new AbortController().signal);
    a.close();
    first.close?.();
    first.close?.(); // twice: still one release
    // The loop stays open for the second transport: it connects, writes and reads.
    const b = await second.connect(new AbortController().signal);
    const buffer = new Uint8Array(4096);
    const read = Promise.withResolvers<number>();
    b.startReading(buffer, (n) => read.resolve(n));
    await b.write(new TextEncoder().encode("GET /x HTTP/1.1\r\nHost: localhost\r\n\r\n"));
    assert((await read.promise) > 0);
    b.close();
    second.close?.();
  } finally {
    await server.close();
  }
});
