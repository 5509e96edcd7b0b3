/**
 * HTTP/1.1 request bytes → HTTP/2 requests (lib/net/http2/request_translation.ts): first on real `wrk.format()`
 * output, made by a thread script as the run makes it (the static request, and `request()` hooks), then on
 * hand-written bytes for what wrk.format never writes (chunked bodies, connection fields, absolute targets),
 * the errors, and the translator's cache.
 */

import { assert, assertEquals, assertNotStrictEquals, assertStrictEquals, assertThrows } from "@std/assert";
import {
  type H2Request,
  RequestTranslationError,
  RequestTranslator,
  translateRequests,
} from "../../../lib/net/http2/request_translation.ts";
import { loadThreadScript } from "../../../lib/script/thread_script.ts";
import { parseTarget } from "../../../lib/config/url.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const bytesOf = (text: string) => encoder.encode(text);

/** The first batch a thread script sends: wrk.format()'s static request, or its `request()` hook's result. */
async function wrkRequest(
  source: string,
  options: { url?: string; headers?: [string, string][] } = {},
): Promise<Uint8Array> {
  const script = await loadThreadScript({
    path: "script.lua",
    source: encoder.encode(source),
    target: parseTarget(options.url ?? "http://127.0.0.1:8080/"),
    headers: options.headers ?? [],
    args: [],
    write: () => {},
    onStop: () => {},
  });
  try {
    await script.init();
    return script.requestSource.nextRequest().slice();
  } finally {
    script.close();
  }
}

/** A request's body as text, or null. */
function bodyText(request: H2Request): string | null {
  return request.body === null ? null : decoder.decode(request.body);
}

Deno.test("wrk's default GET becomes the four pseudo-header fields, in order, and nothing else", async () => {
  const bytes = await wrkRequest("");
  assertEquals(decoder.decode(bytes), "GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n");
  assertEquals(translateRequests(bytes, "http"), [{
    headers: [[":method", "GET"], [":scheme", "http"], [":authority", "127.0.0.1:8080"], [":path", "/"]],
    body: null,
    head: false,
  }]);
});

Deno.test("a POST with a body and custom headers keeps them lower-cased, drops Connection and Host", async () => {
  const bytes = await wrkRequest(
    `function init()
       wrk.method = "POST"
       wrk.path = "/submit?x=1"
       wrk.headers["Content-Type"] = "application/json"
       wrk.headers["X-Trace"] = "abc"
       wrk.body = '{"a":1}'
     end`,
    { url: "https://localhost:8443/", headers: [["Connection", "close"], ["X-Api-Key", "k"]] },
  );
  assertEquals(
    decoder.decode(bytes),
    "POST /submit?x=1 HTTP/1.1\r\nConnection: close\r\nX-Api-Key: k\r\nHost: localhost:8443\r\n" +
      'Content-Type: application/json\r\nX-Trace: abc\r\nContent-Length: 7\r\n\r\n{"a":1}',
  );
  const [request, ...rest] = translateRequests(bytes, "https");
  assertEquals(rest, []);
  assertEquals(request.headers, [
    [":method", "POST"],
    [":scheme", "https"],
    [":authority", "localhost:8443"],
    [":path", "/submit?x=1"],
    ["x-api-key", "k"],
    ["content-type", "application/json"],
    ["x-trace", "abc"],
    ["content-length", "7"],
  ]);
  assertEquals(bodyText(request), '{"a":1}');
  assertEquals(request.head, false);
});

