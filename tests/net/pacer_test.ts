/** `-R`'s plan (lib/net/pacer.ts), on a fake clock: splits, staggering, lanes, catch-up, tiny rates. */
import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import { shareOf } from "../../lib/config/share.ts";
import { TIMER_SLACK_MS } from "../../lib/net/clock.ts";
import {
  connectionPacers,
  laneCount,
  laneIndex,
  originOffsetMs,
  Pacer,
  type RatePlan,
  slotIntervalMs,
} from "../../lib/net/pacer.ts";

/**
 * Drives one connection on a fake clock against a server answering in `latencyMs(sendMs)`: each batch is sent
 * when due, the next planned when its answer is in. Returns the send times and planned times.
 */
function drive(
  pacer: Pacer,
  untilMs: number,
  latencyMs: (sendMs: number) => number,
  depth = 1,
): { sent: number[]; planned: number[]; late: number } {
  const sent: number[] = [];
  const planned: number[] = [];
  let late = 0;
  let nowMs = 0;
  for (;;) {
    const dueMs = pacer.dueMs(nowMs);
    nowMs = Math.max(nowMs, dueMs);
    if (nowMs >= untilMs) break;
    sent.push(nowMs);
    planned.push(pacer.plannedMs);
    if (pacer.late) late++;
    pacer.sent(depth);
    nowMs += latencyMs(nowMs);
  }
  return { sent, planned, late };
}

Deno.test("-R 1000 over -t3 -c10 plans exactly 1000 requests/s, the connections' slots interleaved evenly", () => {
  const plan: RatePlan = { totalPerSec: 1000, connections: 10, lanesPerConnection: 1 };
  const intervalMs = slotIntervalMs(plan);
  assertEquals(intervalMs, 10);
  // Threads get 4, 3 and 3 connections; every connection the same rate, so the total is what was asked.
  const perThread = [0, 1, 2].map((t) => shareOf(10, 3, t) * (1000 / intervalMs));
  assertEquals(perThread, [400, 300, 300]);
  assertEquals(perThread.reduce((a, b) => a + b), 1000);
  // Connection g starts g + ½ ms in: one send per millisecond over all connections, none on a second's edge.
  const origins = Array.from({ length: 10 }, (_, g) => originOffsetMs(plan, g));
  assertEquals(origins, [0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5]);
});

Deno.test("HTTP/2 lanes: -R 1000 over -c4 --streams 5 plans 20 lanes, each a slot every 20 ms, staggered over all lanes", () => {
  const plan: RatePlan = { totalPerSec: 1000, connections: 4, lanesPerConnection: 5 };
  assertEquals(laneCount(plan), 20);
  // Each lane carries R / (c × streams): the rate is shared by the lanes, not by the connections.
  assertEquals(slotIntervalMs(plan), 20);
  // Lane-major: lane s of connection c is s × 4 + c, so consecutive slots fall on different connections.
  assertEquals([laneIndex(plan, 0, 0), laneIndex(plan, 3, 0), laneIndex(plan, 0, 1), laneIndex(plan, 3, 4)], [
    0,
    3,
    4,
    19,
  ]);
  // Every lane of every connection: the 20 origins are the 20 half-offset slots of the first interval, once each.
  const origins = [0, 1, 2, 3].flatMap((c) =>
    connectionPacers(plan, c, 100).map((pacer) => pacer.dueMs(0) - 100)
  );
  assertEquals(origins.toSorted((a, b) => a - b), Array.from({ length: 20 }, (_, g) => g + 0.5));
  // One connection's own lanes send evenly over its interval: every 4 ms, a quarter of the run's slots.
  assertEquals(connectionPacers(plan, 1, 0).map((pacer) => pacer.dueMs(0)), [1.5, 5.5, 9.5, 13.5, 17.5]);
  // Over a second, the 20 lanes on plan send exactly 1000 batches, one every millisecond.
  const sent = [0, 1, 2, 3].flatMap((c) =>
    connectionPacers(plan, c, 0).flatMap((pacer) => drive(pacer, 1000, () => 5).sent)
  );
  assertEquals(sent.length, 1000);
  assertEquals(new Set(sent.map(Math.floor)).size, 1000);
});

