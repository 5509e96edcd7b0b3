import { assert, assertEquals, assertMatch, assertThrows } from "@std/assert";
import type { Target } from "../../lib/config/config.ts";
import { UsageError } from "../../lib/config/errors.ts";
import { parseTarget } from "../../lib/config/url.ts";

/** Asserts the fields of `parseTarget(url)` that `expected` names, together (the message names the URL). */
function assertTargetFields(url: string, expected: Partial<Target>): void {
  const target = parseTarget(url);
  const actual = Object.fromEntries(Object.keys(expected).map((key) => [key, target[key as keyof Target]]));
  assertEquals(actual, expected, url);
}

Deno.test("parseTarget() splits a plain http URL with wrk's defaults", () => {
  assertEquals(
    parseTarget("http://localhost/"),
    {
      url: "http://localhost/",
      scheme: "http",
      host: "localhost",
      port: 80,
      portText: null,
      path: "/",
      hostHeader: "localhost",
      service: "http",
    } satisfies Target,
  );
});

Deno.test("parseTarget() gives https port 443 and service https", () => {
  assertTargetFields("https://example.com/a", {
    scheme: "https",
    port: 443,
    portText: null,
    service: "https",
    hostHeader: "example.com",
  });
});

Deno.test("parseTarget() keeps a written port in portText, hostHeader and service", () => {
  assertTargetFields("http://127.0.0.1:8080/index.html", {
    host: "127.0.0.1",
    port: 8080,
    portText: "8080",
    hostHeader: "127.0.0.1:8080",
    service: "8080",
    path: "/index.html",
  });
});

Deno.test("parseTarget() keeps a written default port, as wrk does", () => {
  assertTargetFields("http://h:80/", { port: 80, portText: "80", hostHeader: "h:80", service: "80" });
  assertTargetFields("https://h:443", { portText: "443", hostHeader: "h:443" });
});

Deno.test("parseTarget() treats an empty port as none", () => {
  assertTargetFields("http://h:/", { portText: null, port: 80, hostHeader: "h" });
});

Deno.test("parseTarget() strips IPv6 brackets from host but keeps them in hostHeader", () => {
  assertTargetFields("http://[::1]:8080/x?y", {
    host: "::1",
    port: 8080,
    portText: "8080",
    hostHeader: "[::1]:8080",
    path: "/x?y",
    service: "8080",
  });
  assertEquals(parseTarget("http://[::1]/").hostHeader, "[::1]");
});

Deno.test("parseTarget() gives path and query, / when absent, without the fragment", () => {
  assertEquals(parseTarget("http://h").path, "/");
  assertEquals(parseTarget("http://h?q=1").path, "/?q=1");
  assertEquals(parseTarget("http://h/a/b?q=1&r=2").path, "/a/b?q=1&r=2");
  assertEquals(parseTarget("http://h/a#frag").path, "/a");
});

Deno.test("parseTarget() keeps the path as typed, encoding only what a request line cannot carry", () => {
  assertEquals(parseTarget("http://h/a/../b/./c").path, "/a/../b/./c");
  assertEquals(parseTarget("http://h/%7Euser?x=%zz").path, "/%7Euser?x=%zz");
  assertEquals(parseTarget("http://h/a b?é=1").path, "/a%20b?%C3%A9=1");
});

Deno.test("parseTarget() keeps the URL as given and ignores user info", () => {
  assertTargetFields("http://user:pw@h:81/p", {
    url: "http://user:pw@h:81/p",
    host: "h",
    hostHeader: "h:81",
  });
});

Deno.test("parseTarget() accepts an upper-case scheme", () => {
  assertEquals(parseTarget("HTTP://h/").scheme, "http");
});

function assertInvalid(url: string, hint: RegExp) {
  const error = assertThrows(() => parseTarget(url));
  assert(error instanceof UsageError);
  assert(error.message.startsWith(`invalid URL: ${url} — `), error.message);
  assertMatch(error.message, hint);
  assertEquals(error.showUsage, true);
  assertEquals(error.exitCode, 1);
}

Deno.test("parseTarget() rejects a URL without a scheme", () => {
  assertInvalid("localhost:8080", /use http:\/\/host\[:port\]\/path/);
  assertInvalid("localhost", /use http:\/\/host/);
  assertInvalid("/path", /use http:\/\/host/);
  assertInvalid("http:h/", /use http:\/\/host/);
});

Deno.test("parseTarget() rejects a URL that starts or ends with a blank, as wrk does (a trailing one went as %20)", () => {
  assertInvalid("http://h/ ", /starts or ends with a blank: leave it out/);
  assertInvalid(" http://h/", /starts or ends with a blank/);
  assertInvalid("http://h/\t", /starts or ends with a blank/);
  assertInvalid("http://h/\n", /starts or ends with a blank/);
});

Deno.test("parseTarget() rejects schemes other than http and https", () => {
  assertInvalid("ftp://h/", /only http and https/);
  assertInvalid("ws://h/", /only http and https/);
});

Deno.test("parseTarget() rejects a URL without a host", () => {
  assertInvalid("http://", /missing host/);
  assertInvalid("http:///x", /missing host/);
  assertInvalid("http://:8080/", /missing host/);
  assertInvalid("http://user@/", /missing host/);
  for (const url of ["http://::1:8080/", "http://fe80::1:8080/", "http://2001:db8::1/"]) {
    assertInvalid(url, /an IPv6 address goes in brackets: http:\/\/\[::1\]:8080\//);
  }
});

Deno.test("parseTarget() rejects ports outside 1..65535", () => {
  assertInvalid("http://h:0/", /port must be a number from 1 to 65535/);
  assertInvalid("http://h:70000/", /port must be a number from 1 to 65535/);
  assertInvalid("http://h:65536/", /port must be/);
  assertInvalid("http://h:8x/", /port must be/);
  assertEquals(parseTarget("http://h:65535/").port, 65535);
  assertEquals(parseTarget("http://h:1/").port, 1);
});

Deno.test("parseTarget() rejects what URL rejects", () => {
  assertInvalid("http://a b/", /use http:\/\/host/);
  assertInvalid("http://[::1/", /use http:\/\/host/);
  assertInvalid("http://[::1]x/", /use http:\/\/host/);
});
