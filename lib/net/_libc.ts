/**
 * The few libc calls the epoll transport makes (lib/net/_epoll_socket.ts), through Deno's FFI, and the structs
 * they take. Linux only (x86_64 and aarch64 share these constants; only `struct epoll_event` differs: packed, 12
 * bytes, on x86_64). Anything missing — another OS, no `--allow-ffi`, no libc.so.6 — makes `openLibc()` return
 * null, and the caller keeps Deno's own sockets.
 */

export const AF_INET = 2;
export const AF_INET6 = 10;
export const SOCK_STREAM = 1;
export const SOCK_NONBLOCK = 0o4000;
export const SOCK_CLOEXEC = 0o2000000;
export const SOL_SOCKET = 1;
export const SO_ERROR = 4;
export const IPPROTO_TCP = 6;
export const TCP_NODELAY = 1;
export const EINTR = 4;
export const ENOSYS = 38;
export const EAGAIN = 11;
export const EINPROGRESS = 115;
export const MSG_NOSIGNAL = 0x4000;

export const EPOLLIN = 0x001;
export const EPOLLOUT = 0x004;
export const EPOLLERR = 0x008;
export const EPOLLHUP = 0x010;
export const EPOLLRDHUP = 0x2000;
export const EPOLLET = 1 << 31;
export const EPOLL_CTL_ADD = 1;
export const CLOCK_MONOTONIC = 1;
/** `clock_gettime`'s clock of the calling thread's CPU time (clock.ts `threadCpuMs`). */
export const CLOCK_THREAD_CPUTIME_ID = 3;
export const O_RDONLY = 0;
export const O_CLOEXEC = 0o2000000;

const SYMBOLS = {
  socket: { parameters: ["i32", "i32", "i32"], result: "i32" },
  connect: { parameters: ["i32", "buffer", "u32"], result: "i32" },
  setsockopt: { parameters: ["i32", "i32", "i32", "buffer", "u32"], result: "i32" },
  getsockopt: { parameters: ["i32", "i32", "i32", "buffer", "buffer"], result: "i32" },
  // The size_t length goes as a "pointer" (see `lengthArg`): a 64-bit integer parameter ("usize") leaves V8's
  // fast call path, which makes every send and recv slower (docs/benchmarks.md), and a "u32" would leave the
  // register's upper half to chance. Counts fit in 32 bits (buffers of at most a few MiB), so the result
  // stays a plain number.
  send: { parameters: ["i32", "buffer", "pointer", "i32"], result: "i32" },
  recv: { parameters: ["i32", "buffer", "pointer", "i32"], result: "i32" },
  close: { parameters: ["i32"], result: "i32" },
  // A file of /proc (clock.ts `threadCoreWaitMs`), which Deno's own file calls open only under --allow-all.
  open: { parameters: ["buffer", "i32"], result: "i32" },
  read: { parameters: ["i32", "buffer", "pointer"], result: "i32" },
  epoll_create1: { parameters: ["i32"], result: "i32" },
  epoll_ctl: { parameters: ["i32", "i32", "i32", "buffer"], result: "i32" },
  epoll_wait: { parameters: ["i32", "buffer", "i32", "i32"], result: "i32" },
  // The same call on Deno's blocking thread pool, so that the thread's event loop (timers, messages) runs while
  // no socket is ready.
  epoll_wait_async: {
    name: "epoll_wait",
    parameters: ["i32", "buffer", "i32", "i32"],
    result: "i32",
    nonblocking: true,
  },
  // A wait with a nanosecond timeout (glibc 2.35, Linux 5.11): timers less than a millisecond away (`-R`'s
  // slots) are waited for instead of polled for. Optional: older systems poll, as before.
  epoll_pwait2: { parameters: ["i32", "buffer", "i32", "buffer", "pointer"], result: "i32", optional: true },
  clock_gettime: { parameters: ["i32", "buffer"], result: "i32" },
  // The epoll loop's pause between waits while pipelined batches are in flight (`EpollLoop`, PACE_NS).
  nanosleep: { parameters: ["buffer", "pointer"], result: "i32" },
  __errno_location: { parameters: [], result: "pointer" },
} as const;

/** The bound calls, plus `errno()` (read right after a call that returned -1). */
export interface Libc {
  readonly calls: Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];
  errno(): number;
  /** Size of `struct epoll_event` here, and where its 64-bit `data` starts. */
  readonly epollEventBytes: number;
  readonly epollDataOffset: number;
}

let opened: Libc | null | undefined;

const lengthArgs = new Map<number, Deno.PointerValue>();

let lastLength = -1;
let lastLengthArg: Deno.PointerValue = null;

