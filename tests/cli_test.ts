import { assert, assertEquals, assertMatch, assertNotMatch, assertStringIncludes } from "@std/assert";
import { parseReport, runCli } from "./helpers/cli.ts";
import { closedPort, ok, startServer, TEST_CA_FILE } from "./helpers/server.ts";
import { ROOT } from "./helpers/deno.ts";
import { startH2cServer } from "./helpers/h2c_server.ts";

Deno.test("cli reports as many requests as the server answered, minus at most one in flight per connection", async () => {
  const server = startServer();
  try {
    const { code, stdout, stderr } = await runCli(["-t2", "-c4", "-d1s", server.url]);
    assertEquals(code, 0, stderr);
    const report = parseReport(stdout);
    assert(report.requests > 100, stdout);
    const answered = server.requests.length;
    assert(
      answered >= report.requests && answered - report.requests <= 4,
      `${answered} vs ${report.requests}`,
    );
    assertMatch(stdout, /^Running 1s test @ http:\/\/127\.0\.0\.1:\d+\/\n {2}2 threads and 4 connections\n/);
    assertNotMatch(stdout, /Socket errors|Non-2xx/);
  } finally {
    await server.close();
  }
});

Deno.test("cli sends wrk's default request with -H headers and the URL's path", async () => {
  const server = startServer();
  try {
    const { code } = await runCli([
      "-t1",
      "-c1",
      "-d300ms",
      "-H",
      "X-Test: yes",
      "-H",
      "Accept:*/*",
      server.url + "a/b?c=d",
    ]);
    assertEquals(code, 0);
    assertEquals(
      server.requests[0].raw,
      `GET /a/b?c=d HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nX-Test: yes\r\nAccept: */*\r\n\r\n`,
    );
  } finally {
    await server.close();
  }
});

Deno.test("cli spreads connections over threads so the total is what was asked", async () => {
  const server = startServer();
  try {
    const { code } = await runCli(["-t3", "-c10", "-d500ms", server.url]);
    assertEquals(code, 0);
    // One extra connection is the up-front connect test (docs/wrk-compat.md#resolving-and-the-test-connect).
    assertEquals(server.connections(), 11);
  } finally {
    await server.close();
  }
});

Deno.test("cli counts 5xx answers as non-2xx/3xx responses", async () => {
  const server = startServer(() => ok("down", 503));
  try {
    const { code, stdout } = await runCli(["-t1", "-c2", "-d500ms", server.url]);
    assertEquals(code, 0);
    const report = parseReport(stdout);
    assert(report.requests > 0);
    assertEquals(report.non2xx, report.requests);
  } finally {
    await server.close();
  }
});

Deno.test("cli counts an unanswered request as a timeout and replaces its connection", async () => {
  const server = startServer(() => ({ hang: true }));
  try {
    const { code, stdout } = await runCli(["-t1", "-c2", "-d1s", "--timeout", "200ms", server.url]);
    assertEquals(code, 0);
    const report = parseReport(stdout);
    assertEquals(report.requests, 0);
    // 2 connections × 1 s / (200 ms timeout + up to a 100 ms tick) ≥ 6; each timeout opens a new connection.
    assert(report.errors.timeout >= 6 && report.errors.timeout <= 10, stdout);
    assert(server.connections() >= report.errors.timeout, `${server.connections()} connections`);
  } finally {
    await server.close();
  }
});

Deno.test("cli reconnects after Connection: close without counting errors", async () => {
  const server = startServer(() => ok("bye", 200, "Connection: close\r\n"));
  try {
    const { code, stdout } = await runCli(["-t1", "-c2", "-d500ms", server.url]);
    assertEquals(code, 0);
    const report = parseReport(stdout);
    assert(report.requests > 10, stdout);
    assertNotMatch(stdout, /Socket errors/);
    assert(server.connections() >= report.requests, `${server.connections()} connections`);
  } finally {
    await server.close();
  }
});

Deno.test("cli counts a connection closed before the answer as a read error", async () => {
  const server = startServer((_, index) => index % 2 === 0 ? ok() : { close: true });
  try {
    const { code, stdout } = await runCli(["-t1", "-c1", "-d500ms", server.url]);
    assertEquals(code, 0);
    const report = parseReport(stdout);
    assert(report.errors.read > 5, stdout);
    assert(Math.abs(report.errors.read - report.requests) <= 1, stdout);
  } finally {
    await server.close();
  }
});

