/**
 * `ConnectionSlot` (lib/net/connection_slot.ts), the connect/reconnect lifecycle both connection cycles use,
 * over both ways a transport connects (`open`'s callbacks, `connect`'s promise and signal): a connect that
 * settles after its slot was dropped is closed and not counted; a failed connect is counted once and tried again
 * only after a macrotask; a connect timeout is counted once; a closed slot opens nothing more.
 */
import { assert, assertEquals } from "@std/assert";
import { clockMs } from "../../lib/net/clock.ts";
import { ConnectionSlot } from "../../lib/net/connection_slot.ts";
import { ThreadCounters } from "../../lib/net/cycle.ts";
import { ReconnectGate } from "../../lib/net/reconnect_gate.ts";
import type { Socket, Transport } from "../../lib/net/socket.ts";
import { fakeSocket, manualTransport, promiseTransport } from "../helpers/manual_transport.ts";

/** A transport under the test's hand, one way or the other, and how to settle its `i`th connect. */
interface Connects {
  readonly name: string;
  readonly transport: Transport;
  opened(i: number, socket: Socket): void;
  failed(i: number, error: Error): void;
  /** Connects started so far. */
  count(): number;
  /** Connects given up so far. */
  givenUp(): number;
}

function bothWays(): Connects[] {
  const manual = manualTransport();
  const pending = promiseTransport();
  return [
    {
      name: "open()",
      transport: manual.transport,
      opened: (i, socket) => manual.targets[i].opened(socket),
      failed: (i, error) => manual.targets[i].failed(error),
      count: () => manual.targets.length,
      givenUp: () => manual.cancelled,
    },
    {
      name: "connect()",
      transport: pending.transport,
      opened: (i, socket) => pending.connects[i].resolve(socket),
      failed: (i, error) => pending.connects[i].reject(error),
      count: () => pending.connects.length,
      givenUp: () => pending.connects.filter((connect) => connect.signal.aborted).length,
    },
  ];
}

/**
 * A slot over `transport`, with the sockets it hands over (and their generations) and its thread's counters;
 * with `retryAtMs`, as with `-R`.
 */
function slotOver(transport: Transport, retryAtMs: ((nowMs: number) => number) | null = null) {
  const counters = new ThreadCounters();
  const state = { stopped: false };
  const opened: [Socket, number][] = [];
  // The sockets reach the owner (here the list of them) as a cycle's method: called on it.
  const slot = new ConnectionSlot(
    { transport, timeoutMs: 2_000, counters, state, reconnects: new ReconnectGate() },
    opened,
    function (conn, generation) {
      this.push([conn, generation]);
    },
    retryAtMs,
  );
  return { slot, counters, state, opened };
}

/** Settles every promise, and lets the timers due now run: one macrotask. */
function macrotask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

Deno.test("ConnectionSlot: a socket that opens after the slot was dropped is closed and not counted", async () => {
  for (const connects of bothWays()) {
    const { slot, counters, opened } = slotOver(connects.transport);
    slot.connect();
    slot.drop();
    const late = fakeSocket();
    connects.opened(0, late);
    // The next connect is the current generation's: its socket is handed over.
    slot.connect();
    const current = fakeSocket();
    connects.opened(1, current);
    await macrotask();
    assertEquals(late.closed, 1, connects.name);
    assertEquals(opened, [[current, 1]], connects.name);
    assertEquals(current.closed, 0);
    // A failure of a dropped socket's connect is not counted, nor retried.
    slot.drop();
    slot.connect();
    slot.drop();
    connects.failed(2, new Error("refused"));
    await macrotask();
    assertEquals(connects.count(), 3, connects.name);
    assertEquals(counters.errors.connect, 0, connects.name);
    assertEquals(counters.errorReasons.size, 0);
  }
});

Deno.test("ConnectionSlot: a failed connect is counted once, with its reason, and retried after a macrotask", async () => {
  for (const connects of bothWays()) {
    const { slot, counters, opened } = slotOver(connects.transport);
    slot.connect();
    connects.failed(0, new Deno.errors.ConnectionRefused("refused"));
    connects.failed(0, new Deno.errors.ConnectionRefused("refused again"));
    // Not at once, nor in a microtask: a refusing server must leave the timers that stop the run their turn.
    for (let i = 0; i < 10; i++) await Promise.resolve();
    assertEquals(counters.errors.connect, 1, connects.name);
    assertEquals([...counters.errorReasons], [["connect\tECONNREFUSED", 1]]);
    assertEquals(connects.count(), 1, connects.name);
    await macrotask();
    assertEquals(connects.count(), 2, connects.name);
    // The retry is the same socket's: no drop came between.
    const socket = fakeSocket();
    connects.opened(1, socket);
    await macrotask();
    assertEquals(opened, [[socket, 0]], connects.name);
    assertEquals(counters.errors.connect, 1);
  }
});