/** `length` as the pointer-typed size_t argument of `send`/`recv` (cached: a few lengths recur). */
export function lengthArg(length: number): Deno.PointerValue {
  // Sends mostly repeat the previous length (a static request): no map lookup then. (Reads take theirs once.)
  if (length === lastLength) return lastLengthArg;
  let arg = lengthArgs.get(length);
  if (arg === undefined) {
    arg = Deno.UnsafePointer.create(BigInt(length));
    // Partial writes leave arbitrary lengths: keep the cache to the ones that recur.
    if (lengthArgs.size < 1024) lengthArgs.set(length, arg);
  }
  lastLength = length;
  lastLengthArg = arg;
  return arg;
}

/** libc for this thread, or null where the epoll transport cannot run (see the module comment). */
export function openLibc(): Libc | null {
  if (opened !== undefined) return opened;
  opened = null;
  if (Deno.build.os !== "linux" || (Deno.build.arch !== "x86_64" && Deno.build.arch !== "aarch64")) {
    return null;
  }
  try {
    // Asking never prompts: without --allow-ffi the tool keeps Deno's sockets.
    if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") return null;
    const library = Deno.dlopen("libc.so.6", SYMBOLS);
    const calls = library.symbols;
    const location = calls.__errno_location();
    if (location === null) return null;
    // errno lives in thread-local storage: this pointer is this thread's (each worker opens its own).
    const errnoView = new Deno.UnsafePointerView(location);
    const packed = Deno.build.arch === "x86_64";
    opened = {
      calls,
      errno: () => errnoView.getInt32(),
      epollEventBytes: packed ? 12 : 16,
      epollDataOffset: packed ? 4 : 8,
    };
  } catch {
    opened = null;
  }
  return opened;
}

/**
 * `struct sockaddr_in` / `sockaddr_in6` for a numeric address, or null when the text is not one (a zone id such
 * as `fe80::1%eth0` included: such addresses stay on Deno's sockets).
 */
export function socketAddressBytes(address: string, port: number): Uint8Array | null {
  const v4 = ipv4Bytes(address);
  if (v4 !== null) {
    const bytes = new Uint8Array(16);
    const view = new DataView(bytes.buffer);
    view.setUint16(0, AF_INET, true);
    view.setUint16(2, port, false);
    bytes.set(v4, 4);
    return bytes;
  }
  const v6 = ipv6Bytes(address);
  if (v6 === null) return null;
  const bytes = new Uint8Array(28);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, AF_INET6, true);
  view.setUint16(2, port, false);
  bytes.set(v6, 8);
  return bytes;
}

function ipv4Bytes(text: string): number[] | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const bytes = parts.map((part) => /^\d{1,3}$/.test(part) ? Number(part) : NaN);
  return bytes.every((byte) => byte <= 255) ? bytes : null;
}

/** The 16 bytes of an IPv6 address in any of its text forms (`::1`, `2001:db8::2:1`, `::ffff:1.2.3.4`). */
export function ipv6Bytes(text: string): Uint8Array | null {
  let groups = text.split(":");
  if (groups.length < 3 || groups.length > 9) return null;
  // A trailing dotted quad stands for the last two groups.
  const last = groups[groups.length - 1];
  if (last.includes(".")) {
    const v4 = ipv4Bytes(last);
    if (v4 === null) return null;
    groups = [...groups.slice(0, -1), hex16(v4[0], v4[1]), hex16(v4[2], v4[3])];
  }
  // "::" at either end splits into two empty strings; collapse them to one gap marker. A lone colon at either
  // end is not an address.
  if (groups[0] === "") {
    if (groups[1] !== "") return null;
    groups.shift();
  }
  if (groups[groups.length - 1] === "") {
    if (groups[groups.length - 2] !== "") return null;
    groups.pop();
  }
  const gaps = groups.filter((group) => group === "").length;
  if (gaps > 1 || (gaps === 0 && groups.length !== 8) || (gaps === 1 && groups.length > 8)) return null;
  const words: number[] = [];
  for (const group of groups) {
    if (group === "") {
      for (let i = groups.length; i <= 8; i++) words.push(0);
    } else if (/^[0-9a-fA-F]{1,4}$/.test(group)) {
      words.push(parseInt(group, 16));
    } else {
      return null;
    }
  }
  if (words.length !== 8) return null;
  const bytes = new Uint8Array(16);
  words.forEach((word, i) => {
    bytes[2 * i] = word >> 8;
    bytes[2 * i + 1] = word & 0xff;
  });
  return bytes;
}

function hex16(high: number, low: number): string {
  return ((high << 8) | low).toString(16);
}