Deno.test("with one lane per connection, the lanes are the connections: HTTP/1.1's plan as before", () => {
  const plan: RatePlan = { totalPerSec: 1000, connections: 10, lanesPerConnection: 1 };
  assertEquals(laneCount(plan), 10);
  for (let c = 0; c < 10; c++) {
    assertEquals(laneIndex(plan, c, 0), c);
    const [pacer, ...more] = connectionPacers(plan, c, 0);
    assertEquals(more, []);
    assertEquals(pacer.dueMs(0), originOffsetMs(plan, c));
  }
});

Deno.test("a shard's lanes keep their places in the whole test's plan", () => {
  // -c10 --streams 3 split over two shards: shard 1 holds connections 5–9, and their lanes are the single
  // client's lanes of those connections.
  const plan: RatePlan = { totalPerSec: 600, connections: 10, lanesPerConnection: 3 };
  const whole = Array.from({ length: 10 }, (_, c) => connectionPacers(plan, c, 0).map((p) => p.dueMs(0)));
  const shard1 = [5, 6, 7, 8, 9].map((c) => connectionPacers(plan, c, 0).map((p) => p.dueMs(0)));
  assertEquals(shard1, whole.slice(5));
  assertEquals(new Set(whole.flat()).size, 30);
});

Deno.test("a connection on plan sends at its slots, whatever the answers take below the interval", () => {
  const pacer = new Pacer(3, 10);
  const { sent, planned, late } = drive(pacer, 100, () => 4);
  assertEquals(sent, [3, 13, 23, 33, 43, 53, 63, 73, 83, 93]);
  assertEquals(planned, sent);
  assertEquals(late, 0);
});

Deno.test("a connection a slow answer held up sends its backlog as its answers come, then keeps to the plan", () => {
  const pacer = new Pacer(0, 10);
  // The answer to the request sent at 20 ms takes 45 ms; every other one 1 ms.
  const { sent, planned, late } = drive(pacer, 140, (at) => (at === 20 ? 45 : 1));
  // Answered at 65: slots 30..60 passed. Twice the rate, counted from the last batch sent at its slot (20),
  // allows them all at once: they go as their answers come (65..68), and slot 70 waits for 70.
  assertEquals(sent, [0, 10, 20, 65, 66, 67, 68, 70, 80, 90, 100, 110, 120, 130]);
  // Latency is measured from the plan: the requests that waited are charged for it.
  assertEquals(planned, [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130]);
  assertEquals(late, 4);
  // What the thread reports of the lane (`-R`'s Rate line): every batch sent, those sent late.
  assertEquals([pacer.batches, pacer.lateBatches, pacer.requestsSent], [14, 4, 14]);
});

Deno.test("catching up goes at most twice the rate, counted from the last batch sent at its slot", () => {
  const pacer = new Pacer(0, 10);
  // The answer to the request sent at 0 takes 45 ms, and it was the last one sent at its slot: by 45, twice
  // the rate allows slots 10..40 (due 5, 10, 15, 20...) at once, and then one every 5 ms.
  assertEquals(pacer.dueMs(0), 0);
  pacer.sent(1);
  assertEquals(pacer.dueMs(45), 5);
  pacer.sent(1);
  assertEquals(pacer.dueMs(46), 10);
  pacer.sent(1);
  assertEquals(pacer.dueMs(47), 15);
  pacer.sent(1);
  assertEquals(pacer.dueMs(48), 20);
  pacer.sent(1);
  assertEquals([pacer.dueMs(49), pacer.plannedMs, pacer.late], [50, 50, false]);
});

