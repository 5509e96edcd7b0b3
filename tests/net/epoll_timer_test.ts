/**
 * The epoll loop's timers (`EpollLoop.timer`, lib/net/_epoll_socket.ts) fire whether or not a socket is open:
 * the loop itself runs only while one is, and a Deno timer stands in for it otherwise. A cancelled timer leaves
 * no Deno timer behind to keep the program running.
 */
import { assert, assertEquals } from "@std/assert";
import { EpollLoop } from "../../lib/net/_epoll_socket.ts";
import { openLibc, socketAddressBytes } from "../../lib/net/_libc.ts";
import { clockMs } from "../../lib/net/clock.ts";
import { startServer } from "../helpers/server.ts";

const libc = openLibc();

Deno.test({
  name: "epoll loop: timers fire in order while no socket is open, and never early",
  ignore: libc === null,
  fn: async () => {
    const loop = new EpollLoop(libc!);
    const fired: { name: string; lateMs: number }[] = [];
    const done = Promise.withResolvers<void>();
    const at = (name: string, delayMs: number) => {
      const dueMs = clockMs() + delayMs;
      return loop.timer(delayMs, () => {
        fired.push({ name, lateMs: clockMs() - dueMs });
        if (fired.length === 3) done.resolve();
      });
    };
    at("third", 60);
    at("first", 10);
    at("second", 30);
    await done.promise;
    assertEquals(fired.map((f) => f.name), ["first", "second", "third"]);
    for (const { name, lateMs } of fired) assert(lateMs >= 0, `${name} fired ${-lateMs} ms early`);
    loop.close();
  },
});

Deno.test({
  name: "epoll loop: a cancelled timer keeps no process alive",
  ignore: libc === null,
  fn: async () => {
    // A loop that never had a socket: only the cancel can disarm the Deno timer that stands in for the loop. A
    // program whose last timer was cancelled ends at once; with the stand-in left armed it would wait 10 minutes.
    const module = new URL("../../lib/net/_epoll_socket.ts", import.meta.url).href;
    const libcModule = new URL("../../lib/net/_libc.ts", import.meta.url).href;
    const code = `import { EpollLoop } from "${module}";
import { openLibc } from "${libcModule}";
const loop = new EpollLoop(openLibc());
const timer = loop.timer(600000, () => console.log("fired"));
timer.cancel();
timer.cancel();
setTimeout(() => console.log("cancelled"), 50);
`;
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-ffi", "--allow-read", "-"],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(code));
    await writer.close();
    const kill = setTimeout(() => child.kill(), 60_000);
    try {
      const output = await child.output();
      assertEquals(new TextDecoder().decode(output.stderr), "");
      assertEquals(new TextDecoder().decode(output.stdout), "cancelled\n");
      assert(output.success, "the program was killed: the cancelled timer kept it running");
    } finally {
      clearTimeout(kill);
    }
  },
});

Deno.test({
  name: "epoll loop: a timer set while sockets are open fires after the last one closed",
  ignore: libc === null,
  fn: async () => {
    const server = startServer();
    const loop = new EpollLoop(libc!);
    try {
      const socket = await loop.connect(
        socketAddressBytes("127.0.0.1", server.port)!,
        new AbortController().signal,
      );
      const fired = Promise.withResolvers<number>();
      const dueMs = clockMs() + 80;
      loop.timer(80, () => fired.resolve(clockMs() - dueMs));
      // The loop stops with its last socket, well before the timer is due.
      socket.close();
      const lateMs = await fired.promise;
      assert(lateMs >= 0 && lateMs < 1000, `fired ${lateMs} ms after it was due`);
    } finally {
      loop.close();
      await server.close();
    }
  },
});
