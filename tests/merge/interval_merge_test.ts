/**
 * The interval merge behind `--hdr-log` (lib/merge/interval_merge.ts): threads' cumulative counts become one
 * histogram per interval, emitted in order once every thread has answered, and the end of the run closes the
 * last interval from the reports, whatever answers are missing.
 */
import { assertEquals } from "@std/assert";
import { IntervalMerge, type LatencySnapshot } from "../../lib/merge/interval_merge.ts";
import { Recorder } from "../../lib/stats/recorder.ts";

/** A thread's recorders, as a ThreadLoop keeps them. */
class FakeThread {
  readonly latency = new Recorder();
  readonly uncorrected = new Recorder();
  constructor(readonly rateMode = false) {}

  record(...latenciesUs: number[]): void {
    for (const us of latenciesUs) {
      this.latency.record(us);
      if (this.rateMode) this.uncorrected.record(us / 2);
    }
  }

  snapshot(): LatencySnapshot {
    return {
      latency: this.latency.counts(),
      uncorrectedLatency: this.rateMode ? this.uncorrected.counts() : null,
    };
  }
}

Deno.test("an interval is emitted once every thread has answered its cut, with the samples recorded in it", () => {
  const threads = [new FakeThread(), new FakeThread()];
  const merge = new IntervalMerge(2, false);
  threads[0].record(100, 200);
  threads[1].record(300);
  const first = merge.cut(1000.5);
  assertEquals(merge.add(1, first, threads[1].snapshot()), []);
  threads[0].record(2000); // after the cut was asked for, before the thread answered: the thread's own moment counts
  const [interval] = merge.add(0, first, threads[0].snapshot());
  assertEquals(interval.index, 0);
  assertEquals([interval.startMs, interval.lengthMs], [0, 1000.5]);
  assertEquals(interval.latency.count, 4);
  assertEquals(interval.latency.max, 2000);
  assertEquals(interval.uncorrectedLatency, null);
});

Deno.test("intervals come out in order even when a thread answers the later cut first", () => {
  const threads = [new FakeThread(), new FakeThread()];
  const merge = new IntervalMerge(2, false);
  const answers: LatencySnapshot[][] = [];
  for (const sample of [10, 20]) {
    for (const thread of threads) thread.record(sample);
    merge.cut(answers.length * 1000 + 1000);
    answers.push(threads.map((thread) => thread.snapshot()));
  }
  assertEquals(merge.add(0, 1, answers[0][0]), []);
  assertEquals(merge.add(0, 2, answers[1][0]), []);
  assertEquals(merge.add(1, 2, answers[1][1]), []);
  const emitted = merge.add(1, 1, answers[0][1]);
  assertEquals(emitted.map((i) => [i.index, i.startMs, i.lengthMs]), [[0, 0, 1000], [1, 1000, 1000]]);
  assertEquals(emitted.map((i) => [i.latency.count, i.latency.max]), [[2, 10], [2, 20]]);
});

Deno.test("finish() closes the last interval from the threads' final counts, ending at the run's end", () => {
  const thread = new FakeThread();
  const merge = new IntervalMerge(1, false);
  thread.record(1, 2, 3);
  merge.add(0, merge.cut(1000), thread.snapshot());
  thread.record(7, 8);
  const rest = merge.finish(1500, [thread.snapshot()]);
  assertEquals(rest.map((i) => [i.index, i.startMs, i.lengthMs, i.latency.count]), [[1, 1000, 500, 2]]);
  // Nothing more after the end.
  assertEquals(merge.finish(2000, [thread.snapshot()]), []);
  assertEquals(merge.add(0, 1, thread.snapshot()), []);
});

Deno.test("finish() still emits every cut when a thread never answered, its samples going to the last interval", () => {
  const threads = [new FakeThread(), new FakeThread()];
  const merge = new IntervalMerge(2, false);
  threads[0].record(100);
  threads[1].record(200);
  const cut = merge.cut(1000);
  merge.add(0, cut, threads[0].snapshot());
  threads[1].record(250);
  const rest = merge.finish(1200, threads.map((thread) => thread.snapshot()));
  assertEquals(rest.map((i) => [i.startMs, i.lengthMs, i.latency.count]), [[0, 1000, 1], [1000, 200, 2]]);
  // Every sample is in exactly one interval.
  assertEquals(rest.reduce((sum, i) => sum + i.latency.count, 0), 3);
});

Deno.test("a thread that did not report keeps its last answer: its figures are missing, never negative", () => {
  const threads = [new FakeThread(), new FakeThread()];
  const merge = new IntervalMerge(2, false);
  for (const thread of threads) thread.record(40);
  const cut = merge.cut(1000);
  for (const [i, thread] of threads.entries()) merge.add(i, cut, thread.snapshot());
  threads[0].record(50);
  const [last] = merge.finish(1800, [threads[0].snapshot(), null]);
  assertEquals([last.latency.count, last.latency.max], [1, 50]);
});

Deno.test("with -R every interval carries the uncorrected latency of the same responses", () => {
  const thread = new FakeThread(true);
  const merge = new IntervalMerge(1, true);
  thread.record(1000, 3000);
  const [first] = merge.add(0, merge.cut(1000), thread.snapshot());
  assertEquals([first.latency.count, first.uncorrectedLatency?.count], [2, 2]);
  assertEquals(first.uncorrectedLatency?.max, 1500);
  const [last] = merge.finish(1001, [thread.snapshot()]);
  assertEquals([last.latency.count, last.uncorrectedLatency?.count, last.lengthMs], [0, 0, 1]);
});

Deno.test("a run shorter than a second is one interval, from the start to the end", () => {
  const thread = new FakeThread();
  const merge = new IntervalMerge(1, false);
  thread.record(9);
  const [only] = merge.finish(300, [thread.snapshot()]);
  assertEquals([only.index, only.startMs, only.lengthMs, only.latency.count], [0, 0, 300, 1]);
});