Deno.test("several pipelined requests from request() become as many HTTP/2 requests, HEAD marked", async () => {
  const bytes = await wrkRequest(
    `function request()
       return wrk.format(nil, "/a") .. wrk.format("HEAD", "/b") .. wrk.format("POST", "/c", { ["X-N"] = "3" }, "xyz")
     end`,
    { headers: [["Connection", "close"], ["X-Api-Key", "k"]] },
  );
  const requests = translateRequests(bytes, "http");
  assertEquals(requests.map((request) => request.headers), [
    [[":method", "GET"], [":scheme", "http"], [":authority", "127.0.0.1:8080"], [":path", "/a"], [
      "x-api-key",
      "k",
    ]],
    [[":method", "HEAD"], [":scheme", "http"], [":authority", "127.0.0.1:8080"], [":path", "/b"], [
      "x-api-key",
      "k",
    ]],
    [
      [":method", "POST"],
      [":scheme", "http"],
      [":authority", "127.0.0.1:8080"],
      [":path", "/c"],
      ["x-n", "3"],
      ["content-length", "3"],
    ],
  ]);
  assertEquals(requests.map(bodyText), [null, null, "xyz"]);
  assertEquals(requests.map((request) => request.head), [false, true, false]);
});

Deno.test("a HEAD from wrk.format() has no body and is marked head", async () => {
  const bytes = await wrkRequest(`wrk.method = "HEAD"`);
  assertEquals(translateRequests(bytes, "https"), [{
    headers: [[":method", "HEAD"], [":scheme", "https"], [":authority", "127.0.0.1:8080"], [":path", "/"]],
    body: null,
    head: true,
  }]);
});

Deno.test("-H Host becomes :authority, and an IPv6 URL's bracketed host with its port", async () => {
  const vhost = await wrkRequest("", { headers: [["Host", "vhost.test"]] });
  assertEquals(translateRequests(vhost, "http")[0].headers[2], [":authority", "vhost.test"]);
  const ipv6 = await wrkRequest("", { url: "http://[::1]:9000/p" });
  assertEquals(translateRequests(ipv6, "http")[0].headers.slice(2), [[":authority", "[::1]:9000"], [
    ":path",
    "/p",
  ]]);
});

Deno.test("an empty body from wrk.format() is no body, its Content-Length: 0 kept", async () => {
  const bytes = await wrkRequest(`wrk.method = "POST"; wrk.body = ""`);
  const [request] = translateRequests(bytes, "http");
  assertEquals(request.body, null);
  assertEquals(request.headers.at(-1), ["content-length", "0"]);
});

Deno.test("a body is a view of the request bytes, not a copy", () => {
  const bytes = bytesOf("PUT /x HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc");
  const [request] = translateRequests(bytes, "http");
  assertStrictEquals(request.body!.buffer, bytes.buffer);
  assertEquals(bodyText(request), "abc");
});

Deno.test("a chunked body is de-chunked, its trailers dropped, and a content-length added last", () => {
  const bytes = bytesOf(
    "POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n" +
      "5;ext=1\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: t\r\n\r\n" +
      "GET /next HTTP/1.1\r\nHost: a\r\n\r\n",
  );
  const [post, get] = translateRequests(bytes, "http");
  assertEquals(post.headers.slice(4), [["x-a", "1"], ["content-length", "11"]]);
  assertEquals(bodyText(post), "hello world");
  assertEquals(get.headers[3], [":path", "/next"]);
});

