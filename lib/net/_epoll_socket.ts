/**
 * Plain TCP sockets driven by the thread's own epoll loop through libc (lib/net/_libc.ts), as wrk's ae.c does:
 * per request one `send` and one `recv`, and one `epoll_wait` for every batch of ready sockets. Deno's own
 * sockets add JavaScript and op machinery to every request on top of that (an op call and a promise for each
 * read and write, and the Tokio reactor between them), more than wrk's whole user time per request. With two
 * cores shared by client and server, that difference is the server's CPU
 * (docs/benchmarks.md#measurements-behind-the-code).
 *
 * Sockets are registered once, edge-triggered for reading and writing, so no `epoll_ctl` is needed per request
 * (wrk makes two). A read is only tried when the socket was reported readable and not yet drained.
 *
 * The loop runs on the thread's JavaScript thread. It waits in `epoll_wait` itself only briefly (≤ 1 ms) and only
 * when nothing is ready; longer waits, and one every few milliseconds while busy, go through Deno's blocking
 * pool so that timers (`delay()`, the 100 ms tick) and messages keep running.
 */
import {
  EAGAIN,
  EINPROGRESS,
  EINTR,
  ENOSYS,
  EPOLL_CTL_ADD,
  EPOLLERR,
  EPOLLET,
  EPOLLHUP,
  EPOLLIN,
  EPOLLOUT,
  EPOLLRDHUP,
  IPPROTO_TCP,
  lengthArg,
  type Libc,
  MSG_NOSIGNAL,
  SO_ERROR,
  SOCK_CLOEXEC,
  SOCK_NONBLOCK,
  SOCK_STREAM,
  SOL_SOCKET,
  TCP_NODELAY,
} from "./_libc.ts";
import { clockMs, TIMER_SLACK_MS } from "./clock.ts";
import { errnoName } from "./error_reason.ts";
import { type Cancel, type ConnectTarget, READ_FAILED, type Socket } from "./socket.ts";

const MAX_EVENTS = 256;
/** How long the loop may block the thread when nothing is ready, before it hands the wait to Deno's pool. */
const SYNC_WAIT_MS = 1;
/** Reads of one socket per turn of the loop (8 KiB each); the rest waits in the backlog. */
const MAX_READS_PER_TURN = 4;
/** Longest hand-off wait: bounds how long the loop outlives its last socket. */
const ASYNC_WAIT_MS = 20;
/** While busy, the event loop still gets a turn this often (timers fire at most this late). */
const YIELD_EVERY_MS = 5;
/**
 * With pipelined batches in flight (`Transport.paceReads`) on at least `PACE_MIN_SOCKETS` sockets, a wait that
 * found fewer than `PACE_FEW_EVENTS` sockets ready is followed by a pause of `PACE_NS` before the next: the server's
 * answers gather meanwhile, and the thread wakes once for them instead of once or twice per response, which
 * cost more system time per request than wrk's (docs/benchmarks.md#pacing-the-epoll-loop-2026-12-06). A batch's
 * latency is milliseconds there, and the server has the other sockets' requests to answer meanwhile; with few
 * sockets it would wait for us, so the loop does not pause. The sockets counted are the loop's: every thread's
 * of the worker, those still connecting too.
 */
const PACE_NS = 50_000;
const PACE_FEW_EVENTS = 8;
const PACE_MIN_SOCKETS = 32;
/** `struct timespec` of `PACE_NS`, for `nanosleep`. */
const PACE_TIMESPEC = new Uint8Array(new BigInt64Array([0n, BigInt(PACE_NS)]).buffer);

/** The probe of the pacing (tests check it is taken for pipelined batches only): pauses made in this isolate. */
export const pacing = { pauses: 0 };

/** An OS error from a libc call, with its errno (`ECONNREFUSED` = 111, `ECONNRESET` = 104...). */
export class SocketError extends Error {
  constructor(readonly call: string, readonly errno: number) {
    super(`${call} failed: ${errnoName(errno)}`);
  }
}

const enum State {
  Connecting,
  Open,
  Closed,
}

