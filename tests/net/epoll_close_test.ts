/**
 * Closing an epoll loop (`EpollLoop.close`, lib/net/_epoll_socket.ts) while its hand-off wait is with the
 * blocking pool keeps the descriptor's number taken until that wait returns: a new loop's `epoll_create1` would
 * otherwise get the same number, and a wait that starts late would take that loop's edge-triggered events. The
 * descriptor is closed once the wait returns, and the promise `close()` returns settles then (a worker must not
 * end before: the descriptor would stay open). Run in a child process: reading
 * `/proc/<pid>/fd` needs `--allow-all`.
 */
import { assertEquals } from "@std/assert";
import { openLibc } from "../../lib/net/_libc.ts";
import { startServer } from "../helpers/server.ts";

const CHILD = (port: number) => `
import { EpollLoop } from "${new URL("../../lib/net/_epoll_socket.ts", import.meta.url).href}";
import { openLibc, socketAddressBytes } from "${new URL("../../lib/net/_libc.ts", import.meta.url).href}";

/** This process's epoll descriptors, by number. */
function epollDescriptors() {
  const found = new Set();
  for (const entry of Deno.readDirSync("/proc/self/fd")) {
    try {
      if (Deno.readLinkSync("/proc/self/fd/" + entry.name) === "anon_inode:[eventpoll]") found.add(Number(entry.name));
    } catch { /* closed since the listing */ }
  }
  return found;
}

const loop = new EpollLoop(openLibc());
const before = epollDescriptors();
const socket = await loop.connect(socketAddressBytes("127.0.0.1", ${port}), new AbortController().signal);
const mine = [...epollDescriptors()].filter((fd) => !before.has(fd));
// Idle with a socket open, the loop waits in the blocking pool (its hand-off wait) when this timer runs.
await new Promise((resolve) => setTimeout(resolve, 60));
socket.close();
const closed = loop.close();
const heldAfterClose = epollDescriptors().has(mine[0]);
// A bound, not a timing: the wait returns within its timeout (tens of milliseconds), and the promise with it.
let bound;
const settled = await Promise.race([closed.then(() => true), new Promise((resolve) => bound = setTimeout(() => resolve(false), 5000))]);
clearTimeout(bound);
console.log(JSON.stringify({ loopDescriptors: mine.length, heldAfterClose, settled, closedThen: !epollDescriptors().has(mine[0]) }));
`;

Deno.test({
  name:
    "epoll loop: a close during the hand-off wait keeps the descriptor until the wait returns, then closes it and settles",
  ignore: openLibc() === null,
  fn: async () => {
    const server = startServer();
    try {
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "-"],
        stdin: "piped",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(CHILD(server.port)));
      await writer.close();
      const output = await child.output();
      assertEquals(new TextDecoder().decode(output.stderr), "");
      assertEquals(JSON.parse(new TextDecoder().decode(output.stdout)), {
        loopDescriptors: 1,
        heldAfterClose: true,
        settled: true,
        closedThen: true,
      });
    } finally {
      await server.close();
    }
  },
});
