/**
 * Why errors happened, and which status codes came back: the report's `Error reasons` and `Status codes`
 * lines (docs/wrk-compat.md#error-lines), on both socket paths, against misbehaving servers; and a clean run's
 * report without either line.
 */
import { assert, assertEquals, assertMatch, assertNotMatch } from "@std/assert";
import { parseArgs, run } from "../mod.ts";
import { CLI_PERMISSIONS, DENO_SOCKETS_PERMISSIONS, runCli } from "./helpers/cli.ts";
import { startHostileServer } from "./helpers/hostile_server.ts";
import { ok, startServer } from "./helpers/server.ts";

for (
  const { name, permissions, epoll } of [
    { name: "epoll loop", permissions: CLI_PERMISSIONS, epoll: true },
    { name: "Deno sockets", permissions: DENO_SOCKETS_PERMISSIONS, epoll: false },
  ]
) {
  Deno.test(`${name}: a server resetting connections shows as read errors with the OS's reason`, async () => {
    const server = startHostileServer({ kind: "resetMidHeaders" });
    try {
      const { code, stdout, stderr } = await runCli(["-t1", "-c2", "-d500ms", server.url], { permissions });
      assertEquals(code, 0, stderr);
      assertMatch(
        stdout,
        /^ {2}Socket errors: connect 0, read \d+, write 0, timeout 0\n {2}Error reasons: read (E[A-Z]+|closed before the response ended) \d+/m,
      );
    } finally {
      await server.close();
    }
  });

  Deno.test(`${name}: malformed responses, silent servers and refused reconnects each name their reason`, async () => {
    const notHttp = startHostileServer({ kind: "notHttp" });
    const silent = startHostileServer({ kind: "silent" });
    try {
      const garbled = await run({ ...parseArgs(["-t1", "-c1", "-d300ms", notHttp.url]), epoll });
      assert(garbled.errorReasons.some((r) => r.category === "read" && r.reason === "malformed response"));
      const hung = await run({
        ...parseArgs(["-t1", "-c1", "-d700ms", "--timeout", "200ms", silent.url]),
        epoll,
      });
      assertEquals(hung.errorReasons.map((r) => [r.category, r.reason]), [[
        "timeout",
        "no response within --timeout",
      ]]);
      assertEquals(hung.errorReasons[0].count, hung.errors.timeout);
    } finally {
      await notHttp.close();
      await silent.close();
    }
  });
}

Deno.test("a server going away mid-run shows as connect ECONNREFUSED, counted per reason as the counters are", async () => {
  const server = startServer();
  const url = server.url;
  setTimeout(() => server.close(), 200);
  const result = await run(parseArgs(["-t1", "-c2", "-d600ms", url]));
  const connect = result.errorReasons.filter((r) => r.category === "connect");
  assert(connect.some((r) => r.reason === "ECONNREFUSED"), JSON.stringify(result.errorReasons));
  // Every counted socket error has a reason.
  for (const category of ["connect", "read", "write", "timeout"] as const) {
    const sum = result.errorReasons.filter((r) => r.category === category).reduce((n, r) => n + r.count, 0);
    assertEquals(sum, result.errors[category], category);
  }
});

Deno.test("status codes are counted each, and printed after the Non-2xx line only when there is one", async () => {
  const server = startServer((_request, index) => ok("x", index % 4 === 0 ? 503 : 200));
  const clean = startServer();
  try {
    const { stdout } = await runCli(["-t1", "-c1", "-d300ms", server.url]);
    const codes = stdout.match(
      /^ {2}Non-2xx or 3xx responses: (\d+)\n {2}Status codes: 200 (\d+), 503 (\d+)$/m,
    );
    assert(codes !== null, stdout);
    // One in four answers is a 503: the Non-2xx count is the 503 count, and every request counted is in a code.
    assertEquals(codes[1], codes[3]);
    assert(Number(codes[3]) > 0 && Number(codes[2]) >= 2 * Number(codes[3]), stdout);
    const cleanRun = await runCli(["-t1", "-c1", "-d300ms", clean.url]);
    assertNotMatch(cleanRun.stdout, /Status codes|Error reasons/);
    const result = await run(parseArgs(["-t1", "-c1", "-d300ms", clean.url]));
    assertEquals(Object.keys(result.statusCodes), ["200"]);
    assertEquals(result.statusCodes["200"], result.requests);
  } finally {
    await server.close();
    await clean.close();
  }
});
