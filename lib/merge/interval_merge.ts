/**
 * Latency over time (`--hdr-log`): the threads' latency counts, asked for once a second ("cuts"), become one
 * merged histogram per interval of the run. A thread answers each cut with its counts so far (a
 * `LatencySnapshot`, cumulative), so what it recorded in an interval is one snapshot minus the one before, and
 * nothing is added to the recording path; the threads' differences are summed bucket by bucket, which is exact,
 * as lib/merge/merge_reports.ts merges whole runs. Pure: the run (lib/run.ts) decides when to cut and passes
 * the answers in.
 *
 * @module
 */
import { Stats } from "../stats/stats.ts";
import type { LatencySnapshot } from "../worker/protocol.ts";

export type { LatencySnapshot };

/**
 * One interval of a run's latency, merged over its threads: what `RunOptions.onInterval` is told, and one line
 * per tag of an HdrHistogram interval log (lib/report/hdr_interval_log.ts).
 *
 * @example Reading an interval's figures
 * ```ts
 * import type { LatencyInterval } from "./interval_merge.ts";
 *
 * function describe(interval: LatencyInterval): string {
 *   const fromS = interval.startMs / 1000;
 *   return `${fromS.toFixed(1)} s: ${interval.latency.count} responses, max ${interval.latency.max} µs`;
 * }
 * ```
 */
export interface LatencyInterval {
  /** The interval's place in the run, from 0. */
  index: number;
  /** When it began, in ms since the run's start (0 for the first; about `index` × 1000 after). */
  startMs: number;
  /** How long it lasted, in ms: about 1000, less for the last one, which ends with the run. */
  lengthMs: number;
  /**
   * The latency samples (µs) recorded in the interval, that is of the responses that completed in it. Closed
   * loop: as measured, without wrk's correction (which applies to the whole run's report only); with `-R`:
   * from each request's planned time, as the run's `latency`.
   */
  latency: Stats;
  /** With `-R`: the same responses' latency from each actual write; null for the closed loop. */
  uncorrectedLatency: Stats | null;
}

const EMPTY: LatencySnapshot = { latency: new Float64Array(0), uncorrectedLatency: null };

/**
 * Assembles the intervals from the threads' answers, in order, as soon as every thread has answered a cut.
 *
 * @example Two threads, one cut, then the end of the run
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { IntervalMerge } from "./interval_merge.ts";
 * import { Recorder } from "../stats/recorder.ts";
 *
 * const threads = [new Recorder(), new Recorder()];
 * const merge = new IntervalMerge(2, false);
 * threads[0].record(100);
 * threads[1].record(200);
 * const cut = merge.cut(1000);
 * assertEquals(merge.add(0, cut, { latency: threads[0].counts(), uncorrectedLatency: null }), []);
 * const [first] = merge.add(1, cut, { latency: threads[1].counts(), uncorrectedLatency: null });
 * assertEquals([first.startMs, first.lengthMs, first.latency.count, first.latency.max], [0, 1000, 2, 200]);
 * threads[0].record(300);
 * const finals = threads.map((t) => ({ latency: t.counts(), uncorrectedLatency: null }));
 * const [last] = merge.finish(1500, finals);
 * assertEquals([last.startMs, last.lengthMs, last.latency.count, last.latency.max], [1000, 500, 1, 300]);
 * ```
 */
export class IntervalMerge {
  readonly #threads: number;
  readonly #rateMode: boolean;
  /** When each cut was asked for, ms since the run's start; cut 0 is the start itself. */
  readonly #cutsMs: number[] = [0];
  /** Per thread: its counts at the last cut merged (the base of the next interval). */
  readonly #merged: LatencySnapshot[];
  /** Per thread: its answers to cuts not merged yet, by cut index. */
  readonly #answers: Map<number, LatencySnapshot>[];
  /** Cuts merged so far: the next interval to emit ends at cut `#done + 1`. */
  #done = 0;
  #finished = false;

  /** `threads` threads will answer; `rateMode` (`-R`) keeps the uncorrected latency too. */
  constructor(threads: number, rateMode: boolean) {
    this.#threads = threads;
    this.#rateMode = rateMode;
    this.#merged = Array.from({ length: threads }, () => EMPTY);
    this.#answers = Array.from({ length: threads }, () => new Map());
  }

