/**
 * `-R`: when each lane sends, on a fixed plan, as wrk2 plans each connection (docs/wrk-compat.md, "Rate mode").
 * A lane is what wrk2 calls a connection: one batch in flight at a time. Over HTTP/1.1 a connection is one lane;
 * over HTTP/2 it has `--streams` of them, as if each stream were a connection of its own. Each lane gets an
 * equal share of the total rate: a request slot every `intervalMs`, from its own origin, the origins staggered
 * so that all the lanes' slots interleave evenly. A batch is due at its slot; a lane that fell behind (the
 * previous response came late) catches up at up to twice its rate until its plan is ahead again, with at most
 * one batch in flight. As in wrk2 (`usec_to_next_send`), the catch-up budget counts from the last batch that
 * went at its slot, so the requests a stall held back go as fast as the server answers them: what an open
 * system, where requests arrive whatever the server does, would send. The slot's time is also where the
 * batch's latency starts (the "recorded", coordinated-omission-free latency): waiting caused by a slow earlier
 * response is charged to the requests that waited. A batch that waited for its slot is written when the
 * thread's timer fires, up to `TIMER_SLACK_MS` late by design (lib/net/clock.ts): that lateness is the client's
 * own and is not charged (wrk2 charges its millisecond timers' lateness to the server, so a server answering in
 * 0.1 ms shows a median near 1 ms there).
 *
 * Pure and clock-free: the caller passes the time, so tests run it on a fake clock.
 *
 * @module
 */
import { TIMER_SLACK_MS } from "./clock.ts";

/**
 * How a run's rate is spread: what every lane's {@linkcode Pacer} is built from. The plan counts lanes,
 * `connections × lanesPerConnection` of them.
 */
export interface RatePlan {
  /** `-R`: requests per second over all lanes. */
  readonly totalPerSec: number;
  /** Connections over all threads (a shard's plan: the whole test's). */
  readonly connections: number;
  /**
   * Lanes of each connection, each with its own plan and one batch in flight: 1 over HTTP/1.1, `--streams` over
   * HTTP/2.
   */
  readonly lanesPerConnection: number;
}

/** Lanes over all threads: the rate is shared out among them. */
export function laneCount(plan: RatePlan): number {
  return plan.connections * plan.lanesPerConnection;
}

/**
 * The index, over all threads, of lane `lane` of connection `connection` (the connection's place over all
 * threads and shards, lib/net/connection_place.ts): lane-major, so that consecutive slots of the run fall on
 * different connections and each connection's own sends are spread evenly over its interval. With one lane per
 * connection, the connection's place.
 */
export function laneIndex(plan: RatePlan, connection: number, lane: number): number {
  return lane * plan.connections + connection;
}

/** The time between two slots of one lane, in ms. */
export function slotIntervalMs(plan: RatePlan): number {
  return (1000 * laneCount(plan)) / plan.totalPerSec;
}

/**
 * Where lane `index` (over all threads, {@linkcode laneIndex}) starts its plan, after the threads' common
 * start: lane g is g + ½ run-wide slot gaps in, so that all lanes' slots interleave evenly (wrk2 staggers
 * connection starts by a fixed 5 ms each instead, which bunches slots at high rates and delays starts at many
 * connections), and a run of D seconds holds exactly D × R slots, none on its edges (a slot at the very end
 * would race the stop).
 */
export function originOffsetMs(plan: RatePlan, index: number): number {
  return (1000 * (index + 0.5)) / plan.totalPerSec;
}

/**
 * The plans of connection `connection`'s lanes (its place over all threads, lib/net/connection_place.ts), for a
 * run whose threads started at `startMs`: one {@linkcode Pacer} per lane, in lane order.
 *
 * @example Two connections of two lanes each at 400 requests/s: a slot every 10 ms per lane
 * ```ts
 * import { connectionPacers } from "./pacer.ts";
 *
 * const plan = { totalPerSec: 400, connections: 2, lanesPerConnection: 2 };
 * // Connection 1's lanes are lanes 1 and 3 of the run: slots from 3.75 ms and from 8.75 ms, every 10 ms.
 * const [first, second] = connectionPacers(plan, 1, 0);
 * console.log(first.dueMs(0), second.dueMs(0)); // 3.75 8.75
 * ```
 */
export function connectionPacers(plan: RatePlan, connection: number, startMs: number): Pacer[] {
  const intervalMs = slotIntervalMs(plan);
  const pacers: Pacer[] = [];
  for (let lane = 0; lane < plan.lanesPerConnection; lane++) {
    pacers.push(new Pacer(startMs + originOffsetMs(plan, laneIndex(plan, connection, lane)), intervalMs));
  }
  return pacers;
}