Deno.test("cli counts refused reconnects as connect errors when the server goes away", async () => {
  const server = startServer((_, index) => index < 5 ? ok() : { close: true });
  const closing = (async () => {
    while (server.requests.length < 5) await new Promise((r) => setTimeout(r, 10));
    await server.close();
  })();
  const { code, stdout } = await runCli(["-t1", "-c1", "-d700ms", server.url]);
  await closing;
  assertEquals(code, 0);
  const report = parseReport(stdout);
  assert(report.errors.connect > 0, stdout);
});

Deno.test("cli ends the run within 100 ms of -d and prints the duration it ran", async () => {
  const server = startServer();
  try {
    const { code, stdout } = await runCli(["-t2", "-c10", "-d2s", server.url]);
    assertEquals(code, 0);
    const report = parseReport(stdout);
    assert(report.runtimeS >= 2 && report.runtimeS <= 2.1, `ran ${report.runtimeS}s`);
  } finally {
    await server.close();
  }
});

Deno.test("cli ends the run within 100 ms of -d however busy the script's hooks keep the thread", async () => {
  // Busy hooks hold the thread's loop: 40 connections whose request() each take 5 ms, sent together at the
  // start and at -R's slots, or a response() of 20 ms for each of the answers one read brings.
  const busy = (ms: number) => `local t = os.clock()\n  while os.clock() - t < ${ms / 1000} do end`;
  const scripts = {
    request: `request = function()\n  ${busy(5)}\n  return wrk.format()\nend\n`,
    response: `response = function()\n  ${busy(20)}\nend\n`,
  };
  const server = startServer();
  const h2c = startH2cServer();
  const dir = await Deno.makeTempDir();
  try {
    for (const [name, text] of Object.entries(scripts)) await Deno.writeTextFile(`${dir}/${name}.lua`, text);
    const runs = [
      ["-c40", "-s", `${dir}/request.lua`, server.url],
      ["-c40", "-R", "400", "-s", `${dir}/request.lua`, server.url],
      ["-c40", "-s", `${dir}/response.lua`, server.url],
      ["--http2", "-c2", "--streams", "20", "-s", `${dir}/response.lua`, h2c.url],
    ];
    for (const args of runs) {
      const { code, stdout, stderr } = await runCli(["-t1", "-d1s", ...args]);
      assertEquals(code, 0, stderr);
      const report = parseReport(stdout);
      assert(report.runtimeS >= 1 && report.runtimeS <= 1.1, `${args.join(" ")}: ran ${report.runtimeS}s`);
    }
  } finally {
    await server.close();
    await h2c.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cli without read access to its own modules names the permission in one line and exits 1", async () => {
  const { code, stdout, stderr } = await runCli(["-d1s", "http://127.0.0.1:8080/"], {
    permissions: ["--allow-net"],
  });
  assertEquals([code, stdout], [1, ""]);
  assertMatch(stderr, /^wrk-deno: cannot load lib\/\S+\.ts: Requires read access to .*--allow-read flag\n$/);
});

Deno.test("cli with a --timeout shorter than a first TLS handshake still passes a healthy server's check", async () => {
  // A process's first handshake also sets up Deno's TLS: the check waits at least 1 s, whatever --timeout.
  const server = startServer(() => ok(), { tls: true });
  try {
    const url = server.url.replace("127.0.0.1", "localhost");
    const { code, stdout, stderr } = await runCli([
      "-t1",
      "-c1",
      "-d300ms",
      "--timeout",
      "5ms",
      "--cacert",
      TEST_CA_FILE,
      url,
    ]);
    assertEquals(code, 0, stderr);
    assertStringIncludes(stdout, "requests in");
  } finally {
    await server.close();
  }
});

Deno.test("cli with https:// to a plain HTTP port says so, with and without -k", async () => {
  // A plain HTTP server answers a ClientHello with a 400, as nginx does.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const serving = (async () => {
    for await (const conn of listener) {
      await conn.read(new Uint8Array(4096)).catch(() => null);
      await conn.write(new TextEncoder().encode("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n"))
        .catch(() => 0);
      conn.close();
    }
  })();
  try {
    for (const flags of [[], ["-k"]]) {
      const url = `https://127.0.0.1:${listener.addr.port}/`;
      const { code, stderr } = await runCli([...flags, "-t1", "-c1", "-d300ms", url]);
      assertEquals(code, 1, stderr);
      assertMatch(
        stderr,
        /^TLS handshake with 127\.0\.0\.1:\d+ failed: .*; is it a plain HTTP port\? use http:\/\/\n$/,
      );
    }
  } finally {
    listener.close();
    await serving.catch(() => {});
  }
});

