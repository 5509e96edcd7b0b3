/** `wrk.lookup` and `wrk.connect` (docs/wrk-compat.md#address-lookup-and-connect), from the main state and from a thread's state. */

import { assertEquals, assertMatch } from "@std/assert";
import { FakeThreadHandle, mainScript, threadScript } from "./_helpers.ts";

Deno.test("wrk.lookup() resolves an IP literal with a numeric service", async () => {
  const { script, output } = await mainScript(`
    local addrs = wrk.lookup("127.0.0.1", "8081")
    print(#addrs, tostring(addrs[1]))
    local v6 = wrk.lookup("::1", "9")
    print(#v6, tostring(v6[1]))
    print(tostring(wrk.lookup("127.0.0.1", "http")[1]), tostring(wrk.lookup("127.0.0.1", "https")[1]))`);
  assertEquals(output.text, "1\t127.0.0.1:8081\n1\t[::1]:9\n127.0.0.1:80\t127.0.0.1:443\n");
  script.close();
});

Deno.test("wrk.lookup() resolves localhost through the hosts file", async () => {
  const { script, output } = await mainScript(`
    local addrs = wrk.lookup("localhost", "8080")
    local found = false
    for _, addr in ipairs(addrs) do
      local text = tostring(addr)
      found = found or text == "127.0.0.1:8080" or text == "[::1]:8080"
    end
    print(#addrs > 0, found)`);
  assertEquals(output.text, "true\ttrue\n");
  script.close();
});

Deno.test("wrk.lookup() fails with 'unable to resolve host:service reason'", async () => {
  const { script, output } = await mainScript(`
    print(pcall(wrk.lookup, "no-such-host.invalid", "80"))
    print(pcall(wrk.lookup, "127.0.0.1", "gopher-ish"))`);
  const [first, second] = output.text.split("\n");
  assertMatch(first, /^false\tunable to resolve no-such-host\.invalid:80 \S/);
  assertEquals(
    second,
    "false\tunable to resolve 127.0.0.1:gopher-ish Servname not supported for ai_socktype",
  );
  script.close();
});

Deno.test("wrk.connect() is true for a listening port and false for a closed one", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const open = listener.addr.port;
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const closed = probe.addr.port;
  probe.close();
  try {
    const { script, output } = await mainScript(`
      print(wrk.connect(wrk.lookup("127.0.0.1", "${open}")[1]))
      print(wrk.connect(wrk.lookup("127.0.0.1", "${closed}")[1]))
      print(pcall(wrk.connect, "127.0.0.1"))`);
    const lines = output.text.split("\n");
    assertEquals(lines[0], "true");
    assertEquals(lines[1], "false");
    assertMatch(lines[2], /^false\tbad argument #1 to 'wrk\.connect' \(wrk\.addr expected, got string\)$/);
    script.close();
  } finally {
    listener.close();
  }
});

Deno.test("wrk.lookup() and wrk.connect() work in a thread's top level and init()", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  const { script, output } = await threadScript(
    `
    local addrs = wrk.lookup(wrk.host, wrk.port)
    print("top", tostring(addrs[1]), wrk.connect(addrs[1]))
    function init(args)
      print("init", wrk.connect(wrk.lookup("127.0.0.1", args[1])[1]))
    end`,
    { url: `http://127.0.0.1:${port}/`, args: [String(port)] },
  );
  await script.init();
  assertEquals(output.text, `top\t127.0.0.1:${port}\ttrue\ninit\ttrue\n`);
  script.close();
});

Deno.test("thread.addr accepts only addr values and reads back a copy", async () => {
  const { script, output } = await mainScript(`
    function setup(thread)
      local before = thread.addr
      print(tostring(before), thread.addr == before, rawequal(thread.addr, before))
      thread.addr = wrk.lookup("::1", "8443")[1]
      print(tostring(thread.addr))
      print(pcall(function() thread.addr = "127.0.0.1:1" end))
    end`);
  const handle = new FakeThreadHandle();
  await script.setup(handle);
  assertEquals(handle.addr, { address: "::1", port: 8443, family: 6 });
  const lines = output.text.split("\n");
  assertEquals(lines.slice(0, 2), ["127.0.0.1:8080\ttrue\tfalse", "[::1]:8443"]);
  assertMatch(lines[2], /^false\t.*wrk\.addr expected, got string/);
  script.close();
});
