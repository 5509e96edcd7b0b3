/**
 * The request sent without a script (`defaultRequest`), as `wrk.format` builds wrk's: the `-H` headers in
 * command-line order, one `Host`, no `Content-Length` on a request without a body.
 */
import { assertEquals } from "@std/assert";
import { defaultRequest } from "../../../lib/net/http1/request_bytes.ts";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

Deno.test("defaultRequest() sends the URL's Host, then the -H headers in command-line order, repeated names too", () => {
  assertEquals(
    text(
      defaultRequest("/a?b=1", "h:8080", [["Accept", "text/plain"], ["Cookie", "a=1"], ["Cookie", "b=2"]]),
    ),
    "GET /a?b=1 HTTP/1.1\r\nHost: h:8080\r\nAccept: text/plain\r\nCookie: a=1\r\nCookie: b=2\r\n\r\n",
  );
});

Deno.test("defaultRequest() sends one Host: the last -H Host, in any case, where it was given", () => {
  assertEquals(
    text(defaultRequest("/", "h:8080", [["Host", "a.example"], ["Accept", "*/*"], ["host", "b.example"]])),
    "GET / HTTP/1.1\r\nAccept: */*\r\nhost: b.example\r\n\r\n",
  );
});

Deno.test("defaultRequest() leaves out a -H Content-Length: the request has no body", () => {
  assertEquals(
    text(defaultRequest("/", "h", [["Content-Type", "application/json"], ["content-length", "27"]])),
    "GET / HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n\r\n",
  );
});
