/**
 * `--http2` as users run it: the CLI against a loopback h2c server whose every frame the test controls
 * (tests/helpers/h2c_server.ts), well-behaved and misbehaving, with the JSON result read back for counts and
 * error reasons. Real servers (nginx, Deno's own) are in tests/http2_servers_test.ts.
 */
import { assert, assertAlmostEquals, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { parseReport, runCli } from "./helpers/cli.ts";
import { acceptLoop } from "./helpers/accept_loop.ts";
import { type H2cBehaviour, type H2cServer, startH2cServer } from "./helpers/h2c_server.ts";
import { ok, startServer, TEST_CA_FILE } from "./helpers/server.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

/** Runs the CLI with `--http2 --json` against a fresh h2c server behaving as asked; gives both sides. */
async function runAgainst(
  behaviour: H2cBehaviour,
  args: string[],
  check: (
    outcome: { code: number; stdout: string; stderr: string; wallMs: number },
    document: Json,
    server: H2cServer,
  ) => void,
) {
  const server = startH2cServer(behaviour);
  const dir = await Deno.makeTempDir({ prefix: "wrk-deno-h2-" });
  try {
    const outcome = await runCli(["--http2", "--json", `${dir}/r.json`, ...args, server.url]);
    const document = JSON.parse(await Deno.readTextFile(`${dir}/r.json`));
    check(outcome, document, server);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("h2c with --streams 4: every counted response was answered, four streams open at once per connection", async () => {
  await runAgainst({}, ["-t1", "-c2", "-d700ms", "--streams", "4"], (outcome, document, server) => {
    assertEquals(outcome.code, 0, outcome.stderr);
    const report = parseReport(outcome.stdout);
    assert(report.requests > 100, outcome.stdout);
    assertEquals(document.requests, report.requests);
    // At most the streams in flight at the stop were answered and not counted.
    assert(document.requests <= server.requests.length && server.requests.length <= document.requests + 8);
    assertEquals(server.maxConcurrentSeen(), 4);
    assertEquals(document.status_codes, { "200": document.requests });
    assertEquals(document.error_reasons, []);
  });
});

Deno.test("the server's MAX_CONCURRENT_STREAMS caps --streams, and the report says so", async () => {
  await runAgainst(
    { maxStreams: 2 },
    ["-t1", "-c1", "-d500ms", "--streams", "10"],
    (outcome, document, server) => {
      assertEquals(outcome.code, 0, outcome.stderr);
      assert(document.requests > 50);
      assert(server.maxConcurrentSeen() <= 2, `${server.maxConcurrentSeen()} streams open at once`);
      assertEquals(document.error_reasons, []);
      assertStringIncludes(
        outcome.stdout,
        "\n  The server allows 2 streams per connection (fewer than --streams): add -c for more requests in " +
          "flight\n",
      );
    },
  );
});

Deno.test("streams beyond the server's MAX_CONCURRENT_STREAMS are not started: no wait in the client counts", async () => {
  // 2 streams allowed, each answered after 50 ms, --streams 20 and a 150 ms timeout: a batch started beyond the
  // limit waited for a stream (up to 9 × 50 ms) with its clock running, and timed out for want of one.
  await runAgainst(
    { maxStreams: 2, delayMs: 50 },
    ["-t1", "-c1", "-d1s", "--streams", "20", "--timeout", "150ms", "--latency"],
    (outcome, document, server) => {
      assertEquals(outcome.code, 0, outcome.stderr);
      assert(server.maxConcurrentSeen() <= 2, `${server.maxConcurrentSeen()} streams open at once`);
      assertEquals(document.errors.timeout, 0, JSON.stringify(document.error_reasons));
      assert(document.requests >= 20, `${document.requests} requests`);
      // Each request took the server's 50 ms, not a queue's wait on top.
      assert(document.latency.percentiles["99"] < 100_000, `p99 ${document.latency.percentiles["99"]} µs`);
    },
  );
});

Deno.test("a graceful GOAWAY finishes the streams below its last id, then a new connection carries on, no error", async () => {
  await runAgainst(
    { goawayAfter: 40 },
    ["-t1", "-c1", "-d700ms", "--streams", "3"],
    (outcome, document, server) => {
      assertEquals(outcome.code, 0, outcome.stderr);
      // The preflight's probe, then one connection per 40 responses.
      assert(server.connections() >= 4, `${server.connections()} connections`);
      assert(document.requests > 80, `${document.requests} requests`);
      assertEquals(document.errors, { connect: 0, read: 0, write: 0, status: 0, timeout: 0 });
    },
  );
});

Deno.test("a server refusing every stream with GOAWAY NO_ERROR before any response: read errors that say so", async () => {
  await runAgainst({ refuseAll: true }, ["-t1", "-c2", "-d500ms", "--streams", "4"], (outcome, document) => {
    assertEquals(outcome.code, 0, outcome.stderr);
    assertEquals(document.requests, 0);
    const reasons = document.error_reasons.map((r: Json) => `${r.category} ${r.reason}`);
    assertEquals(reasons, ["read GOAWAY NO_ERROR before any response"]);
    assert(document.errors.read >= 8, `${document.errors.read} read errors`);
  });
  // A graceful GOAWAY after answers stays no error (the test above: "a graceful GOAWAY finishes …").
});

Deno.test("RST_STREAM counts a read error with the code as its reason, and the connection carries on", async () => {
  await runAgainst(
    { resetEvery: { n: 5, code: 2 } },
    ["-t1", "-c1", "-d500ms", "--streams", "2"],
    (outcome, document, server) => {
      assertEquals(outcome.code, 0, outcome.stderr);
      const resets = document.error_reasons.find((r: Json) => r.reason === "stream reset: INTERNAL_ERROR");
      assert(resets !== undefined, JSON.stringify(document.error_reasons));
      assertEquals(resets.category, "read");
      assertEquals(document.errors.read, resets.count);
      assertAlmostEquals(document.requests / resets.count, 4, 0.5);
      // The preflight's connect test and h2c probe, then the run's one connection.
      assertEquals(server.connections(), 3);
      assertMatch(outcome.stdout, /\n {2}Error reasons: read stream reset: INTERNAL_ERROR \d+\n/);
    },
  );
});

Deno.test("REFUSED_STREAM sends the request again (it was not processed): nothing is lost or counted", async () => {
  await runAgainst(
    { resetEvery: { n: 5, code: 7 } },
    ["-t1", "-c1", "-d500ms", "--streams", "2"],
    (outcome, document, server) => {
      assertEquals(outcome.code, 0, outcome.stderr);
      assertEquals(document.errors.read, 0, JSON.stringify(document.error_reasons));
      // Every fifth stream was refused and sent again: the server saw about a quarter more requests.
      assertAlmostEquals(server.requests.length / document.requests, 1.25, 0.1);
    },
  );
});

Deno.test("a window that never opens holds request bodies: timeouts counted, the run ends on time", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const script = `${dir}/post.lua`;
    await Deno.writeTextFile(script, `wrk.method = "POST"\nwrk.body = string.rep("x", 1000)\n`);
    await runAgainst(
      { initialWindow: 0 },
      ["-t1", "-c1", "-d1500ms", "--timeout", "300ms", "-s", script],
      (outcome, document, server) => {
        assertEquals(outcome.code, 0, outcome.stderr);
        // The first request may go, with the protocol's default window, before the server's SETTINGS close it.
        assert(document.requests <= 1, `${document.requests} requests`);
        assert(document.errors.timeout >= 2, JSON.stringify(document.errors));
        assertEquals(server.requests.length, document.requests);
        assert(outcome.wallMs < 6_000, `${outcome.wallMs} ms`);
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bodies larger than our windows arrive whole: the client gives the windows back as it reads", async () => {
  const bodyBytes = 3 << 20;
  await runAgainst({ bodyBytes }, ["-t1", "-c1", "-d1s", "--streams", "2"], (outcome, document) => {
    assertEquals(outcome.code, 0, outcome.stderr);
    assert(document.requests >= 2, `${document.requests} requests`);
    assert(document.bytes >= document.requests * bodyBytes, `${document.bytes} bytes`);
    assertEquals(document.error_reasons, []);
  });
});

Deno.test("1xx responses are skipped and trailers read: one response per request, counted by its final status", async () => {
  await runAgainst({ interimAndTrailers: true }, ["-t1", "-c1", "-d400ms"], (outcome, document, server) => {
    assertEquals(outcome.code, 0, outcome.stderr);
    assert(document.requests > 10);
    assertEquals(document.status_codes, { "200": document.requests });
    assert(document.requests <= server.requests.length);
  });
});

Deno.test("trailers join response()'s headers, as HTTP/1.1's chunked trailers do; a 1xx's fields do not", async () => {
  const dir = await Deno.makeTempDir({ prefix: "wrk-deno-h2-" });
  try {
    await Deno.writeTextFile(
      `${dir}/trailers.lua`,
      `function response(status, headers, body)
        assert(headers["x-checksum"] == "abc", "no trailer: " .. tostring(headers["x-checksum"]))
        assert(headers["link"] == nil, "the 103's field")
      end`,
    );
    await runAgainst(
      { interimAndTrailers: true },
      ["-t1", "-c1", "-d400ms", "-s", `${dir}/trailers.lua`],
      (outcome, document) => {
        assertEquals(outcome.code, 0, outcome.stderr);
        assert(document.requests > 10);
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a server that closes with streams open: a read error for each request lost, as h2load counts them", async () => {
  await runAgainst(
    { closeAfter: 20 },
    ["-t1", "-c1", "-d500ms", "--streams", "10"],
    (outcome, document, server) => {
      assertEquals(outcome.code, 0, outcome.stderr);
      // The close reads as the end of the stream or as a reset (ECONNRESET), as the kernel has it.
      const lost = document.errors.read;
      const closes = server.connections() - 1;
      assert(closes >= 3, `${closes} closes`);
      // Ten streams in flight at each close: one error per close before.
      assert(lost >= 3 * closes, `${lost} errors for ${closes} closes`);
      assert(lost <= 10 * server.connections(), `${lost} errors for ${closes} closes`);
    },
  );
});

for (
  const [what, behaviour, reason] of [
    ["a WINDOW_UPDATE of 0", { zeroWindowUpdateEvery: 5 }, "protocol error: WINDOW_UPDATE of 0"],
    ["DATA before HEADERS", { dataFirstEvery: 5 }, "malformed response: DATA before HEADERS"],
  ] as const
) {
  Deno.test(`${what} on a stream resets that stream alone: the connection and its other streams go on`, async () => {
    await runAgainst(
      behaviour,
      ["-t1", "-c1", "-d500ms", "--streams", "4"],
      (outcome, document, server) => {
        assertEquals(outcome.code, 0, outcome.stderr);
        const reasons = document.error_reasons.map((r: Json) => `${r.category} ${r.reason}`);
        assertEquals(reasons, [`read ${reason}`]);
        assert(document.requests > 20, `${document.requests} requests`);
        // The run's one connection, after the two of the checks before it (a connect, then the h2c preface).
        assertEquals(server.connections(), 3);
        assert(server.resetsReceived.includes(1), "RST_STREAM PROTOCOL_ERROR");
        assertEquals(server.goawaysReceived, []);
      },
    );
  });
}

for (
  const [status, reason] of [
    [null, "malformed response: no :status"],
    ["20x", "malformed response: a :status that is not a status code"],
    ["099", "malformed response: a :status that is not a status code"],
  ] as const
) {
  Deno.test(`a response with ${status === null ? "no :status" : `:status ${status}`} is a read error saying so, its stream reset`, async () => {
    await runAgainst({ status }, ["-t1", "-c1", "-d300ms"], (outcome, document, server) => {
      assertEquals(outcome.code, 0, outcome.stderr);
      assertEquals(document.requests, 0);
      const reasons = document.error_reasons.map((r: Json) => `${r.category} ${r.reason}`);
      assertEquals(reasons, [`read ${reason}`]);
      assert(server.resetsReceived.includes(1), "RST_STREAM PROTOCOL_ERROR");
    });
  });
}

Deno.test("a malformed frame is a read error naming the protocol error, and a new connection", async () => {
  await runAgainst({ garbageAfter: 10 }, ["-t1", "-c1", "-d500ms"], (outcome, document, server) => {
    assertEquals(outcome.code, 0, outcome.stderr);
    const reasons = document.error_reasons.map((r: Json) => `${r.category} ${r.reason}`);
    assert(reasons.some((r: string) => r.startsWith("read protocol error: ")), reasons.join(", "));
    assert(server.connections() >= 3);
    assert(document.requests >= 20);
  });
});

/** A script that POSTs a body of `bodyBytes` bytes, in a temporary directory removed after `body`. */
async function withPostScript(bodyBytes: number, body: (script: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    const script = `${dir}/post.lua`;
    await Deno.writeTextFile(script, `wrk.method = "POST"\nwrk.body = string.rep("x", ${bodyBytes})\n`);
    await body(script);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** `document.error_reasons` as `category reason` lines. */
function reasonsOf(document: Json): string[] {
  return document.error_reasons.map((r: Json) => `${r.category} ${r.reason}`);
}

Deno.test("a request body refused part-way (REFUSED_STREAM) is sent again whole, and none of it on stream 0", async () => {
  // The stream window (1 MiB) is larger than the connection's (64 KiB): a 100 KB body waits for the connection's
  // window when the server refuses its stream at its first DATA frame, and the connection's WINDOW_UPDATE that
  // follows must send nothing for that stream, whose id is gone; its retry sends the body from its first byte.
  await withPostScript(100_000, async (script) => {
    await runAgainst(
      { initialWindow: 1 << 20, refuseBodyEvery: 3 },
      ["-t1", "-c1", "-d1s", "--timeout", "500ms", "-s", script],
      (outcome, document, server) => {
        assertEquals(outcome.code, 0, outcome.stderr);
        assertEquals(server.violations, []);
        assert(server.refused() >= 3, `${server.refused()} refused`);
        assertEquals(document.errors, { connect: 0, read: 0, write: 0, status: 0, timeout: 0 });
        assert(document.requests >= 10, `${document.requests} requests`);
        for (const request of server.requests) assertEquals(request.bodyBytes, 100_000);
      },
    );
  });
});

Deno.test("a request body sent whole, then refused (REFUSED_STREAM), is sent again with its stream ended", async () => {
  // Its retry once went as HEADERS without END_STREAM and no DATA: a request the server waited for until
  // --timeout.
  await withPostScript(11, async (script) => {
    await runAgainst(
      { refuseBodyEvery: 3 },
      ["-t1", "-c1", "-d700ms", "--timeout", "300ms", "-s", script],
      (outcome, document, server) => {
        assertEquals(outcome.code, 0, outcome.stderr);
        assert(server.refused() >= 10, `${server.refused()} refused`);
        assertEquals(document.errors, { connect: 0, read: 0, write: 0, status: 0, timeout: 0 });
        assert(document.requests >= 30, `${document.requests} requests`);
        for (const request of server.requests) assertEquals(request.bodyBytes, 11);
      },
    );
  });
});

Deno.test("a server's SETTINGS_HEADER_TABLE_SIZE below 4096 is acknowledged by a size update in the next block", async () => {
  // nghttp2 (Node's http2 with headerTableSize 0) answers a block without it with GOAWAY COMPRESSION_ERROR: one
  // request per connection was all that got through.
  for (const headerTableSize of [0, 1024]) {
    await runAgainst(
      { headerTableSize },
      ["-t1", "-c1", "-d400ms", "--streams", "2"],
      (outcome, document, server) => {
        assertEquals(outcome.code, 0, outcome.stderr);
        assertEquals(server.violations, []);
        assertEquals(document.error_reasons, []);
        assert(document.requests > 50, `${document.requests} requests`);
      },
    );
  }
});

Deno.test("a response complete before its request body resets the stream with NO_ERROR: no server slot is held", async () => {
  // The server answers at HEADERS (a 413, say) and allows 10 streams, each open until its body ends or it is
  // reset. A body abandoned without either kept its stream open at the server: 10 requests, then refusals.
  await withPostScript(100_000, async (script) => {
    await runAgainst(
      { earlyResponse: true, maxStreams: 10, initialWindow: 1000 },
      ["-t1", "-c1", "-d700ms", "--streams", "2", "-s", script],
      (outcome, document, server) => {
        assertEquals(outcome.code, 0, outcome.stderr);
        assertEquals(server.refused(), 0);
        assertEquals(document.error_reasons, []);
        assert(document.requests > 30, `${document.requests} requests`);
        const noError = server.resetsReceived.filter((code) => code === 0).length;
        assert(
          noError >= document.requests,
          `${noError} RST_STREAM NO_ERROR for ${document.requests} requests`,
        );
      },
    );
  });
});

Deno.test("a GOAWAY with an error code is one read error per request in flight, and a new connection at once", async () => {
  // Whether the server then closes the connection or keeps it open: its close was counted again ("closed with
  // streams open"), and an open one held its streams until --timeout, counted again as timeouts.
  for (const close of [true, false]) {
    await runAgainst(
      { goawayError: { after: 5, code: 2, close } },
      ["-t1", "-c1", "-d700ms", "--timeout", "2s"],
      (outcome, document, server) => {
        assertEquals(outcome.code, 0, outcome.stderr);
        assertEquals(reasonsOf(document), ["read GOAWAY INTERNAL_ERROR"], `close: ${close}`);
        // The preflight's connect test and h2c probe, then one connection per GOAWAY (the last one's may be
        // cut by the end of the run).
        const goaways = server.connections() - 2;
        assert(goaways >= 10, `${goaways} connections`);
        assert(
          Math.abs(document.errors.read - goaways) <= 1,
          `${document.errors.read} errors, ${goaways} GOAWAYs`,
        );
        assertEquals(document.errors.timeout, 0);
      },
    );
  }
});

Deno.test("a 1xx response that ends its stream is a malformed response, counted at once", async () => {
  await runAgainst(
    { informationalEndsStream: true },
    ["-t1", "-c1", "-d500ms", "--timeout", "5s"],
    (outcome, document, server) => {
      assertEquals(outcome.code, 0, outcome.stderr);
      assertEquals(reasonsOf(document), ["read malformed response: 1xx with END_STREAM"]);
      assert(document.errors.read >= 10, `${document.errors.read} read errors`);
      assertEquals(document.requests, 0);
      // Each stream was reset (PROTOCOL_ERROR), on the one connection the run opened.
      assert(server.resetsReceived.length >= document.errors.read - 1);
      assert(server.resetsReceived.every((code) => code === 1), String(server.resetsReceived));
      assertEquals(server.connections(), 3);
    },
  );
});

Deno.test("the GOAWAY the client sends names the error: COMPRESSION_ERROR, FRAME_SIZE_ERROR, FLOW_CONTROL_ERROR", async () => {
  const cases = [
    { kind: "hpack", code: 0x9, reason: "read compression error: " },
    { kind: "oversized", code: 0x6, reason: "read protocol error: frame too large" },
    { kind: "window", code: 0x3, reason: "read flow control error: window over 2^31-1" },
  ] as const;
  for (const { kind, code, reason } of cases) {
    await runAgainst(
      { connectionError: { after: 3, kind } },
      ["-t1", "-c1", "-d300ms"],
      (outcome, document, server) => {
        assertEquals(outcome.code, 0, outcome.stderr);
        const reasons = reasonsOf(document);
        assert(reasons.length === 1 && reasons[0].startsWith(reason), `${kind}: ${reasons}`);
        assert(server.goawaysReceived.length >= 2, `${kind}: ${server.goawaysReceived.length} GOAWAYs`);
        assertEquals(new Set(server.goawaysReceived), new Set([code]), kind);
      },
    );
  }
});

Deno.test("wrk scripts run unchanged: request() with wrk.format, response() reading headers in any case", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const script = `${dir}/script.lua`;
    await Deno.writeTextFile(
      script,
      [
        `request = function() return wrk.format("POST", "/submit", {["X-Kind"] = "test"}, "hello") end`,
        `seen = 0`,
        `response = function(status, headers, body)`,
        `  if headers["Content-Type"] == "text/plain" and headers["content-type"] == "text/plain" then seen = seen + 1 end`,
        `end`,
        `done = function() end`,
      ].join("\n") + "\n",
    );
    await runAgainst({}, ["-t1", "-c1", "-d300ms", "-s", script], (outcome, document, server) => {
      assertEquals(outcome.code, 0, outcome.stderr);
      assert(server.requests.length > 5);
      for (const request of server.requests) {
        assertEquals([request.method, request.path, request.bodyBytes], ["POST", "/submit", 5]);
      }
      assert(document.requests > 5);
    });
    // response() saw the header under both spellings: count it from the thread's own print.
    const printer = `${dir}/print.lua`;
    await Deno.writeTextFile(
      printer,
      `response = function(s, h) if h["Content-Type"] and h["CONTENT-TYPE"] then print("ok " .. h["Content-Type"]) wrk.thread:stop() end end\n`,
    );
    const server = startH2cServer();
    try {
      const outcome = await runCli(["--http2", "-t1", "-c1", "-d2s", "-s", printer, server.url]);
      assertEquals(outcome.code, 0, outcome.stderr);
      assertStringIncludes(outcome.stdout, "ok text/plain\n");
    } finally {
      await server.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--http2 against a server without HTTP/2 is one line and exit 1, over http and over https", async () => {
  const plain = startServer(() => ok());
  const tls = startServer(() => ok(), { tls: true });
  try {
    const h2c = await runCli(["--http2", "-d1s", plain.url]);
    assertEquals(h2c.code, 1);
    assertMatch(
      h2c.stderr,
      /^127\.0\.0\.1:\d+ does not speak HTTP\/2 with prior knowledge \(h2c\): it answered HTTP\/1\.1; leave out --http2, or use https\n$/,
    );
    const h2 = await runCli([
      "--http2",
      "-d1s",
      "--cacert",
      TEST_CA_FILE,
      tls.url.replace("127.0.0.1", "localhost"),
    ]);
    assertEquals(h2.code, 1);
    assertMatch(
      h2.stderr,
      /^localhost:\d+ does not offer HTTP\/2 by ALPN \(it agreed no protocol\): leave out --http2\n$/,
    );
    // A server that agrees HTTP/1.1 by ALPN (nginx without http2): said so, not a refused handshake.
    const http1 = startServer(() => ok(), { tls: true, alpnProtocols: ["http/1.1"] });
    try {
      for (const trust of [["--cacert", TEST_CA_FILE], ["-k"]]) {
        const agreed = await runCli([
          "--http2",
          "-d1s",
          ...trust,
          http1.url.replace("127.0.0.1", "localhost"),
        ]);
        assertEquals(agreed.code, 1);
        assertMatch(
          agreed.stderr,
          /^localhost:\d+ does not offer HTTP\/2 by ALPN \(it agreed http\/1\.1\): leave out --http2\n$/,
        );
      }
    } finally {
      await http1.close();
    }
    // The h2c probe's preface reads as requests `PRI * HTTP/2.0` and `SM` to an HTTP/1.1 server; no GET came.
    assertEquals(plain.requests.filter((request) => request.method === "GET").length, 0);
    assertEquals(tls.requests.length, 0);
  } finally {
    await plain.close();
    await tls.close();
  }
});

Deno.test("a thread.addr at an HTTP/1.1 server under --http2: read errors that say it answered HTTP/1", async () => {
  const plain = startServer(() => ok());
  const dir = await Deno.makeTempDir();
  try {
    const script = `${dir}/addr.lua`;
    await Deno.writeTextFile(
      script,
      `function setup(thread) thread.addr = wrk.lookup("127.0.0.1", "${plain.port}")[1] end\n`,
    );
    await runAgainst({}, ["-t1", "-c1", "-d300ms", "-s", script], (outcome, document) => {
      assertEquals(outcome.code, 0, outcome.stderr);
      const reasons = document.error_reasons.map((r: Json) => `${r.category} ${r.reason}`);
      assertEquals(reasons, ["read protocol error: the server answered HTTP/1, not HTTP/2"]);
    });
  } finally {
    await plain.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--streams needs --http2", async () => {
  const outcome = await runCli(["--streams", "4", "http://127.0.0.1:1/"]);
  assertEquals(outcome.code, 1);
  assertEquals(outcome.stderr.split("\n")[0], "--streams applies to HTTP/2: add --http2");
});

Deno.test("-R with --http2 keeps the rate, one lane per connection with the default --streams 1", async () => {
  await runAgainst({}, ["-t1", "-c4", "-d2s", "-R", "200"], (outcome, document) => {
    assertEquals(outcome.code, 0, outcome.stderr);
    assertAlmostEquals(document.rate.achieved_per_sec, 200, 10);
    // On plan: a batch goes late only when an answer takes longer than the lane's 20 ms between slots, which a
    // loaded machine may cause now and then, never for most.
    assert(document.rate.late_batches <= document.rate.batches * 0.05, JSON.stringify(document.rate));
  });
});

Deno.test("-R with --http2 short of streams: the Rate line says to add -c or --streams", async () => {
  // One stream answered in 50 ms carries 20/s of the 100 asked.
  await runAgainst({ delayMs: 50 }, ["-t1", "-c1", "-d1s", "-R", "100"], (outcome, document) => {
    assertEquals(outcome.code, 0, outcome.stderr);
    assert(document.rate.achieved_per_sec < 25, JSON.stringify(document.rate));
    assertMatch(
      outcome.stdout,
      /\n {2}Rate: [\d.]+ of 100 requests\/sec asked \([\d.]+% short\): requests waited for busy streams: .*; add -c or --streams, unless the server is at its capacity/,
    );
  });
});

Deno.test("-R with --http2 at a server allowing fewer streams than --streams: the Rate line says add -c only", async () => {
  // One stream per connection, answered in 50 ms: 20/s per connection, whatever --streams asks.
  await runAgainst(
    { delayMs: 50, maxStreams: 1 },
    ["-t1", "-c1", "-d1s", "-R", "100", "--streams", "10"],
    (outcome) => {
      assertEquals(outcome.code, 0, outcome.stderr);
      assertMatch(
        outcome.stdout,
        /\n {2}Rate: [\d.]+ of 100 requests\/sec asked \([\d.]+% short\): requests waited for busy streams: the server allows 1 stream per connection \(fewer than --streams\), and -c connections of them cannot carry this rate; add -c, unless the server is at its capacity/,
      );
    },
  );
});

Deno.test("a command line whose request HTTP/2 cannot carry is refused before the run, naming the -H header", async () => {
  const server = startH2cServer();
  try {
    const { code, stdout, stderr } = await runCli([
      "--http2",
      "-t1",
      "-c1",
      "-d1s",
      "-H",
      "Transfer-Encoding: chunked",
      server.url,
    ]);
    assertEquals([code, stdout], [1, ""]);
    assertEquals(
      stderr,
      "the request the URL and -H make cannot go over HTTP/2: incomplete request (-H 'Transfer-Encoding: " +
        "chunked' announces a body it does not have: leave it out)\n",
    );
    assertEquals(server.requests.length, 0);
  } finally {
    await server.close();
  }
});

Deno.test("a request() that HTTP/2 cannot carry, after good ones, stops the run with one line naming the script", async () => {
  const server = startH2cServer();
  const dir = await Deno.makeTempDir({ prefix: "wrk-deno-h2-" });
  try {
    // The first two are good; the third, with a space in its path, is not HTTP.
    await Deno.writeTextFile(
      `${dir}/paths.lua`,
      `local paths = { "/a", "/b", "/c d" }
      local i = 0
      function request() i = i + 1; return wrk.format(nil, paths[(i - 1) % 3 + 1]) end`,
    );
    const { code, stderr } = await runCli([
      "--http2",
      "-t1",
      "-c1",
      "-d1s",
      "-s",
      `${dir}/paths.lua`,
      server.url,
    ]);
    assertEquals(code, 1);
    assertMatch(
      stderr,
      /^\S*paths\.lua: request\(\) returned an invalid HTTP request for HTTP\/2: invalid HTTP version \(request 1, line 1\)\n$/m,
    );
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

/** A server that sends its SETTINGS, then `frame` over and over, and never reads: a flood of acknowledgements asked. */
function floodingServer(frame: "PING" | "SETTINGS") {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const header = (type: number, length: number) => new Uint8Array([0, 0, length, type, 0, 0, 0, 0, 0]);
  const settings = header(4, 0);
  const one = frame === "PING" ? new Uint8Array([...header(6, 8), 1, 2, 3, 4, 5, 6, 7, 8]) : settings;
  const burst = new Uint8Array(one.length * 2000);
  for (let i = 0; i < 2000; i++) burst.set(one, i * one.length);
  const connections = acceptLoop(listener, async (conn) => {
    await conn.write(settings);
    for (;;) await conn.write(burst);
  });
  return { url: `http://127.0.0.1:${listener.addr.port}/`, close: () => connections.close() };
}

for (const frame of ["PING", "SETTINGS"] as const) {
  Deno.test(`a ${frame} flood from a server that never reads fails its connection with a read error naming it, acknowledgements not queued without end`, async () => {
    const server = floodingServer(frame);
    try {
      // Every acknowledgement was queued for a server that never reads them: 800 MB in 5 s.
      const { code, stdout, stderr, wallMs } = await runCli(["--http2", "-t1", "-c1", "-d1s", server.url]);
      assertEquals(code, 0, stderr);
      assertMatch(
        stdout,
        new RegExp(`read ${frame} flood: the server does not read their acknowledgements \\d+`),
      );
      assert(wallMs < 10_000, `${wallMs} ms`);
    } finally {
      await server.close();
    }
  });
}
