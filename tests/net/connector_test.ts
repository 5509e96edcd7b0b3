/**
 * `Connector` (lib/net/connector.ts) over a transport's `open` (the callback path the epoll loop offers): the
 * outcome reaches the cycle once, a connect given up reports nothing more and closes a socket that opens
 * anyway, and only a connect still in progress can be overdue.
 */
import { assert, assertEquals } from "@std/assert";
import { Connector } from "../../lib/net/connector.ts";
import { fakeSocket, manualTransport } from "../helpers/manual_transport.ts";

Deno.test("Connector over open(): the outcome reaches the cycle once, and then nothing is overdue", () => {
  const manual = manualTransport();
  const connector = new Connector(manual.transport, 2_000);
  const heard: string[] = [];
  connector.open(() => heard.push("opened"), (error) => heard.push(`failed: ${error}`));
  assert(connector.overdue(Number.MAX_SAFE_INTEGER), "a connect in progress can be overdue");
  const socket = fakeSocket();
  manual.targets[0].opened(socket);
  manual.targets[0].failed(new Error("late"));
  assertEquals(heard, ["opened"]);
  assert(!connector.overdue(Number.MAX_SAFE_INTEGER), "a connect that settled is not overdue");

  connector.open(() => heard.push("opened"), (error) => heard.push(`failed: ${error}`));
  manual.targets[1].failed(new Error("refused"));
  assertEquals(heard, ["opened", "failed: Error: refused"]);
  assertEquals(socket.closed, 0);
  assertEquals(manual.cancelled, 0);
});

Deno.test("Connector over open(): a connect given up reports nothing, and a socket it opens anyway is closed", () => {
  const manual = manualTransport();
  const connector = new Connector(manual.transport, 2_000);
  const heard: string[] = [];
  connector.open(() => heard.push("first opened"), () => heard.push("first failed"));
  connector.abort();
  assertEquals(manual.cancelled, 1);
  assert(!connector.overdue(Number.MAX_SAFE_INTEGER));
  // The next connect starts while the first one's outcome is still on its way: it goes to nobody.
  connector.open(() => heard.push("second opened"), () => heard.push("second failed"));
  const late = fakeSocket();
  manual.targets[0].opened(late);
  assertEquals(late.closed, 1);
  manual.targets[0].failed(new Error("late"));
  assertEquals(heard, []);
  manual.targets[1].opened(fakeSocket());
  assertEquals(heard, ["second opened"]);
  // Aborting after the outcome gives up nothing.
  connector.abort();
  assertEquals(manual.cancelled, 1);
});