/** One thread's epoll instance and the sockets on it. */
export class EpollLoop {
  readonly #libc: Libc;
  /** The epoll descriptor, made by the first connect and closed by `close()` (-1: none). */
  #epfd = -1;
  #closed = false;
  readonly #events: Uint8Array;
  readonly #eventView: DataView;
  /** The hand-off wait writes here while the loop's own buffer may be read. */
  readonly #asyncEvents: Uint8Array;
  readonly #asyncEventView: DataView;
  /** By file descriptor. */
  readonly #sockets: (EpollSocket | undefined)[] = [];
  readonly #registration: Uint8Array;
  readonly #registrationView: DataView;
  #open = 0;
  #running = false;
  /** Set when microtasks are waiting (see `wantTurn`). */
  #wantsTurn = false;
  /** Tags each registration, so that an event for a closed descriptor reaches no newer socket of that number. */
  #serial = 0;

  constructor(libc: Libc) {
    this.#libc = libc;
    this.#events = new Uint8Array(MAX_EVENTS * libc.epollEventBytes);
    this.#eventView = new DataView(this.#events.buffer);
    this.#asyncEvents = new Uint8Array(MAX_EVENTS * libc.epollEventBytes);
    this.#asyncEventView = new DataView(this.#asyncEvents.buffer);
    this.#registration = new Uint8Array(libc.epollEventBytes);
    this.#registrationView = new DataView(this.#registration.buffer);
  }

  /**
   * Connects to `sockaddr` (from `socketAddressBytes`). Rejects with a `SocketError` when the connect fails
   * and with the signal's reason when it is aborted first.
   */
  connect(sockaddr: Uint8Array, signal: AbortSignal): Promise<Socket> {
    const { promise, resolve, reject } = Promise.withResolvers<Socket>();
    if (signal.aborted) {
      this.wantTurn();
      reject(signal.reason);
      return promise;
    }
    const onAbort = () => {
      reject(signal.reason);
      attempt.cancel();
    };
    // `open` reports only after it returned: the listener is in place by then.
    const attempt = this.open(sockaddr, {
      opened: (socket) => {
        signal.removeEventListener("abort", onAbort);
        resolve(socket);
      },
      failed: (error) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    });
    signal.addEventListener("abort", onAbort, { once: true });
    return promise;
  }