Deno.test("cli prints wrk's error and exits 1 when nothing listens", async () => {
  const port = closedPort();
  const { code, stdout, stderr } = await runCli(["-d1s", `http://127.0.0.1:${port}/`]);
  assertEquals(code, 1);
  assertEquals(stdout, "");
  assertEquals(stderr, `unable to connect to 127.0.0.1:${port} Connection refused\n`);
});

Deno.test("cli prints wrk's error and exits 1 for a host that does not resolve", async () => {
  const { code, stderr } = await runCli(["-d1s", "http://no-such-host.invalid/"]);
  assertEquals(code, 1);
  assertMatch(stderr, /^unable to resolve no-such-host\.invalid:http .+\n$/);
});

Deno.test("cli prints the usage and exits 1 for bad flags and URLs", async () => {
  for (const args of [["-t0", "http://h/"], ["localhost:8080"], ["--bogus", "http://h/"], []]) {
    const { code, stderr } = await runCli(args);
    assertEquals(code, 1, args.join(" "));
    assertMatch(stderr, /Usage: wrk <options> <url>/, args.join(" "));
    assertNotMatch(stderr, /\bat .*\.ts:\d+/, "no stack trace");
  }
});

Deno.test("cli -v alone prints the version line, then the usage, as wrk does, and exits 1", async () => {
  const { code, stdout, stderr } = await runCli(["-v"]);
  assertEquals(code, 1);
  assertMatch(stdout, /^wrk-deno \S+ .*\n$/);
  assertMatch(stderr, /^Usage: wrk <options> <url>/, "the usage comes first: no message before it");
  // With -h: the version line, then the usage, as wrk prints them.
  const both = await runCli(["-vh"]);
  assertEquals(both.code, 1);
  assertMatch(both.stdout, /^wrk-deno \S+ .*\nUsage: wrk <options> <url>/);
});

Deno.test("cli demo runs against the embedded server and prints the latency distribution", async () => {
  const { code, stdout } = await runCli(["demo", "-t1", "-c4", "-d500ms"]);
  assertEquals(code, 0);
  assertMatch(stdout, /Latency Distribution\n\s+50%/);
  assert(parseReport(stdout).requests > 100, stdout);
});

