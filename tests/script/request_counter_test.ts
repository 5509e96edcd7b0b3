/** The request counter behind the pipeline depth (docs/wrk-compat.md#pipelining). */

import { assert, assertEquals, assertThrows } from "@std/assert";
import { countRequests, RequestFormatError } from "../../lib/script/_request_counter.ts";

const encoder = new TextEncoder();
const count = (text: string) => countRequests(encoder.encode(text));

Deno.test("countRequests() counts back-to-back requests and their methods", () => {
  const get = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  const post = "POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello";
  const head = "HEAD /h HTTP/1.0\r\n\r\n";
  assertEquals(count(get), { count: 1, methods: ["GET"] });
  assertEquals(count(get + post + head + get), { count: 4, methods: ["GET", "POST", "HEAD", "GET"] });
});

Deno.test("countRequests() skips chunked bodies and accepts bare LF line ends", () => {
  const chunked =
    "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n0\r\nTrailer: x\r\n\r\n";
  assertEquals(count(chunked + "GET / HTTP/1.1\n\n"), { count: 2, methods: ["POST", "GET"] });
});

Deno.test("countRequests() reports where a request stops being HTTP", () => {
  const cases: [string, string][] = [
    ["", "empty request at 1:1"],
    ["hello", "incomplete request at 1:6"],
    ["GET / HTTP/1.1\r\nHost a\r\n\r\n", "invalid header at 2:5"],
    ["GET /\r\n\r\n", "invalid URL at 1:6"],
    ["GET / FTP/1.0\r\n\r\n", "invalid HTTP version at 1:7"],
    ["POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nshort", "incomplete body at 4:6"],
    ["POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n", "invalid Content-Length at 2:16"],
    [
      "GET / HTTP/1.1\r\n\r\nnot a request\r\n\r\n",
      'request target "a" must start with "/" (or be an absolute URL "http://…", or "*") at 3:5',
    ],
  ];
  for (const [input, message] of cases) {
    const error = assertThrows(() => count(input));
    assert(error instanceof RequestFormatError);
    assertEquals(error.message, message, JSON.stringify(input));
  }
});

Deno.test("countRequests() accepts the request targets wrk accepts and refuses the others, naming the target", () => {
  // Each target as wrk 4.1's http_parser takes it (checked against wrk: the refused ones print `invalid URL`).
  const request = (line: string) => `${line} HTTP/1.1\r\nHost: a\r\n\r\n`;
  for (
    const line of [
      "GET /",
      "GET /a?b#c",
      "OPTIONS *",
      "GET *",
      "GET http://x",
      "GET HTTP://x/y",
      "GET ftp://x/",
      "GET //x",
      "CONNECT x:443",
      "GET /a{b|c}",
    ]
  ) {
    assertEquals(count(request(line)).count, 1, line);
  }
  const form = 'must start with "/" (or be an absolute URL "http://…", or "*")';
  const refused: [string, string][] = [
    ["GET api/users", `request target "api/users" ${form} at 1:5`],
    ["GET ?a=b", `request target "?a=b" ${form} at 1:5`],
    ["GET h1://x", `request target "h1://x" ${form} at 1:5`],
    ["GET http://", `request target "http://" ${form} at 1:5`],
    ["GET http:x", `request target "http:x" ${form} at 1:5`],
    ["GET /\u00e9", `request target "/\u00e9" must be ASCII (percent-encode other bytes) at 1:6`],
  ];
  for (const [line, message] of refused) {
    const error = assertThrows(() => count(request(line)));
    assert(error instanceof RequestFormatError);
    assertEquals(error.message, message, line);
  }
});
