/**
 * The h2c check before a `--http2` run over `http://`: a server's first frame must be its own SETTINGS, so a
 * server that answers otherwise is one clear line before the run, not a run that guesses the server's limits.
 */
import { assertEquals, assertRejects } from "@std/assert";
import { checkH2c } from "../../lib/preflight/http2_check.ts";
import { RunError } from "../../lib/run_error.ts";

/** A listener on 127.0.0.1:0 that reads what comes and writes `first` once to each connection. */
function answering(first: Uint8Array) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  const serving = (async () => {
    for await (const conn of listener) {
      conns.push(conn);
      await conn.read(new Uint8Array(1024));
      await conn.write(first);
    }
  })();
  return {
    port: listener.addr.port,
    async close() {
      listener.close();
      for (const conn of conns) conn.close();
      await serving.catch(() => {});
    },
  };
}

const SETTINGS_ACK = new Uint8Array([0, 0, 0, 4, 1, 0, 0, 0, 0]);
const EMPTY_SETTINGS = new Uint8Array([0, 0, 0, 4, 0, 0, 0, 0, 0]);

Deno.test("checkH2c passes a server whose first frame is its SETTINGS", async () => {
  const server = answering(EMPTY_SETTINGS);
  try {
    await checkH2c({ address: "127.0.0.1", port: server.port, family: 4 }, "127.0.0.1:x", 2000);
  } finally {
    await server.close();
  }
});

Deno.test("checkH2c refuses a server that acknowledges our SETTINGS without sending its own first", async () => {
  const server = answering(SETTINGS_ACK);
  try {
    const error = await assertRejects(
      () => checkH2c({ address: "127.0.0.1", port: server.port, family: 4 }, "127.0.0.1:x", 2000),
      RunError,
    );
    assertEquals(
      error.message,
      "127.0.0.1:x does not speak HTTP/2 with prior knowledge (h2c): it acknowledged our SETTINGS but sent " +
        "none of its own first; leave out --http2, or use https",
    );
  } finally {
    await server.close();
  }
});
