/** When a failed connection is replaced at once (lib/net/reconnect_gate.ts). */
import { assertEquals } from "@std/assert";
import { ReconnectGate, UNANSWERED_QUIET_MS } from "../../lib/net/reconnect_gate.ts";

Deno.test("ReconnectGate: connections that answered reconnect at once while none failed unanswered", () => {
  const gate = new ReconnectGate();
  for (let ms = 0; ms < 5; ms++) assertEquals(gate.atOnce(true, ms), true);
});

Deno.test("ReconnectGate: a connection that failed unanswered waits, and holds back the others for a while", () => {
  const gate = new ReconnectGate();
  assertEquals(gate.atOnce(false, 100), false);
  assertEquals(gate.atOnce(true, 100), false);
  assertEquals(gate.atOnce(true, 100 + UNANSWERED_QUIET_MS - 1), false);
  assertEquals(gate.atOnce(true, 100 + UNANSWERED_QUIET_MS), true);
  // Each new unanswered failure starts the quiet time again.
  assertEquals(gate.atOnce(false, 2_000), false);
  assertEquals(gate.atOnce(true, 2_500), false);
  assertEquals(gate.atOnce(true, 2_000 + UNANSWERED_QUIET_MS), true);
});