Deno.test("cli demo passes arguments after -- to init(), refuses a URL in one line, and has its own --help", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/args.lua`, `function init(args) print("args", args[1], args[2]) end\n`);
    const withArgs = await runCli(["demo", "-t1", "-c1", "-d300ms", "-s", `${dir}/args.lua`, "--", "a", "b"]);
    assertEquals(withArgs.code, 0, withArgs.stderr);
    assertStringIncludes(withArgs.stdout, "args\ta\tb\n");
    const url = await runCli(["demo", "-d300ms", "http://127.0.0.1:8080/"]);
    assertEquals(url.code, 1);
    assertEquals(
      url.stderr,
      "demo benchmarks its built-in server: leave out the URL http://127.0.0.1:8080/ (or run without demo)\n",
    );
    // A host without a scheme too (it was taken for a script argument put before --).
    const host = await runCli(["demo", "-d300ms", "localhost:8080"]);
    assertEquals([host.code, host.stderr], [
      1,
      "demo benchmarks its built-in server: leave out the URL localhost:8080 (or run without demo)\n",
    ]);
    // Its results name the command given, which runs again: not the demo server's passing URL.
    const json = `${dir}/demo.json`;
    const results = await runCli([
      "demo",
      "-t1",
      "-c1",
      "-d300ms",
      "--json",
      json,
      "--summary",
      `${dir}/s.md`,
    ]);
    assertEquals(results.code, 0, results.stderr);
    const command = ["demo", "-t1", "-c1", "-d300ms", "--json", json, "--summary", `${dir}/s.md`];
    assertEquals(JSON.parse(await Deno.readTextFile(json)).command, command);
    assertStringIncludes(await Deno.readTextFile(`${dir}/s.md`), "\nwrk-deno demo -t1 -c1 -d300ms --json ");
    const help = await runCli(["demo", "--help"]);
    assertEquals(help.code, 0);
    assertMatch(help.stdout, /^Usage: wrk-deno demo \[options\] \[-- script arguments\]\n/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cli demo with an option given last without its value says so, not what the server's URL is", async () => {
  for (const option of ["-d", "-s", "--json", "--threshold"]) {
    const { code, stderr } = await runCli(["demo", "-t1", option]);
    assertEquals(code, 1, option);
    assertEquals(stderr.split("\n")[0], `option '${option}' needs a value`);
    assertNotMatch(stderr, /127\.0\.0\.1|missing URL/, option);
  }
});

Deno.test("cli demo's client threads leave the embedded server's thread to it", async () => {
  // The server answers on the main thread's event loop. A client thread hosted there too (as runs without a
  // script host one) starved it: the epoll loop yields to the event loop every few milliseconds, so each
  // request waited for a yield and one connection made ~750 requests a second; in a worker, thousands.
  const { code, stdout } = await runCli(["demo", "-t1", "-c1", "-d1s"]);
  assertEquals(code, 0);
  const requests = parseReport(stdout).requests;
  assert(requests > 2500, `${requests} requests in 1 s on one connection: the server was starved\n${stdout}`);
});

Deno.test("cli refuses an untrusted certificate with one line that says how to trust it", async () => {
  const server = startServer(() => ok(), { tls: true });
  try {
    const { code, stdout, stderr } = await runCli(["-d300ms", server.url]);
    assertEquals(code, 1);
    assertEquals(stdout, "");
    assertMatch(
      stderr,
      /^TLS certificate of 127\.0\.0\.1:\d+ not trusted \(.+\); pass --cacert <file> .* -k .*\n$/,
    );
    const trusted = await runCli(["-t1", "-c1", "-d300ms", "--cacert", TEST_CA_FILE, server.url]);
    assertEquals(trusted.code, 0, trusted.stderr);
    assert(parseReport(trusted.stdout).requests > 0);
  } finally {
    await server.close();
  }
});

Deno.test("cli gives up a TLS handshake the server never answers: one line within the timeout, with and without -k", async () => {
  // Accepts connections and never reads or writes: the handshake would wait forever.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) held.push(conn);
  })();
  try {
    const url = `https://127.0.0.1:${listener.addr.port}/`;
    for (const flags of [[], ["-k"], ["--http2"]]) {
      const started = performance.now();
      const { code, stderr } = await runCli([...flags, "-t1", "-c1", "-d1s", "--timeout", "1s", url]);
      assertEquals(code, 1, stderr);
      assertMatch(
        stderr,
        /^TLS handshake with 127\.0\.0\.1:\d+ failed: no answer within 1s \(is it a TLS port\? or raise --timeout\)\n$/,
      );
      assert(performance.now() - started < 8000, `${flags}: ${performance.now() - started} ms`);
    }
  } finally {
    listener.close();
    for (const conn of held) conn.close();
    await accepting.catch(() => {});
  }
});

Deno.test({
  name:
    "deno task start takes the command line's paths from the folder it was typed in, not the repository's",
  // `env -u`: as typed in a shell. This process runs under `deno task test`, whose INIT_CWD (the repository)
  // a nested deno task keeps, as npm does.
  ignore: Deno.build.os === "windows",
}, async () => {
  const server = startServer();
  const dir = await Deno.makeTempDir({ prefix: "wrk-deno-typed-in-" });
  try {
    await Deno.writeTextFile(`${dir}/here.lua`, 'wrk.path = "/from-here"\n');
    const output = await new Deno.Command("env", {
      args: [
        "-u",
        "INIT_CWD",
        Deno.execPath(),
        "task",
        "--config",
        `${ROOT}deno.json`,
        "start",
        "-t1",
        "-c1",
        "-d200ms",
        "-s",
        "here.lua",
        "--json",
        "r.json",
        server.url,
      ],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    const stderr = new TextDecoder().decode(output.stderr);
    assertEquals(output.code, 0, stderr);
    assertEquals(JSON.parse(await Deno.readTextFile(`${dir}/r.json`)).requests > 0, true);
    assert(server.requests.length > 0 && server.requests.every((request) => request.path === "/from-here"));
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});