/**
 * One lane's plan.
 *
 * @example A lane at 10 requests/s held up by a slow answer, then catching up
 * ```ts
 * import { Pacer } from "./pacer.ts";
 *
 * const pacer = new Pacer(0, 100); // origin 0 ms, a slot every 100 ms
 * console.log(pacer.dueMs(0), pacer.plannedMs); // 0 0: the first batch goes at once
 * pacer.sent(1);
 * console.log(pacer.dueMs(50)); // 100: on plan, wait for the next slot
 * console.log(pacer.dueMs(100)); // 100: its slot, and the catch-up budget counts from here
 * pacer.sent(1); // its answer comes late, at 350: slots 200 and 300 passed
 * console.log(pacer.dueMs(350), pacer.plannedMs, pacer.late); // 150 200 true: due long ago, so at once
 * ```
 */
export class Pacer {
  readonly #originMs: number;
  readonly #intervalMs: number;
  /** Slots used: requests sent (pipelined ones count one each). */
  #slots = 0;
  /** The last check found the next slot ahead: the lane waited for it (wrk2's `caught_up`). */
  #onPlan = true;
  /** The catch-up budget counts from this time, and from this many slots: the last batch sent at its slot. */
  #catchUpFromMs = 0;
  #catchUpSlots = 0;
  /** The planned time of the batch `dueMs()` last placed. */
  plannedMs = 0;
  /** Whether that batch is behind its plan (sent while catching up). */
  late = false;
  /** Batches sent, and those of them sent behind their plan: the thread's report sums its lanes' (`-R`). */
  batches = 0;
  lateBatches = 0;

  /** A plan starting at `originMs` with a slot every `intervalMs`. */
  constructor(originMs: number, intervalMs: number) {
    this.#originMs = originMs;
    this.#intervalMs = intervalMs;
  }

  /**
   * When the next batch may go, given the time now: at or before `nowMs` means at once. Also sets `plannedMs`,
   * the batch's slot on the plan, from which its latency is measured.
   */
  dueMs(nowMs: number): number {
    const plannedMs = this.#originMs + this.#slots * this.#intervalMs;
    this.plannedMs = plannedMs;
    if (plannedMs > nowMs) {
      this.#onPlan = true;
      this.late = false;
      return plannedMs;
    }
    // Due: at its slot when the lane had waited for it (or it is the first), else behind.
    if (this.#onPlan) {
      this.late = false;
      return plannedMs;
    }
    this.late = true;
    return this.#catchUpFromMs + ((this.#slots - this.#catchUpSlots) * this.#intervalMs) / 2;
  }

  /**
   * Where the recorded latency of the batch `dueMs()` last placed counts from, when it is written at `sentMs`:
   * its slot when it was behind (`late`); when it waited for its slot, its write, but never more than
   * `TIMER_SLACK_MS` after the slot (a thread too busy to keep its timers is charged beyond that).
   */
  latencyOriginMs(sentMs: number): number {
    return this.late ? this.plannedMs : Math.min(sentMs, this.plannedMs + TIMER_SLACK_MS);
  }

  /** The slots of this plan before `endMs` (the same clock as the origin's): what it had due by then. */
  slotsBefore(endMs: number): number {
    return endMs > this.#originMs ? Math.ceil((endMs - this.#originMs) / this.#intervalMs) : 0;
  }

  /**
   * The first slot of the plan after `nowMs`, whatever the lane sent: when a connect that failed at `nowMs` is
   * tried again, so that a server that refuses connections gets one connect per slot, not a flood.
   *
   * @example
   * ```ts
   * import { Pacer } from "./pacer.ts";
   *
   * const pacer = new Pacer(5, 100); // slots at 5, 105, 205… ms
   * console.log(pacer.nextSlotMs(0), pacer.nextSlotMs(5), pacer.nextSlotMs(150)); // 5 105 205
   * ```
   */
  nextSlotMs(nowMs: number): number {
    if (nowMs < this.#originMs) return this.#originMs;
    return this.#originMs + (Math.floor((nowMs - this.#originMs) / this.#intervalMs) + 1) * this.#intervalMs;
  }

  /**
   * The slots of this plan before `endMs` that no batch took, every `step`th from the first (a batch of `step`
   * requests takes `step` slots): the first one's time, how many, and the time between them.
   */
  unusedSlots(endMs: number, step: number): { firstMs: number; count: number; stepMs: number } {
    const unused = Math.max(0, this.slotsBefore(endMs) - this.#slots);
    return {
      firstMs: this.#originMs + this.#slots * this.#intervalMs,
      count: Math.ceil(unused / step),
      stepMs: step * this.#intervalMs,
    };
  }

  /** Requests sent, each of a pipelined batch counted: the slots used. */
  get requestsSent(): number {
    return this.#slots;
  }

  /** A batch of `requests` went out: the next batch takes the following slot. */
  sent(requests: number): void {
    this.batches++;
    if (this.late) this.lateBatches++;
    if (this.#onPlan) {
      // At its slot: the catch-up budget counts from here.
      this.#onPlan = false;
      this.#catchUpFromMs = this.plannedMs;
      this.#catchUpSlots = this.#slots;
    }
    this.#slots += requests;
  }
}