Deno.test("an empty chunked body is no body, with content-length: 0", () => {
  const [request] = translateRequests(
    bytesOf("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
    "http",
  );
  assertEquals([request.body, request.headers.at(-1)], [null, ["content-length", "0"]]);
});

Deno.test("connection fields go, te stays only as trailers, and so do the fields Connection names", () => {
  const [request] = translateRequests(
    bytesOf(
      "GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, X-Hop\r\nKeep-Alive: timeout=5\r\n" +
        "Proxy-Connection: keep-alive\r\nUpgrade: h2c\r\nX-Hop: 1\r\nTE: trailers\r\nX-End-To-End: 2\r\n\r\n" +
        "GET / HTTP/1.1\r\nHost: a\r\nTE: gzip\r\n\r\n",
    ),
    "http",
  ).slice(0, 1);
  assertEquals(request.headers.slice(4), [["te", "trailers"], ["x-end-to-end", "2"]]);
  const [, second] = translateRequests(
    bytesOf("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\nTE: gzip\r\n\r\n"),
    "http",
  );
  assertEquals(second.headers.length, 4);
});

Deno.test("values lose their surrounding whitespace and keep their UTF-8; repeated names stay repeated", () => {
  const [request] = translateRequests(
    bytesOf("GET / HTTP/1.1\r\nHost:  a \r\nCookie: x=1\r\nCookie: y=2\r\nX-Name: \t caf\u00e9 \r\n\r\n"),
    "http",
  );
  assertEquals(request.headers.slice(2), [
    [":authority", "a"],
    [":path", "/"],
    ["cookie", "x=1"],
    ["cookie", "y=2"],
    ["x-name", "caf\u00e9"],
  ]);
});

Deno.test("bare LF line ends are read as CRLF ones, as HTTP/1.1 parsers do", () => {
  const [request] = translateRequests(bytesOf("GET /lf HTTP/1.1\nHost: a\nX-A: 1\n\n"), "http");
  assertEquals(request.headers.slice(2), [[":authority", "a"], [":path", "/lf"], ["x-a", "1"]]);
});

Deno.test("an absolute-form target gives :scheme, :authority (without userinfo) and :path itself", () => {
  const requests = translateRequests(
    bytesOf(
      "GET http://user@example.test:81/x?y=1 HTTP/1.1\r\nHost: ignored\r\n\r\n" +
        "GET https://example.test HTTP/1.1\r\n\r\n" +
        "GET http://example.test?q HTTP/1.1\r\n\r\n",
    ),
    "https",
  );
  assertEquals(requests.map((request) => request.headers.slice(1)), [
    [[":scheme", "http"], [":authority", "example.test:81"], [":path", "/x?y=1"]],
    [[":scheme", "https"], [":authority", "example.test"], [":path", "/"]],
    [[":scheme", "http"], [":authority", "example.test"], [":path", "/?q"]],
  ]);
});

Deno.test("OPTIONS * keeps * as :path", () => {
  const [request] = translateRequests(bytesOf("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n"), "http");
  assertEquals(request.headers[3], [":path", "*"]);
});

Deno.test("malformed requests throw a RequestTranslationError naming the problem, the request and the line", () => {
  const cases: [string, string][] = [
    ["", "empty request (request 1, line 1)"],
    ["GET / HTTP/1.1\r\nAccept: text/plain\r\n\r\n", "missing Host header (request 1, line 1)"],
    ["GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\n\r\n", "missing Host header (request 2, line 4)"],
    ["GET / HTTP/1.1\r\nHost:\r\n\r\n", "empty Host header (request 1, line 1)"],
    ["GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "more than one Host header (request 1, line 3)"],
    ["GET / HTTP/1.1\r\nHost: a\r\n", "incomplete request (request 1, line 3)"],
    ["GET / HTTP/1.1\r\nHost: a\r\n\r\ngarbage\r\n\r\n", "invalid method (request 2, line 4)"],
    ["GET  / HTTP/1.1\r\nHost: a\r\n\r\n", "invalid request target (request 1, line 1)"],
    ["GET / HTTP/2.0x\r\nHost: a\r\n\r\n", "invalid HTTP version (request 1, line 1)"],
    ["GET x HTTP/1.1\r\nHost: a\r\n\r\n", 'invalid request target "x" (request 1, line 1)'],
    ["GET * HTTP/1.1\r\nHost: a\r\n\r\n", 'invalid request target "*" (request 1, line 1)'],
    [
      "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n",
      "CONNECT is not supported over HTTP/2 (request 1, line 1)",
    ],
    ["GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", "obsolete line folding (request 1, line 3)"],
    ["GET / HTTP/1.1\r\nHost: a\r\nX A: 1\r\n\r\n", "invalid header name (request 1, line 3)"],
    ["GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", "invalid character in header value (request 1, line 3)"],
    [
      "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n",
      'invalid Content-Length "x" (request 1, line 3)',
    ],
    [
      "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
      "conflicting Content-Length headers (request 1, line 4)",
    ],
    ["POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nabc", "incomplete body (request 1, line 5)"],
    [
      "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      "both Content-Length and Transfer-Encoding (request 1, line 1)",
    ],
    [
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
      'unsupported Transfer-Encoding "gzip, chunked" (only chunked) (request 1, line 1)',
    ],
    [
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "invalid chunk size (request 1, line 5)",
    ],
    [
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n",
      "missing CRLF after chunk data (request 1, line 6)",
    ],
    [
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
      "incomplete body (request 1, line 6)",
    ],
    [
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n",
      "incomplete request",
    ],
  ];
  for (const [text, message] of cases) {
    const error = assertThrows(
      () => translateRequests(bytesOf(text), "http"),
      RequestTranslationError,
      message,
    );
    assert(!error.message.includes("\n"), error.message);
  }
});

Deno.test("identical Content-Length headers are one", () => {
  const [request] = translateRequests(
    bytesOf("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nab"),
    "http",
  );
  assertEquals(request.headers.slice(4), [["content-length", "2"]]);
});

Deno.test("RequestTranslator returns the last translation for the same array, without parsing again", async () => {
  const bytes = await wrkRequest("");
  const translator = new RequestTranslator();
  const first = translator.translate(bytes, "http");
  assertEquals(first, translateRequests(bytes, "http"));
  for (let i = 0; i < 3; i++) assertStrictEquals(translator.translate(bytes, "http"), first);
});

Deno.test("RequestTranslator returns the last translation for equal bytes in another array", async () => {
  const source = `function request() return wrk.format("POST", "/p", nil, "body") end`;
  const translator = new RequestTranslator();
  const first = translator.translate(await wrkRequest(source), "https");
  const again = await wrkRequest(source);
  assertStrictEquals(translator.translate(again, "https"), first);
  assertStrictEquals(translator.translate(again, "https"), first);
});

Deno.test("RequestTranslator translates the same bytes afresh for another scheme", () => {
  const bytes = bytesOf("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  const translator = new RequestTranslator();
  const http = translator.translate(bytes, "http");
  const https = translator.translate(bytes, "https");
  assertEquals([http[0].headers[1], https[0].headers[1]], [[":scheme", "http"], [":scheme", "https"]]);
  assertStrictEquals(translator.translate(bytes.slice(), "https"), https);
});

Deno.test("RequestTranslator keeps only the last translation and translates changed bytes afresh", () => {
  const a = bytesOf("GET /a HTTP/1.1\r\nHost: h\r\n\r\n");
  const b = bytesOf("GET /b HTTP/1.1\r\nHost: h\r\n\r\n");
  const translator = new RequestTranslator();
  const firstA = translator.translate(a, "http");
  const firstB = translator.translate(b, "http");
  assertEquals(firstB[0].headers[3], [":path", "/b"]);
  const secondA = translator.translate(a, "http");
  assertNotStrictEquals(secondA, firstA);
  assertEquals(secondA, firstA);
  // Same length, one byte different.
  assertEquals(translator.translate(bytesOf("GET /c HTTP/1.1\r\nHost: h\r\n\r\n"), "http")[0].headers[3], [
    ":path",
    "/c",
  ]);
});

Deno.test("RequestTranslator does not keep a failed translation: the error comes every time", () => {
  const translator = new RequestTranslator();
  const good = translator.translate(bytesOf("GET / HTTP/1.1\r\nHost: h\r\n\r\n"), "http");
  const bad = bytesOf("GET / HTTP/1.1\r\n\r\n");
  for (let i = 0; i < 2; i++) {
    assertThrows(() => translator.translate(bad, "http"), RequestTranslationError, "missing Host header");
  }
  assertStrictEquals(translator.translate(bytesOf("GET / HTTP/1.1\r\nHost: h\r\n\r\n"), "http"), good);
});
