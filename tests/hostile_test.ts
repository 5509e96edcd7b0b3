/**
 * The real CLI against misbehaving servers (docs/wrk-compat.md#error-categories): each misbehaviour must show up in the right counter, the
 * run must still end within 100 ms of `-d`, and the report must print with exit code 0.
 */
import { assert, assertEquals } from "@std/assert";
import {
  CLI_PERMISSIONS,
  type CliOutcome,
  DENO_SOCKETS_PERMISSIONS,
  parseReport,
  type ReportFigures,
  runCli,
} from "./helpers/cli.ts";
import {
  closedPort,
  type HostileBehaviour,
  type HostileServer,
  type HostileServerOptions,
  startHostileServer,
} from "./helpers/hostile_server.ts";
import { sysctlNumbers } from "./helpers/proc.ts";

const DURATION_S = 1;
/** The thread tick that expires overdue requests (wrk's RECORD_INTERVAL_MS). */
const TICK_S = 0.1;
/**
 * Process start-up plus shutdown allowed on top of `-d`: well above Deno's start-up, so generous for a loaded
 * CI machine, and still catches a run that does not stop (it would be killed after 30 s).
 */
const OVERHEAD_BOUND_S = 3;

interface Outcome {
  cli: CliOutcome;
  report: ReportFigures;
  server: HostileServer;
}

/** Which sockets the CLI uses: its epoll loop (the documented permissions), or Deno's (without FFI). */
interface Sockets {
  name: string;
  permissions: readonly string[];
}

const SOCKETS: Sockets[] = [
  { name: "epoll loop", permissions: CLI_PERMISSIONS },
  { name: "Deno sockets", permissions: DENO_SOCKETS_PERMISSIONS },
];

/** Runs the CLI with `args` against a server behaving as `behaviour`; the server is closed afterwards. */
async function runAgainst(
  sockets: Sockets,
  behaviour: HostileBehaviour,
  args: string[],
  options: HostileServerOptions = {},
): Promise<Outcome> {
  const server = startHostileServer(behaviour, options);
  try {
    const cli = await runCli([...args, `-d${DURATION_S}s`, server.url], { permissions: sockets.permissions });
    assertEquals(cli.code, 0, `exit code\n${cli.stdout}${cli.stderr}`);
    assertEquals(cli.stderr, "");
    const report = parseReport(cli.stdout);
    assertOnTime(cli, report);
    return { cli, report, server };
  } finally {
    await server.close();
  }
}

/** The run ended within 100 ms of `-d` (the report's run time) and the process soon after. */
function assertOnTime(cli: CliOutcome, report: ReportFigures): void {
  assert(
    report.runtimeS >= DURATION_S && report.runtimeS <= DURATION_S + 0.1,
    `ran ${report.runtimeS}s for -d ${DURATION_S}s`,
  );
  assert(cli.wallMs / 1000 < DURATION_S + OVERHEAD_BOUND_S, `the process took ${cli.wallMs} ms`);
}

/**
 * The `Socket errors` line appears exactly when connect, read, write or timeout is non-zero, and the
 * `Non-2xx` line exactly when status errors are (docs/wrk-compat.md#error-lines).
 */
function assertErrorLines(stdout: string, report: ReportFigures): void {
  const { connect, read, write, timeout } = report.errors;
  assertEquals(/Socket errors:/.test(stdout), connect + read + write + timeout > 0, stdout);
  assertEquals(/Non-2xx or 3xx responses:/.test(stdout), report.non2xx > 0, stdout);
}

/** `value` lies in `[low, high]`. */
function assertBetween(value: number, low: number, high: number, what: string): void {
  assert(value >= low && value <= high, `${what}: ${value} not in [${low}, ${high}]`);
}

/**
 * Our timeout rule (docs/wrk-compat.md#timeouts): every request still unanswered after `--timeout` counts one `timeout` and its
 * connection is replaced. Each connection can time out at most once per `timeoutS`, and at least once per
 * `timeoutS` plus a tick (less the start-up of the threads, hence only "at least once").
 */
function assertTimeouts(outcome: Outcome, connections: number, timeoutS: number): void {
  const { report, server } = outcome;
  assertBetween(
    report.errors.timeout,
    connections,
    connections * Math.floor((DURATION_S + TICK_S) / timeoutS),
    "timeouts",
  );
  // Each timeout closed its connection and opened a new one, except around the stop.
  const reconnects = server.accepted() - 1 - connections; // 1: the up-front connect test (docs/wrk-compat.md#resolving-and-the-test-connect)
  assertBetween(reconnects, report.errors.timeout - connections, report.errors.timeout, "reconnects");
}

