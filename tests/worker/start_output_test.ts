/** The order of the scripts' output before a run (lib/worker/start_output.ts): wrk's, whatever order it came in. */
import { assertEquals } from "@std/assert";
import { StartOutputOrder, StartPhase } from "../../lib/worker/start_output.ts";

Deno.test("StartOutputOrder writes the part in progress at once and holds later parts until the ones before are done", () => {
  const written: string[] = [];
  const order = new StartOutputOrder(2);
  const say = (thread: number, phase: StartPhase, text: string) =>
    order.write(thread, phase, () => written.push(text));
  order.mainDone();
  say(0, StartPhase.TopLevel, "top 1");
  say(1, StartPhase.TopLevel, "top 2");
  assertEquals(written, ["top 1"], "thread 2's top level waits for thread 1's setup() and init()");
  order.done(0, StartPhase.TopLevel);
  order.done(1, StartPhase.TopLevel);
  say(0, StartPhase.Setup, "setup 1");
  order.done(0, StartPhase.Setup);
  say(1, StartPhase.Setup, "setup 2");
  order.done(1, StartPhase.Setup);
  say(1, StartPhase.Init, "init 2");
  say(0, StartPhase.Init, "init 1");
  assertEquals(written, ["top 1", "setup 1", "init 1"]);
  order.done(1, StartPhase.Init);
  assertEquals(written, ["top 1", "setup 1", "init 1"], "thread 1's init() is not done yet");
  order.done(0, StartPhase.Init);
  assertEquals(written, ["top 1", "setup 1", "init 1", "top 2", "setup 2", "init 2"]);
});

Deno.test("StartOutputOrder.end() writes everything held, in order, and later output at once (a failed start)", () => {
  const written: string[] = [];
  const order = new StartOutputOrder(3);
  order.write(2, StartPhase.TopLevel, () => written.push("top 3"));
  order.write(1, StartPhase.TopLevel, () => written.push("top 2"));
  order.end();
  assertEquals(written, ["top 2", "top 3"]);
  order.write(0, StartPhase.Init, () => written.push("late"));
  assertEquals(written, ["top 2", "top 3", "late"]);
});

Deno.test("StartOutputOrder puts the main state's top level first, although the threads' top levels ran before it", () => {
  const written: string[] = [];
  const order = new StartOutputOrder(1);
  order.write(0, StartPhase.TopLevel, () => written.push("thread top"));
  order.done(0, StartPhase.TopLevel);
  assertEquals(written, []);
  order.writeMain(() => written.push("main top"));
  order.mainDone();
  assertEquals(written, ["main top", "thread top"]);
  order.done(0, StartPhase.Setup);
  order.done(0, StartPhase.Init);
  order.writeMain(() => written.push("done()"));
  assertEquals(written, ["main top", "thread top", "done()"]);
});