Deno.test("ConnectionSlot with -R: a failed connect is tried again at the connection's next slot, not before", async () => {
  for (const connects of bothWays()) {
    let askedAtMs = -1;
    const { slot, counters } = slotOver(connects.transport, (nowMs) => {
      askedAtMs = nowMs;
      return nowMs + 60;
    });
    slot.connect();
    connects.failed(0, new Deno.errors.ConnectionRefused("refused"));
    for (let i = 0; i < 10; i++) await macrotask();
    assert(askedAtMs >= 0, connects.name);
    assertEquals(
      connects.count(),
      1,
      `${connects.name}: a refusing server is not asked again before the slot`,
    );
    await new Promise((resolve) => setTimeout(resolve, 80));
    assertEquals(connects.count(), 2, connects.name);
    assertEquals(counters.errors.connect, 1);
    slot.close();
  }
});

Deno.test("ConnectionSlot: a drop or a close before the macrotask cancels the retry", async () => {
  const manual = manualTransport();
  const { slot, counters } = slotOver(manual.transport);
  slot.connect();
  manual.targets[0].failed(new Error("refused"));
  slot.drop();
  await macrotask();
  assertEquals(manual.targets.length, 1);
  slot.connect();
  manual.targets[1].failed(new Error("refused"));
  slot.close();
  await macrotask();
  slot.connect();
  assertEquals(manual.targets.length, 2);
  assertEquals(counters.errors.connect, 2);
});

Deno.test("ConnectionSlot: a connect timeout is counted once, and its connect given up", async () => {
  for (const connects of bothWays()) {
    const { slot, counters, opened } = slotOver(connects.transport);
    slot.connect();
    assert(!slot.connectTimedOut(clockMs()), "a connect gets at least 10 s");
    assert(slot.connectTimedOut(clockMs() + 10_000));
    assert(!slot.connectTimedOut(Number.MAX_SAFE_INTEGER), "the connect was given up");
    assertEquals(counters.errors.connect, 1);
    assertEquals([...counters.errorReasons], [["connect\ttimed out", 1]]);
    assertEquals(connects.givenUp(), 1, connects.name);
    // The cycle replaces the socket: the given-up connect's outcome, when it comes, counts for nothing.
    slot.drop();
    slot.connect();
    connects.failed(0, new Error("late"));
    await macrotask();
    assertEquals(counters.errors.connect, 1, connects.name);
    assertEquals(connects.count(), 2, connects.name);
    assertEquals(opened, []);
    slot.close();
  }
});

Deno.test("ConnectionSlot: nothing opens once the run stopped, and a socket that opens then is closed", () => {
  const manual = manualTransport();
  const { slot, state, opened } = slotOver(manual.transport);
  slot.connect();
  state.stopped = true;
  const late = fakeSocket();
  manual.targets[0].opened(late);
  assertEquals(late.closed, 1);
  slot.connect();
  assertEquals(manual.targets.length, 1);
  assertEquals(opened, []);
});

Deno.test("ConnectionSlot: a connect's outcome is heard once, and only a connect in progress can time out", async () => {
  for (const connects of bothWays()) {
    const { slot, counters, opened } = slotOver(connects.transport);
    slot.connect();
    const socket = fakeSocket();
    connects.opened(0, socket);
    connects.failed(0, new Error("late"));
    await macrotask();
    assertEquals(opened, [[socket, 0]], connects.name);
    assert(!slot.connectTimedOut(Number.MAX_SAFE_INTEGER), "a connect that settled cannot time out");
    assertEquals(counters.errors.connect, 0, connects.name);
    assertEquals(connects.givenUp(), 0, connects.name);
    slot.close();
  }
});

Deno.test("ConnectionSlot: a connect given up by close() reports nothing, and a socket it opens anyway is closed", async () => {
  for (const connects of bothWays()) {
    const { slot, counters, opened } = slotOver(connects.transport);
    slot.connect();
    slot.close();
    assertEquals(connects.givenUp(), 1, connects.name);
    assert(!slot.connectTimedOut(Number.MAX_SAFE_INTEGER));
    const late = fakeSocket();
    connects.opened(0, late);
    connects.failed(0, new Error("late"));
    await macrotask();
    // Behind a promise the abort's rejection came first, so that socket never arrives; `open`'s target hears it.
    assertEquals(late.closed, connects.name === "open()" ? 1 : 0, connects.name);
    assertEquals(opened, [], connects.name);
    assertEquals(counters.errors.connect, 0, connects.name);
    // Closing again gives up nothing more.
    slot.close();
    assertEquals(connects.givenUp(), 1, connects.name);
  }
});
