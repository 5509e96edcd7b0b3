/** The library as a user imports it: only through mod.ts, against loopback servers. */
import assert from "node:assert/strict";
import {
  formatHeader,
  formatReport,
  parseArgs,
  run,
  RunError,
  type RunResult,
  Stats,
  UsageError,
} from "../mod.ts";
import { closedPort, ok, startServer } from "./helpers/server.ts";

const decoder = new TextDecoder();

Deno.test("run() from mod.ts measures a loopback server and formatReport() renders wrk's report of it", async () => {
  const server = startServer();
  try {
    const config = parseArgs(["-t2", "-c4", "-d300ms", server.url]);
    const result: RunResult = await run(config);
    assert.ok(result.requests > 0);
    const answered = server.requests.length;
    assert.ok(
      answered >= result.requests && answered - result.requests <= 4,
      `${answered} vs ${result.requests}`,
    );
    assert.equal(result.threads, 2);
    assert.equal(result.connections, 4);
    assert.deepEqual(result.errors, { connect: 0, read: 0, write: 0, status: 0, timeout: 0 });
    assert.ok(result.latency instanceof Stats);
    // At least one sample per response; wrk's latency correction may add more.
    assert.ok(result.latency.count >= result.requests);
    assert.ok(result.latency.percentile(99) >= result.latency.percentile(50));
    assert.ok(result.requestRate.count > 0);

    const header = formatHeader(result.url, result.durationMs, result.threads, result.connections);
    assert.equal(header, `Running 300.00ms test @ ${server.url}\n  2 threads and 4 connections\n`);
    const report = formatReport(result, { latency: true });
    assert.match(report, /^ {2}Thread Stats {3}Avg {6}Stdev {5}Max {3}\+\/- Stdev$/m);
    assert.match(report, new RegExp(`^ {2}${result.requests} requests in [\\d.]+ms, `, "m"));
    assert.match(report, /^ {2}Latency Distribution$/m);
  } finally {
    await server.close();
  }
});

Deno.test("run() from mod.ts runs a Lua script: request() shapes requests, done() writes through options.write", async () => {
  const script = await Deno.makeTempFile({ prefix: "wrk-deno-library-", suffix: ".lua" });
  const server = startServer((request) => ok(request.method === "POST" ? request.body.toUpperCase() : "no"));
  try {
    await Deno.writeTextFile(
      script,
      `
wrk.method = "POST"
wrk.headers["Content-Type"] = "text/plain"
function request() return wrk.format(nil, "/lib", nil, "hello") end
function response(status, headers, body)
  if body ~= "HELLO" then error("unexpected body " .. body) end
end
function done(summary, latency, requests)
  io.write(string.format("done: %d requests, %d errors\\n", summary.requests, summary.errors.status))
end
`,
    );
    const printed: string[] = [];
    const result = await run(parseArgs(["-t1", "-c2", "-d300ms", "-s", script, server.url]), {
      write: (bytes) => printed.push(decoder.decode(bytes)),
    });
    assert.ok(result.requests > 0);
    assert.deepEqual(printed, [`done: ${result.requests} requests, 0 errors\n`]);
    const seen = server.requests[0];
    assert.equal(seen.method, "POST");
    assert.equal(seen.path, "/lib");
    assert.equal(seen.headers.get("content-type"), "text/plain");
    assert.equal(seen.body, "hello");
  } finally {
    await server.close();
    await Deno.remove(script);
  }
});

Deno.test("run() from mod.ts rejects with RunError when nothing listens, and parseArgs() throws UsageError", async () => {
  await assert.rejects(
    run(parseArgs(["-d1s", `http://127.0.0.1:${closedPort()}/`])),
    (error: unknown) => error instanceof RunError && /unable to connect/.test(error.message),
  );
  assert.throws(() => parseArgs(["-t0", "http://127.0.0.1/"]), UsageError);
});