/** Each request the server saw got a response the parser rejects or loses: a read error and a new connection. */
function assertOneReadErrorPerRequest(outcome: Outcome, connections: number): void {
  const { report, server } = outcome;
  assertEquals(report.requests, 0);
  assert(report.errors.read > 0, outcome.cli.stdout);
  // The requests in flight at the stop are dropped uncounted.
  assertBetween(report.errors.read, server.requests() - connections, server.requests(), "read errors");
  assertEquals({ ...report.errors, read: 0 }, { connect: 0, read: 0, write: 0, timeout: 0 });
  assertEquals(report.non2xx, 0);
  assertErrorLines(outcome.cli.stdout, report);
}

/** Complete responses the server wrote, less those in flight at the stop, are the requests counted. */
function assertAnsweredRequests(outcome: Outcome, connections: number): void {
  const { report, server } = outcome;
  assert(report.requests > 0, outcome.cli.stdout);
  assertBetween(report.requests, server.responses() - connections, server.responses(), "requests");
}

for (const sockets of SOCKETS) {
  Deno.test(`cli (${sockets.name}) exits 1 with wrk's one line when the port refuses connections`, async () => {
    const port = closedPort();
    const cli = await runCli([`-d${DURATION_S}s`, `http://127.0.0.1:${port}/`], {
      permissions: sockets.permissions,
    });
    assertEquals(cli.code, 1);
    assertEquals(cli.stdout, "");
    assertEquals(cli.stderr, `unable to connect to 127.0.0.1:${port} Connection refused\n`);
    assert(cli.wallMs / 1000 < OVERHEAD_BOUND_S, `took ${cli.wallMs} ms`);
  });

  Deno.test(`cli (${sockets.name}) counts connect errors when the server stops accepting during the run`, async () => {
    const connections = 2;
    const outcome = await runAgainst(
      sockets,
      { kind: "closeAfter", requests: 3, announce: true },
      [
        "-t1",
        `-c${connections}`,
      ], // The up-front connect test and the run's first connections get in; every reconnect is refused.
      { maxConnections: 1 + connections },
    );
    const { report } = outcome;
    assertEquals(report.requests, 3 * connections);
    assert(report.errors.connect > 0, outcome.cli.stdout);
    assertEquals({ ...report.errors, connect: 0 }, { connect: 0, read: 0, write: 0, timeout: 0 });
    assertErrorLines(outcome.cli.stdout, report);
  });

  Deno.test(`cli (${sockets.name}) counts a request that is never answered as a timeout and replaces its connection`, async () => {
    const outcome = await runAgainst(sockets, { kind: "silent" }, ["-t1", "-c2", "--timeout", "200ms"]);
    const { report, server } = outcome;
    assertEquals(report.requests, 0);
    assertTimeouts(outcome, 2, 0.2);
    assert(server.requests() >= report.errors.timeout, "every timed-out request reached the server");
    assertEquals({ ...report.errors, timeout: 0 }, { connect: 0, read: 0, write: 0, timeout: 0 });
    assertErrorLines(outcome.cli.stdout, report);
  });

  Deno.test(`cli (${sockets.name}) stops on time and counts timeouts when the server stops reading and writes block`, async () => {
    // 8 MiB cannot fit in the sockets' buffers (send buffer at most tcp_wmem's maximum, receive buffer at its
    // default while nobody reads), so the request's write blocks.
    const bodyBytes = 8 * 1024 * 1024;
    const [, , wmemMax] = await sysctlNumbers("net/ipv4/tcp_wmem");
    const [, rmemDefault] = await sysctlNumbers("net/ipv4/tcp_rmem");
    assert(bodyBytes > wmemMax + rmemDefault, "the body must not fit in the socket buffers");
    const script = await Deno.makeTempFile({ suffix: ".lua" });
    try {
      await Deno.writeTextFile(script, `wrk.method = "POST"\nwrk.body = string.rep("x", ${bodyBytes})\n`);
      const outcome = await runAgainst(sockets, { kind: "noRead" }, [
        "-t1",
        "-c2",
        "--timeout",
        "300ms",
        "-s",
        script,
      ]);
      const { report, server } = outcome;
      assertEquals(server.requests(), 0);
      assertEquals(report.requests, 0);
      assertTimeouts(outcome, 2, 0.3);
      // A write that blocks is not a failed write: it is the request that timed out.
      assertEquals({ ...report.errors, timeout: 0 }, { connect: 0, read: 0, write: 0, timeout: 0 });
      assertErrorLines(outcome.cli.stdout, report);
    } finally {
      await Deno.remove(script);
    }
  });

  Deno.test(`cli (${sockets.name}) finishes writing a large request before the next when the server answers early`, async () => {
    // 8 MiB takes many writes; the server answers each request once its head arrives. Starting the next request
    // before the previous one is written would interleave the two on the socket.
    const script = await Deno.makeTempFile({ suffix: ".lua" });
    try {
      await Deno.writeTextFile(
        script,
        `wrk.method = "POST"\nwrk.body = string.rep("x", ${8 * 1024 * 1024})\n`,
      );
      const outcome = await runAgainst(sockets, { kind: "answerEarly" }, ["-t1", "-c2", "-s", script]);
      const { report, server } = outcome;
      assertEquals(server.misframed(), 0, "requests interleaved on a connection");
      assertAnsweredRequests(outcome, 2);
      assertEquals(report.errors, { connect: 0, read: 0, write: 0, timeout: 0 });
      assertErrorLines(outcome.cli.stdout, report);
    } finally {
      await Deno.remove(script);
    }
  });

  Deno.test(`cli (${sockets.name}) records the full latency of an answer that trickles in byte by byte`, async () => {
    const byteIntervalMs = 20;
    const outcome = await runAgainst(sockets, { kind: "slow", byteIntervalMs }, [
      "-t1",
      "-c2",
      "--timeout",
      "5s",
    ]);
    const { report, server } = outcome;
    assertAnsweredRequests(outcome, 2);
    // The last byte comes after (length - 1) pauses.
    const leastLatencyUs = (server.responseBytes - 1) * byteIntervalMs * 1000;
    assert(report.latencyMaxUs >= leastLatencyUs, `${report.latencyMaxUs} µs < ${leastLatencyUs} µs`);
    assert(report.latencyAvgUs >= leastLatencyUs, `${report.latencyAvgUs} µs < ${leastLatencyUs} µs`);
    assertEquals(report.errors, { connect: 0, read: 0, write: 0, timeout: 0 });
    assertErrorLines(outcome.cli.stdout, report);
  });

  Deno.test(`cli (${sockets.name}) counts an answer that trickles in slower than --timeout as a timeout`, async () => {
    const outcome = await runAgainst(sockets, { kind: "slow", byteIntervalMs: 20 }, [
      "-t1",
      "-c2",
      "--timeout",
      "300ms",
    ]);
    const { report } = outcome;
    // 40 bytes at 20 ms take 780 ms: none completes within 300 ms.
    assert(outcome.server.responseBytes * 20 > 300 + 100);
    assertEquals(report.requests, 0);
    assertTimeouts(outcome, 2, 0.3);
    assertEquals({ ...report.errors, timeout: 0 }, { connect: 0, read: 0, write: 0, timeout: 0 });
    assertErrorLines(outcome.cli.stdout, report);
  });

  for (
    const [name, behaviour] of [
      ["a connection closed in the middle of the response head", { kind: "closeMidHeaders" }],
      ["a connection reset in the middle of the response head", { kind: "resetMidHeaders" }],
      ["an answer that is not HTTP", { kind: "notHttp" }],
      ["a Content-Length that is not a number", { kind: "badContentLength" }],
      ["a body shorter than its Content-Length, then a close", { kind: "shortBody", promisedBytes: 100 }],
      ["a chunked body with a chunk size that is not hexadecimal", { kind: "brokenChunked" }],
    ] satisfies [string, HostileBehaviour][]
  ) {
    Deno.test(`cli (${sockets.name}) counts ${name} as a read error and reconnects`, async () => {
      const outcome = await runAgainst(sockets, behaviour, ["-t2", "-c4"]);
      assertOneReadErrorPerRequest(outcome, 4);
      // Every read error closed its connection: the server saw a new one for each (plus the connect test).
      assertBetween(
        outcome.server.accepted() - 1,
        outcome.report.errors.read,
        outcome.report.errors.read + 4,
        "connections",
      );
    });
  }

  Deno.test(`cli (${sockets.name}) counts one error per request when the server resets while the body is being written`, async () => {
    const script = await Deno.makeTempFile({ suffix: ".lua" });
    try {
      await Deno.writeTextFile(
        script,
        `wrk.method = "POST"\nwrk.body = string.rep("x", ${8 * 1024 * 1024})\n`,
      );
      const outcome = await runAgainst(sockets, { kind: "resetDuringBody" }, ["-t1", "-c2", "-s", script]);
      const { report, server } = outcome;
      assertEquals(report.requests, 0);
      // The reset fails the pending read and the pending write together; wrk handles the read first and counts a
      // read error, and so do we. Never both for one request.
      const failed = report.errors.read + report.errors.write;
      assert(report.errors.read > 0, outcome.cli.stdout);
      assertBetween(failed, server.requests() - 2, server.requests(), "read and write errors");
      assertEquals(report.errors.connect + report.errors.timeout, 0);
      assertErrorLines(outcome.cli.stdout, report);
    } finally {
      await Deno.remove(script);
    }
  });

  Deno.test(`cli (${sockets.name}) counts the answer a server sent before it reset a large body's write, as wrk`, async () => {
    const script = await Deno.makeTempFile({ suffix: ".lua" });
    try {
      await Deno.writeTextFile(
        script,
        `wrk.method = "POST"\nwrk.body = string.rep("x", ${4 * 1024 * 1024})\n`,
      );
      const outcome = await runAgainst(sockets, { kind: "rejectEarly" }, ["-t1", "-c1", "-s", script]);
      const { report, server } = outcome;
      // Each 413 is read before the reset that failed the body's write: a response, not a write error (wrk's
      // count). A 413 the server's kernel dropped at the reset (a loaded machine) is an error: one or two.
      assert(report.requests >= 5, outcome.cli.stdout);
      const { connect, read, write, timeout } = report.errors;
      assert(read + write <= 2 && connect + timeout === 0, outcome.cli.stdout);
      assert(server.responses() - report.requests <= 1 + read + write, `${server.responses()} answers`);
      assertEquals(report.non2xx, report.requests);
    } finally {
      await Deno.remove(script);
    }
  });

  Deno.test(`cli (${sockets.name}) ignores a line break a server sends after an answer, in a read of its own`, async () => {
    // With -R the connection is idle when the CRLF comes (without, the next answer's read would hold it).
    const outcome = await runAgainst(sockets, { kind: "lineBreakAfterAnswer", gapMs: 3 }, [
      "-t1",
      "-c2",
      "-R",
      "40",
    ]);
    const { report } = outcome;
    assert(report.requests >= 10, outcome.cli.stdout);
    assertEquals(report.errors, { connect: 0, read: 0, write: 0, timeout: 0 });
  });

  Deno.test(`cli (${sockets.name}) skips lines of CRs a server sends before the status line, split from the rest`, async () => {
    const outcome = await runAgainst(sockets, { kind: "junkBeforeStatus", gapMs: 20 }, ["-t1", "-c2"]);
    const { report } = outcome;
    assert(report.requests >= 10, outcome.cli.stdout);
    assertEquals(report.errors, { connect: 0, read: 0, write: 0, timeout: 0 });
    assert(outcome.server.responses() - report.requests <= 2, outcome.cli.stdout);
  });

  Deno.test(`cli (${sockets.name}) reconnects without errors after Connection: close every 3 requests`, async () => {
    const outcome = await runAgainst(sockets, { kind: "closeAfter", requests: 3, announce: true }, [
      "-t2",
      "-c4",
    ]);
    const { report, server } = outcome;
    assertAnsweredRequests(outcome, 4);
    assertEquals(report.errors, { connect: 0, read: 0, write: 0, timeout: 0 });
    assert(server.accepted() - 1 >= Math.ceil(report.requests / 3), `${server.accepted()} connections`);
    assertErrorLines(outcome.cli.stdout, report);
  });

  Deno.test(`cli (${sockets.name}) counts a read error when a keep-alive connection is closed without warning`, async () => {
    const outcome = await runAgainst(sockets, { kind: "closeAfter", requests: 3, announce: false }, [
      "-t2",
      "-c4",
    ]);
    const { report, server } = outcome;
    assertAnsweredRequests(outcome, 4);
    // The request sent on each silently closed connection fails (wrk counts the EOF as a read error; a write
    // that races the close would be a write error), except on the connections open at the stop.
    const failed = report.errors.read + report.errors.write;
    assert(report.errors.read > 0, outcome.cli.stdout);
    assertBetween(failed, server.accepted() - 1 - 4, server.accepted() - 1, "read and write errors");
    assertEquals(report.errors.connect + report.errors.timeout, 0);
    assertErrorLines(outcome.cli.stdout, report);
  });

  Deno.test(`cli (${sockets.name}) reads 1 MiB bodies whole and counts every byte`, async () => {
    const outcome = await runAgainst(sockets, { kind: "bigBody", bodyBytes: 1024 * 1024 }, ["-t2", "-c4"]);
    const { report, server } = outcome;
    assertAnsweredRequests(outcome, 4);
    assertEquals(report.errors, { connect: 0, read: 0, write: 0, timeout: 0 });
    // Bytes of the counted responses, plus at most one partial response per connection; the report prints two
    // decimals of its unit (0.5% of the value at worst).
    const least = report.requests * server.responseBytes;
    const most = (report.requests + 4) * server.responseBytes;
    assertBetween(report.bytesRead, least * 0.995, most * 1.005, "bytes read");
    assertErrorLines(outcome.cli.stdout, report);
  });

  Deno.test(`cli (${sockets.name}) counts every 5xx answer as a non-2xx response and nothing else`, async () => {
    const outcome = await runAgainst(sockets, { kind: "status", status: 503 }, ["-t2", "-c4"]);
    const { report } = outcome;
    assertAnsweredRequests(outcome, 4);
    assertEquals(report.non2xx, report.requests);
    assertEquals(report.errors, { connect: 0, read: 0, write: 0, timeout: 0 });
    assertErrorLines(outcome.cli.stdout, report);
  });
}