  /** A cut asked for at `atMs` (ms since the run's start); returns its index, for the threads' answers. */
  cut(atMs: number): number {
    this.#cutsMs.push(Math.max(atMs, this.#cutsMs[this.#cutsMs.length - 1]));
    return this.#cutsMs.length - 1;
  }

  /**
   * Thread `threadIndex`'s answer to cut `index`: its counts so far. Returns the intervals now complete (every
   * thread has answered their closing cut), oldest first; after `finish()`, none.
   */
  add(threadIndex: number, index: number, snapshot: LatencySnapshot): LatencyInterval[] {
    if (this.#finished || index <= this.#done || index >= this.#cutsMs.length) return [];
    this.#answers[threadIndex]?.set(index, snapshot);
    const complete: LatencyInterval[] = [];
    while (this.#done + 1 < this.#cutsMs.length && this.#answers.every((a) => a.has(this.#done + 1))) {
      const next = this.#done + 1;
      complete.push(this.#interval(next, this.#cutsMs[next], this.#answers.map((a) => a.get(next)!)));
    }
    return complete;
  }

  /**
   * The run ended `endMs` after its start, and `finals` are the threads' last counts (their reports; null for
   * a thread that did not report). Returns every interval not emitted yet, up to the last, partial one, which
   * ends at `endMs`. A thread that did not answer a cut counts as having recorded nothing more by then: what
   * it recorded goes to a later interval, or is missing with its report.
   */
  finish(endMs: number, finals: (LatencySnapshot | null)[]): LatencyInterval[] {
    if (this.#finished) return [];
    const rest: LatencyInterval[] = [];
    // Each thread's latest known counts, cut by cut, so that a missing answer never subtracts.
    const latest = [...this.#merged];
    for (let next = this.#done + 1; next < this.#cutsMs.length; next++) {
      for (let thread = 0; thread < this.#threads; thread++) {
        latest[thread] = this.#answers[thread].get(next) ?? latest[thread];
      }
      rest.push(this.#interval(next, this.#cutsMs[next], latest));
    }
    const ends = latest.map((known, thread) => finals[thread] ?? known);
    const lastCutMs = this.#cutsMs[this.#cutsMs.length - 1];
    rest.push(this.#interval(this.#done + 1, Math.max(endMs, lastCutMs), ends));
    this.#finished = true;
    return rest;
  }

  /** The interval that ends at cut `next` (or at the run's end) at `endMs`, each thread then at `counts`. */
  #interval(next: number, endMs: number, counts: LatencySnapshot[]): LatencyInterval {
    const startMs = this.#cutsMs[next - 1];
    let latency: Float64Array = new Float64Array(0);
    let uncorrected: Float64Array = new Float64Array(0);
    for (let thread = 0; thread < this.#threads; thread++) {
      const from = this.#merged[thread];
      const to = counts[thread];
      latency = addDifference(latency, to.latency, from.latency);
      if (to.uncorrectedLatency !== null) {
        uncorrected = addDifference(
          uncorrected,
          to.uncorrectedLatency,
          from.uncorrectedLatency ?? EMPTY.latency,
        );
      }
      this.#merged[thread] = to;
      this.#answers[thread].delete(next);
    }
    this.#done = next;
    return {
      index: next - 1,
      startMs,
      lengthMs: endMs - startMs,
      latency: Stats.fromBucketCounts(latency),
      uncorrectedLatency: this.#rateMode ? Stats.fromBucketCounts(uncorrected) : null,
    };
  }
}

/**
 * `sum + (later − earlier)`, bucket by bucket, `later` and `earlier` being two cumulative counts of one
 * recorder; `sum` is grown (a new array) when `later` is longer.
 */
function addDifference(sum: Float64Array, later: Float64Array, earlier: Float64Array): Float64Array {
  let result = sum;
  if (later.length > sum.length) {
    result = new Float64Array(later.length);
    result.set(sum);
  }
  for (let index = 0; index < later.length; index++) {
    result[index] += Math.max(0, later[index] - (index < earlier.length ? earlier[index] : 0));
  }
  return result;
}