Deno.test("a server slower than the plan gets one batch at a time: the connection stays late, never floods", () => {
  const pacer = new Pacer(0, 10);
  const { sent, late } = drive(pacer, 200, () => 25);
  // Never two in flight: consecutive sends at least one answer apart.
  for (let i = 1; i < sent.length; i++) assert(sent[i] - sent[i - 1] >= 25);
  assertEquals(late, sent.length - 1);
});

Deno.test("pipelined batches take one slot per request", () => {
  const pacer = new Pacer(0, 10);
  const { sent, planned } = drive(pacer, 100, () => 1, 4);
  assertEquals(sent, [0, 40, 80]);
  assertEquals(planned, [0, 40, 80]);
  assertEquals([pacer.batches, pacer.lateBatches, pacer.requestsSent], [3, 0, 12]);
});

Deno.test("tiny rates: -R 1 over -c10 gives each connection a slot every 10 s, the first ones staggered by 1 s", () => {
  const plan: RatePlan = { totalPerSec: 1, connections: 10, lanesPerConnection: 1 };
  assertEquals(slotIntervalMs(plan), 10_000);
  assertEquals(originOffsetMs(plan, 9), 9500);
  const pacer = new Pacer(originOffsetMs(plan, 3), slotIntervalMs(plan));
  const { sent } = drive(pacer, 30_000, () => 1);
  assertEquals(sent, [3500, 13_500, 23_500]);
  // -R 3 over 2 connections: 1.5/s each, slots 666.67 ms apart.
  assertAlmostEquals(
    slotIntervalMs({ totalPerSec: 3, connections: 2, lanesPerConnection: 1 }),
    666.667,
    0.001,
  );
});

Deno.test("a batch that waited for its slot is not charged the timer's lateness, up to TIMER_SLACK_MS", () => {
  assertEquals(TIMER_SLACK_MS, 1);
  const pacer = new Pacer(10, 10);
  // Waited for slot 10 (due in the future at 4): written 0.4 ms late, its latency counts from the write.
  assertEquals(pacer.dueMs(4), 10);
  assertEquals(pacer.latencyOriginMs(10.4), 10.4);
  pacer.sent(1);
  // A timer that fired early (Deno's setTimeout does): from the write too, never before it.
  assertEquals(pacer.dueMs(15), 20);
  assertEquals(pacer.latencyOriginMs(19.8), 19.8);
  pacer.sent(1);
  // A thread too busy to keep its timers: written 3 ms late, charged all but the slack.
  assertEquals(pacer.dueMs(25), 30);
  assertEquals(pacer.latencyOriginMs(33), 31);
  pacer.sent(1);
  // Behind its plan (its answer came after its next slot): from the slot, whatever the write.
  assert(pacer.dueMs(52) <= 52);
  assertEquals([pacer.plannedMs, pacer.late], [40, true]);
  assertEquals(pacer.latencyOriginMs(52), 40);
});

Deno.test("a plan's slots before a time: none before its origin, one at it, then one per interval", () => {
  const pacer = new Pacer(1000, 100);
  assertEquals([pacer.slotsBefore(999), pacer.slotsBefore(1000)], [0, 0]);
  assertEquals([pacer.slotsBefore(1000.5), pacer.slotsBefore(1100), pacer.slotsBefore(1100.5)], [1, 1, 2]);
  assertEquals(pacer.slotsBefore(2000.5), 11);
});

Deno.test("Pacer.unusedSlots: the slots before the end that no batch took, every step-th one", () => {
  const pacer = new Pacer(0, 10);
  pacer.dueMs(0);
  pacer.sent(1); // slot 0 taken
  assertEquals(pacer.unusedSlots(45, 1), { firstMs: 10, count: 4, stepMs: 10 });
  assertEquals(pacer.unusedSlots(45, 2), { firstMs: 10, count: 2, stepMs: 20 });
  assertEquals(pacer.unusedSlots(5, 1).count, 0);
  assertEquals(pacer.nextSlotMs(45), 50);
});