  /**
   * Connects to `sockaddr` (from `socketAddressBytes`) and tells `target` how it went (a `SocketError` when it
   * failed), never before this returns: `Transport.open`, which the connection cycles use. No promise, signal or
   * listener per connect: thousands of connects at once keep those alive long enough to outlive scavenges,
   * and the old generation kept them (docs/benchmarks.md#memory-per-thread). Returns how to give up the
   * connect: `target` then hears `failed`, at once.
   */
  open(sockaddr: Uint8Array, target: ConnectTarget): Cancel {
    const { calls, errno } = this.#libc;
    // The caller's handlers may settle promises: the loop must give their reactions a turn.
    this.wantTurn();
    if (this.#closed) return failLater(target, new SocketError("connect", 9));
    if (this.#epfd < 0) {
      const epfd = calls.epoll_create1(SOCK_CLOEXEC);
      if (epfd < 0) return failLater(target, new SocketError("epoll_create1", errno()));
      this.#epfd = epfd;
    }
    // sa_family, a 16-bit integer in the machine's (little-endian) order.
    const family = sockaddr[0] | (sockaddr[1] << 8);
    const fd = calls.socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return failLater(target, new SocketError("socket", errno()));
    calls.setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, INT_ONE, 4);
    const serial = ++this.#serial >>> 0;
    const view = this.#registrationView;
    view.setUint32(0, (EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET) >>> 0, true);
    view.setUint32(this.#libc.epollDataOffset, fd, true);
    view.setUint32(this.#libc.epollDataOffset + 4, serial, true);
    if (calls.epoll_ctl(this.#epfd, EPOLL_CTL_ADD, fd, this.#registration) < 0) {
      const error = new SocketError("epoll_ctl", errno());
      calls.close(fd);
      return failLater(target, error);
    }
    const socket = new EpollSocket(this, this.#libc, fd, serial);
    this.#sockets[fd] = socket;
    this.#open++;
    socket.startConnect(sockaddr, target);
    this.#run();
    return socket;
  }

  /**
   * Closes the epoll descriptor; call it once every socket is closed. The descriptors here are not Deno
   * resources: nothing closes them when a worker ends, so a worker must not end before the returned promise
   * settles (at once, or when a hand-off wait in progress returns: within `ASYNC_WAIT_MS`).
   */
  close(): Promise<void> {
    this.#closed = true;
    this.#disarmFallback();
    const epfd = this.#epfd;
    if (epfd < 0) return this.#descriptorClosed?.promise ?? Promise.resolve();
    this.#epfd = -1;
    // A hand-off wait in progress holds the epoll instance itself, but one handed to the blocking pool and not yet
    // started would wait on whatever the descriptor's number names when it starts: a new loop's instance, whose
    // edge-triggered events it would take. So the number stays taken until that wait returns (`#loop`).
    if (this.#handingOff) {
      this.#descriptorClosed = Promise.withResolvers<void>();
      return this.#descriptorClosed.promise;
    }
    this.#libc.calls.close(epfd);
    return Promise.resolve();
  }

  /** A hand-off wait (`epoll_wait_async`) has not returned yet: `close()` leaves the descriptor to `#loop`. */
  #handingOff = false;
  /** Settled by `#loop` once it closed the descriptor `close()` left to it. */
  #descriptorClosed: PromiseWithResolvers<void> | null = null;

  #readBuffer = new Uint8Array(0);

  /**
   * The one buffer the loop's sockets read into (see `Transport.readBuffer`): a socket's read is handed to its
   * callback, which handles it, before any socket reads again. Grown, never shrunk, to the largest asked for.
   */
  readBuffer(bytes: number): Uint8Array {
    if (this.#readBuffer.length < bytes) this.#readBuffer = new Uint8Array(bytes);
    return this.#readBuffer;
  }

  /** Called by a socket that settled a promise or queued a microtask: the loop lets them run soon. */
  wantTurn(): void {
    this.#wantsTurn = true;
  }

  /** Called by a socket as it closes its descriptor. */
  forget(fd: number): void {
    this.#sockets[fd] = undefined;
    this.#open--;
  }

  #run(): void {
    if (this.#running) return;
    this.#running = true;
    // The loop runs the timers from now on.
    this.#disarmFallback();
    // When it ends (its last socket closed), `#loop` itself hands the timers to the fallback.
    void this.#loop();
  }

  async #loop(): Promise<void> {
    const wait = this.#libc.calls.epoll_wait;
    const waitAsync = this.#libc.calls.epoll_wait_async;
    const epfd = this.#epfd;
    let lastYieldMs = clockMs();
    try {
      while (this.#open > 0 && this.#epfd >= 0) {
        if (this.#wantsTurn) {
          // Promises were settled (a connect, a long write): their callbacks run now, before the timers are
          // looked at (a connection just connected may set one with its delay()) and before any wait.
          this.#wantsTurn = false;
          await null;
          if (this.#open === 0 || this.#epfd < 0) break;
        }
        const untilTimerMs = this.#runTimers();
        // Returns at once when sockets are ready; blocks the thread only briefly when none is, never past the
        // next timer, and not at all while sockets wait in the backlog.
        const n = this.#backlog.length === 0 && untilTimerMs > 0 && untilTimerMs < SYNC_WAIT_MS
          ? this.#waitBriefly(untilTimerMs)
          : wait(
            epfd,
            this.#events,
            MAX_EVENTS,
            this.#backlog.length > 0 ? 0 : Math.min(SYNC_WAIT_MS, untilTimerMs),
          );
        if (n > 0) this.#dispatch(this.#eventView, n);
        if (
          this.#paced && n > 0 && n < PACE_FEW_EVENTS && this.#open >= PACE_MIN_SOCKETS &&
          this.#backlog.length === 0
        ) {
          this.#pause();
        }
        const idle = n <= 0 && this.#resumeBacklog() === 0 && untilTimerMs > 2 * SYNC_WAIT_MS;
        if (idle || clockMs() - lastYieldMs >= YIELD_EVERY_MS) {
          // A turn of Deno's event loop, waiting there for the sockets when none is ready, and waking a
          // millisecond before the next timer, which the loop then fires itself.
          this.#wantsTurn = false;
          const timeoutMs = idle && this.#backlog.length === 0
            // Never negative: epoll_wait would then wait for ever.
            ? Math.max(
              0,
              Math.min(ASYNC_WAIT_MS, Math.floor(this.#untilNextTimerMs(clockMs())) - SYNC_WAIT_MS),
            )
            : 0;
          if (this.#epfd < 0) break; // closed by a callback of this round: nothing to hand off
          this.#handingOff = true;
          let m: number;
          try {
            m = await waitAsync(epfd, this.#asyncEvents, MAX_EVENTS, timeoutMs);
          } finally {
            this.#handingOff = false;
            // Closed meanwhile: the descriptor was left to this wait (see `close()`), whatever its outcome.
            if (this.#descriptorClosed !== null) {
              this.#libc.calls.close(epfd);
              this.#descriptorClosed.resolve();
            }
          }
          if (this.#epfd < 0) break;
          lastYieldMs = clockMs();
          if (m > 0) this.#dispatch(this.#asyncEventView, m);
        }
      }
    } finally {
      // At once, not a microtask later: an open() in between would find the loop "running" and start none.
      this.#running = false;
      this.#armFallback();
    }
  }

  /** Set once a cycle sends pipelined batches (`Transport.paceReads`): the loop pauses between waits. */
  #paced = false;

  /** Called by the transport when a cycle sends pipelined batches (`Transport.paceReads`). */
  pace(): void {
    this.#paced = true;
  }

  /** The pause between waits while pipelined batches are in flight (see `PACE_NS`). */
  #pause(): void {
    pacing.pauses++;
    this.#libc.calls.nanosleep(PACE_TIMESPEC, null);
  }

  /** `struct timespec` for `epoll_pwait2` (seconds, then nanoseconds; 64-bit each, little-endian). */
  readonly #timespec = new Uint32Array(4);
  readonly #timespecBytes = new Uint8Array(this.#timespec.buffer);
  /** False once `epoll_pwait2` answered ENOSYS (a kernel older than 5.11). */
  #preciseWaits = true;

  /**
   * Waits for the sockets at most `untilMs` (under a millisecond), with `epoll_pwait2`'s nanosecond timeout: a
   * timer that close (`-R`'s next slot) is neither polled for, burning the core, nor waited past. Without
   * `epoll_pwait2`, `epoll_wait`'s whole millisecond.
   */
  #waitBriefly(untilMs: number): number {
    const libc = this.#libc;
    const pwait2 = libc.calls.epoll_pwait2;
    if (pwait2 !== null && this.#preciseWaits) {
      this.#timespec[0] = 0;
      this.#timespec[1] = 0;
      this.#timespec[2] = Math.ceil(untilMs * 1e6);
      this.#timespec[3] = 0;
      const n = pwait2(this.#epfd, this.#events, MAX_EVENTS, this.#timespecBytes, null);
      if (n >= 0 || libc.errno() !== ENOSYS) return n;
      this.#preciseWaits = false;
    }
    return libc.calls.epoll_wait(this.#epfd, this.#events, MAX_EVENTS, SYNC_WAIT_MS);
  }

  /** Pending `timer()` callbacks: a binary min-heap on `dueMs` (cancelled ones leave as they reach the top). */
  readonly #timers: LoopTimer[] = [];

  /**
   * Calls `callback` after `delayMs` from this loop, on the cycle's clock (`delay()` hooks, `ThreadLoop.stopAt`),
   * whether or not a socket is open: the loop runs only while one is, and Deno's `setTimeout` stands in for it
   * while none is (`#armFallback`).
   */
  timer(delayMs: number, callback: () => void): Cancel {
    const timer = new LoopTimer(clockMs() + delayMs, callback, this.#onTimerCancelled);
    const heap = this.#timers;
    let i = heap.push(timer) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent].dueMs <= timer.dueMs) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = timer;
    this.#armFallback();
    return timer;
  }

  /**
   * While no socket is open the loop does not run, and nothing would fire its timers (a thread whose every
   * connect failed still stops at its deadline, and a `delay()` between reconnects still ends): a Deno timer
   * does, armed for the next round that has one. Disarmed while the loop runs, and when the timers it was armed
   * for are cancelled, so that it keeps no thread or process alive for nothing.
   */
  #fallback: ReturnType<typeof setTimeout> | undefined = undefined;
  /** When the fallback is due, on the cycle's clock (Infinity: not armed). */
  #fallbackDueMs = Infinity;
  readonly #onTimerCancelled = () => this.#armFallback();

  #armFallback(): void {
    if (this.#running || this.#closed) return;
    const heap = this.#timers;
    while (heap.length > 0 && heap[0].cancelled) this.#popTimer();
    const nowMs = clockMs();
    const dueMs = nowMs + this.#untilNextTimerMs(nowMs);
    if (dueMs === this.#fallbackDueMs) return;
    this.#disarmFallback();
    if (dueMs === Infinity) return;
    this.#fallbackDueMs = dueMs;
    // Deno's timers count whole milliseconds and may fire a fraction of one early: the round then finds nothing
    // due, and the fallback is armed again for the rest.
    this.#fallback = setTimeout(() => {
      this.#fallback = undefined;
      this.#fallbackDueMs = Infinity;
      this.#runTimers();
      this.#armFallback();
    }, Math.max(0, Math.ceil(dueMs - nowMs)));
  }

  #disarmFallback(): void {
    if (this.#fallback === undefined) return;
    clearTimeout(this.#fallback);
    this.#fallback = undefined;
    this.#fallbackDueMs = Infinity;
  }

  /**
   * Timers run in rounds at most `TIMER_SLACK_MS` apart, whatever wakes the loop: at `-R` rates the slots of
   * many connections then go out together, the server answers them together, and the loop wakes once for many
   * answers, as with wrk2's millisecond timers. Run at every wake-up instead, timers would send a few requests
   * after each answer, and the loop would wake for every few answers, at a context switch each
   * (docs/benchmarks.md#rate-mode--r-against-wrk2).
   */
  #roundMs = -Infinity;

  /**
   * Runs the timers that are due, if a round is due; returns the milliseconds until the next round that has a
   * timer to run (Infinity when none).
   */
  #runTimers(): number {
    const heap = this.#timers;
    const nowMs = clockMs();
    if (nowMs >= this.#roundMs) {
      let ran = false;
      while (heap.length > 0 && (heap[0].cancelled || heap[0].dueMs <= nowMs)) {
        const top = heap[0];
        this.#popTimer();
        if (top.cancelled) continue;
        ran = true;
        top.callback();
      }
      if (ran) this.#roundMs = nowMs + TIMER_SLACK_MS;
    }
    while (heap.length > 0 && heap[0].cancelled) this.#popTimer();
    return this.#untilNextTimerMs(nowMs);
  }

  /** How long from `nowMs` until the next round that has a timer to run (Infinity when none). */
  #untilNextTimerMs(nowMs: number): number {
    const heap = this.#timers;
    return heap.length === 0 ? Infinity : Math.max(heap[0].dueMs, this.#roundMs) - nowMs;
  }

  #popTimer(): void {
    const heap = this.#timers;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const child = left + 1 < heap.length && heap[left + 1].dueMs < heap[left].dueMs ? left + 1 : left;
      if (heap[child].dueMs >= last.dueMs) break;
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = last;
  }

  /**
   * Sockets with more to read than one turn takes (see `MAX_READS_PER_TURN`): a server streaming faster than we
   * parse must not keep timers, messages and the other sockets waiting.
   */
  #backlog: EpollSocket[] = [];
  #resuming: EpollSocket[] = [];

  /** Called by a socket that stopped reading at `MAX_READS_PER_TURN` with bytes left. */
  queue(socket: EpollSocket): void {
    this.#backlog.push(socket);
  }

  /** Reads on for the sockets queued before this call; returns how many there were. */
  #resumeBacklog(): number {
    const sockets = this.#backlog;
    const count = sockets.length;
    if (count === 0) return 0;
    this.#backlog = this.#resuming;
    for (let i = 0; i < count; i++) sockets[i].resume();
    sockets.length = 0;
    this.#resuming = sockets;
    return count;
  }

  #dispatch(view: DataView, count: number): void {
    const size = this.#libc.epollEventBytes;
    const dataOffset = this.#libc.epollDataOffset;
    for (let i = 0; i < count; i++) {
      const at = i * size;
      const socket = this.#sockets[view.getUint32(at + dataOffset, true)];
      if (socket === undefined || socket.serial !== view.getUint32(at + dataOffset + 4, true)) continue;
      socket.onEvents(view.getUint32(at, true));
    }
  }
}

/** One `EpollLoop.timer()` callback. */
class LoopTimer implements Cancel {
  cancelled = false;
  constructor(
    readonly dueMs: number,
    readonly callback: () => void,
    /** Tells the loop, which may then disarm its fallback (`EpollLoop.#armFallback`). */
    readonly onCancel: () => void,
  ) {}

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.onCancel();
  }
}

/** A connected (or connecting) non-blocking socket; its descriptor is closed by `close()`. */
export class EpollSocket implements Socket {
  readFailure: string | undefined = undefined;
  readonly #loop: EpollLoop;
  readonly #libc: Libc;
  readonly #fd: number;
  readonly serial: number;
  #state = State.Connecting;
  /** Reported readable (or hung up) since a read last found it empty. */
  #readable = false;
  /** Reported closed by the peer (or reset): its EOF or error is still to be read. */
  #peerClosed = false;
  /** Reported failed (EPOLLERR): an EOF read then is checked against the socket's error. */
  #errorReported = false;
  /** In the loop's backlog (see `EpollLoop.queue`). */
  #queued = false;
  #readBuffer: Uint8Array | null = null;
  /** `lengthArg(#readBuffer.length)`, taken once: the buffer never changes. */
  #readLengthArg: Deno.PointerValue = null;
  #onRead: (n: number) => void = noop;
  #writeBytes: Uint8Array | null = null;
  #writeResolve: (n: number) => void = noop;
  #writeReject: (error: unknown) => void = noop;

  constructor(loop: EpollLoop, libc: Libc, fd: number, serial: number) {
    this.#loop = loop;
    this.#libc = libc;
    this.#fd = fd;
    this.serial = serial;
  }

  /** Starts the connect `EpollLoop.open` makes this socket for; `target` hears the outcome. */
  startConnect(sockaddr: Uint8Array, target: ConnectTarget): void {
    this.#target = target;
    const result = this.#libc.calls.connect(this.#fd, sockaddr, sockaddr.length);
    const errno = result < 0 ? this.#libc.errno() : 0;
    if (result === 0) {
      // Not from inside `open`: once it has returned. (epoll reports the socket writable too: whichever comes
      // first connects it.)
      queueMicrotask(() => {
        if (this.#state === State.Connecting) this.#connected();
      });
    } else if (errno !== EINPROGRESS && errno !== EINTR) {
      // Closed now, so that epoll reports nothing of it, and told once `open` has returned.
      const error = new SocketError("connect", errno);
      this.#closeDescriptor();
      queueMicrotask(() => this.#failConnect(error));
    }
  }

  /** Gives up the connect in progress (`Transport.open`'s `Cancel`): its target hears `failed` (an AbortError). */
  cancel(): void {
    if (this.#target !== null) this.#failConnect(new DOMException("The connect was given up", "AbortError"));
  }

  /** Who hears how the connect went; null once told. */
  #target: ConnectTarget | null = null;

  #connected(): void {
    this.#state = State.Open;
    const target = this.#target;
    this.#target = null;
    this.#loop.wantTurn();
    target?.opened(this);
  }

  #failConnect(error: unknown): void {
    const target = this.#target;
    this.#target = null;
    this.#closeDescriptor();
    this.#loop.wantTurn();
    target?.failed(error);
  }

  startReading(buffer: Uint8Array, onRead: (n: number) => void): void {
    if (this.#state !== State.Open || this.#readBuffer !== null) return;
    this.#readBuffer = buffer;
    this.#readLengthArg = lengthArg(buffer.length);
    this.#onRead = onRead;
    // Bytes (or a close) reported before reading started raise no new edge: read them now.
    if (this.#readable) this.#drain();
  }

  write(bytes: Uint8Array): Promise<number> {
    let n: number;
    try {
      n = this.writeNow(bytes);
    } catch (error) {
      return Promise.reject(error);
    }
    if (n > 0 || bytes.length === 0) return Promise.resolve(n);
    // The send buffer is full: retried when the socket reports room.
    this.#writeBytes = bytes;
    return new Promise<number>((resolve, reject) => {
      this.#writeResolve = resolve;
      this.#writeReject = reject;
    });
  }

  writeNow(bytes: Uint8Array): number {
    if (this.#state !== State.Open) throw new SocketError("send", 9);
    try {
      return this.#send(bytes);
    } catch (error) {
      this.#readBeforeFailing(error);
      throw error;
    }
  }

  /** Set while `#drain` hands reads on: a send that fails inside a reader's callback leaves the reads to it. */
  #draining = false;
  /**
   * The errno of a send that failed (0: none): Linux hands it to the failing send and clears it from the
   * socket, so the reads after it end in a plain 0, which must still be told as the reset it was.
   */
  #sendErrno = 0;

  /**
   * A send failed (the peer reset or closed the connection): what the peer sent before (a 413 answered before
   * the body was read) may still wait in the receive queue, its edge not yet reported. The reader takes it
   * first, as wrk's loop handles a readable socket before a writable one; a reset with nothing queued then
   * fails the read, which is the error that counts, and the write's failure reaches a reader that has moved on.
   */
  #readBeforeFailing(error: unknown): void {
    if (this.#state !== State.Open || this.#readBuffer === null) return;
    if (error instanceof SocketError) this.#sendErrno = error.errno;
    this.#readable = true;
    this.#peerClosed = true;
    // Inside a reader's callback (an answer that sent the next request), the reads go on when it returns:
    // `#drain` does nothing then.
    this.#drain();
  }

  close(): void {
    if (this.#state === State.Closed) return;
    if (this.#state === State.Connecting) {
      this.#failConnect(new SocketError("connect", 9));
      return;
    }
    this.#closeDescriptor();
    this.#readBuffer = null;
    this.#settleWrite(-1, new SocketError("send", 9));
  }

  /** From the loop: what epoll reported for this socket. */
  onEvents(events: number): void {
    if (this.#state === State.Connecting) {
      if ((events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) === 0) return;
      const error = this.#socketError();
      if (error === 0) this.#connected();
      else if (error !== EINPROGRESS) this.#failConnect(new SocketError("connect", error));
      // A connected socket may have its first bytes already: fall through to reading.
      if ((this.#state as State) !== State.Open) return;
    }
    if ((events & (EPOLLIN | EPOLLRDHUP | EPOLLERR | EPOLLHUP)) !== 0) {
      this.#readable = true;
      // The peer's close (or a reset) may already be queued behind the bytes, with no edge left to announce it.
      if ((events & (EPOLLRDHUP | EPOLLERR | EPOLLHUP)) !== 0) this.#peerClosed = true;
      if ((events & EPOLLERR) !== 0) this.#errorReported = true;
      this.#drain();
    }
    if (this.#state === State.Open && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) !== 0) {
      const bytes = this.#writeBytes;
      if (bytes !== null) {
        try {
          const n = this.#send(bytes);
          if (n > 0) this.#settleWrite(n, null);
        } catch (error) {
          this.#settleWrite(-1, error as SocketError);
        }
      }
    }
  }

  /** `send`, retried when a signal interrupted it: the count, 0 when the buffer is full; throws on an error. */
  #send(bytes: Uint8Array): number {
    const send = this.#libc.calls.send;
    for (;;) {
      const n = send(this.#fd, bytes, lengthArg(bytes.length), MSG_NOSIGNAL);
      if (n >= 0) return n;
      const errno = this.#libc.errno();
      if (errno === EAGAIN) return 0;
      if (errno !== EINTR) throw new SocketError("send", errno);
    }
  }

  /** `recv` into `buffer`: the count (0 at EOF), `WOULD_BLOCK`, or minus the errno. */
  #recv(buffer: Uint8Array): number {
    const recv = this.#libc.calls.recv;
    let n = recv(this.#fd, buffer, this.#readLengthArg, 0);
    while (n < 0 && this.#libc.errno() === EINTR) n = recv(this.#fd, buffer, this.#readLengthArg, 0);
    if (n >= 0) {
      // A short read drained the socket: new data will be reported again (edge-triggered). Not so the end of
      // the stream once the peer closed: read on until recv says 0.
      if (n < buffer.length && !this.#peerClosed) this.#readable = false;
      return n;
    }
    const errno = this.#libc.errno();
    if (errno === EAGAIN) {
      this.#readable = false;
      return WOULD_BLOCK;
    }
    return -errno;
  }

  /**
   * Reads while the socket has bytes, handing each read on; stops at EOF, an error, a close by the reader, or
   * after `MAX_READS_PER_TURN` reads (the loop resumes it after the other sockets).
   */
  #drain(): void {
    const buffer = this.#readBuffer;
    if (buffer === null || this.#queued || this.#draining) return;
    this.#draining = true;
    try {
      this.#drainInto(buffer);
    } finally {
      this.#draining = false;
    }
  }

  #drainInto(buffer: Uint8Array): void {
    for (
      let reads = 0;
      this.#readable && this.#state === State.Open && this.#readBuffer === buffer;
      reads++
    ) {
      if (reads === MAX_READS_PER_TURN) {
        this.#queued = true;
        this.#loop.queue(this);
        return;
      }
      const n = this.#recv(buffer);
      if (n === WOULD_BLOCK) return;
      if (n <= 0) {
        this.#readBuffer = null;
        // After a reset, recv can report a plain EOF; the socket's pending error tells the two apart, or the
        // failed send that took it.
        let error = n < 0 ? -n : this.#errorReported ? this.#socketError() : 0;
        if (error === 0) error = this.#sendErrno;
        if (error !== 0) this.readFailure = errnoName(error);
        this.#onRead(error === 0 ? 0 : READ_FAILED);
        return;
      }
      this.#onRead(n);
    }
  }

  /** From the loop's backlog. */
  resume(): void {
    this.#queued = false;
    this.#drain();
  }

  #settleWrite(n: number, error: SocketError | null): void {
    if (this.#writeBytes === null) return;
    this.#loop.wantTurn();
    this.#writeBytes = null;
    const resolve = this.#writeResolve;
    const reject = this.#writeReject;
    this.#writeResolve = noop;
    this.#writeReject = noop;
    if (error === null) resolve(n);
    else reject(error);
  }

  #socketError(): number {
    OPTION_LENGTH[0] = 4;
    const result = this.#libc.calls.getsockopt(
      this.#fd,
      SOL_SOCKET,
      SO_ERROR,
      OPTION_VALUE_BYTES,
      OPTION_LENGTH_BYTES,
    );
    return result < 0 ? this.#libc.errno() : OPTION_VALUE[0];
  }

  #closeDescriptor(): void {
    if (this.#state === State.Closed) return;
    this.#state = State.Closed;
    // close() also takes the descriptor off the epoll set.
    this.#libc.calls.close(this.#fd);
    this.#loop.forget(this.#fd);
  }
}

// Arguments of setsockopt and getsockopt, made once (the calls are synchronous): made per call, they were six
// typed arrays for every connect, some alive until it connected, which at -c10000 outlives scavenges.
/** The int 1, to switch an option on. */
const INT_ONE = new Uint8Array(new Int32Array([1]).buffer);
/** getsockopt's option value and length (in and out). */
const OPTION_VALUE = new Int32Array(1);
const OPTION_VALUE_BYTES = new Uint8Array(OPTION_VALUE.buffer);
const OPTION_LENGTH = new Int32Array(1);
const OPTION_LENGTH_BYTES = new Uint8Array(OPTION_LENGTH.buffer);

/** A connect that failed before it had a socket: `target` hears it once `open` has returned; nothing to give up. */
function failLater(target: ConnectTarget, error: SocketError): Cancel {
  queueMicrotask(() => target.failed(error));
  return NOTHING_TO_CANCEL;
}

const NOTHING_TO_CANCEL: Cancel = { cancel: noop };

/** `#recv`'s result when nothing was there to read. */
const WOULD_BLOCK = -1_000_000;

function noop(): void {}
